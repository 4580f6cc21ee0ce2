"""The clerk's terminal driven like a clerk would, against the real controller and broker."""
from __future__ import annotations

from PySide6.QtCore import Qt

from counter.widgets import clipped_texts
from hall.protocol import messages as m
from tests.counter.conftest import plain, save_png
from tests.support import STAFF_PIN


def click(qtbot, app, widget) -> None:
    """Click as a clerk does: once the previous action is confirmed."""
    qtbot.waitUntil(lambda: not app.session.busy and widget.isEnabled(), timeout=5_000)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def sign_in(qtbot, app, staff_id: str, pin: str) -> None:
    page = app.terminal.sign_in_page
    page.staff.setText(staff_id)
    page.pin.setText(pin)
    click(qtbot, app, page.submit)


def test_a_clerk_signs_in_calls_recalls_and_finishes_with_batch_items(
        qtbot, broker, controller, make_device, make_counter):
    kiosk, _ = make_device(broker, "kiosk-1")
    app = make_counter(broker, window=3)
    save_png(app.terminal, "terminal-sign-in")
    sign_in(qtbot, app, "YB0103", STAFF_PIN)
    qtbot.waitUntil(lambda: app.terminal.pages.currentIndex() == 1, timeout=5_000)
    assert app.terminal.staff.text() == "张敏 YB0103"
    kiosk.request(m.TakeTicket, business="cross_region_filing")
    kiosk.request(m.TakeTicket, business="cross_region_filing")
    qtbot.waitUntil(lambda: "等候 2 人" in app.terminal.queue_panel.text(), timeout=5_000)
    click(qtbot, app, app.terminal.b_next)
    qtbot.waitUntil(lambda: app.terminal.number.text() == "C001", timeout=5_000)
    assert app.terminal.item_checks["cross_region_filing"].isChecked()
    click(qtbot, app, app.terminal.b_recall)
    qtbot.waitUntil(lambda: "已呼叫 2 次" in app.terminal.times.text(), timeout=5_000)
    app.terminal.item_checks["relationship_transfer"].setChecked(True)
    save_png(app.terminal, "terminal-serving")
    assert clipped_texts(app.terminal) == []
    assert app.terminal.b_primary.text().startswith("办结")
    click(qtbot, app, app.terminal.b_primary)
    qtbot.waitUntil(lambda: app.terminal.number.text() == "—", timeout=5_000)
    # The next citizen starts with nothing ticked from the last one.
    assert not any(box.isChecked() for box in app.terminal.item_checks.values())
    assert app.terminal.b_primary.text().startswith("呼叫下一位")
    finished = controller.store.ticket(next(iter(
        t for t in controller.state.tickets.values() if str(t.number) == "C001")).ticket_id)
    assert finished.items == ("cross_region_filing", "relationship_transfer")


def test_five_wrong_pins_lock_the_terminal_and_say_so(qtbot, broker, controller, make_counter):
    app = make_counter(broker, window=2)
    for attempt in range(5):
        sign_in(qtbot, app, "YB0102", f"97531{attempt}")
        qtbot.waitUntil(lambda: not app.session.busy, timeout=5_000)
    assert "锁定" in app.terminal.sign_in_page.message.text()
    sign_in(qtbot, app, "YB0102", STAFF_PIN)
    qtbot.waitUntil(lambda: not app.session.busy, timeout=5_000)
    assert "锁定" in app.terminal.sign_in_page.message.text()
    assert app.terminal.pages.currentIndex() == 0
    assert app.terminal.sign_in_page.pin.text() == ""
    save_png(app.terminal, "terminal-locked")


def test_pause_with_a_reason_shows_on_the_pad_and_window_screen_then_resume(
        qtbot, broker, controller, make_counter):
    app = make_counter(broker, window=3)
    sign_in(qtbot, app, "YB0103", STAFF_PIN)
    qtbot.waitUntil(lambda: app.terminal.pages.currentIndex() == 1, timeout=5_000)
    click(qtbot, app, app.terminal.b_pause)
    assert app.terminal.side.currentIndex() == 2
    lunch = next(b for b in app.terminal.side.currentWidget().findChildren(type(app.terminal.b_pause))
                 if b.text().startswith("午休"))
    click(qtbot, app, lunch)
    qtbot.waitUntil(lambda: "午休" in plain(app.screen.sign.text()), timeout=5_000)
    assert "午休" in app.pad.idle_status.text()
    assert "午休" in app.terminal.status.text()
    save_png(app.screen, "window-screen-paused")
    assert clipped_texts(app.screen) == []
    assert app.screen.sign.font().pixelSize() >= 56
    assert_window_number_uncovered(app.screen)
    qtbot.waitUntil(lambda: app.terminal.b_primary.text().startswith("恢复服务"), timeout=5_000)
    save_png(app.terminal, "terminal-paused")
    assert clipped_texts(app.terminal) == []
    click(qtbot, app, app.terminal.b_primary)
    qtbot.waitUntil(lambda: app.screen.sign.text() == "", timeout=5_000)
    assert app.terminal.b_primary.text().startswith("呼叫下一位")


def test_transfer_park_no_show_and_requeue_from_the_terminal(
        qtbot, broker, controller, make_device, make_counter, clock):
    kiosk, _ = make_device(broker, "kiosk-1")
    app = make_counter(broker, window=3)
    sign_in(qtbot, app, "YB0103", STAFF_PIN)
    for _ in range(3):
        kiosk.request(m.TakeTicket, business="cross_region_filing")
    click(qtbot, app, app.terminal.b_next)
    qtbot.waitUntil(lambda: app.terminal.number.text() == "C001", timeout=5_000)
    click(qtbot, app, app.terminal.b_transfer)
    app.terminal.to_window.setCurrentIndex(app.terminal.to_window.findData(4))
    app.terminal.transfer_note.setText("需补充材料")
    save_png(app.terminal, "terminal-transfer")
    confirm = next(b for b in app.terminal.side.currentWidget().findChildren(
        type(app.terminal.b_next)) if b.text() == "确认转窗")
    click(qtbot, app, confirm)
    qtbot.waitUntil(lambda: app.terminal.number.text() == "—", timeout=5_000)
    moved = controller.state.ticket_by_number(_number("C001"))
    assert (moved.target_window, moved.transfer_note) == (4, "需补充材料")

    click(qtbot, app, app.terminal.b_next)
    qtbot.waitUntil(lambda: app.terminal.number.text() == "C002", timeout=5_000)
    click(qtbot, app, app.terminal.b_park)
    qtbot.waitUntil(lambda: app.model.state.parked == ("C002",), timeout=5_000)
    click(qtbot, app, app.terminal.b_next)
    qtbot.waitUntil(lambda: app.terminal.number.text() == "C003", timeout=5_000)
    click(qtbot, app, app.terminal.b_no_show)
    qtbot.waitUntil(lambda: "过号需等待" in app.terminal.message.text(), timeout=5_000)
    clock.advance(seconds=121)
    click(qtbot, app, app.terminal.b_no_show)
    qtbot.waitUntil(lambda: app.model.state.no_shows == ("C003",), timeout=5_000)
    requeue = next(b for b in app.terminal.findChildren(type(app.terminal.b_next))
                   if b.text() == "C003" and b.objectName() != "deleted")
    click(qtbot, app, requeue)
    qtbot.waitUntil(lambda: app.model.state.no_shows == (), timeout=5_000)
    unpark = next(b for b in app.terminal.findChildren(type(app.terminal.b_next))
                  if b.text() == "C002" and b.objectName() != "deleted")
    click(qtbot, app, unpark)
    qtbot.waitUntil(lambda: app.terminal.number.text() == "C002", timeout=5_000)


def test_two_terminals_calling_at_once_never_get_the_same_ticket(
        qtbot, broker, controller, make_device, make_counter):
    kiosk, _ = make_device(broker, "kiosk-1")
    one = make_counter(broker, window=1)
    two = make_counter(broker, window=2)
    sign_in(qtbot, one, "YB0101", STAFF_PIN)
    sign_in(qtbot, two, "YB0102", STAFF_PIN)
    qtbot.waitUntil(lambda: one.terminal.pages.currentIndex() == 1
                    and two.terminal.pages.currentIndex() == 1, timeout=5_000)
    for _ in range(2):
        kiosk.request(m.TakeTicket, business="enrollment")
    qtbot.waitUntil(lambda: one.terminal.b_next.isEnabled() and two.terminal.b_next.isEnabled(),
                    timeout=5_000)
    one.terminal.b_next.click()
    two.terminal.b_next.click()
    qtbot.waitUntil(lambda: {one.terminal.number.text(), two.terminal.number.text()}
                    == {"A001", "A002"}, timeout=5_000)


def test_a_complaint_registered_at_the_window_gets_a_tracking_number(
        qtbot, broker, controller, make_counter):
    app = make_counter(broker, window=3)
    sign_in(qtbot, app, "YB0103", STAFF_PIN)
    click(qtbot, app, app.terminal.b_complaint)
    app.terminal.complaint_reasons["long_wait"].setChecked(True)
    app.terminal.complaint_phone.setText("13812345678")
    save_png(app.terminal, "terminal-complaint")
    confirm = next(b for b in app.terminal.side.currentWidget().findChildren(
        type(app.terminal.b_next)) if b.text() == "登记")
    click(qtbot, app, confirm)
    qtbot.waitUntil(lambda: "投诉已登记" in app.terminal.message.text(), timeout=5_000)
    assert "TS20261124-" in app.terminal.message.text()
    assert app.terminal.complaint_phone.text() == ""


def test_the_terminal_shows_offline_and_sends_nothing_while_the_broker_is_down(
        qtbot, private_broker, make_controller, make_counter):
    make_controller(private_broker)
    app = make_counter(private_broker, window=3)
    sign_in(qtbot, app, "YB0103", STAFF_PIN)
    qtbot.waitUntil(lambda: app.terminal.pages.currentIndex() == 1, timeout=5_000)
    private_broker.stop()
    qtbot.waitUntil(lambda: "离线" in app.terminal.link.text(), timeout=10_000)
    assert not app.terminal.b_next.isEnabled() and not app.terminal.b_primary.isEnabled()
    assert app.session.ask(m.CallNext, window=3) is False
    # The whole screen says so, and the numbers shown are marked as from before.
    assert app.terminal.offline_banner.isVisible()
    assert "离线" in app.terminal.offline_banner.text()
    assert "断线前" in app.terminal.queue_panel.title.text()
    save_png(app.terminal, "terminal-offline")
    assert clipped_texts(app.terminal) == []
    assert app.terminal.height() <= 1024  # the banner takes no room the screen does not have
    private_broker.start()
    qtbot.waitUntil(lambda: "在线" in app.terminal.link.text(), timeout=20_000)
    assert not app.terminal.offline_banner.isVisible()
    assert "断线前" not in app.terminal.queue_panel.title.text()


def test_the_sign_in_page_types_a_staff_number_with_letters_and_never_claims_offline_when_online(
        qtbot, broker, controller, make_counter):
    app = make_counter(broker, window=3)
    page = app.terminal.sign_in_page
    qtbot.waitUntil(lambda: app.terminal.link.text().endswith("Online"), timeout=5_000)
    assert not app.terminal.offline_banner.isVisible()
    assert "未连接" not in page.message.text()
    for key in "YB0103":
        qtbot.mouseClick(page.keys[key], Qt.MouseButton.LeftButton)
    assert page.staff.text() == "YB0103"
    qtbot.mouseClick(page.pin, Qt.MouseButton.LeftButton)
    for key in STAFF_PIN:
        qtbot.mouseClick(page.keys[key], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.keys["A"], Qt.MouseButton.LeftButton)  # a PIN is digits only
    assert page.pin.text() == STAFF_PIN
    save_png(app.terminal, "terminal-sign-in-typed")
    assert clipped_texts(app.terminal) == []
    click(qtbot, app, page.submit)
    qtbot.waitUntil(lambda: app.terminal.pages.currentIndex() == 1, timeout=5_000)


def test_the_general_windows_queue_list_names_each_business_and_marks_green_channel_numbers(
        qtbot, broker, controller, make_device, make_counter):
    kiosk, _ = make_device(broker, "kiosk-1")
    app = make_counter(broker, window=8)
    sign_in(qtbot, app, "YB0108", STAFF_PIN)
    for business, priority in [("enrollment", False), ("enrollment", True),
                               ("chronic_disease", False), ("account_inquiry", False),
                               ("manual_reimbursement", True), ("medical_assistance", False)]:
        kiosk.request(m.TakeTicket, business=business, priority=priority,
                      priority_reason="70岁以上老人" if priority else "")
    qtbot.waitUntil(lambda: "优先 A002" in app.terminal.queue_panel.text(), timeout=5_000)
    text = app.terminal.queue_panel.text()
    assert "参保登记：等候 2 人（绿色通道 1）" in text
    assert "优先 E001" in text and "优先 A001" not in text
    assert text.splitlines()[-1].startswith("无人等候：参保信息变更")
    save_png(app.terminal, "terminal-general-window-queue")
    assert clipped_texts(app.terminal) == []
    click(qtbot, app, app.terminal.b_next)
    qtbot.waitUntil(lambda: app.terminal.number.text() != "—", timeout=5_000)
    save_png(app.terminal, "terminal-general-window-serving")
    assert clipped_texts(app.terminal) == []
    assert app.terminal.height() <= 1024
    checks = app.terminal.item_checks
    assert len(checks) == 10 and all(box.height() >= 44 for box in checks.values())


def assert_window_number_uncovered(screen) -> None:
    """No other text of the window screen overlaps the window's number."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QLabel

    def area(widget) -> QRect:
        return QRect(widget.mapTo(screen, widget.rect().topLeft()), widget.size())

    title = area(screen.window_title)
    assert title.width() >= screen.window_title.fontMetrics().horizontalAdvance(
        screen.window_title.text())
    for other in screen.findChildren(QLabel):
        if other is not screen.window_title and other.isVisible() and other.text():
            assert not area(other).intersects(title), other.text()


def _number(text):
    from hall.core.ids import TicketNumber
    return TicketNumber(text)


def test_a_call_unanswered_while_the_controller_restarts_is_made_once_when_it_is_back(
        qtbot, broker, make_controller, make_device, make_counter):
    controller = make_controller(broker)
    kiosk, _ = make_device(broker, "kiosk-1")
    app = make_counter(broker, window=3, answer_timeout_s=1.0)
    sign_in(qtbot, app, "YB0103", STAFF_PIN)
    for _ in range(2):
        kiosk.request(m.TakeTicket, business="cross_region_filing")
    qtbot.waitUntil(lambda: app.terminal.b_next.isEnabled(), timeout=5_000)
    controller.stop()
    qtbot.waitUntil(lambda: not app.terminal.b_next.isEnabled(), timeout=5_000)
    assert "离线" in app.terminal.link.text()
    # A click that raced the controller's goodbye: sent, but nobody answers yet.
    assert app.session.ask(m.CallNext, window=3)
    qtbot.waitUntil(lambda: "未确认" in app.terminal.message.text(), timeout=5_000)
    save_png(app.terminal, "terminal-unconfirmed")
    back = make_controller(broker, open_hall=False)
    qtbot.waitUntil(lambda: app.terminal.number.text() == "C001", timeout=15_000)
    qtbot.waitUntil(lambda: not app.session.busy, timeout=5_000)
    called = [str(t.number) for t in back.state.tickets.values() if t.call_count]
    assert called == ["C001"]
    assert "在线" in app.terminal.link.text()


def test_function_keys_work_like_the_buttons_on_a_staff_pc(
        qtbot, broker, controller, make_device, make_counter):
    kiosk, _ = make_device(broker, "kiosk-1")
    app = make_counter(broker, window=3)
    sign_in(qtbot, app, "YB0103", STAFF_PIN)
    kiosk.request(m.TakeTicket, business="cross_region_filing")
    qtbot.waitUntil(lambda: app.terminal.b_next.isEnabled(), timeout=5_000)
    app.screen.activateWindow()  # the keyboard is the clerk's whichever screen was touched last
    qtbot.keyClick(app.screen.windowHandle(), Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: app.terminal.number.text() == "C001", timeout=5_000)
    qtbot.waitUntil(lambda: app.terminal.b_finish.isEnabled(), timeout=5_000)
    qtbot.keyClick(app.screen.windowHandle(), Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: app.terminal.number.text() == "—", timeout=5_000)
