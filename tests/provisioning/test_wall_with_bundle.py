"""`hall wall --bundle DIR` under a systemd-like notify socket: its own account, TLS, READY=1."""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from provisioning.acl import CONTROLLER_USER
from provisioning.hub import Hub
from provisioning.inventory import DeviceRole
from tests.provisioning.hub_support import NOW, Client, ServiceUnderTest


def test_a_wall_started_from_its_bundle_connects_as_itself_and_tells_systemd_it_is_ready(
        hub: Hub, hub_broker: object, make_client: Callable[..., Client], tmp_path: Path) -> None:
    hall_id = hub.settings().hall_id
    wall = hub.enroll(DeviceRole.WALL, 0, NOW)
    controller = make_client("controller-test", hub.local_settings(CONTROLLER_USER),
                             (f"hall/{hall_id}/device/wall-1/presence",))
    service = ServiceUnderTest(tmp_path, ["wall", "--bundle", str(hub.bundles_dir / wall.device_id),
                                          "--windowed", "--no-sound"])
    try:
        assert service.told_systemd().startswith(b"READY=1")
        assert service.told_systemd() == b"WATCHDOG=1"
        topic = f"hall/{hall_id}/device/wall-1/presence"
        controller.wait_for(lambda t, p: t == topic and json.loads(p)["status"] == "online", timeout_s=30)
    finally:
        err = service.stop()
    assert b"Traceback" not in err, err.decode(errors="replace")
