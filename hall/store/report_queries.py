"""Read-only queries feeding hall/core/reports.py: counts grouped in SQL, samples for percentiles.

A year of a busy hall is some 300,000 tickets and 100,000 ratings: grouping them here keeps
what crosses into Python small. Periods are half-open [start, end) of service days.
"""
from __future__ import annotations

import json
from datetime import date

from hall.core.appeals import Appeal
from hall.core.cases import Case
from hall.core.complaints import ComplaintCategory
from hall.core.ratings import SUB_INDICATORS_ZH, RatingLevel
from hall.core.report_sheets import ComplaintFact, MonthInputs
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
from hall.store.case_store import APPEAL_COLUMNS, CASE_COLUMNS, appeal_from_row, case_from_row
from hall.store.complaint_store import HANDLING_COLUMNS, handling_from_row
from hall.store.sqlite_store import SqliteStore

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


class ReportQueries:
    def __init__(self, store: SqliteStore) -> None:
        self._db = store.connection

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
