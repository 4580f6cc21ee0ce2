"""What the kiosk shows, as pure values: the screen, the citizen's choices so far, the answers.

No Qt here: the view-model changes the state, the view draws it, tests read it.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
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
    APPOINTMENT_PHONE = "appointment_phone"
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
    REPRINT = "reprint"
    MESSAGE = "message"
    # The closed loop: a bad rating's optional callback phone; the 追评 once its case asks.
    RATE_PHONE = "rate_phone"
    FOLLOW_UP = "follow_up"


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
    business: str = ""
    windows: tuple[int, ...] = ()
    # The 80% range of the wait, once the controller sends one (wait estimate, issue 14).
    wait_range: tuple[int, int] | None = None

    @classmethod
    def of(cls, answer: m.TicketAnswer, printed: bool,
           windows: tuple[int, ...] = ()) -> TicketResult:
        t = answer.ticket
        if t is None:
            raise ValueError("a ticket answer without a ticket")
        return cls(t.number, t.business_zh, t.business_en, answer.people_ahead,
                   answer.est_wait_min, t.kind.value, printed, t.business, windows,
                   wait_range_of(answer))


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
        return replace(self, sub_scores=tuple(sorted(scores.items())))

    def with_reason_toggled(self, reason: str) -> RatingDraft:
        return replace(self, reasons=_toggled(self.reasons, reason))

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
    # Today's sessions ("08:30-12:00") and the windows configured for each business (HallInfo).
    today: tuple[str, ...] = ()
    business_windows: tuple[tuple[str, tuple[int, ...]], ...] = ()
    # When the hall opens again (holidays and 调休 followed by the controller).
    next_opens_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.queue is None or self.queue.is_open

    @property
    def is_online(self) -> bool:
        return self.connected and self.controller_online

    def windows_of(self, code: str) -> tuple[int, ...]:
        return dict(self.business_windows).get(code, ())

    def has_open_window(self, code: str) -> bool:
        """False only when the hall is staffed but no window serves the business now. Before
        the first clerk signs in, tickets are taken for every business (the morning queue)."""
        if self.queue is None or not any(b.windows_open for b in self.queue.businesses):
            return True
        found = next((b for b in self.queue.businesses if b.code == code), None)
        return found is None or found.windows_open > 0

    @property
    def open_windows(self) -> tuple[int, ...]:
        from hall.core.ids import WindowStatus

        return tuple(n for n, status in self.windows if status is not WindowStatus.CLOSED)

    def waiting(self, code: str) -> int | None:
        if self.queue is None:
            return None
        return next((b.waiting for b in self.queue.businesses if b.code == code), None)


@dataclass(frozen=True, slots=True)
class Availability:
    """What the home screen offers now, and why not: before any tap, not after three."""

    tickets: bool = True
    online: bool = True
    reason_key: str = ""
    values: tuple[tuple[str, str], ...] = ()


def availability(hall: HallView, now: datetime) -> Availability:
    if not hall.is_online:
        return Availability(False, False, "offline_reason")
    if not hall.is_open:
        again = hall.next_opens_at
        if again is not None and again.date() == now.date():
            return Availability(False, True, "closed_reopens", (("time", f"{again:%H:%M}"),))
        if again is not None:
            return Availability(False, True, "closed_opens_on", (
                ("month", str(again.month)), ("day", str(again.day)),
                ("date", f"{again:%d %b}"), ("clock", f"{again:%H:%M}")))
        reopens = next_opening(hall.today, now)
        if reopens:
            return Availability(False, True, "closed_reopens", (("time", reopens),))
        return Availability(False, True, "closed_today")
    return Availability()


def next_opening(sessions: tuple[str, ...], now: datetime) -> str:
    """The start of today's next session after `now` ("13:30"), or "" when none is left."""
    clock = f"{now:%H:%M}"
    return next((s.partition("-")[0] for s in sessions if s.partition("-")[0] > clock), "")


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
    # Set when the screen was reached by a shortcut (a category of one item): where 上一步 leads.
    back_to: Screen | None = None
    # An appointment code the controller accepted but which needs the booking phone's last digits.
    appointment_code: str = ""
    # The idle countdown ran out once: "need more time?" is asked before the citizen is forgotten,
    # with the seconds left before that.
    asking_more_time: bool = False
    more_time_left_s: int = 0
    hall: HallView = field(default_factory=HallView)

    def fresh(self) -> KioskState:
        """The home screen for the next citizen: everything personal gone, the hall kept."""
        return KioskState(hall=self.hall)


def wait_range_of(figures: object) -> tuple[int, int] | None:
    """(low, high) minutes when the wire carries a range (`est_wait_low_min`/`_high_min`, added
    by the wait estimate); None from a controller that sends the single estimate only."""
    low = getattr(figures, "est_wait_low_min", None)
    high = getattr(figures, "est_wait_high_min", None)
    return (low, high) if isinstance(low, int) and isinstance(high, int) else None


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
        key = {"expired": "rate_code_expired", "unknown_code": "rate_code_unknown"}.get(
            reason, "rate_code_bad")
        return Notice(key, (), back)
    if answer.code == "rating_refused":
        key = {"already_rated": "rate_already", "not_finished": "rate_not_finished",
               "expired": "rate_code_expired", "reason_required": "rate_reason_needed",
               "other_hall": "rate_code_bad"}.get(reason, "failed")
        return Notice(key, (), back)
    if answer.code == "case_refused":
        key = {"already_followed_up": "follow_up_done"}.get(reason, "follow_up_not_open")
        return Notice(key, (), back)
    if answer.code == "unknown_ticket":
        return Notice("rate_code_bad", (), back)
    if answer.code == "unknown_complaint":
        return Notice("lookup_unknown", (), back)
    if answer.code == "check_in_locked":
        return Notice("appt_locked", (), Screen.HOME)
    if answer.code in ("hall_closed", "numbers_exhausted"):
        return Notice(answer.code, (), back)
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


MOBILE_DIGITS = 11


def is_mobile_number(digits: str) -> bool:
    """A mainland mobile number: eleven digits starting with 1 (13x … 19x)."""
    return len(digits) == MOBILE_DIGITS and digits.isdigit() and digits[0] == "1" and (
        digits[1] in "3456789")


def mask_phone_typed(phone: str) -> str:
    """A phone as read back on the public screen: 138****5678."""
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:] if len(phone) >= 7 else "*" * len(phone)


def back_of(state: KioskState) -> Screen:
    """Where 上一步 leads from each screen."""
    if state.back_to is not None:
        return state.back_to
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
        Screen.APPOINTMENT_PHONE: Screen.APPOINTMENT,
        Screen.RATE_PHONE: Screen.RATE_DETAILS, Screen.FOLLOW_UP: Screen.RATE_SCAN,
    }.get(state.screen, Screen.HOME)
