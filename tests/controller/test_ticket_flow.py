from __future__ import annotations

from hall.protocol import messages as m
from tests.support import ANSWER_TIMEOUT_S


def test_kiosk_gets_a_numbered_ticket_with_people_ahead_and_wait(broker, controller, make_device):
    kiosk, _ = make_device(broker, "kiosk-1")
    first = kiosk.request(m.TakeTicket, business="enrollment", timeout_s=ANSWER_TIMEOUT_S)
    second = kiosk.request(m.TakeTicket, business="enrollment", timeout_s=ANSWER_TIMEOUT_S)
    assert isinstance(first, m.TicketAnswer) and isinstance(second, m.TicketAnswer)
    assert first.ticket.number == "A001"
    assert second.ticket.number == "A002"
    assert second.people_ahead == 1
    assert second.ticket.business_zh == "参保登记"
