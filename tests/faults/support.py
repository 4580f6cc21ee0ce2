"""The fault suite drives the hub from outside, as devices would: a real Mosquitto, the
controller as a real process (so kill -9 means something), and devices on the bus."""
from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from broker_config import LocalBroker
from hall.config import SAMPLE_HALL
from hall.core.staff_auth import hash_pin
from hall.device_client import DeviceClient
from hall.protocol import messages as m
from hall.store import SqliteStore
from tests.conftest import config_env, device_settings
from tests.support import CONNECT_TIMEOUT_S, STAFF_PIN, Inbox

ROOT = Path(__file__).resolve().parents[2]
# Generous: these run on a busy 2-core machine next to other engineers' suites.
RECOVERY_TIMEOUT_S = 30.0


class ControllerProcess:
    """`hall controller` in a process of its own, with its log in a file."""

    def __init__(self, broker: LocalBroker, hall_id: str, workdir: Path,
                 watch: tuple[DeviceClient, Inbox], **env: str) -> None:
        self.store = workdir / "hall.db"
        self.env = {**os.environ, **config_env(broker, hall_id, self.store),
                    "PYTHONPATH": str(ROOT), **env}
        self.watch, self.watch_inbox = watch
        self.log = workdir / "controller.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.boots = 0
        self._staff_pins()

    def _staff_pins(self) -> None:
        from hall.config import load_config

        config = load_config(SAMPLE_HALL, env=self.env)
        store = SqliteStore(self.store)
        try:
            pin_hash = hash_pin(STAFF_PIN)
            for member in config.catalogue.staff[:3]:
                from datetime import UTC, datetime
                store.set_pin_hash(member.staff_id, pin_hash, datetime(2026, 1, 1, tzinfo=UTC))
        finally:
            store.close()

    def start(self) -> None:
        self.boots += 1
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "hall", "controller", "--config", str(SAMPLE_HALL)],
                env=self.env, stdout=subprocess.DEVNULL, stderr=log)
        boots = self.boots
        self.watch_inbox.wait_for(
            lambda t, msg: isinstance(msg, m.Presence) and msg.role is m.Role.CONTROLLER
            and msg.boot_count == boots and msg.status is m.DeviceStatus.ONLINE,
            timeout_s=RECOVERY_TIMEOUT_S)

    def kill(self, sig: int = signal.SIGKILL) -> int:
        assert self.process is not None
        self.process.send_signal(sig)
        return self.process.wait(timeout=15)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.kill(signal.SIGTERM)

    def rss_kib(self) -> int:
        assert self.process is not None
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS")

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def hub(broker: LocalBroker, hall_id: str, workdir: Path, **env: str
        ) -> Iterator[tuple[ControllerProcess, Callable[..., tuple[DeviceClient, Inbox]]]]:
    """A controller process and a device factory; everything stopped at the end."""
    clients: list[DeviceClient] = []

    def device(device_id: str, role: m.Role = m.Role.KIOSK, subscriptions: tuple[str, ...] = (),
               user: str = "device") -> tuple[DeviceClient, Inbox]:
        inbox = Inbox()
        client = DeviceClient(device_settings(broker, user), hall_id, device_id, role,
                              on_message=inbox.put, subscriptions=subscriptions)
        client.start()
        assert client.wait_connected(CONNECT_TIMEOUT_S), f"{device_id} did not connect"
        clients.append(client)
        return client, inbox

    watch = device("console-watch", m.Role.CONSOLE, user="manager", subscriptions=(
        f"hall/{hall_id}/device/controller/presence", f"hall/{hall_id}/event/alert"))
    controller = ControllerProcess(broker, hall_id, workdir, watch, **env)
    try:
        controller.start()
        answer = watch[0].request(m.OpenHall, timeout_s=RECOVERY_TIMEOUT_S)
        assert isinstance(answer, m.Accepted), answer
        yield controller, device
    finally:
        for client in clients:
            client.stop()
        controller.stop()


def timed_requests(kiosk: DeviceClient, count: int, business: str = "enrollment",
                   timeout_s: float = RECOVERY_TIMEOUT_S) -> list[float]:
    """Seconds each of `count` take_ticket requests took to be answered, one after another."""
    took = []
    for _ in range(count):
        started = time.monotonic()
        answer = kiosk.request_retrying(m.TakeTicket, business=business, timeout_s=timeout_s)
        assert isinstance(answer, (m.TicketAnswer, m.Rejected)), answer
        took.append(time.monotonic() - started)
    return took


def p99_ms(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0] * 1000 if samples else 0.0
    return statistics.quantiles(samples, n=100)[98] * 1000


def report(title: str, **counts: object) -> None:
    """Counts go to the test's output (pytest -s, or the captured stdout of a failure)."""
    print(f"[faults] {title}: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
