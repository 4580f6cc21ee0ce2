"""Manager intents from a page to the controller, and its refusals in plain words."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from console.context import ConsoleContext
from hall.device_client import RequestTimeout
from hall.protocol import messages as m

REFUSALS_ZH = {
    "hall_closed": "大厅已停止取号",
    "invalid_notice": "公告内容或时间不正确",
    "unknown_notice": "该公告已不存在（可能已撤下或过期）",
    "unknown_staff": "没有这个工号",
    "unknown_window": "没有这个窗口",
    "weak_pin": "密码须为 6 位数字，且不能是重复或连续的数字",
    "not_permitted": "本账号无权进行此操作",
    "malformed": "请求格式不正确",
    "store_failed": "控制器未能保存，请稍后重试",
    "case_refused": "此操作不符合差评整改的规定或案件当前状态",
    "unknown_case": "没有这个案件、申诉或评价",
    "complaint_refused": "此操作不符合投诉办理的规定或投诉当前状态",
    "unknown_complaint": "没有这个投诉编号",
}
NO_ANSWER_ZH = "控制器没有应答（可能已离线），操作未确认，请稍后查看后重试"


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    message: str
    answer: m.Answer | None = None


def refusal_text(answer: m.Rejected) -> str:
    """What a manager reads: the reason in plain words, then the controller's own."""
    zh = REFUSALS_ZH.get(answer.code, "控制器拒绝了此操作")
    return f"{zh}（{answer.message}）" if answer.message else zh


async def send(ctx: ConsoleContext, intent_type: type[m.Intent], **fields: Any) -> Outcome:
    try:
        answer = await asyncio.to_thread(lambda: ctx.live.request(intent_type, **fields))
    except RequestTimeout:
        return Outcome(False, NO_ANSWER_ZH)
    if isinstance(answer, m.Rejected):
        return Outcome(False, refusal_text(answer), answer)
    return Outcome(True, "", answer)
