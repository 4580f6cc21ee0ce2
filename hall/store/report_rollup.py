"""The reports' daily roll-up: each closed service day's grouped figures, computed once from the
raw records by the live queries and kept, so that a year reads thousands of rows, not 300,000.

A day counts as rolled up while its row in `report_days` stands; the triggers of migration 0025
remove that row when a record of the day changes (a late rating, a ticket, an exclusion upheld on
appeal), and the day is then read live until it is rolled up again. Today is always read live:
only days before the hall's service day are rolled up.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from hall.core.percentile_buckets import bucket_of, bucket_start
from hall.core.ratings import SUB_INDICATORS_ZH
from hall.core.reports import (
    Dimension,
    Grain,
    HandleBucket,
    RatingCell,
    TicketTally,
    WaitBucket,
)
from hall.store.report_live import _LEVELS, LiveReportQueries

_PERIOD = {Grain.DAY: "service_day",
           Grain.WEEK: "date(service_day, 'weekday 0', '-6 days')",
           Grain.MONTH: "strftime('%Y-%m-01', service_day)",
           Grain.YEAR: "strftime('%Y-01-01', service_day)"}
# Only days that are ready have rows (the claim and the triggers remove a day's rows).
_ROLLED = "service_day >= ? AND service_day < ?"
K = TypeVar("K", bound=tuple[object, ...])


def day_ranges(start: date, end: date, skip: set[date]) -> list[tuple[date, date]]:
    """The half-open runs of days in [start, end) that are not in `skip`."""
    runs: list[tuple[date, date]] = []
    day = start
    while day < end:
        if day in skip:
            day += timedelta(days=1)
            continue
        run_start = day
        while day < end and day not in skip:
            day += timedelta(days=1)
        runs.append((run_start, day))
    return runs


class ReportRollup:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._live = LiveReportQueries(db)

    @classmethod
    def open(cls, path: Path) -> ReportRollup:
        """On its own connection (the roll-up's thread beside the controller's)."""
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA busy_timeout=5000")
        return cls(db)

    def close(self) -> None:
        self._db.close()

    # -- writing (the controller, one day at a time) ------------------------------------------

    def days_due(self, today: date) -> list[date]:
        """Closed days (before `today`) since the first ticket that are not rolled up."""
        first = self._db.execute("SELECT min(service_day) FROM tickets").fetchone()[0]
        if first is None:
            return []
        rolled = self.rolled_days(date.fromisoformat(first), today)
        return [d for a, b in day_ranges(date.fromisoformat(first), today, rolled)
                for d in (a + timedelta(days=n) for n in range((b - a).days))]

    def roll_up(self, day: date, now: datetime) -> bool:
        """Compute and keep one closed day's figures, replacing old ones; False if the day's
        records changed while it was read (nothing is kept then: try again).

        Optimistic, so that the controller's writes never wait for the reading: the day is
        claimed in a short write, read without a lock, and stored in a second short write
        only if no trigger removed the claim in between."""
        live, end, key = self._live, day + timedelta(days=1), day.isoformat()
        db = self._db
        claim = now.isoformat()
        with _writing(db):
            # A plain DELETE (not OR REPLACE) so that the day's old rows go by trigger.
            db.execute("DELETE FROM report_days WHERE service_day = ?", (key,))
            db.execute("INSERT INTO report_days VALUES (?, ?, 0)", (key, claim))
        cells = [(key, d.value, c.key, c.level.value, int(c.excluded), c.ratings,
                  *_sub_values(c.sub_sums))
                 for d in Dimension for c in live.rating_cells(day, end, d, Grain.DAY)]
        reasons = [(key, r, n) for r, n in live.bad_reasons(day, end)]
        tallies = [(key, *t) for t in live.ticket_tallies(day, end)]
        waits, handles = live.waits(day, end), live.handles(day, end)
        wait_buckets = [(key, *k, *sums) for k, sums in _summed(
            ((w.business, w.kind, bucket_of(w.second)), w.tickets, w.total_s) for w in waits)]
        handle_buckets = [(key, *k, *sums) for k, sums in _summed(
            ((h.window, h.staff_id, bucket_of(h.second)), h.services, h.total_s)
            for h in handles)]
        with _writing(db):
            if db.execute("SELECT 1 FROM report_days WHERE service_day = ? AND rolled_at = ?",
                          (key, claim)).fetchone() is None:
                return False
            marks = ", ".join("?" * (6 + 2 * len(SUB_INDICATORS_ZH)))
            db.executemany(f"INSERT INTO report_rating_cells VALUES ({marks})", cells)
            db.executemany("INSERT INTO report_reasons VALUES (?, ?, ?)", reasons)
            db.executemany("INSERT INTO report_ticket_tallies VALUES (?, ?, ?, ?, ?, ?, ?)",
                           tallies)
            db.executemany("INSERT INTO report_waits VALUES (?, ?, ?, ?, ?, ?)",
                           [(key, *w) for w in waits])
            db.executemany("INSERT INTO report_handles VALUES (?, ?, ?, ?, ?, ?)",
                           [(key, *h) for h in handles])
            db.executemany("INSERT INTO report_wait_buckets VALUES (?, ?, ?, ?, ?, ?)",
                           wait_buckets)
            db.executemany("INSERT INTO report_handle_buckets VALUES (?, ?, ?, ?, ?, ?)",
                           handle_buckets)
            db.execute("UPDATE report_days SET ready = 1 WHERE service_day = ?", (key,))
        return True

    # -- reading ------------------------------------------------------------------------------

    def rolled_days(self, start: date, end: date) -> set[date]:
        return {date.fromisoformat(r[0]) for r in self._db.execute(
            "SELECT service_day FROM report_days WHERE ready = 1 AND service_day >= ? "
            "AND service_day < ?",
            (start.isoformat(), end.isoformat()))}

    def _rows(self, sql: str, start: date, end: date,
              extra: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        span = (start.isoformat(), end.isoformat())
        return list(self._db.execute(sql.replace("{rolled}", _ROLLED), (*extra, *span)))

    def rating_cells(self, start: date, end: date, dimension: Dimension,
                     grain: Grain) -> list[RatingCell]:
        names = tuple(SUB_INDICATORS_ZH)
        sums = ", ".join(f"sum({n}_sum), sum({n}_n)" for n in names)
        cells = []
        for r in self._rows(f"SELECT {_PERIOD[grain]}, key, level, excluded, sum(ratings), "
                            f"{sums} FROM report_rating_cells WHERE dimension = ? "
                            "AND {rolled} GROUP BY 1, 2, 3, 4", start, end, (dimension.value,)):
            subs = tuple((names[i], int(str(r[5 + 2 * i])), int(str(r[6 + 2 * i])))
                         for i in range(len(names)) if r[6 + 2 * i])
            cells.append(RatingCell(date.fromisoformat(str(r[0])), str(r[1]), _LEVELS[str(r[2])],
                                    bool(r[3]), int(str(r[4])), subs))
        return cells

    def bad_reasons(self, start: date, end: date) -> list[tuple[str, int]]:
        return [(str(r[0]), int(str(r[1]))) for r in self._rows(
            "SELECT reason, sum(ratings) FROM report_reasons WHERE {rolled} GROUP BY 1",
            start, end)]

    def ticket_tallies(self, start: date, end: date) -> list[TicketTally]:
        return [TicketTally(str(r[0]), str(r[1]), *(int(str(v)) for v in r[2:]))
                for r in self._rows(
                    "SELECT business, kind, hour, sum(tickets), sum(called), sum(no_shows) "
                    "FROM report_ticket_tallies WHERE {rolled} GROUP BY 1, 2, 3", start, end)]

    def wait_buckets(self, start: date, end: date) -> list[WaitBucket]:
        """Summed 5-minute buckets, each standing at its first second."""
        return [WaitBucket(str(r[0]), str(r[1]), bucket_start(int(str(r[2]))), int(str(r[3])),
                           float(str(r[4])))
                for r in self._rows(
                    "SELECT business, kind, bucket, sum(tickets), sum(total_s) "
                    "FROM report_wait_buckets WHERE {rolled} GROUP BY 1, 2, 3", start, end)]

    def waits_in(self, start: date, end: date, business: str, kind: str,
                 bucket: int) -> list[WaitBucket]:
        """The seconds of one bucket of one business and kind."""
        low = bucket_start(bucket)
        return [WaitBucket(business, kind, int(str(r[0])), int(str(r[1])), float(str(r[2])))
                for r in self._rows(
                    "SELECT second, sum(tickets), sum(total_s) FROM report_waits "
                    "WHERE business = ? AND kind = ? AND second >= ? AND second < ? "
                    "AND {rolled} GROUP BY 1", start, end,
                    (business, kind, low, bucket_start(bucket + 1)))]

    def handle_buckets(self, start: date, end: date) -> list[HandleBucket]:
        return [HandleBucket(int(str(r[0])), str(r[1]), bucket_start(int(str(r[2]))),
                             int(str(r[3])), float(str(r[4])))
                for r in self._rows(
                    "SELECT window, staff_id, bucket, sum(services), sum(total_s) "
                    "FROM report_handle_buckets WHERE {rolled} GROUP BY 1, 2, 3", start, end)]

    def handles_in(self, start: date, end: date, window: int, bucket: int) -> list[HandleBucket]:
        """The seconds of one bucket of one window (every clerk at it)."""
        low = bucket_start(bucket)
        return [HandleBucket(window, str(r[0]), int(str(r[1])), int(str(r[2])), float(str(r[3])))
                for r in self._rows(
                    "SELECT staff_id, second, sum(services), sum(total_s) FROM report_handles "
                    "WHERE window = ? AND second >= ? AND second < ? AND {rolled} GROUP BY 1, 2",
                    start, end, (window, low, bucket_start(bucket + 1)))]


def _summed(rows: Iterable[tuple[K, int, float]]) -> list[tuple[K, tuple[int, float]]]:
    counts: dict[K, list[float]] = {}
    for key, count, total in rows:
        pair = counts.setdefault(key, [0, 0.0])
        pair[0] += count
        pair[1] += total
    return [(key, (int(pair[0]), pair[1])) for key, pair in counts.items()]


def _sub_values(sub_sums: tuple[tuple[str, int, int], ...]) -> tuple[int, ...]:
    """(sum, count) of every sub-indicator in the table's column order, 0 for none given."""
    given = {name: (total, n) for name, total, n in sub_sums}
    return tuple(v for name in SUB_INDICATORS_ZH for v in given.get(name, (0, 0)))


class _writing:
    """One short write transaction on the roll-up's connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")
