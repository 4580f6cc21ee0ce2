"""The citizen's phone page behind the rating QR, at 360x800 in Debian's Chromium."""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from broker_config import LocalBroker
from console import phone
from console.server import ConsoleServer
from hall.controller import ControllerService
from hall.core.rating_token import sign_rating_token
from hall.device_client import DeviceClient
from hall.protocol import messages as m
from tests.console.browser_steps import submit, wait_text
from tests.console.conftest import screenshot, set_viewport
from tests.support import STAFF_PIN, FakeClock, Inbox

MakeDevice = Callable[..., tuple[DeviceClient, Inbox]]


@pytest.fixture
def phone_browser(browser: WebDriver, monkeypatch: pytest.MonkeyPatch) -> WebDriver:
    set_viewport(browser, 360, 800, mobile=True)
    monkeypatch.setattr(phone, "PROGRESS_REFRESH_S", 1)
    return browser


def take(kiosk: DeviceClient, business: str = "enrollment") -> m.TicketAnswer:
    answer = kiosk.request(m.TakeTicket, business=business)
    assert isinstance(answer, m.TicketAnswer), answer
    return answer


def serve(counter: DeviceClient, window: int) -> None:
    assert isinstance(counter.request(m.CallNext, window=window), m.Accepted)
    assert isinstance(counter.request(m.Finish, window=window), m.Accepted)


def test_a_citizen_follows_the_ticket_then_rates_the_service_on_the_phone(
        phone_browser: WebDriver, console: ConsoleServer, broker: LocalBroker,
        make_device: MakeDevice, controller: ControllerService) -> None:
    browser = phone_browser
    kiosk, _ = make_device(broker, "kiosk-1")
    counter, _ = make_device(broker, "counter-1", m.Role.COUNTER)
    reports, inbox = make_device(broker, "console-9", m.Role.CONSOLE, user="manager",
                                 subscriptions=(controller.topics.ratings_report,))
    assert isinstance(counter.request(m.SignIn, window=1, staff_id="YB0101", pin=STAFF_PIN),
                      m.Accepted)
    take(kiosk)
    mine = take(kiosk)
    browser.get(f"{console.url}/r/{mine.rating_token}")
    wait_text(browser, "#ahead", "您前面还有 1 人")
    assert "YB0101" not in browser.page_source and "王晓燕" not in browser.page_source
    screenshot(browser, "phone-progress")
    serve(counter, 1)
    wait_text(browser, "#ahead", "您前面还有 0 人")
    assert isinstance(counter.request(m.CallNext, window=1), m.Accepted)
    wait_text(browser, "#called", "请到 1 号窗口办理")
    screenshot(browser, "phone-called")
    assert isinstance(counter.request(m.Finish, window=1), m.Accepted)
    wait_text(browser, "#rating-form", "非常满意")
    screenshot(browser, "phone-rating")
    browser.find_element(By.CSS_SELECTOR, "label.lv-dissatisfied").click()
    submit(browser, "#submit-rating")
    wait_text(browser, "#error", "请至少选择一个原因")
    assert browser.find_element(By.ID, "level-dissatisfied").is_selected()
    browser.find_element(By.ID, "reason-other").click()
    submit(browser, "#submit-rating")
    wait_text(browser, "#error", "其他")
    screenshot(browser, "phone-rating-error")
    browser.find_element(By.ID, "comment").send_keys("叫号后等了很久才开始办理")
    submit(browser, "#submit-rating")
    wait_text(browser, "#phone-message", "感谢您的评价")
    screenshot(browser, "phone-thanks")
    _, recorded = inbox.wait_for(lambda t, msg: isinstance(msg, m.RatingRecorded))
    assert isinstance(recorded, m.RatingRecorded)
    assert (recorded.channel, recorded.level, recorded.reasons) == (
        "phone", m.RatingLevel.DISSATISFIED, ("other",))
    assert recorded.comment == "叫号后等了很久才开始办理"
    browser.get(f"{console.url}/r/{mine.rating_token}")
    wait_text(browser, "#phone-message", "该次服务已评价")
    screenshot(browser, "phone-used")
    browser.get(f"{console.url}/r/{mine.rating_token}?lang=en")
    wait_text(browser, "#phone-message", "already been rated")


def test_forged_other_hall_and_expired_codes_get_a_polite_page(
        phone_browser: WebDriver, console: ConsoleServer, broker: LocalBroker,
        make_device: MakeDevice, controller: ControllerService, clock: FakeClock) -> None:
    browser = phone_browser
    kiosk, _ = make_device(broker, "kiosk-1")
    counter, _ = make_device(broker, "counter-1", m.Role.COUNTER)
    counter.request(m.SignIn, window=1, staff_id="YB0101", pin=STAFF_PIN)
    ticket = take(kiosk)
    body, _, signature = ticket.rating_token.rpartition(".")
    forged = f"{body}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    browser.get(f"{console.url}/r/{forged}")
    wait_text(browser, "#phone-message", "无法识别此二维码")
    screenshot(browser, "phone-forged")
    other = sign_rating_token(controller.rating_key, "another-hall", ticket.ticket.ticket_id
                              if ticket.ticket else "", clock() + timedelta(days=1))
    browser.get(f"{console.url}/r/{other}")
    wait_text(browser, "#phone-message", "其他大厅")
    browser.get(f"{console.url}/r/<script>alert(1)")
    wait_text(browser, "#phone-message", "无法识别此二维码")
    serve(counter, 1)
    clock.advance(days=2)
    browser.get(f"{console.url}/r/{ticket.rating_token}")
    wait_text(browser, "#phone-message", "评价时间已过")
    screenshot(browser, "phone-expired")


def test_the_phone_page_limits_each_client_and_refuses_a_form_not_its_own(
        make_console: Callable[..., ConsoleServer], controller: ControllerService,
        broker: LocalBroker, make_device: MakeDevice) -> None:
    console = make_console(controller, phone_requests_per_min=4)
    kiosk, _ = make_device(broker, "kiosk-1")
    ticket = take(kiosk)
    with httpx.Client(base_url=console.url, timeout=10) as client:
        path = f"/r/{ticket.rating_token}"
        forged_form = client.post(path, data={"form_token": "0" * 32, "level": "satisfied"})
        assert forged_form.status_code == 403 and "无法识别" in forged_form.text
        statuses = [client.get(path).status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200] and statuses[3] == 429


def test_the_phone_page_shows_the_published_range_and_follows_the_queue(
        phone_browser: WebDriver, console: ConsoleServer, broker: LocalBroker,
        make_device: MakeDevice, controller: ControllerService, clock: FakeClock) -> None:
    browser = phone_browser
    kiosk, _ = make_device(broker, "kiosk-1")
    counter, _ = make_device(broker, "counter-1", m.Role.COUNTER)
    assert isinstance(counter.request(m.SignIn, window=1, staff_id="YB0101", pin=STAFF_PIN),
                      m.Accepted)
    for _ in range(3):
        take(kiosk)
    mine = take(kiosk)
    clock.advance(seconds=6)  # per-ticket waits go out at most every 5 s; the tick sends them
    browser.get(f"{console.url}/r/{mine.rating_token}")
    wait_text(browser, "#ahead", "您前面还有 3 人，约 ")
    wait_text(browser, "#ahead .wait", "–")  # the published range, not the lookup's point
    wait_text(browser, "#ahead .wait", "分钟")
    screenshot(browser, "phone-progress-range")
    serve(counter, 1)
    clock.advance(seconds=6)
    wait_text(browser, "#ahead", "您前面还有 2 人，约 ")
    wait_text(browser, "#ahead .wait", "–")
    browser.get(f"{console.url}/r/{mine.rating_token}?lang=en")
    wait_text(browser, "#ahead", "2 people ahead of you, about ")
