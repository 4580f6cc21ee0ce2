"""One side of the discovery test between two network namespaces, run as its own process there."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from zeroconf import InterfaceChoice

from hall.bus import MqttBus
from hall.discovery import HubAdvertiser, HubBrowser
from provisioning.bundle import load_bundle

# Short so that an address added after start is advertised within a second.
CHECK_S = 0.3


def main(argv: list[str]) -> int:
    role, hall_id, fingerprint, port = argv[0], argv[1], argv[2], int(argv[3])
    if role == "advertise":
        advertiser = HubAdvertiser(hall_id, port, fingerprint, pairing_port=port + 1,
                                   interfaces=InterfaceChoice.All, check_interval_s=CHECK_S)
        advertiser.start()
        print("advertising", flush=True)
        sys.stdin.read()  # until the test closes our stdin
        advertiser.stop()
        return 0
    browser = HubBrowser(hall_id=hall_id, ca_fingerprint=fingerprint, interfaces=InterfaceChoice.All)
    browser.start()
    try:
        hub = browser.wait_for_hub(15.0)
    finally:
        browser.stop()
    if hub is None:
        print(json.dumps(None), flush=True)
        return 1
    found = {"host": hub.host, "port": hub.port, "connected": False}
    if len(argv) > 4:
        # Connect as the device of this bundle to wherever discovery found the hub.
        bundle_dir = Path(argv[4])
        settings = load_bundle(bundle_dir).mqtt_settings(bundle_dir, host=hub.host, port=hub.port)
        bus = MqttBus(settings.username, settings, on_message=lambda t, p: None)
        bus.start()
        found["connected"] = bus.wait_connected(15.0)
        bus.stop()
    print(json.dumps(found), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
