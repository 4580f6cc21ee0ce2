"""Rate-limited warnings: the first of a kind is logged, repeats only counted."""
from __future__ import annotations

import logging


class QuietLogger:
    """Logs a warning once per key, then every `every`-th repeat at INFO with the count."""

    def __init__(self, logger: logging.Logger, every: int = 1000) -> None:
        self._logger = logger
        self._every = every
        self._counts: dict[str, int] = {}

    def warning(self, key: str, msg: str, *args: object) -> None:
        count = self._counts.get(key, 0) + 1
        self._counts[key] = count
        if count == 1:
            self._logger.warning(msg, *args)
        elif count % self._every == 0:
            self._logger.info("(%d times) " + msg, count, *args)

    def count(self, key: str) -> int:
        return self._counts.get(key, 0)


def truncate(payload: bytes, limit: int = 200) -> str:
    text = payload[:limit].decode("utf-8", errors="replace")
    return text + ("…" if len(payload) > limit else "")
