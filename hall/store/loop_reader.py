"""The closed loop's records read-only, for the console's pages (the controller alone writes).

Same rows as CaseStore and ComplaintStore, read through the console's read-only connection;
nothing personal is read here: phones and complaint forms go through audited intents.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from hall.core.appeals import Appeal, RecheckDraw
from hall.core.cases import Case, CaseStep
from hall.core.complaint_handling import Handling
from hall.store.case_store import APPEAL_COLUMNS, CASE_COLUMNS, appeal_from_row, case_from_row
from hall.store.complaint_store import HANDLING_COLUMNS, handling_from_row
from hall.store.history_reader import HistoryReader


@dataclass(frozen=True, slots=True)
class RatedService:
    rating_id: str
    staff_id: str
    window: int
    level: str
    rated_at: datetime


@dataclass(frozen=True, slots=True)
class ComplaintSummary:
    """What any console role may read of a complaint: no name, ID number or phone."""

    tracking_number: str
    category: str
    reasons: tuple[str, ...]
    text: str
    business: str
    first_responder: str
    event_time: str


@dataclass(frozen=True, slots=True)
class ComplaintStepRow:
    step: str
    actor: str
    at: datetime
    details: dict[str, str]


class LoopReader(HistoryReader):
    # -- bad-rating cases ----------------------------------------------------------------------

    def cases(self, *, open_only: bool = False) -> list[Case]:
        where = "WHERE state != 'closed'" if open_only else ""
        return [case_from_row(r) for r in self._rows(
            f"SELECT {', '.join(CASE_COLUMNS)} FROM cases {where} ORDER BY opened_at")]

    def case(self, case_id: str) -> Case | None:
        rows = self._rows(f"SELECT {', '.join(CASE_COLUMNS)} FROM cases WHERE case_id = ?",
                          (case_id,))
        return case_from_row(rows[0]) if rows else None

    def case_of_ticket(self, ticket_id: str) -> Case | None:
        rows = self._rows(f"SELECT {', '.join(CASE_COLUMNS)} FROM cases WHERE ticket_id = ?",
                          (ticket_id,))
        return case_from_row(rows[0]) if rows else None

    def case_steps(self, case_id: str) -> list[CaseStep]:
        return [CaseStep(str(r[0]), str(r[1]), str(r[2]), datetime.fromisoformat(str(r[3])),
                         json.loads(str(r[4])))
                for r in self._rows("SELECT case_id, step, actor, at, details FROM case_steps "
                                    "WHERE case_id = ? ORDER BY seq", (case_id,))]

    def rated_service(self, rating_id: str) -> RatedService | None:
        rows = self._rows("SELECT rating_id, staff_id, window, level, rated_at FROM ratings "
                          "WHERE rating_id = ?", (rating_id,))
        if not rows:
            return None
        r = rows[0]
        return RatedService(str(r[0]), str(r[1]), int(str(r[2])), str(r[3]),
                            datetime.fromisoformat(str(r[4])))

    # -- appeals, exclusions, the re-check ----------------------------------------------------

    def appeals(self) -> list[Appeal]:
        return [appeal_from_row(r) for r in self._rows(
            f"SELECT {', '.join(APPEAL_COLUMNS)} FROM rating_appeals ORDER BY filed_at")]

    def excluded_rating_ids(self) -> set[str]:
        return {str(r[0]) for r in self._rows("SELECT rating_id FROM rating_exclusions")}

    def draw(self, year: int) -> RecheckDraw | None:
        rows = self._rows("SELECT year, seed, population, share, drawn, drawn_by, drawn_at "
                          "FROM recheck_draws WHERE year = ?", (year,))
        if not rows:
            return None
        r = rows[0]
        return RecheckDraw(int(str(r[0])), str(r[1]), int(str(r[2])), float(str(r[3])),
                           tuple(json.loads(str(r[4]))), str(r[5]),
                           datetime.fromisoformat(str(r[6])))

    def real_name_bad_ratings(self, year: int, until: datetime | None = None) -> list[str]:
        """The re-check's population as the controller drew it (cases opened by `until`), to
        draw it again and compare."""
        rows = self._rows("SELECT rating_id, opened_at FROM cases WHERE real_name = 1 AND "
                          "substr(opened_at, 1, 4) = ? ORDER BY rating_id", (f"{year:04d}",))
        return [str(r[0]) for r in rows
                if until is None or datetime.fromisoformat(str(r[1])) <= until]

    def rechecks(self, year: int) -> dict[str, tuple[str, str, datetime]]:
        """Each re-checked rating's result, who recorded it and when."""
        return {str(r[0]): (str(r[1]), str(r[2]), datetime.fromisoformat(str(r[3])))
                for r in self._rows("SELECT rating_id, result, actor, at FROM rechecks "
                                    "WHERE year = ?", (year,))}

    # -- complaints ---------------------------------------------------------------------------

    def handlings(self) -> list[Handling]:
        return [handling_from_row(r) for r in self._rows(
            f"SELECT {', '.join(HANDLING_COLUMNS)} FROM complaints ORDER BY registered_at")]

    def handling(self, tracking_number: str) -> Handling | None:
        rows = self._rows(f"SELECT {', '.join(HANDLING_COLUMNS)} FROM complaints "
                          "WHERE tracking_number = ?", (tracking_number.strip().upper(),))
        return handling_from_row(rows[0]) if rows else None

    def complaint_summary(self, tracking_number: str) -> ComplaintSummary | None:
        rows = self._rows("SELECT tracking_number, category, reasons, text, business, "
                          "first_responder, event_time FROM complaints WHERE tracking_number = ?",
                          (tracking_number.strip().upper(),))
        if not rows:
            return None
        r = rows[0]
        return ComplaintSummary(str(r[0]), str(r[1]), tuple(json.loads(str(r[2]))), str(r[3]),
                                str(r[4] or ""), str(r[5] or ""), str(r[6] or ""))

    def complaint_steps(self, tracking_number: str) -> list[ComplaintStepRow]:
        return [ComplaintStepRow(str(r[0]), str(r[1]), datetime.fromisoformat(str(r[2])),
                                 json.loads(str(r[3])))
                for r in self._rows("SELECT step, actor, at, details FROM complaint_steps "
                                    "WHERE tracking_number = ? ORDER BY seq",
                                    (tracking_number,))]

