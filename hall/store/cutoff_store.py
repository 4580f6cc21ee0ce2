"""The managers' cut-off overrides of each service day, kept across controller restarts."""
from __future__ import annotations

from datetime import date, datetime

from hall.core.cutoff import CutoffMode
from hall.store.case_store import Request, remember
from hall.store.sqlite_store import SqliteStore


def save_cutoff_mode(store: SqliteStore, service_day: date, business: str, mode: CutoffMode,
                     now: datetime, set_by: str, request: Request = None) -> None:
    """The override and the answer to the request that set it, in one transaction."""
    with store.transaction():
        remember(store.connection, request, now)
        store.connection.execute(
            "INSERT OR REPLACE INTO cutoff_overrides (service_day, business, mode, set_at, "
            "set_by) VALUES (?,?,?,?,?)",
            (service_day.isoformat(), business, mode.value, now.isoformat(), set_by))


def cutoff_modes(store: SqliteStore, service_day: date) -> dict[str, CutoffMode]:
    """The overrides set on `service_day` (a business on auto may have no row)."""
    rows = store.rows("SELECT business, mode FROM cutoff_overrides WHERE service_day = ?",
                      (service_day.isoformat(),))
    return {business: CutoffMode(mode) for business, mode in rows
            if mode in CutoffMode.__members__.values()}
