"""投诉登记: a complaint by phone, letter, online or a 12345 referral, on the form of document
000, read back to the complainant on a confirmation step before it is saved."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from console import intents
from console.context import ConsoleContext
from console.loop_words import LOOP_GLOBALS, field
from console.pages import Page
from console.roles import Action
from hall.core.complaint_handling import CHANNEL_ZH, ComplaintChannel
from hall.core.complaints import COMMON_REASONS_ZH, ComplaintCategory, ComplaintRefused, file_complaint
from hall.protocol import messages as m

CONSOLE_CHANNELS = {c.value: CHANNEL_ZH[c] for c in (
    ComplaintChannel.PHONE, ComplaintChannel.LETTER, ComplaintChannel.ONLINE,
    ComplaintChannel.HOTLINE_12345)}
# What the core's refusal reasons mean for the person typing the form.
FORM_ERRORS_ZH = {
    "reasons": "请选择投诉事由，或写明投诉请求", "phone": "联系电话格式不正确",
    "id_number": "身份证号应为 18 位", "name": "姓名过长", "text": "投诉请求过长",
    "channel": "请选择投诉渠道", "category": "请选择投诉类别",
}


@dataclass(frozen=True, slots=True)
class ComplaintForm:
    """The form of document 000 as typed, kept through the read-back and any refusal."""

    channel: str = "phone"
    category: str = "handling"
    reasons: tuple[str, ...] = ()
    name: str = ""
    id_number: str = ""
    phone: str = ""
    event_time: str = ""
    business: str = ""
    text: str = ""

    @classmethod
    def read(cls, form: FormData) -> ComplaintForm:
        intent = m.RegisterComplaint
        return cls(channel=field(form, "channel", intent), category=field(form, "category", intent),
                   reasons=tuple(r for r in dict.fromkeys(str(v) for v in form.getlist("reasons"))
                                 if r in COMMON_REASONS_ZH),
                   name=field(form, "name", intent), id_number=field(form, "id_number", intent),
                   phone=field(form, "phone", intent),
                   event_time=field(form, "event_time", intent),
                   business=field(form, "business", intent), text=field(form, "text", intent))

    def problem(self, ctx: ConsoleContext, actor: str) -> str:
        """What stops the form being read back, checked by the same pure rules the controller
        applies (which checks again when it is saved)."""
        if self.channel not in CONSOLE_CHANNELS:
            return FORM_ERRORS_ZH["channel"]
        if self.category not in ComplaintCategory.__members__.values():
            return FORM_ERRORS_ZH["category"]
        try:
            file_complaint(sequence=0, category=ComplaintCategory(self.category),
                           reasons=self.reasons, text=self.text, name=self.name,
                           id_number=self.id_number, phone=self.phone, business=self.business,
                           first_responder=actor, hours=ctx.config.hall.catalogue.hours,
                           now=ctx.clock())
        except ComplaintRefused as refused:
            return FORM_ERRORS_ZH.get(str(refused.fields.get("reason", "")), str(refused))
        return ""


def routes(ctx: ConsoleContext) -> list[BaseRoute]:
    from console.security import guarded

    ctx.templates.globals.update(LOOP_GLOBALS)

    def page(request: Request, form: ComplaintForm, *, step: str = "form", error: str = "",
             status_code: int = 200) -> Response:
        return ctx.render(request, "complaint_new.html", status_code=status_code, form=form,
                          step=step, error=error, channels=CONSOLE_CHANNELS,
                          businesses=ctx.config.hall.catalogue.businesses)

    async def blank(request: Request) -> Response:
        return page(request, ComplaintForm())

    async def read_back(request: Request) -> Response:
        form = ComplaintForm.read(request.state.form)
        error = form.problem(ctx, request.state.actor.username)
        if error or request.state.form.get("edit"):
            return page(request, form, error=error, status_code=400 if error else 200)
        return page(request, form, step="read_back")

    async def save(request: Request) -> Response:
        form = ComplaintForm.read(request.state.form)
        values = asdict(form)
        outcome = await intents.send(ctx, m.RegisterComplaint, actor=request.state.actor.username,
                                     **{**values, "category": ComplaintCategory(form.category)
                                        if form.category in ComplaintCategory.__members__.values()
                                        else ComplaintCategory.OTHER})
        answer = outcome.answer
        ref = answer.ref if isinstance(answer, m.LoopAnswer) else ""
        ctx.audit(request, "register_complaint", f"{CONSOLE_CHANNELS.get(form.channel, '')} "
                  f"{ref or outcome.message}")
        if not outcome.ok or not ref:
            return page(request, form, step="read_back", error=outcome.message, status_code=409)
        return ctx.render(request, "complaint_saved.html", answer=answer, form=form,
                          channels=CONSOLE_CHANNELS)

    handle = Action.HANDLE_COMPLAINTS
    return [Route("/complaints/new", guarded(ctx, handle, blank)),
            Route("/complaints/new/check", guarded(ctx, handle, read_back), methods=["POST"]),
            Route("/complaints/new", guarded(ctx, handle, save), methods=["POST"])]


PAGE = Page(path="/complaints/new", title_zh="投诉登记", title_en="Register a complaint",
            action=Action.HANDLE_COMPLAINTS, routes=routes, in_nav=False)
