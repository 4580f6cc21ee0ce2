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
        "SELECT t.business, t.kind, t.issued_at, t.first_called_at, t.finished_at, t.status, "
        "p.predicted_s FROM tickets t LEFT JOIN wait_predictions p USING (ticket_id) "
        "WHERE t.service_day >= ? AND t.service_day < ?", (since.isoformat(), before.isoformat()))
    return [PastTicket(r[0], TicketKind(r[1]), datetime.fromisoformat(r[2]), _time(r[3]),
                       _time(r[4]), r[5] == "no_show", r[6]) for r in rows]


def save_predictions(store: SqliteStore, predictions: dict[str, float]) -> None:
    """Raw predictions at issue, kept for the next days' calibration (written in batches)."""
    store.write_rows("INSERT OR REPLACE INTO wait_predictions (ticket_id, predicted_s) "
                     "VALUES (?, ?)", predictions.items())


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
