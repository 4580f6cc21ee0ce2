"""Complaints and suggestions: categories, common reasons, working-day deadlines (首问负责)."""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hall.core.catalogue import ServiceHours
from hall.core.errors import HallError

ANSWER_WORKING_DAYS = 7
MAX_TEXT_CHARS = 500
_PHONE = re.compile(r"^[0-9+\-]{7,16}$")
_ID_NUMBER = re.compile(r"^[0-9]{17}[0-9Xx]$")


@enum.unique
class ComplaintCategory(enum.StrEnum):
    POLICY = "policy"
    ATTITUDE = "attitude"
    HANDLING = "handling"
    ENVIRONMENT = "environment"
    SUGGESTION = "suggestion"
    OTHER = "other"


CATEGORY_ZH = {
    ComplaintCategory.POLICY: "政策解读类", ComplaintCategory.ATTITUDE: "服务态度类",
    ComplaintCategory.HANDLING: "业务办理类", ComplaintCategory.ENVIRONMENT: "服务环境类",
    ComplaintCategory.SUGGESTION: "意见建议", ComplaintCategory.OTHER: "其他",
}
# Picking one of these is enough; free text is optional.
COMMON_REASONS_ZH = {
    "policy_unclear": "政策解释不清楚", "policy_inconsistent": "不同窗口说法不一致",
    "rude": "工作人员态度生硬", "not_told_at_once": "未一次性告知所需材料",
    "long_wait": "排队等候时间过长", "many_trips": "多次往返仍未办成",
    "slow": "办理速度慢", "away_from_window": "工作时间窗口无人",
    "facilities": "大厅设施不便（座椅、指引、无障碍等）", "other": "其他",
}


class ComplaintRefused(HallError):
    """The complaint cannot be filed as given; `reason` names the field."""

    code = "complaint_refused"


@dataclass(frozen=True, slots=True)
class Complaint:
    tracking_number: str
    category: ComplaintCategory
    reasons: tuple[str, ...]
    text: str
    name: str
    id_number: str
    phone: str
    business: str
    first_responder: str
    registered_at: datetime
    answer_due: date


def is_working_day(day: date, hours: ServiceHours) -> bool:
    """A day the hall serves: its weekly hours, minus public holidays, plus 调休 workdays."""
    return bool(hours.sessions_on(day))


def working_days_after(start: date, count: int, hours: ServiceHours) -> date:
    """The date `count` working days after `start` (the deadline of an answer)."""
    day = start
    left = count
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, hours):
            left -= 1
    return day


def file_complaint(*, sequence: int, category: ComplaintCategory, reasons: tuple[str, ...],
                   text: str, name: str, id_number: str, phone: str, business: str,
                   first_responder: str, hours: ServiceHours, now: datetime) -> Complaint:
    unknown = sorted(set(reasons) - set(COMMON_REASONS_ZH))
    if unknown:
        raise ComplaintRefused(f"unknown reasons {unknown}", reason="reasons")
    if not reasons and not text.strip():
        raise ComplaintRefused("pick a reason or say in a few words what happened",
                               reason="reasons")
    if len(text) > MAX_TEXT_CHARS:
        raise ComplaintRefused(f"at most {MAX_TEXT_CHARS} characters", reason="text")
    if phone and not _PHONE.match(phone.strip()):
        raise ComplaintRefused("the phone number is not valid", reason="phone")
    if id_number and not _ID_NUMBER.match(id_number.strip()):
        raise ComplaintRefused("the ID number must have 18 characters", reason="id_number")
    if len(name) > 30:
        raise ComplaintRefused("the name is too long", reason="name")
    return Complaint(
        tracking_number=f"TS{now:%Y%m%d}-{sequence:04d}", category=category,
        reasons=tuple(reasons), text=text.strip(), name=name.strip(),
        id_number=id_number.strip().upper(), phone=phone.strip(), business=business,
        first_responder=first_responder, registered_at=now,
        answer_due=working_days_after(now.date(), ANSWER_WORKING_DAYS, hours))
