"""Clerks: who has a PIN, who is signed in where, sign-in locks; set or reset a PIN, unlock."""
from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from console import intents
from console.context import ConsoleContext
from console.pages import Page
from console.roles import Action, may
from hall.core.staff_auth import random_pin
from hall.protocol import messages as m


@dataclass(frozen=True, slots=True)
class ClerkRow:
    staff_id: str
    name: str
    has_pin: bool
    signed_in_at: tuple[int, ...]
    locked_at: tuple[int, ...]


def clerk_rows(ctx: ConsoleContext) -> tuple[list[ClerkRow], list[int]]:
    """Every clerk of the directory, and the windows whose terminal is locked."""
    now = ctx.clock()
    with_pins = ctx.history.staff_with_pins()
    locks = ctx.history.sign_in_locks(now)
    windows = ctx.live.snapshot().windows
    rows = []
    for member in ctx.config.hall.catalogue.staff:
        prefix = f"staff:{member.staff_id}@"
        rows.append(ClerkRow(
            member.staff_id, member.name, member.staff_id in with_pins,
            tuple(sorted(w for w, s in windows.items() if s.staff_id == member.staff_id)),
            tuple(sorted(int(k[len(prefix):]) for k in locks if k.startswith(prefix)))))
    locked_windows = sorted(int(k.split(":", 1)[1]) for k in locks if k.startswith("window:"))
    return rows, locked_windows


def routes(ctx: ConsoleContext) -> list[BaseRoute]:
    from console.security import guarded

    def page(request: Request, *, error: str = "", done: str = "", new_pin: str = "",
             status_code: int = 200) -> Response:
        rows, locked_windows = clerk_rows(ctx)
        return ctx.render(request, "clerks.html", status_code=status_code, rows=rows,
                          locked_windows=locked_windows, error=error, done=done,
                          new_pin=new_pin,
                          can_manage=may(request.state.actor.role, Action.MANAGE_CLERKS))

    async def show(request: Request) -> Response:
        return page(request)

    async def set_pin(request: Request) -> Response:
        form = request.state.form
        staff_id = str(form.get("staff_id", "")).strip()[:32]
        if form.get("random") == "1":
            pin = random_pin()
        else:
            pin = str(form.get("pin", "")).strip()[:12]
            if pin != str(form.get("pin_again", "")).strip()[:12]:
                return page(request, error="两次输入的密码不一致，未做修改", status_code=400)
        outcome = await intents.send(ctx, m.SetStaffPin, staff_id=staff_id, pin=pin)
        # The PIN itself is never written to the audit log or any other log.
        ctx.audit(request, "set_staff_pin", staff_id if outcome.ok else outcome.message)
        if not outcome.ok:
            return page(request, error=outcome.message, status_code=409)
        shown = pin if form.get("random") == "1" else ""
        return page(request, done=f"工号 {staff_id} 的密码已设置，登录锁定已解除", new_pin=shown)

    async def unlock(request: Request) -> Response:
        form = request.state.form
        staff_id = str(form.get("staff_id", "")).strip()[:32]
        # A clerk's lock is lifted with the lock of the terminals where it was earned.
        windows = tuple(int(w) for w in form.getlist("window")[:20] if str(w).isdigit())
        outcome = await intents.send(ctx, m.UnlockSignIn, staff_id=staff_id, windows=windows)
        ctx.audit(request, "unlock_sign_in", f"{staff_id} {list(windows)}".strip()
                  if outcome.ok else outcome.message)
        if not outcome.ok:
            return page(request, error=outcome.message, status_code=409)
        return page(request, done="登录锁定已解除 · Unlocked")

    return [Route("/clerks", guarded(ctx, Action.VIEW_CLERKS, show)),
            Route("/clerks/pin", guarded(ctx, Action.MANAGE_CLERKS, set_pin), methods=["POST"]),
            Route("/clerks/unlock", guarded(ctx, Action.MANAGE_CLERKS, unlock), methods=["POST"])]


PAGE = Page(path="/clerks", title_zh="窗口人员", title_en="Clerks", action=Action.VIEW_CLERKS,
            routes=routes)
