"""Rate-limited warnings: the first of a kind is logged, repeats only counted."""
from __future__ import annotations

import hashlib
import logging

# Keys remembered at most: a device that invents a new key per message cannot grow memory.
MAX_KEYS = 1024
# Longer keys (a sender's string in a key) are kept as a hash.
MAX_KEY_CHARS = 120


class QuietLogger:
    """Logs a warning once per key, then every `every`-th repeat at INFO with the count.

    Keys are bounded in number and length; callers must log shapes, never a sender's values."""

    def __init__(self, logger: logging.Logger, every: int = 1000,
                 max_keys: int = MAX_KEYS) -> None:
        self._logger = logger
        self._every = every
        self._max_keys = max_keys
        self._counts: dict[str, int] = {}

    def warning(self, key: str, msg: str, *args: object) -> None:
        key = bounded_key(key)
        count = self._counts.pop(key, 0) + 1
        self._counts[key] = count  # re-inserted: the dict's order is least recently seen first
        while len(self._counts) > self._max_keys:
            del self._counts[next(iter(self._counts))]
        if count == 1:
            self._logger.warning(msg, *args)
        elif count % self._every == 0:
            self._logger.info("(%d times) " + msg, count, *args)

    def count(self, key: str) -> int:
        return self._counts.get(bounded_key(key), 0)

    def __len__(self) -> int:
        return len(self._counts)


def bounded_key(key: str) -> str:
    if len(key) <= MAX_KEY_CHARS:
        return key
    digest = hashlib.sha256(key.encode("utf-8", "backslashreplace")).hexdigest()[:16]
    return f"{key[:40]}…#{digest}"
