"""Ticket slips reprinted at the counters, counted per ticket (docs/counter.md)."""
from __future__ import annotations

from datetime import datetime

from hall.store.case_store import Request, remember
from hall.store.sqlite_store import SqliteStore


class ReprintStore:
    def __init__(self, store: SqliteStore) -> None:
        self._store = store
        self._db = store.connection

    def count(self, ticket_id: str) -> int:
        row = self._db.execute("SELECT COUNT(*) FROM ticket_reprints WHERE ticket_id = ?",
                               (ticket_id,)).fetchone()
        return int(row[0]) if row else 0

    def save(self, ticket_id: str, request: Request, now: datetime) -> None:
        """The reprint and its answer, in one transaction."""
        if request is None:
            raise ValueError("a reprint is stored with the request that asked for it")
        with self._store.transaction():
            self._db.execute("INSERT INTO ticket_reprints (device_id, request_id, ticket_id, at) "
                             "VALUES (?,?,?,?)", (request[0], request[1], ticket_id,
                                                  now.isoformat()))
            remember(self._db, request, now)
