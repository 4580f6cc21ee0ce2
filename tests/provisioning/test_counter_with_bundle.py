"""`hall counter --bundle DIR`: the terminal and its pad, each as itself over TLS, READY=1."""
from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from provisioning.acl import CONTROLLER_USER
from provisioning.hub import Hub
from provisioning.inventory import DeviceRole
from tests.provisioning.hub_support import NOW, Client, ServiceUnderTest


def test_a_counter_board_started_from_its_bundles_connects_terminal_and_pad_as_themselves(
        hub: Hub, hub_broker: object, make_client: Callable[..., Client], tmp_path: Path) -> None:
    hall_id = hub.settings().hall_id
    hub.enroll(DeviceRole.COUNTER, 3, NOW)
    hub.enroll(DeviceRole.COUNTER, 3, NOW, device_id="pad-3")
    board = tmp_path / "device"
    shutil.copytree(hub.bundles_dir / "counter-3", board)
    shutil.copytree(hub.bundles_dir / "pad-3", board / "pad")
    controller = make_client("controller-test", hub.local_settings(CONTROLLER_USER),
                             (f"hall/{hall_id}/device/+/presence",))
    service = ServiceUnderTest(tmp_path, ["counter", "--bundle", str(board),
                                          "--outbox", str(tmp_path / "outbox"), "--windowed"])
    try:
        assert service.told_systemd().startswith(b"READY=1")
        assert service.told_systemd() == b"WATCHDOG=1"
        for device in ("counter-3", "pad-3"):
            topic = f"hall/{hall_id}/device/{device}/presence"
            controller.wait_for(lambda t, p, topic=topic: t == topic
                                and json.loads(p)["status"] == "online", timeout_s=30)
        service.process.terminate()
        topic = f"hall/{hall_id}/device/pad-3/presence"
        controller.wait_for(lambda t, p: t == topic and json.loads(p)["status"] == "offline"
                            and json.loads(p)["detail"] == "stopped", timeout_s=30)
        assert service.process.wait(timeout=30) == 0
    finally:
        err = service.stop()
    assert b"Traceback" not in err, err.decode(errors="replace")
