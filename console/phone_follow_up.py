"""追评 on the phone page: after a bad rating's case gave its feedback, the same QR offers one
follow-up rating (`submit_follow_up`); after it, the page says politely that it is done."""
from __future__ import annotations

import enum
import hashlib
from collections.abc import Awaitable, Callable

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from console import intents
from console.context import ConsoleContext
from console.loop_words import loop_reader
from hall.core.cases import CaseState
from hall.core.rating_token import TOKEN_VERSION
from hall.core.ratings import RatingLevel
from hall.protocol import messages as m

Message = Callable[[Request, str, str, int], Response]
PostedForm = Callable[[Request, str], Awaitable[tuple[FormData, str] | Response]]
MAX_COMMENT = m.text_limit(m.SubmitFollowUp, "comment")
FOLLOW_UP_MESSAGES = {
    "follow_up_thanks": ("感谢您的追评！", "Thank you for your follow-up rating!",
                         "您的意见已记录，我们会继续改进服务。"),
    "follow_up_done": ("您已追评过本次服务", "This service already has your follow-up rating.",
                       "每次服务只能追评一次。感谢您的关注与监督！"),
}


class FollowUp(enum.Enum):
    NONE = "none"
    OFFER = "offer"
    DONE = "done"


def ticket_of(token: str) -> str:
    """The ticket a code names, unverified: enough to choose the page; the controller verifies
    the code's signature when the 追评 is sent."""
    parts = token.split(".")
    return parts[2] if len(parts) == 5 and parts[0] == TOKEN_VERSION else ""


class FollowUps:
    def __init__(self, ctx: ConsoleContext) -> None:
        self._ctx = ctx
        self._reader = loop_reader(ctx)

    def state(self, token: str) -> FollowUp:
        ticket_id = ticket_of(token)
        case = self._reader.case_of_ticket(ticket_id) if ticket_id else None
        if case is None:
            return FollowUp.NONE
        if case.follow_up_level is not None:
            return FollowUp.DONE
        return FollowUp.OFFER if case.state is CaseState.FOLLOW_UP else FollowUp.NONE

    def page(self, request: Request, token: str, lang: str, *, error: str = "",
             status_code: int = 200) -> Response:
        return self._ctx.render(request, "phone_follow_up.html", status_code=status_code,
                                token=token, lang=lang, error=error,
                                form_token=self._ctx.phone_form_token(token),
                                max_comment=MAX_COMMENT)


def routes(ctx: ConsoleContext, follow_ups: FollowUps, message: Message,
           posted_form: PostedForm) -> list[BaseRoute]:
    async def submit(request: Request) -> Response:
        token = request.path_params["token"]
        posted = await posted_form(request, token)
        if isinstance(posted, Response):
            return posted
        form, lang = posted
        level = str(form.get("level", ""))
        if level not in RatingLevel.__members__.values():
            return follow_ups.page(request, token, lang, error="请选择您对整改结果的评价。",
                                   status_code=400)
        comment = str(form.get("comment", "")).strip()[:MAX_COMMENT]
        request_id = hashlib.sha256(repr(("follow_up", token, level, comment)).encode()
                                    ).hexdigest()[:32]
        outcome = await intents.send(ctx, m.SubmitFollowUp, request_id=request_id,
                                     rating_token=token, level=RatingLevel(level),
                                     comment=comment)
        if outcome.ok:
            return message(request, "follow_up_thanks", lang, 200)
        if isinstance(outcome.answer, m.Rejected):
            reason = (outcome.answer.detail or {}).get("reason", "")
            key = "follow_up_done" if reason == "already_followed_up" else "forged"
            return message(request, key, lang, 409)
        return message(request, "offline", lang, 503)

    return [Route("/r/{token:str}/follow-up", submit, methods=["POST"])]
