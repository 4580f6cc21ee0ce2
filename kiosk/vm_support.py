"""What the kiosk's view-model leans on: the printer it talks to, the tickets it issued (for
reprints), and how hall messages and printer trouble change the state. Pure but for types."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from kiosk.screen_state import ComplaintDraft, HallView, KioskState, Screen

if TYPE_CHECKING:
    from hall.core.guides import ServiceGuide
    from hall.protocol import messages as m

# A ticket's slip may be reprinted at the kiosk that issued it, once, on the day of issue.
REPRINTS_PER_TICKET = 1


class SlipPrinter(Protocol):
    """The kiosk's receipt printer; each call returns False when a human must look at it."""

    def print_ticket(self, answer: m.TicketAnswer, windows: tuple[int, ...] = (),
                     reprint: bool = False) -> bool: ...

    def print_guide(self, guide: ServiceGuide, printed_at: datetime | None = None) -> bool: ...

    def print_complaint(self, answer: m.ComplaintAnswer, draft: ComplaintDraft) -> bool: ...


class IssuedTickets:
    """The tickets this kiosk issued today and how often each was reprinted: a reprint is of
    this kiosk's own tickets only (another's number typed gets nothing)."""

    def __init__(self) -> None:
        self._day: date | None = None
        self._tickets: dict[str, tuple[m.TicketAnswer, int]] = {}

    def remember(self, answer: m.TicketAnswer) -> None:
        if answer.ticket is None:
            return
        day = answer.ticket.issued_at.date()
        if day != self._day:
            self._day, self._tickets = day, {}
        self._tickets[answer.ticket.number] = (answer, 0)

    def for_reprint(self, today: date, number: str) -> m.TicketAnswer | None:
        found = self._tickets.get(number) if today == self._day else None
        if found is None or found[1] >= REPRINTS_PER_TICKET:
            return None
        return found[0]

    def reprinted(self, today: date, number: str) -> None:
        answer = self.for_reprint(today, number)
        if answer is not None:
            self._tickets[number] = (answer, self._tickets[number][1] + 1)


def ticket_number_of_scan(scanned: str) -> str:
    """The ticket number in a scanned ticket slip's QR (its rating URL or token):
    r1.<hall>.<day>-<number>.<until>.<signature> -> the number."""
    from hall.core.rating_token import token_from_scan

    parts = token_from_scan(scanned).split(".")
    return parts[2].rpartition("-")[2] if len(parts) == 5 else ""


def hall_after(h: HallView, message: object) -> HallView | None:
    """The hall as the kiosk shows it after a message of the hall's, None for any other."""
    from hall.protocol import messages as m

    if isinstance(message, m.QueueSnapshot):
        return replace(h, queue=message)
    if isinstance(message, m.HallInfo):
        return replace(h, name_zh=message.name_zh, name_en=message.name_en, today=message.today,
                       business_windows=tuple((b.code, b.windows) for b in message.businesses),
                       next_opens_at=message.next_opens_at)
    if isinstance(message, m.WindowState):
        windows = dict(h.windows)
        windows[message.window] = message.status
        return replace(h, windows=tuple(sorted(windows.items())))
    if isinstance(message, m.Presence) and message.role is m.Role.CONTROLLER:
        return replace(h, controller_online=message.status is not m.DeviceStatus.OFFLINE)
    return None


def with_print_failed(s: KioskState) -> KioskState:
    """A slip said to be printing did not come out (no paper, offline): the screen says so,
    with what to do, while the citizen is still there."""
    if s.screen is Screen.TICKET and s.ticket is not None and s.ticket.printed:
        return replace(s, ticket=replace(s.ticket, printed=False))
    if s.screen is Screen.GUIDE and s.guide_printed:
        return replace(s, guide_printed=False)
    if (s.screen is Screen.COMPLAINT_DONE and s.complaint_result is not None
            and s.complaint_result.printed):
        return replace(s, complaint_result=replace(s.complaint_result, printed=False))
    return s
