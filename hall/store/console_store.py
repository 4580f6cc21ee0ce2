"""The manager console's own SQLite file: accounts, sessions, login failures, the audit log and
the alerts managers have (or have not yet) dealt with.

Not the controller's database: the console never writes that one.
"""
from __future__ import annotations

import enum
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

SCHEMA_VERSION = 2
# Alerts kept at most (acknowledged ones go first), and how long an acknowledged one is kept.
MAX_STORED_ALERTS = 1000
KEEP_ACKNOWLEDGED = timedelta(days=7)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    username        TEXT PRIMARY KEY,
    role            TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    disabled        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    password_set_at TEXT NOT NULL,
    -- A one-time password (a new account, a reset): changed by its user before anything else.
    must_change_password INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sessions (
    id_hash    TEXT PRIMARY KEY,
    username   TEXT NOT NULL REFERENCES users (username),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS login_failures (
    username     TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until TEXT
);
CREATE TABLE IF NOT EXISTS audit (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    username TEXT NOT NULL,
    role     TEXT NOT NULL,
    action   TEXT NOT NULL,
    detail   TEXT NOT NULL,
    remote   TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_is_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_is_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE IF NOT EXISTS alerts (
    alert_id        TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    at              TEXT NOT NULL,
    message_zh      TEXT NOT NULL,
    source          TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    acknowledged_by TEXT NOT NULL DEFAULT '',
    acknowledged_at TEXT
);
CREATE INDEX IF NOT EXISTS alerts_by_age ON alerts (acknowledged_by, received_at);
-- Schema 1 kept only the acknowledgements; schema 2 keeps each alert with its acknowledgement.
DROP TABLE IF EXISTS alert_acks
"""


@dataclass(frozen=True, slots=True)
class UserRecord:
    username: str
    role: str
    password_hash: str
    disabled: bool
    created_at: datetime
    password_set_at: datetime
    must_change_password: bool = False


class UserChange(enum.Enum):
    DONE = "done"
    NO_SUCH_USER = "no_such_user"
    # The change would leave the hall without an active manager.
    LAST_MANAGER = "last_manager"


@dataclass(frozen=True, slots=True)
class SessionRecord:
    username: str
    csrf_token: str
    created_at: datetime
    last_seen: datetime


@dataclass(frozen=True, slots=True)
class StoredAlert:
    alert_id: str
    kind: str
    at: datetime
    message_zh: str
    source: str = ""
    acknowledged_by: str = ""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: datetime
    username: str
    role: str
    action: str
    detail: str
    remote: str


class ConsoleStore:
    """One connection shared by the web server's threads, serialised by a lock."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=5000")
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            self._db.close()
            raise RuntimeError(f"{path} has console schema {version}; this software knows "
                               f"{SCHEMA_VERSION}")
        columns = {r[1] for r in self._db.execute("PRAGMA table_info(users)")}
        if columns and "must_change_password" not in columns:  # a schema 1 file
            self._db.execute("ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL "
                             "DEFAULT 0")
        self._db.executescript(_SCHEMA)
        self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- users -------------------------------------------------------------------------------

    def add_user(self, username: str, role: str, password_hash: str, now: datetime, *,
                 must_change_password: bool = False) -> bool:
        """False when the name is taken."""
        with self._lock:
            try:
                self._db.execute(
                    "INSERT INTO users (username, role, password_hash, created_at, password_set_at, "
                    "must_change_password) VALUES (?,?,?,?,?,?)",
                    (username, role, password_hash, now.isoformat(), now.isoformat(),
                     int(must_change_password)))
            except sqlite3.IntegrityError:
                return False
            return True

    def user(self, username: str) -> UserRecord | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {_USER_COLUMNS} FROM users WHERE username = ?", (username,)).fetchone()
        return _user(row) if row else None

    def users(self) -> list[UserRecord]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_USER_COLUMNS} FROM users ORDER BY username").fetchall()
        return [_user(r) for r in rows]

    def set_password(self, username: str, password_hash: str, now: datetime, *,
                     must_change_password: bool = False, keep_session: str = "") -> bool:
        """A new password ends the user's sessions (but `keep_session`, the one that changed it)."""
        with self._lock:
            cursor = self._db.execute(
                "UPDATE users SET password_hash = ?, password_set_at = ?, must_change_password = ? "
                "WHERE username = ?",
                (password_hash, now.isoformat(), int(must_change_password), username))
            self._db.execute("DELETE FROM sessions WHERE username = ? AND id_hash != ?",
                             (username, keep_session))
            self._db.execute("DELETE FROM login_failures WHERE username = ?", (username,))
            return cursor.rowcount == 1

    def set_disabled(self, username: str, disabled: bool, *,
                     keep_a_manager: bool = False) -> UserChange:
        """With `keep_a_manager`, disabling the last active manager is refused (checked in the
        change's own transaction, so two browsers at once cannot both pass the check)."""
        return self._change_user(username, "disabled = ?", int(disabled), ending_sessions=disabled,
                                 keep_a_manager=keep_a_manager)

    def set_role(self, username: str, role: str) -> UserChange:
        """Taking the manager role from the last active manager is refused."""
        return self._change_user(username, "role = ?", role, ending_sessions=False,
                                 keep_a_manager=True)

    def _change_user(self, username: str, assignment: str, value: object, *,
                     ending_sessions: bool, keep_a_manager: bool) -> UserChange:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                before = self._active_managers()
                cursor = self._db.execute(
                    f"UPDATE users SET {assignment} WHERE username = ?", (value, username))
                if cursor.rowcount != 1:
                    self._db.execute("ROLLBACK")
                    return UserChange.NO_SUCH_USER
                if keep_a_manager and before > 0 and self._active_managers() == 0:
                    self._db.execute("ROLLBACK")
                    return UserChange.LAST_MANAGER
                if ending_sessions:
                    self._db.execute("DELETE FROM sessions WHERE username = ?", (username,))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            return UserChange.DONE

    def _active_managers(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM users WHERE role = 'manager' "
                                    "AND disabled = 0").fetchone()[0])

    # -- sessions ----------------------------------------------------------------------------

    def add_session(self, id_hash: str, username: str, csrf_token: str, now: datetime) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO sessions (id_hash, username, csrf_token, created_at, last_seen) "
                "VALUES (?,?,?,?,?)", (id_hash, username, csrf_token, now.isoformat(),
                                       now.isoformat()))

    def session(self, id_hash: str) -> SessionRecord | None:
        with self._lock:
            row = self._db.execute(
                "SELECT username, csrf_token, created_at, last_seen FROM sessions "
                "WHERE id_hash = ?", (id_hash,)).fetchone()
        if row is None:
            return None
        return SessionRecord(row[0], row[1], datetime.fromisoformat(row[2]),
                             datetime.fromisoformat(row[3]))

    def touch_session(self, id_hash: str, now: datetime) -> None:
        with self._lock:
            self._db.execute("UPDATE sessions SET last_seen = ? WHERE id_hash = ?",
                             (now.isoformat(), id_hash))

    def end_session(self, id_hash: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM sessions WHERE id_hash = ?", (id_hash,))

    # -- login failures ----------------------------------------------------------------------

    def login_failures(self, username: str) -> tuple[int, datetime | None]:
        with self._lock:
            row = self._db.execute("SELECT failures, locked_until FROM login_failures "
                                   "WHERE username = ?", (username,)).fetchone()
        if row is None:
            return 0, None
        return int(row[0]), datetime.fromisoformat(row[1]) if row[1] else None

    def save_login_failures(self, username: str, failures: int,
                            locked_until: datetime | None) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO login_failures (username, failures, locked_until) "
                "VALUES (?,?,?)",
                (username, failures, locked_until.isoformat() if locked_until else None))

    def clear_login_failures(self, username: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM login_failures WHERE username = ?", (username,))

    # -- audit log and acknowledged alerts ---------------------------------------------------

    def append_audit(self, at: datetime, username: str, role: str, action: str, detail: str,
                     remote: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO audit (at, username, role, action, detail, remote) "
                "VALUES (?,?,?,?,?,?)", (at.isoformat(), username, role, action, detail, remote))

    def audit(self, limit: int = 200) -> list[AuditEntry]:
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, at, username, role, action, detail, remote FROM audit "
                "ORDER BY seq DESC LIMIT ?", (limit,)).fetchall()
        return [AuditEntry(r[0], datetime.fromisoformat(r[1]), r[2], r[3], r[4], r[5], r[6])
                for r in rows]

    def try_rewrite_audit(self, seq: int, detail: str) -> bool:
        """Only for proving the log is append-only: False when the database refused."""
        with self._lock:
            try:
                self._db.execute("UPDATE audit SET detail = ? WHERE seq = ?", (detail, seq))
            except sqlite3.DatabaseError:
                return False
            return True

    # -- alerts --------------------------------------------------------------------------------

    def record_alert(self, alert: StoredAlert, now: datetime) -> bool:
        """Keep an alert until acknowledged; False when it is known already (a redelivery, or
        the same alert raised again after a restart). Old and acknowledged ones make room."""
        with self._lock:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO alerts (alert_id, kind, at, message_zh, source, received_at) "
                "VALUES (?,?,?,?,?,?)", (alert.alert_id, alert.kind, alert.at.isoformat(),
                                         alert.message_zh, alert.source, now.isoformat()))
            if cursor.rowcount != 1:
                return False
            self._db.execute("DELETE FROM alerts WHERE acknowledged_by != '' "
                             "AND acknowledged_at < ?", ((now - KEEP_ACKNOWLEDGED).isoformat(),))
            self._db.execute(
                "DELETE FROM alerts WHERE alert_id IN (SELECT alert_id FROM alerts "
                "ORDER BY acknowledged_by = '' DESC, received_at DESC LIMIT -1 OFFSET ?)",
                (MAX_STORED_ALERTS,))
            return True

    def acknowledge_alert(self, alert_id: str, username: str, now: datetime) -> bool:
        """False when there is no such alert or it was acknowledged already."""
        with self._lock:
            cursor = self._db.execute(
                "UPDATE alerts SET acknowledged_by = ?, acknowledged_at = ? "
                "WHERE alert_id = ? AND acknowledged_by = ''", (username, now.isoformat(), alert_id))
            return cursor.rowcount == 1

    def alerts(self, limit: int) -> list[StoredAlert]:
        """The newest alerts, every unacknowledged one first in line for the `limit`."""
        with self._lock:
            rows = self._db.execute(
                "SELECT alert_id, kind, at, message_zh, source, acknowledged_by FROM alerts "
                "ORDER BY acknowledged_by = '' DESC, received_at DESC LIMIT ?", (limit,)).fetchall()
        found = [StoredAlert(r[0], r[1], datetime.fromisoformat(r[2]), r[3], r[4], r[5])
                 for r in rows]
        return sorted(found, key=lambda a: a.at, reverse=True)


_USER_COLUMNS = ("username, role, password_hash, disabled, created_at, password_set_at, "
                 "must_change_password")


def _user(row: tuple[object, ...]) -> UserRecord:
    return UserRecord(str(row[0]), str(row[1]), str(row[2]), bool(row[3]),
                      datetime.fromisoformat(str(row[4])), datetime.fromisoformat(str(row[5])),
                      bool(row[6]))
