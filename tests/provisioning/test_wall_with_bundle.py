"""`hall wall --bundle DIR` under a systemd-like notify socket: its own account, TLS, READY=1."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from provisioning.acl import CONTROLLER_USER
from provisioning.hub import Hub
from provisioning.inventory import DeviceRole
from tests.provisioning.hub_support import NOW, Client

ROOT = Path(__file__).resolve().parents[2]


def test_a_wall_started_from_its_bundle_connects_as_itself_and_tells_systemd_it_is_ready(
        hub: Hub, hub_broker: object, make_client: Callable[..., Client], tmp_path: Path) -> None:
    hall_id = hub.settings().hall_id
    wall = hub.enroll(DeviceRole.WALL, 0, NOW)
    controller = make_client("controller-test", hub.local_settings(CONTROLLER_USER),
                             (f"hall/{hall_id}/device/wall-1/presence",))
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(str(tmp_path / "notify"))
    notify.settimeout(30)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NOTIFY_SOCKET": str(tmp_path / "notify"),
           "WATCHDOG_USEC": "2000000"}
    process = subprocess.Popen([sys.executable, "-m", "hall", "wall", "--bundle",
                                str(hub.bundles_dir / wall.device_id), "--windowed", "--no-sound"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        with notify:
            assert notify.recv(256).startswith(b"READY=1")
            assert notify.recv(256) == b"WATCHDOG=1"
        topic = f"hall/{hall_id}/device/wall-1/presence"
        controller.wait_for(lambda t, p: t == topic and json.loads(p)["status"] == "online", timeout_s=30)
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    assert b"Traceback" not in err, err.decode(errors="replace")
