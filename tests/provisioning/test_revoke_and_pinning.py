"""A revoked device is cut off at once; a device talks only to a broker of its own hall's CA."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from hall.bus import MqttBus
from hall.config import MqttSettings
from provisioning.acl import CONTROLLER_USER
from provisioning.hub import Hub
from provisioning.inventory import DeviceRole, ProvisioningError
from tests.provisioning.hub_support import (
    NOW,
    Client,
    connack_code,
    device_settings,
    init_hub,
    start_hub_broker,
)


def test_a_revoked_counter_is_refused_at_once(hub: Hub, hub_broker: object,
                                               make_client: Callable[..., Client]) -> None:
    base = f"hall/{hub.settings().hall_id}"
    counter = hub.enroll(DeviceRole.COUNTER, 2, NOW)
    controller = make_client("controller-test", hub.local_settings(CONTROLLER_USER), (f"{base}/#",))
    device = make_client("counter-2", device_settings(hub, counter))
    device.publish(f"{base}/device/counter-2/intent", b"before")
    controller.wait_for(lambda t, p: p == b"before")

    assert (hub.bundles_dir / "counter-2" / "mqtt.secret").exists()

    assert hub.revoke("counter-2", NOW), "the running broker was not signalled"

    assert device.bus.wait_disconnected(5.0), "the revoked counter is still connected"
    # Its plain-text password does not stay on the hub (nor go into the next backup).
    assert not (hub.bundles_dir / "counter-2").exists()
    settings = hub.settings()
    assert connack_code("127.0.0.1", settings.lan_port, "counter-2", "counter-2", counter.password,
                        ca_file=str(hub.ca_cert), server_name="localhost") == 5
    assert hub.inventory().get("counter-2").is_revoked
    with pytest.raises(ProvisioningError):
        hub.revoke("counter-2", NOW)


def test_a_window_can_get_a_new_counter_after_revoking_the_old_one(hub: Hub) -> None:
    old = hub.enroll(DeviceRole.COUNTER, 4, NOW)
    with pytest.raises(ProvisioningError):
        hub.enroll(DeviceRole.COUNTER, 4, NOW)
    hub.revoke(old.device_id, NOW)
    new = hub.enroll(DeviceRole.COUNTER, 4, NOW)
    assert new.device_id == "counter-4" and new.password != old.password


def test_a_device_refuses_a_broker_whose_certificate_is_of_another_ca(
        hub: Hub, hub_broker: object, tmp_path: Path) -> None:
    kiosk = hub.enroll(DeviceRole.KIOSK, 0, NOW)
    rogue = init_hub(tmp_path / "rogue", hub.settings().hall_id)
    rogue_broker = start_hub_broker(rogue)
    try:
        # The same hall id, a listener where the device looks, but a CA the device never pinned.
        settings = device_settings(hub, kiosk)
        bus = MqttBus("kiosk-1", MqttSettings(
            host="127.0.0.1", port=rogue.settings().lan_port, username="kiosk-1", password=kiosk.password,
            ca_file=settings.ca_file, tls_server_name=settings.tls_server_name),
            on_message=lambda t, p: None)
        bus.start()
        try:
            assert not bus.wait_connected(1.0)
        finally:
            bus.stop()
        assert "kiosk-1" not in (rogue.broker_dir / "mosquitto.log").read_text(encoding="utf-8")
    finally:
        rogue_broker.stop()


def test_a_device_refuses_a_broker_certificate_for_another_name(hub: Hub, hub_broker: object) -> None:
    kiosk = hub.enroll(DeviceRole.KIOSK, 0, NOW)
    settings = device_settings(hub, kiosk)
    bus = MqttBus("kiosk-1", replace(settings, tls_server_name="broker.other-hall.hall.internal"),
                  on_message=lambda t, p: None)
    bus.start()
    try:
        assert not bus.wait_connected(1.0)
    finally:
        bus.stop()
