"""Queries feeding hall/core/reports.py: counts grouped in SQL, buckets for percentiles.

A year of a busy hall is some 300,000 tickets and 100,000 ratings: closed days are read from the
daily roll-up (hall/store/report_rollup.py), the others grouped from the raw records
(hall/store/report_live.py). Periods are half-open [start, end) of service days.
"""
from __future__ import annotations

import functools
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from hall.core.appeals import Appeal
from hall.core.cases import Case
from hall.core.complaints import ComplaintCategory
from hall.core.percentile_buckets import bucket_of, p90_bucket
from hall.core.report_sheets import ComplaintFact, MonthInputs
from hall.core.reports import (
    Dimension,
    Grain,
    HandleBucket,
    RatingCell,
    RatingFact,
    TicketTally,
    WaitBucket,
)
from hall.store.case_store import APPEAL_COLUMNS, CASE_COLUMNS, appeal_from_row, case_from_row
from hall.store.complaint_store import HANDLING_COLUMNS, handling_from_row
from hall.store.report_live import LiveReportQueries
from hall.store.report_rollup import ReportRollup, day_ranges
from hall.store.sqlite_store import SqliteStore

T = TypeVar("T")
# The ticket kind the reports call 绿色通道 (queue_figures counts it apart).
PRIORITY = "priority"


def _one_snapshot(method: Callable[..., T]) -> Callable[..., T]:
    """Reads the roll-up and the raw records in one read transaction, so that a day rolled up
    meanwhile by the keeper is counted once, from one side or the other."""
    @functools.wraps(method)
    def run(self: ReportQueries, *args: object) -> T:
        if self._db.in_transaction:
            return method(self, *args)
        self._db.execute("BEGIN")
        try:
            return method(self, *args)
        finally:
            self._db.execute("COMMIT")
    return run


class ReportQueries:
    """Every figure of a period: closed days from the daily roll-up, the rest from the raw
    records (today, days not rolled up yet, days made stale by a late change)."""

    def __init__(self, store: SqliteStore | sqlite3.Connection) -> None:
        self._db = store if isinstance(store, sqlite3.Connection) else store.connection
        self.live = LiveReportQueries(self._db)
        self.rollup = ReportRollup(self._db)

    @classmethod
    def open_read_only(cls, path: Path) -> ReportQueries:
        """On a read-only connection of its own (the console's); `close` it after use."""
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        db.execute("PRAGMA busy_timeout=2000")
        return cls(db)

    def close(self) -> None:
        self._db.close()

    def _split(self, start: date, end: date) -> list[tuple[date, date]]:
        return day_ranges(start, end, self.rollup.rolled_days(start, end))

    @_one_snapshot
    def rating_cells(self, start: date, end: date, dimension: Dimension,
                     grain: Grain) -> list[RatingCell]:
        cells = self.rollup.rating_cells(start, end, dimension, grain)
        for a, b in self._split(start, end):
            cells.extend(self.live.rating_cells(a, b, dimension, grain))
        return cells

    @_one_snapshot
    def bad_reasons(self, start: date, end: date) -> list[tuple[str, int]]:
        reasons = self.rollup.bad_reasons(start, end)
        for a, b in self._split(start, end):
            reasons.extend(self.live.bad_reasons(a, b))
        return reasons

    @_one_snapshot
    def ticket_tallies(self, start: date, end: date) -> list[TicketTally]:
        tallies = self.rollup.ticket_tallies(start, end)
        for a, b in self._split(start, end):
            tallies.extend(self.live.ticket_tallies(a, b))
        return tallies

    @_one_snapshot
    def waits(self, start: date, end: date) -> list[WaitBucket]:
        """Wait buckets giving the exact mean and p90 per business, all kinds and 绿色通道: live
        days to the second; rolled days in 5-minute buckets, but to the second in the bucket
        where each p90 falls (hall/core/percentile_buckets.py)."""
        live = [w for a, b in self._split(start, end) for w in self.live.waits(a, b)]
        coarse = self.rollup.wait_buckets(start, end)
        every_kind: dict[str, list[tuple[int, int]]] = defaultdict(list)
        kinds: dict[str, set[str]] = defaultdict(set)
        priority: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for w in (*coarse, *live):
            every_kind[w.business].append((bucket_of(w.second), w.tickets))
            kinds[w.business].add(w.kind)
            if w.kind == PRIORITY:
                priority[w.business].append((bucket_of(w.second), w.tickets))
        fine: set[tuple[str, str, int]] = set()
        for business, counts in every_kind.items():
            at = p90_bucket(counts)
            fine.update((business, kind, at) for kind in kinds[business] if at is not None)
            at = p90_bucket(priority[business])
            if at is not None:
                fine.add((business, PRIORITY, at))
        waits = [w for w in coarse if (w.business, w.kind, bucket_of(w.second)) not in fine]
        for business, kind, at in sorted(fine):
            waits.extend(self.rollup.waits_in(start, end, business, kind, at))
        return waits + live

    @_one_snapshot
    def handles(self, start: date, end: date) -> list[HandleBucket]:
        """Handle-time buckets giving each window's exact mean and p90 (as `waits`)."""
        live = [h for a, b in self._split(start, end) for h in self.live.handles(a, b)]
        coarse = self.rollup.handle_buckets(start, end)
        per_window: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for h in (*coarse, *live):
            per_window[h.window].append((bucket_of(h.second), h.services))
        fine = {(window, at) for window, counts in per_window.items()
                if (at := p90_bucket(counts)) is not None}
        handles = [h for h in coarse if (h.window, bucket_of(h.second)) not in fine]
        for window, at in sorted(fine):
            handles.extend(self.rollup.handles_in(start, end, window, at))
        return handles + live

    def ratings(self, start: date, end: date) -> list[RatingFact]:
        """Single ratings (for small periods and for checking the grouped figures)."""
        return self.live.ratings(start, end)

    def cases(self, start: date, end: date) -> list[Case]:
        rows = self._db.execute(f"SELECT {', '.join(CASE_COLUMNS)} FROM cases "
                                "WHERE opened_at >= ? AND opened_at < ? ORDER BY opened_at",
                                (start.isoformat(), end.isoformat()))
        return [case_from_row(r) for r in rows]

    def appeals(self, start: date, end: date) -> list[Appeal]:
        rows = self._db.execute(f"SELECT {', '.join(APPEAL_COLUMNS)} FROM rating_appeals "
                                "WHERE filed_at >= ? AND filed_at < ? ORDER BY filed_at",
                                (start.isoformat(), end.isoformat()))
        return [appeal_from_row(r) for r in rows]

    def excluded(self) -> set[str]:
        return {str(r[0]) for r in self._db.execute("SELECT rating_id FROM rating_exclusions")}

    def complaints(self, start: date, end: date) -> list[ComplaintFact]:
        cols = ", ".join(HANDLING_COLUMNS)
        rows = self._db.execute(f"SELECT category, {cols} FROM complaints WHERE registered_at >= ? "
                                "AND registered_at < ? ORDER BY registered_at",
                                (start.isoformat(), end.isoformat()))
        return [ComplaintFact(handling_from_row(r[1:]), ComplaintCategory(r[0])) for r in rows]

    def month_inputs(self, start: date, end: date) -> MonthInputs:
        return MonthInputs(
            month_cells={d: self.rating_cells(start, end, d, Grain.MONTH) for d in Dimension},
            business_day_cells=self.rating_cells(start, end, Dimension.BUSINESS, Grain.DAY),
            reasons=self.bad_reasons(start, end), tallies=self.ticket_tallies(start, end),
            waits=self.waits(start, end), handles=self.handles(start, end),
            cases=self.cases(start, end), appeals=self.appeals(start, end),
            complaints=self.complaints(start, end), excluded=self.excluded())
