from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from hall.core.appointments import Appointment
from hall.protocol import messages as m
from tests.support import ANSWER_TIMEOUT_S, SHANGHAI, STAFF_PIN


def take(kiosk, business="enrollment", **fields) -> m.Answer:
    return kiosk.request(m.TakeTicket, business=business, timeout_s=ANSWER_TIMEOUT_S, **fields)


def test_kiosk_gets_a_numbered_ticket_with_people_ahead_and_wait(broker, controller, make_device):
    kiosk, _ = make_device(broker, "kiosk-1")
    first = take(kiosk)
    second = take(kiosk)
    assert isinstance(first, m.TicketAnswer) and isinstance(second, m.TicketAnswer)
    assert first.ticket.number == "A001"
    assert second.ticket.number == "A002"
    assert (first.people_ahead, second.people_ahead) == (0, 1)
    assert second.ticket.business_zh == "参保登记"


def test_each_business_numbers_its_tickets_with_its_own_prefix(broker, controller, make_device):
    kiosk, _ = make_device(broker, "kiosk-1")
    numbers = [take(kiosk, b).ticket.number
               for b in ("enrollment", "cross_region_filing", "enrollment", "account_inquiry")]
    assert numbers == ["A001", "C001", "A002", "H001"]


def test_a_retried_request_gets_the_same_answer_and_no_second_number(broker, controller,
                                                                     make_device):
    kiosk, _ = make_device(broker, "kiosk-1")
    first = kiosk.request(m.TakeTicket, business="enrollment", request_id="retry-1")
    again = kiosk.request(m.TakeTicket, business="enrollment", request_id="retry-1")
    after = take(kiosk)
    assert first == again
    assert after.ticket.number == "A002"
    assert controller.store.count_tickets() == 2


def test_priority_ticket_is_marked_and_called_by_the_halls_interleave_rule(
        broker, controller, make_device, clock):
    kiosk, _ = make_device(broker, "kiosk-1")
    counter, _ = make_device(broker, "counter-1", m.Role.COUNTER)
    for _ in range(3):
        take(kiosk)
        clock.advance(minutes=1)
    green = take(kiosk, priority=True, priority_reason="70岁以上老人")
    assert green.ticket.kind is m.TicketKind.PRIORITY
    assert green.ticket.priority_reason == "70岁以上老人"
    counter.request(m.SignIn, window=1, staff_id="YB0101", pin=STAFF_PIN)
    calls = [counter.request(m.CallNext, window=1).number for _ in range(4)]
    # The sample hall interleaves 1 in 3: after two normal calls the priority ticket goes.
    assert calls == ["A001", "A002", "A004", "A003"]


def test_queue_snapshot_is_retained_with_waiting_counts_and_estimates(broker, controller,
                                                                      make_device):
    kiosk, _ = make_device(broker, "kiosk-1")
    counter, _ = make_device(broker, "counter-5", m.Role.COUNTER)
    counter.request(m.SignIn, window=5, staff_id="YB0105", pin=STAFF_PIN)
    for _ in range(3):
        take(kiosk, "chronic_disease")
    wall, inbox = make_device(broker, "wall-1", m.Role.WALL,
                              subscriptions=(controller.topics.queue,))
    snapshot = inbox.wait_for(lambda t, msg: isinstance(msg, m.QueueSnapshot)
                              and _row(msg, "chronic_disease").waiting == 3)[1]
    row = _row(snapshot, "chronic_disease")
    assert row.windows_open == 1
    # Three services of about 15 minutes ahead (a few citizens do not show up).
    assert row.est_wait_min is not None and 3 * 15 * 0.9 <= row.est_wait_min <= 3 * 15 * 1.2
    assert row.est_wait_low_min is not None and row.est_wait_high_min is not None
    assert row.est_wait_low_min <= row.est_wait_min <= row.est_wait_high_min
    assert _row(snapshot, "enrollment").est_wait_min is None  # no window open for it
    assert snapshot.is_open


def _row(snapshot: m.QueueSnapshot, code: str) -> m.BusinessQueue:
    return next(b for b in snapshot.businesses if b.code == code)


def test_closed_hall_refuses_new_tickets_but_keeps_the_queue_callable(broker, controller,
                                                                       make_device):
    kiosk, _ = make_device(broker, "kiosk-1")
    manager, _ = make_device(broker, "console-1", m.Role.CONSOLE, user="manager")
    counter, _ = make_device(broker, "counter-1", m.Role.COUNTER)
    take(kiosk)
    assert isinstance(manager.request(m.CloseHall), m.Accepted)
    refused = take(kiosk)
    assert isinstance(refused, m.Rejected) and refused.code == "hall_closed"
    counter.request(m.SignIn, window=1, staff_id="YB0101", pin=STAFF_PIN)
    assert counter.request(m.CallNext, window=1).number == "A001"


def test_unknown_business_is_refused_with_a_clear_code(broker, controller, make_device):
    kiosk, _ = make_device(broker, "kiosk-1")
    answer = take(kiosk, "no_such_business")
    assert isinstance(answer, m.Rejected)
    assert answer.code == "unknown_business"
    assert answer.detail == {"business": "no_such_business"}


@pytest.mark.parametrize(("slot_offset_min", "used", "expected"), [
    (0, False, "ticket"),
    (-10, False, "ticket"),          # booked 09:20-09:50, now 09:30
    (120, False, "too_early"),
    (-300, False, "expired"),
    # A used code gets the answer an unknown one gets: guessing codes teaches nothing.
    (0, True, "unknown"),
])
def test_appointment_check_in_gives_a_ticket_only_within_its_window(
        broker, controller, make_device, clock, slot_offset_min, used, expected):
    start = clock() + timedelta(minutes=slot_offset_min)
    controller.store.add_appointments([Appointment("YY2026112401", "cross_region_filing",
                                                   start, start + timedelta(minutes=30))])
    kiosk, _ = make_device(broker, "kiosk-1")
    if used:
        kiosk.request(m.CheckInAppointment, code="YY2026112401")
    answer = kiosk.request(m.CheckInAppointment, code="YY2026112401")
    if expected == "ticket":
        assert isinstance(answer, m.TicketAnswer)
        assert answer.ticket.kind is m.TicketKind.APPOINTMENT
        assert answer.ticket.number == "C001"
    else:
        assert isinstance(answer, m.Rejected)
        assert (answer.code, answer.detail["reason"]) == ("invalid_appointment", expected)


def test_unknown_appointment_code_is_explained(broker, controller, make_device):
    kiosk, _ = make_device(broker, "kiosk-1")
    answer = kiosk.request(m.CheckInAppointment, code="NOPE")
    assert isinstance(answer, m.Rejected)
    assert answer.detail["reason"] == "unknown"


def test_answers_go_only_to_the_asking_devices_own_reply_topic(broker, controller, make_device):
    victim, victim_inbox = make_device(broker, "kiosk-2")
    attacker, _ = make_device(broker, "kiosk-1")
    from hall.protocol import encode
    forged = m.TakeTicket(request_id="forged", reply_to=controller.topics.reply("kiosk-2"),
                          business="enrollment")
    attacker.publish_raw(controller.topics.intent("kiosk-1"), encode(forged))
    take(victim)  # the victim's own request is answered; the forged answer never reaches it
    assert all(a.request_id != "forged" for a in victim_inbox.all(m.Answer))


def test_new_day_restarts_numbers_and_expires_yesterdays_waiting_tickets(
        broker, controller, make_device, clock):
    kiosk, _ = make_device(broker, "kiosk-1")
    manager, _ = make_device(broker, "console-1", m.Role.CONSOLE, user="manager")
    take(kiosk)
    take(kiosk)
    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI))
    manager.request(m.OpenHall)
    assert take(kiosk).ticket.number == "A001"
    yesterday = controller.store.tickets_of_day(datetime(2026, 11, 24).date())
    assert [t.status.value for t in yesterday] == ["expired", "expired"]


def test_every_ticket_answer_carries_a_rating_code_signed_by_this_controller(
        broker, controller, make_device, clock):
    from hall.core.rating_token import verify_rating_token

    kiosk, _ = make_device(broker, "kiosk-1")
    first, second = take(kiosk), take(kiosk)
    assert first.rating_token != second.rating_token
    claim = verify_rating_token(controller.rating_key, second.rating_token, clock())
    assert claim.ticket_id == second.ticket.ticket_id
    assert claim.hall_id == controller.topics.hall_id


def test_the_rating_key_is_random_per_hall_and_survives_restarts(tmp_path):
    from hall.store import SqliteStore

    store = SqliteStore(tmp_path / "a.db")
    key = store.secret("rating_key")
    store.close()
    again = SqliteStore(tmp_path / "a.db")
    other = SqliteStore(tmp_path / "b.db")
    try:
        assert again.secret("rating_key") == key
        assert other.secret("rating_key") != key
        assert len(key) == 32
    finally:
        again.close()
        other.close()
