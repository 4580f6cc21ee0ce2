"""Reliability from outside: kill -9 under load, a broker restart, the controller's own log."""
from __future__ import annotations

import re
import subprocess
import sys
import threading
import time

from hall.protocol import messages as m
from hall.store import SqliteStore
from tests.faults.support import RECOVERY_TIMEOUT_S, ROOT, hub, report

KIOSKS = 5
PER_KIOSK = 40
KILLS = 3


def test_kill_9_under_load_loses_no_acknowledged_ticket_and_issues_no_number_twice(
        private_broker, hall_id, tmp_path):
    with hub(private_broker, hall_id, tmp_path, HALL_RATE_LIMIT_SCALE="0") as (controller,
                                                                                 device):
        kiosks = [device(f"kiosk-{n}")[0] for n in range(1, KIOSKS + 1)]
        acknowledged: list[str] = []
        failures: list[BaseException] = []
        lock = threading.Lock()

        def citizen_stream(kiosk) -> None:
            try:
                for _ in range(PER_KIOSK):
                    answer = kiosk.request_retrying(m.TakeTicket, business="enrollment",
                                                    timeout_s=60)
                    assert isinstance(answer, m.TicketAnswer), answer
                    with lock:
                        acknowledged.append(answer.ticket.number)
            except BaseException as exc:  # reported below, in the test's thread
                failures.append(exc)

        streams = [threading.Thread(target=citizen_stream, args=(k,)) for k in kiosks]
        for stream in streams:
            stream.start()
        for kill in range(KILLS):
            target = (kill + 1) * KIOSKS * PER_KIOSK // (KILLS + 1)
            deadline = time.monotonic() + RECOVERY_TIMEOUT_S
            while len(acknowledged) < target and time.monotonic() < deadline and not failures:
                threading.Event().wait(0.05)
            controller.kill()
            controller.start()
        for stream in streams:
            stream.join(timeout=120)
        assert not failures, failures
        store = SqliteStore(controller.store)
        try:
            stored = [str(t.number) for t in store.tickets_of_day(store.load().service_day)]
        finally:
            store.close()
        report("kill -9 under load", kiosks=KIOSKS, requests=KIOSKS * PER_KIOSK, kills=KILLS,
               acknowledged=len(acknowledged), distinct=len(set(acknowledged)),
               stored=len(stored), lost=len(set(acknowledged) - set(stored)))
        assert len(acknowledged) == len(set(acknowledged)) == KIOSKS * PER_KIOSK
        assert set(acknowledged) == set(stored)


def test_after_a_broker_restart_walls_are_fresh_within_seconds(private_broker, hall_id,
                                                               tmp_path):
    with hub(private_broker, hall_id, tmp_path) as (controller, device):
        kiosk, _ = device("kiosk-1")
        kiosk.request(m.TakeTicket, business="enrollment")
        wall, inbox = device("wall-1", m.Role.WALL, subscriptions=(f"hall/{hall_id}/state/#",))
        before = inbox.wait_for(lambda t, msg: isinstance(msg, m.QueueSnapshot))[1]
        private_broker.stop()
        stopped = time.monotonic()
        private_broker.start()
        fresh = inbox.wait_for(lambda t, msg: isinstance(msg, m.QueueSnapshot)
                               and msg.updated_at > before.updated_at,
                               timeout_s=RECOVERY_TIMEOUT_S)[1]
        took = time.monotonic() - stopped
        answer = kiosk.request_retrying(m.TakeTicket, business="enrollment")
        report("broker restart", wall_fresh_after_s=f"{took:.1f}",
               next_ticket=getattr(answer.ticket, "number", answer))
        assert fresh.businesses[0].waiting >= 1
        assert isinstance(answer, m.TicketAnswer)


def test_the_controller_logs_info_with_timestamps_and_never_loads_the_printer_stack(
        private_broker, hall_id, tmp_path):
    with hub(private_broker, hall_id, tmp_path) as (controller, _):
        log = controller.log_text()
    assert re.search(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ INFO hall\.controller\.service: "
                     r"controller of hall", log, re.MULTILINE), log
    probe = subprocess.run(
        [sys.executable, "-c", "import sys; from hall_cli.cli import _parser; _parser(); "
         "print(sorted({m.split('.')[0] for m in sys.modules} & {'escpos', 'printer'}))"],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=True)
    assert probe.stdout.strip() == "[]"
