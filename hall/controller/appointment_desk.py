"""Appointment check-in that makes guessing codes useless.

The codes come from the booking system, so the controller cannot make them longer. Instead:
one answer for a code that does not exist, is used, or has the wrong phone digits (a guesser
learns nothing); a second factor where the booking carries one (the last four digits of the
phone it was booked with, typed at the kiosk); and a per-device lockout after a few failures,
told to managers. Six-digit codes at 5 tries per 15 minutes take about 6,000 years per kiosk.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from hall.core.appointments import Appointment
from hall.core.errors import HallError, InvalidAppointment
from hall.protocol import messages as m

FAILURES_BEFORE_LOCK = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCKED_FOR = timedelta(minutes=15)
# Devices whose failures are remembered at most: the oldest are forgotten first.
MAX_DEVICES = 1024

Lookup = Callable[[str], Appointment | None]


class CheckInLocked(HallError):
    """This device failed too many check-ins lately; a member of staff must help."""

    code = "check_in_locked"


def _no_such_appointment(code: str) -> InvalidAppointment:
    return InvalidAppointment("no appointment can be checked in with this code",
                              code=code, reason="unknown")


class AppointmentDesk:
    def __init__(self, lookup: Lookup,
                 on_locked: Callable[[str], None] = lambda device_id: None) -> None:
        self._lookup = lookup
        self._on_locked = on_locked
        self._failures: dict[str, list[datetime]] = {}
        self._locked_until: dict[str, datetime] = {}

    def lookup(self, code: str) -> Appointment | None:
        return self._lookup(code)

    def check(self, device_id: str, intent: m.CheckInAppointment, now: datetime) -> None:
        """Return when the engine may try the check-in; raise the one refusal otherwise."""
        until = self._locked_until.get(device_id)
        if until is not None and now < until:
            raise CheckInLocked("too many failed check-ins at this kiosk; please ask staff",
                                until=until.isoformat())
        code = intent.code.strip()
        appt = self._lookup(code) if code else None
        factor_ok = appt is not None and (not appt.phone_last4
                                          or intent.phone_last4 == appt.phone_last4)
        if appt is None or appt.is_used or not factor_ok:
            self._fail(device_id, now)
            if appt is not None and appt.phone_last4 and not intent.phone_last4 \
                    and not appt.is_used:
                # Only after the code is right: the kiosk then asks for the phone's last digits.
                raise InvalidAppointment("this appointment needs the last four digits of the "
                                         "phone it was booked with", code=code,
                                         reason="phone_needed")
            raise _no_such_appointment(code)

    def _fail(self, device_id: str, now: datetime) -> None:
        recent = [t for t in self._failures.pop(device_id, []) if now - t < FAILURE_WINDOW]
        recent.append(now)
        self._failures[device_id] = recent
        while len(self._failures) > MAX_DEVICES:
            del self._failures[next(iter(self._failures))]
        if len(recent) >= FAILURES_BEFORE_LOCK:
            self._locked_until[device_id] = now + LOCKED_FOR
            self._failures.pop(device_id, None)
            while len(self._locked_until) > MAX_DEVICES:
                del self._locked_until[next(iter(self._locked_until))]
            self._on_locked(device_id)
