"""`hall counter`: composition root of one window's clerk terminal, rating pad and window screen."""
from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QWidget

from counter.cli import PARTS
from counter.outbox import OutboxSender, RatingOutbox
from counter.pad_flow import PadFlow, PadScreen, ReasonMissing
from counter.pad_view import PadWidget, StaffCard, WindowScreen
from counter.receipts import CounterPrinter, open_counter_printer
from counter.reprint_panel import NO_PRINTER
from counter.session import RequestSession
from counter.terminal_model import TerminalModel
from counter.terminal_view import TerminalWidget
from counter.texts import UNCONFIRMED_ZH, explain
from hall.config import MqttSettings
from hall.core.rating_token import rating_url
from hall.device_client import DeviceClient
from hall.protocol import Topics
from hall.protocol import messages as m
from hall.qt_service import run_qt_service

logger = logging.getLogger(__name__)

REFRESH_MS = 1000


@dataclass(frozen=True, slots=True)
class CounterConfig:
    hall_id: str
    window: int
    mqtt: MqttSettings
    # The pad is its own device (`pad-<window>`), usually with its own credentials.
    pad_mqtt: MqttSettings
    outbox_dir: Path
    # Only to override the controller's rating URL (hall.toml's [hall] public_base_url).
    rating_base_url: str = ""
    photos_dir: Path | None = None
    parts: tuple[str, ...] = PARTS
    full_screen: bool = False
    timezone: str = "Asia/Shanghai"
    answer_timeout_s: float = 5.0
    # A board may carry only the pad, or only the terminal and window screen, with one account.
    terminal_enabled: bool = True
    pad_enabled: bool = True
    # The window's receipt printer for reprinting slips: HOST:PORT, file:PATH or none.
    printer: str = "none"
    spool_dir: Path = Path("var/spool/counter")
    sizes: dict[str, tuple[int, int]] = field(default_factory=lambda: {
        "terminal": (1280, 1024), "pad": (1280, 800), "screen": (1280, 400)})


class _Inbox(QObject):
    # Emitted from the bus thread; Qt delivers it queued on the GUI thread.
    arrived = Signal(str, object)


class CounterApp:
    """Everything one window needs, wired; `start()` then the Qt event loop."""

    def __init__(self, config: CounterConfig, clock: Callable[[], datetime] | None = None,
                 pad_clock: Callable[[], datetime] | None = None) -> None:
        self.config = config
        tz = ZoneInfo(config.timezone)
        self.clock = clock or (lambda: datetime.now(tz))
        # The pad's timeouts are for the person in front of it: a demo that speeds up the
        # hall's clock gives it the real one.
        self.pad_clock = pad_clock or self.clock
        topics = Topics(config.hall_id)
        self.model = TerminalModel(config.window)
        self.flow = PadFlow()
        self.rating_link = ""
        self.hours_today = ""
        self.hall_info: m.HallInfo | None = None
        self.printer: CounterPrinter | None = open_counter_printer(
            config.printer, config.spool_dir, config.rating_base_url)
        self._inbox = _Inbox()
        self._inbox.arrived.connect(self._receive)
        subscriptions = (topics.hall, topics.queue, topics.all_windows,
                         topics.presence("controller"))
        self.client = DeviceClient(config.mqtt, config.hall_id, f"counter-{config.window}",
                                   m.Role.COUNTER, on_message=self._inbox.arrived.emit,
                                   subscriptions=subscriptions)
        self.pad_client = DeviceClient(config.pad_mqtt, config.hall_id, f"pad-{config.window}",
                                       m.Role.COUNTER, on_message=self._inbox.arrived.emit,
                                       subscriptions=(topics.hall, topics.window(config.window)))
        self.session = RequestSession(self.client, config.answer_timeout_s)
        self.session.answered.connect(self._answered)
        self.session.busy_changed.connect(lambda _busy: self.refresh())
        self.outbox = RatingOutbox(config.outbox_dir,
                                   topics.intent(self.pad_client.device_id))
        self.sender = OutboxSender(self.outbox, self.pad_client, self._rating_answered)
        self.last_rating_answer: m.Answer | None = None
        self.terminal = TerminalWidget(config.window)
        self.terminal.intent.connect(self.ask)
        self.pad = PadWidget(config.window)
        self.pad.choose.connect(self._choose)
        self.pad.score.connect(lambda code, level: self._pad_step(
            lambda: self.flow.score(code, level, self.pad_clock())))
        self.pad.toggle_reason.connect(lambda code: self._pad_step(
            lambda: self.flow.toggle_reason(code, self.pad_clock())))
        self.pad.submit.connect(self._submit_rating)
        self.pad.back.connect(lambda: self._pad_step(self._back_to_levels))
        self.screen = WindowScreen(config.window)
        for other in (self.pad, self.screen):
            self.terminal.bind_shortcuts(other)
        self._timer = QTimer()
        self._timer.timeout.connect(self._tick)

    @property
    def widgets(self) -> dict[str, QWidget]:
        return {"terminal": self.terminal, "pad": self.pad, "screen": self.screen}

    def start(self) -> None:
        if self.config.terminal_enabled:
            self.client.start()
            self.session.start()
            if self.printer is not None:
                self.printer.start()
        if self.config.pad_enabled:
            self.pad_client.start()
            self.sender.start()
        self._timer.start(REFRESH_MS)
        # The terminal last: it is the active window, where the clerk's keys go first.
        for part in reversed(self.config.parts):
            widget = self.widgets[part]
            widget.resize(*self.config.sizes[part])
            if self.config.full_screen:
                widget.showFullScreen()
            else:
                widget.show()
        self.refresh()

    def stop(self) -> None:
        self._timer.stop()
        if self.config.terminal_enabled:
            self.session.stop()
            self.client.stop()
            if self.printer is not None:
                self.printer.stop()
        if self.config.pad_enabled:
            self.sender.stop()
            self.pad_client.stop()
        for widget in self.widgets.values():
            widget.close()

    # -- the clerk's terminal ---------------------------------------------------------------

    @Slot(object, dict)
    def ask(self, intent_type: type[m.Intent], fields: dict[str, Any]) -> None:
        if intent_type is m.ReprintTicket and self.printer is None:
            self.terminal.say(NO_PRINTER)
            return
        if intent_type is not m.Requeue and intent_type is not m.FileComplaint:
            fields = {"window": self.config.window, **fields}
        if not self.session.ask(intent_type, **fields):
            self.terminal.say("上一操作尚未确认，请稍候" if self.session.busy
                              else "未连接大厅服务器，操作未发送，请稍后再试")
            return
        self.terminal.say("")

    @Slot(object, object)
    def _answered(self, intent: m.Intent, answer: m.Answer | None) -> None:
        if answer is None:
            self.terminal.say(UNCONFIRMED_ZH)
            return
        if isinstance(answer, m.Rejected):
            self.terminal.say(explain(answer))
            if isinstance(intent, m.SignIn):
                self.terminal.sign_in_page.clear()
            return
        if isinstance(intent, m.SignIn):
            self.terminal.sign_in_page.clear()
            self.terminal.say("签到成功", ok=True)
        elif isinstance(answer, m.TicketAnswer) and isinstance(intent, m.ReprintTicket):
            self._print_reprint(answer)
        elif isinstance(answer, m.ComplaintAnswer):
            self.terminal.clear_complaint()
            self.terminal.say(f"投诉已登记，编号 {answer.tracking_number}，"
                              f"答复期限 {answer.answer_due:%Y-%m-%d}", ok=True)
        elif isinstance(answer, m.Accepted) and answer.number:
            verb = {m.CallNext: "已呼叫", m.CallTicket: "已呼叫", m.Recall: "已重呼",
                    m.MarkNoShow: "已过号", m.Finish: "已办结", m.Transfer: "已转窗",
                    m.Park: "已挂起", m.Unpark: "已取回", m.Requeue: "已重新排队"}
            self.terminal.say(f"{verb.get(type(intent), '已完成')} {answer.number}", ok=True)
        else:
            done = {m.Pause: "已暂停服务", m.Resume: "已恢复服务", m.SignOut: "已签退"}
            self.terminal.say(done.get(type(intent), "已完成"), ok=True)

    def _print_reprint(self, answer: m.TicketAnswer) -> None:
        if self.printer is None or answer.ticket is None:
            return
        info = self.hall_info
        windows = next((b.windows for b in info.businesses if b.code == answer.ticket.business),
                       ()) if info else ()
        printed = self.printer.reprint(answer, info.name_zh if info else "", windows)
        self.terminal.show_queue()
        if printed:
            self.terminal.say(f"已补打 {answer.ticket.number} 号票（注明补打），请交给群众", ok=True)
        else:
            self.terminal.say(f"{answer.ticket.number} 号票未能打印：请检查打印纸和打印机，"
                              "恢复后将自动打印")

    # -- the bus ----------------------------------------------------------------------------

    @Slot(str, object)
    def _receive(self, topic: str, message: object) -> None:
        if isinstance(message, m.RatingInvite) and message.window == self.config.window:
            self.flow.invited(message, self.pad_clock())
            self.rating_link = (rating_url(self.config.rating_base_url, message.rating_token)
                                if self.config.rating_base_url else message.rating_url)
        elif isinstance(message, m.HallInfo):
            self.hours_today = " ".join(message.today)
            self.hall_info = message
        if isinstance(message, m.Message):
            self.model.apply(message)
        self.refresh()

    def refresh(self) -> None:
        now = self.clock()
        view = self.model.view(now, connected=self.client.is_connected, busy=self.session.busy)
        self.terminal.show_view(view)
        card = self.staff_card()
        self.pad.show_card(card)
        self.screen.show_card(card)
        self.pad.show_flow(self.flow, self.rating_link)

    def staff_card(self) -> StaffCard:
        s = self.model.state
        photo = ""
        if s and s.staff_id and self.config.photos_dir is not None:
            for suffix in (".png", ".jpg", ".jpeg"):
                candidate = self.config.photos_dir / f"{s.staff_id}{suffix}"
                if candidate.exists():
                    photo = str(candidate)
                    break
        return StaffCard(
            window=self.config.window, window_name=s.name_zh if s else "",
            staff_name=s.staff_name if s else "", staff_id=s.staff_id if s else "",
            photo=photo, hours_today=self.hours_today,
            status=s.status if s else m.WindowStatus.CLOSED,
            pause_reason=s.pause_reason if s else None,
            ticket_number=s.ticket_number if s else "")

    def _tick(self) -> None:
        self.flow.tick(self.pad_clock())
        self.refresh()

    # -- the rating pad ---------------------------------------------------------------------

    def _pad_step(self, step: Callable[[], None]) -> None:
        step()
        self.refresh()

    def _back_to_levels(self) -> None:
        self.flow.screen = PadScreen.RATING
        self.flow.reasons.clear()

    @Slot(object)
    def _choose(self, level: m.RatingLevel) -> None:
        if self.flow.choose(level, self.pad_clock()):
            self._submit_rating()
        self.refresh()

    @Slot()
    def _submit_rating(self) -> None:
        self.flow.comment = self.pad.comment.text()
        try:
            fields = self.flow.submission()
        except ReasonMissing as exc:
            self.pad.reason_message.setText(str(exc))
            return
        intent = m.SubmitRating(request_id=uuid.uuid4().hex,
                                reply_to=self.pad_client.topics.reply(self.pad_client.device_id),
                                **fields)  # type: ignore[arg-type]
        # On disk before the thanks: a pad that loses the broker delivers it later, once.
        self.outbox.add(intent)
        self.sender.wake()
        self.flow.sent(self.pad_clock())
        self.refresh()

    def _rating_answered(self, intent: m.SubmitRating, answer: m.Answer) -> None:
        self.last_rating_answer = answer
        if isinstance(answer, m.Rejected):
            logger.warning("rating %s refused: %s %s", intent.request_id, answer.code,
                           answer.detail)


def run_counter(config: CounterConfig) -> int:
    QApplication.instance() or QApplication([])
    app = CounterApp(config)
    return run_qt_service(app.start, app.stop, f"window {config.window}")
