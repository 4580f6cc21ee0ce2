"""A device's side of the bus: presence with a last will, requests with answers, state feeds."""
from __future__ import annotations

import logging
import random
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import UTC, datetime
from typing import Any, TypeVar

from hall import __version__
from hall.bus import MqttBus, Will
from hall.config import MqttSettings
from hall.protocol import MessageDecodeError, Topics, decode, encode
from hall.protocol import messages as m
from hall.quiet_log import QuietLogger

logger = logging.getLogger(__name__)

IntentT = TypeVar("IntentT", bound=m.Intent)
MessageCallback = Callable[[str, m.Message], None]


class RequestTimeout(Exception):
    """No answer came within the time given: the controller or the broker is unreachable."""


class DeviceClient:
    """One device (kiosk, counter, wall, console, simulator) on the hall's bus."""

    def __init__(self, settings: MqttSettings, hall_id: str, device_id: str, role: m.Role, *,
                 on_message: MessageCallback | None = None,
                 subscriptions: tuple[str, ...] = (), boot_count: int = 0,
                 app_version: str = __version__, persistent_session: bool = False) -> None:
        self.topics = Topics(hall_id)
        self.device_id = device_id
        self.role = role
        self.boot_count = boot_count
        self.app_version = app_version
        self._on_message = on_message
        self._pending: dict[str, Future[m.Answer]] = {}
        self._lock = threading.Lock()
        self._quiet = QuietLogger(logger)
        self._status = m.DeviceStatus.ONLINE
        self._detail = ""
        self.bus = MqttBus(
            device_id, settings, on_message=self._receive,
            subscriptions=((self.topics.reply(device_id), 1), *((s, 1) for s in subscriptions)),
            on_connect=self._announce,
            will=Will(self.topics.presence(device_id),
                      encode(self._presence(m.DeviceStatus.OFFLINE, ""))),
            persistent_session=persistent_session,
        )

    def start(self) -> None:
        self.bus.start()

    def wait_connected(self, timeout_s: float) -> bool:
        return self.bus.wait_connected(timeout_s)

    @property
    def is_connected(self) -> bool:
        return self.bus.is_connected

    def stop(self) -> None:
        self.bus.stop(final=(self.topics.presence(self.device_id),
                             encode(self._presence(m.DeviceStatus.OFFLINE, "stopped"))))
        with self._lock:
            for future in self._pending.values():
                future.cancel()
            self._pending.clear()

    def set_status(self, status: m.DeviceStatus, detail: str = "") -> None:
        """Publish a new presence, e.g. ALERT with 'printer out of paper'."""
        self._status, self._detail = status, detail
        self._announce()

    def send(self, intent_type: type[IntentT], *, request_id: str = "", **fields: Any) -> IntentT:
        """Publish an intent; its answer, if any, can be awaited with `answer()`."""
        intent = intent_type(request_id=request_id or uuid.uuid4().hex,
                             reply_to=self.topics.reply(self.device_id), **fields)
        future: Future[m.Answer] = Future()
        with self._lock:
            self._pending[intent.request_id] = future
        self.bus.publish(self._intent_topic(intent), encode(intent), qos=1)
        return intent

    def _intent_topic(self, intent: m.Intent) -> str:
        if isinstance(intent, m.MANAGER_INTENTS):
            return self.topics.manager_intent(self.device_id)
        return self.topics.intent(self.device_id)

    def resend(self, intent: m.Intent) -> None:
        """Send an unanswered intent again with its request id: the controller answers it once."""
        with self._lock:
            self._pending.setdefault(intent.request_id, Future())
        self.bus.publish(self._intent_topic(intent), encode(intent), qos=1)

    def answer(self, intent: m.Intent, timeout_s: float) -> m.Answer:
        with self._lock:
            future = self._pending.get(intent.request_id)
        if future is None:
            raise KeyError(f"no request {intent.request_id} is pending")
        try:
            return future.result(timeout=timeout_s)
        except FutureTimeout:
            raise RequestTimeout(f"no answer to {intent.KIND} within {timeout_s} s") from None
        finally:
            with self._lock:
                self._pending.pop(intent.request_id, None)

    def request(self, intent_type: type[IntentT], *, timeout_s: float = 5.0, request_id: str = "",
                **fields: Any) -> m.Answer:
        """Send an intent and wait for its answer; a retry with the same request_id is safe."""
        return self.answer(self.send(intent_type, request_id=request_id, **fields), timeout_s)

    def request_retrying(self, intent_type: type[IntentT], *, timeout_s: float = 30.0,
                         **fields: Any) -> m.Answer:
        """Send an intent and resend it unanswered with the protocol's backoff (retry_waits):
        the controller carries it out once and answers every copy alike."""
        intent = self.send(intent_type, **fields)
        with self._lock:
            future = self._pending[intent.request_id]
        try:
            for wait in retry_waits(timeout_s):
                try:
                    return future.result(timeout=wait)
                except FutureTimeout:
                    self.resend(intent)
            raise RequestTimeout(f"no answer to {intent.KIND} within {timeout_s} s")
        finally:
            with self._lock:
                self._pending.pop(intent.request_id, None)

    def publish_raw(self, topic: str, payload: bytes) -> None:
        """Publish bytes as they are (tests of malformed input)."""
        self.bus.publish(topic, payload, qos=1)

    def _receive(self, topic: str, payload: bytes) -> None:
        try:
            message = decode(topic, payload)
        except MessageDecodeError as exc:
            self._quiet.warning(f"{topic}:{exc.kind}", "%s ignored a malformed message on %s: %s",
                                self.device_id, topic, exc.reason)
            return
        if isinstance(message, m.Answer):
            with self._lock:
                future = self._pending.get(message.request_id)
            if future is not None and not future.done():
                future.set_result(message)
                return
        if self._on_message is not None:
            self._on_message(topic, message)

    def _announce(self) -> None:
        self.bus.publish(self.topics.presence(self.device_id),
                         encode(self._presence(self._status, self._detail)), qos=1, retain=True)

    def _presence(self, status: m.DeviceStatus, detail: str) -> m.Presence:
        return m.Presence(device_id=self.device_id, role=self.role, status=status,
                          boot_count=self.boot_count, app_version=self.app_version,
                          detail=detail, at=datetime.now(UTC))


# How a device resends an unanswered request (docs/protocol.md, "Retries"): the same request_id
# after RETRY_FIRST_S, then each wait doubled up to RETRY_MAX_S, with +-20 % jitter so that a
# hall's kiosks do not resend in step after an outage.
RETRY_FIRST_S = 2.0
RETRY_MAX_S = 10.0


def retry_waits(total_s: float, rng: random.Random | None = None) -> list[float]:
    """The waits between sends of one request within `total_s` seconds."""
    rng = rng or random.Random()
    waits, wait, spent = [], RETRY_FIRST_S, 0.0
    while spent < total_s:
        jittered = min(wait * rng.uniform(0.8, 1.2), total_s - spent)
        waits.append(jittered)
        spent += jittered
        wait = min(wait * 2, RETRY_MAX_S)
    return waits
