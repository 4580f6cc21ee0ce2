"""The citizen's intents on the kiosk's forms: 好差评 (by scanned or typed code) and complaints.

A part of `KioskViewModel`, which supplies the state, the screen changes and the request worker.
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, Protocol, TypeVar, cast

from kiosk.request_worker import RequestWorker
from kiosk.screen_state import (
    MOBILE_DIGITS,
    KioskState,
    Notice,
    RatingDraft,
    Screen,
    check_scanned_rating,
    is_mobile_number,
    toggled,
    tracking_number_of,
)

if TYPE_CHECKING:
    from hall.protocol import messages as m

logger = logging.getLogger(__name__)
P = ParamSpec("P")
# The longest text each screen's keyboard takes.
MAX_TYPED = {Screen.APPOINTMENT: 20, Screen.APPOINTMENT_PHONE: 4, Screen.GUIDE_SEARCH: 12,
             Screen.LOOKUP: 12, Screen.COMPLAINT_NAME: 1, Screen.RATE_SCAN: 12, Screen.REPRINT: 4,
             Screen.RATE_PHONE: MOBILE_DIGITS}
MAX_PHONE_DIGITS = 16


class _Notifies(Protocol):
    def _notice(self, notice: Notice) -> None: ...


S = TypeVar("S", bound=_Notifies)


def polite(method: Callable[Concatenate[S, P], None]) -> Callable[Concatenate[S, P], None]:
    """A fault in a slot shows the polite failure screen, never a traceback."""

    def run(self: S, *args: P.args, **kwargs: P.kwargs) -> None:
        try:
            method(self, *args, **kwargs)
        except Exception:
            logger.exception("%s failed", method.__name__)
            self._notice(Notice("failed", (), Screen.HOME))

    # The slot keeps its own name in Qt's meta-object.
    return cast("Callable[Concatenate[S, P], None]", functools.wraps(method)(run))


class FormIntents:
    """Ratings and complaints; the view-model provides what is declared here."""

    state: KioskState
    hall_id: str
    _worker: RequestWorker
    _clock: Callable[[], datetime]

    def _set(self, state: KioskState) -> None:
        raise NotImplementedError

    def _go(self, screen: Screen, **changes: Any) -> None:
        raise NotImplementedError

    def _notice(self, notice: Notice) -> None:
        raise NotImplementedError

    # -- typing on the on-screen keyboards -----------------------------------------------------

    @polite
    def press_key(self, key: str) -> None:
        s = self.state
        if s.screen is Screen.COMPLAINT_PHONE:
            if key.isdigit() and len(s.complaint.phone) < MAX_PHONE_DIGITS:
                self._set(replace(s, complaint=replace(s.complaint, phone=s.complaint.phone + key)))
            return
        limit = MAX_TYPED.get(s.screen, 0)
        typed = s.typed if s.typed.isascii() else ""  # letters replace a tapped word
        if s.screen is Screen.COMPLAINT_NAME:
            self._set(replace(s, typed=key.lower()))
        elif len(typed) < limit:
            self._set(replace(s, typed=typed + key))

    @polite
    def delete_key(self) -> None:
        s = self.state
        if s.screen is Screen.COMPLAINT_PHONE:
            self._set(replace(s, complaint=replace(s.complaint, phone=s.complaint.phone[:-1])))
        else:
            self._set(replace(s, typed=s.typed[:-1]))

    @polite
    def clear_typed(self) -> None:
        s = self.state
        if s.screen is Screen.COMPLAINT_PHONE:
            self._set(replace(s, complaint=replace(s.complaint, phone="")))
        else:
            self._set(replace(s, typed=""))

    # -- 好差评 ---------------------------------------------------------------------------------

    @polite
    def submit_rating_code(self) -> None:
        """The receipt's short code typed (no camera, or a code the camera cannot read): the
        controller, which holds the key, finds the receipt's token."""
        from hall.core.rating_code import parse_typed_code
        from hall.protocol import messages as m

        typed = self.state.typed
        if not typed:
            return
        if parse_typed_code(typed) is None:
            self._notice(Notice("rate_code_unknown", (), Screen.RATE_SCAN))
            return
        self._go(Screen.BUSY, busy_key="busy")
        self._worker.submit("rating_code", m.RedeemRatingCode, code=typed)

    def _rating_code(self, scanned: str) -> None:
        """A receipt held to the camera: rated now, or its case's 追评 days later. A code of
        another hall or damaged is explained at once; the controller says which (an expired
        code may still be the 追评's)."""
        from hall.core.rating_token import token_from_scan
        from hall.protocol import messages as m

        _, problem = check_scanned_rating(scanned, self.hall_id, self._clock())
        if problem == "rate_code_bad":
            self._notice(Notice(problem, (), Screen.RATE_SCAN))
            return
        self._go(Screen.BUSY, busy_key="busy")
        self._worker.submit("rating_code", m.CheckRatingCode,
                            rating_token=token_from_scan(scanned))

    def rating_code_answered(self, answer: m.RatingCodeAnswer) -> None:
        """What the receipt can do now, as the controller knows it."""
        draft = RatingDraft(token=answer.rating_token)
        if answer.stage == "follow_up":
            self._go(Screen.FOLLOW_UP, rating=draft)
        elif answer.stage == "followed_up":
            self._notice(Notice("follow_up_done", (), Screen.HOME))
        else:
            self._go(Screen.RATE_LEVEL, rating=draft)

    @polite
    def choose_level(self, level: m.RatingLevel) -> None:
        r = self.state.rating
        self._go(Screen.RATE_DETAILS, rating=RatingDraft(r.token, level, r.sub_scores,
                                                         r.reasons if level.is_bad else ()))

    @polite
    def choose_sub_score(self, indicator: str, level: m.RatingLevel) -> None:
        self._set(replace(self.state, rating=self.state.rating.with_sub_score(indicator, level)))

    @polite
    def toggle_rating_reason(self, reason: str) -> None:
        self._set(replace(self.state, rating=self.state.rating.with_reason_toggled(reason)))

    @polite
    def submit_rating(self) -> None:
        from hall.protocol import messages as m

        r = self.state.rating
        if r.level is None:
            return
        if not r.can_submit:
            self._notice(Notice("rate_reason_needed", (), Screen.RATE_DETAILS))
            return
        if r.level.is_bad and self.state.screen is Screen.RATE_DETAILS:
            # A bad rating is called back (回访) if the citizen wishes: the number is optional.
            self._go(Screen.RATE_PHONE, typed="")
            return
        phone = self.state.typed if self.state.screen is Screen.RATE_PHONE else ""
        if phone and not is_mobile_number(phone):
            return  # the screen says what is wrong; 不留电话 submits without it
        self._go(Screen.BUSY, busy_key="busy", typed="")
        extra = {"callback_phone": phone} if phone else {}
        self._worker.submit("rating", m.SubmitRating, rating_token=r.token, level=r.level,
                            sub_scores=dict(r.sub_scores) or None, reasons=r.reasons, **extra)

    @polite
    def submit_rating_without_phone(self) -> None:
        self._set(replace(self.state, typed=""))
        self.submit_rating()

    # -- 追评 -------------------------------------------------------------------------------

    @polite
    def choose_follow_up_level(self, level: m.RatingLevel) -> None:
        self._set(replace(self.state, rating=replace(self.state.rating, level=level)))

    @polite
    def submit_follow_up(self) -> None:
        from hall.protocol import messages as m

        r = self.state.rating
        if r.level is None or not r.token:
            return
        self._go(Screen.BUSY, busy_key="busy")
        self._worker.submit("follow_up", m.SubmitFollowUp, rating_token=r.token, level=r.level)

    # -- complaints ----------------------------------------------------------------------------

    @polite
    def choose_complaint_category(self, category: m.ComplaintCategory) -> None:
        self._go(Screen.COMPLAINT_REASONS, complaint=replace(self.state.complaint,
                                                             category=category))

    @polite
    def toggle_complaint_reason(self, reason: str) -> None:
        c = self.state.complaint
        self._set(replace(self.state, complaint=replace(c, reasons=toggled(c.reasons, reason))))

    @polite
    def choose_surname(self, surname: str) -> None:
        c = self.state.complaint
        self._set(replace(self.state, complaint=replace(c, surname=surname,
                                                        title_key=c.title_key or "title_ms")))

    @polite
    def choose_title(self, title_key: str) -> None:
        self._set(replace(self.state, complaint=replace(self.state.complaint, title_key=title_key)))

    @polite
    def skip_contact(self) -> None:
        self._go(Screen.COMPLAINT_CONFIRM, complaint=replace(self.state.complaint, surname="",
                                                             title_key="", phone=""))

    @polite
    def file_complaint(self) -> None:
        from hall.protocol import messages as m

        c = self.state.complaint
        if c.category is None or not c.reasons:
            return
        self._go(Screen.BUSY, busy_key="busy")
        self._worker.submit("complaint", m.FileComplaint, category=c.category, reasons=c.reasons,
                            name=c.name, phone=c.phone)

    @polite
    def look_up(self) -> None:
        from hall.protocol import messages as m

        if self.state.typed:
            self._go(Screen.BUSY, busy_key="busy")
            self._worker.submit("lookup", m.LookupComplaint,
                                tracking_number=tracking_number_of(self.state.typed))
