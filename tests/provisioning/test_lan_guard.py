"""The LAN guard counts the LAN listener's sockets (logged in or not) and alerts managers near the limit."""
from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import pytest

from broker_config.local_broker import LocalBroker, free_port
from hall.protocol import Topics, decode
from hall.protocol import messages as m
from provisioning.acl import PROVISIONER_USER
from provisioning.hub import Hub, HubSettings
from provisioning.inventory import DeviceRole
from provisioning.lan_guard import ALERT_KIND, LanGuard, lan_connections
from tests.provisioning.hub_support import NOW, WAIT_S, Client, device_settings, start_hub_broker

LIMIT = 20

TCP = """  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:22B3 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1
   1: 0200A8C0:22B3 4D01A8C0:D431 01 00000000:00000000 00:00000000 00000000     0        0 2 1
   2: 0200A8C0:22B3 4D01A8C0:D432 01 00000000:00000000 00:00000000 00000000     0        0 3 1
   3: 0200A8C0:22B3 0501A8C0:D433 01 00000000:00000000 00:00000000 00000000     0        0 4 1
   4: 0200A8C0:D434 0501A8C0:22B3 01 00000000:00000000 00:00000000 00000000     0        0 5 1
   5: 0200A8C0:22B3 0601A8C0:D435 06 00000000:00000000 00:00000000 00000000     0        0 6 1
"""
TCP6 = """  sl  local_address                         remote_address                        st tx_queue
   0: 0000000000000000FFFF00000200A8C0:22B3 0000000000000000FFFF00004D01A8C0:D436 01 00000000:00000000
   1: 000080FE00000000FF020000010000FE:22B3 000080FE00000000FF020000020000FE:D437 01 00000000:00000000
"""


def test_established_connections_to_the_port_are_counted_per_remote_address() -> None:
    # 192.168.1.77 twice over IPv4 and once IPv4-mapped; a link-local IPv6 peer once; a listening
    # socket, an outgoing connection from the port's number and a TIME_WAIT are not counted.
    assert lan_connections([TCP, TCP6], 0x22B3) == {"192.168.1.77": 3, "192.168.1.5": 1,
                                                    "fe80::2ff:fe00:2": 1}


@pytest.fixture
def small_hub(tmp_path: Path, hall_id: str) -> Iterator[tuple[Hub, LocalBroker]]:
    hub = Hub.init(tmp_path / "hub", HubSettings(
        hall_id=hall_id, hostnames=("localhost",), addresses=("127.0.0.1",), lan_port=free_port(),
        local_port=free_port(), pairing_port=free_port(), lan_address="127.0.0.1",
        pairing_local_port=free_port(), lan_max_connections=LIMIT), NOW)
    broker = start_hub_broker(hub)
    yield hub, broker
    broker.stop()


def test_managers_are_alerted_when_idle_connections_near_the_lan_listeners_limit(
        small_hub: tuple[Hub, LocalBroker], make_client: Callable[..., Client]) -> None:
    hub, _ = small_hub
    settings = hub.settings()
    topics = Topics(settings.hall_id)
    console = hub.enroll(DeviceRole.CONSOLE, 0, NOW)
    manager = make_client(console.device_id, device_settings(hub, console), (topics.alert,))
    guard = LanGuard(hub.local_settings(PROVISIONER_USER), settings.hall_id, "guard-under-test",
                     settings.lan_port, settings.lan_max_connections, lambda: datetime.now(UTC))
    guard.bus.start()
    with ExitStack() as idle:
        assert guard.bus.wait_connected(WAIT_S)
        calm = guard.check()
        assert calm.connected == 1 and not calm.is_near_limit  # the console itself
        # Connections that never log in, as an attacker without an account opens them.
        for _ in range(int(LIMIT * 0.8)):
            idle.enter_context(socket.create_connection(("127.0.0.1", settings.lan_port), timeout=WAIT_S))
        loaded = guard.check()
        assert loaded.is_near_limit and loaded.top_sources[0] == ("127.0.0.1", loaded.connected)
        seen = manager.wait_for(lambda t, p: t == topics.alert)
        alert = decode(*seen[-1])
        assert isinstance(alert, m.HallAlert) and alert.alert == ALERT_KIND
        assert f"/{LIMIT}" in alert.message_zh and "127.0.0.1" in alert.message_zh
        print(f"LAN connections {loaded.connected}/{LIMIT}: alert {alert.message_zh}")
        # Checked again at once: not repeated.
        guard.check()
        assert not manager.received_within(lambda t, p: t == topics.alert and (t, p) != seen[-1], 1.0)
    guard.bus.stop()


def test_the_guard_checks_in_rounds_until_stopped_and_leaves_no_connection_behind(
        small_hub: tuple[Hub, LocalBroker]) -> None:
    hub, _ = small_hub
    settings = hub.settings()
    guard = LanGuard(hub.local_settings(PROVISIONER_USER), settings.hall_id, "guard-rounds",
                     settings.lan_port, settings.lan_max_connections, lambda: datetime.now(UTC))
    stop, rounds = threading.Event(), threading.Semaphore(0)
    runner = threading.Thread(target=guard.run, args=(stop,),
                              kwargs={"on_round": rounds.release, "check_every_s": 0.05})
    runner.start()
    try:
        for _ in range(3):
            assert rounds.acquire(timeout=WAIT_S), "the guard stopped going round"
    finally:
        stop.set()
        runner.join(WAIT_S)
    assert not runner.is_alive() and not guard.bus.is_connected
