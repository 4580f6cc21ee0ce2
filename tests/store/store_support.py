"""Helpers for the store tests: a clock, a realistic day at the sample hall, table snapshots.

Time is always passed in: wall-clock strings ("09:05") on a fixed Tuesday in Asia/Shanghai.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hall.core import HallState, Outcome, PauseReason, QueueEngine, TicketKind, TicketNumber
from hall.core import events as ev
from hall.store import SqliteStore

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 24)  # a Tuesday
TABLES = ("hall_state", "tickets", "windows", "events", "requests", "appointments", "meta")

Clock = str | datetime


def at(clock: Clock, day: date = DAY) -> datetime:
    """A tz-aware moment in the hall: "09:05" on `day` (DAY unless told)."""
    if isinstance(clock, datetime):
        return clock
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=SHANGHAI)


# A realistic morning at the sample hall: (engine command, arguments, clock, keywords).
REALISTIC_DAY: tuple[tuple[str, tuple[Any, ...], str, dict[str, Any]], ...] = (
    ("open_hall", (), "08:50", {}),
    ("sign_in", (1, "YB0101"), "08:55", {}),
    ("sign_in", (2, "YB0102"), "08:56", {}),
    ("sign_in", (6, "YB0106"), "08:57", {}),
    ("issue_ticket", ("enrollment",), "09:00", {}),
    ("issue_ticket", ("enrollment",), "09:01", {"helper_name": "张伟"}),
    ("issue_ticket", ("info_change",), "09:02",
     {"kind": TicketKind.PRIORITY, "priority_reason": "老年人"}),
    ("issue_ticket", ("manual_reimbursement",), "09:03", {}),
    ("issue_ticket", ("account_inquiry",), "09:04", {}),
    ("issue_ticket", ("enrollment",), "09:05", {}),
    ("call_next", (1,), "09:10", {}),
    ("recall", (1,), "09:11", {}),
    ("call_next", (2,), "09:12", {}),
    ("call_next", (6,), "09:13", {}),
    ("park", (2,), "09:15", {}),
    ("transfer", (1,), "09:20", {"to_window": 2, "note": "请到2号窗口打印凭证"}),
    ("finish", (6,), "09:30", {"items": ("manual_reimbursement", "maternity_allowance")}),
    ("pause", (6, PauseReason.LUNCH), "09:31", {}),
    ("call_next", (2,), "09:32", {}),
    ("finish", (2,), "09:40", {}),
    ("call_next", (1,), "09:41", {}),
    ("unpark", (2, TicketNumber("A002")), "09:45", {}),
    ("finish", (2,), "09:50", {}),
    ("call_next", (2,), "09:51", {}),
    ("mark_no_show", (2,), "09:55", {}),
    ("park", (1,), "09:56", {}),
    ("issue_ticket", ("info_change",), "09:57", {}),
    ("call_next", (1,), "09:58", {}),
)


class Hall:
    """Runs engine commands and commits each outcome to the store, as the controller does."""

    def __init__(self, engine: QueueEngine, store: SqliteStore, now: datetime) -> None:
        self.engine = engine
        self.store = store
        self.state: HallState = engine.new_day(now)
        self.events: list[ev.Event] = []
        store.commit(None, self.state, (), now)

    @classmethod
    def resume(cls, engine: QueueEngine, store: SqliteStore) -> Hall:
        """The hall as a restarted controller finds it: the state loaded from the store."""
        hall = cls.__new__(cls)
        loaded = store.load()
        assert loaded is not None, "nothing was committed to resume from"
        hall.engine, hall.store, hall.state, hall.events = engine, store, loaded, []
        return hall

    def run(self, command: str, *args: Any, now: datetime,
            request: tuple[str, str, bytes] | None = None, **kw: Any) -> Outcome:
        before = self.state
        outcome: Outcome = getattr(self.engine, command)(before, *args, now, **kw)
        self.store.commit(before, outcome.state, outcome.events, now, request=request)
        self.state = outcome.state
        self.events.extend(outcome.events)
        return outcome

    def steps(self, steps: Iterable[tuple[str, tuple[Any, ...], str, dict[str, Any]]],
              day: date = DAY) -> Iterator[Outcome]:
        for command, args, clock, kw in steps:
            yield self.run(command, *args, now=at(clock, day), **kw)

    def play(self, steps: Iterable[tuple[str, tuple[Any, ...], str, dict[str, Any]]],
             day: date = DAY) -> HallState:
        for _ in self.steps(steps, day):
            pass
        return self.state


def snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read through a separate connection (committed data only)."""
    db = sqlite3.connect(path)
    try:
        return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
    finally:
        db.close()


def counts(path: Path) -> dict[str, int]:
    return {table: len(rows) for table, rows in snapshot(path).items()}
