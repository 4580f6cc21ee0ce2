"""A broker or controller outage shows as stale on the console, never as wrong numbers."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from broker_config import LocalBroker
from broker_config.local_broker import free_port
from console.config import ConsoleConfig
from console.server import ConsoleServer
from hall.controller import ControllerService
from tests.conftest import device_settings
from tests.console.browser_steps import log_in
from tests.console.conftest import PASSWORD, screenshot
from tests.support import CONNECT_TIMEOUT_S, FakeClock

WAIT_S = 30.0


def stale_shown(browser: WebDriver) -> bool:
    mark = browser.find_element(By.ID, "stale-mark")
    return "show" in (mark.get_attribute("class") or "") and mark.is_displayed()


def test_the_stale_mark_shows_while_the_broker_is_gone_and_clears_when_it_is_back(
        browser: WebDriver, private_broker: LocalBroker,
        make_controller: Callable[..., ControllerService], tmp_path: Path,
        clock: FakeClock) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    controller = make_controller(private_broker)
    config = ConsoleConfig(hall=controller.config, mqtt=device_settings(private_broker, "manager"),
                           port=free_port(), db_path=tmp_path / "console.db")
    console = ConsoleServer(config, clock=clock)
    console.accounts.add_user("wang.manager", "manager", PASSWORD, clock())
    console.start()
    try:
        assert console.live.wait_connected(CONNECT_TIMEOUT_S)
        log_in(browser, console, "wang.manager")
        wait = WebDriverWait(browser, WAIT_S, poll_frequency=0.1)
        wait.until(lambda d: not stale_shown(d))
        private_broker.stop()
        wait.until(stale_shown)
        screenshot(browser, "hall-stale")
        private_broker.start()
        wait.until(lambda d: not stale_shown(d))
    finally:
        console.stop()
