"""The terminal's requests: one at a time, never queued while offline, and an unanswered one
sent again with the same request id once the broker is back (the controller answers a
repeated request id from its record, so a call is never made twice)."""
from __future__ import annotations

import logging
import queue
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from hall.device_client import DeviceClient, RequestTimeout
from hall.protocol import messages as m

logger = logging.getLogger(__name__)

ANSWER_TIMEOUT_S = 5.0
RECONNECT_POLL_S = 0.5


class RequestSession(QObject):
    # (intent, answer); answer is None while the controller has not confirmed the intent.
    answered = Signal(object, object)
    busy_changed = Signal(bool)
    # From the worker thread; handled on the GUI thread, so `busy` and the answer change together.
    _completed = Signal(object, object, bool)

    def __init__(self, client: DeviceClient, timeout_s: float = ANSWER_TIMEOUT_S) -> None:
        super().__init__()
        self.client = client
        self.timeout_s = timeout_s
        self._jobs: queue.Queue[m.Intent | None] = queue.Queue()
        self._busy = False
        self._stopping = threading.Event()
        self._completed.connect(self._on_completed)
        self._worker = threading.Thread(target=self._run, name=f"session-{client.device_id}",
                                        daemon=True)

    @property
    def busy(self) -> bool:
        return self._busy

    def start(self) -> None:
        self._worker.start()

    def stop(self) -> None:
        self._stopping.set()
        self._jobs.put(None)
        if self._worker.is_alive():
            self._worker.join(timeout=self.timeout_s + 2)

    def ask(self, intent_type: type[m.Intent], **fields: Any) -> bool:
        """Start a request; False (and nothing sent) while offline or another is unanswered."""
        if self._busy or not self.client.is_connected:
            return False
        self._set_busy(True)
        intent = self.client.send(intent_type, **fields)
        self._jobs.put(intent)
        return True

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_changed.emit(busy)

    @Slot(object, object, bool)
    def _on_completed(self, intent: m.Intent, answer: m.Answer | None, done: bool) -> None:
        if done:
            self._set_busy(False)
        if answer is not None or not done:
            self.answered.emit(intent, answer)

    def _run(self) -> None:
        while (intent := self._jobs.get()) is not None:
            self._completed.emit(intent, self._await(intent), True)

    def _await(self, intent: m.Intent) -> m.Answer | None:
        first = True
        while not self._stopping.is_set():
            try:
                if not first:
                    self.client.resend(intent)
                return self.client.answer(intent, self.timeout_s)
            except RequestTimeout:
                logger.warning("%s of %s unanswered; will send it again", intent.KIND,
                               self.client.device_id)
                self._completed.emit(intent, None, False)
            first = False
            while not self._stopping.is_set() and not self.client.is_connected:
                self._stopping.wait(RECONNECT_POLL_S)
        return None
