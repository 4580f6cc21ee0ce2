"""The console served over HTTPS with a certificate from the hall CA, and its systemd unit."""
from __future__ import annotations

import ssl
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx

from console.server import ConsoleServer
from hall.controller import ControllerService
from provisioning.hub import Hub, HubSettings
from tests.console.conftest import PASSWORD
from tests.provisioning.hub_support import NOW


def hall(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hall", *args], capture_output=True, text=True,
                          timeout=60)


def test_the_console_serves_https_with_a_certificate_the_hall_ca_issued(
        tmp_path: Path, hall_id: str, controller: ControllerService,
        make_console: Callable[..., ConsoleServer]) -> None:
    hub = Hub.init(tmp_path / "hub", HubSettings(hall_id=hall_id, hostnames=("localhost",),
                                                 addresses=("127.0.0.1",)), NOW)
    issued = hall("provision", "console-cert", "--hub", str(hub.root))
    assert issued.returncode == 0, issued.stderr
    cert, key = hub.root / "console" / "console.crt", hub.root / "console" / "console.key"
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    console = make_console(controller, host="127.0.0.1", tls_cert=cert, tls_key=key)
    assert console.url.startswith("https://")
    trust = ssl.create_default_context(cafile=str(hub.ca_cert))
    with httpx.Client(base_url=console.url, verify=trust, timeout=10) as client:
        page = client.get("/login")
        assert page.status_code == 200 and "管理台登录" in page.text
        answer = client.post("/login", data={"username": "wang.manager", "password": PASSWORD},
                             follow_redirects=False)
    cookie = answer.headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=strict" in cookie


def test_the_hub_units_run_the_console_with_its_watchdog(tmp_path: Path, hall_id: str) -> None:
    hub = Hub.init(tmp_path / "hub", HubSettings(hall_id=hall_id, hostnames=("localhost",),
                                                 addresses=("127.0.0.1",)), NOW)
    result = hall("provision", "install-units", "--dest", str(tmp_path / "units"), "--hub-units",
                  "--hub", str(hub.root), "--hall-command", "/opt/hall/.venv/bin/hall",
                  "--config", "/etc/hall/hall.toml")
    assert result.returncode == 0, result.stderr
    unit = (tmp_path / "units" / "hall-console.service").read_text(encoding="utf-8")
    assert "ExecStart=/opt/hall/.venv/bin/hall console --config /etc/hall/hall.toml\n" in unit
    assert "Type=notify" in unit and "WatchdogSec=30" in unit
    assert "hall-console.service" in result.stdout


def test_the_devices_page_lists_an_enrolled_board_that_never_reported(
        tmp_path: Path, hall_id: str, controller: ControllerService,
        make_console: Callable[..., ConsoleServer]) -> None:
    from provisioning.inventory import DeviceRole

    hub = Hub.init(tmp_path / "hub", HubSettings(hall_id=hall_id, hostnames=("localhost",),
                                                 addresses=("127.0.0.1",)), NOW)
    wall = hub.enroll(DeviceRole.WALL, 0, NOW)
    console = make_console(controller, hub_dir=hub.root)
    with httpx.Client(base_url=console.url, timeout=10, follow_redirects=True) as client:
        client.post("/login", data={"username": "zhao.it", "password": PASSWORD})
        page = client.get("/devices").text
    row = page.split(f'id="device-{wall.device_id}"', 1)[1].split("</tr>", 1)[0]
    assert "从未上线" in row and "显示屏" in row
