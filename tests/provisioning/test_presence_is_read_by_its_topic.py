"""`hall provision list` believes the topic a presence came on, and prints a device's text inertly."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from hall.device_client import DeviceClient
from hall.protocol import Topics, encode
from hall.protocol import messages as m
from provisioning.hub import Hub
from provisioning.inventory import DeviceRole
from tests.provisioning.hub_support import NOW, Client, device_settings

ROOT = Path(__file__).resolve().parents[2]
# Clear the screen, home the cursor, set the title, a bidi override and an 8-bit CSI. (A lone
# surrogate makes the codec refuse the whole message; hall/terminal_text.py replaces it too.)
HOSTILE = "\x1b[2J\x1b[H\x1b]0;pwned\x07 all good \u202eevil\x9b31m\r\n"


def _list(hub: Hub, *extra: str) -> str:
    command = [sys.executable, "-m", "hall", "provision", "list", "--hub", str(hub.root), *extra]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=ROOT,
                            env=dict(os.environ))
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_kiosk_cannot_mark_a_counter_offline_nor_drive_the_technicians_terminal(
        hub: Hub, hub_broker: object, make_client: Callable[..., Client]) -> None:
    topics = Topics(hub.settings().hall_id)
    kiosk = hub.enroll(DeviceRole.KIOSK, 0, NOW)
    counter = hub.enroll(DeviceRole.COUNTER, 2, NOW)
    counter_client = DeviceClient(device_settings(hub, counter), counter.hall_id, counter.device_id,
                                  m.Role.COUNTER, app_version="1.0.0")
    counter_client.start()
    try:
        assert counter_client.wait_connected(10.0)
        liar = make_client(kiosk.device_id, device_settings(hub, kiosk))
        lie = json.loads(encode(m.Presence(device_id="counter-2", role=m.Role.COUNTER,
                                           status=m.DeviceStatus.OFFLINE, at=NOW)))
        payload = json.dumps({**lie, "app_version": HOSTILE, "detail": HOSTILE * 4}).encode()
        # On its own presence topic (the only one the broker lets it write), claiming to be counter-2.
        liar.publish(topics.presence(kiosk.device_id), payload, retain=True)

        table = _list(hub)
        rows = {line.split()[0]: line for line in table.splitlines()[1:]}
        assert rows["counter-2"].split()[3] == "online"
        assert rows["kiosk-1"].split()[2] == "offline"  # no window column for a kiosk
        listed = {row["device_id"]: row for row in json.loads(_list(hub, "--json"))}
        assert listed["counter-2"]["status"] == "online" and listed["counter-2"]["app_version"] == "1.0.0"
        for output in (table, json.dumps(listed, ensure_ascii=False)):
            assert not any(c in output for c in "\x1b\x07\x9b\u202e\r"), "raw control characters printed"
        assert "all good" in table and len(rows["kiosk-1"]) < 400
    finally:
        counter_client.stop()
