"""差评整改: the case every bad rating opens, through 回访 → 核实 → 整改 → 反馈 → 追评 → 办结.

Document 002 §五.一: every real-name bad rating is called back (100%), verified, fixed at once
(立行立改) or on a ledger with a deadline (限期整改) or explained (解释说明), the rater is told,
and may give one follow-up rating (追评). Each step records who and when; deadlines are working
days from the WorkCalendar.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from hall.core.errors import HallError
from hall.core.ratings import Rating, RatingLevel
from hall.core.work_calendar import WorkCalendar

MAX_NOTE_CHARS = 500


@enum.unique
class CaseState(enum.StrEnum):
    CALLBACK = "callback"
    VERIFY = "verify"
    RECTIFY = "rectify"
    FEEDBACK = "feedback"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"


CASE_STATE_ZH = {
    CaseState.CALLBACK: "待回访", CaseState.VERIFY: "待核实", CaseState.RECTIFY: "整改中",
    CaseState.FEEDBACK: "待反馈", CaseState.FOLLOW_UP: "待追评", CaseState.CLOSED: "已办结",
}


@enum.unique
class RectifyKind(enum.StrEnum):
    AT_ONCE = "at_once"
    WITH_DEADLINE = "with_deadline"
    EXPLAINED = "explained"


RECTIFY_KIND_ZH = {RectifyKind.AT_ONCE: "立行立改", RectifyKind.WITH_DEADLINE: "限期整改",
                   RectifyKind.EXPLAINED: "解释说明"}


class CaseRefused(HallError):
    """The step does not fit the case now; `reason` names why."""

    code = "case_refused"


@dataclass(frozen=True, slots=True)
class LoopPolicy:
    """The closed loop's tunables (hall.toml [closed_loop]); defaults from document 002."""

    # The manager who owns the cases of a window; `default_owner` for windows not listed.
    owners: dict[int, str] = field(default_factory=dict)
    default_owner: str = "manager"
    # 0 = at once: by the end of the working day the rating was given (or the next one).
    callback_working_days: int = 0
    feedback_working_days: int = 5
    appeal_working_days: int = 5
    recheck_share: float = 0.05
    # Complaints nearly due are announced this many working days ahead.
    warn_working_days: int = 1

    def owner_of(self, window: int) -> str:
        return self.owners.get(window, self.default_owner)


@dataclass(frozen=True, slots=True)
class CaseStep:
    """One recorded step of a case: what, by whom, when, and its details."""

    case_id: str
    step: str
    actor: str
    at: datetime
    details: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Case:
    case_id: str
    rating_id: str
    ticket_id: str
    window: int
    staff_id: str
    items: tuple[str, ...]
    reasons: tuple[str, ...]
    level: RatingLevel
    owner: str
    real_name: bool
    opened_at: datetime
    callback_due: date
    feedback_due: date
    provisional_due: bool = False
    state: CaseState = CaseState.CALLBACK
    callback_attempts: int = 0
    callback_done_at: datetime | None = None
    confirmed: bool | None = None
    rectify_kind: RectifyKind | None = None
    rectify_due: date | None = None
    rectified_at: datetime | None = None
    feedback_at: datetime | None = None
    follow_up_level: RatingLevel | None = None
    closed_at: datetime | None = None

    def is_overdue(self, today: date) -> bool:
        """Past the callback or the feedback due date without that step done."""
        if self.state is CaseState.CALLBACK and self.callback_done_at is None \
                and today > self.callback_due:
            return True
        due = max(self.feedback_due, self.rectify_due or self.feedback_due)
        return self.feedback_at is None and self.state is not CaseState.CLOSED and today > due

    @property
    def rectified_on_time(self) -> bool | None:
        """Feedback given by its due date; None while not yet given."""
        if self.feedback_at is None:
            return None
        due = max(self.feedback_due, self.rectify_due or self.feedback_due)
        return self.feedback_at.date() <= due


def open_case(rating: Rating, *, case_id: str, real_name: bool, policy: LoopPolicy,
              calendar: WorkCalendar) -> tuple[Case, CaseStep]:
    if not rating.level.is_bad:
        raise CaseRefused("only 不满意 and 非常不满意 open a case", reason="not_bad")
    day = rating.rated_at.date()
    callback = calendar.add_working_days(day, policy.callback_working_days)
    feedback = calendar.add_working_days(day, policy.feedback_working_days)
    case = Case(case_id=case_id, rating_id=rating.rating_id, ticket_id=rating.ticket_id,
                window=rating.window, staff_id=rating.staff_id, items=rating.items,
                reasons=rating.reasons, level=rating.level, owner=policy.owner_of(rating.window),
                real_name=real_name, opened_at=rating.rated_at, callback_due=callback.due,
                feedback_due=feedback.due,
                provisional_due=callback.provisional or feedback.provisional)
    return case, CaseStep(case_id, "opened", "controller", rating.rated_at,
                          {"owner": case.owner, "callback_due": callback.due.isoformat(),
                           "feedback_due": feedback.due.isoformat()})


def record_callback(case: Case, *, actor: str, channel: str, reached: bool, said: str,
                    now: datetime) -> tuple[Case, CaseStep]:
    """回访: an attempt is recorded either way; reaching the citizen moves on to 核实."""
    _expect(case, CaseState.CALLBACK, "callback")
    _bounded(said, "said")
    attempts = case.callback_attempts + 1
    after = replace(case, callback_attempts=attempts,
                    callback_done_at=now if reached else case.callback_done_at,
                    state=CaseState.VERIFY if reached else CaseState.CALLBACK)
    return after, CaseStep(case.case_id, "callback", actor, now,
                           {"channel": channel, "reached": _yes(reached), "said": said.strip(),
                            "attempt": str(attempts)})


def verify(case: Case, *, actor: str, confirmed: bool, note: str,
           now: datetime) -> tuple[Case, CaseStep]:
    """核实: after the citizen was reached, or after an attempt for an anonymous rating."""
    if case.state is CaseState.CALLBACK and case.callback_attempts == 0:
        raise CaseRefused("call the citizen back first (回访)", reason="callback_first")
    if case.state is CaseState.CALLBACK and case.real_name:
        raise CaseRefused("a real-name rating is verified after the citizen was reached",
                          reason="callback_first")
    if case.state not in (CaseState.CALLBACK, CaseState.VERIFY):
        raise CaseRefused(f"case {case.case_id} is past verification", reason="wrong_state")
    _bounded(note, "note")
    after = replace(case, confirmed=confirmed, state=CaseState.RECTIFY)
    return after, CaseStep(case.case_id, "verify", actor, now,
                           {"confirmed": _yes(confirmed), "note": note.strip()})


def rectify(case: Case, *, actor: str, kind: RectifyKind, plan: str, due: date | None,
            now: datetime) -> tuple[Case, CaseStep]:
    """整改: 立行立改 and 解释说明 are done at once; 限期整改 needs a due date and a later
    `complete_rectification`. A complaint not confirmed on verification can only be explained."""
    _expect(case, CaseState.RECTIFY, "rectify")
    if case.rectify_kind is RectifyKind.WITH_DEADLINE:
        raise CaseRefused("the deadline rectification is under way", reason="wrong_state")
    if case.confirmed is False and kind is not RectifyKind.EXPLAINED:
        raise CaseRefused("a complaint not confirmed is answered with 解释说明",
                          reason="not_confirmed")
    if not plan.strip():
        raise CaseRefused("say what was done or planned", reason="plan")
    _bounded(plan, "plan")
    details = {"kind": kind.value, "plan": plan.strip()}
    if kind is RectifyKind.WITH_DEADLINE:
        if due is None or due < now.date():
            raise CaseRefused("限期整改 needs a due date from today on", reason="due")
        details["due"] = due.isoformat()
        return (replace(case, rectify_kind=kind, rectify_due=due),
                CaseStep(case.case_id, "rectify", actor, now, details))
    after = replace(case, rectify_kind=kind, rectified_at=now, state=CaseState.FEEDBACK)
    return after, CaseStep(case.case_id, "rectify", actor, now, details)


def complete_rectification(case: Case, *, actor: str, note: str,
                           now: datetime) -> tuple[Case, CaseStep]:
    _expect(case, CaseState.RECTIFY, "complete the rectification")
    if case.rectify_kind is not RectifyKind.WITH_DEADLINE:
        raise CaseRefused("only a 限期整改 is completed later", reason="wrong_state")
    _bounded(note, "note")
    after = replace(case, rectified_at=now, state=CaseState.FEEDBACK)
    return after, CaseStep(case.case_id, "rectified", actor, now, {"note": note.strip()})


def record_feedback(case: Case, *, actor: str, channel: str, note: str,
                    now: datetime) -> tuple[Case, CaseStep]:
    """反馈: the citizen was told the outcome; one 追评 may follow."""
    _expect(case, CaseState.FEEDBACK, "give feedback")
    _bounded(note, "note")
    after = replace(case, feedback_at=now, state=CaseState.FOLLOW_UP)
    return after, CaseStep(case.case_id, "feedback", actor, now,
                           {"channel": channel, "note": note.strip(),
                            "on_time": _yes(bool(after.rectified_on_time))})


def follow_up(case: Case, *, level: RatingLevel, comment: str,
              now: datetime) -> tuple[Case, CaseStep]:
    """追评: the citizen's one follow-up rating of the same service, after the feedback."""
    if case.follow_up_level is not None:
        raise CaseRefused("this service already has its follow-up rating",
                          reason="already_followed_up")
    _expect(case, CaseState.FOLLOW_UP, "take a follow-up rating")
    if len(comment) > MAX_NOTE_CHARS:
        raise CaseRefused(f"at most {MAX_NOTE_CHARS} characters", reason="comment")
    after = replace(case, follow_up_level=level)
    return after, CaseStep(case.case_id, "follow_up", "citizen", now,
                           {"level": level.value, "comment": comment.strip()})


def close(case: Case, *, actor: str, note: str, now: datetime) -> tuple[Case, CaseStep]:
    """办结: after the feedback (a 追评 is welcome, not required)."""
    _expect(case, CaseState.FOLLOW_UP, "close")
    _bounded(note, "note")
    after = replace(case, closed_at=now, state=CaseState.CLOSED)
    return after, CaseStep(case.case_id, "closed", actor, now, {"note": note.strip()})


def reassign(case: Case, *, actor: str, owner: str, now: datetime) -> tuple[Case, CaseStep]:
    if case.state is CaseState.CLOSED:
        raise CaseRefused("the case is closed", reason="wrong_state")
    if not owner.strip() or len(owner) > 40:
        raise CaseRefused("name the new owner", reason="owner")
    return (replace(case, owner=owner.strip()),
            CaseStep(case.case_id, "reassigned", actor, now, {"owner": owner.strip()}))


def _expect(case: Case, state: CaseState, what: str) -> None:
    if case.state is not state:
        raise CaseRefused(f"case {case.case_id} is {case.state.value}: cannot {what} now",
                          reason="wrong_state", state=case.state.value)


def _bounded(text: str, name: str) -> None:
    if len(text) > MAX_NOTE_CHARS:
        raise CaseRefused(f"{name}: at most {MAX_NOTE_CHARS} characters", reason=name)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
