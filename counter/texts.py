"""What the counter terminal and the rating pad say, and how refusals are explained to people."""
from __future__ import annotations

from hall.protocol import messages as m
from hall.public_texts import RATING_LEVEL_TEXT

# Clerk-facing explanations of the controller's refusal codes (the terminal is not public,
# but a clerk reads these aloud to citizens often enough that they stay polite).
REFUSALS_ZH = {
    "wrong_pin": "工号或密码不正确",
    "sign_in_locked": "密码错误次数过多，登录已锁定",
    "pin_not_set": "该工号尚未设置密码，请联系大厅管理员",
    "not_permitted": "本终端无权执行此操作",
    "window_not_ready": "窗口当前状态不能执行此操作",
    "queue_empty": "当前没有等候的群众",
    "grace_period_running": "过号需等待",
    "ticket_not_callable": "该号码当前不能呼叫",
    "unknown_ticket": "今天没有这个号码",
    "unknown_staff": "工号不存在",
    "unknown_window": "没有这个窗口",
    "unknown_business": "没有这个业务",
    "store_failed": "系统保存失败，请重试",
    "malformed": "请求格式错误",
    "complaint_refused": "投诉内容不完整",
    "rating_refused": "评价未被接受",
    "invalid_rating_token": "评价码无效或已过期",
    "reprint_refused": "该号票补打次数已满，不能再补打，请为群众写下号码",
}
OFFLINE_ZH = "大厅服务器未连接，正在重连…（此时操作不会发送）"
OFFLINE_BANNER_ZH = "● 离线 Offline：大厅服务器未连接，正在重连…操作不会发送，所示数字为断线前的"
UNCONFIRMED_ZH = "服务器未确认，连接恢复后将自动重发（不会重复叫号）"

# The pad faces the citizen: the polite standard phrases of 附件2.
PAD_IDLE_GREETING = "您好，请问有什么可以帮您？"
PAD_ASK_RATING = "请您对本次服务进行评价"
PAD_ASK_REASON = "请选择不满意的原因（必选）"
PAD_THANKS = "感谢您的评价，请慢走！"
PAD_THANKS_EN = "Thank you for your feedback. Goodbye!"
PAD_PHONE_HINT = "也可用手机扫码评价\n（24 小时内有效）"

LEVELS: tuple[tuple[m.RatingLevel, str, str], ...] = tuple(
    (level, zh, en) for level, (zh, en) in RATING_LEVEL_TEXT.items())
PAD_SUB_TITLE = "分项评价（可选）"


def explain(answer: m.Rejected) -> str:
    text = REFUSALS_ZH.get(answer.code, "操作未完成")
    detail = answer.detail or {}
    if answer.code == "wrong_pin" and "tries_left" in detail:
        text += f"，还可尝试 {detail['tries_left']} 次"
    elif answer.code == "sign_in_locked" and "minutes" in detail:
        text += f"，请 {detail['minutes']} 分钟后再试"
    elif answer.code == "grace_period_running" and "remaining_s" in detail:
        text += f" {detail['remaining_s']} 秒"
    elif answer.code in ("rating_refused", "invalid_rating_token") and "reason" in detail:
        text += f"（{detail['reason']}）"
    return text
