"""Check-in's second factor: a booking that carries a phone asks for its last four digits."""
from __future__ import annotations

from datetime import datetime

from hall.protocol import messages as m
from kiosk.guide_index import GuideIndex
from kiosk.screen_state import Screen
from kiosk.texts import DEFAULT_PRIORITY_REASONS
from kiosk.view_model import KioskViewModel
from tests.kiosk.conftest import GUIDES
from tests.support import SHANGHAI

NOW = datetime(2026, 11, 24, 10, 5, tzinfo=SHANGHAI)


def test_a_booking_with_a_phone_asks_for_its_last_four_digits_and_sends_them(qtbot):
    sent: list[dict[str, object]] = []
    ticket = m.TicketAnswer(request_id="r", people_ahead=0, ticket=m.TicketView(
        ticket_id="20261124-A001", number="A001", business="enrollment", business_zh="参保登记",
        business_en="Enrollment", kind=m.TicketKind.APPOINTMENT, issued_at=NOW))

    def controller(intent_type, fields):
        sent.append(dict(fields))
        if "phone_last4" not in fields:
            return m.Rejected(request_id="r", code="invalid_appointment", message="",
                              detail={"reason": "phone_needed"})
        return ticket

    vm = KioskViewModel(hall_id="demo-hall", guides=GuideIndex(GUIDES), requester=controller,
                        printer=None, clock=lambda: NOW, priority_reasons=DEFAULT_PRIORITY_REASONS)
    try:
        vm.go_to(Screen.APPOINTMENT)
        for key in "YY01":
            vm.press_key(key)
        vm.submit_code()
        qtbot.waitUntil(lambda: vm.state.screen is Screen.APPOINTMENT_PHONE, timeout=5000)
        assert sent == [{"code": "YY01"}]
        for key in "56781":
            vm.press_key(key)
        assert vm.state.typed == "5678"  # four digits, no more
        vm.submit_phone_last4()
        qtbot.waitUntil(lambda: vm.state.screen is Screen.TICKET, timeout=5000)
        assert sent[-1] == {"code": "YY01", "phone_last4": "5678"}
        assert vm.state.ticket.kind == "appointment"
    finally:
        vm.stop()


def test_the_real_controller_checks_in_a_phone_booking_after_its_last_four_digits(
        qtbot, broker, controller, make_kiosk):
    from datetime import timedelta

    from hall.core.appointments import Appointment
    from tests.kiosk.conftest import shown_texts, tap, type_keys, wait_screen

    slot = datetime(2026, 11, 24, 9, 30, tzinfo=SHANGHAI)
    controller.store.add_appointments([Appointment(
        "YYPHONE1", "enrollment", slot, slot + timedelta(minutes=30), phone_last4="5678")])
    kiosk = make_kiosk(broker)
    tap(qtbot, kiosk, "预约签到")
    type_keys(qtbot, kiosk, "YYPHONE1")
    tap(qtbot, kiosk, "确认")
    wait_screen(qtbot, kiosk, Screen.APPOINTMENT_PHONE)
    assert "为保护您的预约，请输入预约时所留手机号码的后四位" in shown_texts(kiosk)
    type_keys(qtbot, kiosk, "5678")
    tap(qtbot, kiosk, "确认")
    wait_screen(qtbot, kiosk, Screen.TICKET)
    assert kiosk.view_model.state.ticket.kind == "appointment"
