"""Words every screen uses for the same things, in Simplified Chinese first and English second."""
from __future__ import annotations

from hall.core.ids import PauseReason, WindowStatus

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
