"""Domain events: what happened, in the past tense, returned by every engine command."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from hall.core.ids import PauseReason
from hall.core.state import Ticket


@dataclass(frozen=True, slots=True)
class Event:
    at: datetime


@dataclass(frozen=True, slots=True)
class TicketIssued(Event):
    ticket: Ticket


@dataclass(frozen=True, slots=True)
class AppointmentCheckedIn(Event):
    ticket: Ticket
    appointment_code: str


@dataclass(frozen=True, slots=True)
class TicketCalled(Event):
    ticket: Ticket
    window: int


@dataclass(frozen=True, slots=True)
class TicketRecalled(Event):
    ticket: Ticket
    window: int


@dataclass(frozen=True, slots=True)
class TicketMarkedNoShow(Event):
    ticket: Ticket
    window: int


@dataclass(frozen=True, slots=True)
class TicketRequeued(Event):
    ticket: Ticket


@dataclass(frozen=True, slots=True)
class TicketTransferred(Event):
    ticket: Ticket
    from_window: int
    to_window: int | None
    to_business: str


@dataclass(frozen=True, slots=True)
class TicketParked(Event):
    ticket: Ticket
    window: int


@dataclass(frozen=True, slots=True)
class TicketUnparked(Event):
    ticket: Ticket
    window: int


@dataclass(frozen=True, slots=True)
class TicketFinished(Event):
    ticket: Ticket
    window: int
    staff_id: str
    handle_s: int


@dataclass(frozen=True, slots=True)
class TicketExpired(Event):
    ticket: Ticket


@dataclass(frozen=True, slots=True)
class StaffSignedIn(Event):
    window: int
    staff_id: str


@dataclass(frozen=True, slots=True)
class StaffSignedOut(Event):
    window: int
    staff_id: str


@dataclass(frozen=True, slots=True)
class WindowPaused(Event):
    window: int
    reason: PauseReason


@dataclass(frozen=True, slots=True)
class WindowResumed(Event):
    window: int


@dataclass(frozen=True, slots=True)
class HallOpened(Event):
    pass


@dataclass(frozen=True, slots=True)
class HallClosed(Event):
    pass


@dataclass(frozen=True, slots=True)
class DayRolledOver(Event):
    previous_day: date
    new_day: date
