"""Zeroconf on loopback: devices find their hall's hub by its pinned CA and follow it when it moves."""
from __future__ import annotations

import time
from dataclasses import replace

from hall.bus import MqttBus
from hall.discovery import PROTOCOL_VERSION, HubAdvertiser, HubBrowser, HubEndpoint
from provisioning.hub import Hub
from provisioning.inventory import DeviceRole
from tests.provisioning.hub_support import NOW, device_settings

LOOPBACK = ["127.0.0.1"]
FINGERPRINT = "ab" * 32


def _advertiser(hall_id: str, port: int, fingerprint: str = FINGERPRINT, instance: str = "") -> HubAdvertiser:
    advertiser = HubAdvertiser(hall_id, port, fingerprint, pairing_port=port + 1, interfaces=LOOPBACK,
                               instance=instance)
    advertiser.start()
    return advertiser


def test_a_device_finds_the_hub_of_its_pinned_ca_and_ignores_others(hall_id: str) -> None:
    stranger = _advertiser(hall_id, 9001, fingerprint="cd" * 32, instance=f"stranger-{hall_id}")
    hub = _advertiser(hall_id, 8883)
    browser = HubBrowser(hall_id=hall_id, ca_fingerprint=FINGERPRINT, interfaces=LOOPBACK)
    browser.start()
    try:
        found = browser.wait_for_hub(10.0)
        assert found == HubEndpoint(name=f"hall-{hall_id}._secure-mqtt._tcp.local.", hall_id=hall_id,
                                    host="127.0.0.1", port=8883, ca_fingerprint=FINGERPRINT,
                                    protocol=PROTOCOL_VERSION, pairing_port=8884)
    finally:
        browser.stop()
        hub.stop()
        stranger.stop()


def test_a_second_hub_with_the_same_name_is_renamed_not_lost(hall_id: str) -> None:
    first = _advertiser(hall_id, 8883)
    second = _advertiser(hall_id, 8893)
    try:
        assert first.name == f"hall-{hall_id}._secure-mqtt._tcp.local."
        assert second.name != first.name and second.name.startswith(f"hall-{hall_id}")
    finally:
        second.stop()
        first.stop()


def test_a_device_follows_the_hub_to_its_new_address(hub: Hub, hub_broker: object) -> None:
    settings = hub.settings()
    kiosk = hub.enroll(DeviceRole.KIOSK, 0, NOW)
    advertiser = HubAdvertiser(settings.hall_id, settings.lan_port, hub.ca_fingerprint, interfaces=LOOPBACK)
    advertiser.start()
    # The hub first says it is at an address where nothing listens, then moves to where it is.
    advertiser.move_to(("127.0.0.3",))
    # This test drives the moves itself: the bus's own following is off (tested below).
    bus = MqttBus("kiosk-1", replace(device_settings(hub, kiosk), follow_ca_fingerprint=""),
                  on_message=lambda t, p: None)
    moves: list[HubEndpoint] = []

    def follow(found: HubEndpoint) -> None:
        moves.append(found)
        bus.move_to(found.host, found.port)

    browser = HubBrowser(follow, hall_id=settings.hall_id, ca_fingerprint=hub.ca_fingerprint,
                         interfaces=LOOPBACK)
    browser.start()
    try:
        first = browser.wait_for_hub(10.0)
        assert first is not None and first.host == "127.0.0.3"
        bus.start()
        advertiser.move_to(("127.0.0.1",))
        assert bus.wait_connected(10.0), f"the device did not follow the hub: {moves}"
        assert moves[-1].host == "127.0.0.1"
    finally:
        browser.stop()  # first: a late discovery must not restart a stopped bus
        bus.stop()
        advertiser.stop()




def test_a_bus_started_from_a_bundle_follows_its_hub_by_itself(hub: Hub, hub_broker: object) -> None:
    settings = hub.settings()
    kiosk = hub.enroll(DeviceRole.KIOSK, 0, NOW)
    advertiser = HubAdvertiser(settings.hall_id, settings.lan_port, hub.ca_fingerprint, interfaces=LOOPBACK)
    advertiser.start()
    advertiser.move_to(("127.0.0.3",))
    from_bundle = kiosk.mqtt_settings(hub.bundles_dir / kiosk.device_id, host="127.0.0.3")
    assert from_bundle.follow_ca_fingerprint == hub.ca_fingerprint
    bus = MqttBus("kiosk-1", from_bundle, on_message=lambda t, p: None)
    bus.start()
    try:
        assert not bus.wait_connected(1.0)
        advertiser.move_to(("127.0.0.1",))
        assert bus.wait_connected(15.0), "the bus did not follow the hub it browsed for"
    finally:
        bus.stop()
        advertiser.stop()


def test_a_connected_device_does_not_leave_its_hub_for_an_advert_that_copies_its_fingerprint(
        hub: Hub, hub_broker: object) -> None:
    settings = hub.settings()
    kiosk = hub.enroll(DeviceRole.KIOSK, 0, NOW)
    real = HubAdvertiser(settings.hall_id, settings.lan_port, hub.ca_fingerprint, interfaces=LOOPBACK)
    real.start()
    from_bundle = kiosk.mqtt_settings(hub.bundles_dir / kiosk.device_id)
    bus = MqttBus("kiosk-1", from_bundle, on_message=lambda t, p: None)
    bus.start()
    try:
        assert bus.wait_connected(10.0)
        # Anyone can repeat the hall id and the CA fingerprint of the adverts they hear.
        spoof = HubAdvertiser(settings.hall_id, 9, hub.ca_fingerprint, interfaces=LOOPBACK,
                              instance=f"spoof-{settings.hall_id}")
        spoof.start()
        try:
            deadline = time.monotonic() + 15.0
            while bus.advertised_hub != ("127.0.0.1", 9) and time.monotonic() < deadline:
                bus.wait_disconnected(0.1)  # returns early only if the bus is dropped
            assert bus.advertised_hub == ("127.0.0.1", 9), "the device never heard the spoofed advert"
            assert bus.is_connected
            assert not bus.wait_disconnected(1.0)
        finally:
            spoof.stop()
    finally:
        bus.stop()
        real.stop()
