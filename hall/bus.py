"""The MQTT adapter: the only module that imports paho. Callbacks only hand data off."""
from __future__ import annotations

import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode
from paho.mqtt.reasoncodes import ReasonCode

from hall.config import MqttSettings

if TYPE_CHECKING:
    from hall.discovery import HubBrowser

logger = logging.getLogger(__name__)

RECONNECT_MIN_S = 1
# Recovery after an outage must take seconds, not the 16 s a longer backoff allowed: a hall's
# few dozen boards retrying every 2 s cost a local broker nothing.
RECONNECT_MAX_S = 2
# A publish the broker has not acknowledged for this long, while connected, means the path is
# stuck (Mosquitto 2.0 drops every packet to a client with a full queue, acks included).
PUBLISH_STUCK_AFTER_S = 3.0
KEEPALIVE_S = 30
# Failed tries at one address before a device following its hub tries the other one it knows.
FOLLOW_AFTER_FAILURES = 3
# Mosquitto's max_packet_size in broker_config is 128 KiB. A larger packet makes the broker drop
# the connection, and paho would resend it after every reconnect: refuse it here instead.
MAX_PUBLISH_BYTES = 120 * 1024

MessageHandler = Callable[[str, bytes], None]


@dataclass(frozen=True, slots=True)
class Delivery:
    """A message as the broker delivered it; `ack()` once it is safely handled (until then the
    broker keeps it). `retained`: the broker replayed a retained message, not a fresh publish."""

    topic: str
    payload: bytes
    retained: bool
    ack: Callable[[], None]
    qos: int = 1


DeliveryHandler = Callable[[Delivery], None]


@dataclass(frozen=True, slots=True)
class Will:
    topic: str
    payload: bytes
    qos: int = 1
    retain: bool = True


class MqttBus:
    """One MQTT connection: connects in the background, reconnects with capped backoff,
    resubscribes and calls `on_connect` after every (re)connection."""

    def __init__(self, client_id: str, settings: MqttSettings, *,
                 on_message: MessageHandler | None = None,
                 on_delivery: DeliveryHandler | None = None,
                 subscriptions: tuple[tuple[str, int], ...] = (),
                 on_connect: Callable[[], None] | None = None,
                 will: Will | None = None,
                 persistent_session: bool = False) -> None:
        self.client_id = client_id
        self._settings = settings
        if (on_message is None) == (on_delivery is None):
            raise ValueError("give exactly one of on_message and on_delivery")
        self._on_message = on_message
        self._on_delivery = on_delivery
        self._subscriptions = subscriptions
        self._on_connect_cb = on_connect
        self._connected = threading.Event()
        self._disconnected = threading.Event()
        self._subscribed = threading.Event()
        self._subscribe_mid: int | None = None
        self._stopping = False
        self._client = paho.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id,
            protocol=paho.MQTTv311, clean_session=not persistent_session,
            manual_ack=on_delivery is not None,
        )
        if settings.username:
            self._client.username_pw_set(settings.username, settings.password or None)
        if settings.ca_file:
            self._client.tls_set_context(pinned_tls_context(settings.ca_file, settings.tls_server_name))
        if will is not None:
            self._client.will_set(will.topic, will.payload, qos=will.qos, retain=will.retain)
        self._client.reconnect_delay_set(RECONNECT_MIN_S, RECONNECT_MAX_S)
        self._client.max_queued_messages_set(10_000)
        self._client.on_socket_open = _no_delay
        self._client.on_connect = self._handle_connect
        self._client.on_disconnect = self._handle_disconnect
        self._client.on_connect_fail = self._handle_connect_fail
        self._hub_browser: HubBrowser | None = None
        self._advertised: tuple[str, int] | None = None
        self._lifecycle = threading.Lock()
        self._movers: list[threading.Thread] = []
        self._network_threads: list[threading.Thread] = []
        self._last_good: tuple[str, int] | None = None
        self._failures = 0
        self._client.on_message = self._handle_message
        self._client.on_subscribe = self._handle_subscribe
        self._path_lock = threading.Lock()
        self._connected_at = 0.0
        self._refused_since: float | None = None
        self.recoveries = 0

    @property
    def is_connected(self) -> bool:
        return self._connected.is_set()

    def start(self) -> None:
        with self._lifecycle:  # a hub advert may move the bus while it starts
            self._client.connect_async(self._settings.host, self._settings.port, KEEPALIVE_S)
            self._loop_start()
        if self._settings.follow_ca_fingerprint:
            from hall.discovery import HubBrowser

            self._hub_browser = HubBrowser(
                lambda hub: self._hub_advertised(hub.host, hub.port),
                hall_id=self._settings.follow_hall_id,
                ca_fingerprint=self._settings.follow_ca_fingerprint)
            try:
                self._hub_browser.start()
            except OSError as exc:  # no multicast-capable interface yet: stay at the bundle's address
                logger.warning("%s cannot browse for the hub: %s", self.client_id, exc)
                self._hub_browser = None

    def move_to(self, host: str, port: int) -> None:
        """Reconnect to the broker at a new address (the hub moved); queued publishes are kept."""
        with self._lifecycle:
            if self._stopping or (host, port) == (self._settings.host, self._settings.port):
                return
            logger.info("%s follows the broker to %s:%s", self.client_id, host, port)
            self._settings = replace(self._settings, host=host, port=port)
            self._failures = 0
            self._client.loop_stop()
            self._connected.clear()
            self._client.connect_async(host, port, KEEPALIVE_S)
            self._loop_start()

    @property
    def advertised_hub(self) -> tuple[str, int] | None:
        """Where discovery last saw this hall's hub advertised (not necessarily where we are)."""
        return self._advertised

    def _hub_advertised(self, host: str, port: int) -> None:
        # The fingerprint in an advert is public: anyone can repeat it. So a working connection
        # is never left for an advert; the advert is tried only when the current address fails,
        # and the last address that worked is tried again if the advertised one does not.
        self._advertised = (host, port)
        if self.is_connected:
            logger.info("%s sees its hub advertised at %s:%s; staying where it is connected",
                        self.client_id, host, port)
            return
        self._move_soon((host, port))

    def _move_soon(self, address: tuple[str, int]) -> None:
        """move_to() from a thread of its own: paho's callbacks cannot stop paho's loop."""
        if not self._stopping and address != (self._settings.host, self._settings.port):
            mover = threading.Thread(target=self.move_to, args=address,
                                     name=f"follow-{self.client_id}", daemon=True)
            self._movers.append(mover)
            mover.start()

    def _loop_start(self) -> None:
        self._client.loop_start()
        thread = getattr(self._client, "_thread", None)
        if isinstance(thread, threading.Thread):
            self._network_threads.append(thread)

    def wait_connected(self, timeout_s: float) -> bool:
        return self._connected.wait(timeout_s)

    def wait_disconnected(self, timeout_s: float) -> bool:
        """Wait until the broker dropped or refused this connection (e.g. a revoked device)."""
        return self._disconnected.wait(timeout_s)

    def wait_subscribed(self, timeout_s: float) -> bool:
        """Wait until the broker has acknowledged the subscriptions made at the last connect."""
        return self._subscribed.wait(timeout_s)

    def stop(self, final: tuple[str, bytes] | None = None) -> None:
        """Publish `final` (e.g. an orderly 'offline' presence) if connected, then disconnect."""
        with self._lifecycle:  # a move in progress finishes first; later ones see _stopping
            self._stopping = True
        if self._hub_browser is not None:
            self._hub_browser.stop()
            self._hub_browser = None
        for mover in self._movers:
            mover.join(timeout=5)
        if final is not None and self.is_connected:
            self.publish(final[0], final[1], qos=1, retain=True, wait_s=2.0)
        self._client.disconnect()
        self._client.loop_stop()
        # paho forgets its thread as the thread ends (and a move replaces it), so loop_stop()
        # may return before every network thread this bus started has ended: wait for them.
        for thread in self._network_threads:
            if thread is not threading.current_thread():
                thread.join(timeout=5)
        self._connected.clear()

    def publish(self, topic: str, payload: bytes, *, qos: int = 1, retain: bool = False,
                wait_s: float | None = None) -> bool:
        """Queue a publish (paho keeps it across a reconnect); with `wait_s`, wait for the ack."""
        if len(payload) > MAX_PUBLISH_BYTES:
            logger.error("not publishing %d bytes to %s: the broker takes at most %d",
                         len(payload), topic, MAX_PUBLISH_BYTES)
            return False
        info = self._client.publish(topic, payload, qos=qos, retain=retain)
        with self._path_lock:
            if info.rc in (MQTTErrorCode.MQTT_ERR_SUCCESS, MQTTErrorCode.MQTT_ERR_NO_CONN):
                self._refused_since = None
            elif self._refused_since is None:
                self._refused_since = time.monotonic()
        if info.rc not in (MQTTErrorCode.MQTT_ERR_SUCCESS, MQTTErrorCode.MQTT_ERR_NO_CONN):
            logger.warning("publish to %s refused locally: %s", topic, paho.error_string(info.rc))
            return False
        if wait_s is None:
            return True
        try:
            info.wait_for_publish(wait_s)
        except (RuntimeError, ValueError):
            return False
        return info.is_published()

    def publish_stuck_for(self) -> float:
        """Seconds the publish path has been stuck: the age of the oldest publish the broker
        has not acknowledged although connected (or since paho's queue refuses publishes)."""
        now = time.monotonic()
        with self._path_lock:
            refused = now - self._refused_since if self._refused_since is not None else 0.0
            connected_at = self._connected_at
        if not self.is_connected:
            return refused
        # paho keeps unacknowledged QoS>0 publishes oldest first, each stamped when (re)sent.
        with self._client._out_message_mutex:
            oldest = next(iter(self._client._out_messages.values()), None)
            sent_at = oldest.timestamp if oldest is not None else None
        waiting = now - max(sent_at, connected_at) if sent_at is not None else 0.0
        return max(waiting, refused)

    def check_publish_path(self) -> bool:
        """Reconnect when the publish path is stuck; True while it is healthy."""
        stuck = self.publish_stuck_for()
        if stuck < PUBLISH_STUCK_AFTER_S:
            return True
        if self.is_connected and time.monotonic() - self._connected_at >= PUBLISH_STUCK_AFTER_S:
            self.recoveries += 1
            logger.error("%s: the broker has acknowledged nothing for %.0f s; reconnecting",
                         self.client_id, stuck)
            self._drop_connection()
        return False

    def _drop_connection(self) -> None:
        """Close the socket under paho: its loop sees a lost connection and reconnects, then
        resends what is unacknowledged (a persistent session keeps the subscriptions)."""
        sock = self._client.socket()
        if isinstance(sock, socket.socket):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError as exc:
                logger.warning("%s could not drop its connection: %s", self.client_id, exc)

    def subscribe(self, topic_filter: str, qos: int = 1) -> None:
        self._subscriptions = (*self._subscriptions, (topic_filter, qos))
        if self.is_connected:
            self._client.subscribe(topic_filter, qos)

    def _ack(self, mid: int, qos: int) -> None:
        if qos > 0:
            self._client.ack(mid, qos)

    def _handle_connect(self, client: paho.Client, userdata: object, flags: object,
                        reason: ReasonCode, properties: object) -> None:
        if reason.is_failure:
            logger.warning("MQTT broker %s:%s refused %s: %s", self._settings.host,
                           self._settings.port, self.client_id, reason)
            return
        self._subscribed.clear()
        if self._subscriptions:
            self._subscribe_mid = client.subscribe(list(self._subscriptions))[1]
        else:
            self._subscribed.set()
        self._disconnected.clear()
        with self._path_lock:
            self._connected_at = time.monotonic()
            self._refused_since = None
        self._connected.set()
        self._failures = 0
        self._last_good = (self._settings.host, self._settings.port)
        logger.info("%s connected to %s:%s", self.client_id, self._settings.host,
                    self._settings.port)
        if self._on_connect_cb is not None:
            try:
                self._on_connect_cb()
            except Exception:
                logger.exception("on_connect handler of %s failed", self.client_id)

    def _handle_subscribe(self, client: paho.Client, userdata: object, mid: int,
                          reasons: list[ReasonCode], properties: object) -> None:
        if mid == self._subscribe_mid:
            self._subscribed.set()

    def _handle_connect_fail(self, client: paho.Client, userdata: object) -> None:
        self._failures += 1
        if self._failures == FOLLOW_AFTER_FAILURES:
            here = (self._settings.host, self._settings.port)
            if self._advertised is not None and self._advertised != here:
                self._move_soon(self._advertised)
            elif self._last_good is not None and self._last_good != here:
                self._move_soon(self._last_good)
        # Said once per outage (and every 20th try), not at every retry.
        if self._failures == 1 or self._failures % 20 == 0:
            logger.warning("%s cannot reach the MQTT broker at %s:%s (try %d); retrying",
                           self.client_id, self._settings.host, self._settings.port,
                           self._failures)

    def _handle_disconnect(self, client: paho.Client, userdata: object, flags: object,
                           reason: ReasonCode, properties: object) -> None:
        was = self._connected.is_set()
        self._connected.clear()
        self._disconnected.set()
        if was and not self._stopping:
            logger.warning("%s lost the broker (%s); reconnecting", self.client_id, reason)

    def _handle_message(self, client: paho.Client, userdata: object,
                        message: paho.MQTTMessage) -> None:
        try:
            if self._on_delivery is not None:
                mid, qos = message.mid, message.qos
                self._on_delivery(Delivery(message.topic, bytes(message.payload),
                                           bool(message.retain), lambda: self._ack(mid, qos),
                                           qos))
            elif self._on_message is not None:
                self._on_message(message.topic, bytes(message.payload))
        except Exception:
            logger.exception("handler of %s failed on %s", self.client_id, message.topic)


class _NamedServerContext(ssl.SSLContext):
    """Checks the broker's certificate against a fixed name, whatever address was dialled."""

    server_name = ""

    def wrap_socket(self, sock: socket.socket, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        kwargs["server_hostname"] = self.server_name
        return super().wrap_socket(sock, *args, **kwargs)


def pinned_tls_context(ca_file: str, server_name: str = "") -> ssl.SSLContext:
    """A client TLS context that trusts only `ca_file` (no system CAs) and checks the host name."""
    context = _NamedServerContext(ssl.PROTOCOL_TLS_CLIENT) if server_name else ssl.SSLContext(
        ssl.PROTOCOL_TLS_CLIENT)
    if isinstance(context, _NamedServerContext):
        context.server_name = server_name
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_verify_locations(cafile=ca_file)
    return context


def _no_delay(client: paho.Client, userdata: object, sock: object) -> None:
    """Small messages go out at once: Nagle plus delayed ACKs would add ~40 ms to each hop."""
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # type: ignore[attr-defined]
    except (OSError, AttributeError):
        logger.debug("TCP_NODELAY not available on this socket")
