from __future__ import annotations

import json

import pytest

from hall.protocol import messages as m
from hall.protocol.codec import MAX_PAYLOAD_BYTES

REPLY = "hall/{hall}/device/kiosk-1/reply"


def intent(**fields) -> bytes:
    body = {"kind": "take_ticket", "v": 1, "request_id": "bad-1", "reply_to": REPLY,
            "business": "enrollment"}
    body.update(fields)
    return json.dumps({k: v for k, v in body.items() if v is not ...}).encode()


MALFORMED_INTENTS = {
    "not utf-8": b"\xff\xfe\x00garbage",
    "not json": b"{take_ticket",
    "json array": b"[1, 2, 3]",
    "json string": b'"hello"',
    "empty": b"",
    "unknown kind": intent(kind="make_coffee"),
    "missing kind": intent(kind=...),
    "newer version": intent(v=2),
    "missing version": intent(v=...),
    "missing business": intent(business=...),
    "business not a string": intent(business=7),
    "priority not a bool": intent(priority="yes"),
    "unknown field": intent(shoe_size=42),
    "state message on an intent topic": json.dumps(
        {"kind": "recent_calls", "v": 1, "request_id": "bad-1", "reply_to": REPLY,
         "updated_at": "2026-11-24T09:00:00+08:00", "calls": []}).encode(),
    "larger than the protocol allows": intent(helper_name="张" * (MAX_PAYLOAD_BYTES // 2)),
    "pause reason not in the list": json.dumps(
        {"kind": "pause", "v": 1, "request_id": "bad-1", "reply_to": REPLY, "window": 1,
         "reason": "coffee"}).encode(),
    "window not an integer": json.dumps(
        {"kind": "call_next", "v": 1, "request_id": "bad-1", "reply_to": REPLY,
         "window": "1"}).encode(),
}


@pytest.mark.parametrize("payload", MALFORMED_INTENTS.values(), ids=MALFORMED_INTENTS.keys())
def test_malformed_intent_is_answered_with_an_error_and_the_controller_keeps_serving(
        broker, controller, make_device, payload):
    kiosk, inbox = make_device(broker, "kiosk-1")
    payload = payload.replace(b"{hall}", controller.topics.hall_id.encode())
    kiosk.publish_raw(controller.topics.intent("kiosk-1"), payload)
    answer = kiosk.request(m.TakeTicket, business="enrollment")
    assert isinstance(answer, m.TicketAnswer) and answer.ticket.number == "A001"
    if b'"reply_to"' in payload and b"bad-1" in payload and len(payload) <= MAX_PAYLOAD_BYTES:
        rejected = inbox.wait_for(lambda t, msg: isinstance(msg, m.Rejected))[1]
        assert (rejected.request_id, rejected.code) == ("bad-1", "malformed")


@pytest.mark.parametrize("payload", [b"\xff", b"{}", b'{"kind":"presence","v":1}',
                                     b'{"kind":"presence","v":1,"device_id":"x","role":"toaster",'
                                     b'"status":"online"}'])
def test_malformed_presence_is_ignored_and_the_controller_keeps_serving(
        broker, controller, make_device, payload):
    kiosk, _ = make_device(broker, "kiosk-1")
    kiosk.publish_raw(controller.topics.presence("kiosk-1"), payload)
    answer = kiosk.request(m.TakeTicket, business="enrollment")
    assert isinstance(answer, m.TicketAnswer)


def test_a_malformed_message_is_logged_once_however_often_it_comes(
        broker, controller, make_device, caplog):
    kiosk, _ = make_device(broker, "kiosk-1")
    for _ in range(20):
        kiosk.publish_raw(controller.topics.intent("kiosk-1"), b"{oops")
    kiosk.request(m.TakeTicket, business="enrollment")
    warnings = [r for r in caplog.records if "malformed message" in r.getMessage()]
    assert len(warnings) == 1


def test_valid_intent_from_a_device_id_outside_the_naming_rules_gets_no_reply_and_breaks_nothing(
        broker, controller, make_device):
    kiosk, _ = make_device(broker, "kiosk-1")
    odd_topic = f"hall/{controller.topics.hall_id}/device/Kiosk_ONE/intent"
    kiosk.publish_raw(odd_topic, intent())
    answer = kiosk.request(m.TakeTicket, business="enrollment")
    assert answer.ticket.number == "A001"


def test_a_device_refuses_to_send_what_the_broker_would_drop_it_for(broker, controller,
                                                                   make_device):
    kiosk, _ = make_device(broker, "kiosk-1")
    assert not kiosk.bus.publish(controller.topics.intent("kiosk-1"), b"x" * 200_000)
    assert kiosk.request(m.TakeTicket, business="enrollment").ticket.number == "A001"
    assert kiosk.is_connected
