"""The phone page's optional callback phone: a mainland mobile, checked, kept for managers only,
and it makes the bad rating's case a real-name one (回访 required)."""
from __future__ import annotations

from collections.abc import Callable

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from broker_config import LocalBroker
from console.server import ConsoleServer
from hall.controller import ControllerService
from hall.device_client import DeviceClient
from hall.protocol import messages as m
from tests.console.browser_steps import submit, wait_text
from tests.console.conftest import screenshot, set_viewport
from tests.console.test_case_pages import type_into
from tests.support import STAFF_PIN, Inbox

MakeDevice = Callable[..., tuple[DeviceClient, Inbox]]


def test_a_bad_rating_on_the_phone_may_leave_a_callback_phone_checked_and_kept_for_managers(
        browser: WebDriver, console: ConsoleServer, broker: LocalBroker,
        make_device: MakeDevice, controller: ControllerService) -> None:
    set_viewport(browser, 360, 800, mobile=True)
    kiosk, _ = make_device(broker, "kiosk-1")
    counter, _ = make_device(broker, "counter-1", m.Role.COUNTER)
    assert isinstance(counter.request(m.SignIn, window=1, staff_id="YB0101", pin=STAFF_PIN),
                      m.Accepted)
    ticket = kiosk.request(m.TakeTicket, business="enrollment")
    assert isinstance(ticket, m.TicketAnswer)
    counter.request(m.CallNext, window=1)
    counter.request(m.Finish, window=1)
    browser.get(f"{console.url}/r/{ticket.rating_token}")
    wait_text(browser, "#rating-form", "如需回访，请留下手机号（选填）")
    browser.find_element(By.ID, "level-dissatisfied").click()
    browser.find_element(By.ID, "reason-slow").click()
    type_into(browser, "callback-phone", "1380000123")
    submit(browser, "#submit-rating")
    wait_text(browser, "#error", "手机号应为 11 位数字")
    assert browser.find_element(By.ID, "callback-phone").get_attribute("value") == "1380000123"
    type_into(browser, "callback-phone", "138 0000 1234")
    screenshot(browser, "phone-rating-callback")
    submit(browser, "#submit-rating")
    wait_text(browser, "#phone-message", "感谢您的评价")
    ticket_id = ticket.ticket.ticket_id if ticket.ticket else ""
    case = controller.cases.cases.case_of_ticket(ticket_id)
    assert case is not None and case.real_name
    phone = controller.cases.cases.callback_phone(case.rating_id, "test", case.opened_at)
    assert phone == "13800001234"
    assert "13800001234" not in str(controller.store.ratings_of_day(case.opened_at.date()))
