"""复核抽查: each year at least 5% of real-name bad ratings, drawn with a recorded seed (drawn
again here to show it is reproducible), and each re-check's result."""
from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from console import intents
from console.context import ConsoleContext
from console.loop_words import LOOP_GLOBALS, field, loop_reader
from console.pages import Page
from console.roles import Action, may
from hall.core.appeals import draw_recheck
from hall.protocol import messages as m


def routes(ctx: ConsoleContext) -> list[BaseRoute]:
    from console.security import guarded

    reader = loop_reader(ctx)
    ctx.templates.globals.update(LOOP_GLOBALS)

    def year_of(request: Request) -> int:
        text = str(request.query_params.get("year") or request.path_params.get("year") or "")
        return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 \
            else ctx.clock().astimezone(ctx.config.hall.timezone).year

    def page(request: Request, year: int, *, error: str = "", done: str = "",
             status_code: int = 200) -> Response:
        draw = reader.draw(year)
        reproduced = None
        if draw is not None:
            again = draw_recheck(year, reader.real_name_bad_ratings(year, draw.drawn_at),
                                 share=draw.share, seed=draw.seed, drawn_by="", now=draw.drawn_at)
            reproduced = again.drawn == draw.drawn
        cases = {c.rating_id: c for c in reader.cases()}
        return ctx.render(request, "rechecks.html", status_code=status_code, year=year,
                          draw=draw, reproduced=reproduced, results=reader.rechecks(year),
                          cases=cases, population=len(reader.real_name_bad_ratings(year)),
                          share=ctx.config.hall.loop.recheck_share,
                          suggested_seed=secrets.token_hex(4), error=error, done=done,
                          can_change=may(request.state.actor.role, Action.HANDLE_CASES))

    async def show(request: Request) -> Response:
        return page(request, year_of(request))

    async def draw(request: Request) -> Response:
        year = year_of(request)
        seed = field(request.state.form, "seed", m.DrawRecheck)
        outcome = await intents.send(ctx, m.DrawRecheck, year=year, seed=seed,
                                     actor=request.state.actor.username)
        ctx.audit(request, "draw_recheck", f"{year} seed {seed}" + (
            "" if outcome.ok else f": {outcome.message}"))
        if not outcome.ok:
            return page(request, year, error=outcome.message, status_code=409)
        return page(request, year, done=f"{year} 年复核抽查已抽取")

    async def record(request: Request) -> Response:
        year = year_of(request)
        rating_id = field(request.state.form, "rating_id", m.RecordRecheck)
        outcome = await intents.send(ctx, m.RecordRecheck, rating_id=rating_id,
                                     result=field(request.state.form, "result", m.RecordRecheck),
                                     actor=request.state.actor.username)
        ctx.audit(request, "record_recheck", rating_id + (
            "" if outcome.ok else f": {outcome.message}"))
        if not outcome.ok:
            return page(request, year, error=outcome.message, status_code=409)
        return page(request, year, done="复核结果已记录")

    change = Action.HANDLE_CASES
    return [Route("/rechecks", guarded(ctx, Action.VIEW_LOOP, show)),
            Route("/rechecks/{year:int}/draw", guarded(ctx, change, draw), methods=["POST"]),
            Route("/rechecks/{year:int}/result", guarded(ctx, change, record), methods=["POST"])]


PAGE = Page(path="/rechecks", title_zh="复核抽查", title_en="Re-check draw",
            action=Action.VIEW_LOOP, routes=routes)
