"""差评整改: the bad-rating cases, overdue first; each case's steps and the forms of its state.

Every step leaves as the controller's intent on behalf of the signed-in account; a look at the
rater's callback phone is the audited `view_callback_phone`, and goes to the console's audit log.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from console import intents
from console.context import ConsoleContext
from console.loop_words import LOOP_GLOBALS, case_due, field, loop_reader
from console.pages import Page
from console.roles import Action, may
from hall.core.cases import Case, CaseState, RectifyKind
from hall.protocol import messages as m

FILTERS = {"open": "未办结", "closed": "已办结", "all": "全部"}
LOOP_ALERT_PREFIXES = ("case_", "complaint_")
Step = Callable[[FormData], dict[str, Any]]


def forms_for(case: Case) -> tuple[str, ...]:
    """The step forms that fit the case's state now (the controller checks again)."""
    if case.state is CaseState.CALLBACK:
        anonymous_tried = not case.real_name and case.callback_attempts > 0
        return ("callback", "verify", "reassign") if anonymous_tried else ("callback", "reassign")
    if case.state is CaseState.VERIFY:
        return ("verify", "reassign")
    if case.state is CaseState.RECTIFY:
        if case.rectify_kind is RectifyKind.WITH_DEADLINE:
            return ("complete", "reassign")
        return ("rectify", "reassign")
    if case.state is CaseState.FEEDBACK:
        return ("feedback", "reassign")
    if case.state is CaseState.FOLLOW_UP:
        return ("close", "reassign")
    return ()


def sorted_for_desk(cases: list[Case], today: date) -> list[Case]:
    """Overdue first, then the soonest due; closed ones last, newest first among them."""
    return sorted(cases, key=lambda c: (c.state is CaseState.CLOSED, not c.is_overdue(today),
                                        case_due(c), c.opened_at))


def loop_alerts(ctx: ConsoleContext, prefix: str) -> list[Any]:
    return [a for a in ctx.live.snapshot().alerts if a.kind.startswith(prefix)]


def routes(ctx: ConsoleContext) -> list[BaseRoute]:
    from console.security import guarded

    reader = loop_reader(ctx)
    ctx.templates.globals.update(LOOP_GLOBALS)
    tz = ctx.config.hall.timezone

    def today() -> date:
        return ctx.clock().astimezone(tz).date()

    async def listing(request: Request) -> Response:
        show = request.query_params.get("show", "open")
        show = show if show in FILTERS else "open"
        window = request.query_params.get("window", "")
        owner = request.query_params.get("owner", "").strip()
        every = reader.cases()
        chosen = [c for c in every
                  if (show == "all" or (c.state is CaseState.CLOSED) == (show == "closed"))
                  and (not window or str(c.window) == window)
                  and (not owner or c.owner == owner)]
        day = today()
        return ctx.render(request, "cases.html", cases=sorted_for_desk(chosen, day), today=day,
                          show=show, window=window, owner=owner, filters=FILTERS,
                          owners=sorted({c.owner for c in every}),
                          windows=sorted({c.window for c in every}),
                          excluded=reader.excluded_rating_ids(),
                          alerts=loop_alerts(ctx, "case_"))

    def detail(request: Request, case_id: str, *, error: str = "", done: str = "",
               phone: str | None = None, status_code: int = 200) -> Response:
        case = reader.case(case_id)
        if case is None:
            return ctx.render(request, "error.html", status_code=404, status=404)
        role = request.state.actor.role
        appeals = [a for a in reader.appeals() if a.rating_id == case.rating_id]
        return ctx.render(request, "case.html", status_code=status_code, case=case,
                          steps=reader.case_steps(case_id), today=today(), error=error,
                          done=done, phone=phone, appeals=appeals,
                          forms=forms_for(case) if may(role, Action.HANDLE_CASES) else (),
                          business_names={b.code: b.name_zh
                                          for b in ctx.config.hall.catalogue.businesses},
                          may_see_phone=may(role, Action.VIEW_PERSONAL_DATA) and case.real_name,
                          excluded=case.rating_id in reader.excluded_rating_ids())

    async def show(request: Request) -> Response:
        return detail(request, request.path_params["case_id"])

    def yes(form: FormData, name: str) -> bool:
        return form.get(name) == "yes"

    steps: dict[str, tuple[type[m.CaseIntent], Step, str]] = {
        "callback": (m.RecordCallback, lambda f: {
            "channel": field(f, "channel", m.RecordCallback), "reached": yes(f, "reached"),
            "said": field(f, "said", m.RecordCallback)}, "回访已记录"),
        "verify": (m.VerifyCase, lambda f: {
            "confirmed": yes(f, "confirmed"), "note": field(f, "note", m.VerifyCase)},
            "核实已记录"),
        "rectify": (m.RectifyCase, lambda f: {
            "measure": field(f, "measure", m.RectifyCase), "plan": field(f, "plan", m.RectifyCase),
            "due": date.fromisoformat(str(f.get("due"))) if f.get("due") else None},
            "整改已记录"),
        "complete": (m.CompleteRectification, lambda f: {
            "note": field(f, "note", m.CompleteRectification)}, "限期整改已完成"),
        "feedback": (m.RecordFeedback, lambda f: {
            "channel": field(f, "channel", m.RecordFeedback),
            "note": field(f, "note", m.RecordFeedback)}, "反馈已记录，群众可通过原二维码追评一次"),
        "close": (m.CloseCase, lambda f: {"note": field(f, "note", m.CloseCase)}, "已办结"),
        "reassign": (m.ReassignCase, lambda f: {"owner": field(f, "owner", m.ReassignCase)},
                     "已转交"),
    }

    def step_endpoint(name: str) -> Callable[[Request], Awaitable[Response]]:
        intent, read, done = steps[name]

        async def run(request: Request) -> Response:
            case_id = request.path_params["case_id"]
            try:
                fields = read(request.state.form)
            except ValueError:
                return detail(request, case_id, error="日期格式不正确", status_code=400)
            outcome = await intents.send(ctx, intent, case_id=case_id,
                                         actor=request.state.actor.username, **fields)
            ctx.audit(request, intent.KIND, f"{case_id}" + ("" if outcome.ok
                                                            else f": {outcome.message}"))
            if not outcome.ok:
                return detail(request, case_id, error=outcome.message, status_code=409)
            return detail(request, case_id, done=done)

        return run

    async def view_phone(request: Request) -> Response:
        case_id = request.path_params["case_id"]
        outcome = await intents.send(ctx, m.ViewCallbackPhone, case_id=case_id,
                                     actor=request.state.actor.username)
        if not outcome.ok or not isinstance(outcome.answer, m.LoopAnswer):
            ctx.audit(request, "view_callback_phone", f"{case_id}: {outcome.message}")
            return detail(request, case_id, error=outcome.message, status_code=409)
        ctx.audit(request, "view_callback_phone", f"查看差评回访电话 case {case_id}")
        phone = (outcome.answer.detail or {}).get("phone", "")
        return detail(request, case_id, phone=phone or "（未留电话）")

    view, handle = Action.VIEW_LOOP, Action.HANDLE_CASES
    routes: list[BaseRoute] = [
        Route("/cases", guarded(ctx, view, listing)),
        Route("/cases/{case_id:str}", guarded(ctx, view, show)),
        Route("/cases/{case_id:str}/phone", guarded(ctx, Action.VIEW_PERSONAL_DATA, view_phone),
              methods=["POST"]),
    ]
    routes += [Route(f"/cases/{{case_id:str}}/{name}", guarded(ctx, handle, step_endpoint(name)),
                     methods=["POST"]) for name in steps]
    return routes


PAGE = Page(path="/cases", title_zh="差评整改", title_en="Bad-rating cases",
            action=Action.VIEW_LOOP, routes=routes)
