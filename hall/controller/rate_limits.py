"""Per-device limits on intents: far above what a real kiosk or counter does, far below a script.

A citizen takes one ticket at a time (a kiosk prints one every few seconds at best); a clerk
presses a few buttons a minute. A stolen account that tries to take every number, guess
appointment codes or file hundreds of complaints hits these within seconds; managers are told.
Token buckets on the monotonic clock (rates are about real elapsed time, not the hall's clock).
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

# Buckets kept at most (devices x limits); the least recently used go first.
MAX_BUCKETS = 4096


@dataclass(frozen=True, slots=True)
class Limit:
    name: str
    name_zh: str
    burst: int
    per_minute: float


TICKETS = Limit("tickets", "取号", burst=30, per_minute=30)
COUNTER_WORK = Limit("counter_work", "窗口操作", burst=60, per_minute=240)
RATINGS = Limit("ratings", "评价", burst=10, per_minute=20)
COMPLAINTS = Limit("complaints", "投诉建议", burst=3, per_minute=6)
LOOKUPS = Limit("lookups", "查询", burst=10, per_minute=30)
MANAGER_WORK = Limit("manager_work", "管理操作", burst=60, per_minute=240)
# Everything a device sends, well-formed or not: a flood is cut before it costs any work.
ANY_MESSAGE = Limit("messages", "消息", burst=200, per_minute=1200)


class RateLimiter:
    """Token buckets per (device, limit); `scale` multiplies every limit (0 turns them off)."""

    def __init__(self, scale: float = 1.0) -> None:
        self._scale = scale
        self._buckets: OrderedDict[tuple[str, str], tuple[float, float]] = OrderedDict()

    def allow(self, device_id: str, limit: Limit, now_s: float) -> bool:
        if self._scale <= 0:
            return True
        burst = limit.burst * self._scale
        rate = limit.per_minute * self._scale / 60.0
        key = (device_id, limit.name)
        tokens, at = self._buckets.pop(key, (burst, now_s))
        tokens = min(burst, tokens + (now_s - at) * rate)
        allowed = tokens >= 1.0
        self._buckets[key] = (tokens - 1.0 if allowed else tokens, now_s)
        while len(self._buckets) > MAX_BUCKETS:
            self._buckets.popitem(last=False)
        return allowed

    def __len__(self) -> int:
        return len(self._buckets)
