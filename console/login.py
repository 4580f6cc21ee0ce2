"""Log in and out; a lockout after wrong passwords raises an alert like a clerk's PIN lock."""
from __future__ import annotations

import asyncio
import hmac

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from console.accounts import LoginRefused
from console.context import ConsoleContext, client_address
from console.security import (
    OWN_PASSWORD_PATH,
    SESSION_COOKIE,
    is_same_origin,
    read_form,
    session_cookie,
)

REFUSALS = {
    "wrong": "用户名或密码错误 · Wrong user name or password",
    "locked": "多次输错密码，账号已暂时锁定，请稍后再试或联系负责人 · Locked after wrong "
              "passwords: try later or ask a manager",
    "disabled": "该账号已停用 · This account is disabled",
}


def routes(ctx: ConsoleContext) -> list[BaseRoute]:
    async def show(request: Request) -> Response:
        return ctx.render(request, "login.html", next=_safe_next(request.query_params.get("next")))

    async def submit(request: Request) -> Response:
        form = await read_form(request)
        username = str(form.get("username", "")).strip()[:64]
        password = str(form.get("password", ""))[:256]
        next_path = _safe_next(str(form.get("next", "")))
        if not is_same_origin(request):
            return ctx.render(request, "login.html", status_code=403, next=next_path,
                              username=username, error="请从本站登录 · Log in from this site")
        remote = client_address(request)
        try:
            session_id, actor = await asyncio.to_thread(
                ctx.accounts.log_in, username, password, remote, ctx.clock())
        except LoginRefused as exc:
            ctx.accounts.audit(None, f"login_{exc.reason}", f"user {username}", remote,
                               ctx.clock())
            until = f"（至 {exc.until:%H:%M}）" if exc.until else ""
            return ctx.render(request, "login.html", status_code=401, next=next_path,
                              username=username, error=REFUSALS[exc.reason] + until)
        ctx.accounts.audit(actor, "login", "", remote, ctx.clock())
        response = RedirectResponse(OWN_PASSWORD_PATH if actor.must_change_password else next_path,
                                    303)
        session_cookie(response, ctx, session_id)
        return response

    async def logout(request: Request) -> Response:
        form = await read_form(request)
        actor = ctx.accounts.actor(request.cookies.get(SESSION_COOKIE, ""), ctx.clock())
        if actor is not None and hmac.compare_digest(str(form.get("csrf", "")), actor.csrf_token):
            ctx.accounts.audit(actor, "logout", "", client_address(request), ctx.clock())
            ctx.accounts.log_out(actor)
        response = RedirectResponse("/login", 303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    return [Route("/login", show, methods=["GET"]), Route("/login", submit, methods=["POST"]),
            Route("/logout", logout, methods=["POST"])]


def _safe_next(path: str | None) -> str:
    """Only a path of this site: never an open redirect."""
    if path and path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path[:200]
    return "/hall"
