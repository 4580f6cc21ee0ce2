"""Bad-rating cases, their steps, callback phones, appeals, exclusions and re-checks in SQLite."""
from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from hall.core.appeals import Appeal, ExclusionKind, RecheckDraw
from hall.core.cases import Case, CaseState, CaseStep, RectifyKind
from hall.core.ratings import Rating, RatingLevel
from hall.store.sqlite_store import SqliteStore

Request = tuple[str, str, bytes] | None
CASE_COLUMNS = (
    "case_id", "rating_id", "ticket_id", "window", "staff_id", "items", "reasons", "level",
    "owner", "real_name", "opened_at", "callback_due", "feedback_due", "provisional_due", "state",
    "callback_attempts", "callback_done_at", "confirmed", "rectify_kind", "rectify_due",
    "rectified_at", "feedback_at", "follow_up_level", "closed_at",
)
APPEAL_COLUMNS = ("appeal_id", "rating_id", "staff_id", "reason", "filed_by", "filed_at",
                   "decided_by", "decided_at", "upheld", "exclusion", "decision_reason")


class CaseStore:
    def __init__(self, store: SqliteStore) -> None:
        self._store = store
        self._db = store.connection

    # -- cases ------------------------------------------------------------------------------

    def save_contact(self, rating_id: str, phone: str, now: datetime) -> None:
        with self._store.transaction():
            self._db.execute("INSERT OR IGNORE INTO rating_contacts (rating_id, phone, given_at) "
                             "VALUES (?,?,?)", (rating_id, phone, now.isoformat()))

    def callback_phone(self, rating_id: str, viewer: str, now: datetime) -> str:
        """The rater's phone, for the manager calling back; every look is recorded."""
        with self._store.transaction():
            row = self._db.execute("SELECT phone FROM rating_contacts WHERE rating_id = ?",
                                   (rating_id,)).fetchone()
            self._db.execute("INSERT INTO personal_data_views (what, ref, viewer, at) "
                             "VALUES ('rating_phone', ?, ?, ?)", (rating_id, viewer,
                                                                  now.isoformat()))
        return str(row[0]) if row else ""

    def has_contact(self, rating_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM rating_contacts WHERE rating_id = ?",
                                (rating_id,)).fetchone() is not None

    def save_case(self, case: Case, step: CaseStep, request: Request = None) -> None:
        """Insert or update the case, append its step and the request's answer, atomically."""
        placeholders = ",".join("?" * len(CASE_COLUMNS))
        updates = ", ".join(f"{c} = excluded.{c}" for c in CASE_COLUMNS[1:])
        with self._store.transaction():
            self._db.execute(f"INSERT INTO cases ({', '.join(CASE_COLUMNS)}) VALUES "
                             f"({placeholders}) ON CONFLICT (case_id) DO UPDATE SET {updates}",
                             case_row(case))
            self._db.execute("INSERT INTO case_steps (case_id, step, actor, at, details) "
                             "VALUES (?,?,?,?,?)",
                             (step.case_id, step.step, step.actor, step.at.isoformat(),
                              json.dumps(step.details, ensure_ascii=False)))
            remember(self._db, request, step.at)

    def case(self, case_id: str) -> Case | None:
        row = self._db.execute(f"SELECT {', '.join(CASE_COLUMNS)} FROM cases WHERE case_id = ?",
                               (case_id,)).fetchone()
        return case_from_row(row) if row else None

    def case_of_rating(self, rating_id: str) -> Case | None:
        row = self._db.execute(f"SELECT {', '.join(CASE_COLUMNS)} FROM cases "
                               "WHERE rating_id = ?", (rating_id,)).fetchone()
        return case_from_row(row) if row else None

    def case_of_ticket(self, ticket_id: str) -> Case | None:
        row = self._db.execute(f"SELECT {', '.join(CASE_COLUMNS)} FROM cases "
                               "WHERE ticket_id = ?", (ticket_id,)).fetchone()
        return case_from_row(row) if row else None

    def cases(self, *, open_only: bool = False, since: date | None = None,
              until: date | None = None) -> list[Case]:
        """Cases by opening time; `since`/`until` bound the opening day (inclusive)."""
        where, args = ["1 = 1"], []
        if open_only:
            where.append("state != 'closed'")
        if since is not None:
            where.append("opened_at >= ?")
            args.append(since.isoformat())
        if until is not None:
            where.append("substr(opened_at, 1, 10) <= ?")
            args.append(until.isoformat())
        rows = self._db.execute(f"SELECT {', '.join(CASE_COLUMNS)} FROM cases WHERE "
                                f"{' AND '.join(where)} ORDER BY opened_at", args)
        return [case_from_row(r) for r in rows]

    def steps(self, case_id: str) -> list[CaseStep]:
        rows = self._db.execute("SELECT case_id, step, actor, at, details FROM case_steps "
                                "WHERE case_id = ? ORDER BY seq", (case_id,))
        return [CaseStep(r[0], r[1], r[2], datetime.fromisoformat(r[3]), json.loads(r[4]))
                for r in rows]

    def bad_ratings_without_case(self) -> list[Rating]:
        """Bad ratings stored before their case was (a stop between the two transactions)."""
        rows = self._db.execute(
            "SELECT r.rating_id, r.ticket_id, r.service_day, r.window, r.staff_id, r.items, "
            "r.level, r.sub_scores, r.reasons, r.comment, r.channel, r.rated_at FROM ratings r "
            "LEFT JOIN cases c ON c.rating_id = r.rating_id WHERE c.case_id IS NULL "
            "AND r.level IN ('dissatisfied', 'very_dissatisfied') ORDER BY r.rated_at")
        return [Rating(r[0], r[1], date.fromisoformat(r[2]), r[3], r[4], tuple(json.loads(r[5])),
                       RatingLevel(r[6]), datetime.fromisoformat(r[11]), r[10],
                       {k: RatingLevel(v) for k, v in json.loads(r[7]).items()},
                       tuple(json.loads(r[8])), r[9]) for r in rows]

    def rating(self, rating_id: str) -> Rating | None:
        r = self._db.execute(
            "SELECT rating_id, ticket_id, service_day, window, staff_id, items, level, "
            "sub_scores, reasons, comment, channel, rated_at FROM ratings WHERE rating_id = ?",
            (rating_id,)).fetchone()
        if r is None:
            return None
        return Rating(r[0], r[1], date.fromisoformat(r[2]), r[3], r[4], tuple(json.loads(r[5])),
                      RatingLevel(r[6]), datetime.fromisoformat(r[11]), r[10],
                      {k: RatingLevel(v) for k, v in json.loads(r[7]).items()},
                      tuple(json.loads(r[8])), r[9])

    # -- appeals and exclusions ---------------------------------------------------------------

    def save_appeal(self, appeal: Appeal, request: Request, now: datetime) -> None:
        """A new or decided appeal; an upheld one excludes its rating in the same transaction."""
        placeholders = ",".join("?" * len(APPEAL_COLUMNS))
        updates = ", ".join(f"{c} = excluded.{c}" for c in APPEAL_COLUMNS[1:])
        with self._store.transaction():
            self._db.execute(f"INSERT INTO rating_appeals ({', '.join(APPEAL_COLUMNS)}) "
                             f"VALUES ({placeholders}) ON CONFLICT (appeal_id) DO UPDATE SET "
                             f"{updates}", _appeal_row(appeal))
            if appeal.upheld and appeal.exclusion is not None and appeal.decided_at is not None:
                self._db.execute(
                    "INSERT INTO rating_exclusions (rating_id, kind, appeal_id, decided_by, "
                    "reason, at) VALUES (?,?,?,?,?,?)",
                    (appeal.rating_id, appeal.exclusion.value, appeal.appeal_id,
                     appeal.decided_by, appeal.decision_reason, appeal.decided_at.isoformat()))
            remember(self._db, request, now)

    def appeal(self, appeal_id: str) -> Appeal | None:
        row = self._db.execute(f"SELECT {', '.join(APPEAL_COLUMNS)} FROM rating_appeals "
                               "WHERE appeal_id = ?", (appeal_id,)).fetchone()
        return appeal_from_row(row) if row else None

    def appeals(self, rating_id: str | None = None) -> list[Appeal]:
        cols = ", ".join(APPEAL_COLUMNS)
        if rating_id is None:
            rows = self._db.execute(f"SELECT {cols} FROM rating_appeals ORDER BY filed_at")
        else:
            rows = self._db.execute(f"SELECT {cols} FROM rating_appeals WHERE rating_id = ? "
                                    "ORDER BY filed_at", (rating_id,))
        return [appeal_from_row(r) for r in rows]

    def excluded_rating_ids(self) -> set[str]:
        return {str(r[0]) for r in self._db.execute("SELECT rating_id FROM rating_exclusions")}

    # -- the yearly re-check ------------------------------------------------------------------

    def real_name_bad_ratings(self, year: int) -> list[str]:
        rows = self._db.execute(
            "SELECT c.rating_id FROM cases c WHERE c.real_name = 1 AND substr(c.opened_at, 1, 4) "
            "= ? ORDER BY c.rating_id", (f"{year:04d}",))
        return [str(r[0]) for r in rows]

    def save_draw(self, draw: RecheckDraw, request: Request) -> None:
        with self._store.transaction():
            self._db.execute(
                "INSERT INTO recheck_draws (year, seed, population, share, drawn, drawn_by, "
                "drawn_at) VALUES (?,?,?,?,?,?,?)",
                (draw.year, draw.seed, draw.population, draw.share, json.dumps(list(draw.drawn)),
                 draw.drawn_by, draw.drawn_at.isoformat()))
            remember(self._db, request, draw.drawn_at)

    def draw(self, year: int) -> RecheckDraw | None:
        r = self._db.execute("SELECT year, seed, population, share, drawn, drawn_by, drawn_at "
                             "FROM recheck_draws WHERE year = ?", (year,)).fetchone()
        if r is None:
            return None
        return RecheckDraw(r[0], r[1], r[2], r[3], tuple(json.loads(r[4])), r[5],
                           datetime.fromisoformat(r[6]))

    def save_recheck(self, rating_id: str, year: int, result: str, actor: str, now: datetime,
                     request: Request) -> None:
        with self._store.transaction():
            self._db.execute("INSERT OR REPLACE INTO rechecks (rating_id, year, result, actor, at) "
                             "VALUES (?,?,?,?,?)", (rating_id, year, result, actor,
                                                    now.isoformat()))
            remember(self._db, request, now)

    def rechecks(self, year: int) -> dict[str, str]:
        return {str(r[0]): str(r[1]) for r in self._db.execute(
            "SELECT rating_id, result FROM rechecks WHERE year = ?", (year,))}


def remember(db: Any, request: Request, now: datetime) -> None:
    if request is not None:
        db.execute("INSERT OR REPLACE INTO requests (device_id, request_id, at, answer) "
                   "VALUES (?,?,?,?)", (request[0], request[1], now.isoformat(), request[2]))


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def case_row(c: Case) -> tuple[Any, ...]:
    return (c.case_id, c.rating_id, c.ticket_id, c.window, c.staff_id, json.dumps(list(c.items)),
            json.dumps(list(c.reasons)), c.level.value, c.owner, int(c.real_name),
            c.opened_at.isoformat(), c.callback_due.isoformat(), c.feedback_due.isoformat(),
            int(c.provisional_due), c.state.value, c.callback_attempts, _iso(c.callback_done_at),
            None if c.confirmed is None else int(c.confirmed),
            c.rectify_kind.value if c.rectify_kind else None, _iso(c.rectify_due),
            _iso(c.rectified_at), _iso(c.feedback_at),
            c.follow_up_level.value if c.follow_up_level else None, _iso(c.closed_at))


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def case_from_row(r: tuple[Any, ...]) -> Case:
    v = dict(zip(CASE_COLUMNS, r, strict=True))
    return Case(
        case_id=v["case_id"], rating_id=v["rating_id"], ticket_id=v["ticket_id"],
        window=v["window"], staff_id=v["staff_id"], items=tuple(json.loads(v["items"])),
        reasons=tuple(json.loads(v["reasons"])), level=RatingLevel(v["level"]), owner=v["owner"],
        real_name=bool(v["real_name"]), opened_at=datetime.fromisoformat(v["opened_at"]),
        callback_due=date.fromisoformat(v["callback_due"]),
        feedback_due=date.fromisoformat(v["feedback_due"]),
        provisional_due=bool(v["provisional_due"]), state=CaseState(v["state"]),
        callback_attempts=v["callback_attempts"], callback_done_at=_moment(v["callback_done_at"]),
        confirmed=None if v["confirmed"] is None else bool(v["confirmed"]),
        rectify_kind=RectifyKind(v["rectify_kind"]) if v["rectify_kind"] else None,
        rectify_due=date.fromisoformat(v["rectify_due"]) if v["rectify_due"] else None,
        rectified_at=_moment(v["rectified_at"]), feedback_at=_moment(v["feedback_at"]),
        follow_up_level=RatingLevel(v["follow_up_level"]) if v["follow_up_level"] else None,
        closed_at=_moment(v["closed_at"]))


def _appeal_row(a: Appeal) -> tuple[Any, ...]:
    return (a.appeal_id, a.rating_id, a.staff_id, a.reason, a.filed_by, a.filed_at.isoformat(),
            a.decided_by, _iso(a.decided_at), None if a.upheld is None else int(a.upheld),
            a.exclusion.value if a.exclusion else None, a.decision_reason)


def appeal_from_row(r: tuple[Any, ...]) -> Appeal:
    v = dict(zip(APPEAL_COLUMNS, r, strict=True))
    return Appeal(appeal_id=v["appeal_id"], rating_id=v["rating_id"], staff_id=v["staff_id"],
                  reason=v["reason"], filed_by=v["filed_by"],
                  filed_at=datetime.fromisoformat(v["filed_at"]), decided_by=v["decided_by"],
                  decided_at=_moment(v["decided_at"]),
                  upheld=None if v["upheld"] is None else bool(v["upheld"]),
                  exclusion=ExclusionKind(v["exclusion"]) if v["exclusion"] else None,
                  decision_reason=v["decision_reason"])
