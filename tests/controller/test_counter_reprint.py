"""A citizen's slip reprinted at the counter: the controller's side (the one-rule, the limit)."""
from __future__ import annotations

from hall.controller.reprint_desk import COUNTER_REPRINTS_PER_TICKET
from hall.protocol import messages as m
from tests.support import STAFF_PIN


def _hall_with_a_waiting_ticket(broker, make_device):
    kiosk, _ = make_device(broker, "kiosk-1")
    counter, _ = make_device(broker, "counter-3", m.Role.COUNTER)
    assert isinstance(counter.request(m.SignIn, window=3, staff_id="YB0103", pin=STAFF_PIN),
                      m.Accepted)
    first = kiosk.request(m.TakeTicket, business="cross_region_filing")
    second = kiosk.request(m.TakeTicket, business="cross_region_filing")
    return kiosk, counter, first, second


def test_a_counter_reprints_a_ticket_of_the_day_with_its_rating_code_and_wait_now(
        broker, controller, make_device):
    kiosk, counter, first, second = _hall_with_a_waiting_ticket(broker, make_device)
    answer = counter.request(m.ReprintTicket, window=3, number=second.ticket.number.lower())
    assert isinstance(answer, m.TicketAnswer), answer
    assert answer.ticket == second.ticket
    assert answer.rating_token == second.rating_token
    assert answer.people_ahead == 1


def test_a_repeated_reprint_request_is_answered_from_the_record_and_counted_once(
        broker, controller, make_device):
    kiosk, counter, first, _ = _hall_with_a_waiting_ticket(broker, make_device)
    once = counter.request(m.ReprintTicket, request_id="rp-1", window=3, number=first.ticket.number)
    again = counter.request(m.ReprintTicket, request_id="rp-1", window=3,
                            number=first.ticket.number)
    assert once == again
    from hall.store.reprint_store import ReprintStore

    assert ReprintStore(controller.store).count(first.ticket.ticket_id) == 1


def test_a_ticket_is_reprinted_at_the_counter_a_few_times_at_most(broker, controller, make_device):
    kiosk, counter, first, _ = _hall_with_a_waiting_ticket(broker, make_device)
    for _ in range(COUNTER_REPRINTS_PER_TICKET):
        assert isinstance(counter.request(m.ReprintTicket, window=3, number=first.ticket.number),
                          m.TicketAnswer)
    refused = counter.request(m.ReprintTicket, window=3, number=first.ticket.number)
    assert isinstance(refused, m.Rejected) and refused.code == "reprint_refused"


def test_an_unknown_number_and_another_windows_counter_and_a_kiosk_are_refused(
        broker, controller, make_device):
    kiosk, counter, first, _ = _hall_with_a_waiting_ticket(broker, make_device)
    unknown = counter.request(m.ReprintTicket, window=3, number="Z999")
    assert isinstance(unknown, m.Rejected) and unknown.code == "unknown_ticket"
    other_window = counter.request(m.ReprintTicket, window=5, number=first.ticket.number)
    assert isinstance(other_window, m.Rejected) and other_window.code == "not_permitted"
    by_kiosk = kiosk.request(m.ReprintTicket, window=3, number=first.ticket.number)
    assert isinstance(by_kiosk, m.Rejected) and by_kiosk.code == "not_permitted"


def test_a_reprint_without_its_number_or_with_a_long_one_is_answered_malformed(
        broker, controller, make_device):
    import json

    counter, inbox = make_device(broker, "counter-3", m.Role.COUNTER)
    reply = controller.topics.reply("counter-3")
    for request_id, number in (("bad-r1", ...), ("bad-r2", "A" * 9)):
        body = {"kind": "reprint_ticket", "v": 1, "request_id": request_id, "reply_to": reply,
                "window": 3, "number": number}
        counter.publish_raw(controller.topics.intent("counter-3"),
                            json.dumps({k: v for k, v in body.items() if v is not ...}).encode())
        rejected = inbox.wait_for(lambda t, msg, rid=request_id: isinstance(msg, m.Rejected)
                                  and msg.request_id == rid)[1]
        assert rejected.code == "malformed"
