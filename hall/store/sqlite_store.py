"""The only module with SQL: persists each engine command in one durable transaction."""
from __future__ import annotations

import dataclasses
import enum
import json
import logging
import secrets
import sqlite3
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from hall.core import events as ev
from hall.core.appointments import Appointment
from hall.core.complaints import Complaint
from hall.core.ids import PauseReason, TicketKind, TicketNumber, TicketStatus, WindowStatus
from hall.core.notices import Notice
from hall.core.ratings import Rating, RatingLevel
from hall.core.staff_auth import Attempts
from hall.core.state import CallRecord, HallState, Ticket, WindowState

logger = logging.getLogger(__name__)

_TICKET_COLUMNS = (
    "ticket_id", "service_day", "number", "business", "kind", "status", "issued_at", "queued_at",
    "priority_reason", "appointment_code", "helper_name", "target_window", "window", "staff_id",
    "first_called_at", "called_at", "call_count", "finished_at", "transfer_note",
    "transferred_from", "items",
)
REQUEST_MEMORY = timedelta(days=2)


class StoreError(Exception):
    """The database cannot be opened or is from a newer version of the software."""


def migrations() -> list[tuple[int, str]]:
    folder = resources.files("hall.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8")))
    return sorted(found)


class SqliteStore:
    """Durable hall state in one SQLite file (WAL, synchronous=FULL, foreign keys on)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # Complainants' names, ID numbers and phones live here: the owner alone reads it (SQLite
        # gives its -wal and -shm files the same mode).
        path.touch(mode=0o600, exist_ok=True)
        try:
            path.chmod(0o600)
        except OSError as exc:
            logger.warning("cannot make %s private (%s)", path, exc)
        # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, one per command.
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        # FULL fsyncs the WAL at every commit: an acknowledged ticket survives a power cut.
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=5000")
        try:
            self._migrate()
        except BaseException:
            self._db.close()
            raise

    def close(self) -> None:
        self._db.close()

    @property
    def connection(self) -> sqlite3.Connection:
        """For the store's other modules (hall/store/*): same file, same transactions."""
        return self._db

    def transaction(self) -> _Transaction:
        return self._transaction()

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        current = self.schema_version
        known = migrations()
        newest = known[-1][0] if known else 0
        if current > newest:
            raise StoreError(f"{self.path} has schema {current}; this software knows {newest}")
        for number, sql in known:
            if number <= current:
                continue
            logger.info("applying migration %d to %s", number, self.path)
            try:
                self._db.execute("BEGIN IMMEDIATE")
                for statement in sql.split(";\n"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")
                self._db.execute("COMMIT")
            except sqlite3.Error:
                self._db.execute("ROLLBACK")
                raise

    # -- loading ----------------------------------------------------------------------------

    def load(self) -> HallState | None:
        """The last committed state, or None for a new hall."""
        row = self._db.execute(
            "SELECT service_day, is_open, last_sequence, recent_handle_s, recent_calls "
            "FROM hall_state WHERE id = 1").fetchone()
        if row is None:
            return None
        day = date.fromisoformat(row[0])
        tickets = {t.ticket_id: t for t in self.tickets_of_day(day)}
        windows = {}
        for w in self._db.execute("SELECT number, status, staff_id, ticket_id, pause_reason, "
                                  "since, calls_since_priority FROM windows"):
            windows[w[0]] = WindowState(
                number=w[0], status=WindowStatus(w[1]), staff_id=w[2], ticket_id=w[3] or "",
                pause_reason=PauseReason(w[4]) if w[4] else None, since=_time(w[5]),
                calls_since_priority=w[6])
        calls = tuple(CallRecord(TicketNumber(c["number"]), c["window"], c["business"],
                                 datetime.fromisoformat(c["at"]), c["is_recall"])
                      for c in json.loads(row[4]))
        return HallState(
            service_day=day, is_open=bool(row[1]), tickets=tickets, windows=windows,
            last_sequence={k: int(v) for k, v in json.loads(row[2]).items()},
            recent_handle_s={k: tuple(v) for k, v in json.loads(row[3]).items()},
            recent_calls=calls,
        )

    def tickets_of_day(self, day: date) -> list[Ticket]:
        cols = ", ".join(_TICKET_COLUMNS)
        rows = self._db.execute(f"SELECT {cols} FROM tickets WHERE service_day = ?",
                                (day.isoformat(),))
        return [_ticket_from_row(r) for r in rows]

    def rows(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        """A read-only query for the store's own reader modules (hall/store/*)."""
        return list(self._db.execute(sql, params))

    def write_rows(self, sql: str, rows: Iterable[tuple[object, ...]]) -> None:
        """One transaction of one statement over many rows, for the store's own modules."""
        with self._transaction():
            self._db.executemany(sql, list(rows))

    def count_tickets(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM tickets").fetchone()[0])

    def answer_for(self, device_id: str, request_id: str) -> bytes | None:
        row = self._db.execute("SELECT answer FROM requests WHERE device_id = ? AND request_id = ?",
                               (device_id, request_id)).fetchone()
        return bytes(row[0]) if row else None

    def appointment(self, code: str) -> Appointment | None:
        row = self._db.execute("SELECT code, business, slot_start, slot_end, checked_in_ticket, "
                               "phone_last4 FROM appointments WHERE code = ?", (code,)).fetchone()
        if row is None:
            return None
        return Appointment(row[0], row[1], datetime.fromisoformat(row[2]),
                           datetime.fromisoformat(row[3]), row[4] or "", row[5] or "")

    def events_since(self, seq: int = 0) -> list[tuple[int, str, str]]:
        return list(self._db.execute("SELECT seq, kind, body FROM events WHERE seq > ? ORDER BY seq",
                                     (seq,)))

    # -- writing ----------------------------------------------------------------------------

    def add_appointments(self, appointments: Iterable[Appointment]) -> None:
        with self._transaction():
            self._db.executemany(
                "INSERT INTO appointments (code, business, slot_start, slot_end, phone_last4) "
                "VALUES (?,?,?,?,?) "
                "ON CONFLICT (code) DO UPDATE SET business = excluded.business, "
                "slot_start = excluded.slot_start, slot_end = excluded.slot_end, "
                "phone_last4 = excluded.phone_last4",
                [(a.code, a.business, a.slot_start.isoformat(), a.slot_end.isoformat(),
                  a.phone_last4) for a in appointments])

    def commit(self, before: HallState | None, after: HallState,
               events: Iterable[ev.Event], now: datetime, *,
               request: tuple[str, str, bytes] | None = None) -> None:
        """Persist what changed from `before` to `after`, its events and the request's answer."""
        events = list(events)
        with self._transaction():
            self._write_tickets(before, after, events)
            self._write_windows(before, after)
            self._db.execute(
                "INSERT INTO hall_state (id, service_day, is_open, last_sequence, recent_handle_s, "
                "recent_calls) VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "service_day = excluded.service_day, is_open = excluded.is_open, "
                "last_sequence = excluded.last_sequence, recent_handle_s = excluded.recent_handle_s, "
                "recent_calls = excluded.recent_calls",
                (after.service_day.isoformat(), int(after.is_open),
                 json.dumps(dict(after.last_sequence)),
                 json.dumps({k: list(v) for k, v in after.recent_handle_s.items()}),
                 json.dumps([_plain(c) for c in after.recent_calls])))
            for event in events:
                ticket = getattr(event, "ticket", None)
                if isinstance(event, ev.AppointmentCheckedIn):
                    self._db.execute("UPDATE appointments SET checked_in_ticket = ? WHERE code = ?",
                                     (event.ticket.ticket_id, event.appointment_code))
                self._db.execute(
                    "INSERT INTO events (at, kind, ticket_id, window, body) VALUES (?,?,?,?,?)",
                    (event.at.isoformat(), type(event).__name__,
                     ticket.ticket_id if isinstance(ticket, Ticket) else None,
                     getattr(event, "window", None), json.dumps(_plain(event), ensure_ascii=False)))
            if request is not None:
                device_id, request_id, answer = request
                self._db.execute("INSERT OR REPLACE INTO requests (device_id, request_id, at, answer) "
                                 "VALUES (?,?,?,?)",
                                 (device_id, request_id, now.isoformat(),
                                  answer))
            if any(isinstance(e, ev.DayRolledOver) for e in events):
                self._db.execute("DELETE FROM requests WHERE at < ?",
                                 ((now - REQUEST_MEMORY).isoformat(),))

    def ticket(self, ticket_id: str) -> Ticket | None:
        cols = ", ".join(_TICKET_COLUMNS)
        row = self._db.execute(f"SELECT {cols} FROM tickets WHERE ticket_id = ?",
                               (ticket_id,)).fetchone()
        return _ticket_from_row(row) if row else None

    def is_rated(self, ticket_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM ratings WHERE ticket_id = ?",
                                (ticket_id,)).fetchone() is not None

    def save_rating(self, rating: Rating, request: tuple[str, str, bytes] | None) -> None:
        """The rating and the answer to its request, in one transaction."""
        with self._transaction():
            self._db.execute(
                "INSERT INTO ratings (rating_id, ticket_id, service_day, window, staff_id, items, "
                "level, sub_scores, reasons, comment, channel, rated_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (rating.rating_id, rating.ticket_id, rating.service_day.isoformat(),
                 rating.window, rating.staff_id, json.dumps(list(rating.items)),
                 rating.level.value,
                 json.dumps({k: v.value for k, v in rating.sub_scores.items()}),
                 json.dumps(list(rating.reasons)), rating.comment, rating.channel,
                 rating.rated_at.isoformat()))
            if request is not None:
                self._db.execute("INSERT OR REPLACE INTO requests (device_id, request_id, at, "
                                 "answer) VALUES (?,?,?,?)",
                                 (request[0], request[1], rating.rated_at.isoformat(), request[2]))

    def ratings_of_day(self, day: date) -> list[Rating]:
        rows = self._db.execute(
            "SELECT rating_id, ticket_id, service_day, window, staff_id, items, level, sub_scores, "
            "reasons, comment, channel, rated_at FROM ratings WHERE service_day = ? "
            "ORDER BY rated_at", (day.isoformat(),))
        return [Rating(r[0], r[1], date.fromisoformat(r[2]), r[3], r[4], tuple(json.loads(r[5])),
                       RatingLevel(r[6]), datetime.fromisoformat(r[11]), r[10],
                       {k: RatingLevel(v) for k, v in json.loads(r[7]).items()},
                       tuple(json.loads(r[8])), r[9]) for r in rows]

    def save_complaint(self, make: Callable[[int], Complaint],
                       request: Callable[[Complaint], tuple[str, str, bytes] | None]) -> Complaint:
        """Number the day's next complaint, store it and the request's answer, atomically."""
        with self._transaction():
            day = make(0).registered_at.date().isoformat()
            count = self._db.execute(
                "SELECT count(*) FROM complaints WHERE substr(registered_at, 1, 10) = ?",
                (day,)).fetchone()[0]
            complaint = make(int(count) + 1)
            self._db.execute(
                "INSERT INTO complaints (tracking_number, category, reasons, text, name, "
                "id_number, phone, business, first_responder, registered_at, answer_due) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (complaint.tracking_number, complaint.category.value,
                 json.dumps(list(complaint.reasons)), complaint.text, complaint.name,
                 complaint.id_number, complaint.phone, complaint.business,
                 complaint.first_responder, complaint.registered_at.isoformat(),
                 complaint.answer_due.isoformat()))
            answer = request(complaint)
            if answer is not None:
                self._db.execute("INSERT OR REPLACE INTO requests (device_id, request_id, at, "
                                 "answer) VALUES (?,?,?,?)",
                                 (answer[0], answer[1], complaint.registered_at.isoformat(),
                                  answer[2]))
            return complaint

    def complaint_status(self, tracking_number: str) -> tuple[str, str, str, str] | None:
        """(category, status, registered_at, answer_due) of a complaint, nothing personal."""
        row = self._db.execute(
            "SELECT category, status, registered_at, answer_due FROM complaints "
            "WHERE tracking_number = ?", (tracking_number.strip().upper(),)).fetchone()
        return (row[0], row[1], row[2], row[3]) if row else None

    def save_notice(self, notice: Notice,
                    request: tuple[str, str, bytes] | None = None) -> None:
        """The notice and the answer to the request that pushed it, in one transaction."""
        with self._transaction():
            self._remember(request, notice.pushed_at)
            self._db.execute(
                "INSERT INTO notices (notice_id, text_zh, text_en, urgent, pushed_at, pushed_by, "
                "starts_at, expires_at) VALUES (?,?,?,?,?,?,?,?)",
                (notice.notice_id, notice.text_zh, notice.text_en, int(notice.urgent),
                 notice.pushed_at.isoformat(), notice.pushed_by, _iso(notice.starts_at),
                 _iso(notice.expires_at)))

    def retract_notice(self, notice_id: str, now: datetime,
                       request: tuple[str, str, bytes] | None = None) -> bool:
        """False (and nothing stored) when there is no such notice in force."""
        with self._transaction():
            cursor = self._db.execute(
                "UPDATE notices SET retracted_at = ? WHERE notice_id = ? AND retracted_at IS NULL",
                (now.isoformat(), notice_id))
            if cursor.rowcount == 1:
                self._remember(request, now)
            return cursor.rowcount == 1

    def replace_notice(self, old_notice_id: str, notice: Notice,
                       request: tuple[str, str, bytes] | None = None) -> bool:
        """Retract one notice and store its successor with the answer, in one transaction.

        False (and nothing stored) when the old one is not in force."""
        with self._transaction():
            cursor = self._db.execute(
                "UPDATE notices SET retracted_at = ? WHERE notice_id = ? AND retracted_at IS NULL",
                (notice.pushed_at.isoformat(), old_notice_id))
            if cursor.rowcount != 1:
                return False
            self._remember(request, notice.pushed_at)
            self._db.execute(
                "INSERT INTO notices (notice_id, text_zh, text_en, urgent, pushed_at, pushed_by, "
                "starts_at, expires_at) VALUES (?,?,?,?,?,?,?,?)",
                (notice.notice_id, notice.text_zh, notice.text_en, int(notice.urgent),
                 notice.pushed_at.isoformat(), notice.pushed_by, _iso(notice.starts_at),
                 _iso(notice.expires_at)))
            return True

    def notices_in_force(self) -> list[Notice]:
        """Notices not retracted (expired ones included; the caller filters by time)."""
        rows = self._db.execute(
            "SELECT notice_id, text_zh, text_en, urgent, pushed_at, pushed_by, starts_at, "
            "expires_at FROM notices WHERE retracted_at IS NULL ORDER BY pushed_at")
        return [Notice(r[0], r[1], r[2], bool(r[3]), datetime.fromisoformat(r[4]), r[5],
                       _time(r[6]), _time(r[7])) for r in rows]

    def next_boot_count(self) -> int:
        """Count this start of the controller; the count survives restarts."""
        with self._transaction():
            row = self._db.execute("SELECT value FROM meta WHERE key = 'boot_count'").fetchone()
            count = int(row[0]) + 1 if row else 1
            self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('boot_count', ?)",
                             (str(count),))
        return count

    def secret(self, name: str, size: int = 32) -> bytes:
        """A random secret made on first use and kept in the database (never a default)."""
        with self._transaction():
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (f"secret:{name}",)
                                   ).fetchone()
            if row is not None:
                return bytes.fromhex(row[0])
            value = secrets.token_bytes(size)
            self._db.execute("INSERT INTO meta (key, value) VALUES (?, ?)",
                             (f"secret:{name}", value.hex()))
            return value

    def set_pin_hash(self, staff_id: str, pin_hash: str, now: datetime) -> None:
        with self._transaction():
            self._db.execute("INSERT OR REPLACE INTO staff_pins (staff_id, pin_hash, set_at) "
                             "VALUES (?,?,?)", (staff_id, pin_hash, now.isoformat()))

    def remove_pin(self, staff_id: str) -> None:
        with self._transaction():
            self._db.execute("DELETE FROM staff_pins WHERE staff_id = ?", (staff_id,))

    def pin_hash(self, staff_id: str) -> str | None:
        row = self._db.execute("SELECT pin_hash FROM staff_pins WHERE staff_id = ?",
                               (staff_id,)).fetchone()
        return str(row[0]) if row else None

    def staff_with_pins(self) -> set[str]:
        return {str(r[0]) for r in self._db.execute("SELECT staff_id FROM staff_pins")}

    def sign_in_attempts(self, keys: Iterable[str]) -> dict[str, Attempts]:
        found: dict[str, Attempts] = {}
        for key in keys:
            row = self._db.execute("SELECT failures, locked_until FROM sign_in_attempts "
                                   "WHERE key = ?", (key,)).fetchone()
            if row is not None:
                found[key] = Attempts(int(row[0]), _time(row[1]))
        return found

    def save_sign_in_attempts(self, attempts: dict[str, Attempts]) -> None:
        with self._transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO sign_in_attempts (key, failures, locked_until) "
                "VALUES (?,?,?)",
                [(k, a.failures, _iso(a.locked_until)) for k, a in attempts.items()])

    def clear_sign_in_attempts(self, keys: Iterable[str]) -> None:
        with self._transaction():
            self._db.executemany("DELETE FROM sign_in_attempts WHERE key = ?",
                                 [(k,) for k in keys])

    def remember_answer(self, device_id: str, request_id: str, answer: bytes,
                        now: datetime) -> None:
        with self._transaction():
            self._remember((device_id, request_id, answer), now)

    def _remember(self, request: tuple[str, str, bytes] | None, now: datetime) -> None:
        if request is not None:
            self._db.execute("INSERT OR REPLACE INTO requests (device_id, request_id, at, answer) "
                             "VALUES (?,?,?,?)", (request[0], request[1], now.isoformat(),
                                                  request[2]))

    def _write_tickets(self, before: HallState | None, after: HallState,
                       events: list[ev.Event]) -> None:
        old = before.tickets if before is not None else {}
        cheap = after.book.changed_since(old)
        changed = cheap if cheap is not None else [
            t for tid, t in after.tickets.items() if old.get(tid) is not t]
        changed += [e.ticket for e in events if isinstance(e, ev.TicketExpired)]
        if not changed:
            return
        placeholders = ",".join("?" * len(_TICKET_COLUMNS))
        updates = ", ".join(f"{c} = excluded.{c}" for c in _TICKET_COLUMNS[1:])
        self._db.executemany(
            f"INSERT INTO tickets ({', '.join(_TICKET_COLUMNS)}) VALUES ({placeholders}) "
            f"ON CONFLICT (ticket_id) DO UPDATE SET {updates}",
            [_ticket_row(t) for t in changed])

    def _write_windows(self, before: HallState | None, after: HallState) -> None:
        old = before.windows if before is not None else {}
        changed = [w for n, w in after.windows.items() if old.get(n) is not w]
        self._db.executemany(
            "INSERT OR REPLACE INTO windows (number, status, staff_id, ticket_id, pause_reason, "
            "since, calls_since_priority) VALUES (?,?,?,?,?,?,?)",
            [(w.number, w.status.value, w.staff_id, w.ticket_id or None,
              w.pause_reason.value if w.pause_reason else None,
              w.since.isoformat() if w.since else None, w.calls_since_priority) for w in changed])

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")


def _ticket_row(t: Ticket) -> tuple[Any, ...]:
    return (
        t.ticket_id, t.service_day.isoformat(), str(t.number), t.business, t.kind.value,
        t.status.value, t.issued_at.isoformat(), t.queued_at.isoformat(), t.priority_reason,
        t.appointment_code, t.helper_name, t.target_window, t.window, t.staff_id,
        _iso(t.first_called_at), _iso(t.called_at), t.call_count, _iso(t.finished_at),
        t.transfer_note, t.transferred_from, json.dumps(list(t.items)),
    )


def _ticket_from_row(r: tuple[Any, ...]) -> Ticket:
    v = dict(zip(_TICKET_COLUMNS, r, strict=True))
    return Ticket(
        ticket_id=v["ticket_id"], number=TicketNumber(v["number"]), business=v["business"],
        kind=TicketKind(v["kind"]), service_day=date.fromisoformat(v["service_day"]),
        issued_at=datetime.fromisoformat(v["issued_at"]),
        queued_at=datetime.fromisoformat(v["queued_at"]), status=TicketStatus(v["status"]),
        priority_reason=v["priority_reason"], appointment_code=v["appointment_code"],
        helper_name=v["helper_name"], target_window=v["target_window"], window=v["window"],
        staff_id=v["staff_id"], first_called_at=_time(v["first_called_at"]),
        called_at=_time(v["called_at"]), call_count=v["call_count"],
        finished_at=_time(v["finished_at"]), transfer_note=v["transfer_note"],
        transferred_from=v["transferred_from"], items=tuple(json.loads(v["items"])),
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _plain(value: Any) -> Any:
    if isinstance(value, Ticket):
        return {"ticket_id": value.ticket_id, "number": str(value.number),
                "business": value.business, "status": value.status.value}
    if isinstance(value, TicketNumber):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value
