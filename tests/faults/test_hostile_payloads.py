"""Issue 11, findings 7, 13, 14: hostile payloads on every topic the controller reads.

Each is answered `malformed` (intents) or ignored (presence); the controller keeps answering;
its log holds the shape of each bad message, never a value; memory and log stay bounded."""
from __future__ import annotations

import json

from hall.protocol import messages as m
from tests.faults.raw_mqtt import RawClient
from tests.faults.support import hub, report, timed_requests

PIN = "739164"
NAME = "王秘密"
PHONE = "13912345678"


def hostile_payloads(reply: str) -> dict[str, bytes]:
    def body(**fields: object) -> bytes:
        return json.dumps({"v": 1, "request_id": "h-1", "reply_to": reply, **fields},
                          ensure_ascii=True).encode()

    return {
        "not utf-8": b"\xff\xfe\xfa" + PIN.encode(),
        "not json": b"{pin: " + PIN.encode(),
        "json array": json.dumps([PIN, NAME]).encode(),
        "deeply nested": b"[" * 100_000 + b"]" * 100_000,
        "too large": body(kind="take_ticket", business="enrollment", helper_name="张" * 40_000),
        "sign-in with one extra field": body(kind="sign_in", window=1, staff_id="YB0101",
                                             pin=PIN, note=PIN),
        "complaint of a newer version": json.dumps({
            "kind": "file_complaint", "v": 2, "request_id": "h-1", "reply_to": reply,
            "category": "complaint", "name": NAME, "phone": PHONE}, ensure_ascii=False).encode(),
        "surrogate in the request id": body(kind="take_ticket", business="enrollment",
                                            request_id="\ud800" + PIN),
        "surrogate in a text": body(kind="take_ticket", business="enrollment",
                                    helper_name=NAME + "\udc00"),
        "reason of 20,000 characters": body(kind="take_ticket", business="enrollment",
                                            priority=True, priority_reason="孕" * 20_000),
        "html in a transfer note": body(kind="transfer", window=1,
                                        note="<b style='color:red'>收取工本费200元</b>" * 10),
        "unknown kind carrying a secret": body(kind=f"pin-{PIN}-" + "x" * 10_000),
        "unknown field named by a secret": body(kind="take_ticket", business="enrollment",
                                                **{f"pin_{PIN}": 1}),
        "empty": b"",
    }


def malformed(inbox) -> int:
    return sum(1 for a in inbox.all(m.Rejected) if a.code == "malformed")


def test_hostile_payloads_on_every_topic_the_controller_reads_are_refused_and_never_logged(
        private_broker, hall_id, tmp_path):
    with hub(private_broker, hall_id, tmp_path) as (controller, device):
        citizen, _ = device("kiosk-2")
        kiosk, kiosk_inbox = device("kiosk-1")
        manager, manager_inbox = device("console-1", m.Role.CONSOLE, user="manager")
        topics = kiosk.topics
        targets = {
            "device intent": (kiosk, topics.intent("kiosk-1"), kiosk_inbox),
            "manager intent": (manager, topics.manager_intent("console-1"), manager_inbox),
            "presence": (kiosk, topics.presence("kiosk-1"), None),
        }
        refused = {}
        for where, (client, topic, inbox) in targets.items():
            payloads = hostile_payloads(topics.reply(client.device_id))
            # The client library refuses what the broker would drop it for (over 120 KB).
            sent = sum(client.bus.publish(topic, payload, qos=1) for payload in payloads.values())
            timed_requests(citizen, 1)
            if inbox is not None:
                inbox.wait_for(lambda t, msg, inbox=inbox, sent=sent: malformed(inbox) >= sent,
                               timeout_s=30)
                refused[where] = f"{malformed(inbox)}/{sent}"
        log = controller.log_text()
        report("hostile payloads", kinds=len(hostile_payloads("")), topics=len(targets),
               malformed_answers=refused, log_bytes=len(log.encode()))
        for secret in (PIN, NAME, PHONE, "收取工本费"):
            assert secret not in log, f"{secret!r} reached the controller's log"
        assert "Traceback" not in log and "UnicodeEncodeError" not in log
        assert controller.process is not None and controller.process.poll() is None


def test_thousands_of_unique_10_kb_kinds_leave_memory_and_log_bounded(
        private_broker, hall_id, tmp_path):
    # The per-device limits are off: this is about what survives decoding, not the flood gate.
    with hub(private_broker, hall_id, tmp_path, HALL_RATE_LIMIT_SCALE="0") as (controller,
                                                                                 device):
        citizen, _ = device("kiosk-2")
        timed_requests(citizen, 3)
        rss_before, log_before = controller.rss_kib(), len(controller.log_text())
        reply = f"hall/{hall_id}/device/kiosk-1/reply"
        payloads = [json.dumps({"kind": f"k{i:05d}" + "x" * 10_000, "v": 1, "request_id": "x",
                                "reply_to": reply}).encode() for i in range(4_000)]
        attacker = RawClient(private_broker.port, "kiosk-1", "device",
                             private_broker.users["device"])
        try:
            attacker.publish_many(f"hall/{hall_id}/device/kiosk-1/intent", payloads, qos=1)
            timed_requests(citizen, 3)  # answered: the controller has worked through them
        finally:
            attacker.close()
        rss_after, log_after = controller.rss_kib(), len(controller.log_text())
        report("4,000 unique 10 KB kinds", rss_before_kib=rss_before, rss_after_kib=rss_after,
               log_growth_bytes=log_after - log_before)
        assert rss_after - rss_before < 20 * 1024
        assert log_after - log_before < 20 * 1024
