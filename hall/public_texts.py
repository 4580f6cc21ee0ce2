"""Words every screen uses for the same things, in Simplified Chinese first and English second."""
from __future__ import annotations

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
