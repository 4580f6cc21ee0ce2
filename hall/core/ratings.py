"""好差评: one rating per service, five levels, four optional sub-indicators, reasons for bad ones."""
from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from hall.core.errors import HallError
from hall.core.ids import TicketStatus
from hall.core.state import Ticket


@enum.unique
class RatingLevel(enum.StrEnum):
    VERY_SATISFIED = "very_satisfied"
    SATISFIED = "satisfied"
    BASIC = "basically_satisfied"
    DISSATISFIED = "dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied"

    @property
    def is_bad(self) -> bool:
        return self in (RatingLevel.DISSATISFIED, RatingLevel.VERY_DISSATISFIED)


LEVEL_ZH = {
    RatingLevel.VERY_SATISFIED: "非常满意", RatingLevel.SATISFIED: "满意",
    RatingLevel.BASIC: "基本满意", RatingLevel.DISSATISFIED: "不满意",
    RatingLevel.VERY_DISSATISFIED: "非常不满意",
}
SUB_INDICATORS_ZH = {
    "attitude": "服务态度", "efficiency": "服务效率", "proficiency": "业务熟练度",
    "told_at_once": "一次性告知",
}
BAD_REASONS_ZH = {
    "long_wait": "等候时间过长", "attitude": "服务态度不好", "not_told_at_once": "未一次性告知",
    "slow": "办理效率低", "policy_unclear": "政策解释不清楚", "many_trips": "多次往返未办成",
    "system_fault": "系统故障未办成", "other": "其他",
}
MAX_COMMENT_CHARS = 300


class RatingRefused(HallError):
    """The rating cannot be accepted; `reason` says why (not_finished, expired, already_rated,
    reason_required, unknown_reason, unknown_indicator, comment_too_long)."""

    code = "rating_refused"


@dataclass(frozen=True, slots=True)
class Rating:
    rating_id: str
    ticket_id: str
    service_day: date
    window: int
    staff_id: str
    items: tuple[str, ...]
    level: RatingLevel
    rated_at: datetime
    channel: str
    sub_scores: Mapping[str, RatingLevel] = field(default_factory=dict)
    reasons: tuple[str, ...] = ()
    comment: str = ""


def rate(ticket: Ticket, *, rating_id: str, level: RatingLevel,
         sub_scores: Mapping[str, RatingLevel], reasons: tuple[str, ...], comment: str,
         channel: str, already_rated: bool, valid_s: int, now: datetime) -> Rating:
    """The rating of one finished service (all its batch items), or RatingRefused."""
    if ticket.status is not TicketStatus.FINISHED or ticket.finished_at is None:
        raise RatingRefused(f"{ticket.number} has not been served yet", reason="not_finished")
    if already_rated:
        raise RatingRefused(f"{ticket.number} was already rated (一次一评)",
                            reason="already_rated")
    if now > ticket.finished_at + timedelta(seconds=valid_s):
        raise RatingRefused(f"ratings of {ticket.number} closed 24 h after the service",
                            reason="expired")
    unknown = sorted(set(sub_scores) - set(SUB_INDICATORS_ZH))
    if unknown:
        raise RatingRefused(f"unknown sub-indicators {unknown}", reason="unknown_indicator")
    bad_codes = sorted(set(reasons) - set(BAD_REASONS_ZH))
    if bad_codes:
        raise RatingRefused(f"unknown reasons {bad_codes}", reason="unknown_reason")
    if level.is_bad and not reasons:
        raise RatingRefused("a 不满意 or 非常不满意 rating needs at least one reason",
                            reason="reason_required")
    if "other" in reasons and not comment.strip():
        raise RatingRefused("the reason 其他 needs a few words", reason="reason_required")
    if len(comment) > MAX_COMMENT_CHARS:
        raise RatingRefused(f"a comment has at most {MAX_COMMENT_CHARS} characters",
                            reason="comment_too_long")
    return Rating(rating_id=rating_id, ticket_id=ticket.ticket_id,
                  service_day=ticket.service_day, window=ticket.window or 0,
                  staff_id=ticket.staff_id, items=ticket.items or (ticket.business,),
                  level=level, rated_at=now, channel=channel, sub_scores=dict(sub_scores),
                  reasons=tuple(reasons) if level.is_bad or reasons else (),
                  comment=comment.strip())
