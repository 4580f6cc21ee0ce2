"""Console accounts in the browser: list, add with a one-time password, disable, reset, change
role (managers); everyone changes their own password. The last active manager stays."""
from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from console.accounts import AccountError, Actor
from console.context import ConsoleContext
from console.pages import Page
from console.roles import ROLE_NAMES_ZH, Action, ConsoleRole, may
from console.security import OWN_PASSWORD_PATH

ROLE_CHOICES = [(role.value, ROLE_NAMES_ZH[role]) for role in ConsoleRole]


def routes(ctx: ConsoleContext) -> list[BaseRoute]:
    from console.security import guarded

    def page(request: Request, *, error: str = "", done: str = "", new_password: str = "",
             for_user: str = "", typed_username: str = "", typed_role: str = "",
             status_code: int = 200) -> Response:
        return ctx.render(request, "accounts.html", status_code=status_code,
                          users=ctx.accounts.store.users(), roles=ROLE_CHOICES, error=error,
                          done=done, new_password=new_password, for_user=for_user,
                          typed_username=typed_username, typed_role=typed_role,
                          can_manage=may(request.state.actor.role, Action.MANAGE_ACCOUNTS))

    async def show(request: Request) -> Response:
        return page(request)

    async def add(request: Request) -> Response:
        form = request.state.form
        username = str(form.get("username", "")).strip()[:64]
        role = str(form.get("role", ""))[:20]
        try:
            password = await asyncio.to_thread(ctx.accounts.add_with_initial_password,
                                               username, role, ctx.clock())
        except AccountError as exc:
            ctx.audit(request, "account_add_refused", f"{username}: {exc}")
            return page(request, error=exc.zh, typed_username=username, typed_role=role,
                        status_code=409)
        # The one-time password is shown once on this page and never written anywhere else.
        ctx.audit(request, "account_add", f"{username} ({role})")
        return page(request, done=f"账号 {username} 已建立 · Account added",
                    new_password=password, for_user=username)

    async def reset(request: Request) -> Response:
        username = request.path_params["username"][:64]
        try:
            password = await asyncio.to_thread(ctx.accounts.reset_password, username, ctx.clock())
        except AccountError as exc:
            ctx.audit(request, "account_reset_refused", f"{username}: {exc}")
            return page(request, error=exc.zh, status_code=409)
        ctx.audit(request, "account_reset_password", username)
        return page(request, done=f"{username} 的密码已重置，其登录已退出 · Password reset",
                    new_password=password, for_user=username)

    async def set_disabled(request: Request, disabled: bool) -> Response:
        username = request.path_params["username"][:64]
        actor: Actor = request.state.actor
        action = "account_disable" if disabled else "account_enable"
        try:
            if disabled and username == actor.username:
                raise AccountError("one does not disable oneself", "不能停用自己的账号")
            ctx.accounts.set_disabled(username, disabled, keep_a_manager=True)
        except AccountError as exc:
            ctx.audit(request, f"{action}_refused", f"{username}: {exc}")
            return page(request, error=exc.zh, status_code=409)
        ctx.audit(request, action, username)
        return page(request, done=f"账号 {username} 已{'停用' if disabled else '启用'}")

    async def disable(request: Request) -> Response:
        return await set_disabled(request, True)

    async def enable(request: Request) -> Response:
        return await set_disabled(request, False)

    async def set_role(request: Request) -> Response:
        username = request.path_params["username"][:64]
        role = str(request.state.form.get("role", ""))[:20]
        before = ctx.accounts.store.user(username)
        try:
            ctx.accounts.set_role(username, role)
        except AccountError as exc:
            ctx.audit(request, "account_role_refused", f"{username} → {role}: {exc}")
            return page(request, error=exc.zh, status_code=409)
        ctx.audit(request, "account_role", f"{username}: {before.role if before else '?'} → {role}")
        return page(request, done=f"{username} 的角色已改为{ROLE_NAMES_ZH[ConsoleRole(role)]}")

    def own_page(request: Request, *, error: str = "", done: str = "",
                 status_code: int = 200) -> Response:
        return ctx.render(request, "own_password.html", status_code=status_code, error=error,
                          done=done)

    async def own_show(request: Request) -> Response:
        return own_page(request)

    async def own_change(request: Request) -> Response:
        form = request.state.form
        actor: Actor = request.state.actor
        old = str(form.get("current", ""))[:256]
        new = str(form.get("new", ""))[:256]
        if new != str(form.get("again", ""))[:256]:
            return own_page(request, error="两次输入的新密码不一致，未做修改 · The new passwords "
                                           "differ", status_code=400)
        try:
            await asyncio.to_thread(ctx.accounts.change_own_password, actor, old, new, ctx.clock())
        except AccountError as exc:
            ctx.audit(request, "password_change_refused", str(exc))
            return own_page(request, error=exc.zh, status_code=409)
        ctx.audit(request, "password_change", "")
        if actor.must_change_password:
            return RedirectResponse("/hall", 303)
        return own_page(request, done="密码已修改，您在其他地方的登录已退出 · Password changed")

    view, manage = Action.VIEW_ACCOUNTS, Action.MANAGE_ACCOUNTS
    own = Action.CHANGE_OWN_PASSWORD
    return [Route("/accounts", guarded(ctx, view, show)),
            Route("/accounts", guarded(ctx, manage, add), methods=["POST"]),
            Route("/accounts/{username:str}/reset", guarded(ctx, manage, reset),
                  methods=["POST"]),
            Route("/accounts/{username:str}/disable", guarded(ctx, manage, disable),
                  methods=["POST"]),
            Route("/accounts/{username:str}/enable", guarded(ctx, manage, enable),
                  methods=["POST"]),
            Route("/accounts/{username:str}/role", guarded(ctx, manage, set_role),
                  methods=["POST"]),
            Route(OWN_PASSWORD_PATH, guarded(ctx, own, own_show)),
            Route(OWN_PASSWORD_PATH, guarded(ctx, own, own_change), methods=["POST"])]


PAGE = Page(path="/accounts", title_zh="账号", title_en="Accounts", action=Action.VIEW_ACCOUNTS,
            routes=routes)
