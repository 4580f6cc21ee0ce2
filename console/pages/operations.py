"""Open and close ticket issuing, and each business's cut-off (waiting tickets stay callable)."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from console import intents
from console.context import ConsoleContext
from console.pages import Page
from console.roles import Action, may
from hall.protocol import messages as m


def routes(ctx: ConsoleContext) -> list[BaseRoute]:
    from console.security import guarded

    async def show(request: Request) -> Response:
        return _page(ctx, request)

    async def set_issuing(request: Request) -> Response:
        wanted = str(request.state.form.get("issuing", ""))
        if wanted not in ("open", "close"):
            return _page(ctx, request, error="请选择开始或停止取号", status_code=400)
        outcome = await intents.send(ctx, m.OpenHall if wanted == "open" else m.CloseHall)
        ctx.audit(request, f"{wanted}_hall", "ok" if outcome.ok else outcome.message)
        if not outcome.ok:
            return _page(ctx, request, error=outcome.message, status_code=409)
        done = "已开始取号 · Ticket issuing opened" if wanted == "open" else \
            "已停止取号，已取号的市民仍会被叫到 · Issuing stopped; waiting tickets stay callable"
        return _page(ctx, request, done=done)

    async def set_cutoff(request: Request) -> Response:
        business = str(request.state.form.get("business", ""))
        wanted = str(request.state.form.get("mode", ""))
        known = {b.code: b for b in ctx.config.hall.catalogue.businesses}
        if business not in known or wanted not in CUTOFF_MODES:
            return _page(ctx, request, error="请选择业务和截止方式", status_code=400)
        outcome = await intents.send(ctx, m.SetIssuingCutoff, business=business,
                                     mode=m.CutoffMode(wanted))
        ctx.audit(request, "set_issuing_cutoff",
                  f"{business} {wanted}: {'ok' if outcome.ok else outcome.message}")
        if not outcome.ok:
            return _page(ctx, request, error=outcome.message, status_code=409)
        zh, en = CUTOFF_MODES[wanted]
        return _page(ctx, request, done=f"{known[business].name_zh}：{zh} · "
                                         f"{known[business].name_en}: {en}")

    return [Route("/operations", guarded(ctx, Action.VIEW_HALL, show)),
            Route("/operations/issuing", guarded(ctx, Action.OPERATE_HALL, set_issuing),
                  methods=["POST"]),
            Route("/operations/cutoff", guarded(ctx, Action.OPERATE_HALL, set_cutoff),
                  methods=["POST"])]


# The manager's choices for one business today: (Chinese, English).
CUTOFF_MODES = {
    "auto": ("按预计等候自动截止", "Automatic (by the estimate)"),
    "open": ("今日继续取号", "Keep issuing today"),
    "stop": ("今日停止取号", "Stop issuing today"),
}


def _page(ctx: ConsoleContext, request: Request, *, error: str = "", done: str = "",
          status_code: int = 200) -> Response:
    return ctx.render(request, "operations.html", status_code=status_code, error=error, done=done,
                      can_operate=may(request.state.actor.role, Action.OPERATE_HALL),
                      cutoff_modes=CUTOFF_MODES)


PAGE = Page(path="/operations", title_zh="开始/停止取号", title_en="Issuing",
            action=Action.VIEW_HALL, routes=routes)
