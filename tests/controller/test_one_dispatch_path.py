"""Issue 11, finding 14 (and 4): every intent takes one path; each is answered once, stored once."""
from __future__ import annotations

import json

import pytest

from hall.controller.intents import ROUTES
from hall.protocol import encode
from hall.protocol import messages as m
from tests.support import ANSWER_TIMEOUT_S, CONNECT_TIMEOUT_S


def rejected(inbox, request_id: str) -> m.Rejected:
    found = inbox.wait_for(lambda t, msg: isinstance(msg, m.Rejected)
                           and msg.request_id == request_id)[1]
    assert isinstance(found, m.Rejected)
    return found


def test_every_intent_kind_has_one_route_in_the_table():
    assert set(ROUTES) == {*m.INTENTS, *m.MANAGER_INTENTS}


@pytest.mark.parametrize("body", [
    {"kind": "push_notice", "v": 1, "request_id": "bad-n", "reply_to": "x"},
    {"kind": "push_notice", "v": 1, "request_id": "bad-n", "reply_to": "x", "text_zh": 5},
    {"kind": "retract_notice", "v": 9, "request_id": "bad-n", "reply_to": "x", "notice_id": "a"},
    {"kind": "open_hall", "v": 1, "request_id": "bad-n", "reply_to": "x", "pin": "1234"},
], ids=["missing-text", "text-not-a-string", "newer-version", "unknown-field"])
def test_a_malformed_manager_intent_is_answered_malformed(broker, controller, make_device, body):
    manager, inbox = make_device(broker, "console-1", m.Role.CONSOLE, user="manager")
    manager.publish_raw(controller.topics.manager_intent("console-1"), json.dumps(body).encode())
    assert rejected(inbox, "bad-n").code == "malformed"


def raw_take_ticket(reply_to: str, **fields: object) -> bytes:
    body = {"kind": "take_ticket", "v": 1, "request_id": "r-1", "reply_to": reply_to,
            "business": "enrollment", **fields}
    # ensure_ascii escapes a lone surrogate as \ud800: valid JSON, not valid text.
    return json.dumps(body, ensure_ascii=True).encode()


@pytest.mark.parametrize(("fields", "echoed_id"), [
    ({"request_id": "r-\ud800"}, ""),
    ({"helper_name": "张\udc00三"}, "r-1"),
    ({"priority_reason": "\ud83d"}, "r-1"),
], ids=["in-request-id", "in-helper-name", "half-an-emoji"])
def test_an_unpaired_surrogate_is_answered_malformed_and_issues_no_ticket(
        broker, controller, make_device, fields, echoed_id):
    kiosk, inbox = make_device(broker, "kiosk-1")
    kiosk.publish_raw(controller.topics.intent("kiosk-1"),
                      raw_take_ticket(controller.topics.reply("kiosk-1"), **fields))
    assert rejected(inbox, echoed_id).code == "malformed"
    assert kiosk.request(m.TakeTicket, business="enrollment").ticket.number == "A001"


def test_an_intent_without_reply_to_is_refused_on_the_senders_own_reply_topic(
        broker, controller, make_device):
    kiosk, inbox = make_device(broker, "kiosk-1")
    kiosk.publish_raw(controller.topics.intent("kiosk-1"), raw_take_ticket(""))
    refusal = rejected(inbox, "r-1")
    assert refusal.code == "malformed" and "reply_to" in refusal.message
    assert kiosk.request(m.TakeTicket, business="enrollment").ticket.number == "A001"


def test_an_intent_without_request_id_is_refused_and_not_carried_out(
        broker, controller, make_device):
    kiosk, inbox = make_device(broker, "kiosk-1")
    kiosk.publish_raw(controller.topics.intent("kiosk-1"),
                      raw_take_ticket(controller.topics.reply("kiosk-1"), request_id=""))
    assert rejected(inbox, "").code == "malformed"
    assert kiosk.request(m.TakeTicket, business="enrollment").ticket.number == "A001"


def test_push_notice_twice_with_one_request_id_stores_one_notice_and_answers_alike(
        broker, controller, make_device):
    manager, _ = make_device(broker, "console-1", m.Role.CONSOLE, user="manager")
    first = manager.request(m.PushNotice, request_id="notice-1", text_zh="今日系统升级")
    again = manager.request(m.PushNotice, request_id="notice-1", text_zh="今日系统升级")
    assert isinstance(first, m.Accepted) and first == again
    assert len(controller.store.notices_in_force()) == 1
    gone = manager.request(m.RetractNotice, request_id="retract-1", notice_id=first.notice_id)
    gone_again = manager.request(m.RetractNotice, request_id="retract-1",
                                 notice_id=first.notice_id)
    assert isinstance(gone, m.Accepted) and gone == gone_again
    assert controller.store.notices_in_force() == []


def test_a_refusal_is_stored_too_so_a_retry_gets_the_same_answer(
        broker, controller, make_device):
    kiosk, _ = make_device(broker, "kiosk-1")
    first = kiosk.request(m.TakeTicket, request_id="same", business="no_such_business")
    again = kiosk.request(m.TakeTicket, request_id="same", business="enrollment")
    assert isinstance(first, m.Rejected) and again == first


def test_a_retained_intent_is_ignored_even_by_a_controller_started_after_it(
        broker, make_controller, make_device, hall_id):
    kiosk, inbox = make_device(broker, "kiosk-1")
    planted = encode(m.TakeTicket(request_id="planted", reply_to=f"hall/{hall_id}/device/"
                                  "kiosk-1/reply", business="enrollment"))
    topic = f"hall/{hall_id}/device/kiosk-1/intent"
    kiosk.bus.publish(topic, planted, qos=1, retain=True, wait_s=ANSWER_TIMEOUT_S)
    try:
        controller = make_controller(broker)
        assert controller.bus.wait_subscribed(CONNECT_TIMEOUT_S)
        assert kiosk.request(m.TakeTicket, business="enrollment").ticket.number == "A001"
        assert [a for a in inbox.all(m.Answer) if a.request_id == "planted"] == []
        assert controller.intake.retained_ignored >= 1
    finally:
        kiosk.bus.publish(topic, b"", qos=1, retain=True, wait_s=ANSWER_TIMEOUT_S)
