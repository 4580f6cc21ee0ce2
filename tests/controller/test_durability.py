"""The controller as a real process: kill -9 under load, restart, nothing lost, nothing twice."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from hall.config import SAMPLE_HALL
from hall.protocol import messages as m
from hall.store import SqliteStore
from tests.conftest import config_env
from tests.support import CONNECT_TIMEOUT_S

ROOT = Path(__file__).resolve().parents[2]


class ControllerProcess:
    def __init__(self, broker, hall_id: str, store: Path, watcher) -> None:
        self.env = {**os.environ, **config_env(broker, hall_id, store), "PYTHONPATH": str(ROOT),
                    # one kiosk stands for a busy hall here: its per-device limits are off
                    "HALL_RATE_LIMIT_SCALE": "0"}
        self.watcher, self.inbox = watcher
        self.logs = store.parent
        self.process: subprocess.Popen[bytes] | None = None
        self.boots = 0

    def start(self) -> None:
        self.boots += 1
        with open(self.logs / f"controller-{self.boots}.log", "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "hall", "controller", "--config", str(SAMPLE_HALL)],
                env=self.env, stdout=subprocess.DEVNULL, stderr=log)
        boots = self.boots
        self.inbox.wait_for(lambda t, msg: isinstance(msg, m.Presence)
                            and msg.role is m.Role.CONTROLLER and msg.boot_count == boots
                            and msg.status is m.DeviceStatus.ONLINE, timeout_s=CONNECT_TIMEOUT_S)

    def kill(self, sig: int = signal.SIGKILL) -> int:
        assert self.process is not None
        self.process.send_signal(sig)
        return self.process.wait(timeout=15)


@pytest.fixture
def controller_process(broker, hall_id, tmp_path, make_device):
    watcher = make_device(broker, "console-watch", m.Role.CONSOLE, subscriptions=(
        f"hall/{hall_id}/device/controller/presence",), user="manager")
    proc = ControllerProcess(broker, hall_id, tmp_path / "hall.db", watcher)
    proc.start()
    watcher[0].request(m.OpenHall)
    yield proc
    if proc.process is not None and proc.process.poll() is None:
        proc.kill(signal.SIGTERM)


def test_a_ticket_acknowledged_before_kill_9_survives_and_its_number_is_never_reissued(
        broker, controller_process, make_device, tmp_path):
    kiosk, _ = make_device(broker, "kiosk-1")
    assert kiosk.request(m.TakeTicket, business="enrollment").ticket.number == "A001"
    controller_process.kill()
    controller_process.start()
    assert kiosk.request(m.TakeTicket, business="enrollment").ticket.number == "A002"
    store = SqliteStore(tmp_path / "hall.db")
    try:
        assert sorted(str(t.number) for t in store.tickets_of_day(store.load().service_day)) == [
            "A001", "A002"]
    finally:
        store.close()


def test_kill_9_under_load_loses_no_acknowledged_ticket_and_issues_no_number_twice(
        broker, controller_process, make_device, tmp_path):
    kiosk, _ = make_device(broker, "kiosk-1")
    sent = [kiosk.send(m.TakeTicket, business="account_inquiry") for _ in range(150)]
    answers: dict[str, m.Answer] = {}
    for intent in sent[:20]:
        answers[intent.request_id] = kiosk.answer(intent, timeout_s=10)
    controller_process.kill()
    controller_process.start()
    for intent in sent[20:]:
        # Answers still in the dead controller's send buffer are lost: the kiosk asks again
        # with the same request ids, and each request is carried out at most once.
        kiosk.resend(intent)
    for intent in sent[20:]:
        answers[intent.request_id] = kiosk.answer(intent, timeout_s=10)
    numbers = [a.ticket.number for a in answers.values()]
    assert len(numbers) == len(set(numbers)) == 150
    store = SqliteStore(tmp_path / "hall.db")
    try:
        stored = {str(t.number) for t in store.tickets_of_day(store.load().service_day)}
    finally:
        store.close()
    assert stored == set(numbers)


def test_sigterm_stops_the_controller_cleanly_and_says_it_is_offline(
        broker, controller_process):
    assert controller_process.kill(signal.SIGTERM) == 0
    controller_process.inbox.wait_for(
        lambda t, msg: isinstance(msg, m.Presence) and msg.status is m.DeviceStatus.OFFLINE)


def test_a_killed_controller_is_shown_offline_by_its_last_will(broker, controller_process):
    controller_process.kill()
    controller_process.inbox.wait_for(
        lambda t, msg: isinstance(msg, m.Presence) and msg.status is m.DeviceStatus.OFFLINE)


def test_a_managers_cut_off_override_survives_kill_9(broker, controller_process, make_device):
    manager, _ = make_device(broker, "console-1", m.Role.CONSOLE, user="manager")
    kiosk, _ = make_device(broker, "kiosk-1")
    assert isinstance(manager.request(m.SetIssuingCutoff, business="chronic_disease",
                                      mode=m.CutoffMode.STOP), m.Accepted)
    controller_process.kill()
    controller_process.start()
    refused = kiosk.request(m.TakeTicket, business="chronic_disease")
    assert isinstance(refused, m.Rejected) and refused.code == "cut_off"
    assert refused.detail is not None and refused.detail["reason"] == "manager"
    assert isinstance(kiosk.request(m.TakeTicket, business="enrollment"), m.TicketAnswer)
