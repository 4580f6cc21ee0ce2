"""Taking tickets at the kiosk, against the real controller over the real broker."""
from __future__ import annotations

from hall.protocol import messages as m
from kiosk.screen_state import Purpose, Screen
from tests.kiosk.conftest import shown_texts, tap, wait_screen
from tests.support import STAFF_PIN


def test_a_citizen_takes_a_ticket_by_category_then_item_and_the_slip_prints(
        qtbot, broker, controller, make_kiosk, kiosk_printer, virtual_printer):
    kiosk = make_kiosk(broker, printer=kiosk_printer)
    tap(qtbot, kiosk, "取号")
    wait_screen(qtbot, kiosk, Screen.CATEGORIES)
    tap(qtbot, kiosk, "异地就医备案")  # a category of one item
    wait_screen(qtbot, kiosk, Screen.TICKET)
    ticket = kiosk.view_model.state.ticket
    assert (ticket.number, ticket.people_ahead, ticket.printed) == ("C001", 0, True)
    assert "您已领取 C001 号，前方等待 0 人" in shown_texts(kiosk)
    receipt = virtual_printer.wait_receipts(1)[0]
    assert "您已领取 C001 号，前方等待 0 人" in receipt.lines
    assert receipt.qr_codes and "/r/r1." in receipt.qr_codes[0]


def test_the_priority_lane_issues_a_marked_priority_ticket(
        qtbot, broker, controller, make_kiosk, kiosk_printer, virtual_printer):
    kiosk = make_kiosk(broker, printer=kiosk_printer)
    tap(qtbot, kiosk, "绿色通道")
    wait_screen(qtbot, kiosk, Screen.PRIORITY_REASONS)
    tap(qtbot, kiosk, "70岁以上老人")
    tap(qtbot, kiosk, "待遇申请")
    tap(qtbot, kiosk, "门诊慢特病待遇认定")
    wait_screen(qtbot, kiosk, Screen.TICKET)
    assert kiosk.view_model.state.ticket.kind == "priority"
    assert "【绿色通道】" in shown_texts(kiosk)
    lines = virtual_printer.wait_receipts(1)[0].lines
    assert "【绿色通道 Priority】" in lines and "70岁以上老人" in lines


def test_without_the_controller_the_kiosk_says_so_and_prints_no_number(
        qtbot, broker, make_kiosk, kiosk_printer, virtual_printer):
    kiosk = make_kiosk(broker, printer=kiosk_printer, request_timeout_s=0.5)
    tap(qtbot, kiosk, "取号")
    tap(qtbot, kiosk, "查询打印")
    tap(qtbot, kiosk, "参保缴费凭证打印")
    assert kiosk.view_model.state.screen is Screen.BUSY
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert kiosk.view_model.state.notice.key == "unreachable"
    assert any("系统暂时无法连接，没有为您办理" in t for t in shown_texts(kiosk))
    assert virtual_printer.receipts == [] and kiosk_printer.receipt_printer.pending() == []


def test_a_closed_hall_is_explained_politely(qtbot, broker, make_controller, make_kiosk):
    make_controller(broker, open_hall=False)
    kiosk = make_kiosk(broker)
    qtbot.waitUntil(lambda: not kiosk.view_model.state.hall.is_open, timeout=5000)
    tap(qtbot, kiosk, "办事指南")
    assert any("现在不是取号时间" in t for t in shown_texts(kiosk))
    # Should a ticket be asked for all the same (the hall closed a moment ago), the
    # controller's refusal is explained.
    kiosk.view_model.start(Purpose.TICKET)
    kiosk.view_model.choose_item("enrollment")
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert kiosk.view_model.state.notice.key == "hall_closed"


def test_hall_status_shows_waiting_counts_waits_and_open_windows(
        qtbot, broker, controller, make_kiosk, make_device):
    other, _ = make_device(broker, "kiosk-2")
    counter, _ = make_device(broker, "counter-3", m.Role.COUNTER)
    counter.request(m.SignIn, window=3, staff_id="YB0103", pin=STAFF_PIN)
    for _ in range(2):
        other.request(m.TakeTicket, business="cross_region_filing")
    kiosk = make_kiosk(broker)
    tap(qtbot, kiosk, "大厅状态")
    qtbot.waitUntil(lambda: kiosk.view_model.state.hall.waiting("cross_region_filing") == 2,
                    timeout=5000)
    lines = "\n".join(shown_texts(kiosk)).splitlines()
    line = next(line for line in lines if line.startswith("C  异地就医备案："))
    assert line.startswith("C  异地就医备案：等候 2 人，")
    qtbot.waitUntil(lambda: "当前开放窗口：3" in shown_texts(kiosk), timeout=5000)
