"""Every string a citizen reads or hears at the kiosk, in Simplified Chinese and English.

Wording follows the hall's standard polite phrases (服务常用规范用语); none of the forbidden
phrases (服务禁忌用语) may appear here.
"""
from __future__ import annotations

import enum
from datetime import datetime


@enum.unique
class Lang(enum.StrEnum):
    ZH = "zh"
    EN = "en"


TEXTS: dict[str, tuple[str, str]] = {
    # home and frame
    "greeting": ("您好！请问有什么可以帮您？", "Hello! How may we help you?"),
    "take_ticket": ("取号", "Take a ticket"),
    "priority": ("绿色通道", "Priority lane"),
    "priority_hint": ("70岁以上老人、残疾人、孕妇等优先办理",
                      "Priority for people over 70, disabled, pregnant, ..."),
    "appointment": ("预约签到", "Appointment check-in"),
    "guides": ("办事指南", "Service guides"),
    "status": ("大厅状态", "Hall status"),
    "rate": ("评价服务", "Rate a service"),
    "complaint": ("投诉建议", "Complaints and suggestions"),
    "large_on": ("大字模式", "Large text"),
    "large_off": ("标准字号", "Normal text"),
    "voice": ("语音播报", "Read aloud"),
    "lang_switch": ("English", "中文"),
    "home": ("返回首页", "Home"),
    "back": ("上一步", "Back"),
    "offline_banner": ("系统连接中断，正在恢复。如需帮助，请咨询工作人员。",
                       "The system is reconnecting. Please ask our staff if you need help."),
    "closed_banner": ("现在不是取号时间，请您谅解。", "Tickets are not issued at this time, sorry."),
    "opens_again": ("下次开放：{month}月{day}日 {clock}", "Open again {date} {clock}"),
    "hall_name_default": ("医疗保障服务大厅", "Medical Insurance Service Hall"),
    "offline_reason": ("系统连接中断，暂停取号、签到、评价和投诉；办事指南仍可查看。",
                       "The system is reconnecting: tickets, check-in, ratings and complaints are "
                       "paused; the service guides still work."),
    "closed_reopens": ("现在暂停取号，{time} 恢复取号。", "Tickets are paused now; they resume at {time}."),
    "closed_today": ("今日取号已结束，欢迎您在服务时间内前来。",
                     "Tickets are over for today; please come back during opening hours."),
    "hours_today": ("今日服务时间：{hours}", "Opening hours today: {hours}"),
    "hall_taking": ("正在取号", "Tickets are being issued"),
    "hall_summary": ("共 {waiting} 人等候，{windows} 个窗口开放",
                     "{waiting} waiting, {windows} windows open"),
    "no_window_now": ("暂无窗口办理", "no window open now"),
    "no_window_item": ("该业务暂无开放窗口，请咨询工作人员。",
                       "No window serves this now; please ask our staff."),
    "more_time": ("您还需要更多时间吗？如不操作，稍后将返回首页。",
                  "Do you need more time? Without a touch, the kiosk soon returns to the start."),
    "more_time_yes": ("需要，继续办理", "Yes, I need more time"),
    "more_time_left": ("{seconds} 秒后返回首页", "Back to the start in {seconds} s"),
    "more_time_tap": ("轻触屏幕任意位置即可继续办理", "Touch anywhere on the screen to continue"),
    # the closed loop: an optional callback phone with a bad rating; the 追评
    "rate_phone_title": ("如需回访，请留下手机号（选填）",
                         "If you would like us to call you back, leave your mobile number (optional)"),
    "rate_phone_hint": ("号码只用于工作人员回访，不会公开显示。",
                        "Only our staff use it, to call you back; it is never shown in public."),
    "rate_phone_shown": ("手机号：{phone}", "Mobile: {phone}"),
    "rate_phone_invalid": ("请输入 11 位手机号码，或选择「不留电话，直接提交」。",
                           "Please enter an 11-digit mobile number, or submit without one."),
    "rate_phone_skip": ("不留电话，直接提交", "Submit without a number"),
    "follow_up_title": ("我们已根据您的评价进行了整改，并向您作了反馈。"
                        "请您对整改后的服务再评价一次（追评）：",
                        "We have acted on your rating and told you what we did. "
                        "How satisfied are you now? (follow-up rating)"),
    "follow_up_submit": ("提交追评", "Submit follow-up rating"),
    "follow_up_thanks": ("感谢您的追评！我们会继续改进服务。",
                         "Thank you for your follow-up rating. We will keep improving."),
    "follow_up_done": ("这次服务您已经追评过了，感谢您的监督和支持！",
                       "You have already given your follow-up rating for this service. "
                       "Thank you for your support!"),
    "follow_up_not_open": ("这次服务目前不能追评，请您稍后再试或咨询工作人员。",
                           "A follow-up rating cannot be given for this service now; please try "
                           "later or ask our staff."),
    "reprint": ("补打号票", "Reprint a ticket"),
    "reprint_title": ("请输入号票上的号码（如 A031），或将号票上的二维码对准摄像头",
                      "Type the ticket number (e.g. A031), or show the ticket's QR code to the camera"),
    "camera_off_reprint": ("摄像头暂不可用，请用键盘输入号票上的号码",
                           "The camera is not available; please type the ticket number"),
    "typed_number": ("号码：{code}", "Number: {code}"),
    "reprint_done": ("号票 {number} 正在补打，请您收好。",
                     "Ticket {number} is being reprinted; please keep it."),
    "reprint_unknown": ("很抱歉，本机今天没有发出这个号码，或已经补打过。请咨询工作人员帮您补打。",
                        "Sorry, this kiosk did not issue this number today, or it was reprinted "
                        "already. Please ask our staff."),
    "reprint_failed": ("很抱歉，打印机暂时故障，无法补打。请记下您的号码，或请工作人员在窗口帮您补打。",
                       "Sorry, the printer has a fault and cannot reprint. Please note your number "
                       "or ask our staff at a window."),
    "closed_opens_on": ("今日取号已结束，{month}月{day}日 {clock} 开始取号。",
                        "Tickets are over for today; they start again on {date} at {clock}."),
    # take a ticket
    "pick_category": ("请选择业务类别", "Please choose a category"),
    "pick_item": ("请选择办理事项", "Please choose a service"),
    "waiting_count": ("等候 {waiting} 人", "{waiting} waiting"),
    "pick_priority_reason": ("请选择优先办理的情形", "Please choose why you need priority"),
    "busy_ticket": ("请您稍等，正在为您取号……", "One moment please, taking your ticket..."),
    "busy": ("请您稍等……", "One moment please..."),
    "your_number": ("您的号码", "Your number"),
    "people_ahead": ("您已领取 {number} 号，前方等待 {ahead} 人",
                     "Ticket {number}: {ahead} ahead of you"),
    "est_wait_words": ("预计等待{words}", "Estimated wait: {words}"),
    "est_wait_unknown": ("预计等待时间暂无法估算", "The wait cannot be estimated now"),
    "printing": ("号票正在打印，请您收好。请留意叫号，过号需重新排队。",
                 "Your slip is printing; please keep it and listen for your number."),
    "print_failed": ("号票未能打印", "Your slip did not print"),
    "print_problem": ("打印机暂时故障。请记下您的号码 {number}；打印机恢复后将自动补打，"
                      "您也可以在首页「补打号票」补打，或请工作人员帮您补打。",
                      "The printer has a fault. Please note your number {number}: it prints by "
                      "itself once the printer is back, or use “Reprint a ticket” on the home "
                      "screen, or ask our staff."),
    "list_print_problem": ("一次性告知单未能打印：打印机暂时故障。请您拍照或记下所需材料，"
                           "或请工作人员帮您打印。",
                           "The list did not print: the printer has a fault. Please take a photo "
                           "or note the materials, or ask our staff to print it."),
    "receipt_print_problem": ("回执未能打印：打印机暂时故障。请记下受理编号，凭编号可查询办理进度。",
                              "The receipt did not print: the printer has a fault. Please note "
                              "the tracking number; it is all you need to check progress."),
    "windows_serve": ("请到 {windows} 号窗口办理", "Served at window {windows}"),
    "priority_mark": ("绿色通道", "Priority"),
    "appointment_mark": ("预约", "Appointment"),
    # appointment
    "appointment_title": ("请将预约二维码对准摄像头，或输入预约码",
                          "Show your appointment QR code to the camera, or type the code"),
    "camera_off": ("摄像头暂不可用，请输入预约码", "The camera is not available; please type the code"),
    "confirm": ("确认", "Confirm"),
    "delete": ("删除", "Delete"),
    "clear": ("清空", "Clear"),
    "typed_code": ("预约码：{code}", "Code: {code}"),
    "appt_phone_title": ("为保护您的预约，请输入预约时所留手机号码的后四位",
                         "To protect your booking, please type the last four digits of the "
                         "phone you booked with"),
    "phone_last4": ("手机尾号：{digits}", "Phone ending: {digits}"),
    "appt_locked": ("很抱歉，本机签到失败次数较多，已暂停签到。请咨询工作人员帮您签到。",
                    "Sorry, too many check-ins failed at this kiosk; please ask our staff."),
    # The controller gives one answer for an unknown and a used code (guessing is useless).
    "appt_unknown": ("很抱歉，这个预约码无法签到：没有查到，或已经签到取号。请您核对后重新输入，"
                     "或咨询工作人员。",
                     "Sorry, this code cannot be checked in: not found, or already checked in. "
                     "Please check it or ask our staff."),
    "appt_used": ("这个预约已经签到取号了，请留意叫号。如有疑问，请咨询工作人员。",
                  "This appointment has already been checked in."),
    "appt_too_early": ("您的预约尚未到签到时间，请您在 {time} 以后再来签到。",
                       "It is too early for this appointment; please check in after {time}."),
    "appt_expired": ("很抱歉，这个预约已超过签到时间，请您重新取号或重新预约，请您谅解。",
                     "Sorry, this appointment's check-in time has passed; please take a ticket."),
    # guides
    "browse": ("按类别查找", "Browse by category"),
    "search": ("按拼音或常用词查找", "Find by pinyin or a word"),
    "search_hint": ("请输入拼音首字母或拼音（如 ydjy、baoxiao），或点选常用词",
                    "Type pinyin initials or pinyin (e.g. ydjy, baoxiao), or tap a common word"),
    "search_words": ("常用词", "Common words"),
    "search_none": ("没有找到相符的事项，请您换个写法再试试。", "No service matches; please try again."),
    "materials": ("需提供材料", "Materials"),
    "conditions": ("办理条件", "Conditions"),
    "time_limit": ("办理时限", "Time limit"),
    "fee": ("收费标准", "Fees"),
    "where": ("办理窗口", "Where"),
    "notes": ("温馨提示", "Notes"),
    "print_list": ("打印一次性告知单", "Print this list"),
    "list_printing": ("一次性告知单正在打印，请您收好。", "The list is printing; please keep it."),
    "take_this": ("办理此项业务（取号）", "Take a ticket for this"),
    # hall status
    "status_title": ("各项业务等候情况", "Waiting per service"),
    "status_waiting": ("等候 {waiting} 人", "{waiting} waiting"),
    "status_wait_none": ("暂无估算", "no estimate"),
    "status_windows": ("开放窗口 {count} 个", "{count} windows open"),
    "status_windows_open": ("当前开放窗口：{windows}", "Windows open now: {windows}"),
    "status_none_open": ("当前没有开放的窗口", "No window is open now"),
    "status_unknown": ("正在获取大厅信息，请您稍等。", "Getting the hall's status, one moment please."),
    # rating
    "rate_scan": ("请将号票上的评价二维码对准摄像头，或输入号票上的评价码",
                  "Show the rating QR code on your slip to the camera, or type its rating code"),
    "camera_off_rate": ("摄像头暂不可用，请用键盘输入号票上的评价码（如 A031 482913）",
                        "The camera is not available; please type the slip's rating code "
                        "(e.g. A031 482913) on the keyboard"),
    "typed_rating_code": ("评价码：{code}", "Rating code: {code}"),
    "rate_code_unknown": ("很抱歉，没有查到这个评价码。请核对号票上“评价码”后的号码和数字，或咨询工作人员。",
                          "Sorry, this rating code was not found. Please check the code on your "
                          "slip, or ask our staff."),
    "rate_level": ("请您对本次服务作出评价", "How was our service?"),
    "rate_sub": ("分项评价（可选）", "In detail (optional)"),
    "rate_reasons": ("请选择不满意的原因（至少一项）", "Please choose what went wrong (at least one)"),
    "rate_submit": ("提交评价", "Submit"),
    "rate_thanks": ("感谢您的评价！您的意见对我们很重要。",
                    "Thank you! Your opinion is important to us."),
    "rate_code_bad": ("很抱歉，这不是本大厅的评价码，请您核对号票。",
                      "Sorry, this is not a rating code of this hall."),
    "rate_code_expired": ("很抱歉，这张号票的评价已超过 24 小时，无法再评价，请您谅解。",
                          "Sorry, ratings close 24 hours after the service."),
    "rate_already": ("这次服务已经评价过了，每次服务只能评价一次。感谢您的支持！",
                     "This service has already been rated; each service is rated once."),
    "rate_not_finished": ("这次服务还没有办结，请在办理完成后再评价。",
                          "This service is not finished yet; please rate it afterwards."),
    "rate_reason_needed": ("请选择至少一项原因，以便我们改进。",
                           "Please choose at least one reason so we can improve."),
    # complaints
    "complaint_category": ("请选择投诉或建议的类别", "Please choose a category"),
    "complaint_reasons": ("请选择具体情况（可多选）", "What happened? (choose any)"),
    "complaint_next": ("下一步", "Next"),
    "complaint_contact": ("联系方式（可不填）", "Your contact (optional)"),
    "complaint_contact_hint": ("留下称呼和电话，便于我们答复您；不填也可以提交。",
                               "Leave a name and phone so we can answer you; you may skip this."),
    "surname": ("姓氏", "Surname"),
    "title_mr": ("先生", "Mr"),
    "title_ms": ("女士", "Ms"),
    "phone": ("电话", "Phone"),
    "skip": ("不留联系方式", "Skip"),
    "confirm_title": ("请您核对以下内容", "Please check what will be filed"),
    "confirm_category": ("类别：{text}", "Category: {text}"),
    "confirm_reasons": ("情况：{text}", "What happened: {text}"),
    "confirm_name": ("称呼：{text}", "Name: {text}"),
    "confirm_phone": ("电话：{text}", "Phone: {text}"),
    "confirm_none": ("未填写", "not given"),
    "file_it": ("确认提交", "File it"),
    "complaint_done": ("已为您登记。您的意见对我们很重要，我们将尽快处理并答复您。",
                       "Registered. Your opinion is important to us; we will answer you soon."),
    "tracking": ("受理编号：{number}", "Tracking number: {number}"),
    "answer_due": ("答复期限：{date} 前", "We answer by {date}"),
    "receipt_printing": ("受理回执正在打印，请您收好。", "Your receipt is printing; please keep it."),
    "lookup": ("查询办理进度", "Check progress"),
    "lookup_title": ("请输入受理编号，如 TS20261124-0001", "Type the tracking number, e.g. TS20261124-0001"),
    "lookup_unknown": ("很抱歉，没有查到这个受理编号，请您核对后重新输入。",
                       "Sorry, this tracking number was not found; please check it."),
    "progress": ("办理状态：{status}", "Status: {status}"),
    "registered_at": ("受理时间：{time}", "Registered: {time}"),
    # failures
    "unreachable": ("很抱歉，系统暂时无法连接，没有为您办理。请您稍候再试或咨询工作人员。",
                    "Sorry, the system cannot be reached; nothing was done. Please try again "
                    "later or ask our staff."),
    "failed": ("很抱歉，系统暂时无法处理，请您稍候再试或咨询工作人员。",
               "Sorry, the system cannot handle this now. Please try again later or ask our staff."),
    "hall_closed": ("很抱歉，现在不是取号时间，请您在服务时间内前来，请您谅解。",
                    "Sorry, tickets are not issued at this time."),
    "numbers_exhausted": ("很抱歉，今天的号码已经发完，请您谅解，可咨询工作人员。",
                          "Sorry, today's numbers are used up; please ask our staff."),
    "ok": ("好的", "OK"),
    "goodbye": ("请走好，别忘记您的东西！", "Goodbye, please take your belongings!"),
}

COMPLAINT_STATUS: dict[str, tuple[str, str]] = {
    "registered": ("已受理，正在处理", "Registered, being handled"),
    "in_progress": ("正在处理", "Being handled"),
    "answered": ("已答复", "Answered"),
    "transferred": ("已转交相关单位", "Transferred to the responsible office"),
    "closed": ("已办结", "Closed"),
}

LEVEL_EN = {
    "very_satisfied": "Very satisfied", "satisfied": "Satisfied",
    "basically_satisfied": "Fairly satisfied", "dissatisfied": "Dissatisfied",
    "very_dissatisfied": "Very dissatisfied",
}
# Sub-indicator levels on two short lines, so five fit side by side even in large text.
LEVEL_SHORT_ZH = {"very_satisfied": "非常\n满意", "satisfied": "满意", "basically_satisfied": "基本\n满意",
                  "dissatisfied": "不满意", "very_dissatisfied": "非常\n不满意"}
LEVEL_SHORT_EN = {"very_satisfied": "Very\ngood", "satisfied": "Good", "basically_satisfied": "Fair",
                  "dissatisfied": "Poor", "very_dissatisfied": "Very\npoor"}
SUB_INDICATOR_EN = {
    "attitude": "Attitude", "efficiency": "Efficiency", "proficiency": "Proficiency",
    "told_at_once": "Told everything at once",
}
BAD_REASON_EN = {
    "long_wait": "Waited too long", "attitude": "Poor attitude",
    "not_told_at_once": "Not told everything at once", "slow": "Slow handling",
    "policy_unclear": "Policy not explained", "many_trips": "Several trips, not done",
    "system_fault": "System fault", "other": "Other",
}
CATEGORY_EN = {
    "policy": "Policy explanation", "attitude": "Service attitude", "handling": "Handling",
    "environment": "Hall environment", "suggestion": "Suggestion", "other": "Other",
}
COMPLAINT_REASON_EN = {
    "policy_unclear": "Policy not explained clearly",
    "policy_inconsistent": "Windows said different things",
    "rude": "Staff were rude", "not_told_at_once": "Not told all materials at once",
    "long_wait": "Waited too long", "many_trips": "Several trips, still not done",
    "slow": "Slow handling", "away_from_window": "Nobody at the window in working hours",
    "facilities": "Hall facilities (seats, signs, access)", "other": "Other",
}
RECEIPT_LOOKUP_HINT = "可凭受理编号在自助终端“投诉建议—查询办理进度”查询"
# The hall's 绿色通道 cases when its configuration names none.
DEFAULT_PRIORITY_REASONS: tuple[tuple[str, str], ...] = (
    ("70岁以上老人", "Aged 70 or over"),
    ("残疾人", "Person with a disability"),
    ("孕妇", "Pregnant"),
    ("其他行动不便者", "Other difficulty moving"),
)
# Common surnames for the complaint's optional name, by the initial of their pinyin; a name
# is not typed (the kiosk has no input method), it is picked: 王 + 女士.
SURNAMES_BY_INITIAL: dict[str, str] = {
    "a": "安艾敖", "b": "白包鲍毕卜", "c": "陈曹蔡崔程常车", "d": "邓丁董杜段戴",
    "e": "鄂", "f": "冯范方付傅费", "g": "郭高顾龚葛耿关", "h": "黄胡何韩侯贺郝洪",
    "j": "金江姜蒋贾焦纪", "k": "孔康柯", "l": "李刘林罗梁吕卢陆雷黎龙廖", "m": "马毛孟莫苗",
    "n": "倪聂牛宁", "o": "欧", "p": "潘彭裴庞", "q": "钱秦邱覃齐戚", "r": "任阮饶",
    "s": "孙宋苏沈石史邵施", "t": "唐田谭陶汤涂", "w": "王吴魏汪万武韦温", "x": "徐许谢肖萧熊夏薛",
    "y": "杨叶于余袁姚尹严易", "z": "张赵周朱郑曾钟邹左祝",
}


def text(key: str, lang: Lang, **values: object) -> str:
    """The string `key` in `lang`, with its {placeholders} filled."""
    zh, en = TEXTS[key]
    return (zh if lang is Lang.ZH else en).format(**values)


def closed_banner(lang: Lang, opens_again: datetime | None) -> str:
    """Not issuing tickets now, and when the hall opens again if the controller said."""
    banner = text("closed_banner", lang)
    if opens_again is None:
        return banner
    again = text("opens_again", lang, month=opens_again.month, day=opens_again.day,
                 date=f"{opens_again:%d %b}", clock=f"{opens_again:%H:%M}")
    return f"{banner}{again}" if lang is Lang.ZH else f"{banner} {again}"


def both(key: str, lang: Lang) -> tuple[str, str]:
    """The string in `lang` first and in the other language second (for big buttons)."""
    zh, en = TEXTS[key]
    return (zh, en) if lang is Lang.ZH else (en, zh)


def pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[0] if lang is Lang.ZH else pair[1]
