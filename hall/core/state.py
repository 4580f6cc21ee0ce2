"""The hall's changing state: tickets of the day and the windows; immutable values."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from hall.core.ids import PauseReason, TicketKind, TicketNumber, TicketStatus, WindowStatus
from hall.core.ticket_book import TicketBook

RECENT_CALLS_KEPT = 10


def ticket_id_for(day: date, number: TicketNumber) -> str:
    """Unique across days: numbers restart daily, history stays."""
    return f"{day:%Y%m%d}-{number}"


@dataclass(frozen=True, slots=True)
class Ticket:
    ticket_id: str
    number: TicketNumber
    business: str
    kind: TicketKind
    service_day: date
    issued_at: datetime
    # Order in the queue; a transfer keeps it, a re-queue after a no-show restarts it.
    queued_at: datetime
    status: TicketStatus = TicketStatus.WAITING
    priority_reason: str = ""
    appointment_code: str = ""
    helper_name: str = ""
    target_window: int | None = None
    window: int | None = None
    staff_id: str = ""
    first_called_at: datetime | None = None
    called_at: datetime | None = None
    call_count: int = 0
    finished_at: datetime | None = None
    transfer_note: str = ""
    transferred_from: int | None = None
    items: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class WindowState:
    number: int
    status: WindowStatus = WindowStatus.CLOSED
    staff_id: str = ""
    ticket_id: str = ""
    pause_reason: PauseReason | None = None
    since: datetime | None = None
    calls_since_priority: int = 0


@dataclass(frozen=True, slots=True)
class CallRecord:
    number: TicketNumber
    window: int
    business: str
    at: datetime
    is_recall: bool = False


@dataclass(frozen=True, slots=True)
class HallState:
    service_day: date
    is_open: bool = False
    tickets: Mapping[str, Ticket] = field(default_factory=dict)
    windows: Mapping[int, WindowState] = field(default_factory=dict)
    last_sequence: Mapping[str, int] = field(default_factory=dict)
    recent_handle_s: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    recent_calls: tuple[CallRecord, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.tickets, TicketBook):
            object.__setattr__(self, "tickets", TicketBook(self.tickets))

    @property
    def book(self) -> TicketBook:
        """The tickets with their waiting lanes (always a TicketBook after construction)."""
        assert isinstance(self.tickets, TicketBook)
        return self.tickets

    def ticket_by_number(self, number: TicketNumber) -> Ticket | None:
        return self.tickets.get(ticket_id_for(self.service_day, number))

    def waiting(self) -> list[Ticket]:
        return list(self.book.all_waiting())

    def window(self, number: int) -> WindowState:
        return self.windows.get(number) or WindowState(number)
