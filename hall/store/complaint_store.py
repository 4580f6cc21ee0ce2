"""Complaints' handling in SQLite: registration by every channel, steps, deadlines, full views."""
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from hall.core.complaint_handling import ComplaintChannel, ComplaintStatus, Handling, Satisfaction
from hall.core.complaints import Complaint
from hall.store.case_store import Request, remember
from hall.store.sqlite_store import SqliteStore

HANDLING_COLUMNS = (
    "tracking_number", "channel", "registered_at", "answer_due", "transfer_due",
    "first_contact_due", "first_contact_at", "status", "handler", "extended", "department",
    "transferred_at", "closed_at", "satisfaction", "reopened", "provisional_due",
)


class ComplaintStore:
    def __init__(self, store: SqliteStore) -> None:
        self._store = store
        self._db = store.connection

    def register(self, make: Callable[[int], tuple[Complaint, Handling, str]], actor: str,
                 request: Callable[[Complaint, Handling], Request]) -> tuple[Complaint, Handling]:
        """Number the day's next complaint; store it, its handling, first step and answer."""
        with self._store.transaction():
            first, _, _ = make(0)
            day = first.registered_at.date().isoformat()
            count = self._db.execute(
                "SELECT count(*) FROM complaints WHERE substr(registered_at, 1, 10) = ?",
                (day,)).fetchone()[0]
            complaint, handling, event_time = make(int(count) + 1)
            self._db.execute(
                "INSERT INTO complaints (tracking_number, category, reasons, text, name, "
                "id_number, phone, business, first_responder, registered_at, answer_due, status, "
                "channel, event_time, transfer_due, first_contact_due, provisional_due) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (complaint.tracking_number, complaint.category.value,
                 json.dumps(list(complaint.reasons)), complaint.text, complaint.name,
                 complaint.id_number, complaint.phone, complaint.business,
                 complaint.first_responder, complaint.registered_at.isoformat(),
                 handling.answer_due.isoformat(), handling.status.value, handling.channel.value,
                 event_time, handling.transfer_due.isoformat(),
                 _iso(handling.first_contact_due), int(handling.provisional_due)))
            self._step(complaint.tracking_number, "registered", actor, complaint.registered_at,
                       {"channel": handling.channel.value})
            remember(self._db, request(complaint, handling), complaint.registered_at)
        return complaint, handling

    def handling(self, tracking_number: str) -> Handling | None:
        row = self._db.execute(f"SELECT {', '.join(HANDLING_COLUMNS)} FROM complaints "
                               "WHERE tracking_number = ?",
                               (tracking_number.strip().upper(),)).fetchone()
        return handling_from_row(row) if row else None

    def handlings(self, *, open_only: bool = False) -> list[Handling]:
        where = "WHERE status NOT IN ('closed', 'transferred')" if open_only else ""
        rows = self._db.execute(f"SELECT {', '.join(HANDLING_COLUMNS)} FROM complaints {where} "
                                "ORDER BY registered_at")
        return [handling_from_row(r) for r in rows]

    def save(self, h: Handling, step: str, actor: str, now: datetime, details: dict[str, str],
             request: Request, *, answer: str | None = None) -> None:
        with self._store.transaction():
            self._db.execute(
                "UPDATE complaints SET answer_due = ?, first_contact_at = ?, status = ?, "
                "handler = ?, extended = ?, department = ?, transferred_at = ?, closed_at = ?, "
                "satisfaction = ?, reopened = ?, provisional_due = ?, "
                "answer = coalesce(?, answer) WHERE tracking_number = ?",
                (h.answer_due.isoformat(), _iso(h.first_contact_at), h.status.value, h.handler,
                 int(h.extended), h.department, _iso(h.transferred_at), _iso(h.closed_at),
                 h.satisfaction.value if h.satisfaction else None, h.reopened,
                 int(h.provisional_due), answer, h.tracking_number))
            self._step(h.tracking_number, step, actor, now, details)
            remember(self._db, request, now)

    def steps(self, tracking_number: str) -> list[tuple[str, str, datetime, dict[str, str]]]:
        rows = self._db.execute("SELECT step, actor, at, details FROM complaint_steps WHERE "
                                "tracking_number = ? ORDER BY seq", (tracking_number,))
        return [(r[0], r[1], datetime.fromisoformat(r[2]), json.loads(r[3])) for r in rows]

    def full_record(self, tracking_number: str, viewer: str, now: datetime) -> dict[str, str]:
        """Everything the form holds, personal data included: managers only, every look audited."""
        with self._store.transaction():
            cursor = self._db.execute(
                "SELECT tracking_number, category, reasons, text, name, id_number, phone, "
                "business, first_responder, registered_at, channel, event_time, answer "
                "FROM complaints WHERE tracking_number = ?", (tracking_number.strip().upper(),))
            names = [d[0] for d in cursor.description]
            row = cursor.fetchone()
            self._db.execute("INSERT INTO personal_data_views (what, ref, viewer, at) "
                             "VALUES ('complaint', ?, ?, ?)", (tracking_number, viewer,
                                                               now.isoformat()))
        return {k: str(v) for k, v in zip(names, row, strict=True)} if row else {}

    def views_of_personal_data(self) -> list[tuple[str, str, str, str]]:
        return [(r[0], r[1], r[2], r[3]) for r in self._db.execute(
            "SELECT what, ref, viewer, at FROM personal_data_views ORDER BY seq")]

    def _step(self, tracking_number: str, step: str, actor: str, at: datetime,
              details: dict[str, str]) -> None:
        self._db.execute("INSERT INTO complaint_steps (tracking_number, step, actor, at, details) "
                         "VALUES (?,?,?,?,?)", (tracking_number, step, actor, at.isoformat(),
                                                json.dumps(details, ensure_ascii=False)))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def handling_from_row(r: tuple[Any, ...]) -> Handling:
    v = dict(zip(HANDLING_COLUMNS, r, strict=True))
    return Handling(
        tracking_number=v["tracking_number"], channel=ComplaintChannel(v["channel"]),
        registered_at=datetime.fromisoformat(v["registered_at"]),
        answer_due=date.fromisoformat(v["answer_due"]),
        transfer_due=date.fromisoformat(v["transfer_due"] or v["answer_due"]),
        first_contact_due=_moment(v["first_contact_due"]),
        first_contact_at=_moment(v["first_contact_at"]), status=ComplaintStatus(v["status"]),
        handler=v["handler"], extended=bool(v["extended"]), department=v["department"],
        transferred_at=_moment(v["transferred_at"]), closed_at=_moment(v["closed_at"]),
        satisfaction=Satisfaction(v["satisfaction"]) if v["satisfaction"] else None,
        reopened=v["reopened"], provisional_due=bool(v["provisional_due"]))
