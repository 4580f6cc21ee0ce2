"""投诉办理: complaints with their due dates and the 30-minute first-contact clock, and each
complaint's steps; the full form with personal data for managers only, every look audited."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from console import intents
from console.context import ConsoleContext
from console.loop_words import LOOP_GLOBALS, field, loop_reader
from console.pages import Page
from console.pages.cases import loop_alerts
from console.roles import Action, may
from hall.core.complaint_handling import ComplaintStatus, Handling
from hall.core.masking import mask_personal
from hall.protocol import messages as m

STEPS = ("first_contact", "contact", "finding", "assign", "extend", "transfer", "close", "reopen")
STEP_DONE_ZH = {"first_contact": "首次联系已记录", "contact": "联系情况已记录",
                "finding": "调查核实已记录", "assign": "已指定承办人", "extend": "已延期至 15 个工作日",
                "transfer": "已转办", "close": "投诉已办结", "reopen": "投诉已重新办理"}
FULL_RECORD_ZH = {"name": "投诉人姓名", "id_number": "身份证号", "phone": "联系方式",
                  "event_time": "事发时间", "text": "投诉请求", "answer": "答复"}


@dataclass(frozen=True, slots=True)
class Clock:
    """Where a complaint stands against its deadlines at `now`, in words."""

    first_contact: str
    first_contact_late: bool
    overdue: bool
    due_soon: bool


def clock_of(h: Handling, now: datetime, today: date, warn_by: date) -> Clock:
    words, late = "", False
    if h.first_contact_due is not None:
        if h.first_contact_at is not None:
            late = h.first_contact_at > h.first_contact_due
            words = f"{h.first_contact_at:%H:%M} 已联系（{'超时' if late else '按时'}）"
        elif h.is_open:
            minutes = int((h.first_contact_due - now).total_seconds() // 60)
            late = minutes < 0
            words = f"已超时 {-minutes} 分钟" if late else f"还剩 {minutes} 分钟"
        else:
            late = h.first_contact_due < (h.closed_at or h.transferred_at or now)
            words = "未记录首次联系"
    open_ = h.is_open
    return Clock(words, late, open_ and today > h.answer_due,
                 open_ and today <= h.answer_due <= warn_by)


def forms_for(h: Handling) -> tuple[str, ...]:
    if h.status is ComplaintStatus.CLOSED:
        return ("reopen",)
    if not h.is_open:
        return ()
    first = ("first_contact",) if h.first_contact_due and h.first_contact_at is None else ()
    extend = () if h.extended else ("extend",)
    return (*first, "contact", "finding", "assign", *extend, "transfer", "close")


def routes(ctx: ConsoleContext) -> list[BaseRoute]:
    from console.security import guarded

    reader = loop_reader(ctx)
    ctx.templates.globals.update(LOOP_GLOBALS)
    hall = ctx.config.hall

    def clocks(handlings: list[Handling]) -> dict[str, Clock]:
        now = ctx.clock()
        today = now.astimezone(hall.timezone).date()
        warn_by = hall.calendar.add_working_days(today, hall.loop.warn_working_days).due
        return {h.tracking_number: clock_of(h, now, today, warn_by) for h in handlings}

    async def listing(request: Request) -> Response:
        handlings = reader.handlings()
        timed = clocks(handlings)
        handlings.sort(key=lambda h: (not h.is_open, not (timed[h.tracking_number].overdue
                                                          or timed[h.tracking_number]
                                                          .first_contact_late),
                                      h.answer_due, h.registered_at))
        return ctx.render(request, "complaints.html", handlings=handlings, clocks=timed,
                          alerts=loop_alerts(ctx, "complaint_"),
                          can_register=may(request.state.actor.role, Action.HANDLE_COMPLAINTS))

    def detail(request: Request, number: str, *, error: str = "", done: str = "",
               full: dict[str, str] | None = None, status_code: int = 200) -> Response:
        h = reader.handling(number)
        summary = reader.complaint_summary(number)
        if h is None or summary is None:
            return ctx.render(request, "error.html", status_code=404, status=404)
        role = request.state.actor.role
        return ctx.render(request, "complaint.html", status_code=status_code, h=h,
                          summary=summary, masked_text=mask_personal(summary.text),
                          steps=reader.complaint_steps(h.tracking_number),
                          clock=clocks([h])[h.tracking_number], error=error, done=done,
                          full=full, full_labels=FULL_RECORD_ZH,
                          businesses={b.code: b.name_zh for b in hall.catalogue.businesses},
                          forms=forms_for(h) if may(role, Action.HANDLE_COMPLAINTS) else (),
                          may_view=may(role, Action.VIEW_PERSONAL_DATA))

    async def show(request: Request) -> Response:
        return detail(request, request.path_params["number"])

    async def step(request: Request) -> Response:
        number, name = request.path_params["number"], request.path_params["step"]
        if name not in STEPS:
            return ctx.render(request, "error.html", status_code=404, status=404)
        form, intent = request.state.form, m.ComplaintStep
        outcome = await intents.send(
            ctx, intent, tracking_number=number, actor=request.state.actor.username, step=name,
            note=field(form, "note", intent), handler=field(form, "handler", intent),
            approved_by=field(form, "approved_by", intent),
            department=field(form, "department", intent),
            told_via=field(form, "told_via", intent),
            satisfaction=field(form, "satisfaction", intent))
        ctx.audit(request, f"complaint_{name}", number + ("" if outcome.ok
                                                          else f": {outcome.message}"))
        if not outcome.ok:
            return detail(request, number, error=outcome.message, status_code=409)
        return detail(request, number, done=STEP_DONE_ZH[name])

    async def view_full(request: Request) -> Response:
        number = request.path_params["number"]
        outcome = await intents.send(ctx, m.ViewComplaint, tracking_number=number,
                                     actor=request.state.actor.username)
        ctx.audit(request, "view_complaint", f"查看投诉个人信息 {number}" + (
            "" if outcome.ok else f": {outcome.message}"))
        if not outcome.ok or not isinstance(outcome.answer, m.LoopAnswer):
            return detail(request, number, error=outcome.message, status_code=409)
        return detail(request, number, full=outcome.answer.detail or {})

    view = Action.VIEW_LOOP
    return [Route("/complaints", guarded(ctx, view, listing)),
            Route("/complaints/{number:str}", guarded(ctx, view, show)),
            Route("/complaints/{number:str}/view",
                  guarded(ctx, Action.VIEW_PERSONAL_DATA, view_full), methods=["POST"]),
            Route("/complaints/{number:str}/{step:str}",
                  guarded(ctx, Action.HANDLE_COMPLAINTS, step), methods=["POST"])]


PAGE = Page(path="/complaints", title_zh="投诉办理", title_en="Complaints",
            action=Action.VIEW_LOOP, routes=routes)
