"""Discovery between two network namespaces joined by a veth pair: a hub board and a device board.

Needs root and iproute2 (`ip netns`); skipped where the kernel or the sandbox refuses namespaces.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from broker_config.local_broker import find_mosquitto, free_port
from provisioning.hub import Hub, HubSettings
from provisioning.inventory import DeviceRole
from tests.provisioning.hub_support import NOW

ROOT = Path(__file__).resolve().parents[2]
HUB_ADDRESS, DEVICE_ADDRESS = "10.201.0.1", "10.201.0.2"


@dataclass(frozen=True)
class Boards:
    hub_ns: str
    device_ns: str
    hub_link: str


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=10)


@pytest.fixture
def boards() -> Iterator[Boards]:
    if os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.skip("network namespaces need root and iproute2")
    tag = uuid.uuid4().hex[:6]
    hub_ns, device_ns, hub_link, device_link = f"hall-hub-{tag}", f"hall-dev-{tag}", f"vh{tag}", f"vd{tag}"
    try:
        _ip("netns", "add", hub_ns)
        _ip("netns", "add", device_ns)
    except subprocess.CalledProcessError as exc:
        subprocess.run(["ip", "netns", "del", hub_ns], capture_output=True, check=False)
        pytest.skip(f"cannot create network namespaces here: {exc.stderr.decode().strip()}")
    try:
        _ip("link", "add", hub_link, "type", "veth", "peer", "name", device_link)
        _ip("link", "set", hub_link, "netns", hub_ns)
        _ip("link", "set", device_link, "netns", device_ns)
        for ns in (hub_ns, device_ns):
            _ip("-n", ns, "link", "set", "lo", "up")
        _ip("-n", device_ns, "addr", "add", f"{DEVICE_ADDRESS}/24", "dev", device_link)
        _ip("-n", device_ns, "link", "set", device_link, "up")
        # The hub's link is up but has no address yet: it appears after the advertiser starts.
        _ip("-n", hub_ns, "link", "set", hub_link, "up")
        yield Boards(hub_ns, device_ns, hub_link)
    finally:
        subprocess.run(["ip", "netns", "del", hub_ns], capture_output=True, check=False)
        subprocess.run(["ip", "netns", "del", device_ns], capture_output=True, check=False)


def _in_ns(ns: str, *args: str) -> list[str]:
    return ["ip", "netns", "exec", ns, *args]


def test_a_board_finds_the_hub_on_an_interface_that_came_up_later_and_connects_over_tls(
        boards: Boards, tmp_path: Path, hall_id: str) -> None:
    hub = Hub.init(tmp_path / "hub", HubSettings(hall_id=hall_id, hostnames=("hall-hub",), addresses=(),
                                                 lan_port=free_port(), local_port=free_port(),
                                                 pairing_port=free_port()), NOW)
    wall = hub.enroll(DeviceRole.WALL, 0, NOW)
    port = hub.settings().lan_port
    broker = subprocess.Popen(_in_ns(boards.hub_ns, find_mosquitto(), "-c", str(hub.broker_config)),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    advertiser = subprocess.Popen(
        _in_ns(boards.hub_ns, sys.executable, "-m", "tests.provisioning.netns_peer", "advertise", hall_id,
               hub.ca_fingerprint, str(port)),
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert advertiser.stdout is not None and advertiser.stdout.readline().strip() == "advertising"
        _ip("-n", boards.hub_ns, "addr", "add", f"{HUB_ADDRESS}/24", "dev", boards.hub_link)
        device = subprocess.run(
            _in_ns(boards.device_ns, sys.executable, "-m", "tests.provisioning.netns_peer", "browse", hall_id,
                   hub.ca_fingerprint, str(port), str(hub.bundles_dir / wall.device_id)),
            cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert device.returncode == 0, device.stderr
        assert json.loads(device.stdout) == {"host": HUB_ADDRESS, "port": port, "connected": True}
    finally:
        advertiser.communicate(input="", timeout=30)
        broker.terminate()
        broker.wait(timeout=10)
