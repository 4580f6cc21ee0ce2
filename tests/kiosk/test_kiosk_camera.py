"""Appointment check-in and 好差评 by the kiosk camera, fed from pictures of QR codes."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from hall.core.appointments import Appointment
from hall.protocol import messages as m
from kiosk.camera import ImageCamera, QrReader
from kiosk.screen_state import Screen
from tests.kiosk.conftest import qr_picture, shown_texts, tap, type_keys, wait_screen
from tests.support import SHANGHAI, STAFF_PIN

SLOT = datetime(2026, 11, 24, 9, 30, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("angle", "blur"), [(0, 0), (15, 0), (15, 1.2), (-12, 1.5)])
def test_the_reader_decodes_a_code_turned_and_slightly_blurred(tmp_path, angle, blur):
    picture = qr_picture("YY2026112401", tmp_path, angle=angle, blur=blur)
    assert QrReader().decode(ImageCamera([picture]).read()) == "YY2026112401"


def test_an_appointment_is_checked_in_by_its_qr_code_then_the_same_code_is_explained(
        qtbot, tmp_path, broker, controller, make_kiosk, kiosk_printer, virtual_printer):
    controller.store.add_appointments([
        Appointment("YY2026112401", "cross_region_filing", SLOT, SLOT + timedelta(minutes=30))])
    camera = ImageCamera([qr_picture("YY2026112401", tmp_path, angle=15, blur=1.2)])
    kiosk = make_kiosk(broker, camera=camera, printer=kiosk_printer)
    tap(qtbot, kiosk, "预约签到")
    wait_screen(qtbot, kiosk, Screen.TICKET)
    assert not kiosk.camera.is_active
    assert kiosk.view_model.state.ticket.kind == "appointment"
    assert "【预约】" in shown_texts(kiosk)
    assert "【预约 Appointment】" in virtual_printer.wait_receipts(1)[0].lines
    tap(qtbot, kiosk, "好的")
    camera.show([])  # the citizen put the phone away
    tap(qtbot, kiosk, "预约签到")
    type_keys(qtbot, kiosk, "YY2026112401")
    assert "预约码：YY2026112401" in shown_texts(kiosk)
    tap(qtbot, kiosk, "确认")
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    # The controller answers a used code as it answers an unknown one (no guessing).
    assert kiosk.view_model.state.notice.key == "appt_unknown"
    assert any("或已经签到取号" in t for t in shown_texts(kiosk))


@pytest.mark.parametrize(("code", "explained"), [("NOPE1", "appt_unknown"),
                                                 ("YYEARLY", "appt_too_early"),
                                                 ("YYLATE", "appt_expired")])
def test_a_typed_code_that_cannot_be_checked_in_is_explained(
        qtbot, broker, controller, make_kiosk, code, explained):
    controller.store.add_appointments([
        Appointment("YYEARLY", "enrollment", SLOT + timedelta(hours=3), SLOT + timedelta(hours=4)),
        Appointment("YYLATE", "enrollment", SLOT - timedelta(hours=3), SLOT - timedelta(hours=2))])
    kiosk = make_kiosk(broker)
    tap(qtbot, kiosk, "预约签到")
    assert any("摄像头暂不可用" in t for t in shown_texts(kiosk))
    type_keys(qtbot, kiosk, code)
    tap(qtbot, kiosk, "确认")
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert kiosk.view_model.state.notice.key == explained
    if explained == "appt_too_early":
        assert "请您在 12:00 以后再来签到" in " ".join(shown_texts(kiosk))
    tap(qtbot, kiosk, "好的")
    assert kiosk.view_model.state.screen is Screen.APPOINTMENT


@pytest.fixture
def served(broker, controller, make_device):
    kiosk, _ = make_device(broker, "kiosk-9")
    counter, _ = make_device(broker, "counter-3", m.Role.COUNTER)
    counter.request(m.SignIn, window=3, staff_id="YB0103", pin=STAFF_PIN)
    ticket = kiosk.request(m.TakeTicket, business="cross_region_filing")
    counter.request(m.CallNext, window=3)
    counter.request(m.Finish, window=3)
    return ticket


def test_a_receipt_is_rated_once_by_camera_a_bad_rating_needs_a_reason_and_a_rated_one_says_so(
        qtbot, tmp_path, broker, controller, make_kiosk, served):
    url = f"https://hall.local/r/{served.rating_token}"
    camera = ImageCamera([qr_picture(url, tmp_path, angle=15, blur=1.0)])
    kiosk = make_kiosk(broker, camera=camera)
    tap(qtbot, kiosk, "评价服务")
    wait_screen(qtbot, kiosk, Screen.RATE_LEVEL)
    tap(qtbot, kiosk, "不满意")
    tap(qtbot, kiosk, "提交评价")
    assert kiosk.view_model.state.notice.key == "rate_reason_needed"
    tap(qtbot, kiosk, "好的")
    tap(qtbot, kiosk, "满意")  # 服务态度, the first sub-indicator
    tap(qtbot, kiosk, "等候时间过长")
    tap(qtbot, kiosk, "提交评价")
    wait_screen(qtbot, kiosk, Screen.RATE_PHONE)  # the callback number is optional
    tap(qtbot, kiosk, "不留电话，直接提交")
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert kiosk.view_model.state.notice.key == "rate_thanks"
    (rating,) = controller.store.ratings_of_day(served.ticket.issued_at.date())
    assert (rating.level, rating.reasons, rating.channel) == (m.RatingLevel.DISSATISFIED,
                                                              ("long_wait",), "receipt")
    assert dict(rating.sub_scores) == {"attitude": m.RatingLevel.SATISFIED}
    tap(qtbot, kiosk, "好的")
    tap(qtbot, kiosk, "评价服务")
    # Rated already: said before the citizen rates again.
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert kiosk.view_model.state.notice.key == "rate_already"


def test_an_expired_or_foreign_rating_code_is_explained_before_any_rating(
        qtbot, tmp_path, broker, controller, make_kiosk, served, clock):
    camera = ImageCamera([qr_picture(f"https://hall.local/r/{served.rating_token}", tmp_path)])
    kiosk = make_kiosk(broker, camera=camera)
    clock.advance(days=3)
    tap(qtbot, kiosk, "评价服务")
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert kiosk.view_model.state.notice.key == "rate_code_expired"
    assert any("超过 24 小时" in t for t in shown_texts(kiosk))
    camera.show([qr_picture("https://example.com/not-ours", tmp_path, name="foreign.png")])
    tap(qtbot, kiosk, "好的")
    wait_screen(qtbot, kiosk, Screen.MESSAGE)
    assert kiosk.view_model.state.notice.key == "rate_code_bad"


def test_the_preview_shows_the_camera_live_until_a_code_comes_into_view(
        qtbot, tmp_path, broker, controller, make_kiosk):
    from PIL import Image

    controller.store.add_appointments([
        Appointment("YY2026112402", "enrollment", SLOT, SLOT + timedelta(minutes=30))])
    empty = tmp_path / "desk.png"
    Image.new("RGB", (640, 480), (140, 140, 140)).save(empty)
    camera = ImageCamera([empty])
    kiosk = make_kiosk(broker, camera=camera)
    tap(qtbot, kiosk, "预约签到")
    qtbot.waitUntil(lambda: kiosk.view.preview is not None
                    and not kiosk.view.preview.pixmap().isNull(), timeout=3000)
    assert kiosk.camera.is_active and kiosk.view_model.state.screen is Screen.APPOINTMENT
    camera.show([qr_picture("YY2026112402", tmp_path, angle=-15, blur=1.0)])
    wait_screen(qtbot, kiosk, Screen.TICKET)
    assert kiosk.view_model.state.ticket.number == "A001"
    assert "camera ok" in kiosk.presence_detail()
