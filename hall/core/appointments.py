"""Appointments (预约) booked elsewhere and checked in at the kiosk."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from hall.core.catalogue import CallingRules
from hall.core.errors import InvalidAppointment


@dataclass(frozen=True, slots=True)
class Appointment:
    code: str
    business: str
    slot_start: datetime
    slot_end: datetime
    checked_in_ticket: str = ""
    # The last four digits of the phone it was booked with: a second factor at check-in ("" none).
    phone_last4: str = ""

    @property
    def is_used(self) -> bool:
        return bool(self.checked_in_ticket)


def check_appointment_usable(appt: Appointment, rules: CallingRules, now: datetime) -> None:
    """Raise InvalidAppointment with a `reason` field unless it can be checked in now."""
    if appt.is_used:
        raise InvalidAppointment(
            f"appointment {appt.code} was already checked in", code=appt.code, reason="used"
        )
    earliest = appt.slot_start - timedelta(seconds=rules.appointment_early_s)
    latest = appt.slot_end + timedelta(seconds=rules.appointment_late_s)
    if now < earliest:
        raise InvalidAppointment(
            f"appointment {appt.code} opens for check-in at {earliest:%H:%M}",
            code=appt.code,
            reason="too_early",
            earliest=earliest.isoformat(),
        )
    if now > latest:
        raise InvalidAppointment(
            f"appointment {appt.code} expired at {latest:%H:%M}",
            code=appt.code,
            reason="expired",
        )
