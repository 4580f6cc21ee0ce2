"""Alerts a manager has not dealt with survive a console restart (kill -9 included), once each."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from broker_config import LocalBroker
from broker_config.local_broker import free_port
from console.live_hall import LiveHall
from hall.controller import ControllerService
from hall.protocol import messages as m
from hall.store.console_store import MAX_STORED_ALERTS, ConsoleStore, StoredAlert
from tests.conftest import device_settings
from tests.console.test_console_command import PASSWORD, ROOT, hall, hall_toml
from tests.support import FakeClock

WAIT_S = 30.0
LOCK_3 = "3 号窗口登录已锁定"
LOCK_4 = "4 号窗口登录已锁定"


class ConsoleProcess:
    """`hall console` as systemd runs it: started, killed, started again on the same files."""

    def __init__(self, config: Path, env: dict[str, str], tmp_path: Path, port: int) -> None:
        self.config, self.env, self.tmp_path, self.port = config, env, tmp_path, port
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        notify_path = str(self.tmp_path / f"notify-{free_port()}.sock")
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as notify:
            notify.bind(notify_path)
            notify.settimeout(WAIT_S)
            self.process = subprocess.Popen(
                [sys.executable, "-m", "hall", "console", "--config", str(self.config)], cwd=ROOT,
                env={**self.env, "NOTIFY_SOCKET": notify_path}, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, text=True)
            assert notify.recv(256).startswith(b"READY=1")

    def kill_hard(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=WAIT_S)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=WAIT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    @contextmanager
    def logged_in(self) -> Iterator[httpx.Client]:
        with httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=10) as client:
            answer = client.post("/login", data={"username": "wang", "password": PASSWORD})
            assert answer.status_code == 303, answer.text
            yield client


@pytest.fixture
def console_process(tmp_path: Path, broker: LocalBroker,
                    controller: ControllerService) -> Iterator[ConsoleProcess]:
    port = free_port()
    config = hall_toml(tmp_path, broker, port)
    added = hall("console", "--config", str(config), "user", "add", "wang", "--role", "manager",
                 "--password-stdin", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    env = {**os.environ, "HALL_ID": controller.topics.hall_id, "HALL_MQTT_PORT": str(broker.port),
           "HALL_STORE_PATH": str(controller.config.store_path)}
    env.pop("WATCHDOG_USEC", None)
    process = ConsoleProcess(config, env, tmp_path, port)
    yield process
    process.stop()


def hall_page_when(client: httpx.Client, shows: Callable[[str], bool]) -> str:
    """The live hall page, fetched until it shows what is awaited (the console catches up)."""
    pause = threading.Event()
    page = ""
    for _ in range(int(WAIT_S / 0.2)):
        page = client.get("/hall").text
        if shows(page):
            return page
        pause.wait(0.2)
    raise AssertionError(f"the hall page never showed what was awaited:\n{page[-3000:]}")


def open_alerts(page: str) -> list[str]:
    """The message of every alert still awaiting acknowledgement, in page order."""
    return re.findall(r'<li class="alert open"[^>]*>.*?<div class="msg">([^<]*)</div>', page,
                      re.DOTALL)


def acked_alerts(page: str) -> list[str]:
    return re.findall(r'<li class="alert acked"[^>]*>.*?<div class="msg">([^<]*)</div>', page,
                      re.DOTALL)


def lock_sign_in(make_device: Callable[..., object], broker: LocalBroker, window: int) -> None:
    counter, _ = make_device(broker, f"counter-{window}", m.Role.COUNTER)  # type: ignore[misc]
    for attempt in range(5):
        counter.request(m.SignIn, window=window, staff_id="YB0101", pin=f"97531{attempt}")


def test_unacknowledged_alerts_come_back_after_kill_and_restart_once_each_until_acknowledged(
        console_process: ConsoleProcess, broker: LocalBroker,
        make_device: Callable[..., object]) -> None:
    console_process.start()
    with console_process.logged_in() as client:
        hall_page_when(client, lambda page: 'class="stale "' in page)  # subscribed and live
        lock_sign_in(make_device, broker, 3)
        hall_page_when(client, lambda page: LOCK_3 in page)
    console_process.kill_hard()

    lock_sign_in(make_device, broker, 4)  # raised while no console runs: the broker keeps it
    console_process.start()
    with console_process.logged_in() as client:
        page = hall_page_when(client, lambda page: LOCK_4 in page)
        shown = open_alerts(page)
        assert sum(LOCK_3 in a for a in shown) == 1 and sum(LOCK_4 in a for a in shown) == 1
        alert_id = re.search(r'<div class="msg">[^<]*' + LOCK_3 + r'[^<]*</div>.*?'
                             r'name="alert_id" value="([^"]+)"', page, re.DOTALL)
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
        assert alert_id and csrf
        acked = client.post("/alerts/ack", data={"csrf": csrf.group(1),
                                                  "alert_id": alert_id.group(1)})
        assert acked.status_code == 303
    console_process.stop()

    console_process.start()
    with console_process.logged_in() as client:
        page = hall_page_when(client, lambda page: LOCK_4 in page and LOCK_3 in page)
        assert [a for a in open_alerts(page) if "登录已锁定" in a] == [LOCK_4 + "：工号 YB0101 连续输错密码"]
        assert [a for a in acked_alerts(page) if "登录已锁定" in a] == [LOCK_3 + "：工号 YB0101 连续输错密码"]
        audit = client.get("/audit").text
        assert "acknowledge_alert" in audit and alert_id.group(1) in audit


def test_an_alert_raised_again_or_redelivered_is_shown_once_and_the_store_stays_bounded(
        tmp_path: Path, broker: LocalBroker, clock: FakeClock) -> None:
    store = ConsoleStore(tmp_path / "console.db")
    live = LiveHall(device_settings(broker, "manager"), "hall-x", "console-9", clock=clock,
                    device_alert_after=timedelta(minutes=5), alert_store=store)
    overdue = m.HallAlert(alert="case_overdue", at=clock(), message_zh="差评整改 C-1 已超期",
                          alert_id=f"case:C-1:{clock().date()}")
    live._receive(live.topics.alert, overdue)
    clock.advance(minutes=1)
    # The controller restarted and swept again: the same case, the same day, a later time.
    live._receive(live.topics.alert, m.HallAlert(alert="case_overdue", at=clock(),
                                                  message_zh="差评整改 C-1 已超期",
                                                  alert_id=f"case:C-1:{clock().date()}"))
    assert [a.message_zh for a in live.snapshot().alerts] == ["差评整改 C-1 已超期"]
    assert live.acknowledge(overdue.alert_id, "wang")
    assert not live.acknowledge(overdue.alert_id, "li")  # once only

    reopened = LiveHall(device_settings(broker, "manager"), "hall-x", "console-9", clock=clock,
                        device_alert_after=timedelta(minutes=5), alert_store=store)
    reopened._receive(reopened.topics.alert, overdue)  # the broker's redelivery
    assert [(a.alert_id, a.acknowledged_by) for a in reopened.snapshot().alerts] == [
        (overdue.alert_id, "wang")]

    for n in range(MAX_STORED_ALERTS + 20):
        clock.advance(seconds=1)
        store.record_alert(StoredAlert(f"a-{n}", "rate_limited", clock(), f"第 {n} 条"), clock())
    kept = store.alerts(MAX_STORED_ALERTS * 2)
    assert len(kept) == MAX_STORED_ALERTS
    assert all(a.acknowledged_by == "" for a in kept)  # the acknowledged one made room first
    assert {a.alert_id for a in kept} == {f"a-{n}" for n in range(20, MAX_STORED_ALERTS + 20)}
    store.close()
