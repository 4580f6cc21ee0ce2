"""The hub's firewall against a LAN attacker without an account: three boards in network namespaces.

The hub, an attacker and an enrolled device each have a namespace; veth links join the hub to each.
Needs root, iproute2 and nftables (`nft`); skipped where the kernel or the sandbox refuses them.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from broker_config.local_broker import find_mosquitto, free_port
from provisioning.firewall import LanLimits
from provisioning.hub import Hub, HubSettings
from provisioning.inventory import DeviceRole
from tests.provisioning.hub_support import NOW

ROOT = Path(__file__).resolve().parents[2]
HUB_FOR_ATTACKER, ATTACKER = "10.203.1.1", "10.203.1.2"
# More addresses the attacker claims on its link, for the total cap.
ATTACKER_ALIASES = tuple(f"10.203.1.{n}" for n in range(3, 13))
HUB_FOR_DEVICE, DEVICE = "10.203.2.1", "10.203.2.2"
# Small, so that the attack without the firewall fills it quickly.
LAN_MAX_CONNECTIONS = 40
ATTACK_CONNECTIONS = 60
FLOOD_KIB = 512


@dataclass(frozen=True)
class Hall:
    hub_ns: str
    attacker_ns: str
    device_ns: str


def _run(*args: str) -> None:
    subprocess.run(list(args), check=True, capture_output=True, timeout=20)


def _in_ns(ns: str, *args: str) -> list[str]:
    return ["ip", "netns", "exec", ns, *args]


@pytest.fixture
def hall() -> Iterator[Hall]:
    if os.geteuid() != 0 or shutil.which("ip") is None or shutil.which("nft") is None:
        pytest.skip("the firewall test needs root, iproute2 and nftables (scripts/setup --dev)")
    tag = uuid.uuid4().hex[:6]
    names = Hall(f"hall-hub-{tag}", f"hall-att-{tag}", f"hall-dev-{tag}")
    created: list[str] = []
    try:
        for ns in (names.hub_ns, names.attacker_ns, names.device_ns):
            try:
                _run("ip", "netns", "add", ns)
            except subprocess.CalledProcessError as exc:
                pytest.skip(f"cannot create network namespaces here: {exc.stderr.decode().strip()}")
            created.append(ns)
            _run("ip", "-n", ns, "link", "set", "lo", "up")
        for peer_ns, hub_address, peer_address, link in (
                (names.attacker_ns, HUB_FOR_ATTACKER, ATTACKER, f"va{tag}"),
                (names.device_ns, HUB_FOR_DEVICE, DEVICE, f"vd{tag}")):
            _run("ip", "link", "add", f"{link}h", "type", "veth", "peer", "name", f"{link}p")
            _run("ip", "link", "set", f"{link}h", "netns", names.hub_ns)
            _run("ip", "link", "set", f"{link}p", "netns", peer_ns)
            _run("ip", "-n", names.hub_ns, "addr", "add", f"{hub_address}/24", "dev", f"{link}h")
            _run("ip", "-n", peer_ns, "addr", "add", f"{peer_address}/24", "dev", f"{link}p")
            _run("ip", "-n", names.hub_ns, "link", "set", f"{link}h", "up")
            _run("ip", "-n", peer_ns, "link", "set", f"{link}p", "up")
            if peer_ns == names.attacker_ns:
                for alias in ATTACKER_ALIASES:
                    _run("ip", "-n", peer_ns, "addr", "add", f"{alias}/24", "dev", f"{link}p")
        try:
            _run(*_in_ns(names.hub_ns, "nft", "list", "ruleset"))
        except subprocess.CalledProcessError as exc:
            pytest.skip(f"nftables does not work here: {exc.stderr.decode().strip()}")
        yield names
    finally:
        for ns in created:
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, check=False)


def _peer(ns: str, *args: str) -> dict[str, int | float]:
    result = subprocess.run(_in_ns(ns, sys.executable, "-m", "tests.provisioning.lan_peer", *args),
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


class Attacker:
    """Idle connections held open from the attacker's board until closed."""

    def __init__(self, hall: Hall, port: int, host: str = HUB_FOR_ATTACKER,
                 sources: tuple[str, ...] = ()) -> None:
        self.process = subprocess.Popen(
            _in_ns(hall.attacker_ns, sys.executable, "-m", "tests.provisioning.lan_peer", "hold",
                   host, str(port), str(ATTACK_CONNECTIONS), *([",".join(sources)] if sources else [])),
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.result = dict(json.loads(self.process.stdout.readline()))

    def close(self) -> None:
        self.process.communicate(input="", timeout=30)


def _device_connack(hall: Hall, bundle_dir: Path, port: int) -> int:
    return int(_peer(hall.device_ns, "connack", str(bundle_dir), HUB_FOR_DEVICE, str(port))["connack"])


def _wait_until_device_connects(hall: Hall, bundle_dir: Path, port: int) -> None:
    deadline = time.monotonic() + 30
    while _device_connack(hall, bundle_dir, port) != 0:
        assert time.monotonic() < deadline, "the device could not log in even without an attack"
        time.sleep(0.2)


@pytest.fixture
def hub_in_ns(hall: Hall, tmp_path: Path, hall_id: str) -> Iterator[tuple[Hub, Path]]:
    hub = Hub.init(tmp_path / "hub", HubSettings(
        hall_id=hall_id, hostnames=("hall-hub",), addresses=(HUB_FOR_DEVICE,), lan_port=free_port(),
        local_port=free_port(), pairing_port=free_port(), lan_max_connections=LAN_MAX_CONNECTIONS), NOW)
    kiosk = hub.enroll(DeviceRole.KIOSK, 0, NOW)
    broker = subprocess.Popen(_in_ns(hall.hub_ns, find_mosquitto(), "-c", str(hub.broker_config)),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        bundle_dir = hub.bundles_dir / kiosk.device_id
        _wait_until_device_connects(hall, bundle_dir, hub.settings().lan_port)
        yield hub, bundle_dir
    finally:
        broker.terminate()
        broker.wait(timeout=10)


def test_idle_connections_from_one_address_no_longer_lock_an_enrolled_board_out(
        hall: Hall, hub_in_ns: tuple[Hub, Path]) -> None:
    hub, bundle_dir = hub_in_ns
    port = hub.settings().lan_port

    # Without the firewall: the attack of the report works (the listener is full).
    attacker = Attacker(hall, port)
    try:
        without = attacker.result
        assert without["held"] >= LAN_MAX_CONNECTIONS - 1
        assert _device_connack(hall, bundle_dir, port) != 0, "the attack did not lock the board out"
    finally:
        attacker.close()
    _wait_until_device_connects(hall, bundle_dir, port)

    _run(*_in_ns(hall.hub_ns, "nft", "-f", str(hub.firewall_ruleset)))
    attacker = Attacker(hall, port)
    try:
        with_firewall = attacker.result
        assert with_firewall["held"] <= LanLimits().per_source_connections
        assert with_firewall["refused"] >= ATTACK_CONNECTIONS - LanLimits().per_source_connections
        assert _device_connack(hall, bundle_dir, port) == 0
    finally:
        attacker.close()
    print(f"{ATTACK_CONNECTIONS} idle connections from one address, max_connections {LAN_MAX_CONNECTIONS}: "
          f"without the firewall {without}, device refused; with it {with_firewall}, device logged in")


def test_a_devices_qos0_flood_reaches_the_broker_no_faster_than_its_upload_limit(
        hall: Hall, hub_in_ns: tuple[Hub, Path]) -> None:
    hub, bundle_dir = hub_in_ns
    port = hub.settings().lan_port
    without = _peer(hall.device_ns, "flood", str(bundle_dir), HUB_FOR_DEVICE, str(port), str(FLOOD_KIB))
    _run(*_in_ns(hall.hub_ns, "nft", "-f", str(hub.firewall_ruleset)))
    limited = _peer(hall.device_ns, "flood", str(bundle_dir), HUB_FOR_DEVICE, str(port), str(FLOOD_KIB))
    limits = LanLimits()
    # Past its burst, the flood goes at the limit: the whole of it takes at least this long.
    floor_s = (FLOOD_KIB - limits.upload_burst_kbytes) / limits.upload_kbytes_per_s  # nft's kbytes are KiB
    print(f"{FLOOD_KIB} KiB of QoS 0 intents from one device: {without['seconds']} s without the firewall, "
          f"{limited['seconds']} s with it (floor {floor_s:.1f} s)")
    # Only a lower bound: a busy machine can make either run slower, never the limited one faster.
    assert float(limited["seconds"]) >= floor_s * 0.7


def test_idle_connections_from_one_address_leave_the_pairing_broker_room_for_a_new_board(
        hall: Hall, hub_in_ns: tuple[Hub, Path]) -> None:
    hub, _ = hub_in_ns
    port = hub.settings().pairing_port
    pairing = subprocess.Popen(_in_ns(hall.hub_ns, find_mosquitto(), "-c", str(hub.pairing_config)),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while _peer(hall.device_ns, "anonymous", HUB_FOR_DEVICE, str(port))["connack"] != 0:
            assert time.monotonic() < deadline, "the pairing broker did not come up"
            time.sleep(0.2)
        _run(*_in_ns(hall.hub_ns, "nft", "-f", str(hub.firewall_ruleset)))
        attacker = Attacker(hall, port)
        try:
            held = attacker.result
            assert held["held"] <= LanLimits().pairing_per_source_connections
            assert _peer(hall.device_ns, "anonymous", HUB_FOR_DEVICE, str(port))["connack"] == 0
        finally:
            attacker.close()
        print(f"{ATTACK_CONNECTIONS} idle connections to the pairing port from one address: {held}; "
              "a new board still connects")
    finally:
        pairing.terminate()
        pairing.wait(timeout=10)


def test_after_a_reload_the_firewall_still_caps_all_lan_connections(
        hall: Hall, hub_in_ns: tuple[Hub, Path]) -> None:
    hub, _ = hub_in_ns
    port = hub.settings().lan_port
    # An enroll reloads Mosquitto (SIGHUP), and Mosquitto 2.0.11 then forgets max_connections.
    hub.enroll(DeviceRole.WALL, 0, NOW)
    assert hub.reload_broker()
    results = []
    for firewall in (False, True):
        if firewall:
            _run(*_in_ns(hall.hub_ns, "nft", "-f", str(hub.firewall_ruleset)))
        attacker = Attacker(hall, port, sources=ATTACKER_ALIASES)  # 10 addresses: 6 each would be 60
        try:
            results.append(attacker.result)
        finally:
            attacker.close()
    forgotten, capped = results
    print(f"{ATTACK_CONNECTIONS} idle connections from {len(ATTACKER_ALIASES)} addresses after a reload, "
          f"max_connections {LAN_MAX_CONNECTIONS}: Mosquitto alone {forgotten}, with the firewall {capped}")
    assert forgotten["held"] > LAN_MAX_CONNECTIONS  # what the firewall is there for
    assert capped["held"] <= LAN_MAX_CONNECTIONS
    assert capped["refused"] >= ATTACK_CONNECTIONS - LAN_MAX_CONNECTIONS
