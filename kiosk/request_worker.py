"""Sends the kiosk's intents off the GUI thread, one at a time, and hands each outcome back."""
from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hall.protocol import messages as m

logger = logging.getLogger(__name__)

Requester = Callable[[type["m.Intent"], dict[str, Any]], "m.Answer"]


class Unreachable(Exception):
    """No answer came: the controller or the broker cannot be reached (nothing was done)."""


class RequestWorker(threading.Thread):
    """Sends intents one at a time off the GUI thread; the answer (or the failure) is handed back."""

    def __init__(self, requester: Requester, done: Callable[[str, object], None]) -> None:
        super().__init__(name="kiosk-requests", daemon=True)
        self._requester = requester
        self._done = done
        self._jobs: queue.Queue[tuple[str, type[m.Intent], dict[str, Any]] | None] = queue.Queue()

    def submit(self, tag: str, intent_type: type[m.Intent], **fields: Any) -> None:
        self._jobs.put((tag, intent_type, fields))

    def stop(self) -> None:
        self._jobs.put(None)

    def run(self) -> None:
        while (job := self._jobs.get()) is not None:
            tag, intent_type, fields = job
            result: object
            try:
                result = self._requester(intent_type, fields)
            except Unreachable as exc:
                result = exc
            except Exception as exc:  # the citizen sees a polite failure, the log the cause
                logger.exception("%s failed", intent_type.KIND)
                result = exc
            self._done(tag, result)
