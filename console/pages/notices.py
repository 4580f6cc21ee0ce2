"""Notices on the walls: push now or scheduled, preview as the wall shows it, edit, retract."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from console import intents
from console.context import ConsoleContext
from console.pages import Page
from console.roles import Action, may
from hall.core.notices import MAX_NOTICE_CHARS
from hall.protocol import messages as m


@dataclass(frozen=True, slots=True)
class NoticeForm:
    """What the manager typed, kept as typed when the controller refuses it."""

    text_zh: str = ""
    text_en: str = ""
    urgent: bool = False
    starts: str = ""
    expires: str = ""

    @classmethod
    def read(cls, form: FormData) -> NoticeForm:
        return cls(text_zh=str(form.get("text_zh", "")).strip()[:MAX_NOTICE_CHARS * 2],
                   text_en=str(form.get("text_en", "")).strip()[:MAX_NOTICE_CHARS * 4],
                   urgent=form.get("urgent") == "on",
                   starts=str(form.get("starts", ""))[:20], expires=str(form.get("expires", ""))[:20])

    @classmethod
    def of(cls, notice: m.NoticeView) -> NoticeForm:
        return cls(notice.text_zh, notice.text_en, notice.urgent, _local(notice.starts_at),
                   _local(notice.expires_at))


def wall_text(text_zh: str, text_en: str) -> str:
    """The words as the wall joins them (display_wall/screen_state.py: zh, two spaces, en)."""
    return f"{text_zh}  {text_en}".strip()


def routes(ctx: ConsoleContext) -> list[BaseRoute]:
    from console.security import guarded

    tz = ctx.config.hall.timezone

    def moment(text: str) -> datetime | None:
        if not text:
            return None
        parsed = datetime.fromisoformat(text)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)

    def page(request: Request, form: NoticeForm | None = None, *, error: str = "",
             done: str = "", status_code: int = 200) -> Response:
        notices = ctx.live.snapshot().notices
        return ctx.render(request, "notices.html", status_code=status_code,
                          notices=notices.notices if notices else (), form=form or NoticeForm(),
                          error=error, done=done, max_chars=MAX_NOTICE_CHARS,
                          can_edit=may(request.state.actor.role, Action.EDIT_NOTICES))

    async def show(request: Request) -> Response:
        return page(request)

    async def push(request: Request) -> Response:
        form = NoticeForm.read(request.state.form)
        try:
            starts, expires = moment(form.starts), moment(form.expires)
        except ValueError:
            return page(request, form, error="时间格式不正确", status_code=400)
        outcome = await intents.send(ctx, m.PushNotice, text_zh=form.text_zh,
                                     text_en=form.text_en, urgent=form.urgent,
                                     starts_at=starts, expires_at=expires)
        ctx.audit(request, "push_notice", form.text_zh[:80] if outcome.ok else outcome.message)
        if not outcome.ok:
            return page(request, form, error=outcome.message, status_code=409)
        return page(request, done="公告已发布 · Notice published")

    async def edit_form(request: Request) -> Response:
        notice_id = request.path_params["notice_id"]
        notices = ctx.live.snapshot().notices
        found = [n for n in (notices.notices if notices else ()) if n.notice_id == notice_id]
        if not found:
            return page(request, error="该公告已不存在（可能已撤下或过期）", status_code=404)
        return ctx.render(request, "notice_edit.html", notice_id=notice_id,
                          form=NoticeForm.of(found[0]), error="", max_chars=MAX_NOTICE_CHARS)

    async def edit(request: Request) -> Response:
        notice_id = request.path_params["notice_id"]
        form = NoticeForm.read(request.state.form)
        try:
            starts, expires = moment(form.starts), moment(form.expires)
        except ValueError:
            outcome = intents.Outcome(False, "时间格式不正确")
        else:
            outcome = await intents.send(ctx, m.ReplaceNotice, notice_id=notice_id,
                                         text_zh=form.text_zh, text_en=form.text_en,
                                         urgent=form.urgent, starts_at=starts, expires_at=expires)
        ctx.audit(request, "edit_notice", f"{notice_id}: " + (form.text_zh[:80] if outcome.ok
                                                              else outcome.message))
        if not outcome.ok:
            return ctx.render(request, "notice_edit.html", status_code=409, notice_id=notice_id,
                              form=form, error=outcome.message, max_chars=MAX_NOTICE_CHARS)
        return page(request, done="公告已修改 · Notice updated")

    async def retract(request: Request) -> Response:
        notice_id = request.path_params["notice_id"]
        outcome = await intents.send(ctx, m.RetractNotice, notice_id=notice_id)
        ctx.audit(request, "retract_notice", notice_id if outcome.ok else outcome.message)
        if not outcome.ok:
            return page(request, error=outcome.message, status_code=409)
        return page(request, done="公告已撤下 · Notice retracted")

    async def preview(request: Request) -> Response:
        form = NoticeForm.read(request.state.form)
        return HTMLResponse(ctx.fragment("_notice_preview.html", form=form,
                                         text=wall_text(form.text_zh, form.text_en)))

    view, change = Action.VIEW_NOTICES, Action.EDIT_NOTICES
    return [Route("/notices", guarded(ctx, view, show)),
            Route("/notices", guarded(ctx, change, push), methods=["POST"]),
            Route("/notices/preview", guarded(ctx, view, preview), methods=["POST"]),
            Route("/notices/{notice_id:str}/edit", guarded(ctx, change, edit_form)),
            Route("/notices/{notice_id:str}/edit", guarded(ctx, change, edit), methods=["POST"]),
            Route("/notices/{notice_id:str}/retract", guarded(ctx, change, retract),
                  methods=["POST"])]


def _local(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%dT%H:%M}" if moment else ""


PAGE = Page(path="/notices", title_zh="公告", title_en="Notices", action=Action.VIEW_NOTICES,
            routes=routes)
