"""The console's pages: one module per page, each with a PAGE; this tuple is the menu.

To add a page (e.g. the 好差评 cases of issue 13):
1. write `console/pages/<name>.py` with a function `routes(ctx) -> list[Route]` whose
   endpoints are wrapped in `console.security.guarded(ctx, Action.X, endpoint)`, and
   `PAGE = Page(path=..., title_zh=..., title_en=..., action=Action.X, routes=routes)`;
2. add an Action in console/roles.py and give it to the roles that may use it;
3. put its templates in console/templates/ (extend "base.html");
4. append `<name>.PAGE` to PAGES below. The menu, the routes and the role checks follow.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from console.accounts import Actor
from console.roles import Action, may

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from console.context import ConsoleContext


@dataclass(frozen=True, slots=True)
class Page:
    path: str
    title_zh: str
    title_en: str
    action: Action
    routes: Callable[[ConsoleContext], list[BaseRoute]]
    in_nav: bool = True


def pages() -> tuple[Page, ...]:
    from console.pages import (
        accounts,
        appeals,
        audit,
        cases,
        clerks,
        complaint_register,
        complaints,
        devices,
        hall_live,
        notices,
        operations,
        rechecks,
    )

    return (hall_live.PAGE, operations.PAGE, notices.PAGE, clerks.PAGE, devices.PAGE, audit.PAGE,
            cases.PAGE, appeals.PAGE, rechecks.PAGE, complaint_register.PAGE, complaints.PAGE,
            accounts.PAGE)


def nav_for(actor: Actor | None) -> list[Page]:
    if actor is None:
        return []
    return [p for p in pages() if p.in_nav and may(actor.role, p.action)]


__all__ = ["Page", "nav_for", "pages"]
