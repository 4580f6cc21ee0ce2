"""`hall bench`: ticket and call latencies with 50 connected devices, beside raw MQTT floors."""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from bench.figures import Figure, figure
from broker_config import LocalBroker
from hall.bus import MqttBus
from hall.config import SAMPLE_HALL, MqttSettings, load_config
from hall.device_client import DeviceClient
from hall.protocol import Topics
from hall.protocol import messages as m
from hall.staff_cli import assign_random_pins

HALL_ID = "bench-hall"
TIMEOUT_S = 10.0
BENCH_CLERK = "YB0108"


class Echo:
    """Round trips through a separate echo process: the same two broker hops as a request."""

    def __init__(self, broker: LocalBroker, workdir: Path) -> None:
        # Under the hall prefix, where the broker's ACL lets the controller account publish.
        self.ping, self.pong = f"hall/{HALL_ID}/bench/ping", f"hall/{HALL_ID}/bench/pong"
        self._arrived: dict[bytes, threading.Event] = {}
        self._lock = threading.Lock()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.echo", "--port", str(broker.port), "--user", "controller",
             "--password", broker.users["controller"], "--inbound", self.ping,
             "--outbound", self.pong],
            stdout=subprocess.PIPE, stderr=(workdir / "echo.log").open("wb"),
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
        assert self.process.stdout is not None
        self.process.stdout.readline()
        self.bus = MqttBus("bench-pinger", MqttSettings(port=broker.port, username="controller",
                                                        password=broker.users["controller"]),
                           on_message=self._pong, subscriptions=((self.pong, 1),))
        self.bus.start()
        self.bus.wait_connected(TIMEOUT_S)

    def _pong(self, topic: str, payload: bytes) -> None:
        with self._lock:
            event = self._arrived.get(payload)
        if event is not None:
            event.set()

    def send(self, payload: bytes) -> threading.Event:
        event = threading.Event()
        with self._lock:
            self._arrived[payload] = event
        self.bus.publish(self.ping, payload, qos=1)
        return event

    def round_trip(self, payload: bytes) -> float:
        start = time.perf_counter()
        if not self.send(payload).wait(TIMEOUT_S):
            raise TimeoutError("echo did not answer")
        return time.perf_counter() - start

    def close(self) -> None:
        self.bus.stop()
        self.process.terminate()
        self.process.wait(timeout=10)


class WallProbe:
    """A wall client that timestamps the window state showing each newly called ticket."""

    def __init__(self) -> None:
        self.seen: dict[str, float] = {}
        self.cond = threading.Condition()

    def receive(self, topic: str, message: m.Message) -> None:
        if isinstance(message, m.WindowState) and message.ticket_number:
            with self.cond:
                self.seen.setdefault(message.ticket_number, time.perf_counter())
                self.cond.notify_all()

    def wait(self, number: str) -> float:
        with self.cond:
            if not self.cond.wait_for(lambda: number in self.seen, timeout=TIMEOUT_S):
                raise TimeoutError(f"the wall never showed {number}")
            return self.seen[number]


# How the controller is started for each estimator `hall bench --estimators` compares.
CONTROLLERS = {"twin": ["-m", "hall", "controller"],
               "plain": ["-m", "bench.plain_controller"]}


def run_bench(*, ops: int, devices: int, json_out: Path | None,
              out: Callable[[str], None] = print, estimator: str = "twin",
              core_only: bool = False, results: dict[str, float] | None = None) -> int:
    """One full bench run against a controller with `estimator` (see CONTROLLERS).

    `core_only` measures the floor, the ticket answer and the call only (the comparison of
    estimators); `results` receives their p99s in ms.
    """
    workdir = Path(tempfile.mkdtemp(prefix="hall-bench-"))
    broker = LocalBroker(workdir / "mosquitto")
    broker.start()
    clients: list[DeviceClient] = []
    crowd: list[subprocess.Popen[bytes]] = []
    controller: subprocess.Popen[bytes] | None = None
    echo: Echo | None = None
    try:
        env = {**os.environ, "HALL_ID": HALL_ID, "HALL_MQTT_PORT": str(broker.port),
               "HALL_MQTT_USERNAME": "controller",
               "HALL_MQTT_PASSWORD": broker.users["controller"],
               "HALL_STORE_PATH": str(workdir / "hall.db"), "HALL_AUTO_HOURS": "0",
               # one bench kiosk stands for a whole hall: per-device rate limits off
               "HALL_RATE_LIMIT_SCALE": "0",
               "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
        catalogue = load_config(SAMPLE_HALL, env={**env, "HALL_AUTO_HOURS": "0"}).catalogue
        pin = assign_random_pins(workdir / "hall.db", catalogue, [BENCH_CLERK],
                                 datetime.now(UTC))[BENCH_CLERK]
        controller = subprocess.Popen(
            [sys.executable, *CONTROLLERS[estimator], "--config", str(SAMPLE_HALL)],
            env=env, stdout=subprocess.DEVNULL, stderr=(workdir / "controller.log").open("wb"))
        topics = Topics(HALL_ID)
        settings = MqttSettings(port=broker.port, username="device",
                                password=broker.users["device"])

        def connect(device_id: str, role: m.Role, subscriptions: tuple[str, ...] = (),
                    on_message: Callable[[str, m.Message], None] | None = None,
                    user_settings: MqttSettings = settings) -> DeviceClient:
            client = DeviceClient(user_settings, HALL_ID, device_id, role,
                                  subscriptions=subscriptions, on_message=on_message)
            client.start()
            if not client.wait_connected(TIMEOUT_S):
                raise TimeoutError(f"{device_id} could not connect")
            clients.append(client)
            return client

        manager = connect("console-1", m.Role.CONSOLE, user_settings=MqttSettings(
            port=broker.port, username="manager", password=broker.users["manager"]))
        _wait_answer(lambda: manager.request(m.OpenHall, timeout_s=2.0))
        kiosk = connect("kiosk-1", m.Role.KIOSK)
        counter = connect("counter-8", m.Role.COUNTER)
        probe = WallProbe()
        # The probe decodes only what it measures; the crowd below carries the full fan-out.
        connect("wall-1", m.Role.WALL, (topics.all_windows,), probe.receive)
        # The rest of the hall: walls and kiosks receiving every state change and event. They
        # are C clients (mosquitto_sub) in their own processes, so that their decoding does not
        # steal the measuring clients' interpreter, as it would not on real boards.
        crowd_size = max(0, devices - len(clients))
        for n in range(crowd_size):
            role = "wall" if n % 3 == 0 else "kiosk"
            crowd.append(subprocess.Popen(
                [shutil.which("mosquitto_sub") or "mosquitto_sub", "-p", str(broker.port),
                 "-u", "device", "-P", broker.users["device"], "-i", f"{role}-sim-{n}",
                 "-q", "1", "-t", topics.all_state, "-t", topics.all_events],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        _wait_for_clients(broker, len(clients) - 1 + crowd_size)  # the manager has its own account
        out(f"hall bench: {len(clients) + len(crowd)} devices connected to Mosquitto on "
            f"127.0.0.1:{broker.port}; {ops} operations per figure")

        echo = Echo(broker, workdir)
        for i in range(50):
            echo.round_trip(b"warm-%d" % i)
        floor = figure("raw MQTT two-hop round trip (floor)",
                       [echo.round_trip(b"ping-%d" % i) for i in range(ops)])

        codes = [b.code for b in catalogue.businesses]
        tickets = []
        for i in range(ops):
            start = time.perf_counter()
            answer = kiosk.request(m.TakeTicket, business=codes[i % len(codes)],
                                   timeout_s=TIMEOUT_S)
            tickets.append(time.perf_counter() - start)
            if not isinstance(answer, m.TicketAnswer):
                raise RuntimeError(f"ticket refused: {answer}")
        ticket = figure("ticket request -> answer (durable commit)", tickets)

        counter.request(m.SignIn, window=8, staff_id=BENCH_CLERK, pin=pin, timeout_s=TIMEOUT_S)
        calls, call_answers = [], []
        for _ in range(ops):
            start = time.perf_counter()
            answer = counter.request(m.CallNext, window=8, timeout_s=TIMEOUT_S)
            call_answers.append(time.perf_counter() - start)
            if not isinstance(answer, m.Accepted):
                raise RuntimeError(f"call refused: {answer}")
            calls.append(probe.wait(answer.number) - start)
        call_answer = figure("counter call -> counter's answer", call_answers)
        call = figure("counter call -> wall receives new window state", calls)

        if results is not None:
            results.update({"floor": floor.p99_ms, "ticket": ticket.p99_ms,
                            "call_answer": call_answer.p99_ms, "call_wall": call.p99_ms})
        if core_only:
            return 0
        burst = max(ops, 1000)
        start = time.perf_counter()
        events = [echo.send(b"burst-%d" % i) for i in range(burst)]
        for event in events:
            event.wait(TIMEOUT_S)
        floor_rate = burst / (time.perf_counter() - start)
        start = time.perf_counter()
        sent = [kiosk.send(m.TakeTicket, business=codes[i % len(codes)]) for i in range(burst)]
        for intent in sent:
            kiosk.answer(intent, TIMEOUT_S)
        ticket_rate = burst / (time.perf_counter() - start)

        figures = [floor, ticket, call_answer, call]
        out(f"{'measure':<48}{'n':>6}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}{'p99/floor':>11}")
        for f in figures:
            out(f"{f.name:<48}{f.count:>6}{f.p50_ms:>9.2f}{f.p99_ms:>9.2f}{f.mean_ms:>9.2f}"
                f"{f.p99_ms / floor.p99_ms:>10.1f}x")
        out(f"sustained tickets/s (pipelined {burst})            {ticket_rate:>8.0f}   "
            f"raw MQTT echoes/s (floor) {floor_rate:.0f}")
        wall_figures = _wall_figures(broker, kiosk, counter, pin, ops, out)
        kiosk_figures = _kiosk_figures(broker, out)
        printing = _printing_figures(max(10, ops // 10), out)
        if json_out is not None:
            json_out.write_text(json.dumps({
                "devices": len(clients) + len(crowd), "ops": ops,
                "figures": [asdict(f) for f in figures],
                "printing": [asdict(f) for f in printing],
                "wall": wall_figures,
                "kiosk": kiosk_figures,
                "sustained_tickets_per_s": ticket_rate, "raw_echo_per_s": floor_rate,
            }, indent=2) + "\n", encoding="utf-8")
        return 0
    finally:
        if echo is not None:
            echo.close()
        for client in clients:
            client.stop()
        for process in crowd:
            process.terminate()
            process.wait(timeout=10)
        if controller is not None:
            controller.terminate()
            controller.wait(timeout=15)
        broker.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def _wait_answer(ask: Callable[[], m.Answer]) -> m.Answer:
    """The controller process is still starting: ask until it answers."""
    deadline = time.monotonic() + 20
    while True:
        try:
            return ask()
        except Exception:
            if time.monotonic() > deadline:
                raise


def _wait_for_clients(broker: LocalBroker, expected: int) -> None:
    """Wait until the broker's log shows `expected` device connections from the device account."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        log = broker.log_file.read_text(encoding="utf-8", errors="replace")
        if log.count("u'device')") >= expected:
            return
        time.sleep(0.05)
    raise TimeoutError(f"fewer than {expected} devices connected")


def _printing_figures(count: int, out: Callable[[str], None]) -> list[Figure]:
    try:
        from bench.printer_bench import run_printer_bench
    except ImportError:
        out("printing: skipped (install the printer extra)")
        return []
    figures = run_printer_bench(count)
    for f in figures:
        out(f"{f.name:<58}{f.count:>6}{f.p50_ms:>9.2f}{f.p99_ms:>9.2f}{f.mean_ms:>9.2f}")
    return figures


def _wall_figures(broker: LocalBroker, kiosk: DeviceClient, counter: DeviceClient, pin: str,
                  ops: int,
                  out: Callable[[str], None]) -> dict[str, object]:
    try:
        from bench.wall_bench import run_wall_bench
    except ImportError:
        out("wall: skipped (install the wall extra)")
        return {}
    counter.request(m.SignOut, window=8, timeout_s=TIMEOUT_S)
    counter.request(m.SignIn, window=8, staff_id=BENCH_CLERK, pin=pin, timeout_s=TIMEOUT_S)
    repaint, idle, busy = run_wall_bench(HALL_ID, broker.port, broker.users["device"], kiosk,
                                         counter, 8, max(20, ops // 5))
    out(f"{repaint.name:<48}{repaint.count:>6}{repaint.p50_ms:>9.2f}{repaint.p99_ms:>9.2f}"
        f"{repaint.mean_ms:>9.2f}")
    out(f"wall CPU: idle {idle * 100:.1f}% of a core, during a burst of 20 calls "
        f"{busy * 100:.1f}%")
    return {"repaint": asdict(repaint), "cpu_idle": idle, "cpu_burst": busy}


def _kiosk_figures(broker: LocalBroker, out: Callable[[str], None]) -> dict[str, object]:
    try:
        from bench.kiosk_bench import run_kiosk_bench
    except ImportError:
        out("kiosk: skipped (install the kiosk extra)")
        return {}
    floor, kiosk = run_kiosk_bench(HALL_ID, broker.port, broker.users["device"])
    out(f"{'cold start to first touchable screen':<48}{'n':>6}{'p50 ms':>9}{'max ms':>9}"
        f"{'RSS MB':>9}")
    for f in (floor, kiosk):
        out(f"{f.name:<48}{f.runs:>6}{f.p50_ms:>9.0f}{f.max_ms:>9.0f}{f.rss_mb:>9.0f}")
    out(f"kiosk cold start / bare window (p50): {kiosk.p50_ms / floor.p50_ms:.2f}x")
    return {"floor": asdict(floor), "kiosk": asdict(kiosk)}


def compare_estimators(*, ops: int, devices: int, rounds: int, estimators: list[str],
                       out: Callable[[str], None] = print) -> int:
    """Each estimator's controller in turn, round after round (the machine's load drifts
    alike for both), then the median of the rounds' p99s beside each other."""
    unknown = sorted(set(estimators) - set(CONTROLLERS))
    if unknown:
        out(f"hall bench: unknown estimator {', '.join(unknown)}; known: {', '.join(CONTROLLERS)}")
        return 2
    found: dict[str, list[dict[str, float]]] = {name: [] for name in estimators}
    for n in range(rounds):
        for name in estimators:
            results: dict[str, float] = {}
            run_bench(ops=ops, devices=devices, json_out=None, out=lambda _line: None,
                      estimator=name, core_only=True, results=results)
            found[name].append(results)
            out(f"round {n + 1} {name:<6} p99 ms: floor {results['floor']:.2f}, ticket answer "
                f"{results['ticket']:.2f}, call -> wall {results['call_wall']:.2f}")
    out(f"median of {rounds} rounds' p99 (ms)   {'floor':>8}{'ticket':>9}{'call->wall':>12}")
    for name, rows in found.items():
        medians = {key: statistics.median(r[key] for r in rows) for key in rows[0]}
        out(f"{name:<36}{medians['floor']:>8.2f}{medians['ticket']:>9.2f}"
            f"{medians['call_wall']:>12.2f}")
    return 0
