"""A clerk reprints a citizen's slip at the counter, into the (virtual) receipt printer."""
from __future__ import annotations

from pathlib import Path

import pytest

from counter.widgets import clipped_texts
from hall.protocol import messages as m
from printer.layout import Paper
from printer.virtual import VirtualPrinter
from tests.counter.conftest import OUTPUT, save_png
from tests.counter.test_terminal import click, sign_in
from tests.support import STAFF_PIN


@pytest.fixture
def virtual_printer():
    printer = VirtualPrinter(OUTPUT / "receipts", Paper.MM80).start()
    yield printer
    printer.stop()


def _signed_in(qtbot, broker, make_counter, printer: str):
    app = make_counter(broker, window=3, printer=printer)
    sign_in(qtbot, app, "YB0103", STAFF_PIN)
    qtbot.waitUntil(lambda: app.terminal.pages.currentIndex() == 1, timeout=5_000)
    return app


def _reprint(qtbot, app, number: str) -> None:
    click(qtbot, app, app.terminal.b_reprint)
    assert app.terminal.side.currentWidget() is app.terminal.reprint_panel
    app.terminal.reprint_panel.number.setText(number)
    click(qtbot, app, app.terminal.reprint_panel.confirm)


def test_a_clerk_reprints_a_citizens_lost_slip_marked_reprint_with_its_windows_and_rating_code(
        qtbot, broker, controller, make_device, make_counter, virtual_printer):
    kiosk, _ = make_device(broker, "kiosk-1")
    ticket = kiosk.request(m.TakeTicket, business="cross_region_filing")
    app = _signed_in(qtbot, broker, make_counter, f"127.0.0.1:{virtual_printer.port}")
    qtbot.waitUntil(lambda: app.hall_info is not None, timeout=5_000)
    _reprint(qtbot, app, ticket.ticket.number.lower())
    save_png(app.terminal, "terminal-reprint-form")
    # The answer reaches the terminal through Qt's event loop: wait while it runs.
    qtbot.waitUntil(lambda: any(r.complete for r in virtual_printer.receipts), timeout=60_000)
    (slip,) = virtual_printer.wait_receipts(1)
    assert "（补打 Reprint）" in slip.lines
    assert any(ticket.ticket.number in line for line in slip.lines)
    assert any(line.startswith("办理窗口") for line in slip.lines), slip.lines
    assert slip.qr_codes and slip.qr_codes[0].endswith(ticket.rating_token)
    assert slip.png is not None and Path(slip.png).exists()
    qtbot.waitUntil(lambda: "已补打" in app.terminal.message.text(), timeout=5_000)
    assert app.terminal.side.currentIndex() == 0
    save_png(app.terminal, "terminal-reprint-done")
    assert clipped_texts(app.terminal) == []


def test_the_terminal_writes_chinese_brackets_full_width(qtbot, broker, controller, make_counter):
    app = _signed_in(qtbot, broker, make_counter, "none")
    names = [box.text() for box in app.terminal.item_checks.values()]
    assert "医疗费用手工（零星）报销" in names and not any("(" in n for n in names)


def test_the_counter_says_why_when_a_ticket_cannot_be_reprinted(
        qtbot, broker, controller, make_counter, virtual_printer):
    app = _signed_in(qtbot, broker, make_counter, f"127.0.0.1:{virtual_printer.port}")
    _reprint(qtbot, app, "Z999")
    qtbot.waitUntil(lambda: "今天没有这个号码" in app.terminal.message.text(), timeout=5_000)
    assert virtual_printer.receipts == []


def test_a_counter_without_a_printer_says_so_and_sends_nothing(
        qtbot, broker, controller, make_counter):
    app = _signed_in(qtbot, broker, make_counter, "none")
    _reprint(qtbot, app, "C001")
    assert "未配置打印机" in app.terminal.message.text()
    assert not app.session.busy
