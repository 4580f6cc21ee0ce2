"""申诉复核: a clerk's appeal of a rating (entered for them), decided by another manager or a
supervisor; an upheld appeal takes the rating out of every statistic, marked 已排除."""
from __future__ import annotations

from datetime import date

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from console import intents
from console.context import ConsoleContext
from console.loop_words import LOOP_GLOBALS, field, loop_reader
from console.pages import Page
from console.roles import Action, may
from hall.core.appeals import Appeal
from hall.core.cases import Case
from hall.protocol import messages as m


def may_decide(username: str, role: str, appeal: Appeal, owner: str) -> tuple[bool, str]:
    """Whether this account may decide the appeal, and why not (the controller checks again)."""
    if not may(role, Action.DECIDE_APPEALS):
        return False, "本账号只能查看"
    if username == appeal.filed_by:
        return False, "不能复核自己的申诉"
    if role == "manager" and username == owner:
        return False, "您是该案件的负责人，须由其他负责人或督查复核"
    return True, ""


def routes(ctx: ConsoleContext) -> list[BaseRoute]:
    from console.security import guarded

    reader = loop_reader(ctx)
    ctx.templates.globals.update(LOOP_GLOBALS)
    hall = ctx.config.hall

    def appeal_deadline(case: Case) -> date:
        return hall.calendar.add_working_days(case.opened_at.date(),
                                              hall.loop.appeal_working_days).due

    def page(request: Request, *, error: str = "", done: str = "",
             status_code: int = 200) -> Response:
        actor = request.state.actor
        today = ctx.clock().astimezone(hall.timezone).date()
        cases = {c.rating_id: c for c in reader.cases()}
        appeals = sorted(reader.appeals(), key=lambda a: (not a.pending, a.filed_at))
        appealed = {a.rating_id for a in appeals if a.pending or a.upheld}
        deciding = {a.appeal_id: may_decide(actor.username, actor.role, a,
                                            cases[a.rating_id].owner if a.rating_id in cases
                                            else "") for a in appeals}
        open_to_appeal = [(c, appeal_deadline(c)) for c in cases.values()
                          if c.rating_id not in appealed and appeal_deadline(c) >= today]
        return ctx.render(request, "appeals.html", status_code=status_code, appeals=appeals,
                          cases=cases, deciding=deciding, open_to_appeal=open_to_appeal,
                          appeal_days=hall.loop.appeal_working_days, error=error, done=done,
                          can_file=may(actor.role, Action.HANDLE_CASES))

    async def show(request: Request) -> Response:
        return page(request)

    async def file(request: Request) -> Response:
        form = request.state.form
        rating_id = field(form, "rating_id", m.AppealRating)
        staff_id = field(form, "staff_id", m.AppealRating, "actor")
        outcome = await intents.send(ctx, m.AppealRating, rating_id=rating_id, actor=staff_id,
                                     reason=field(form, "reason", m.AppealRating))
        ctx.audit(request, "appeal_rating", f"{rating_id} 工号 {staff_id}" + (
            "" if outcome.ok else f": {outcome.message}"))
        if not outcome.ok:
            return page(request, error=outcome.message, status_code=409)
        return page(request, done="申诉已登记，待复核 · Appeal filed")

    async def decide(request: Request) -> Response:
        form = request.state.form
        appeal_id = request.path_params["appeal_id"]
        upheld = form.get("upheld") == "yes"
        actor = request.state.actor
        outcome = await intents.send(
            ctx, m.DecideAppeal, appeal_id=appeal_id, actor=actor.username, role=actor.role,
            upheld=upheld, reason=field(form, "reason", m.DecideAppeal),
            exclusion=field(form, "exclusion", m.DecideAppeal) if upheld else "")
        ctx.audit(request, "decide_appeal", f"{appeal_id} {'upheld' if upheld else 'rejected'}"
                  + ("" if outcome.ok else f": {outcome.message}"))
        if not outcome.ok:
            return page(request, error=outcome.message, status_code=409)
        return page(request, done="申诉成立，该评价已排除出统计" if upheld else "申诉不成立，评价保留")

    return [Route("/appeals", guarded(ctx, Action.VIEW_LOOP, show)),
            Route("/appeals", guarded(ctx, Action.HANDLE_CASES, file), methods=["POST"]),
            Route("/appeals/{appeal_id:str}/decide",
                  guarded(ctx, Action.DECIDE_APPEALS, decide), methods=["POST"])]


PAGE = Page(path="/appeals", title_zh="申诉复核", title_en="Appeals", action=Action.VIEW_LOOP,
            routes=routes)
