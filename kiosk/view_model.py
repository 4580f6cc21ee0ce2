"""The kiosk's view-model: the citizen's intents in, the state to draw out; the bus off-thread."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from kiosk.form_intents import FormIntents, polite
from kiosk.guide_index import GuideIndex
from kiosk.issued_tickets import IssuedTickets
from kiosk.request_worker import Requester, RequestWorker, Unreachable
from kiosk.screen_state import (
    ComplaintResult,
    HallView,
    KioskState,
    Notice,
    Purpose,
    RatingDraft,
    Screen,
    TicketResult,
    explain,
)
from kiosk.spoken import spoken_text
from kiosk.texts import Lang
from kiosk.vm_support import (
    SlipPrinter,
    hall_after,
    ticket_number_of_scan,
    with_print_failed,
)

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)
P = ParamSpec("P")
# The wire schema is imported by the slots that send or read messages: the first screen is painted
# before it is loaded (cold start).
SCANNING_SCREENS = (Screen.APPOINTMENT, Screen.RATE_SCAN, Screen.REPRINT)
# The same code held in front of the camera is read many times a second: act on it once.
RESCAN_QUIET_S = 3.0


class KioskViewModel(FormIntents, QObject):
    state_changed = Signal(object)
    speak_requested = Signal(str)
    # From other threads; Qt delivers them queued on the GUI thread.
    message_arrived = Signal(str, object)
    # From the printer's worker: whether it now needs a human (out of paper, offline).
    printer_changed = Signal(bool)
    _answered = Signal(str, object)

    def __init__(self, *, hall_id: str, guides: GuideIndex, requester: Requester,
                 printer: SlipPrinter | None, clock: Callable[[], datetime],
                 priority_reasons: tuple[tuple[str, str], ...],
                 is_connected: Callable[[], bool] = lambda: True,
                 idle_timeout_s: float = 60.0, hall_name_zh: str = "",
                 idle_grace_s: float | None = None, issued_path: Path | None = None) -> None:
        super().__init__()
        self.hall_id = hall_id
        self.guides = guides
        self.printer = printer
        self.priority_reasons = priority_reasons
        # Without a camera the scanning screens offer the keyboard only (set by the app).
        self.has_camera = True
        self._clock = clock
        self._is_connected = is_connected
        self.state = KioskState(hall=HallView(name_zh=hall_name_zh))
        self._last_scan = ("", 0.0)
        self._issued = IssuedTickets(issued_path)
        self._idle_ms = int(idle_timeout_s * 1000)
        self._grace_ms = int((idle_grace_s if idle_grace_s is not None
                              else idle_timeout_s / 3) * 1000)
        self.message_arrived.connect(self._receive)
        self.printer_changed.connect(self._printer_changed)
        self._answered.connect(self._on_answer)
        self._worker = RequestWorker(requester, self._answered.emit)
        self._worker.start()
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(int(idle_timeout_s * 1000))
        self._idle.timeout.connect(self.idle_reset)
        # While "need more time?" is asked: the seconds left, shown large, once a second.
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._count_down)
        self._link = QTimer(self)
        self._link.timeout.connect(self._check_link)
        self._link.start(1000)

    def stop(self) -> None:
        self._idle.stop()
        self._countdown.stop()
        self._link.stop()
        self._worker.stop()
        self._worker.join(timeout=15)

    # -- state ---------------------------------------------------------------------------------

    def _set(self, state: KioskState) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    def _go(self, screen: Screen, **changes: Any) -> None:
        changes.setdefault("back_to", None)
        self._set(replace(self.state, screen=screen, **changes))

    def now(self) -> datetime:
        return self._clock()

    def _notice(self, notice: Notice) -> None:
        self._go(Screen.MESSAGE, notice=notice)

    @property
    def is_scanning(self) -> bool:
        return self.state.screen in SCANNING_SCREENS

    # -- every screen --------------------------------------------------------------------------

    @Slot()
    @polite
    def touched(self) -> None:
        """Any touch: the idle countdown starts again (and "need more time?" is answered)."""
        if self.state.asking_more_time:
            self._countdown.stop()
            self._set(replace(self.state, asking_more_time=False, more_time_left_s=0))
        self._idle.setInterval(self._idle_ms)
        self._idle.start()

    @Slot()
    @polite
    def need_more_time(self) -> None:
        self.touched()

    @Slot()
    @polite
    def idle_reset(self) -> None:
        """The countdown ran out: first "need more time?", then back to the home screen for the
        next citizen, forgetting everything personal."""
        s = self.state
        if s.screen not in (Screen.HOME, Screen.BUSY) and not s.asking_more_time:
            self._set(replace(s, asking_more_time=True,
                              more_time_left_s=max(1, -(-self._grace_ms // 1000))))
            self._idle.setInterval(self._grace_ms)
            self._idle.start()
            self._countdown.start()
            return
        self._countdown.stop()
        self._last_scan = ("", 0.0)
        self._idle.setInterval(self._idle_ms)
        self._set(self.state.fresh())

    @Slot()
    @polite
    def _count_down(self) -> None:
        """One second less on the "need more time?" prompt; the idle timer does the reset."""
        s = self.state
        if not s.asking_more_time:
            self._countdown.stop()
            return
        left = -(-self._idle.remainingTime() // 1000) if self._idle.isActive() else 1
        self._set(replace(s, more_time_left_s=max(1, left)))

    @Slot()
    @polite
    def go_home(self) -> None:
        self._set(replace(self.state.fresh(), lang=self.state.lang, large=self.state.large))

    @Slot(object)
    @polite
    def go_to(self, screen: Screen) -> None:
        if screen in SCANNING_SCREENS:
            self._last_scan = ("", 0.0)  # a code shown again on purpose is read again
        self._go(screen, typed="")

    @Slot()
    @polite
    def toggle_large(self) -> None:
        self._set(replace(self.state, large=not self.state.large))

    @Slot()
    @polite
    def toggle_lang(self) -> None:
        self._set(replace(self.state, lang=Lang.EN if self.state.lang is Lang.ZH else Lang.ZH))

    @Slot()
    @polite
    def speak(self) -> None:
        self.speak_requested.emit(spoken_text(self.state, self.guides, self.priority_reasons))

    # -- tickets and guides --------------------------------------------------------------------

    @Slot(object)
    @polite
    def start(self, purpose: Purpose) -> None:
        first = Screen.PRIORITY_REASONS if purpose is Purpose.PRIORITY else Screen.CATEGORIES
        self._go(first, purpose=purpose, category="", priority_reason="", typed="")

    @Slot(str)
    @polite
    def choose_priority_reason(self, reason_zh: str) -> None:
        self._go(Screen.CATEGORIES, priority_reason=reason_zh)

    @Slot(str)
    @polite
    def choose_category(self, name_zh: str) -> None:
        self._go(Screen.ITEMS, category=name_zh)

    @Slot(str)
    @polite
    def choose_item(self, code: str) -> None:
        from hall.protocol import messages as m

        if self.state.purpose is Purpose.GUIDE:
            # From the categories (a category of one item), 上一步 leads back there.
            came_from = self.state.screen if self.state.screen is Screen.CATEGORIES else None
            self._go(Screen.GUIDE, guide_code=code, guide_printed=None, back_to=came_from)
            return
        priority = self.state.purpose is Purpose.PRIORITY
        self._go(Screen.BUSY, busy_key="busy_ticket")
        self._worker.submit("ticket", m.TakeTicket, business=code, priority=priority,
                            priority_reason=self.state.priority_reason if priority else "")

    @Slot()
    @polite
    def open_search(self) -> None:
        self._go(Screen.GUIDE_SEARCH, purpose=Purpose.GUIDE, category="", typed="")

    @Slot()
    @polite
    def print_guide(self) -> None:
        guide = self.guides.guides.get(self.state.guide_code)
        if guide is not None:
            printed = self.printer.print_guide(guide, self._clock()) if self.printer else False
            self._set(replace(self.state, guide_printed=printed))

    @Slot(str)
    @polite
    def search_word(self, word: str) -> None:
        """A common word tapped on the search screen (the kiosk has no Chinese input)."""
        self._set(replace(self.state, typed=word))

    @Slot()
    @polite
    def ticket_for_guide(self) -> None:
        """From a guide straight to a ticket of its item."""
        code = self.state.guide_code
        self._set(replace(self.state, purpose=Purpose.TICKET))
        self.choose_item(code)

    # -- appointments and ratings by camera ----------------------------------------------------

    @Slot(str)
    @polite
    def qr_scanned(self, text: str) -> None:
        now = time.monotonic()
        if not self.is_scanning or (text == self._last_scan[0]
                                    and now - self._last_scan[1] < RESCAN_QUIET_S):
            return
        self._last_scan = (text, now)
        if self.state.screen is Screen.APPOINTMENT:
            self._check_in(text.strip())
        elif self.state.screen is Screen.REPRINT:
            self._reprint(ticket_number_of_scan(text))
        else:
            self._rating_code(text)

    @Slot()
    @polite
    def submit_code(self) -> None:
        if self.state.typed:
            self._check_in(self.state.typed)

    @Slot()
    @polite
    def submit_phone_last4(self) -> None:
        """The second factor of a booking that carries a phone: its last four digits."""
        s = self.state
        if len(s.typed) == 4 and s.typed.isdigit() and s.appointment_code:
            self._check_in(s.appointment_code, s.typed)

    def _check_in(self, code: str, phone_last4: str = "") -> None:
        from hall.protocol import messages as m

        self._go(Screen.BUSY, busy_key="busy_ticket", purpose=Purpose.TICKET,
                 appointment_code=code)
        # The digits go on the wire only when asked for: a controller without the second
        # factor knows no such field.
        extra = {"phone_last4": phone_last4} if phone_last4 else {}
        self._worker.submit("appointment", m.CheckInAppointment, code=code, **extra)

    # -- reprints ------------------------------------------------------------------------------

    @Slot()
    @polite
    def reprint_typed(self) -> None:
        if self.state.typed:
            self._reprint(self.state.typed.upper())

    def _reprint(self, number: str) -> None:
        answer = self._issued.for_reprint(self._clock().date(), number)
        if answer is None or answer.ticket is None:
            self._notice(Notice("reprint_unknown", (), Screen.REPRINT))
            return
        if self.printer is None:
            self._notice(Notice("reprint_failed", (), Screen.HOME))
            return
        # Counted on disk before it is spooled: a power cut between the two costs the citizen
        # this reprint (the counter has its own), never gives a second one.
        self._issued.reprinted(self._clock().date(), number)
        windows = self.state.hall.windows_of(answer.ticket.business)
        if not self.printer.print_ticket(answer, windows, reprint=True):
            self._notice(Notice("reprint_failed", (), Screen.HOME))
            return
        self._notice(Notice("reprint_done", (("number", number),), Screen.HOME))

    # -- answers -------------------------------------------------------------------------------

    @Slot(str, object)
    @polite
    def _on_answer(self, tag: str, result: object) -> None:
        from hall.protocol import messages as m

        if self.state.screen is not Screen.BUSY:
            return  # the citizen left (idle reset): nothing personal may come back on screen
        back = {"ticket": Screen.HOME, "appointment": Screen.APPOINTMENT,
                "rating": Screen.RATE_SCAN, "complaint": Screen.COMPLAINT_CONFIRM,
                "lookup": Screen.LOOKUP, "rating_code": Screen.RATE_SCAN,
                "follow_up": Screen.RATE_SCAN}[tag]
        if isinstance(result, Unreachable):
            self._notice(Notice("unreachable", (), back))
        elif isinstance(result, m.Rejected) and (result.detail or {}).get(
                "reason") == "phone_needed":
            self._go(Screen.APPOINTMENT_PHONE, typed="",
                     appointment_code=self.state.appointment_code)
        elif isinstance(result, m.Rejected):
            self._notice(explain(result, back))
        elif isinstance(result, m.TicketAnswer) and result.ticket is not None:
            windows = self.state.hall.windows_of(result.ticket.business)
            self._issued.remember(result)
            printed = self.printer.print_ticket(result, windows) if self.printer else False
            self._go(Screen.TICKET, ticket=TicketResult.of(result, printed, windows))
        elif isinstance(result, m.RatingCodeAnswer):
            self._last_scan = ("", 0.0)
            self.rating_code_answered(result)
        elif isinstance(result, m.Accepted) and tag == "rating" or isinstance(
                result, m.LoopAnswer) and tag == "follow_up":
            # Thanked, the citizen's code and choices are forgotten.
            key = "rate_thanks" if tag == "rating" else "follow_up_thanks"
            self._go(Screen.MESSAGE, notice=Notice(key, (), Screen.HOME), rating=RatingDraft())
        elif isinstance(result, m.ComplaintAnswer) and tag == "complaint":
            printed = (self.printer.print_complaint(result, self.state.complaint)
                       if self.printer else False)
            self._go(Screen.COMPLAINT_DONE, complaint_result=ComplaintResult(
                result.tracking_number, result.category, result.status, result.registered_at,
                result.answer_due, printed))
        elif isinstance(result, m.ComplaintAnswer):
            self._go(Screen.PROGRESS, complaint_result=ComplaintResult(
                result.tracking_number, result.category, result.status, result.registered_at,
                result.answer_due))
        else:
            self._notice(Notice("failed", (), back))

    # -- the hall ------------------------------------------------------------------------------

    @Slot(str, object)
    @polite
    def _receive(self, topic: str, message: object) -> None:
        h = hall_after(self.state.hall, message)
        if h is None:
            return
        self._set(replace(self.state, hall=h))

    @Slot(bool)
    @polite
    def _printer_changed(self, needs_a_human: bool) -> None:
        """A slip said to be printing did not come out (the printer found it has no paper or
        went offline): the screen says so, with what to do, while the citizen is still there."""
        if needs_a_human:
            self._set(with_print_failed(self.state))

    @Slot()
    @polite
    def _check_link(self) -> None:
        connected = self._is_connected()
        if connected != self.state.hall.connected:
            self._set(replace(self.state, hall=replace(self.state.hall, connected=connected)))
