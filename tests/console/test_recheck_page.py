"""复核抽查 in the browser: the year's draw with its seed, N and the drawn ratings, drawn again
to show it reproduces; each re-check's result recorded; a supervisor only reads."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from broker_config import LocalBroker
from console.server import ConsoleServer
from hall.controller import ControllerService
from hall.core.appeals import draw_recheck
from hall.device_client import DeviceClient
from tests.console.browser_steps import log_in, submit, text_of, wait_text
from tests.console.conftest import screenshot
from tests.console.test_case_pages import rate_badly_on_the_pad, type_into
from tests.support import SHANGHAI, FakeClock, Inbox

MakeDevice = Callable[..., tuple[DeviceClient, Inbox]]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI))


def test_the_yearly_recheck_is_drawn_with_its_seed_reproduced_and_its_result_recorded(
        browser: WebDriver, console: ConsoleServer, broker: LocalBroker,
        make_device: MakeDevice, controller: ControllerService, clock: FakeClock) -> None:
    _, first = rate_badly_on_the_pad(broker, make_device)
    _, second = rate_badly_on_the_pad(broker, make_device, window=2, staff_id="YB0102",
                                      business="enrollment")
    log_in(browser, console, "li.supervisor")
    browser.get(f"{console.url}/rechecks?year=2026")
    wait_text(browser, "#no-draw", "实名差评 2 条")
    assert not browser.find_elements(By.ID, "draw-form")
    log_in(browser, console, "wang.manager")
    browser.get(f"{console.url}/rechecks?year=2026")
    type_into(browser, "draw-seed-input", "2026-市医保大厅")
    submit(browser, "#submit-draw")
    wait_text(browser, "#done", "2026 年复核抽查已抽取")
    assert text_of(browser, "#draw-seed") == "2026-市医保大厅"
    assert text_of(browser, "#draw-population") == "2"
    expected = draw_recheck(2026, [first.rating_id, second.rating_id], share=0.05,
                            seed="2026-市医保大厅", drawn_by="", now=clock())
    assert text_of(browser, "#draw-ids") == "、".join(expected.drawn)
    wait_text(browser, "#draw-reproduced", "一致")
    drawn = expected.drawn[0]
    type_into(browser, f"result-{drawn}", "复核属实，整改到位")
    submit(browser, f"#submit-result-{drawn}")
    wait_text(browser, "#done", "复核结果已记录")
    wait_text(browser, f"#recheck-{drawn}", "wang.manager")
    screenshot(browser, "rechecks")
    browser.get(f"{console.url}/rechecks?year=2026")
    assert not browser.find_elements(By.ID, "draw-form")  # once a year
