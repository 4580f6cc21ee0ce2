"""Issue 11, finding 12: floods from one device must not stop the controller answering others."""
from __future__ import annotations

import threading
import time

from hall.protocol import encode
from hall.protocol import messages as m
from tests.faults.raw_mqtt import RawClient
from tests.faults.support import RECOVERY_TIMEOUT_S, hub, p99_ms, report, timed_requests

FLOOD = 30_000


def flood(broker, device_id: str, topic: str, payloads: list[bytes], qos: int) -> float:
    attacker = RawClient(broker.port, device_id, "device", broker.users["device"])
    try:
        started = time.monotonic()
        attacker.publish_many(topic, payloads, qos=qos)
        return time.monotonic() - started
    finally:
        attacker.close()


def take_ticket_payloads(hall_id: str, device_id: str, count: int) -> list[bytes]:
    reply = f"hall/{hall_id}/device/{device_id}/reply"
    return [encode(m.TakeTicket(request_id=f"flood-{i}", reply_to=reply, business="enrollment"))
            for i in range(count)]


def run_flood(private_broker, hall_id, tmp_path, qos: int) -> None:
    with hub(private_broker, hall_id, tmp_path) as (controller, device):
        citizen, _ = device("kiosk-2")
        quiet = timed_requests(citizen, 30)
        payloads = take_ticket_payloads(hall_id, "kiosk-1", FLOOD)
        sent_in: list[float] = []
        sender = threading.Thread(target=lambda: sent_in.append(flood(
            private_broker, "kiosk-1", f"hall/{hall_id}/device/kiosk-1/intent", payloads, qos)))
        sender.start()
        during = timed_requests(citizen, 30)
        sender.join(timeout=120)
        attacker, _ = device("kiosk-1")
        # Afterwards: everyone is answered, the flooding kiosk too once it calms down.
        after = timed_requests(citizen, 5)
        deadline = time.monotonic() + RECOVERY_TIMEOUT_S
        answered = None
        while answered is None and time.monotonic() < deadline:
            try:
                answered = attacker.request(m.TakeTicket, business="enrollment", timeout_s=2)
            except Exception:
                continue  # a device resends with its backoff (docs/protocol.md)
        alerts = [a for a in controller.watch_inbox.all(m.HallAlert) if a.alert == "rate_limited"]
        report(f"QoS {qos} flood of {FLOOD} take_ticket on one kiosk",
               sent_in_s=f"{sent_in[0]:.2f}" if sent_in else "?",
               p99_quiet_ms=f"{p99_ms(quiet):.1f}", p99_during_ms=f"{p99_ms(during):.1f}",
               p99_after_ms=f"{p99_ms(after):.1f}", rate_limited_alerts=len(alerts),
               flooder_answered=type(answered).__name__,
               controller_rss_kib=controller.rss_kib(),
               stuck_path_recoveries=controller.log_text().count("acknowledged nothing"))
        assert answered is not None
        assert alerts, "managers were not told of the flooding device"
        assert controller.process is not None and controller.process.poll() is None


def test_a_qos0_flood_from_one_kiosk_leaves_every_device_answered(
        private_broker, hall_id, tmp_path):
    run_flood(private_broker, hall_id, tmp_path, qos=0)


def test_a_qos1_flood_from_one_kiosk_leaves_every_device_answered(
        private_broker, hall_id, tmp_path):
    run_flood(private_broker, hall_id, tmp_path, qos=1)
