"""The one error type every failed decode raises."""
from __future__ import annotations

import json


class MessageDecodeError(Exception):
    """A topic or payload is not a valid message of this protocol; `reason` says why."""

    def __init__(self, reason: str, *, topic: str = "", kind: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.topic = topic
        self.kind = kind


# What the codec turns into MessageDecodeError (zeroconf's DECODE_EXCEPTIONS pattern).
DECODE_EXCEPTIONS: tuple[type[Exception], ...] = (
    json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, ValueError, AttributeError,
    # Deeply nested JSON from a hostile device exhausts the parser's recursion.
    RecursionError,
)
