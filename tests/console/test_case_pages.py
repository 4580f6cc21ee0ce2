"""差评整改 in the browser: a bad rating from a pad becomes a case a manager takes round the loop."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from broker_config import LocalBroker
from console.server import ConsoleServer
from hall.controller import ControllerService
from hall.device_client import DeviceClient
from hall.protocol import messages as m
from tests.console.browser_steps import WAIT_S, log_in, submit, wait_text
from tests.console.conftest import screenshot, set_viewport
from tests.support import SHANGHAI, STAFF_PIN, FakeClock, Inbox

MakeDevice = Callable[..., tuple[DeviceClient, Inbox]]


@pytest.fixture
def clock() -> FakeClock:
    """The eve of the 2026 National Day holiday (a Wednesday): deadlines cross it."""
    return FakeClock(datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI))


def rate_badly_on_the_pad(broker: LocalBroker, make_device: MakeDevice, *,
                          phone: str = "13800001234", window: int = 3,
                          staff_id: str = "YB0103", business: str = "cross_region_filing"
                          ) -> tuple[m.TicketAnswer, m.Accepted]:
    kiosk, _ = make_device(broker, f"kiosk-{window}")
    counter, _ = make_device(broker, f"counter-{window}", m.Role.COUNTER)
    pad, _ = make_device(broker, f"pad-{window}", m.Role.COUNTER)
    assert isinstance(counter.request(m.SignIn, window=window, staff_id=staff_id,
                                      pin=STAFF_PIN), m.Accepted)
    ticket = kiosk.request(m.TakeTicket, business=business)
    assert isinstance(ticket, m.TicketAnswer) and ticket.ticket is not None
    counter.request(m.CallNext, window=window)
    counter.request(m.Finish, window=window)
    rated = pad.request(m.SubmitRating, ticket_id=ticket.ticket.ticket_id,
                        level=m.RatingLevel.VERY_DISSATISFIED, reasons=("long_wait",),
                        callback_phone=phone)
    assert isinstance(rated, m.Accepted), rated
    return ticket, rated


def case_id_of(controller: ControllerService, rating_id: str) -> str:
    case = controller.cases.cases.case_of_rating(rating_id)
    assert case is not None
    return case.case_id


def type_into(browser: WebDriver, element_id: str, text: str) -> None:
    box = browser.find_element(By.ID, element_id)
    box.clear()
    box.send_keys(text)


def test_a_bad_rating_from_the_pad_goes_round_the_loop_in_the_browser(
        browser: WebDriver, console: ConsoleServer, broker: LocalBroker,
        make_device: MakeDevice, controller: ControllerService, clock: FakeClock) -> None:
    ticket, rated = rate_badly_on_the_pad(broker, make_device)
    case_id = case_id_of(controller, rated.rating_id)
    log_in(browser, console, "wang.manager")
    browser.get(f"{console.url}/cases")
    row = wait_text(browser, f"#case-{case_id}", "待回访")
    assert "非常不满意" in row.text and "YB0103" in row.text and "2026-09-30" in row.text
    browser.get(f"{console.url}/cases/{case_id}")
    wait_text(browser, "#case-state", "待回访")
    assert not browser.find_elements(By.ID, "form-verify")  # a real-name case: callback first
    submit(browser, "#show-phone")
    wait_text(browser, "#phone-shown", "13800001234")
    assert any(e.action == "view_callback_phone" and case_id in e.detail
               for e in console.store.audit())
    type_into(browser, "callback-said", "等了一个多小时，希望高峰时多开窗口")
    submit(browser, "#submit-callback")
    wait_text(browser, "#done", "回访已记录")
    wait_text(browser, "#case-state", "待核实")
    wait_text(browser, "#case-steps", "wang.manager")
    type_into(browser, "verify-note", "调取叫号记录，确认等候 70 分钟")
    submit(browser, "#submit-verify")
    wait_text(browser, "#case-state", "整改中")
    clock.set(datetime(2026, 10, 8, 9, 30, tzinfo=SHANGHAI))
    log_in(browser, console, "wang.manager")  # eight days later: the idle session has ended
    browser.get(f"{console.url}/cases/{case_id}")
    browser.find_element(By.ID, "measure-with_deadline").click()
    browser.execute_script("document.getElementById('rectify-due').value = '2026-10-10'")
    type_into(browser, "rectify-plan", "高峰时段增开弹性窗口")
    submit(browser, "#submit-rectify")
    wait_text(browser, "#done", "整改已记录")
    wait_text(browser, "#case-facts", "限期整改，期限 2026-10-10")
    screenshot(browser, "case-rectify")
    clock.set(datetime(2026, 10, 10, 11, 0, tzinfo=SHANGHAI))  # the 调休 Saturday
    log_in(browser, console, "wang.manager")
    browser.get(f"{console.url}/cases/{case_id}")
    submit(browser, "#submit-complete")
    wait_text(browser, "#case-state", "待反馈")
    type_into(browser, "feedback-note", "已电话告知整改结果")
    submit(browser, "#submit-feedback")
    wait_text(browser, "#case-state", "待追评")
    follow_up_on_the_phone(browser, console, ticket.rating_token, clock)
    log_in(browser, console, "wang.manager")
    browser.get(f"{console.url}/cases/{case_id}")
    wait_text(browser, "#case-facts", "追评")
    wait_text(browser, "#case-steps", "群众")
    submit(browser, "#submit-close")
    wait_text(browser, "#case-state", "已办结")
    steps = browser.find_element(By.ID, "case-steps").text
    for word in ("立案", "回访", "核实", "整改", "整改完成", "反馈", "办结"):
        assert word in steps
    screenshot(browser, "case-closed")


def follow_up_on_the_phone(browser: WebDriver, console: ConsoleServer, token: str,
                           clock: FakeClock) -> None:
    """The citizen scans the receipt's QR again days later: one 追评, then a polite 'done'."""
    clock.set(datetime(2026, 10, 12, 9, 0, tzinfo=SHANGHAI))
    set_viewport(browser, 360, 800, mobile=True)
    try:
        head, signature = token.rsplit(".", 1)
        forged = f"{head}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
        browser.get(f"{console.url}/r/{forged}")
        wait_text(browser, "#phone-message", "无法识别此二维码")
        assert not browser.find_elements(By.ID, "follow-up"), "a forged code saw the 追评 form"
        browser.get(f"{console.url}/r/{token}")
        wait_text(browser, "#follow-up", "请对整改结果追评")
        browser.find_element(By.ID, "follow-level-satisfied").click()
        type_into(browser, "follow-comment", "高峰时段窗口多了，满意")
        screenshot(browser, "phone-follow-up")
        submit(browser, "#submit-follow-up")
        wait_text(browser, "#phone-message", "感谢您的追评")
        browser.get(f"{console.url}/r/{token}")
        wait_text(browser, "#phone-message", "您已追评过本次服务")
        screenshot(browser, "phone-follow-up-done")
    finally:
        set_viewport(browser, 1920, 1080)


def test_an_overdue_case_stands_out_first_in_the_list_with_its_due_date(
        browser: WebDriver, console: ConsoleServer, broker: LocalBroker,
        make_device: MakeDevice, controller: ControllerService, clock: FakeClock) -> None:
    _, first = rate_badly_on_the_pad(broker, make_device)
    _, second = rate_badly_on_the_pad(broker, make_device, window=2, staff_id="YB0102",
                                     business="enrollment")
    late, fresh = case_id_of(controller, first.rating_id), case_id_of(controller, second.rating_id)
    manager, _ = make_device(broker, "console-7", m.Role.CONSOLE, user="manager")
    called = manager.request(m.RecordCallback, case_id=fresh, actor="wang.manager",
                             channel="phone", reached=True, said="已致歉")
    assert isinstance(called, m.LoopAnswer), called
    clock.set(datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI))
    # The controller's sweep raises the overdue alert; the cases page shows it.
    WebDriverWait(browser, WAIT_S, poll_frequency=0.05).until(lambda _: any(
        a.kind == "case_overdue" and late in a.message_zh for a in console.live.snapshot().alerts))
    log_in(browser, console, "li.supervisor")
    browser.get(f"{console.url}/cases")
    wait_text(browser, "#loop-alerts", f"差评整改 {late}")
    row = wait_text(browser, f"#case-{late}", "已超期")
    assert "overdue" in str(row.get_attribute("class"))
    assert "2026-09-30" in row.text  # callback due the day of the rating
    rows = browser.find_elements(By.CSS_SELECTOR, "#case-list tbody tr")
    assert [r.get_attribute("id") for r in rows] == [f"case-{late}", f"case-{fresh}"]
    assert "已超期" not in browser.find_element(By.ID, f"case-{fresh}").text
    screenshot(browser, "cases-overdue")
    browser.get(f"{console.url}/cases?show=open&window=2")
    wait_text(browser, "#case-list", fresh)
    assert late not in browser.find_element(By.ID, "case-list").text
    browser.get(f"{console.url}/cases/{late}")
    wait_text(browser, "#case-overdue", "已超期")
    assert not browser.find_elements(By.CSS_SELECTOR, "#case-forms form")  # reads only
    assert not browser.find_elements(By.ID, "show-phone")  # no personal data for a supervisor
