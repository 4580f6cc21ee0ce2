"""The citizen's phone page behind every rating QR: live progress before, 好差评 after.

Public (no login): rate-limited per client, a form token bound to the code, nothing personal.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from console import intents, phone_follow_up
from console.context import ConsoleContext, client_address
from console.security import is_same_origin, read_form
from hall.core.ratings import BAD_REASONS_ZH, MAX_COMMENT_CHARS, SUB_INDICATORS_ZH, RatingLevel
from hall.protocol import messages as m
from hall.public_texts import wait_words

# r1.<hall>.<ticket>.<expiry>.<signature>: a few dozen URL-safe characters.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9._-]{10,200}")
# The optional callback phone of a rating (回访): a mainland mobile number, for managers only.
MOBILE = re.compile(r"1[3-9][0-9]{9}")
PROGRESS_REFRESH_S = 10


@dataclass(frozen=True, slots=True)
class RatingForm:
    level: str = ""
    sub_scores: dict[str, str] = field(default_factory=dict)
    reasons: tuple[str, ...] = ()
    comment: str = ""
    callback_phone: str = ""

    @classmethod
    def read(cls, form: FormData) -> RatingForm:
        levels = {lv.value for lv in RatingLevel}
        return cls(
            level=str(form.get("level", "")) if form.get("level") in levels else "",
            sub_scores={k: str(form.get(f"sub_{k}")) for k in SUB_INDICATORS_ZH
                        if form.get(f"sub_{k}") in levels},
            reasons=tuple(r for r in dict.fromkeys(str(v) for v in form.getlist("reasons"))
                          if r in BAD_REASONS_ZH),
            comment=str(form.get("comment", "")).strip()[:MAX_COMMENT_CHARS],
            callback_phone=re.sub(r"[\s-]", "", str(form.get("callback_phone", "")))[:20])


# Polite pages for every code that cannot be used; keys are (code, reason) of the refusal.
MESSAGES = {
    "forged": ("无法识别此二维码", "This code was not issued by this hall.",
               "请确认扫描的是本大厅打印的取号凭条上的二维码。"),
    "expired": ("评价时间已过", "The time for rating this service has passed.",
                "办事后 24 小时内可以评价。感谢您的关注，如有意见可到大厅咨询台反映。"),
    "used": ("该次服务已评价", "This service has already been rated.",
             "一次服务只能评价一次。感谢您的评价！"),
    "other_hall": ("这是其他大厅的二维码", "This code belongs to another hall.",
                   "请在办理业务的大厅评价。"),
    "over": ("该号已失效", "This ticket is no longer in the queue.",
             "如需继续办理，请重新取号或到咨询台咨询。"),
    "busy": ("请求过于频繁", "Too many requests.", "请稍候一分钟再试。"),
    "offline": ("暂时无法连接", "The hall system is not answering right now.",
                "请稍后刷新本页。您的排队不受影响。"),
    "thanks": ("感谢您的评价！", "Thank you for your rating!", "您的评价已记录。"),
    **phone_follow_up.FOLLOW_UP_MESSAGES,
}


def _reason_key(answer: m.Rejected) -> str:
    reason = (answer.detail or {}).get("reason", "")
    if answer.code == "invalid_rating_token":
        return "expired" if reason == "expired" else "forged"
    if answer.code == "rating_refused":
        return {"already_rated": "used", "expired": "expired", "other_hall": "other_hall",
                "not_finished": "not_finished"}.get(reason, "form")
    if answer.code == "unknown_ticket":
        return "forged"
    return "offline"


def routes(ctx: ConsoleContext) -> list[BaseRoute]:
    follow_ups = phone_follow_up.FollowUps(ctx)

    def message(request: Request, key: str, lang: str, status_code: int) -> Response:
        title_zh, title_en, body_zh = MESSAGES[key]
        return ctx.render(request, "phone_message.html", status_code=status_code, key=key,
                          title_zh=title_zh, title_en=title_en, body_zh=body_zh, lang=lang)

    async def lookup(request: Request, token: str) -> m.TicketProgress | str:
        outcome = await intents.send(ctx, m.LookupTicketProgress, rating_token=token)
        if isinstance(outcome.answer, m.TicketProgress):
            return outcome.answer
        if isinstance(outcome.answer, m.Rejected):
            return _reason_key(outcome.answer)
        return "offline"

    def admitted(request: Request, token: str) -> str:
        """'' when the request may go on, else the message key that answers it."""
        if not ctx.phone_limiter.allow(client_address(request)):
            return "busy"
        return "" if TOKEN_SHAPE.fullmatch(token) else "forged"

    async def posted_form(request: Request, token: str) -> tuple[FormData, str] | Response:
        """A phone form's fields and language, or the refusal of a limited, malformed or
        cross-site post."""
        form = await read_form(request)
        lang = "en" if form.get("lang") == "en" else "zh"
        refused = admitted(request, token)
        if refused:
            return message(request, refused, lang, 429 if refused == "busy" else 404)
        if not is_same_origin(request) or not hmac.compare_digest(
                str(form.get("form_token", "")), ctx.phone_form_token(token)):
            return message(request, "forged", lang, 403)
        return form, lang

    def progress_page(request: Request, token: str, progress: m.TicketProgress, lang: str, *,
                      form: RatingForm | None = None, error: str = "",
                      status_code: int = 200, fragment: bool = False) -> Response:
        if fragment and progress.status not in (m.TicketStatus.WAITING, m.TicketStatus.CALLED,
                                                m.TicketStatus.PARKED):
            # The ticket's state moved on (served, rated, over): load the whole page anew.
            return HTMLResponse("", headers={"HX-Refresh": "true"})
        if progress.status in (m.TicketStatus.NO_SHOW, m.TicketStatus.EXPIRED):
            return message(request, "over", lang, 410)
        if progress.status is m.TicketStatus.FINISHED:
            if progress.is_rated:
                return message(request, "used", lang, 409)
            if not progress.can_rate:
                return message(request, "expired", lang, 410)
        values = {"token": token, "progress": progress, "lang": lang,
                  "wait": _wait_words(ctx, progress, lang),
                  "form": form or RatingForm(), "error": error,
                  "form_token": ctx.phone_form_token(token), "refresh_s": PROGRESS_REFRESH_S,
                  "max_comment": MAX_COMMENT_CHARS}
        if fragment:
            return HTMLResponse(ctx.fragment("_phone_progress.html", **values))
        return ctx.render(request, "phone.html", status_code=status_code, **values)

    async def show(request: Request) -> Response:
        token = request.path_params["token"]
        lang = "en" if request.query_params.get("lang") == "en" else "zh"
        refused = admitted(request, token)
        if refused:
            return message(request, refused, lang, 429 if refused == "busy" else 404)
        fragment = request.url.path.endswith("/progress")
        found = await lookup(request, token)
        # Only a code whose signature the controller accepted may see the 追评 (an expired one
        # still may: the feedback comes days after the rating).
        signed = isinstance(found, m.TicketProgress) or found == "expired"
        follow_up = follow_ups.state(token) if signed and not fragment else None
        if follow_up is phone_follow_up.FollowUp.OFFER:
            return follow_ups.page(request, token, lang)
        if follow_up is phone_follow_up.FollowUp.DONE:
            return message(request, "follow_up_done", lang, 200)
        if isinstance(found, str):
            if fragment:
                # A passing outage keeps what the page shows (htmx swaps nothing on 204).
                return Response(status_code=204) if found == "offline" else HTMLResponse(
                    "", headers={"HX-Refresh": "true"})
            return message(request, found if found in MESSAGES else "forged", lang,
                           503 if found == "offline" else 404)
        return progress_page(request, token, found, lang, fragment=fragment)

    async def submit(request: Request) -> Response:
        token = request.path_params["token"]
        posted = await posted_form(request, token)
        if isinstance(posted, Response):
            return posted
        form_data, lang = posted
        form = RatingForm.read(form_data)
        error = _form_error(form)
        outcome = None
        if not error:
            # The same submission twice (a double tap, a resend) carries the same request id:
            # the controller records it once and answers both alike.
            request_id = hashlib.sha256(repr((token, form)).encode("utf-8")).hexdigest()[:32]
            outcome = await intents.send(
                ctx, m.SubmitRating, request_id=request_id, rating_token=token,
                level=RatingLevel(form.level),
                sub_scores={k: RatingLevel(v) for k, v in form.sub_scores.items()} or None,
                reasons=form.reasons, comment=form.comment,
                callback_phone=form.callback_phone)
            if outcome.ok:
                return message(request, "thanks", lang, 200)
            if isinstance(outcome.answer, m.Rejected):
                key = _reason_key(outcome.answer)
                if key in MESSAGES:
                    return message(request, key, lang, 409)
                error = "请选择不满意的原因；选择“其他”时请写几句话。"
            else:
                return message(request, "offline", lang, 503)
        found = await lookup(request, token)
        if isinstance(found, str):
            return message(request, found if found in MESSAGES else "forged", lang, 404)
        return progress_page(request, token, found, lang, form=form, error=error,
                             status_code=400)

    return [Route("/r/{token:str}", show, methods=["GET"]),
            Route("/r/{token:str}/progress", show, methods=["GET"]),
            Route("/r/{token:str}", submit, methods=["POST"]),
            *phone_follow_up.routes(ctx, follow_ups, message, posted_form)]


def _form_error(form: RatingForm) -> str:
    if not form.level:
        return "请选择您对本次服务的总体评价。"
    if RatingLevel(form.level).is_bad and not form.reasons:
        return "选择“不满意”或“非常不满意”时，请至少选择一个原因。"
    if "other" in form.reasons and not form.comment:
        return "选择“其他”时，请写几句话说明。"
    if form.callback_phone and not MOBILE.fullmatch(form.callback_phone):
        return "手机号应为 11 位数字，如 13800001234；不需要回访可不填。"
    return ""


def _wait_words(ctx: ConsoleContext, progress: m.TicketProgress, lang: str) -> str:
    """The remaining wait as a range (the controller's per-ticket waits, as the queue moves);
    the lookup's own point figure when no range for this place in the queue has come yet."""
    low = high = None
    published = ctx.live.ticket_wait(progress.number)
    if published is not None and published.people_ahead == progress.people_ahead:
        low, high = published.low_min, published.high_min
    return wait_words(progress.est_wait_min, low, high, english=lang == "en")
