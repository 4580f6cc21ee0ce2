"""办事指南 and complaints at the kiosk, against the real controller over the real broker."""
from __future__ import annotations

from kiosk.screen_state import Screen
from tests.kiosk.conftest import buttons, shown_texts, tap, type_keys, wait_screen


def test_ydjy_typed_on_the_keyboard_finds_the_guide_which_prints_as_a_one_time_notice(
        qtbot, broker, controller, make_kiosk, kiosk_printer, virtual_printer):
    kiosk = make_kiosk(broker, printer=kiosk_printer)
    tap(qtbot, kiosk, "办事指南")
    tap(qtbot, kiosk, "按拼音或常用词查找")
    type_keys(qtbot, kiosk, "YDJY")
    tap(qtbot, kiosk, "异地就医备案")
    assert kiosk.view_model.state.screen is Screen.GUIDE
    texts = shown_texts(kiosk)
    for heading in ("需提供材料", "办理条件", "办理时限", "收费标准", "办理窗口", "温馨提示"):
        assert heading in texts
    assert "1. 医保电子凭证、社会保障卡或居民身份证（任选其一）" in texts
    tap(qtbot, kiosk, "打印一次性告知单")
    assert "一次性告知单正在打印，请您收好。" in shown_texts(kiosk)
    lines = virtual_printer.wait_receipts(1)[0].lines
    assert "一次性告知单" in lines and "异地就医备案" in lines
    tap(qtbot, kiosk, "办理此项业务（取号）")
    wait_screen(qtbot, kiosk, Screen.TICKET)
    assert kiosk.view_model.state.ticket.number == "C001"


def test_guides_are_browsed_by_category_then_item(qtbot, broker, make_kiosk):
    kiosk = make_kiosk(broker)
    tap(qtbot, kiosk, "办事指南")
    tap(qtbot, kiosk, "查询打印")
    tap(qtbot, kiosk, "缴费及个人账户查询")
    assert "即时办结" in shown_texts(kiosk)
    tap(qtbot, kiosk, "上一步")
    assert kiosk.view_model.state.screen is Screen.ITEMS


def test_a_complaint_picked_read_back_confirmed_and_filed_prints_a_masked_receipt(
        qtbot, broker, controller, make_kiosk, kiosk_printer, virtual_printer):
    kiosk = make_kiosk(broker, printer=kiosk_printer)
    tap(qtbot, kiosk, "投诉建议")
    tap(qtbot, kiosk, "服务态度类")
    tap(qtbot, kiosk, "工作人员态度生硬")
    tap(qtbot, kiosk, "排队等候时间过长")
    tap(qtbot, kiosk, "下一步")
    tap(qtbot, kiosk, "W")
    tap(qtbot, kiosk, "王")
    tap(qtbot, kiosk, "先生")
    assert "姓氏：王先生" in shown_texts(kiosk)
    tap(qtbot, kiosk, "下一步")
    type_keys(qtbot, kiosk, "13812345678")
    tap(qtbot, kiosk, "下一步")
    texts = shown_texts(kiosk)
    assert "类别：服务态度类" in texts
    assert "情况：工作人员态度生硬；排队等候时间过长" in texts
    assert "称呼：王先生" in texts and "电话：138****5678" in texts
    assert not any("13812345678" in t for t in texts)
    tap(qtbot, kiosk, "确认提交")
    wait_screen(qtbot, kiosk, Screen.COMPLAINT_DONE)
    result = kiosk.view_model.state.complaint_result
    assert result.tracking_number == "TS20261124-0001"
    assert result.answer_due.isoformat() == "2026-12-03"  # 7 working days
    lines = virtual_printer.wait_receipts(1)[0].lines
    assert "TS20261124-0001" in lines and "联系电话：138****5678" in lines
    assert "投诉人：王先生" in lines

    tap(qtbot, kiosk, "好的")
    tap(qtbot, kiosk, "投诉建议")
    tap(qtbot, kiosk, "查询办理进度")
    type_keys(qtbot, kiosk, "202611240001")
    assert "TS20261124-0001" in shown_texts(kiosk)
    tap(qtbot, kiosk, "确认")
    wait_screen(qtbot, kiosk, Screen.PROGRESS)
    assert "办理状态：已受理，正在处理" in shown_texts(kiosk)


def test_picking_a_reason_is_enough_and_contact_can_be_skipped(
        qtbot, broker, controller, make_kiosk):
    kiosk = make_kiosk(broker)
    tap(qtbot, kiosk, "投诉建议")
    tap(qtbot, kiosk, "意见建议")
    assert not next(b for b in buttons(kiosk) if b.text() == "下一步").isEnabled()  # none picked
    tap(qtbot, kiosk, "大厅设施不便（座椅、指引、无障碍等）")
    tap(qtbot, kiosk, "下一步")
    tap(qtbot, kiosk, "不留联系方式")
    assert "称呼：未填写" in shown_texts(kiosk)
    tap(qtbot, kiosk, "确认提交")
    wait_screen(qtbot, kiosk, Screen.COMPLAINT_DONE)


def test_an_unknown_tracking_number_is_explained(qtbot, broker, controller, make_kiosk):
    kiosk = make_kiosk(broker)
    tap(qtbot, kiosk, "投诉建议")
    tap(qtbot, kiosk, "查询办理进度")
    type_keys(qtbot, kiosk, "202611249999")
    tap(qtbot, kiosk, "确认")
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert kiosk.view_model.state.notice.key == "lookup_unknown"
