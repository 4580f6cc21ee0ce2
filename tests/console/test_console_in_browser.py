"""The console in Debian's headless Chromium, against a real controller and Mosquitto."""
from __future__ import annotations

import json
from collections.abc import Callable

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from broker_config import LocalBroker
from console.server import ConsoleServer
from hall.controller import ControllerService
from hall.device_client import DeviceClient
from hall.protocol import messages as m
from tests.console.browser_steps import log_in, submit, text_of, wait_text
from tests.console.conftest import screenshot
from tests.support import STAFF_PIN, FakeClock, Inbox

MakeDevice = Callable[..., tuple[DeviceClient, Inbox]]


def test_a_manager_logs_in_and_sees_the_live_hall(
        browser: WebDriver, console: ConsoleServer, broker: LocalBroker,
        make_device: MakeDevice) -> None:
    kiosk, _ = make_device(broker, "kiosk-1")
    counter, _ = make_device(broker, "counter-2", m.Role.COUNTER)
    assert isinstance(counter.request(m.SignIn, window=2, staff_id="YB0102", pin=STAFF_PIN),
                      m.Accepted)
    for business in ("enrollment", "enrollment", "info_change", "chronic_disease"):
        assert isinstance(kiosk.request(m.TakeTicket, business=business), m.TicketAnswer)
    assert isinstance(counter.request(m.CallNext, window=2), m.Accepted)
    browser.get(f"{console.url}/hall")
    assert "/login" in browser.current_url  # no session: the login page first
    screenshot(browser, "login")
    log_in(browser, console, "wang.manager")
    wait_text(browser, "#window-2", "A001")
    wait_text(browser, "#business-enrollment .waiting", "1")
    wait_text(browser, "#window-2", "李建国")
    assert "取号" in text_of(browser, "#live-figures")
    # The day's charts show the four tickets (they once stayed empty: see hall_live.chart_data).
    charts = json.loads(browser.find_element(By.CSS_SELECTOR, "[data-charts]")
                        .get_attribute("data-charts") or "{}")
    assert sum(charts["issued"]) == 4 and charts["waiting"][-1] == 3
    assert browser.find_elements(By.CSS_SELECTOR, "#chart-issued canvas, #chart-issued svg")
    screenshot(browser, "hall")


def test_the_hall_page_updates_itself_when_the_controller_publishes(
        browser: WebDriver, console: ConsoleServer, broker: LocalBroker,
        make_device: MakeDevice) -> None:
    kiosk, _ = make_device(broker, "kiosk-1")
    log_in(browser, console, "wang.manager")
    wait_text(browser, "#business-chronic_disease .waiting", "0")
    version = browser.find_element(By.TAG_NAME, "body").get_attribute("data-version")
    kiosk.request(m.TakeTicket, business="chronic_disease")
    wait_text(browser, "#business-chronic_disease .waiting", "1")
    assert browser.find_element(By.TAG_NAME, "body").get_attribute("data-version") != version


def test_a_wrong_password_is_refused_and_repeated_ones_lock_the_account_with_an_alert(
        browser: WebDriver, console: ConsoleServer) -> None:
    log_in(browser, console, "wang.manager", "not-the-password")
    wait_text(browser, ".error", "用户名或密码错误")
    assert browser.find_element(By.ID, "username").get_attribute("value") == "wang.manager"
    for _ in range(4):
        log_in(browser, console, "wang.manager", "still-not-it")
    wait_text(browser, ".error", "已暂时锁定")
    log_in(browser, console, "wang.manager")  # the right password, but locked
    wait_text(browser, ".error", "已暂时锁定")
    screenshot(browser, "login-locked")
    alerts = console.live.snapshot().alerts
    assert any(a.kind == "console_login_locked" and a.source == "wang.manager" for a in alerts)
    log_in(browser, console, "li.supervisor")
    wait_text(browser, "#live-alerts", "wang.manager")
    actions = [e.action for e in console.store.audit()]
    assert actions.count("login_wrong") == 4 and "login_locked" in actions


def test_a_supervisor_sees_everything_and_can_change_nothing(
        browser: WebDriver, console: ConsoleServer, controller: ControllerService) -> None:
    log_in(browser, console, "li.supervisor")
    wait_text(browser, "nav", "操作日志")
    for path in ("/operations", "/notices", "/clerks"):
        browser.get(f"{console.url}{path}")
        assert not browser.find_elements(By.CSS_SELECTOR, "main form"), path
    csrf = browser.find_element(By.CSS_SELECTOR, "form[action='/logout'] input[name=csrf]"
                                ).get_attribute("value")
    # The forms are not shown; a crafted one with a valid token is refused all the same.
    browser.execute_script(
        "const f = document.createElement('form'); f.method = 'post';"
        "f.action = '/operations/issuing';"
        "for (const [k, v] of [['csrf', arguments[0]], ['issuing', 'close']]) {"
        "  const i = document.createElement('input'); i.name = k; i.value = v; f.appendChild(i); }"
        "document.body.appendChild(f); f.submit();", csrf)
    wait_text(browser, "#denied", "无权")
    assert controller.state.is_open
    assert "denied" in [e.action for e in console.store.audit()]


def test_it_staff_see_devices_but_not_clerks_or_notices(
        browser: WebDriver, console: ConsoleServer) -> None:
    log_in(browser, console, "zhao.it")
    nav = wait_text(browser, "nav", "设备").text
    assert "窗口人员" not in nav and "公告" not in nav
    browser.get(f"{console.url}/clerks")
    wait_text(browser, "#denied", "无权")


def test_a_notice_pushed_in_the_browser_arrives_on_the_walls_topic_and_can_be_edited_and_retracted(
        browser: WebDriver, console: ConsoleServer, broker: LocalBroker,
        make_device: MakeDevice, controller: ControllerService) -> None:
    wall, inbox = make_device(broker, "wall-1", m.Role.WALL,
                              subscriptions=(controller.topics.notices,))
    log_in(browser, console, "wang.manager")
    browser.get(f"{console.url}/notices")
    browser.find_element(By.ID, "text_zh").send_keys("今日下午系统升级，16:00 后暂停办理异地就医备案")
    browser.find_element(By.ID, "text_en").send_keys("System upgrade this afternoon")
    browser.find_element(By.ID, "urgent").click()
    wait_text(browser, "#preview", "【紧急通知】今日下午系统升级")
    screenshot(browser, "notices-preview")
    submit(browser, "#push-notice")
    wait_text(browser, "#done", "公告已发布")
    _, board = inbox.wait_for(lambda t, msg: isinstance(msg, m.Notices) and any(
        "系统升级" in n.text_zh and n.urgent for n in msg.notices))
    assert isinstance(board, m.Notices)
    notice_id = board.notices[-1].notice_id
    wait_text(browser, "#notice-list", "系统升级")
    screenshot(browser, "notices")
    browser.get(f"{console.url}/notices/{notice_id}/edit")
    box = browser.find_element(By.ID, "text_zh")
    box.clear()
    box.send_keys("今日下午系统升级，16:30 后暂停办理异地就医备案")
    submit(browser, "#save-notice")
    wait_text(browser, "#done", "公告已修改")
    inbox.wait_for(lambda t, msg: isinstance(msg, m.Notices) and [
        n.text_zh for n in msg.notices] == ["今日下午系统升级，16:30 后暂停办理异地就医备案"])
    submit(browser, "#notice-list button.danger")
    wait_text(browser, "#done", "公告已撤下")
    inbox.wait_for(lambda t, msg: isinstance(msg, m.Notices) and not msg.notices)


def test_an_empty_notice_is_refused_in_plain_words_and_the_form_keeps_what_was_typed(
        browser: WebDriver, console: ConsoleServer) -> None:
    log_in(browser, console, "wang.manager")
    browser.get(f"{console.url}/notices")
    browser.find_element(By.ID, "text_zh").send_keys("   ")
    browser.find_element(By.ID, "text_en").send_keys("English only")
    browser.execute_script("document.getElementById('text_zh').removeAttribute('required')")
    submit(browser, "#push-notice")
    wait_text(browser, "#error", "公告内容或时间不正确")
    assert browser.find_element(By.ID, "text_en").get_attribute("value") == "English only"


def test_closing_the_hall_in_the_browser_stops_new_tickets_and_keeps_the_queue(
        browser: WebDriver, console: ConsoleServer, broker: LocalBroker,
        make_device: MakeDevice, controller: ControllerService) -> None:
    kiosk, _ = make_device(broker, "kiosk-1")
    kiosk.request(m.TakeTicket, business="enrollment")
    log_in(browser, console, "wang.manager")
    browser.get(f"{console.url}/operations")
    submit(browser, "#close-issuing")
    wait_text(browser, "#done", "已停止取号")
    screenshot(browser, "operations")
    refused = kiosk.request(m.TakeTicket, business="enrollment")
    assert isinstance(refused, m.Rejected) and refused.code == "hall_closed"
    assert len([t for t in controller.state.tickets.values() if t.status == "waiting"]) == 1
    browser.get(f"{console.url}/hall")
    wait_text(browser, "main", "暂停取号")
    browser.get(f"{console.url}/operations")
    submit(browser, "#open-issuing")
    wait_text(browser, "#done", "已开始取号")
    assert isinstance(kiosk.request(m.TakeTicket, business="enrollment"), m.TicketAnswer)
    assert [e.action for e in console.store.audit()][:2] == ["open_hall", "close_hall"]


def test_a_device_going_offline_appears_live_and_raises_an_alert_when_away_too_long(
        browser: WebDriver, console: ConsoleServer, broker: LocalBroker,
        make_device: MakeDevice, clock: FakeClock) -> None:
    kiosk, _ = make_device(broker, "kiosk-7")
    log_in(browser, console, "zhao.it")
    browser.get(f"{console.url}/devices")
    wait_text(browser, "#device-kiosk-7", "在线")
    kiosk.set_status(m.DeviceStatus.ALERT, "打印机缺纸")
    wait_text(browser, "#device-kiosk-7", "打印机缺纸")
    kiosk.stop()
    wait_text(browser, "#device-kiosk-7", "离线")
    screenshot(browser, "devices")
    clock.advance(minutes=6)
    browser.get(f"{console.url}/hall")
    wait_text(browser, "#live-alerts", "设备 kiosk-7 已离线 6 分钟")
    wait_text(browser, "#live-alerts", "打印机缺纸")


def test_a_clerks_pin_is_reset_in_the_browser_and_a_sign_in_lock_is_lifted(
        browser: WebDriver, console: ConsoleServer, broker: LocalBroker,
        make_device: MakeDevice) -> None:
    counter, _ = make_device(broker, "counter-3", m.Role.COUNTER)
    for attempt in range(5):
        counter.request(m.SignIn, window=3, staff_id="YB0101", pin=f"97531{attempt}")
    log_in(browser, console, "wang.manager")
    browser.get(f"{console.url}/clerks")
    wait_text(browser, "#clerk-YB0101", "3 号窗口")
    screenshot(browser, "clerks")
    submit(browser, "#unlock-YB0101")
    wait_text(browser, "#done", "登录锁定已解除")
    assert isinstance(counter.request(m.SignIn, window=3, staff_id="YB0101", pin=STAFF_PIN),
                      m.Accepted)
    submit(browser, "#reset-YB0102")
    new_pin = wait_text(browser, "#new-pin", "新密码").find_element(By.TAG_NAME, "b").text
    assert new_pin.isdigit() and len(new_pin) == 6
    other, _ = make_device(broker, "counter-4", m.Role.COUNTER)
    assert isinstance(other.request(m.SignIn, window=4, staff_id="YB0102", pin=new_pin),
                      m.Accepted)
    assert new_pin not in " ".join(e.detail for e in console.store.audit())


def test_the_audit_log_shows_who_did_what_from_where(
        browser: WebDriver, console: ConsoleServer) -> None:
    log_in(browser, console, "wang.manager")
    browser.get(f"{console.url}/audit")
    row = wait_text(browser, "#audit-list", "login")
    assert "wang.manager" in row.text and "127.0.0.1" in row.text
    screenshot(browser, "audit")


def test_a_manager_stops_one_business_for_today_on_the_issuing_page_and_it_is_audited(
        browser: WebDriver, console: ConsoleServer, broker: LocalBroker,
        make_device: MakeDevice, controller: ControllerService) -> None:
    from selenium.webdriver.support.ui import Select

    kiosk, _ = make_device(broker, "kiosk-1")
    log_in(browser, console, "wang.manager")
    browser.get(f"{console.url}/operations")
    row = wait_text(browser, "#cutoff-chronic_disease", "可取号")
    Select(row.find_element(By.CSS_SELECTOR, "select")).select_by_value("stop")
    row.find_element(By.CSS_SELECTOR, "button").click()
    wait_text(browser, "#done", "今日停止取号")
    refused = kiosk.request(m.TakeTicket, business="chronic_disease")
    assert isinstance(refused, m.Rejected) and refused.code == "cut_off"
    browser.get(f"{console.url}/operations")
    wait_text(browser, "#cutoff-chronic_disease .cutoff-mode", "今日停止取号")
    wait_text(browser, "#cutoff-chronic_disease", "管理员已停止")
    screenshot(browser, "operations_cutoff")
    assert "set_issuing_cutoff" in [e.action for e in console.store.audit()]
