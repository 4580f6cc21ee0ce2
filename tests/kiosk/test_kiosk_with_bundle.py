"""`hall kiosk --bundle DIR` as its systemd unit runs it: its own account over TLS, READY=1."""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from provisioning.acl import CONTROLLER_USER
from provisioning.hub import Hub
from provisioning.inventory import DeviceRole
from tests.provisioning.hub_support import NOW, Client, ServiceUnderTest, hub, hub_broker, make_client

__all__ = ["hub", "hub_broker", "make_client"]


def test_a_kiosk_started_from_its_bundle_connects_as_itself_and_tells_systemd_it_is_ready(
        hub: Hub, hub_broker: object, make_client: Callable[..., Client], tmp_path: Path) -> None:
    hall_id = hub.settings().hall_id
    kiosk = hub.enroll(DeviceRole.KIOSK, 0, NOW)
    topic = f"hall/{hall_id}/device/{kiosk.device_id}/presence"
    controller = make_client("controller-test", hub.local_settings(CONTROLLER_USER), (topic,))
    service = ServiceUnderTest(tmp_path, [
        "kiosk", "--bundle", str(hub.bundles_dir / kiosk.device_id), "--windowed", "--no-sound",
        "--camera", "none", "--printer", "none"])
    try:
        assert service.told_systemd().startswith(b"READY=1")
        assert service.told_systemd() == b"WATCHDOG=1"
        controller.wait_for(lambda t, p: t == topic and json.loads(p)["status"] == "online"
                            and "no printer" in json.loads(p)["detail"], timeout_s=30)
    finally:
        err = service.stop()
    assert service.process.returncode == 0
    assert b"Traceback" not in err, err.decode(errors="replace")
