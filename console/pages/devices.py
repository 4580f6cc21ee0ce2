"""Every device's health: role, window, online/offline/alert, since when, version, boots."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from console.accounts import Actor
from console.context import ConsoleContext
from console.live_hall import Snapshot
from console.pages import Page
from console.roles import Action


def fragments(ctx: ConsoleContext, snapshot: Snapshot, actor: Actor) -> dict[str, str]:
    devices = sorted(snapshot.devices.items(),
                     key=lambda item: (item[1].presence.status == "online", item[0]))
    never_seen = [d for d in ctx.enrolled.devices() if d.device_id not in snapshot.devices]
    return {"devices": ctx.fragment("_devices.html", devices=devices, never_seen=never_seen,
                                    now=ctx.clock(),
                                    alert_after_min=ctx.config.device_alert_after_s // 60)}


def routes(ctx: ConsoleContext) -> list[BaseRoute]:
    from console.security import guarded

    async def show(request: Request) -> Response:
        snapshot = ctx.live.snapshot()
        return ctx.render(request, "devices.html", snapshot=snapshot,
                          fragments=fragments(ctx, snapshot, request.state.actor))

    return [Route("/devices", guarded(ctx, Action.VIEW_DEVICES, show))]


PAGE = Page(path="/devices", title_zh="设备", title_en="Devices", action=Action.VIEW_DEVICES,
            routes=routes)
