"""Security as small middleware and one guard: sessions, roles, CSRF, body limits, headers."""
from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from urllib.parse import quote, urlsplit

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from console.context import ConsoleContext
from console.roles import Action, may

SESSION_COOKIE = "hall_console_session"
OWN_PASSWORD_PATH = "/account/password"
# Every form of the console and the phone page fits in a few KiB; anything larger is refused.
MAX_BODY_BYTES = 32 * 1024
MAX_FORM_FIELDS = 40
MAX_FIELD_BYTES = 4 * 1024
Endpoint = Callable[[Request], Awaitable[Response]]
_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    # The phone page's URL holds its code: never send it on as a referrer.
    (b"referrer-policy", b"no-referrer"),
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
     b"img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'"),
    (b"cache-control", b"no-store"),
]


class SecurityHeaders:
    """Adds the same protective headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuses request bodies over MAX_BODY_BYTES with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _too_large(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await _too_large(scope, receive, send)


class _TooLarge(Exception):
    pass


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    response = PlainTextResponse("请求内容过大 · Request too large", status_code=413)
    await response(scope, receive, send)


def is_same_origin(request: Request) -> bool:
    """The browser says the form came from this site (Sec-Fetch-Site, else Origin)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("origin")
    if origin is None:
        return True  # an old browser or a script: the CSRF token alone decides
    return urlsplit(origin).netloc == request.headers.get("host", "")


async def read_form(request: Request) -> FormData:
    return await request.form(max_files=0, max_fields=MAX_FORM_FIELDS,
                              max_part_size=MAX_FIELD_BYTES)


def guarded(ctx: ConsoleContext, action: Action, endpoint: Endpoint) -> Endpoint:
    """Denied by default: a session, the role's permission, and for a POST the CSRF token."""

    async def run(request: Request) -> Response:
        actor = ctx.accounts.actor(request.cookies.get(SESSION_COOKIE, ""), ctx.clock())
        if actor is None:
            if request.method == "GET" and not request.url.path.startswith("/live/"):
                return RedirectResponse(f"/login?next={quote(request.url.path)}", 303)
            return PlainTextResponse("请先登录 · Please log in", status_code=401)
        request.state.actor = actor
        if request.method == "POST":
            form = await read_form(request)
            token = str(form.get("csrf", ""))
            if not is_same_origin(request) or not hmac.compare_digest(token, actor.csrf_token):
                ctx.audit(request, "csrf_refused", request.url.path)
                return PlainTextResponse("表单已失效，请刷新页面后重试 · The form expired: "
                                         "reload the page", status_code=403)
            request.state.form = form
        if actor.must_change_password and action is not Action.CHANGE_OWN_PASSWORD:
            # A one-time password opens nothing but the page that replaces it.
            if request.method == "GET":
                return RedirectResponse(OWN_PASSWORD_PATH, 303)
            return PlainTextResponse("请先修改初始密码 · Change your one-time password first",
                                     status_code=403)
        if not may(actor.role, action):
            if request.method == "POST":
                ctx.audit(request, "denied", f"{action} {request.url.path}")
            return ctx.render(request, "denied.html", status_code=403)
        return await endpoint(request)

    return run


def session_cookie(response: Response, ctx: ConsoleContext, value: str) -> None:
    response.set_cookie(SESSION_COOKIE, value, httponly=True, samesite="strict",
                        secure=ctx.config.uses_tls, path="/")
