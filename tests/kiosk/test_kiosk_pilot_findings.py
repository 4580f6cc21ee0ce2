"""The pilot hall's findings at the kiosk, each against the real controller over the real broker."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from hall.core.rating_code import printed_code
from hall.protocol import messages as m
from kiosk.screen_state import Screen
from kiosk.widgets import TouchButton, plain
from printer.virtual import PaperState
from tests.kiosk.conftest import buttons, shown_texts, tap, type_keys, wait_screen
from tests.support import STAFF_PIN


def bar_buttons(kiosk) -> list[str]:
    bar = kiosk.view.findChild(QWidget, "action_bar")
    return [b.text() for b in bar.findChildren(TouchButton) if b.isVisibleTo(kiosk.view)]


def button(kiosk, label: str) -> TouchButton:
    return next(b for b in buttons(kiosk) if b.text() == label)


def test_a_hall_update_changes_numbers_in_place_and_keeps_the_scrolled_guide_and_its_print_note(
        qtbot, broker, controller, make_kiosk, make_device, kiosk_printer, virtual_printer):
    kiosk = make_kiosk(broker, printer=kiosk_printer, size=(720, 1280))
    qtbot.waitUntil(lambda: kiosk.view_model.state.hall.queue is not None, timeout=5000)
    tap(qtbot, kiosk, "大字模式")
    tap(qtbot, kiosk, "办事指南")
    tap(qtbot, kiosk, "异地就医备案")  # a category of one item
    wait_screen(qtbot, kiosk, Screen.GUIDE)
    tap(qtbot, kiosk, "打印一次性告知单")
    virtual_printer.wait_receipts(1)
    assert any("一次性告知单正在打印" in t for t in shown_texts(kiosk))
    qtbot.wait(100)  # the scroll area learns its range once laid out
    scroll = kiosk.view.body_scroll
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
    scrolled = scroll.verticalScrollBar().value()
    assert scrolled > 0
    other, _ = make_device(broker, "kiosk-2")
    other.request(m.TakeTicket, business="cross_region_filing")
    qtbot.waitUntil(lambda: kiosk.view_model.state.hall.waiting("cross_region_filing") == 1,
                    timeout=5000)
    qtbot.wait(200)
    assert kiosk.view.body_scroll is scroll, "the screen was rebuilt by a hall update"
    assert scroll.verticalScrollBar().value() == scrolled
    assert any("一次性告知单正在打印" in t for t in shown_texts(kiosk))
    assert bar_buttons(kiosk)[:2] == ["打印一次性告知单", "办理此项业务（取号）"]


def test_the_item_list_follows_the_waiting_count_without_a_rebuild(
        qtbot, broker, controller, make_kiosk, make_device):
    kiosk = make_kiosk(broker)
    qtbot.waitUntil(lambda: kiosk.view_model.state.hall.queue is not None, timeout=5000)
    tap(qtbot, kiosk, "取号")
    item = button(kiosk, "异地就医备案")  # a category of one item: the item itself
    other, _ = make_device(broker, "kiosk-2")
    for _ in range(2):
        other.request(m.TakeTicket, business="cross_region_filing")
    qtbot.waitUntil(lambda: plain(item.second) == "等候 2 人", timeout=5000)
    assert button(kiosk, "异地就医备案") is item


def test_a_closed_hall_greys_the_ticket_actions_on_the_home_screen_with_the_reason(
        qtbot, broker, make_controller, make_kiosk):
    make_controller(broker, open_hall=False)
    kiosk = make_kiosk(broker)
    qtbot.waitUntil(lambda: not kiosk.view_model.state.hall.is_open, timeout=5000)
    qtbot.waitUntil(lambda: any("暂停取号" in t or "今日取号已结束" in t
                                for t in shown_texts(kiosk)), timeout=5000)
    assert not button(kiosk, "取号").isEnabled() and not button(kiosk, "预约签到").isEnabled()
    assert button(kiosk, "办事指南").isEnabled() and button(kiosk, "评价服务").isEnabled()
    tap(qtbot, kiosk, "取号")
    assert kiosk.view_model.state.screen is Screen.HOME


def test_offline_greys_what_needs_the_hall_and_says_so_before_any_tap(
        qtbot, broker, make_controller, make_kiosk):
    first = make_controller(broker)
    kiosk = make_kiosk(broker)
    qtbot.waitUntil(lambda: button(kiosk, "取号").isEnabled(), timeout=5000)
    first.stop()
    qtbot.waitUntil(lambda: not button(kiosk, "取号").isEnabled(), timeout=5000)
    assert any("暂停取号、签到、评价和投诉" in t for t in shown_texts(kiosk))
    assert not button(kiosk, "投诉建议").isEnabled() and button(kiosk, "办事指南").isEnabled()
    make_controller(broker, open_hall=False)
    qtbot.waitUntil(lambda: button(kiosk, "取号").isEnabled(), timeout=10000)


def test_a_receipt_is_rated_by_its_typed_short_code_when_there_is_no_camera(
        qtbot, broker, controller, make_kiosk, make_device):
    other, _ = make_device(broker, "kiosk-2")
    counter, _ = make_device(broker, "counter-3", m.Role.COUNTER)
    counter.request(m.SignIn, window=3, staff_id="YB0103", pin=STAFF_PIN)
    ticket = other.request(m.TakeTicket, business="cross_region_filing")
    counter.request(m.CallNext, window=3)
    counter.request(m.Finish, window=3)
    kiosk = make_kiosk(broker)
    tap(qtbot, kiosk, "评价服务")
    assert any("请用键盘输入号票上的评价码" in t for t in shown_texts(kiosk))
    type_keys(qtbot, kiosk, "C001000000")
    tap(qtbot, kiosk, "确认")
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert kiosk.view_model.state.notice.key == "rate_code_unknown"
    tap(qtbot, kiosk, "好的")
    wait_screen(qtbot, kiosk, Screen.RATE_SCAN)
    code = printed_code(ticket.ticket.number, ticket.rating_token).replace(" ", "")
    type_keys(qtbot, kiosk, code)
    tap(qtbot, kiosk, "确认")
    wait_screen(qtbot, kiosk, Screen.RATE_LEVEL)
    tap(qtbot, kiosk, "非常满意")
    tap(qtbot, kiosk, "提交评价")
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert kiosk.view_model.state.notice.key == "rate_thanks"
    (rating,) = controller.store.ratings_of_day(ticket.ticket.issued_at.date())
    assert (rating.ticket_id, rating.channel) == (ticket.ticket.ticket_id, "receipt")


def test_a_failed_print_says_so_with_what_to_do_and_the_ticket_is_reprinted_at_the_kiosk(
        qtbot, broker, controller, make_kiosk, kiosk_printer, virtual_printer):
    virtual_printer.paper_state = PaperState.OUT
    kiosk = make_kiosk(broker, printer=kiosk_printer)
    # The printer learns it is out of paper at its next job.
    kiosk_printer.printer.print_guide(kiosk.view_model.guides.guides["enrollment"])
    qtbot.waitUntil(lambda: kiosk_printer.needs_a_human(), timeout=5000)
    tap(qtbot, kiosk, "取号")
    tap(qtbot, kiosk, "异地就医备案")  # a category of one item
    wait_screen(qtbot, kiosk, Screen.TICKET)
    assert not kiosk.view_model.state.ticket.printed
    texts = shown_texts(kiosk)
    assert any(t.startswith("号票未能打印") and "请记下您的号码 C001" in t for t in texts)
    tap(qtbot, kiosk, "好的")
    virtual_printer.paper_state = PaperState.OK
    # The spooled slip prints by itself once the printer has paper again.
    qtbot.waitUntil(lambda: len(slips_of_c001(virtual_printer)) == 1, timeout=20000)
    tap(qtbot, kiosk, "补打号票")
    wait_screen(qtbot, kiosk, Screen.REPRINT)
    type_keys(qtbot, kiosk, "C001")
    tap(qtbot, kiosk, "确认")
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert kiosk.view_model.state.notice.key == "reprint_done"
    qtbot.waitUntil(lambda: len(slips_of_c001(virtual_printer)) == 2, timeout=10000)
    assert "（补打 Reprint）" in slips_of_c001(virtual_printer)[1].lines
    tap(qtbot, kiosk, "好的")
    tap(qtbot, kiosk, "补打号票")
    type_keys(qtbot, kiosk, "C001")
    tap(qtbot, kiosk, "确认")
    assert kiosk.view_model.state.notice.key == "reprint_unknown"


def test_a_slip_that_turns_out_not_to_print_is_said_so_while_the_citizen_is_there(
        qtbot, broker, controller, make_kiosk, kiosk_printer, virtual_printer):
    kiosk = make_kiosk(broker, printer=kiosk_printer)
    tap(qtbot, kiosk, "取号")
    virtual_printer.paper_state = PaperState.OUT  # the printer does not know yet
    tap(qtbot, kiosk, "异地就医备案")
    wait_screen(qtbot, kiosk, Screen.TICKET)
    qtbot.waitUntil(lambda: any(t.startswith("号票未能打印") for t in shown_texts(kiosk)),
                    timeout=10000)
    assert not kiosk.view_model.state.ticket.printed


def slips_of_c001(virtual_printer) -> list:
    return [r for r in list(virtual_printer.receipts)
            if r.complete and "您已领取 C001 号，前方等待 0 人" in r.lines]


def test_the_ticket_screen_and_slip_name_the_windows_that_serve_the_ticket(
        qtbot, broker, controller, make_kiosk, kiosk_printer, virtual_printer):
    kiosk = make_kiosk(broker, printer=kiosk_printer)
    qtbot.waitUntil(lambda: kiosk.view_model.state.hall.business_windows != (), timeout=5000)
    windows = kiosk.view_model.state.hall.windows_of("cross_region_filing")
    assert windows
    tap(qtbot, kiosk, "取号")
    tap(qtbot, kiosk, "异地就医备案")  # a category of one item
    wait_screen(qtbot, kiosk, Screen.TICKET)
    shown = "、".join(str(n) for n in windows)
    assert f"请到 {shown} 号窗口办理" in shown_texts(kiosk)
    assert f"办理窗口：{shown} 号窗口" in virtual_printer.wait_receipts(1)[0].lines


def test_a_category_of_one_item_is_one_tap_and_back_returns_to_the_categories(
        qtbot, broker, controller, make_kiosk):
    kiosk = make_kiosk(broker)
    tap(qtbot, kiosk, "办事指南")
    tap(qtbot, kiosk, "医疗费用手工(零星)报销")
    wait_screen(qtbot, kiosk, Screen.GUIDE)
    tap(qtbot, kiosk, "上一步")
    wait_screen(qtbot, kiosk, Screen.CATEGORIES)
    tap(qtbot, kiosk, "返回首页")
    tap(qtbot, kiosk, "取号")
    tap(qtbot, kiosk, "医疗费用手工(零星)报销")
    wait_screen(qtbot, kiosk, Screen.TICKET)


def test_guides_are_found_by_a_common_word_or_by_whole_pinyin(qtbot, broker, make_kiosk):
    kiosk = make_kiosk(broker)
    tap(qtbot, kiosk, "办事指南")
    tap(qtbot, kiosk, "按拼音或常用词查找")
    tap(qtbot, kiosk, "住院")
    assert {"医疗费用手工(零星)报销", "医疗救助待遇申请"} <= {b.text() for b in buttons(kiosk)}
    type_keys(qtbot, kiosk, "SHENGYU")
    assert "生育津贴支付" in {b.text() for b in buttons(kiosk)}


def test_an_idle_citizen_is_asked_for_more_time_before_being_forgotten(
        qtbot, broker, controller, make_kiosk):
    kiosk = make_kiosk(broker, idle_timeout_s=1.5)
    tap(qtbot, kiosk, "办事指南")
    tap(qtbot, kiosk, "查询打印")
    qtbot.waitUntil(lambda: kiosk.view_model.state.asking_more_time, timeout=5000)
    assert kiosk.view_model.state.screen is Screen.ITEMS
    assert "您还需要更多时间吗？如不操作，稍后将返回首页。" in shown_texts(kiosk)
    tap(qtbot, kiosk, "需要，继续办理")
    assert not kiosk.view_model.state.asking_more_time
    assert kiosk.view_model.state.screen is Screen.ITEMS
    qtbot.waitUntil(lambda: kiosk.view_model.state.asking_more_time, timeout=5000)
    wait_screen(qtbot, kiosk, Screen.HOME, timeout_ms=5000)
    assert not kiosk.view_model.state.asking_more_time


def test_english_mode_is_english_down_to_the_hall_name_and_the_complainant(
        qtbot, broker, controller, make_kiosk):
    kiosk = make_kiosk(broker)
    qtbot.waitUntil(lambda: kiosk.view_model.state.hall.name_en != "", timeout=5000)
    tap(qtbot, kiosk, "English")
    assert "Municipal Medical Insurance Service Hall" in shown_texts(kiosk)
    words = shown_texts(kiosk) + [f"{b.text()} {b.second}" for b in buttons(kiosk)
                                  if b.text() != "中文"]
    assert not [w for w in words if any("\u4e00" <= c <= "\u9fff" for c in w)]
    tap(qtbot, kiosk, "Complaints and suggestions")
    tap(qtbot, kiosk, "Service attitude")
    tap(qtbot, kiosk, "Staff were rude")
    tap(qtbot, kiosk, "Next")
    tap(qtbot, kiosk, "O")
    tap(qtbot, kiosk, "欧")
    assert "Surname: Ms Ou" in shown_texts(kiosk)


def test_confirm_buttons_are_not_red(qtbot, broker, controller, make_kiosk):
    kiosk = make_kiosk(broker)
    tap(qtbot, kiosk, "预约签到")
    confirm = next(b for b in buttons(kiosk) if b.text() == "确认")
    fill, _ = confirm.colours()
    assert not (fill.red() > 150 and fill.green() < 80 and fill.blue() < 80)
