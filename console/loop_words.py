"""How the closed loop's pages word things: steps, channels, outcomes, and bounded form fields."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from starlette.datastructures import FormData

from hall.core.appeals import EXCLUSION_ZH, ExclusionKind
from hall.core.cases import CASE_STATE_ZH, RECTIFY_KIND_ZH, Case, CaseState, RectifyKind
from hall.core.complaint_handling import CHANNEL_ZH, STATUS_ZH, ComplaintChannel, ComplaintStatus
from hall.core.complaints import CATEGORY_ZH, COMMON_REASONS_ZH, ComplaintCategory
from hall.core.masking import mask_personal
from hall.core.ratings import BAD_REASONS_ZH, LEVEL_ZH, RatingLevel
from hall.protocol.messages import text_limit
from hall.store.loop_reader import LoopReader

if TYPE_CHECKING:
    from console.context import ConsoleContext

CASE_STEP_ZH = {
    "opened": "立案", "callback": "回访", "verify": "核实", "rectify": "整改",
    "rectified": "整改完成", "feedback": "反馈", "follow_up": "追评", "closed": "办结",
    "reassigned": "转交",
}
COMPLAINT_STEP_ZH = {
    "registered": "登记", "first_contact": "首次联系", "contact": "联系", "finding": "调查核实",
    "assign": "指定承办人", "extend": "延期", "transfer": "转办", "close": "办结",
    "reopen": "重新办理",
}
CONTACT_CHANNEL_ZH = {"phone": "电话", "sms": "短信", "visit": "当面/上门"}
SATISFACTION_ZH = {"satisfied": "满意", "basically_satisfied": "基本满意",
                   "dissatisfied": "不满意", "not_reached": "未能联系"}
DETAIL_ZH = {
    "channel": "方式", "reached": "联系上", "said": "群众意见", "attempt": "次数",
    "confirmed": "情况属实", "note": "说明", "kind": "整改方式", "plan": "措施",
    "due": "期限", "owner": "负责人", "level": "追评", "comment": "留言",
    "on_time": "按时", "callback_due": "回访期限", "feedback_due": "反馈期限",
    "handler": "承办人", "reason": "理由", "approved_by": "批准人", "answer_due": "答复期限",
    "department": "转至部门", "told_via": "告知方式", "satisfaction": "满意度",
}

LOOP_ALERT_KINDS = {
    "case_overdue": "差评整改超期", "complaint_first_contact_overdue": "投诉首次联系超时",
    "complaint_due_soon": "投诉即将到期", "complaint_overdue": "投诉答复超期",
    "complaint_transfer_overdue": "投诉转办超期",
}

TYPED_DETAILS = frozenset({"said", "note", "plan", "comment", "reason"})


def detail_value(key: str, value: str) -> str:
    """A step detail in words: yes/no, the rectification kind, a level, a channel; typed notes
    with any ID or phone number masked (the full data stays behind the audited views)."""
    if key in TYPED_DETAILS:
        return mask_personal(value)
    if value in ("yes", "no"):
        return "是" if value == "yes" else "否"
    if key == "kind" and value in RectifyKind.__members__.values():
        return RECTIFY_KIND_ZH[RectifyKind(value)]
    if key == "level" and value in RatingLevel.__members__.values():
        return LEVEL_ZH[RatingLevel(value)]
    if key == "satisfaction":
        return SATISFACTION_ZH.get(value, value)
    if key in ("channel", "told_via"):
        return CONTACT_CHANNEL_ZH.get(value, CHANNEL_ZH.get(_channel(value), value))
    return value


def _channel(value: str) -> ComplaintChannel:
    try:
        return ComplaintChannel(value)
    except ValueError:
        return ComplaintChannel.COUNTER


def case_due(case: Case) -> date:
    """The date the case's next step is due by."""
    if case.state is CaseState.CALLBACK:
        return case.callback_due
    return max(case.feedback_due, case.rectify_due or case.feedback_due)


def loop_reader(ctx: ConsoleContext) -> LoopReader:
    """The console's read-only connection (the server makes it a LoopReader)."""
    history = ctx.history
    return history if isinstance(history, LoopReader) else LoopReader(history.path)


def field(form: FormData, name: str, intent: type, limit_name: str | None = None) -> str:
    """A typed field, trimmed and cut to what the wire carries for that intent's field."""
    return str(form.get(name, "")).strip()[:text_limit(intent, limit_name or name)]


def stamp(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "-"


LOOP_GLOBALS: dict[str, Any] = {
    "CASE_STATE_ZH": CASE_STATE_ZH, "CASE_STEP_ZH": CASE_STEP_ZH, "DETAIL_ZH": DETAIL_ZH,
    "COMPLAINT_STEP_ZH": COMPLAINT_STEP_ZH, "CONTACT_CHANNEL_ZH": CONTACT_CHANNEL_ZH,
    "SATISFACTION_ZH": SATISFACTION_ZH, "EXCLUSION_ZH": EXCLUSION_ZH,
    "RECTIFY_KIND_ZH": RECTIFY_KIND_ZH, "COMPLAINT_STATUS_ZH": STATUS_ZH,
    "COMPLAINT_CHANNEL_ZH": CHANNEL_ZH, "CATEGORY_ZH": CATEGORY_ZH,
    "COMMON_REASONS_ZH": COMMON_REASONS_ZH, "LOOP_BAD_REASONS_ZH": BAD_REASONS_ZH,
    "LOOP_ALERT_KINDS": LOOP_ALERT_KINDS, "detail_value": detail_value, "case_due": case_due, "stamp": stamp,
    "ExclusionKind": ExclusionKind, "RectifyKind": RectifyKind, "CaseState": CaseState,
    "ComplaintStatus": ComplaintStatus, "ComplaintCategory": ComplaintCategory,
}
