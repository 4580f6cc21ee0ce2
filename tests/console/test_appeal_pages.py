"""申诉复核 in the browser: a clerk's appeal entered by a manager, decided by a supervisor; the
case's owner may not decide it; an upheld appeal takes the rating out of the statistics."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from broker_config import LocalBroker
from console.server import ConsoleServer
from hall.controller import ControllerService
from hall.core.reports import Dimension, Grain, satisfaction
from hall.device_client import DeviceClient
from hall.store.report_queries import ReportQueries
from tests.console.browser_steps import log_in, submit, wait_text
from tests.console.conftest import log_in_http, screenshot
from tests.console.test_case_pages import case_id_of, rate_badly_on_the_pad, type_into
from tests.support import SHANGHAI, FakeClock, Inbox

MakeDevice = Callable[..., tuple[DeviceClient, Inbox]]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI))


def window_3_ratings(controller: ControllerService) -> tuple[int, int]:
    """(valid, excluded) ratings of window 3 on 2026-09-30, as the reports count them."""
    cells = ReportQueries(controller.store).rating_cells(date(2026, 9, 30), date(2026, 10, 1),
                                                         Dimension.WINDOW, Grain.DAY)
    rows = [r for r in satisfaction(cells) if r.key == "3"]
    return (rows[0].total, rows[0].excluded) if rows else (0, 0)


def test_an_appeal_decided_by_a_supervisor_excludes_the_rating_but_not_by_the_case_owner(
        browser: WebDriver, console: ConsoleServer, broker: LocalBroker,
        make_device: MakeDevice, controller: ControllerService, clock: FakeClock) -> None:
    _, rated = rate_badly_on_the_pad(broker, make_device)
    case_id = case_id_of(controller, rated.rating_id)
    assert window_3_ratings(controller) == (1, 0)
    assert len(console.history.ratings_of_day(date(2026, 9, 30))) == 1  # the live hall's figures
    log_in(browser, console, "wang.manager")
    browser.get(f"{console.url}/cases/{case_id}")
    type_into(browser, "reassign-owner", "wang.manager")
    submit(browser, "#submit-reassign")
    wait_text(browser, "#case-owner", "wang.manager")
    browser.get(f"{console.url}/appeals")
    option = wait_text(browser, "#appeal-rating option", case_id)
    assert "申诉截止 2026-10-13" in option.text  # 5 working days: holiday skipped, 调休 counted
    type_into(browser, "appeal-staff", "YB0103")
    type_into(browser, "appeal-reason", "群众对医保政策不满，非窗口服务问题")
    submit(browser, "#submit-appeal")
    wait_text(browser, "#done", "申诉已登记")
    appeal_id = console_appeal_id(browser)
    # The owner of the case may not decide: no form, and a crafted post is refused.
    wait_text(browser, f"#appeal-{appeal_id} .why-not", "负责人")
    client, csrf = log_in_http(console, "wang.manager")
    refused = client.post(f"/appeals/{appeal_id}/decide", data={
        "csrf": csrf, "upheld": "yes", "exclusion": "mis_rating", "reason": "自己复核"},
        headers={"Origin": console.url})
    assert refused.status_code == 409 and "case owner cannot decide" in refused.text
    assert window_3_ratings(controller) == (1, 0)
    screenshot(browser, "appeals")
    log_in(browser, console, "li.supervisor")
    browser.get(f"{console.url}/appeals")
    browser.find_element(By.ID, f"exclusion-mis_rating-{appeal_id}").click()
    type_into(browser, f"decide-reason-{appeal_id}", "调阅录像，等候时间因系统故障，属误评")
    submit(browser, f"#submit-decide-{appeal_id}")
    wait_text(browser, "#done", "已排除出统计")
    wait_text(browser, f"#appeal-{appeal_id}", "已排除")
    wait_text(browser, f"#appeal-{appeal_id}", "li.supervisor")
    screenshot(browser, "appeals-decided")
    assert window_3_ratings(controller) == (0, 1)
    assert console.history.ratings_of_day(date(2026, 9, 30)) == []
    browser.get(f"{console.url}/cases/{case_id}")
    wait_text(browser, "#case-facts", "已排除（误评）")
    assert any(e.action == "decide_appeal" and e.username == "li.supervisor"
               for e in console.store.audit())


def console_appeal_id(browser: WebDriver) -> str:
    row = browser.find_element(By.CSS_SELECTOR, "#appeal-list tbody tr")
    return str(row.get_attribute("id")).removeprefix("appeal-")
