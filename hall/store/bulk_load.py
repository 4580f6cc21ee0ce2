"""Loads generated history in bulk (benchmarks and report tests): one transaction per table."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from hall.store.case_store import CASE_COLUMNS
from hall.store.sqlite_store import SqliteStore

# Only these tables and columns can be bulk loaded; nothing here is built from user input.
_TABLES = {
    "tickets": ("ticket_id", "service_day", "number", "business", "kind", "status", "issued_at",
                "queued_at", "window", "staff_id", "first_called_at", "called_at", "call_count",
                "finished_at", "items"),
    "ratings": ("rating_id", "ticket_id", "service_day", "window", "staff_id", "items", "level",
                "sub_scores", "reasons", "comment", "channel", "rated_at"),
    "cases": CASE_COLUMNS,
    "rating_contacts": ("rating_id", "phone", "given_at"),
    "rating_appeals": ("appeal_id", "rating_id", "staff_id", "reason", "filed_by", "filed_at",
                       "decided_by", "decided_at", "upheld", "exclusion", "decision_reason"),
    "rating_exclusions": ("rating_id", "kind", "appeal_id", "decided_by", "reason", "at"),
    "complaints": ("tracking_number", "category", "reasons", "text", "name", "id_number", "phone",
                   "business", "first_responder", "registered_at", "answer_due", "status",
                   "channel", "transfer_due", "first_contact_due", "first_contact_at", "handler",
                   "extended", "department", "transferred_at", "closed_at", "satisfaction"),
}


def columns(table: str) -> tuple[str, ...]:
    return _TABLES[table]


def load(store: SqliteStore, table: str, rows: Iterable[Sequence[object]]) -> None:
    names = _TABLES[table]
    sql = (f"INSERT INTO {table} ({', '.join(names)}) "
           f"VALUES ({', '.join('?' * len(names))})")
    with store.transaction():
        store.connection.executemany(sql, rows)
