"""The issuing cut-off: say so before a citizen takes a ticket that cannot be served today."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from hall.core.catalogue import Catalogue
from hall.core.errors import HallError
from hall.core.wait_estimate import WaitEstimate

FULL_ZH = "今日号源已满"
FULL_EN = "No more tickets for this business today"
LATE_ZH = "预计今日无法办理，建议预约或网上办理"
LATE_EN = "Likely not served today; please book an appointment or apply online"


@enum.unique
class CutoffMode(enum.StrEnum):
    AUTO = "auto"
    OPEN = "open"
    STOP = "stop"


@dataclass(frozen=True, slots=True)
class Cutoff:
    reason: str  # "auto" (the estimate) or "manager"
    text_zh: str
    text_en: str
    next_opening: datetime | None


class IssuingCutOff(HallError):
    """A ticket of this business would not be served today (or a manager stopped issuing)."""

    code = "cut_off"


def next_opening(catalogue: Catalogue, now: datetime) -> datetime | None:
    """The start of the next opening period after today's (within two weeks)."""
    for ahead in range(1, 15):
        day = now.date() + timedelta(days=ahead)
        sessions = catalogue.hours.sessions_on(day)
        if sessions:
            return datetime.combine(day, sessions[0].opens, tzinfo=now.tzinfo)
    return None


def cutoff_for(catalogue: Catalogue, business: str, estimate: WaitEstimate, now: datetime,
               mode: CutoffMode = CutoffMode.AUTO) -> Cutoff | None:
    """Why issuing for `business` stops now, or None while it goes on."""
    if mode is CutoffMode.OPEN:
        return None
    if mode is CutoffMode.STOP:
        return Cutoff("manager", FULL_ZH, FULL_EN, next_opening(catalogue, now))
    margin = catalogue.business(business).cutoff_after_close_min
    sessions = catalogue.hours.sessions_on(now.date())
    if margin is None or not sessions or estimate.likely_call_at is None:
        return None
    closes = datetime.combine(now.date(), sessions[-1].closes, tzinfo=now.tzinfo)
    if estimate.likely_call_at > closes + timedelta(minutes=margin):
        return Cutoff("auto", LATE_ZH, LATE_EN, next_opening(catalogue, now))
    return None
