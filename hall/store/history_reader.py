"""The controller's database opened read-only, for the console's history and directories.

SQLite's WAL lets this reader run beside the controller's writes without blocking them; the
file is opened with mode=ro, so this connection cannot change a byte.
"""
from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from hall.core.notices import Notice


@dataclass(frozen=True, slots=True)
class RatingRow:
    rating_id: str
    window: int
    staff_id: str
    level: str
    channel: str
    rated_at: datetime


class HistoryReader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection | None:
        """Opened lazily: the controller may make the file after the console starts."""
        if self._db is None and self.path.exists():
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True,
                                       check_same_thread=False)
            self._db.execute("PRAGMA busy_timeout=2000")
        return self._db

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _rows(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            db = self._connection()
            if db is None:
                return []
            try:
                return list(db.execute(sql, args))
            except sqlite3.OperationalError:
                return []  # a database not migrated yet: nothing to show

    def ratings_of_day(self, day: date) -> list[RatingRow]:
        return [RatingRow(str(r[0]), int(str(r[1])), str(r[2]), str(r[3]), str(r[4]),
                          datetime.fromisoformat(str(r[5])))
                # A rating excluded on appeal (误评 / 恶意差评) leaves every statistic.
                for r in self._rows("SELECT rating_id, window, staff_id, level, channel, rated_at "
                                    "FROM ratings WHERE service_day = ? AND rating_id NOT IN "
                                    "(SELECT rating_id FROM rating_exclusions) ORDER BY rated_at",
                                    (day.isoformat(),))]

    def ticket_statuses_of_day(self, day: date) -> Counter[str]:
        return Counter({str(r[0]): int(str(r[1])) for r in self._rows(
            "SELECT status, count(*) FROM tickets WHERE service_day = ? GROUP BY status",
            (day.isoformat(),))})

    def priority_tickets_of_day(self, day: date) -> int:
        rows = self._rows("SELECT count(*) FROM tickets WHERE service_day = ? AND kind != 'normal'",
                          (day.isoformat(),))
        return int(str(rows[0][0])) if rows else 0

    def staff_with_pins(self) -> set[str]:
        return {str(r[0]) for r in self._rows("SELECT staff_id FROM staff_pins")}

    def sign_in_locks(self, now: datetime) -> dict[str, datetime]:
        """Sign-in keys (staff:<id>@<window> or window:<n>) locked at `now`, with their end."""
        locks = {}
        for key, until in self._rows("SELECT key, locked_until FROM sign_in_attempts "
                                     "WHERE locked_until IS NOT NULL"):
            moment = datetime.fromisoformat(str(until))
            if moment > now:
                locks[str(key)] = moment
        return locks

    def notices_in_force(self) -> list[Notice]:
        return [Notice(str(r[0]), str(r[1]), str(r[2]), bool(r[3]),
                       datetime.fromisoformat(str(r[4])), str(r[5]),
                       datetime.fromisoformat(str(r[6])) if r[6] else None,
                       datetime.fromisoformat(str(r[7])) if r[7] else None)
                for r in self._rows("SELECT notice_id, text_zh, text_en, urgent, pushed_at, "
                                    "pushed_by, starts_at, expires_at FROM notices "
                                    "WHERE retracted_at IS NULL ORDER BY pushed_at")]

    def complaints_open(self) -> int:
        rows = self._rows("SELECT count(*) FROM complaints WHERE status != 'closed'")
        return int(str(rows[0][0])) if rows else 0
