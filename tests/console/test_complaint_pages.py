"""投诉登记 and 投诉办理 in the browser: a phone complaint read back before it is saved, first
contact within the 30-minute clock, answered and closed on time; another transferred."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from broker_config import LocalBroker
from console.server import ConsoleServer
from hall.controller import ControllerService
from hall.device_client import DeviceClient
from hall.protocol import messages as m
from tests.console.browser_steps import log_in, submit, text_of, wait_text
from tests.console.conftest import screenshot
from tests.console.test_case_pages import type_into
from tests.support import SHANGHAI, FakeClock, Inbox

MakeDevice = Callable[..., tuple[DeviceClient, Inbox]]
ID_NUMBER = "330106198503124518"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 24, 9, 30, tzinfo=SHANGHAI))


def register_by_phone(browser: WebDriver, console: ConsoleServer, text: str) -> None:
    browser.get(f"{console.url}/complaints/new")
    Select(browser.find_element(By.ID, "complaint-channel")).select_by_value("phone")
    Select(browser.find_element(By.ID, "complaint-category")).select_by_value("attitude")
    type_into(browser, "complaint-name", "张三")
    type_into(browser, "complaint-id", ID_NUMBER)
    type_into(browser, "complaint-phone", "13912345678")
    type_into(browser, "complaint-event", "11月20日上午10点左右")
    Select(browser.find_element(By.ID, "complaint-business")).select_by_value("enrollment")
    browser.find_element(By.ID, "complaint-reason-rude").click()
    type_into(browser, "complaint-text", text)
    screenshot(browser, "complaint-new")
    submit(browser, "#check-complaint")
    wait_text(browser, "#read-back", "请向投诉人复述确认")


def test_a_phone_complaint_is_read_back_saved_contacted_in_time_answered_and_closed(
        browser: WebDriver, console: ConsoleServer, controller: ControllerService,
        clock: FakeClock) -> None:
    log_in(browser, console, "wang.manager")
    register_by_phone(browser, console, "窗口工作人员态度生硬，要求道歉")
    assert text_of(browser, "#rb-id") == ID_NUMBER and text_of(browser, "#rb-name") == "张三"
    screenshot(browser, "complaint-read-back")
    assert controller.complaints.handling.complaints.handlings() == []  # nothing saved yet
    submit(browser, "#confirm-complaint")
    number = wait_text(browser, "#tracking-number", "TS20261124").text
    wait_text(browser, "#complaint-saved", "10:00")  # first contact due in 30 minutes
    clock.advance(minutes=12)
    browser.get(f"{console.url}/complaints")
    row = wait_text(browser, f"#complaint-{number}", "还剩 18 分钟")
    assert "电话" in row.text and "2026-12-03" in row.text  # 7 working days
    screenshot(browser, "complaints")
    browser.get(f"{console.url}/complaints/{number}")
    assert ID_NUMBER not in browser.page_source and "13912345678" not in browser.page_source
    type_into(browser, "first_contact-note", "已致电投诉人，说明将核实处理")
    submit(browser, "#submit-first_contact")
    wait_text(browser, "#done", "首次联系已记录")
    wait_text(browser, "#first-contact-clock", "按时")
    type_into(browser, "assign-handler", "zhou.manager")
    submit(browser, "#submit-assign")
    wait_text(browser, "#complaint-status", "办理中")
    type_into(browser, "finding-note", "调阅录像，工作人员解释不耐心，属实")
    submit(browser, "#submit-finding")
    wait_text(browser, "#complaint-steps", "调查核实")
    submit(browser, "#view-complaint")
    wait_text(browser, "#full-record", ID_NUMBER)
    wait_text(browser, "#full-record", "13912345678")
    assert any(e.action == "view_complaint" and number in e.detail and
               e.username == "wang.manager" for e in console.store.audit())
    screenshot(browser, "complaint-detail")
    clock.advance(days=2)
    log_in(browser, console, "wang.manager")
    browser.get(f"{console.url}/complaints/{number}")
    type_into(browser, "close-note", "已向投诉人道歉，对窗口人员批评教育")
    Select(browser.find_element(By.ID, "close-satisfaction")).select_by_value("satisfied")
    submit(browser, "#submit-close")
    wait_text(browser, "#complaint-status", "已办结")
    steps = text_of(browser, "#complaint-steps")
    assert "按时：是" in steps.split("办结")[-1]
    assert browser.find_elements(By.ID, "form-reopen")


def test_a_complaint_not_of_the_hall_is_transferred_and_a_late_first_contact_shows(
        browser: WebDriver, console: ConsoleServer, controller: ControllerService,
        clock: FakeClock) -> None:
    log_in(browser, console, "wang.manager")
    register_by_phone(browser, console, "药店拒绝刷医保卡")
    submit(browser, "#confirm-complaint")
    number = wait_text(browser, "#tracking-number", "TS").text
    clock.advance(minutes=41)
    log_in(browser, console, "li.supervisor")
    browser.get(f"{console.url}/complaints")
    row = wait_text(browser, f"#complaint-{number}", "已超时 11 分钟")
    assert "overdue" in str(row.get_attribute("class"))
    browser.get(f"{console.url}/complaints/{number}")
    assert not browser.find_elements(By.ID, "view-complaint")  # managers only
    assert not browser.find_elements(By.CSS_SELECTOR, "#complaint-forms form")
    log_in(browser, console, "wang.manager")
    browser.get(f"{console.url}/complaints/{number}")
    type_into(browser, "transfer-department", "市医保局基金监管处")
    submit(browser, "#submit-transfer")
    wait_text(browser, "#complaint-status", "已转办")
    wait_text(browser, "#complaint-steps", "市医保局基金监管处")
    screenshot(browser, "complaint-transferred")


def test_a_long_kiosk_complaint_opens_masked_and_its_full_form_comes_back_whole(
        browser: WebDriver, console: ConsoleServer, broker: LocalBroker,
        make_device: MakeDevice) -> None:
    kiosk, _ = make_device(broker, "kiosk-1")
    text = "我于上午在大厅办理异地就医备案，联系电话13912345678。" + "等候时间很长，" * 60
    filed = kiosk.request(m.FileComplaint, category=m.ComplaintCategory.HANDLING, text=text,
                          name="李四", id_number=ID_NUMBER, phone="13912345678")
    assert isinstance(filed, m.ComplaintAnswer), filed
    log_in(browser, console, "wang.manager")
    browser.get(f"{console.url}/complaints/{filed.tracking_number}")
    shown = wait_text(browser, "#complaint-text", "139****5678").text
    assert "13912345678" not in shown and ID_NUMBER not in browser.page_source
    submit(browser, "#view-complaint")
    wait_text(browser, "#full-record", ID_NUMBER)
    assert text.strip() in text_of(browser, "#full-record")
