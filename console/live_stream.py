"""Server-sent events: each live page gets its fragments re-rendered whenever the hall changes."""
from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from console.accounts import Actor
from console.context import ConsoleContext
from console.live_hall import Snapshot
from console.roles import Action
from console.security import guarded

# Re-rendered at least this often even when nothing changed: "how long" columns move on, and
# the message doubles as a keep-alive through proxies.
REFRESH_S = 10.0
Renderer = Callable[[Snapshot, Actor], dict[str, str]]


def event_stream(ctx: ConsoleContext, request: Request, render: Renderer) -> Response:
    actor: Actor = request.state.actor
    loop = asyncio.get_running_loop()
    wake = asyncio.Event()

    def listener(version: int) -> None:
        loop.call_soon_threadsafe(wake.set)

    async def events() -> AsyncIterator[str]:
        ctx.live.add_listener(listener)
        try:
            yield "retry: 2000\n\n"
            while not await request.is_disconnected():
                wake.clear()
                snapshot = ctx.live.snapshot()
                payload = {"version": snapshot.version, "stale": snapshot.is_stale,
                           "fragments": render(snapshot, actor)}
                yield f"event: update\ndata: {json.dumps(payload, ensure_ascii=False)}\n\n"
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), REFRESH_S)
        finally:
            ctx.live.remove_listener(listener)

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"x-accel-buffering": "no"})


def routes(ctx: ConsoleContext) -> list[BaseRoute]:
    from console.pages import devices, hall_live

    async def hall_stream(request: Request) -> Response:
        return event_stream(ctx, request, lambda s, a: hall_live.fragments(ctx, s, a))

    async def device_stream(request: Request) -> Response:
        return event_stream(ctx, request, lambda s, a: devices.fragments(ctx, s, a))

    return [Route("/live/hall", guarded(ctx, Action.VIEW_HALL, hall_stream)),
            Route("/live/devices", guarded(ctx, Action.VIEW_DEVICES, device_stream))]
