"""A per-client sliding-window limit for the public phone page."""
from __future__ import annotations

import threading
import time
from collections import deque

# Clients remembered at most; the oldest are forgotten first (a LAN has far fewer phones).
MAX_CLIENTS = 10_000


class RateLimiter:
    def __init__(self, per_minute: int) -> None:
        self._per_minute = per_minute
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str, now_s: float | None = None) -> bool:
        now_s = time.monotonic() if now_s is None else now_s
        with self._lock:
            hits = self._hits.pop(client, deque())
            while hits and now_s - hits[0] >= 60.0:
                hits.popleft()
            allowed = len(hits) < self._per_minute
            if allowed:
                hits.append(now_s)
            self._hits[client] = hits
            if len(self._hits) > MAX_CLIENTS:
                self._hits.pop(next(iter(self._hits)))
            return allowed
