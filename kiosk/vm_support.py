"""What the kiosk's view-model leans on: the printer it talks to, and how hall messages and
printer trouble change the state. Pure but for types."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from kiosk.screen_state import ComplaintDraft, HallView, KioskState, Screen

if TYPE_CHECKING:
    from hall.core.guides import ServiceGuide
    from hall.protocol import messages as m

class SlipPrinter(Protocol):
    """The kiosk's receipt printer; each call returns False when a human must look at it."""

    def print_ticket(self, answer: m.TicketAnswer, windows: tuple[int, ...] = (),
                     reprint: bool = False) -> bool: ...

    def print_guide(self, guide: ServiceGuide, printed_at: datetime | None = None) -> bool: ...

    def print_complaint(self, answer: m.ComplaintAnswer, draft: ComplaintDraft) -> bool: ...


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
