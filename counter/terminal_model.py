"""What the clerk's terminal shows, as a pure function of the retained state it received."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from hall.chinese_text import full_width_punctuation
from hall.protocol import messages as m
from hall.public_texts import PAUSE_TEXT, STATUS_TEXT


@dataclass(frozen=True, slots=True)
class QueueLine:
    code: str
    name_zh: str
    waiting: int
    priority_waiting: int
    longest_wait_min: int | None
    next_numbers: tuple[str, ...]
    next_priority: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TicketCard:
    number: str
    business: str
    business_zh: str
    marks: tuple[str, ...]
    issued: str
    waited_min: int
    call_count: int
    transfer_line: str


@dataclass(frozen=True, slots=True)
class TerminalView:
    window: int
    window_name: str
    status_zh: str
    staff: str
    signed_in: bool
    connected: bool
    busy: bool
    ticket: TicketCard | None
    queue: tuple[QueueLine, ...]
    parked: tuple[str, ...]
    no_shows: tuple[str, ...]
    handled_today: int
    businesses: tuple[tuple[str, str], ...]
    other_windows: tuple[tuple[int, str], ...]
    can_call: bool
    can_act_on_ticket: bool
    can_pause: bool
    can_resume: bool
    can_sign_out: bool


@dataclass
class TerminalModel:
    window: int
    hall: m.HallInfo | None = None
    queue: m.QueueSnapshot | None = None
    state: m.WindowState | None = None
    windows: dict[int, m.WindowState] = field(default_factory=dict)
    # The clerk-only free text (transfer note, 绿色通道 reason), on this counter's reply topic.
    detail: m.WindowDetail | None = None
    # Unknown until its retained presence arrives; offline when it stopped or its will fired.
    controller_online: bool = False

    def apply(self, message: m.Message) -> None:
        if isinstance(message, m.Presence) and message.role is m.Role.CONTROLLER:
            self.controller_online = message.status is not m.DeviceStatus.OFFLINE
        if isinstance(message, m.WindowState):
            self.windows[message.window] = message
            if message.window == self.window:
                self.state = message
        elif isinstance(message, m.WindowDetail) and message.window == self.window:
            self.detail = message
        elif isinstance(message, m.QueueSnapshot):
            self.queue = message
        elif isinstance(message, m.HallInfo):
            self.hall = message

    def business_name(self, code: str) -> str:
        for b in self.hall.businesses if self.hall else ():
            if b.code == code:
                return full_width_punctuation(b.name_zh)
        return code

    def view(self, now: datetime, *, connected: bool, busy: bool) -> TerminalView:
        s = self.state
        status = s.status if s else m.WindowStatus.CLOSED
        status_zh = STATUS_TEXT[status][0]
        if s and status is m.WindowStatus.PAUSED and s.pause_reason is not None:
            status_zh = f"{status_zh}：{PAUSE_TEXT[s.pause_reason]}"
        signed_in = status is not m.WindowStatus.CLOSED
        serving = status is m.WindowStatus.SERVING
        connected = connected and self.controller_online
        ready = connected and not busy
        served = s.businesses if s else ()
        return TerminalView(
            window=self.window, window_name=s.name_zh if s else "", status_zh=status_zh,
            staff=f"{s.staff_name} {s.staff_id}" if s and s.staff_id else "",
            signed_in=signed_in, connected=connected, busy=busy,
            ticket=self._card(s.ticket, now) if s and s.ticket and serving else None,
            queue=self._queue_lines(served, now),
            parked=s.parked if s else (), no_shows=s.no_shows if s else (),
            handled_today=s.handled_today if s else 0,
            businesses=tuple((b.code, full_width_punctuation(b.name_zh))
                             for b in self.hall.businesses)
            if self.hall else (),
            other_windows=tuple((n, w.name_zh) for n, w in sorted(self.windows.items())
                                if n != self.window),
            can_call=ready and status in (m.WindowStatus.IDLE, m.WindowStatus.SERVING),
            can_act_on_ticket=ready and serving,
            can_pause=ready and status is m.WindowStatus.IDLE,
            can_resume=ready and status is m.WindowStatus.PAUSED,
            can_sign_out=ready and signed_in and not serving,
        )

    def _card(self, t: m.WindowTicket, now: datetime) -> TicketCard:
        d = self.detail if self.detail and self.detail.ticket_id == t.ticket_id else None
        reason, note = (d.priority_reason, d.transfer_note) if d else (
            t.priority_reason, t.transfer_note)
        marks = []
        if t.kind is m.TicketKind.PRIORITY:
            marks.append(f"绿色通道 {reason}".strip())
        elif t.kind is m.TicketKind.APPOINTMENT:
            marks.append("预约")
        called = t.first_called_at or now
        transfer = ""
        if t.transferred_from is not None:
            transfer = f"由 {t.transferred_from} 号窗口转入"
            if note:
                transfer += f"：{note}"
        waited_s = (called - t.issued_at).total_seconds()
        return TicketCard(
            number=t.number, business=t.business, business_zh=self.business_name(t.business),
            marks=tuple(marks), issued=f"{t.issued_at:%H:%M}",
            waited_min=max(0, int(waited_s // 60)),
            call_count=t.call_count, transfer_line=transfer)

    def _queue_lines(self, served: tuple[str, ...], now: datetime) -> tuple[QueueLine, ...]:
        if self.queue is None:
            return ()
        lines = []
        for row in self.queue.businesses:
            if row.code not in served:
                continue
            longest = (int((now - row.oldest_queued_at).total_seconds() // 60)
                       if row.oldest_queued_at else None)
            lines.append(QueueLine(row.code, full_width_punctuation(row.name_zh), row.waiting,
                                   row.priority_waiting, longest, row.next_numbers,
                                   row.next_priority_numbers))
        return tuple(lines)
