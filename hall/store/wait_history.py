"""The stored days the wait estimate learns from: tickets and window pauses of recent days."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from hall.core.ids import PauseReason, TicketKind
from hall.core.wait_model import PastPause, PastTicket
from hall.store.sqlite_store import SqliteStore

# Four weeks: enough for weekday profiles, recent enough to follow a changed roster.
HISTORY_DAYS = 28


def past_tickets(store: SqliteStore, before: date, days: int = HISTORY_DAYS) -> list[PastTicket]:
    since = before - timedelta(days=days)
    rows = store.rows(
        "SELECT business, kind, issued_at, first_called_at, finished_at, status FROM tickets "
        "WHERE service_day >= ? AND service_day < ?", (since.isoformat(), before.isoformat()))
    return [PastTicket(r[0], TicketKind(r[1]), datetime.fromisoformat(r[2]), _time(r[3]),
                       _time(r[4]), r[5] == "no_show") for r in rows]


def past_pauses(store: SqliteStore, before: date, days: int = HISTORY_DAYS) -> list[PastPause]:
    since = before - timedelta(days=days)
    rows = store.rows(
        "SELECT at, kind, window, body FROM events WHERE kind IN ('WindowPaused', "
        "'WindowResumed') AND at >= ? AND at < ? ORDER BY seq",
        (since.isoformat(), before.isoformat()))
    open_: dict[int, tuple[PauseReason, datetime]] = {}
    found = []
    for at_text, kind, window, body in rows:
        at = datetime.fromisoformat(at_text)
        if kind == "WindowPaused":
            open_[window] = (PauseReason(json.loads(body)["reason"]), at)
        elif window in open_:
            reason, started = open_.pop(window)
            if started.date() == at.date():
                found.append(PastPause(window, reason, started, at))
    return found


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
