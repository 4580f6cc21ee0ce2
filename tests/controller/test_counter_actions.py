from __future__ import annotations

import threading

import pytest

from hall.protocol import messages as m
from tests.support import ANSWER_TIMEOUT_S, STAFF_PIN


@pytest.fixture
def hall(broker, controller, make_device):
    """A kiosk, two counters and a wall watching state and events of one hall."""
    topics = controller.topics
    kiosk, _ = make_device(broker, "kiosk-1")
    one, _ = make_device(broker, "counter-1", m.Role.COUNTER)
    three, _ = make_device(broker, "counter-3", m.Role.COUNTER)
    wall, inbox = make_device(broker, "wall-1", m.Role.WALL,
                              subscriptions=(topics.all_state, topics.all_events))
    one.request(m.SignIn, window=1, staff_id="YB0101", pin=STAFF_PIN)
    three.request(m.SignIn, window=3, staff_id="YB0103", pin=STAFF_PIN)
    return kiosk, one, three, inbox, topics


def take(kiosk, business="enrollment") -> str:
    return kiosk.request(m.TakeTicket, business=business, timeout_s=ANSWER_TIMEOUT_S).ticket.number


def window_state(inbox, topics, number, **expected) -> m.WindowState:
    def match(topic, msg):
        return (topic == topics.window(number) and isinstance(msg, m.WindowState)
                and all(getattr(msg, k) == v for k, v in expected.items()))
    return inbox.wait_for(match)[1]


def test_signed_in_window_shows_the_clerks_name_and_job_number(hall):
    kiosk, one, three, inbox, topics = hall
    state = window_state(inbox, topics, 1, status=m.WindowStatus.IDLE)
    assert (state.staff_name, state.staff_id) == ("王晓燕", "YB0101")


def test_call_next_is_announced_and_shown_on_the_window_and_recent_calls(hall):
    kiosk, one, three, inbox, topics = hall
    take(kiosk)
    assert one.request(m.CallNext, window=1).number == "A001"
    called = inbox.wait_for(lambda t, msg: isinstance(msg, m.TicketCalled))[1]
    assert (called.number, called.window, called.staff_name) == ("A001", 1, "王晓燕")
    window_state(inbox, topics, 1, status=m.WindowStatus.SERVING, ticket_number="A001")
    recent = inbox.wait_for(lambda t, msg: isinstance(msg, m.RecentCalls) and bool(msg.calls))[1]
    assert recent.calls[0].number == "A001"


def test_recall_is_announced_again_with_a_higher_call_count(hall):
    kiosk, one, three, inbox, topics = hall
    take(kiosk)
    one.request(m.CallNext, window=1)
    assert isinstance(one.request(m.Recall, window=1), m.Accepted)
    recalled = inbox.wait_for(lambda t, msg: isinstance(msg, m.TicketRecalled))[1]
    assert (recalled.number, recalled.call_count) == ("A001", 2)


def test_no_show_waits_for_the_grace_period_then_frees_the_window(hall, clock):
    kiosk, one, three, inbox, topics = hall
    take(kiosk)
    one.request(m.CallNext, window=1)
    early = one.request(m.MarkNoShow, window=1)
    assert isinstance(early, m.Rejected) and early.code == "grace_period_running"
    assert int(early.detail["remaining_s"]) > 0
    clock.advance(seconds=121)
    inbox.clear()
    assert isinstance(one.request(m.MarkNoShow, window=1), m.Accepted)
    window_state(inbox, topics, 1, status=m.WindowStatus.IDLE, ticket_number="")


def test_a_no_show_requeued_on_request_goes_behind_those_waiting(hall, clock):
    kiosk, one, three, inbox, topics = hall
    take(kiosk)
    one.request(m.CallNext, window=1)
    clock.advance(seconds=200)
    one.request(m.MarkNoShow, window=1)
    take(kiosk)
    clock.advance(seconds=30)
    by_another_window = three.request(m.Requeue, number="A001")
    assert isinstance(by_another_window, m.Rejected) and by_another_window.code == "not_permitted"
    assert isinstance(one.request(m.Requeue, number="A001"), m.Accepted)
    assert [one.request(m.CallNext, window=1).number for _ in range(2)] == ["A002", "A001"]


def test_transfer_to_another_window_keeps_the_place_in_line_and_the_note(hall, clock):
    kiosk, one, three, inbox, topics = hall
    take(kiosk, "cross_region_filing")
    one_ticket = take(kiosk)
    clock.advance(minutes=2)
    take(kiosk, "cross_region_filing")
    three.request(m.CallNext, window=3)  # C001
    three.request(m.Finish, window=3)
    one.request(m.CallNext, window=1)   # A001
    answer = one.request(m.Transfer, window=1, to_window=3, to_business="cross_region_filing",
                         note="需办理异地就医备案")
    assert isinstance(answer, m.Accepted) and answer.number == one_ticket
    assert three.request(m.CallNext, window=3).number == "A001"


def test_transfer_to_a_window_that_does_not_serve_the_business_is_refused(hall):
    kiosk, one, three, inbox, topics = hall
    take(kiosk)
    one.request(m.CallNext, window=1)
    refused = one.request(m.Transfer, window=1, to_window=3)
    assert isinstance(refused, m.Rejected) and refused.code == "window_not_ready"


def test_park_frees_the_window_and_unpark_brings_the_ticket_back(hall):
    kiosk, one, three, inbox, topics = hall
    take(kiosk)
    take(kiosk)
    one.request(m.CallNext, window=1)
    assert isinstance(one.request(m.Park, window=1), m.Accepted)
    assert one.request(m.CallNext, window=1).number == "A002"
    one.request(m.Finish, window=1)
    inbox.clear()
    assert isinstance(one.request(m.Unpark, window=1, number="A001"), m.Accepted)
    window_state(inbox, topics, 1, status=m.WindowStatus.SERVING, ticket_number="A001")


def test_finish_announces_the_service_with_its_batch_items_for_the_rating_pad(hall):
    kiosk, one, three, inbox, topics = hall
    take(kiosk)
    one.request(m.CallNext, window=1)
    one.request(m.Finish, window=1, items=("enrollment", "info_change"))
    finished = inbox.wait_for(lambda t, msg: isinstance(msg, m.TicketFinished))[1]
    assert (finished.number, finished.items, finished.staff_id) == (
        "A001", ("enrollment", "info_change"), "YB0101")


def test_pause_with_a_reason_shows_on_the_window_and_blocks_calling_until_resumed(hall):
    kiosk, one, three, inbox, topics = hall
    take(kiosk)
    assert isinstance(one.request(m.Pause, window=1, reason=m.PauseReason.AWAY), m.Accepted)
    window_state(inbox, topics, 1, status=m.WindowStatus.PAUSED, pause_reason=m.PauseReason.AWAY)
    refused = one.request(m.CallNext, window=1)
    assert isinstance(refused, m.Rejected) and refused.code == "window_not_ready"
    one.request(m.Resume, window=1)
    assert one.request(m.CallNext, window=1).number == "A001"


def test_call_a_specific_ticket_out_of_order(hall):
    kiosk, one, three, inbox, topics = hall
    take(kiosk)
    take(kiosk)
    assert one.request(m.CallTicket, window=1, number="a002").number == "A002"


def test_sign_out_closes_the_window_for_the_public(hall):
    kiosk, one, three, inbox, topics = hall
    window_state(inbox, topics, 1, status=m.WindowStatus.IDLE)
    inbox.clear()
    assert isinstance(one.request(m.SignOut, window=1), m.Accepted)
    window_state(inbox, topics, 1, status=m.WindowStatus.CLOSED, staff_id="")


@pytest.mark.parametrize(("intent", "fields", "code"), [
    (m.CallNext, {"window": 1}, "queue_empty"),
    (m.Recall, {"window": 1}, "window_not_ready"),
    (m.Finish, {"window": 1}, "window_not_ready"),
    (m.CallNext, {"window": 2}, "not_permitted"),
    (m.CallNext, {"window": 42}, "not_permitted"),
    (m.CallTicket, {"window": 1, "number": "A999"}, "unknown_ticket"),
    (m.CallTicket, {"window": 1, "number": "not-a-number"}, "unknown_ticket"),
    (m.Requeue, {"number": "A001"}, "unknown_ticket"),
    (m.SignIn, {"window": 1, "staff_id": "YB9999", "pin": STAFF_PIN}, "wrong_pin"),
    (m.SignIn, {"window": 1, "staff_id": "YB0103", "pin": STAFF_PIN}, "window_not_ready"),
    (m.SignIn, {"window": 2, "staff_id": "YB0102", "pin": STAFF_PIN}, "not_permitted"),
])
def test_refused_counter_actions_say_why(hall, intent, fields, code):
    kiosk, one, three, inbox, topics = hall
    answer = one.request(intent, **fields)
    assert isinstance(answer, m.Rejected)
    assert answer.code == code


def test_two_windows_competing_for_one_ticket_never_call_it_twice(broker, controller, make_device):
    kiosk, _ = make_device(broker, "kiosk-1")
    one, _ = make_device(broker, "counter-1", m.Role.COUNTER)
    two, _ = make_device(broker, "counter-2", m.Role.COUNTER)
    one.request(m.SignIn, window=1, staff_id="YB0101", pin=STAFF_PIN)
    two.request(m.SignIn, window=2, staff_id="YB0102", pin=STAFF_PIN)
    for _ in range(5):
        take(kiosk)
    called: list[str] = []
    lock = threading.Lock()

    def clerk(client, window):
        for _ in range(4):
            answer = client.request(m.CallNext, window=window)
            if isinstance(answer, m.Accepted):
                with lock:
                    called.append(answer.number)

    threads = [threading.Thread(target=clerk, args=(one, 1)),
               threading.Thread(target=clerk, args=(two, 2))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(called) == ["A001", "A002", "A003", "A004", "A005"]


def test_the_controller_says_it_is_healthy_only_while_its_worker_goes_round(
        broker, make_controller):
    service = make_controller(broker, open_hall=False)
    assert service.is_healthy()
    service.stop()
    assert not service.is_healthy()
