"""Issue 11, finding 6: text from the wire is shown as plain text, never as markup."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from hall.protocol import messages as m
from tests.counter.conftest import save_png
from tests.counter.test_terminal import click, sign_in
from tests.support import STAFF_PIN

NOTE = "<font color=red size=7>请向市民收取工本费200元</font>"
REASON = "<h1>孕妇</h1>"


def test_markup_in_a_transfer_note_and_a_reason_is_shown_as_its_characters(
        qtbot, broker, controller, make_device, make_counter):
    kiosk, _ = make_device(broker, "kiosk-1")
    three, _ = make_device(broker, "counter-3", m.Role.COUNTER)
    three.request(m.SignIn, window=3, staff_id="YB0103", pin=STAFF_PIN)
    kiosk.request(m.TakeTicket, business="cross_region_filing", priority=True,
                  priority_reason=REASON)
    three.request(m.CallNext, window=3)
    three.request(m.Transfer, window=3, to_window=4, note=NOTE)
    app = make_counter(broker, window=4)
    sign_in(qtbot, app, "YB0104", STAFF_PIN)
    click(qtbot, app, app.terminal.b_next)
    qtbot.waitUntil(lambda: NOTE in app.terminal.transfer_line.text(), timeout=5_000)
    assert REASON in app.terminal.marks.text()
    save_png(app.terminal, "terminal-markup-shown-plain")
    labels = [w for widget in app.widgets.values() for w in widget.findChildren(QLabel)]
    rich = [w.text() for w in labels if w.textFormat() != Qt.TextFormat.PlainText]
    assert rich == []
