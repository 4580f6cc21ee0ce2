"""The live hall: queues per business, every window, alerts to acknowledge, today's figures."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from console.accounts import Actor
from console.context import ConsoleContext
from console.live_hall import Snapshot
from console.pages import Page
from console.roles import Action, may
from hall.core.ratings import RatingLevel


@dataclass(frozen=True, slots=True)
class TodayFigures:
    issued: int
    finished: int
    waiting: int
    no_show: int
    priority: int
    ratings: int
    satisfied_pct: float | None
    bad_ratings: int


def today_figures(ctx: ConsoleContext, snapshot: Snapshot) -> TodayFigures:
    day = snapshot.queue.service_day if snapshot.queue else ctx.clock().date()
    statuses = ctx.history.ticket_statuses_of_day(day)
    ratings = ctx.history.ratings_of_day(day)
    good = sum(1 for r in ratings if not RatingLevel(r.level).is_bad)
    waiting = sum(b.waiting for b in snapshot.queue.businesses) if snapshot.queue else 0
    return TodayFigures(
        issued=sum(statuses.values()), finished=statuses.get("finished", 0), waiting=waiting,
        no_show=statuses.get("no_show", 0), priority=ctx.history.priority_tickets_of_day(day),
        ratings=len(ratings), satisfied_pct=round(100 * good / len(ratings), 1) if ratings else None,
        bad_ratings=len(ratings) - good)


def chart_data(snapshot: Snapshot) -> str:
    """The day's series for ECharts, as JSON in a data attribute (no inline script)."""
    figures = snapshot.figures
    if figures is None:
        return "{}"
    return json.dumps({
        "hours": [f"{h.hour:02d}" for h in figures.issued_per_hour],
        "issued": [h.issued for h in figures.issued_per_hour],
        "times": [w.at for w in figures.waiting_over_day],
        "waiting": [w.waiting for w in figures.waiting_over_day],
    })


def fragments(ctx: ConsoleContext, snapshot: Snapshot, actor: Actor) -> dict[str, str]:
    now = ctx.clock()
    values = {"snapshot": snapshot, "actor": actor, "now": now,
              "can_ack": may(actor.role, Action.ACKNOWLEDGE_ALERTS)}
    return {
        "businesses": ctx.fragment("_businesses.html", **values),
        "windows": ctx.fragment("_windows.html", **values),
        "alerts": ctx.fragment("_alerts.html", **values),
        "figures": ctx.fragment("_figures.html", figures=today_figures(ctx, snapshot),
                                charts=chart_data(snapshot), **values),
    }


def _service_day(ctx: ConsoleContext, snapshot: Snapshot) -> date:
    return snapshot.queue.service_day if snapshot.queue else ctx.clock().date()


def routes(ctx: ConsoleContext) -> list[BaseRoute]:
    from console.security import guarded

    async def show(request: Request) -> Response:
        snapshot = ctx.live.snapshot()
        return ctx.render(request, "hall.html", snapshot=snapshot,
                          fragments=fragments(ctx, snapshot, request.state.actor),
                          service_day=_service_day(ctx, snapshot))

    async def acknowledge(request: Request) -> Response:
        alert_id = str(request.state.form.get("alert_id", ""))[:200]
        actor: Actor = request.state.actor
        if ctx.live.acknowledge(alert_id, actor.username):
            ctx.audit(request, "acknowledge_alert", alert_id)
        return RedirectResponse("/hall", 303)

    return [Route("/hall", guarded(ctx, Action.VIEW_HALL, show)),
            Route("/alerts/ack", guarded(ctx, Action.ACKNOWLEDGE_ALERTS, acknowledge),
                  methods=["POST"])]


PAGE = Page(path="/hall", title_zh="大厅实况", title_en="Live hall", action=Action.VIEW_HALL,
            routes=routes)
