"""The clerk's terminal driven like a clerk would, against the real controller and broker."""
from __future__ import annotations

from PySide6.QtCore import Qt

from counter.widgets import clipped_texts
from hall.protocol import messages as m
from tests.counter.conftest import save_png
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
    qtbot.waitUntil(lambda: "等候 2 人" in app.terminal.queue_lines.text(), timeout=5_000)
    click(qtbot, app, app.terminal.b_next)
    qtbot.waitUntil(lambda: app.terminal.number.text() == "C001", timeout=5_000)
    assert app.terminal.item_checks["cross_region_filing"].isChecked()
    click(qtbot, app, app.terminal.b_recall)
    qtbot.waitUntil(lambda: "已呼叫 2 次" in app.terminal.times.text(), timeout=5_000)
    app.terminal.item_checks["relationship_transfer"].setChecked(True)
    save_png(app.terminal, "terminal-serving")
    assert clipped_texts(app.terminal) == []
    click(qtbot, app, app.terminal.b_finish)
    qtbot.waitUntil(lambda: app.terminal.number.text() == "—", timeout=5_000)
    finished = controller.store.ticket(next(iter(
        t for t in controller.state.tickets.values() if str(t.number) == "C001")).ticket_id)
    assert finished.items == ("cross_region_filing", "relationship_transfer")
