"""Helpers for tests: a settable clock and an inbox that waits on conditions, never sleeps."""
from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hall.protocol import messages as m

SHANGHAI = ZoneInfo("Asia/Shanghai")
CONNECT_TIMEOUT_S = 10.0
ANSWER_TIMEOUT_S = 5.0
# Every clerk of the sample hall gets this PIN in tests (make_controller); halls set their own.
STAFF_PIN = "480271"


class FakeClock:
    """The hall's clock in tests: starts on a Tuesday at 09:30 in Shanghai, moves when told."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 24, 9, 30, tzinfo=SHANGHAI)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, **delta: float) -> datetime:
        with self._lock:
            self._now += timedelta(**delta)
            return self._now

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment


class Inbox:
    """Collects (topic, message) pairs a device received and waits for one that matches."""

    def __init__(self) -> None:
        self._items: list[tuple[str, m.Message]] = []
        self._cond = threading.Condition()

    def put(self, topic: str, message: m.Message) -> None:
        with self._cond:
            self._items.append((topic, message))
            self._cond.notify_all()

    def wait_for(self, predicate: Callable[[str, m.Message], bool],
                 timeout_s: float = ANSWER_TIMEOUT_S) -> tuple[str, m.Message]:
        with self._cond:
            found: list[tuple[str, m.Message]] = []

            def match() -> bool:
                found[:] = [(t, msg) for t, msg in self._items if predicate(t, msg)]
                return bool(found)

            if not self._cond.wait_for(match, timeout=timeout_s):
                kinds = [msg.KIND for _, msg in self._items[-10:]]
                raise AssertionError(f"nothing matched within {timeout_s} s; last seen {kinds}")
            return found[-1]

    def latest(self, topic: str, timeout_s: float = ANSWER_TIMEOUT_S) -> m.Message:
        return self.wait_for(lambda t, _: t == topic, timeout_s)[1]

    def all(self, kind: type[m.Message]) -> list[m.Message]:
        with self._cond:
            return [msg for _, msg in self._items if isinstance(msg, kind)]

    def clear(self) -> None:
        with self._cond:
            self._items.clear()
