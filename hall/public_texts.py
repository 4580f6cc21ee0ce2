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
# 「约 15–25 分钟」 holds the true wait 8 times in 10. The wall, the kiosk, the slip, the console
# and the phone page all say a wait through wait_words, so they never disagree.

# Past this, a figure in minutes means nothing to anyone: say "over two hours".
LONGEST_SHOWN_MIN = 120
# A short wait is not worth a figure that will be wrong by a minute or two.
SHORT_WAIT_MIN = 5


def wait_words(point_min: int | None, low_min: int | None = None, high_min: int | None = None,
               *, waiting: int | None = None, english: bool = False,
               compact: bool = False) -> str:
    """「约 15–25 分钟」 (the 80% range), 「约 12 分钟」 (a point), 「5 分钟内」, 「约 95 分钟以上」,
    「超过 2 小时」; 「无需等待」 when nobody waits; "" when no estimate (the caller says why).

    Never a wait for nobody, never an absurd number: past LONGEST_SHOWN_MIN only "over".
    `compact` drops the spaces around the figures (「约15–25分钟」) for the wall's narrow column.
    """
    def say(zh: str, en: str) -> str:
        if english:
            return en
        return zh.replace(" ", "") if compact else zh

    if waiting == 0:
        return say("无需等待", "No wait")
    if low_min is not None and high_min is not None and high_min > low_min:
        low = max(low_min, 1)
        if low >= LONGEST_SHOWN_MIN:
            return say("超过 2 小时", "over 2 hours")
        if high_min > LONGEST_SHOWN_MIN:
            return say(f"约 {low} 分钟以上", f"{low} min or more")
        if high_min <= SHORT_WAIT_MIN:
            return say(f"{SHORT_WAIT_MIN} 分钟内", f"within {SHORT_WAIT_MIN} min")
        return say(f"约 {low}–{high_min} 分钟", f"about {low}–{high_min} min")
    if point_min is None:
        return ""
    if point_min >= LONGEST_SHOWN_MIN:
        return say("超过 2 小时", "over 2 hours")
    if point_min <= SHORT_WAIT_MIN:
        return say(f"{SHORT_WAIT_MIN} 分钟内", f"within {SHORT_WAIT_MIN} min")
    return say(f"约 {point_min} 分钟", f"about {point_min} min")


def next_opening_zh(moment: datetime | None) -> str:
    """「下次开放：3月3日 09:00」 for a cut-off notice; "" when unknown."""
    if moment is None:
        return ""
    return f"下次开放：{moment.month}月{moment.day}日 {moment:%H:%M}"


def ahead_and_wait_zh(people_ahead: int, low_min: int | None, high_min: int | None) -> str:
    """The phone page / SMS line: 「前方 3 人，约 10–15 分钟」."""
    wait = wait_words(None, low_min, high_min)
    return f"前方 {people_ahead} 人" + (f"，{wait}" if wait else "")
