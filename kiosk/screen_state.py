"""What the kiosk shows, as pure values: the screen, the citizen's choices so far, the answers.

No Qt here: the view-model changes the state, the view draws it, tests read it.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from kiosk.texts import Lang

if TYPE_CHECKING:
    # Only names of types here: the wire schema is loaded after the first screen is painted.
    from hall.protocol import messages as m


@enum.unique
class Screen(enum.StrEnum):
    HOME = "home"
    CATEGORIES = "categories"
    ITEMS = "items"
    PRIORITY_REASONS = "priority_reasons"
    BUSY = "busy"
    TICKET = "ticket"
    APPOINTMENT = "appointment"
    GUIDE_SEARCH = "guide_search"
    GUIDE = "guide"
    STATUS = "status"
    RATE_SCAN = "rate_scan"
    RATE_LEVEL = "rate_level"
    RATE_DETAILS = "rate_details"
    COMPLAINT_CATEGORY = "complaint_category"
    COMPLAINT_REASONS = "complaint_reasons"
    COMPLAINT_NAME = "complaint_name"
    COMPLAINT_PHONE = "complaint_phone"
    COMPLAINT_CONFIRM = "complaint_confirm"
    COMPLAINT_DONE = "complaint_done"
    LOOKUP = "lookup"
    PROGRESS = "progress"
    MESSAGE = "message"


@enum.unique
class Purpose(enum.StrEnum):
    """Why the citizen is choosing a business: a ticket, a 绿色通道 ticket, or its guide."""

    TICKET = "ticket"
    PRIORITY = "priority"
    GUIDE = "guide"


@dataclass(frozen=True, slots=True)
class TicketResult:
    number: str
    business_zh: str
    business_en: str
    people_ahead: int
    est_wait_min: int | None
    kind: str
    printed: bool
    est_wait_low_min: int | None = None
    est_wait_high_min: int | None = None

    @classmethod
    def of(cls, answer: m.TicketAnswer, printed: bool) -> TicketResult:
        t = answer.ticket
        if t is None:
            raise ValueError("a ticket answer without a ticket")
        return cls(t.number, t.business_zh, t.business_en, answer.people_ahead,
                   answer.est_wait_min, t.kind.value, printed, answer.est_wait_low_min,
                   answer.est_wait_high_min)


@dataclass(frozen=True, slots=True)
class RatingDraft:
    token: str = ""
    level: m.RatingLevel | None = None
    sub_scores: tuple[tuple[str, m.RatingLevel], ...] = ()
    reasons: tuple[str, ...] = ()

    def with_sub_score(self, indicator: str, level: m.RatingLevel) -> RatingDraft:
        scores = dict(self.sub_scores)
        if scores.get(indicator) is level:
            scores.pop(indicator)  # a second tap takes it back: sub-indicators are optional
        else:
            scores[indicator] = level
        return RatingDraft(self.token, self.level, tuple(sorted(scores.items())), self.reasons)

    def with_reason_toggled(self, reason: str) -> RatingDraft:
        return RatingDraft(self.token, self.level, self.sub_scores, _toggled(self.reasons, reason))

    @property
    def can_submit(self) -> bool:
        return self.level is not None and (not self.level.is_bad or bool(self.reasons))


@dataclass(frozen=True, slots=True)
class ComplaintDraft:
    category: m.ComplaintCategory | None = None
    reasons: tuple[str, ...] = ()
    surname: str = ""
    title_key: str = ""
    phone: str = ""

    @property
    def name(self) -> str:
        return self.surname + (TITLE_ZH.get(self.title_key, "") if self.surname else "")


TITLE_ZH = {"title_mr": "先生", "title_ms": "女士"}


@dataclass(frozen=True, slots=True)
class ComplaintResult:
    tracking_number: str
    category: m.ComplaintCategory
    status: str
    registered_at: datetime
    answer_due: date
    printed: bool = False


@dataclass(frozen=True, slots=True)
class Notice:
    """A message screen: the text to show and where OK leads."""

    key: str
    values: tuple[tuple[str, str], ...] = ()
    back: Screen = Screen.HOME


@dataclass(frozen=True, slots=True)
class HallView:
    """What the hall publishes that the kiosk shows; kept across idle resets (nothing personal)."""

    name_zh: str = ""
    name_en: str = ""
    queue: m.QueueSnapshot | None = None
    windows: tuple[tuple[int, m.WindowStatus], ...] = ()
    controller_online: bool = True
    connected: bool = False

    @property
    def is_open(self) -> bool:
        return self.queue is None or self.queue.is_open

    @property
    def open_windows(self) -> tuple[int, ...]:
        from hall.core.ids import WindowStatus

        return tuple(n for n, status in self.windows if status is not WindowStatus.CLOSED)

    def waiting(self, code: str) -> int | None:
        if self.queue is None:
            return None
        return next((b.waiting for b in self.queue.businesses if b.code == code), None)


@dataclass(frozen=True, slots=True)
class KioskState:
    screen: Screen = Screen.HOME
    lang: Lang = Lang.ZH
    large: bool = False
    purpose: Purpose = Purpose.TICKET
    category: str = ""
    priority_reason: str = ""
    typed: str = ""
    busy_key: str = "busy"
    ticket: TicketResult | None = None
    guide_code: str = ""
    guide_printed: bool | None = None
    rating: RatingDraft = RatingDraft()
    complaint: ComplaintDraft = ComplaintDraft()
    complaint_result: ComplaintResult | None = None
    notice: Notice | None = None
    hall: HallView = field(default_factory=HallView)

    def fresh(self) -> KioskState:
        """The home screen for the next citizen: everything personal gone, the hall kept."""
        return KioskState(hall=self.hall)


def _toggled(items: tuple[str, ...], item: str) -> tuple[str, ...]:
    return tuple(i for i in items if i != item) if item in items else (*items, item)


def toggled(items: tuple[str, ...], item: str) -> tuple[str, ...]:
    return _toggled(items, item)


def explain(answer: m.Rejected, back: Screen = Screen.HOME) -> Notice:
    """The citizen's explanation of a refusal; the stable `code` and `reason` pick the words."""
    reason = (answer.detail or {}).get("reason", "")
    if answer.code == "invalid_appointment":
        if reason == "too_early":
            earliest = (answer.detail or {}).get("earliest", "")
            at = earliest[11:16] if len(earliest) >= 16 else earliest
            return Notice("appt_too_early", (("time", at),), back)
        key = {"used": "appt_used", "expired": "appt_expired"}.get(reason, "appt_unknown")
        return Notice(key, (), back)
    if answer.code == "invalid_rating_token":
        return Notice("rate_code_expired" if reason == "expired" else "rate_code_bad", (), back)
    if answer.code == "rating_refused":
        key = {"already_rated": "rate_already", "not_finished": "rate_not_finished",
               "expired": "rate_code_expired", "reason_required": "rate_reason_needed",
               "other_hall": "rate_code_bad"}.get(reason, "failed")
        return Notice(key, (), back)
    if answer.code == "unknown_ticket":
        return Notice("rate_code_bad", (), back)
    if answer.code == "unknown_complaint":
        return Notice("lookup_unknown", (), back)
    if answer.code in ("hall_closed", "numbers_exhausted"):
        return Notice(answer.code, (), back)
    if answer.code == "cut_off":
        from hall.public_texts import next_opening_zh

        opening = (answer.detail or {}).get("next_opening", "")
        when = next_opening_zh(datetime.fromisoformat(opening)) if opening else ""
        return Notice("cut_off_full" if reason == "manager" else "cut_off_late",
                      (("next", when),), back)
    return Notice("failed", (), back)


def check_scanned_rating(scanned: str, hall_id: str, now: datetime) -> tuple[str, str]:
    """(token, "") for a rating code of this hall still open, else ("", text key of the problem).

    Only the signature is the controller's to check; expiry and hall are written in the token in
    clear, so the citizen hears at once rather than after rating.
    """
    from hall.core.rating_token import TOKEN_VERSION, token_from_scan

    token = token_from_scan(scanned)
    parts = token.split(".")
    if len(parts) != 5 or parts[0] != TOKEN_VERSION or parts[1] != hall_id:
        return "", "rate_code_bad"
    try:
        valid_until_s = int(parts[3])
    except ValueError:
        return "", "rate_code_bad"
    if now.timestamp() > valid_until_s:
        return "", "rate_code_expired"
    return token, ""


def tracking_number_of(digits: str) -> str:
    """The tracking number typed as its twelve digits: TS20261124-0001."""
    return f"TS{digits[:8]}-{digits[8:]}" if len(digits) > 8 else f"TS{digits}"


def mask_phone_typed(phone: str) -> str:
    """A phone as read back on the public screen: 138****5678."""
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:] if len(phone) >= 7 else "*" * len(phone)


def back_of(state: KioskState) -> Screen:
    """Where 上一步 leads from each screen."""
    if state.screen is Screen.CATEGORIES and state.purpose is Purpose.PRIORITY:
        return Screen.PRIORITY_REASONS
    if state.screen is Screen.GUIDE:
        return Screen.ITEMS if state.category else Screen.GUIDE_SEARCH
    return {
        Screen.ITEMS: Screen.CATEGORIES, Screen.GUIDE_SEARCH: Screen.CATEGORIES,
        Screen.RATE_LEVEL: Screen.RATE_SCAN, Screen.RATE_DETAILS: Screen.RATE_LEVEL,
        Screen.COMPLAINT_REASONS: Screen.COMPLAINT_CATEGORY,
        Screen.COMPLAINT_NAME: Screen.COMPLAINT_REASONS,
        Screen.COMPLAINT_PHONE: Screen.COMPLAINT_NAME,
        Screen.COMPLAINT_CONFIRM: Screen.COMPLAINT_PHONE,
        Screen.LOOKUP: Screen.COMPLAINT_CATEGORY, Screen.PROGRESS: Screen.LOOKUP,
    }.get(state.screen, Screen.HOME)
