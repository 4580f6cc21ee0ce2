"""How the console words and formats things: Chinese first, English second."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from hall.core.ratings import BAD_REASONS_ZH, LEVEL_ZH, SUB_INDICATORS_ZH, RatingLevel
from hall.protocol import messages as m

WINDOW_STATUS = {
    "closed": ("未开放", "Closed"), "idle": ("空闲", "Idle"), "serving": ("办理中", "Serving"),
    "paused": ("暂停", "Paused"), "calling": ("叫号中", "Calling"),
}
DEVICE_STATUS = {
    m.DeviceStatus.ONLINE: ("在线", "online"), m.DeviceStatus.OFFLINE: ("离线", "offline"),
    m.DeviceStatus.ALERT: ("告警", "alert"),
}
ROLE_NAMES = {
    "controller": ("控制器", "controller"), "kiosk": ("自助机", "kiosk"),
    "counter": ("窗口终端", "counter"), "wall": ("显示屏", "wall"),
    "console": ("管理台", "console"), "pad": ("评价器", "rating pad"),
}
ALERT_KINDS = {
    "congestion": "拥堵", "sign_in_locked": "登录锁定", "device_alert": "设备告警",
    "device_away": "设备离线", "console_login_locked": "管理台登录锁定",
    "rate_limited": "请求异常频繁", "check_in_locked": "预约签到锁定",
    "case_overdue": "差评整改超期", "calendar_missing": "工作日历缺失",
    "complaint_overdue": "投诉超期", "complaint_due_soon": "投诉即将到期",
    "complaint_first_contact_overdue": "投诉未及时联系", "complaint_transfer_overdue": "投诉转办超期",
}
LEVEL_EN = {
    RatingLevel.VERY_SATISFIED: "Very satisfied", RatingLevel.SATISFIED: "Satisfied",
    RatingLevel.BASIC: "Basically satisfied", RatingLevel.DISSATISFIED: "Dissatisfied",
    RatingLevel.VERY_DISSATISFIED: "Very dissatisfied",
}
SUB_INDICATORS_EN = {"attitude": "Attitude", "efficiency": "Efficiency",
                     "proficiency": "Proficiency", "told_at_once": "Told everything at once"}
BAD_REASONS_EN = {
    "long_wait": "Waited too long", "attitude": "Unfriendly", "not_told_at_once":
    "Not told everything at once", "slow": "Slow", "policy_unclear": "Policy not explained",
    "many_trips": "Several trips, not done", "system_fault": "System fault, not done",
    "other": "Other",
}


def hm(moment: datetime | None) -> str:
    return f"{moment:%H:%M}" if moment else "-"


def minutes_between(start: datetime | None, end: datetime | None) -> str:
    if start is None or end is None:
        return "-"
    minutes = int(max(0.0, (end - start).total_seconds()) // 60)
    return f"{minutes} 分钟" if minutes < 120 else f"{minutes // 60} 小时 {minutes % 60} 分"


def wait_text(minutes: int | None, waiting: int) -> str:
    if minutes is None:
        return "暂无窗口" if waiting else "-"
    return f"约 {minutes} 分钟"


def window_status(status: str) -> str:
    zh, en = WINDOW_STATUS.get(str(status), (str(status), ""))
    return zh


def window_status_en(status: str) -> str:
    return WINDOW_STATUS.get(str(status), ("", str(status)))[1]


def device_status(status: m.DeviceStatus) -> str:
    return DEVICE_STATUS[status][0]


def role_name(device_id: str, role: str) -> str:
    prefix = device_id.partition("-")[0]
    key = "pad" if prefix == "pad" else str(role)
    return ROLE_NAMES.get(key, (key, key))[0]


def device_window(device_id: str) -> str:
    prefix, _, rest = device_id.partition("-")
    return rest if prefix in ("counter", "pad") and rest.isdigit() else "-"


FILTERS: dict[str, Any] = {
    "hm": hm, "window_status": window_status, "window_status_en": window_status_en,
    "device_status": device_status,
}
GLOBALS: dict[str, Any] = {
    "minutes_between": minutes_between, "wait_text": wait_text, "role_name": role_name,
    "device_window": device_window, "ALERT_KINDS": ALERT_KINDS, "LEVEL_ZH": LEVEL_ZH,
    "LEVEL_EN": LEVEL_EN, "SUB_INDICATORS_ZH": SUB_INDICATORS_ZH,
    "SUB_INDICATORS_EN": SUB_INDICATORS_EN, "BAD_REASONS_ZH": BAD_REASONS_ZH,
    "BAD_REASONS_EN": BAD_REASONS_EN, "LEVELS": list(RatingLevel),
}
