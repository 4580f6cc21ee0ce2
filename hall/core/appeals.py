"""申诉复核 and 复核抽查: staff appeal a rating; a yearly random re-check of real-name bad ratings.

Document 002 §五.一, 五.三, 六.一: a mis-rating (误评) or malicious rating (恶意差评) found on
review is not counted; the rating itself stays in the record, marked, with who decided and why.
At least 5% of the year's real-name bad ratings are re-checked, drawn at random: the draw is
seeded and recorded, so anyone can draw it again and get the same ratings.
"""
from __future__ import annotations

import enum
import hashlib
import math
import random
from dataclasses import dataclass, replace
from datetime import datetime

from hall.core.cases import MAX_NOTE_CHARS, CaseRefused
from hall.core.ratings import Rating
from hall.core.work_calendar import WorkCalendar


@enum.unique
class ExclusionKind(enum.StrEnum):
    MIS_RATING = "mis_rating"
    MALICIOUS = "malicious"


EXCLUSION_ZH = {ExclusionKind.MIS_RATING: "误评", ExclusionKind.MALICIOUS: "恶意差评"}


@enum.unique
class DeciderRole(enum.StrEnum):
    MANAGER = "manager"
    SUPERVISOR = "supervisor"


@dataclass(frozen=True, slots=True)
class Appeal:
    appeal_id: str
    rating_id: str
    staff_id: str
    reason: str
    filed_by: str
    filed_at: datetime
    decided_by: str = ""
    decided_at: datetime | None = None
    upheld: bool | None = None
    exclusion: ExclusionKind | None = None
    decision_reason: str = ""

    @property
    def pending(self) -> bool:
        return self.decided_at is None


def file_appeal(rating: Rating, *, appeal_id: str, filed_by: str, reason: str,
                pending_or_upheld: bool, window_working_days: int, calendar: WorkCalendar,
                now: datetime) -> Appeal:
    """A clerk's appeal of a rating of their own service, within the working-day window."""
    if filed_by != rating.staff_id:
        raise CaseRefused("a clerk appeals only ratings of their own services",
                          reason="not_own_rating")
    if pending_or_upheld:
        raise CaseRefused("this rating already has an appeal", reason="already_appealed")
    if not reason.strip():
        raise CaseRefused("say why the rating is wrong", reason="reason")
    if len(reason) > MAX_NOTE_CHARS:
        raise CaseRefused(f"at most {MAX_NOTE_CHARS} characters", reason="reason")
    used = calendar.working_days_between(rating.rated_at.date(), now.date())
    if used > window_working_days:
        raise CaseRefused(f"appeals are taken within {window_working_days} working days",
                          reason="too_late", working_days=used)
    return Appeal(appeal_id=appeal_id, rating_id=rating.rating_id, staff_id=rating.staff_id,
                  reason=reason.strip(), filed_by=filed_by, filed_at=now)


def decide_appeal(appeal: Appeal, *, decided_by: str, role: DeciderRole, case_owner: str,
                  upheld: bool, exclusion: ExclusionKind | None, reason: str,
                  now: datetime) -> Appeal:
    """复核: by a manager other than the case's owner and the appellant, or by a supervisor."""
    if not appeal.pending:
        raise CaseRefused("this appeal was already decided", reason="already_decided")
    if decided_by == appeal.filed_by:
        raise CaseRefused("nobody decides their own appeal", reason="not_impartial")
    if role is DeciderRole.MANAGER and decided_by == case_owner:
        raise CaseRefused("the case owner cannot decide its appeal: another manager or a "
                          "supervisor does", reason="not_impartial")
    if not reason.strip():
        raise CaseRefused("a decision needs its reason", reason="reason")
    if len(reason) > MAX_NOTE_CHARS:
        raise CaseRefused(f"at most {MAX_NOTE_CHARS} characters", reason="reason")
    if upheld and exclusion is None:
        raise CaseRefused("an upheld appeal says 误评 or 恶意差评", reason="exclusion")
    return replace(appeal, decided_by=decided_by, decided_at=now, upheld=upheld,
                   exclusion=exclusion if upheld else None, decision_reason=reason.strip())


@dataclass(frozen=True, slots=True)
class RecheckDraw:
    year: int
    seed: str
    population: int
    share: float
    drawn: tuple[str, ...]
    drawn_by: str
    drawn_at: datetime


def draw_recheck(year: int, rating_ids: list[str], *, share: float, seed: str, drawn_by: str,
                 now: datetime) -> RecheckDraw:
    """At least `share` (rounded up, at least one if any) of the year's real-name bad ratings.

    The same year, ratings and seed always draw the same ones: the ids are sorted first and the
    generator is seeded from the year and the recorded seed.
    """
    population = sorted(set(rating_ids))
    size = min(len(population), max(1, math.ceil(share * len(population)))) if population else 0
    digest = hashlib.sha256(f"{year}:{seed}".encode()).hexdigest()
    drawn = tuple(sorted(random.Random(int(digest, 16)).sample(population, size)))
    return RecheckDraw(year=year, seed=seed, population=len(population), share=share,
                       drawn=drawn, drawn_by=drawn_by, drawn_at=now)
