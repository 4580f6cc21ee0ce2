"""The append-only audit log: who did what, in which role, when, from where."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from console.context import ConsoleContext
from console.pages import Page
from console.roles import Action


def routes(ctx: ConsoleContext) -> list[BaseRoute]:
    from console.security import guarded

    async def show(request: Request) -> Response:
        ctx.audit(request, "view_audit", "")
        return ctx.render(request, "audit.html", entries=ctx.accounts.store.audit(300))

    return [Route("/audit", guarded(ctx, Action.VIEW_AUDIT, show))]


PAGE = Page(path="/audit", title_zh="操作日志", title_en="Audit log", action=Action.VIEW_AUDIT,
            routes=routes)
