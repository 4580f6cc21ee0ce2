"""The console's ASGI app: one app object, thin pages, security as middleware and one guard."""
from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from console import live_stream, login, phone
from console.context import ConsoleContext
from console.pages import pages
from console.security import BodyLimit, SecurityHeaders

STATIC = Path(__file__).parent / "static"


def build_app(ctx: ConsoleContext) -> Starlette:
    routes = [
        Route("/", lambda request: RedirectResponse("/hall", 303)),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
        *login.routes(ctx),
        *phone.routes(ctx),
        *live_stream.routes(ctx),
    ]
    for page in pages():
        routes += page.routes(ctx)

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        return ctx.render(request, "error.html", status_code=status, status=status)

    app = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders), Middleware(BodyLimit)],
                    exception_handlers={HTTPException: http_error, 500: http_error})
    app.state.ctx = ctx
    return app
