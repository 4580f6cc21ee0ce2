"""The kiosk's part of the 好差评 closed loop and its idle countdown, on the real controller."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from hall.core.rating_code import printed_code
from hall.protocol import messages as m
from kiosk.camera import ImageCamera
from kiosk.screen_state import Screen
from tests.kiosk.conftest import OUTPUT, qr_picture, shown_texts, tap, type_keys, wait_screen
from tests.loop.test_closed_loop_controller import serve_and_rate_badly
from tests.support import STAFF_PIN

PHONE = "13812345678"


def _served(make_device, broker):
    other, _ = make_device(broker, "kiosk-2")
    counter, _ = make_device(broker, "counter-3", m.Role.COUNTER)
    counter.request(m.SignIn, window=3, staff_id="YB0103", pin=STAFF_PIN)
    ticket = other.request(m.TakeTicket, business="cross_region_filing")
    counter.request(m.CallNext, window=3)
    counter.request(m.Finish, window=3)
    return ticket


def _save(kiosk, name: str) -> None:
    folder = OUTPUT / "closed_loop"
    folder.mkdir(parents=True, exist_ok=True)
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    assert kiosk.view.grab().save(str(folder / f"{name}.png"))


def test_a_bad_rating_by_typed_code_may_leave_a_callback_mobile_masked_on_screen_and_kept_for_managers(
        qtbot, broker, controller, make_kiosk, make_device):
    ticket = _served(make_device, broker)
    kiosk = make_kiosk(broker)
    tap(qtbot, kiosk, "评价服务")
    type_keys(qtbot, kiosk, printed_code(ticket.ticket.number, ticket.rating_token).replace(" ", ""))
    tap(qtbot, kiosk, "确认")
    wait_screen(qtbot, kiosk, Screen.RATE_LEVEL)
    tap(qtbot, kiosk, "非常不满意")
    tap(qtbot, kiosk, "等候时间过长")
    tap(qtbot, kiosk, "提交评价")
    wait_screen(qtbot, kiosk, Screen.RATE_PHONE)
    assert "如需回访，请留下手机号（选填）" in shown_texts(kiosk)
    type_keys(qtbot, kiosk, "23812345678")  # eleven digits, but no mobile number
    assert any("请输入 11 位手机号码" in t for t in shown_texts(kiosk))
    tap(qtbot, kiosk, "清空")
    type_keys(qtbot, kiosk, PHONE + "9")  # a twelfth digit is not taken
    assert kiosk.view_model.state.typed == PHONE
    assert "手机号：138****5678" in shown_texts(kiosk)
    assert not any(PHONE in t for t in shown_texts(kiosk))
    _save(kiosk, "rate-phone-masked")
    tap(qtbot, kiosk, "提交评价")
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert kiosk.view_model.state.notice.key == "rate_thanks"
    (rating,) = controller.store.ratings_of_day(ticket.ticket.issued_at.date())
    case = controller.cases.cases.case_of_rating(rating.rating_id)
    assert case is not None and case.real_name
    assert controller.cases.cases.callback_phone(rating.rating_id, "test", rating.rated_at) == PHONE
    assert kiosk.view_model.state.rating.token == ""  # forgotten once thanked


def test_a_good_rating_is_not_asked_for_a_phone(qtbot, broker, controller, make_kiosk,
                                               make_device):
    ticket = _served(make_device, broker)
    kiosk = make_kiosk(broker)
    tap(qtbot, kiosk, "评价服务")
    type_keys(qtbot, kiosk, printed_code(ticket.ticket.number, ticket.rating_token).replace(" ", ""))
    tap(qtbot, kiosk, "确认")
    wait_screen(qtbot, kiosk, Screen.RATE_LEVEL)
    tap(qtbot, kiosk, "满意")
    tap(qtbot, kiosk, "提交评价")
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert kiosk.view_model.state.notice.key == "rate_thanks"


def test_a_scanned_receipt_offers_the_follow_up_once_its_case_asks_and_then_says_it_is_done(
        qtbot, tmp_path, broker, controller, make_kiosk, make_device, clock):
    # Another kiosk issued the ticket: kiosk-1 is the one under test.
    ticket, rated, _ = serve_and_rate_badly(broker, make_device, kiosk_id="kiosk-2")
    case = controller.cases.cases.case_of_rating(rated.rating_id)
    console, _ = make_device(broker, "console-1", m.Role.CONSOLE, user="manager")
    for intent, fields in ((m.RecordCallback, {"channel": "phone", "reached": True}),
                           (m.VerifyCase, {"confirmed": True}),
                           (m.RectifyCase, {"measure": "at_once", "plan": "当场致歉"}),
                           (m.RecordFeedback, {"channel": "phone", "note": "已告知"})):
        assert not isinstance(console.request(intent, case_id=case.case_id, actor="li-manager",
                                              **fields), m.Rejected)
    clock.advance(days=3)  # past the receipt's 24 hours for rating
    camera = ImageCamera([qr_picture(f"https://hall.local/r/{ticket.rating_token}", tmp_path)])
    kiosk = make_kiosk(broker, camera=camera)
    tap(qtbot, kiosk, "评价服务")
    wait_screen(qtbot, kiosk, Screen.FOLLOW_UP)
    assert any("追评" in t for t in shown_texts(kiosk))
    tap(qtbot, kiosk, "满意")
    assert kiosk.view_model.state.rating.level is m.RatingLevel.SATISFIED
    _save(kiosk, "follow-up-chosen")
    tap(qtbot, kiosk, "提交追评")
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert kiosk.view_model.state.notice.key == "follow_up_thanks"
    assert controller.cases.cases.case(case.case_id).follow_up_level is m.RatingLevel.SATISFIED
    tap(qtbot, kiosk, "好的")
    tap(qtbot, kiosk, "评价服务")
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert kiosk.view_model.state.notice.key == "follow_up_done"
    assert any("已经追评过了" in t for t in shown_texts(kiosk))
    _save(kiosk, "follow-up-done")


def test_need_more_time_counts_down_large_and_a_touch_anywhere_keeps_the_session(
        qtbot, broker, controller, make_kiosk):
    # 6 s idle, then 2 s to answer (a third of it).
    kiosk = make_kiosk(broker, idle_timeout_s=6.0, size=(720, 1280))
    tap(qtbot, kiosk, "大字模式")
    tap(qtbot, kiosk, "办事指南")
    qtbot.waitUntil(lambda: kiosk.view_model.state.asking_more_time, timeout=15000)
    overlay = kiosk.view.more_time
    assert overlay.isVisible() and overlay.geometry() == kiosk.view.rect()
    assert overlay.seconds is not None and overlay.seconds.text() in ("2", "1")
    assert any(t.endswith("秒后返回首页") for t in shown_texts(kiosk))
    _save(kiosk, "more-time-large-zh")
    qtbot.mouseClick(overlay, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    assert not kiosk.view_model.state.asking_more_time
    assert kiosk.view_model.state.screen is Screen.CATEGORIES and kiosk.view_model.state.large
    assert not overlay.isVisible()
    # Unanswered, it counts down to the home screen.
    qtbot.waitUntil(lambda: kiosk.view_model.state.asking_more_time, timeout=15000)
    qtbot.waitUntil(lambda: overlay.seconds.text() == "1", timeout=5000)
    wait_screen(qtbot, kiosk, Screen.HOME, timeout_ms=8000)
    assert not overlay.isVisible()
