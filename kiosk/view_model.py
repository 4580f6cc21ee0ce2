"""The kiosk's view-model: the citizen's intents in, the state to draw out; the bus off-thread."""
from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, Protocol, cast

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from kiosk.guide_index import GuideIndex
from kiosk.request_worker import Requester, RequestWorker, Unreachable
from kiosk.screen_state import (
    ComplaintDraft,
    ComplaintResult,
    HallView,
    KioskState,
    Notice,
    Purpose,
    RatingDraft,
    Screen,
    TicketResult,
    check_scanned_rating,
    explain,
    toggled,
    tracking_number_of,
)
from kiosk.spoken import spoken_text
from kiosk.texts import Lang

if TYPE_CHECKING:
    from hall.core.guides import ServiceGuide
    from hall.protocol import messages as m

logger = logging.getLogger(__name__)
P = ParamSpec("P")
# The wire schema is imported by the slots that send or read messages: the first screen is painted
# before it is loaded (cold start).
SCANNING_SCREENS = (Screen.APPOINTMENT, Screen.RATE_SCAN)
MAX_TYPED = {Screen.APPOINTMENT: 20, Screen.GUIDE_SEARCH: 12, Screen.LOOKUP: 12,
             Screen.COMPLAINT_NAME: 1}
MAX_PHONE_DIGITS = 16
# The same code held in front of the camera is read many times a second: act on it once.
RESCAN_QUIET_S = 3.0


class SlipPrinter(Protocol):
    """The kiosk's receipt printer; each call returns False when a human must look at it."""

    def print_ticket(self, answer: m.TicketAnswer) -> bool: ...

    def print_guide(self, guide: ServiceGuide) -> bool: ...

    def print_complaint(self, answer: m.ComplaintAnswer, draft: ComplaintDraft) -> bool: ...


def polite(method: Callable[Concatenate[KioskViewModel, P], None]
           ) -> Callable[Concatenate[KioskViewModel, P], None]:
    """A fault in a slot shows the polite failure screen, never a traceback."""

    def run(self: KioskViewModel, *args: P.args, **kwargs: P.kwargs) -> None:
        try:
            method(self, *args, **kwargs)
        except Exception:
            logger.exception("%s failed", method.__name__)
            self._notice(Notice("failed", (), Screen.HOME))

    # The slot keeps its own name in Qt's meta-object.
    return cast("Callable[Concatenate[KioskViewModel, P], None]", functools.wraps(method)(run))


class KioskViewModel(QObject):
    state_changed = Signal(object)
    speak_requested = Signal(str)
    # From other threads; Qt delivers them queued on the GUI thread.
    message_arrived = Signal(str, object)
    _answered = Signal(str, object)

    def __init__(self, *, hall_id: str, guides: GuideIndex, requester: Requester,
                 printer: SlipPrinter | None, clock: Callable[[], datetime],
                 priority_reasons: tuple[tuple[str, str], ...],
                 is_connected: Callable[[], bool] = lambda: True,
                 idle_timeout_s: float = 60.0, hall_name_zh: str = "") -> None:
        super().__init__()
        self.hall_id = hall_id
        self.guides = guides
        self.printer = printer
        self.priority_reasons = priority_reasons
        self._clock = clock
        self._is_connected = is_connected
        self.state = KioskState(hall=HallView(name_zh=hall_name_zh))
        self._last_scan = ("", 0.0)
        self.message_arrived.connect(self._receive)
        self._answered.connect(self._on_answer)
        self._worker = RequestWorker(requester, self._answered.emit)
        self._worker.start()
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(int(idle_timeout_s * 1000))
        self._idle.timeout.connect(self.idle_reset)
        self._link = QTimer(self)
        self._link.timeout.connect(self._check_link)
        self._link.start(1000)

    def stop(self) -> None:
        self._idle.stop()
        self._link.stop()
        self._worker.stop()
        self._worker.join(timeout=15)

    # -- state ---------------------------------------------------------------------------------

    def _set(self, state: KioskState) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    def _go(self, screen: Screen, **changes: Any) -> None:
        self._set(replace(self.state, screen=screen, **changes))

    def _notice(self, notice: Notice) -> None:
        self._go(Screen.MESSAGE, notice=notice)

    @property
    def is_scanning(self) -> bool:
        return self.state.screen in SCANNING_SCREENS

    # -- every screen --------------------------------------------------------------------------

    @Slot()
    @polite
    def touched(self) -> None:
        """Any touch: the idle countdown starts again."""
        self._idle.start()

    @Slot()
    @polite
    def idle_reset(self) -> None:
        """Back to the home screen for the next citizen, forgetting everything personal."""
        self._last_scan = ("", 0.0)
        self._set(self.state.fresh())

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

    @Slot(str)
    @polite
    def press_key(self, key: str) -> None:
        s = self.state
        if s.screen is Screen.COMPLAINT_PHONE:
            if key.isdigit() and len(s.complaint.phone) < MAX_PHONE_DIGITS:
                self._set(replace(s, complaint=replace(s.complaint, phone=s.complaint.phone + key)))
            return
        limit = MAX_TYPED.get(s.screen, 0)
        if s.screen is Screen.COMPLAINT_NAME:
            self._set(replace(s, typed=key.lower()))
        elif len(s.typed) < limit:
            self._set(replace(s, typed=s.typed + key))

    @Slot()
    @polite
    def delete_key(self) -> None:
        s = self.state
        if s.screen is Screen.COMPLAINT_PHONE:
            self._set(replace(s, complaint=replace(s.complaint, phone=s.complaint.phone[:-1])))
        else:
            self._set(replace(s, typed=s.typed[:-1]))

    @Slot()
    @polite
    def clear_typed(self) -> None:
        s = self.state
        if s.screen is Screen.COMPLAINT_PHONE:
            self._set(replace(s, complaint=replace(s.complaint, phone="")))
        else:
            self._set(replace(s, typed=""))

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
            self._go(Screen.GUIDE, guide_code=code, guide_printed=None)
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
            printed = self.printer.print_guide(guide) if self.printer else False
            self._set(replace(self.state, guide_printed=printed))

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
        else:
            self._rating_code(text)

    @Slot()
    @polite
    def submit_code(self) -> None:
        if self.state.typed:
            self._check_in(self.state.typed)

    def _check_in(self, code: str) -> None:
        from hall.protocol import messages as m

        self._go(Screen.BUSY, busy_key="busy_ticket", purpose=Purpose.TICKET)
        self._worker.submit("appointment", m.CheckInAppointment, code=code)

    def _rating_code(self, scanned: str) -> None:
        token, problem = check_scanned_rating(scanned, self.hall_id, self._clock())
        if problem:
            self._notice(Notice(problem, (), Screen.RATE_SCAN))
        else:
            self._go(Screen.RATE_LEVEL, rating=RatingDraft(token=token))

    @Slot(object)
    @polite
    def choose_level(self, level: m.RatingLevel) -> None:
        r = self.state.rating
        self._go(Screen.RATE_DETAILS, rating=RatingDraft(r.token, level, r.sub_scores,
                                                         r.reasons if level.is_bad else ()))

    @Slot(str, object)
    @polite
    def choose_sub_score(self, indicator: str, level: m.RatingLevel) -> None:
        self._set(replace(self.state, rating=self.state.rating.with_sub_score(indicator, level)))

    @Slot(str)
    @polite
    def toggle_rating_reason(self, reason: str) -> None:
        self._set(replace(self.state, rating=self.state.rating.with_reason_toggled(reason)))

    @Slot()
    @polite
    def submit_rating(self) -> None:
        from hall.protocol import messages as m

        r = self.state.rating
        if r.level is None:
            return
        if not r.can_submit:
            self._notice(Notice("rate_reason_needed", (), Screen.RATE_DETAILS))
            return
        self._go(Screen.BUSY, busy_key="busy")
        self._worker.submit("rating", m.SubmitRating, rating_token=r.token, level=r.level,
                            sub_scores=dict(r.sub_scores) or None, reasons=r.reasons)

    # -- complaints ----------------------------------------------------------------------------

    @Slot(object)
    @polite
    def choose_complaint_category(self, category: m.ComplaintCategory) -> None:
        self._go(Screen.COMPLAINT_REASONS, complaint=replace(self.state.complaint,
                                                             category=category))

    @Slot(str)
    @polite
    def toggle_complaint_reason(self, reason: str) -> None:
        c = self.state.complaint
        self._set(replace(self.state, complaint=replace(c, reasons=toggled(c.reasons, reason))))

    @Slot(str)
    @polite
    def choose_surname(self, surname: str) -> None:
        c = self.state.complaint
        self._set(replace(self.state, complaint=replace(c, surname=surname,
                                                        title_key=c.title_key or "title_ms")))

    @Slot(str)
    @polite
    def choose_title(self, title_key: str) -> None:
        self._set(replace(self.state, complaint=replace(self.state.complaint, title_key=title_key)))

    @Slot()
    @polite
    def skip_contact(self) -> None:
        self._go(Screen.COMPLAINT_CONFIRM, complaint=replace(self.state.complaint, surname="",
                                                             title_key="", phone=""))

    @Slot()
    @polite
    def file_complaint(self) -> None:
        from hall.protocol import messages as m

        c = self.state.complaint
        if c.category is None or not c.reasons:
            return
        self._go(Screen.BUSY, busy_key="busy")
        self._worker.submit("complaint", m.FileComplaint, category=c.category, reasons=c.reasons,
                            name=c.name, phone=c.phone)

    @Slot()
    @polite
    def look_up(self) -> None:
        from hall.protocol import messages as m

        if self.state.typed:
            self._go(Screen.BUSY, busy_key="busy")
            self._worker.submit("lookup", m.LookupComplaint,
                                tracking_number=tracking_number_of(self.state.typed))

    # -- answers -------------------------------------------------------------------------------

    @Slot(str, object)
    @polite
    def _on_answer(self, tag: str, result: object) -> None:
        from hall.protocol import messages as m

        if self.state.screen is not Screen.BUSY:
            return  # the citizen left (idle reset): nothing personal may come back on screen
        back = {"ticket": Screen.HOME, "appointment": Screen.APPOINTMENT,
                "rating": Screen.RATE_SCAN, "complaint": Screen.COMPLAINT_CONFIRM,
                "lookup": Screen.LOOKUP}[tag]
        if isinstance(result, Unreachable):
            self._notice(Notice("unreachable", (), back))
        elif isinstance(result, m.Rejected):
            self._notice(explain(result, back))
        elif isinstance(result, m.TicketAnswer) and result.ticket is not None:
            printed = self.printer.print_ticket(result) if self.printer else False
            self._go(Screen.TICKET, ticket=TicketResult.of(result, printed))
        elif isinstance(result, m.Accepted) and tag == "rating":
            self._notice(Notice("rate_thanks", (), Screen.HOME))
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
        from hall.protocol import messages as m

        h = self.state.hall
        if isinstance(message, m.QueueSnapshot):
            h = replace(h, queue=message)
        elif isinstance(message, m.HallInfo):
            h = replace(h, name_zh=message.name_zh, name_en=message.name_en,
                        next_opens_at=message.next_opens_at)
        elif isinstance(message, m.WindowState):
            windows = dict(h.windows)
            windows[message.window] = message.status
            h = replace(h, windows=tuple(sorted(windows.items())))
        elif isinstance(message, m.Presence) and message.role is m.Role.CONTROLLER:
            h = replace(h, controller_online=message.status is not m.DeviceStatus.OFFLINE)
        else:
            return
        self._set(replace(self.state, hall=h))

    @Slot()
    @polite
    def _check_link(self) -> None:
        connected = self._is_connected()
        if connected != self.state.hall.connected:
            self._set(replace(self.state, hall=replace(self.state.hall, connected=connected)))
