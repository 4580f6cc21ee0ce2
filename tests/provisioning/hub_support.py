"""Helpers for tests against a real hub broker rendered by `hall provision` from the templates."""
from __future__ import annotations

import os
import socket
import ssl
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from broker_config.local_broker import LocalBroker, free_port
from hall.bus import MqttBus
from hall.config import MqttSettings
from provisioning.bundle import DeviceBundle
from provisioning.hub import Hub, HubSettings

ROOT = Path(__file__).resolve().parents[2]

NOW = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)
CONNECT_TIMEOUT_S = 10.0
WAIT_S = 5.0


def init_hub(root: Path, hall_id: str) -> Hub:
    """A hub whose LAN and pairing listeners (both brokers') are on loopback, on free ports."""
    return Hub.init(root, HubSettings(hall_id=hall_id, hostnames=("localhost",), addresses=("127.0.0.1",),
                                      lan_port=free_port(), local_port=free_port(),
                                      pairing_port=free_port(), lan_address="127.0.0.1",
                                      pairing_local_port=free_port()), NOW)


def start_hub_broker(hub: Hub) -> LocalBroker:
    """Mosquitto on the hub's generated config (LocalBroker only runs it: the config is the hub's)."""
    hub.write_broker_config()
    runner = LocalBroker(hub.broker_dir, port=hub.settings().local_port)
    runner.start()
    # Mosquitto listens before it installs its SIGHUP handler (until then SIGHUP kills it); it
    # answers a CONNECT only from its main loop, which runs after.
    assert connack_code("127.0.0.1", hub.settings().local_port, "probe", "controller",
                        hub.secret("controller")) == 0
    return runner


def start_pairing_broker(hub: Hub) -> LocalBroker:
    """The hub's pairing broker: a Mosquitto of its own on the pairing config `hall provision` wrote."""
    hub.write_pairing_config()
    runner = LocalBroker(hub.pairing_dir, port=hub.settings().pairing_local_port)
    runner.start()
    assert connack_code("127.0.0.1", hub.settings().pairing_local_port, "probe", "provisioner",
                        hub.secret("provisioner")) == 0
    return runner


class Client:
    """A raw MQTT client (through hall.bus) that records what it receives, in order."""

    def __init__(self, client_id: str, settings: MqttSettings, subscriptions: tuple[str, ...] = (),
                 *, persistent_session: bool = False) -> None:
        self.received: list[tuple[str, bytes]] = []
        self._cond = threading.Condition()
        self.connects = 0
        self.bus = MqttBus(client_id, settings, on_message=self._put,
                           subscriptions=tuple((s, 1) for s in subscriptions), on_connect=self._count,
                           persistent_session=persistent_session)

    def _count(self) -> None:
        self.connects += 1

    def _put(self, topic: str, payload: bytes) -> None:
        with self._cond:
            self.received.append((topic, payload))
            self._cond.notify_all()

    def start(self) -> Client:
        self.bus.start()
        return self

    def wait_for(self, predicate: Callable[[str, bytes], bool],
                 timeout_s: float = WAIT_S) -> list[tuple[str, bytes]]:
        """Wait for a message that matches; return everything received up to and including it."""
        with self._cond:
            def found() -> int | None:
                return next((i for i, (t, p) in enumerate(self.received) if predicate(t, p)), None)
            assert self._cond.wait_for(lambda: found() is not None, timeout=timeout_s), (
                f"nothing matched within {timeout_s} s; got {[t for t, _ in self.received]}")
            index = found()
            assert index is not None
            return list(self.received[: index + 1])

    def received_within(self, predicate: Callable[[str, bytes], bool], timeout_s: float) -> bool:
        """True as soon as a matching message is here; False when `timeout_s` passes without one."""
        with self._cond:
            return self._cond.wait_for(lambda: any(predicate(t, p) for t, p in self.received),
                                       timeout=timeout_s)

    def publish(self, topic: str, payload: bytes, *, retain: bool = False) -> None:
        assert self.bus.publish(topic, payload, qos=1, retain=retain, wait_s=WAIT_S), f"no PUBACK for {topic}"

    def stop(self) -> None:
        self.bus.stop()


def device_settings(hub: Hub, bundle: DeviceBundle) -> MqttSettings:
    return bundle.mqtt_settings(hub.bundles_dir / bundle.device_id, host="127.0.0.1")


def connack_code(host: str, port: int, client_id: str, username: str = "", password: str = "",
                 ca_file: str = "", server_name: str = "") -> int:
    """One MQTT 3.1.1 CONNECT; the CONNACK's return code (0 accepted, 5 refused, -1 hung up)."""
    def field(text: str) -> bytes:
        data = text.encode()
        return struct.pack("!H", len(data)) + data

    flags = 0x02 | (0x80 if username else 0) | (0x40 if password else 0)
    body = field("MQTT") + bytes([4, flags]) + struct.pack("!H", 30) + field(client_id)
    body += (field(username) if username else b"") + (field(password) if password else b"")
    packet = bytes([0x10, len(body)]) + body
    raw = socket.create_connection((host, port), timeout=WAIT_S)
    sock: socket.socket = raw
    if ca_file:
        context = ssl.create_default_context(cafile=ca_file)
        sock = context.wrap_socket(raw, server_hostname=server_name or host)
    with sock:
        try:
            sock.sendall(packet)
            reply = sock.recv(4)
        except ConnectionResetError:
            return -1
    if len(reply) < 4:
        return -1
    return reply[3]


@pytest.fixture
def hub(tmp_path: Path, hall_id: str) -> Hub:
    return init_hub(tmp_path / "hub", hall_id)


@pytest.fixture
def hub_broker(hub: Hub) -> Iterator[LocalBroker]:
    runner = start_hub_broker(hub)
    yield runner
    runner.stop()


@pytest.fixture
def pairing_broker(hub: Hub) -> Iterator[LocalBroker]:
    runner = start_pairing_broker(hub)
    yield runner
    runner.stop()


@pytest.fixture
def make_client() -> Iterator[Callable[..., Client]]:
    started: list[Client] = []

    def make(client_id: str, settings: MqttSettings, subscriptions: tuple[str, ...] = ()) -> Client:
        client = Client(client_id, settings, subscriptions).start()
        started.append(client)
        assert client.bus.wait_connected(CONNECT_TIMEOUT_S), f"{client_id} did not connect"
        # Order-based checks need the subscriptions in place before anyone publishes.
        assert client.bus.wait_subscribed(CONNECT_TIMEOUT_S), f"{client_id} was not subscribed"
        return client

    yield make
    for client in started:
        client.stop()


class ServiceUnderTest:
    """`python -m hall ARGS` started as systemd would: a notify socket and a watchdog period."""

    def __init__(self, tmp_path: Path, args: list[str], watchdog_usec: int = 2_000_000) -> None:
        self.notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.notify.bind(str(tmp_path / "notify"))
        self.notify.settimeout(30)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
               "NOTIFY_SOCKET": str(tmp_path / "notify"), "WATCHDOG_USEC": str(watchdog_usec)}
        self.process = subprocess.Popen([sys.executable, "-m", "hall", *args], cwd=ROOT, env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def told_systemd(self) -> bytes:
        return self.notify.recv(256)

    def stop(self) -> bytes:
        """SIGTERM, as systemd stops it; the stderr it wrote."""
        self.notify.close()
        self.process.terminate()
        _, err = self.process.communicate(timeout=30)
        return err
