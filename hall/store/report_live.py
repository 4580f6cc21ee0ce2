"""The reports' grouped figures computed from the raw records (tickets, ratings): what the
roll-up stores once per closed day, and what today and any stale day are read from.

Periods are half-open [start, end) of service days.
"""
from __future__ import annotations

import json
import sqlite3
from datetime import date

from hall.core.ratings import SUB_INDICATORS_ZH, RatingLevel
from hall.core.reports import (
    LEVEL_SCORE,
    Dimension,
    Grain,
    HandleBucket,
    RatingCell,
    RatingFact,
    TicketTally,
    WaitBucket,
)

_LEVELS = {level.value: level for level in RatingLevel}
_PERIOD = {Grain.DAY: "r.service_day",
           Grain.WEEK: "date(r.service_day, 'weekday 0', '-6 days')",
           Grain.MONTH: "strftime('%Y-%m-01', r.service_day)",
           Grain.YEAR: "strftime('%Y-01-01', r.service_day)"}
_KEY = {Dimension.STAFF: "r.staff_id", Dimension.WINDOW: "CAST(r.window AS TEXT)",
        Dimension.BUSINESS: "t.business", Dimension.ITEM: "item.value"}
_SCORE = " ".join(f"WHEN '{lv.value}' THEN {score}" for lv, score in LEVEL_SCORE.items())
# Seconds between two stored ISO times (with their UTC offsets).
_WAIT_S = "(julianday(first_called_at) - julianday(issued_at)) * 86400"
_HANDLE_S = "(julianday(finished_at) - julianday(called_at)) * 86400"
_EXCLUDED = "(r.rating_id IN (SELECT rating_id FROM rating_exclusions))"


def _sub_columns() -> str:
    """Per indicator: the sum of its scores and how many ratings gave one."""
    return ", ".join(f"sum(CASE sub_{name} {_SCORE} ELSE 0 END), count(sub_{name})"
                     for name in SUB_INDICATORS_ZH)


def _sub_values() -> str:
    # Most ratings give no sub-indicator: their JSON is not parsed at all.
    return ", ".join(f"CASE WHEN r.sub_scores = '{{}}' THEN NULL ELSE "
                     f"json_extract(r.sub_scores, '$.{name}') END AS sub_{name}"
                     for name in SUB_INDICATORS_ZH)


class LiveReportQueries:
    """Straight from the raw tables: right for a day or a month, slow for a year."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def rating_cells(self, start: date, end: date, dimension: Dimension,
                     grain: Grain) -> list[RatingCell]:
        joins = "JOIN tickets t ON t.ticket_id = r.ticket_id" if dimension is Dimension.BUSINESS \
            else ", json_each(r.items) AS item" if dimension is Dimension.ITEM else ""
        rows = self._db.execute(
            f"SELECT period, key, level, excluded, count(*), {_sub_columns()} FROM ("
            f"SELECT {_PERIOD[grain]} AS period, {_KEY[dimension]} AS key, r.level AS level, "
            f"{_EXCLUDED} AS excluded, {_sub_values()} FROM ratings r {joins} "
            "WHERE r.service_day >= ? AND r.service_day < ?) GROUP BY 1, 2, 3, 4",
            (start.isoformat(), end.isoformat()))
        names = tuple(SUB_INDICATORS_ZH)
        cells = []
        for r in rows:
            subs = tuple((names[i], int(r[5 + 2 * i]), int(r[6 + 2 * i]))
                         for i in range(len(names)) if r[6 + 2 * i])
            cells.append(RatingCell(date.fromisoformat(r[0]), str(r[1]), _LEVELS[r[2]],
                                    bool(r[3]), int(r[4]), subs))
        return cells

    def bad_reasons(self, start: date, end: date) -> list[tuple[str, int]]:
        rows = self._db.execute(
            "SELECT reason.value, count(*) FROM ratings r, json_each(r.reasons) AS reason "
            f"WHERE r.service_day >= ? AND r.service_day < ? AND NOT {_EXCLUDED} "
            "AND r.level IN ('dissatisfied', 'very_dissatisfied') GROUP BY 1",
            (start.isoformat(), end.isoformat()))
        return [(str(r[0]), int(r[1])) for r in rows]

    def ticket_tallies(self, start: date, end: date) -> list[TicketTally]:
        rows = self._db.execute(
            "SELECT business, kind, CAST(substr(issued_at, 12, 2) AS INTEGER), count(*), "
            "count(first_called_at), sum(status = 'no_show') FROM tickets "
            "WHERE service_day >= ? AND service_day < ? GROUP BY 1, 2, 3",
            (start.isoformat(), end.isoformat()))
        return [TicketTally(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]

    def waits(self, start: date, end: date) -> list[WaitBucket]:
        rows = self._db.execute(
            f"SELECT business, kind, CAST(round({_WAIT_S}) AS INTEGER), count(*), sum({_WAIT_S}) "
            "FROM tickets WHERE first_called_at IS NOT NULL AND service_day >= ? "
            "AND service_day < ? GROUP BY 1, 2, 3", (start.isoformat(), end.isoformat()))
        return [WaitBucket(*r) for r in rows]

    def handles(self, start: date, end: date) -> list[HandleBucket]:
        rows = self._db.execute(
            f"SELECT window, staff_id, CAST(round({_HANDLE_S}) AS INTEGER), count(*), "
            f"sum({_HANDLE_S}) FROM tickets WHERE status = 'finished' AND window IS NOT NULL "
            "AND called_at IS NOT NULL AND service_day >= ? AND service_day < ? "
            "GROUP BY 1, 2, 3", (start.isoformat(), end.isoformat()))
        return [HandleBucket(*r) for r in rows]

    def ratings(self, start: date, end: date) -> list[RatingFact]:
        """Single ratings (for small periods and for checking the grouped figures)."""
        rows = self._db.execute(
            "SELECT r.rating_id, r.service_day, r.window, r.staff_id, t.business, r.items, "
            "r.level, r.sub_scores, r.reasons FROM ratings r JOIN tickets t "
            "ON t.ticket_id = r.ticket_id WHERE r.service_day >= ? AND r.service_day < ?",
            (start.isoformat(), end.isoformat()))
        return [RatingFact(r[0], date.fromisoformat(r[1]), r[2], r[3], r[4],
                           tuple(json.loads(r[5])), _LEVELS[r[6]],
                           {k: _LEVELS[v] for k, v in json.loads(r[7]).items()},
                           tuple(json.loads(r[8]))) for r in rows]
