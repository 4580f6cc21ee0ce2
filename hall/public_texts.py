"""Words every screen uses for the same things, in Simplified Chinese first and English second."""
from __future__ import annotations

from datetime import datetime

from hall.core.ids import PauseReason, WindowStatus
from hall.core.ratings import RatingLevel

STATUS_TEXT = {
    WindowStatus.CLOSED: ("暂停服务", "Closed"),
    WindowStatus.IDLE: ("空闲", "Available"),
    WindowStatus.SERVING: ("服务中", "Serving"),
    WindowStatus.PAUSED: ("暂停", "Paused"),
}
PAUSE_TEXT = {
    PauseReason.AWAY: "临时离开",
    PauseReason.LUNCH: "午休",
    PauseReason.SYSTEM_FAULT: "系统故障",
    PauseReason.MEETING: "会议",
}
PAUSE_TEXT_EN = {
    PauseReason.AWAY: "Back soon",
    PauseReason.LUNCH: "Lunch break",
    PauseReason.SYSTEM_FAULT: "System fault",
    PauseReason.MEETING: "In a meeting",
}
# The five 好差评 levels (002 四) in the words of the kiosk and the rating pad alike.
RATING_LEVEL_TEXT = {
    RatingLevel.VERY_SATISFIED: ("非常满意", "Very satisfied"),
    RatingLevel.SATISFIED: ("满意", "Satisfied"),
    RatingLevel.BASIC: ("基本满意", "Fairly satisfied"),
    RatingLevel.DISSATISFIED: ("不满意", "Dissatisfied"),
    RatingLevel.VERY_DISSATISFIED: ("非常不满意", "Very dissatisfied"),
}


# -- the wait as citizens read it (issue 14): a range, not a point ---------------------------
# 「约 15–25 分钟」 holds the true wait 8 times in 10.

# Past this, a figure in minutes means nothing to anyone: say "over two hours".
LONGEST_SHOWN_MIN = 120


def wait_range_zh(low_min: int | None, high_min: int | None, point_min: int | None) -> str:
    """「约 15–25 分钟」, 「约 12 分钟」 without a range, 「超过 2 小时」, or "" when unknown."""
    if low_min is not None and high_min is not None:
        if low_min >= LONGEST_SHOWN_MIN:
            return "超过 2 小时"
        if high_min > LONGEST_SHOWN_MIN:
            return f"约 {low_min} 分钟以上"
        if high_min <= 1:
            return "约 1 分钟以内"
        return f"约 {low_min}–{high_min} 分钟"
    if point_min is None:
        return ""
    if point_min >= LONGEST_SHOWN_MIN:
        return "超过 2 小时"
    return f"约 {point_min} 分钟"


def wait_range_en(low_min: int | None, high_min: int | None, point_min: int | None) -> str:
    if low_min is not None and high_min is not None:
        if low_min >= LONGEST_SHOWN_MIN:
            return "over 2 hours"
        if high_min > LONGEST_SHOWN_MIN:
            return f"{low_min} min or more"
        if high_min <= 1:
            return "under a minute"
        return f"about {low_min}-{high_min} min"
    if point_min is None:
        return ""
    if point_min >= LONGEST_SHOWN_MIN:
        return "over 2 hours"
    return f"about {point_min} min"


def next_opening_zh(moment: datetime | None) -> str:
    """「下次开放：3月3日 09:00」 for a cut-off notice; "" when unknown."""
    if moment is None:
        return ""
    return f"下次开放：{moment.month}月{moment.day}日 {moment:%H:%M}"


def ahead_and_wait_zh(people_ahead: int, low_min: int | None, high_min: int | None) -> str:
    """The phone page / SMS line: 「前方 3 人，约 10–15 分钟」."""
    wait = wait_range_zh(low_min, high_min, None)
    return f"前方 {people_ahead} 人" + (f"，{wait}" if wait else "")
