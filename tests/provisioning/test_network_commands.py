"""`hall provision firewall` and `hall provision guard --once` as a technician runs them on the hub."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from broker_config.local_broker import LocalBroker
from provisioning.firewall import TABLE
from provisioning.hub import Hub

ROOT = Path(__file__).resolve().parents[2]


def _hall(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hall", "provision", *args], capture_output=True, text=True,
                          timeout=60, cwd=ROOT, env=dict(os.environ))


def test_the_firewall_command_shows_the_rules_for_the_hubs_own_ports(hub: Hub) -> None:
    settings = hub.settings()
    result = _hall("firewall", "--hub", str(hub.root))
    assert result.returncode == 0, result.stderr
    assert f"table inet {TABLE} {{" in result.stdout
    assert f"tcp dport {settings.lan_port} ct state new jump new_lan_connection" in result.stdout
    assert f"ct count over {settings.lan_max_connections} counter reject" in result.stdout
    assert "systemctl enable --now hall-firewall" in result.stdout


def test_guard_once_prints_the_lan_load(hub: Hub, hub_broker: LocalBroker) -> None:
    result = _hall("guard", "--hub", str(hub.root), "--once")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"LAN connections: 0 of {hub.settings().lan_max_connections}")
