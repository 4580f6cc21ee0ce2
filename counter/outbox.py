"""The rating pad's outbox: a rating is on disk before the citizen sees "thank you", and leaves
only when the controller answered it. Resending keeps the request id, so the controller
records it once however often it arrives."""
from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from hall.device_client import DeviceClient, RequestTimeout
from hall.protocol import MessageDecodeError, decode, encode
from hall.protocol import messages as m

logger = logging.getLogger(__name__)

ANSWER_TIMEOUT_S = 5.0
RETRY_EVERY_S = 2.0


class RatingOutbox:
    """One fsynced file per rating not yet answered."""

    def __init__(self, directory: Path, intent_topic: str) -> None:
        self.directory = directory
        # Stored as sent: decoding against the pad's own intent topic checks it as the
        # controller will.
        self._topic = intent_topic
        directory.mkdir(parents=True, exist_ok=True)

    def add(self, intent: m.SubmitRating) -> None:
        final = self.directory / f"{intent.request_id}.json"
        temporary = final.with_suffix(".tmp")
        with temporary.open("wb") as f:
            f.write(encode(intent))
            f.flush()
            os.fsync(f.fileno())
        temporary.replace(final)
        _fsync_dir(self.directory)

    def pending(self) -> list[m.SubmitRating]:
        found = []
        for path in sorted(self.directory.glob("*.json"), key=lambda p: p.stat().st_mtime):
            try:
                message = decode(self._topic, path.read_bytes())
            except (OSError, MessageDecodeError) as exc:
                logger.error("unreadable rating in the outbox kept aside: %s (%s)", path, exc)
                path.replace(path.with_suffix(".bad"))
                continue
            if isinstance(message, m.SubmitRating):
                found.append(message)
        return found

    def remove(self, request_id: str) -> None:
        (self.directory / f"{request_id}.json").unlink(missing_ok=True)
        _fsync_dir(self.directory)


class OutboxSender(threading.Thread):
    """Delivers the outbox whenever the pad is connected, oldest first, until stopped."""

    def __init__(self, outbox: RatingOutbox, client: DeviceClient,
                 on_answer: Callable[[m.SubmitRating, m.Answer], None]) -> None:
        super().__init__(name=f"outbox-{client.device_id}", daemon=True)
        self.outbox, self.client, self.on_answer = outbox, client, on_answer
        self._wake = threading.Event()
        self._stopping = threading.Event()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        self.join(timeout=ANSWER_TIMEOUT_S + 2)

    def run(self) -> None:
        while not self._stopping.is_set():
            if self.client.is_connected:
                self._deliver_all()
            self._wake.wait(RETRY_EVERY_S)
            self._wake.clear()

    def _deliver_all(self) -> None:
        for intent in self.outbox.pending():
            if self._stopping.is_set() or not self.client.is_connected:
                return
            self.client.resend(intent)
            try:
                answer = self.client.answer(intent, ANSWER_TIMEOUT_S)
            except RequestTimeout:
                logger.info("rating %s not answered yet; kept in the outbox", intent.request_id)
                return
            # Refused ratings leave too: sending them again would be refused again.
            self.outbox.remove(intent.request_id)
            self.on_answer(intent, answer)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
