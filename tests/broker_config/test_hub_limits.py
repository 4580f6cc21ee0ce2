"""The hub's broker limits are accepted by the real Mosquitto and hold against a device."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from provisioning.hub import BROKER_MEMORY_LIMIT_BYTES, MAX_INFLIGHT_BYTES, MAX_QUEUED_BYTES, Hub
from provisioning.inventory import DeviceRole
from tests.provisioning.hub_support import NOW

ROOT = Path(__file__).resolve().parents[2]


def test_hall_broker_check_accepts_the_hubs_generated_configs(hub: Hub) -> None:
    hub.enroll(DeviceRole.KIOSK, 0, NOW)
    text = hub.broker_config.read_text(encoding="utf-8")
    for line in (f"max_queued_bytes {MAX_QUEUED_BYTES}", f"max_inflight_bytes {MAX_INFLIGHT_BYTES}",
                 f"memory_limit {BROKER_MEMORY_LIMIT_BYTES}", "max_queued_messages 1000",
                 f"max_connections {hub.settings().lan_max_connections}", "persistent_client_expiration 2d"):
        assert f"\n{line}\n" in text, line
    for config in (hub.broker_config, hub.pairing_config):
        result = subprocess.run([sys.executable, "-m", "hall", "broker", "check", "--config", str(config)],
                                capture_output=True, text=True, timeout=60, cwd=ROOT, env=dict(os.environ))
        assert result.returncode == 0, result.stderr
        assert "OK" in result.stdout
