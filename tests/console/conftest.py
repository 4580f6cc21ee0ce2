"""A real console over a real controller and Mosquitto, and Debian's headless Chromium."""
from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from broker_config import LocalBroker
from broker_config.local_broker import free_port
from console.config import ConsoleConfig
from console.server import ConsoleServer
from hall.controller import ControllerService
from tests.conftest import device_settings
from tests.support import CONNECT_TIMEOUT_S, FakeClock

PASSWORD = "hall-console-test-7"
USERS = {"wang.manager": "manager", "li.supervisor": "supervisor", "zhao.it": "it"}
OUTPUT = Path(__file__).resolve().parents[1] / "output" / "console"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture
def make_console(broker: LocalBroker, tmp_path: Path, clock: FakeClock
                 ) -> Iterator[Callable[..., ConsoleServer]]:
    started: list[ConsoleServer] = []

    def make(controller: ControllerService, **options: object) -> ConsoleServer:
        hall = replace(controller.config, public_base_url="http://127.0.0.1")
        config = ConsoleConfig(hall=hall, mqtt=device_settings(broker, "manager"),
                               device_id="console-1", port=free_port(),
                               db_path=tmp_path / f"console-{len(started)}.db",
                               **options)  # type: ignore[arg-type]
        server = ConsoleServer(config, clock=clock)
        for username, role in USERS.items():
            server.accounts.add_user(username, role, PASSWORD, clock())
        server.start()
        started.append(server)
        assert server.live.wait_connected(CONNECT_TIMEOUT_S), "the console did not reach the broker"
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def console(make_console: Callable[..., ConsoleServer],
            controller: ControllerService) -> ConsoleServer:
    return make_console(controller)


def log_in_http(console: ConsoleServer, username: str = "wang.manager") -> tuple[httpx.Client, str]:
    """An HTTP client with a session, and the session's CSRF token (read from a page)."""
    client = httpx.Client(base_url=console.url, follow_redirects=False, timeout=10)
    answer = client.post("/login", data={"username": username, "password": PASSWORD,
                                          "next": "/hall"})
    assert answer.status_code == 303, answer.text
    page = client.get("/operations")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return client, found.group(1)


@pytest.fixture
def browser() -> Iterator[object]:
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.fail("Debian's chromium and chromium-driver are needed: scripts/setup --dev")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1920,1080", "--lang=zh-CN", "--force-device-scale-factor=1",
                     "--hide-scrollbars"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    set_viewport(driver, 1920, 1080)
    try:
        yield driver
    finally:
        driver.quit()


def set_viewport(driver: object, width: int, height: int, *, mobile: bool = False) -> None:
    """The page's own size, as a 1080p office screen or a 360 px phone sees it."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {  # type: ignore[attr-defined]
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


def screenshot(driver: object, name: str) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"{name}.png"
    driver.save_screenshot(str(path))  # type: ignore[attr-defined]
    return path
