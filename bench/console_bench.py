"""Console bench: controller publish -> the live hall page's DOM updated, beside one MQTT hop;
and the console process's memory. Real broker, controller, `hall console` process, Chromium.

    .venv/bin/python -m bench.console_bench [--samples 100] [--json FILE]
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.figures import Figure, figure
from broker_config import LocalBroker
from broker_config.local_broker import free_port
from hall.bus import MqttBus
from hall.config import SAMPLE_HALL, MqttSettings, load_config
from hall.controller import ControllerService
from hall.device_client import DeviceClient
from hall.protocol import Topics
from hall.protocol import messages as m

TIMEOUT_S = 15.0
PASSWORD = "bench-console-pass-1"
BUSINESS = "enrollment"
# Records, in the page, when the enrollment row first shows the wanted count (wall-clock ms).
WATCH_JS = """
window.__seen = null;
const want = String(arguments[0]);
const check = () => {
  const el = document.querySelector('#business-enrollment .waiting');
  if (el && el.textContent.trim() === want && window.__seen === null) {
    window.__seen = performance.timeOrigin + performance.now();
  }
};
if (window.__watch) { window.__watch.disconnect(); }
window.__watch = new MutationObserver(check);
window.__watch.observe(document.getElementById('live-businesses'), {childList: true, subtree: true});
"""


class QueueObserver:
    """An MQTT client beside the console: when each waiting count of the business arrived."""

    def __init__(self, settings: MqttSettings, hall_id: str) -> None:
        self._arrived: dict[int, float] = {}
        self._cond = threading.Condition()
        self.client = DeviceClient(settings, hall_id, "bench-observer", m.Role.WALL,
                                   on_message=self._receive,
                                   subscriptions=(Topics(hall_id).queue,))

    def _receive(self, topic: str, message: m.Message) -> None:
        now = time.time()
        if isinstance(message, m.QueueSnapshot):
            for row in message.businesses:
                if row.code == BUSINESS:
                    with self._cond:
                        self._arrived.setdefault(row.waiting, now)
                        self._cond.notify_all()

    def arrived(self, waiting: int) -> float:
        with self._cond:
            if not self._cond.wait_for(lambda: waiting in self._arrived, TIMEOUT_S):
                raise TimeoutError(f"no queue snapshot with {waiting} waiting")
            return self._arrived[waiting]


def mqtt_floor(settings: MqttSettings, samples: int) -> Figure:
    """One publish -> receive hop between two clients on the same broker."""
    got = threading.Event()
    received: list[float] = []

    def receive(topic: str, payload: bytes) -> None:
        received.append(time.perf_counter())
        got.set()

    subscriber = MqttBus("bench-floor-sub", settings, on_message=receive,
                         subscriptions=(("hall/bench-floor/state/queue", 1),))
    publisher = MqttBus("bench-floor-pub", settings, on_message=lambda t, p: None)
    subscriber.start()
    publisher.start()
    try:
        subscriber.wait_connected(TIMEOUT_S)
        subscriber.wait_subscribed(TIMEOUT_S)
        publisher.wait_connected(TIMEOUT_S)
        hops = []
        for _ in range(samples):
            got.clear()
            start = time.perf_counter()
            publisher.publish("hall/bench-floor/state/queue", b"x" * 1500, qos=1)
            if not got.wait(TIMEOUT_S):
                raise TimeoutError("the floor's message never arrived")
            hops.append(received[-1] - start)
        return figure("one MQTT hop, publish -> receive (floor)", hops)
    finally:
        publisher.stop()
        subscriber.stop()


def rss_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in KiB."""
    fields = dict(line.split(":", 1) for line in
                  Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def run(samples: int, workdir: Path) -> dict[str, Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    broker = LocalBroker(workdir / "mosquitto")
    broker.start()
    hall_id = "bench-console"
    env = {"HALL_ID": hall_id, "HALL_MQTT_PORT": str(broker.port),
           "HALL_MQTT_USERNAME": "controller", "HALL_MQTT_PASSWORD": broker.users["controller"],
           "HALL_STORE_PATH": str(workdir / "hall.db"), "HALL_AUTO_HOURS": "0",
           # One kiosk takes every ticket of the run: far above its per-device limit.
           "HALL_RATE_LIMIT_SCALE": "0"}
    controller = ControllerService(load_config(SAMPLE_HALL, env=env))
    controller.start()
    device = MqttSettings(port=broker.port, username="device", password=broker.users["device"])
    manager = MqttSettings(port=broker.port, username="manager",
                           password=broker.users["manager"])
    port = free_port()
    config = workdir / "hall.toml"
    sample = SAMPLE_HALL.read_text(encoding="utf-8").replace(
        "[hall]\n", f'[hall]\npublic_base_url = "http://127.0.0.1:{port}"\n', 1)
    config.write_text(sample + f"""
[console]
listen = "127.0.0.1:{port}"
db_path = "console.db"
mqtt_username = "manager"
mqtt_password_file = "{broker.directory / 'manager.secret'}"
""", encoding="utf-8")
    hall_cmd = [sys.executable, "-m", "hall"]
    subprocess.run([*hall_cmd, "console", "--config", str(config), "user", "add", "bench",
                    "--role", "manager", "--password-stdin"], input=PASSWORD + "\n", text=True,
                   check=True, capture_output=True, env={**env})
    console = subprocess.Popen([*hall_cmd, "console", "--config", str(config)], env={**env},
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    kiosk = DeviceClient(device, hall_id, "kiosk-1", m.Role.KIOSK)
    opener = DeviceClient(manager, hall_id, "console-bench", m.Role.CONSOLE)
    observer = QueueObserver(device, hall_id)
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1920,1080"):
        options.add_argument(argument)
    driver = None
    try:
        for client in (kiosk, opener, observer.client):
            client.start()
            client.wait_connected(TIMEOUT_S)
        if not isinstance(opener.request(m.OpenHall, timeout_s=TIMEOUT_S), m.Accepted):
            raise RuntimeError("the hall did not open")
        assert console.stdout is not None
        console.stdout.readline()  # "hall console: <url>" once it listens
        rss_idle = rss_kib(console.pid)
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")
                                                  or "/usr/bin/chromedriver"), options=options)
        driver.get(f"http://127.0.0.1:{port}/login")
        driver.find_element(By.ID, "username").send_keys("bench")
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        driver.find_element(By.ID, "login").click()
        WebDriverWait(driver, TIMEOUT_S).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, "#business-enrollment"))
        latencies = []
        for waiting in range(1, samples + 1):
            driver.execute_script(WATCH_JS, waiting)
            answer = kiosk.request(m.TakeTicket, business=BUSINESS, timeout_s=TIMEOUT_S)
            if not isinstance(answer, m.TicketAnswer):
                raise RuntimeError(f"no ticket: {answer}")
            arrived = observer.arrived(waiting)
            seen = WebDriverWait(driver, TIMEOUT_S, poll_frequency=0.02).until(
                lambda d: d.execute_script("return window.__seen"))
            latencies.append(float(seen) / 1000 - arrived)
        floor = mqtt_floor(MqttSettings(port=broker.port, username="controller",
                                        password=broker.users["controller"]), samples)
        live = figure("controller's publish seen by an MQTT client -> console DOM updated",
                      latencies)
        rss_now, rss_peak = rss_kib(console.pid)
        return {"floor": asdict(floor), "console_dom": asdict(live),
                "console_rss_kib_idle": rss_idle[0], "console_rss_kib_serving": rss_now,
                "console_rss_kib_peak": rss_peak}
    finally:
        if driver is not None:
            driver.quit()
        for client in (kiosk, opener, observer.client):
            client.stop()
        console.terminate()
        console.wait(timeout=30)
        controller.stop()
        broker.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="console-bench-"))
    try:
        result = run(args.samples, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"{'measure':<72}{'n':>5}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}")
    for key in ("floor", "console_dom"):
        f = result[key]
        print(f"{f['name']:<72}{f['count']:>5}{f['p50_ms']:>9.2f}{f['p99_ms']:>9.2f}"
              f"{f['mean_ms']:>9.2f}")
    print(f"console RSS: {result['console_rss_kib_idle'] / 1024:.1f} MiB at start, "
          f"{result['console_rss_kib_serving'] / 1024:.1f} MiB serving one live page, "
          f"peak {result['console_rss_kib_peak'] / 1024:.1f} MiB")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
