"""What every page handler needs, built once by the app's composition root."""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from console.accounts import Accounts, Actor
from console.config import ConsoleConfig
from console.enrolled_devices import EnrolledDevices
from console.live_hall import LiveHall
from console.rate_limit import RateLimiter
from hall.store.history_reader import HistoryReader

TEMPLATES = Path(__file__).parent / "templates"


@dataclass
class ConsoleContext:
    config: ConsoleConfig
    accounts: Accounts
    live: LiveHall
    history: HistoryReader
    clock: Callable[[], datetime]
    phone_limiter: RateLimiter
    # Signs the phone page's form tokens; made at start, so a restart only asks to reload.
    secret: bytes
    templates: Environment = field(default_factory=lambda: make_templates())
    enrolled: EnrolledDevices = field(default_factory=lambda: EnrolledDevices(None))

    def render(self, request: Request, name: str, status_code: int = 200,
               **values: Any) -> HTMLResponse:
        actor: Actor | None = getattr(request.state, "actor", None)
        from console.pages import nav_for

        html = self.templates.get_template(name).render(
            request=request, actor=actor, nav=nav_for(actor), hall=self.config.hall.catalogue,
            snapshot=values.pop("snapshot", None) or self.live.snapshot(), **values)
        return HTMLResponse(html, status_code=status_code)

    def fragment(self, name: str, **values: Any) -> str:
        return self.templates.get_template(name).render(hall=self.config.hall.catalogue, **values)

    def phone_form_token(self, token: str) -> str:
        return hmac.new(self.secret, token.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    def audit(self, request: Request, action: str, detail: str) -> None:
        actor: Actor | None = getattr(request.state, "actor", None)
        self.accounts.audit(actor, action, detail, client_address(request), self.clock())


def client_address(request: Request) -> str:
    return request.client.host if request.client else "-"


def make_templates() -> Environment:
    from console import formatting

    env = Environment(loader=FileSystemLoader(TEMPLATES),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters.update(formatting.FILTERS)
    env.globals.update(formatting.GLOBALS)
    return env
