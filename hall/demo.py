"""`hall demo`: a broker, the controller and a simulated day of citizens and clerks."""
from __future__ import annotations

import logging
import os
import random
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from datetime import datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from broker_config import LocalBroker
from hall.config import SAMPLE_HALL, MqttSettings, load_config
from hall.controller import ControllerService
from hall.device_client import DeviceClient
from hall.protocol import Topics
from hall.protocol import messages as m
from hall.simulation import CitizenStream, Clerk, SimClock, Tally, staff_for_windows
from hall.staff_cli import assign_random_pins

if TYPE_CHECKING:
    from kiosk.app import DemoKiosk

logger = logging.getLogger(__name__)

HUMAN_WINDOWS = 2

STATUS_ZH = {"closed": "未开", "idle": "空闲", "serving": "服务中", "paused": "暂停"}
PAUSE_ZH = {"away": "临时离开", "lunch": "午休", "system_fault": "系统故障", "meeting": "会议"}
SUMMARY_EVERY_S = 2.0
KIOSKS = 2


class WallObserver:
    """Keeps the latest retained state, as a display wall would."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.queue: m.QueueSnapshot | None = None
        self.windows: dict[int, m.WindowState] = {}
        self.calls: m.RecentCalls | None = None
        self.hall: m.HallInfo | None = None
        self.announced = 0

    def receive(self, topic: str, message: m.Message) -> None:
        with self.lock:
            if isinstance(message, m.QueueSnapshot):
                self.queue = message
            elif isinstance(message, m.WindowState):
                self.windows[message.window] = message
            elif isinstance(message, m.RecentCalls):
                self.calls = message
            elif isinstance(message, m.HallInfo):
                self.hall = message
            elif isinstance(message, (m.TicketCalled, m.TicketRecalled)):
                self.announced += 1


def render_summary(wall: WallObserver, tally: Tally, now: datetime) -> str:
    with wall.lock:
        lines = []
        name = wall.hall.name_zh if wall.hall else "大厅"
        is_open = wall.queue.is_open if wall.queue else False
        lines.append(f"[{now:%H:%M} hall time] {name}  {'取号中 open' if is_open else '停止取号 closed'}"
                     f"  issued {tally.issued}  served {tally.served}  no-shows {tally.no_shows}"
                     f"  calls announced {wall.announced}")
        lines.append(f"  业务 business{' ' * 17}等待  预计/分  窗口")
        for b in (wall.queue.businesses if wall.queue else ()):
            est = "-" if b.est_wait_min is None else str(b.est_wait_min)
            label = f"{b.prefix} {b.name_zh}"
            pad = 30 - _width(label)
            lines.append(f"  {label}{' ' * max(pad, 1)}{b.waiting:>4}{est:>9}{b.windows_open:>6}")
        for number in sorted(wall.windows):
            w = wall.windows[number]
            status = STATUS_ZH[w.status.value]
            if w.pause_reason is not None:
                status += f"({PAUSE_ZH[w.pause_reason.value]})"
            staff = f"{w.staff_name}({w.staff_id})" if w.staff_id else ""
            lines.append(f"  窗口{number:<3} {status:<8} {staff:<18} {w.ticket_number}")
        if wall.calls and wall.calls.calls:
            recent = "  ".join(f"{c.number}→{c.window}号" + ("(重呼)" if c.is_recall else "")
                               for c in wall.calls.calls[:6])
            lines.append(f"  最近叫号 recent calls: {recent}")
    return "\n".join(lines)


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def run_demo(*, headless: bool, duration_s: float, speed: float, seed: int,
             out: TextIO = sys.stdout) -> int:
    gui = not headless and bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if not headless and not gui:
        print("No screen found: running headless (terminal summary only).", file=out)
    workdir = Path(tempfile.mkdtemp(prefix="hall-demo-"))
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    broker = LocalBroker(workdir / "mosquitto")
    broker.start()
    devices: list[DeviceClient] = []
    controller: ControllerService | None = None
    try:
        config = load_config(SAMPLE_HALL, env={
            "HALL_MQTT_PORT": str(broker.port), "HALL_MQTT_USERNAME": "controller",
            "HALL_MQTT_PASSWORD": broker.users["controller"],
            "HALL_STORE_PATH": str(workdir / "hall.db"), "HALL_AUTO_HOURS": "1",
            # the simulated day runs faster than real time: per-device limits would cut it
            "HALL_RATE_LIMIT_SCALE": "0"})
        catalogue = config.catalogue
        today = datetime.now(config.timezone).date()
        clock = SimClock(datetime.combine(today, time(8, 59, 50), tzinfo=config.timezone), speed)
        every_clerk = staff_for_windows(catalogue)
        pins = assign_random_pins(config.store_path, catalogue, every_clerk.values(), clock())
        # With a screen, the last two windows are yours: their terminals and pads open.
        yours = sorted(every_clerk)[-HUMAN_WINDOWS:] if gui else []
        clerks = {w: s for w, s in every_clerk.items() if w not in yours}
        controller = ControllerService(config, clock=clock)
        controller.start()
        settings = MqttSettings(port=broker.port, username="device",
                                password=broker.users["device"])
        topics = Topics(catalogue.hall_id)
        wall = WallObserver()
        wall_client = DeviceClient(settings, catalogue.hall_id, "wall-1", m.Role.WALL,
                                   on_message=wall.receive,
                                   subscriptions=(topics.all_state, topics.all_events))
        devices.append(wall_client)
        rng = random.Random(seed)
        tally = Tally()
        actors: list[threading.Thread] = []
        for k in range(1, KIOSKS + 1):
            client = DeviceClient(settings, catalogue.hall_id, f"kiosk-{k}", m.Role.KIOSK)
            devices.append(client)
            actors.append(CitizenStream(client, catalogue, clock, stop, tally,
                                        random.Random(rng.random()), 1 / KIOSKS))
        for window, staff_id in clerks.items():
            client = DeviceClient(settings, catalogue.hall_id, f"counter-{window}", m.Role.COUNTER)
            devices.append(client)
            actors.append(Clerk(client, catalogue, window, staff_id, pins[staff_id], clock, stop,
                                tally,
                                random.Random(rng.random())))
        for device in devices:
            device.start()
        print(f"Demo hall {catalogue.name_zh} on MQTT 127.0.0.1:{broker.port}, "
              f"hall time x{speed:g}; Ctrl+C stops.", file=out)
        for actor in actors:
            actor.start()
        for window in yours:
            staff_id = every_clerk[window]
            print(f"Window {window} is yours: sign in with 工号 {staff_id} and PIN "
                  f"{pins[staff_id]} (made for this demo).", file=out)

        def summarize() -> None:
            if out.isatty():
                out.write("\x1b[2J\x1b[H")
            print(render_summary(wall, tally, clock()), file=out, flush=True)

        if gui:
            _run_with_screens(broker, catalogue.hall_id, yours, workdir, clock, stop, duration_s,
                              summarize)
        else:
            waited = 0.0
            while not stop.wait(SUMMARY_EVERY_S):
                waited += SUMMARY_EVERY_S
                summarize()
                if duration_s > 0 and waited >= duration_s:
                    break
        stop.set()
        for actor in actors:
            actor.join(timeout=10)
        print(render_summary(wall, tally, clock()), file=out)
        print(f"Demo finished: {tally.issued} tickets issued, {tally.served} served, "
              f"{tally.no_shows} no-shows, {tally.timeouts} requests unanswered.", file=out)
        return 0 if tally.timeouts == 0 else 1
    finally:
        stop.set()
        for device in devices:
            device.stop()
        if controller is not None:
            controller.stop()
        broker.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def _run_with_screens(broker: LocalBroker, hall_id: str, windows: list[int], workdir: Path,
                      clock: SimClock, stop: threading.Event, duration_s: float,
                      summarize: Callable[[], None]) -> None:
    """Open the display wall and the counters of `windows`, and run Qt until the demo ends."""
    try:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        from counter.app import CounterApp, CounterConfig
        from display_wall.app import WallApp, WallConfig
    except ImportError:
        logger.warning("the wall and counter extras are not installed: terminal summary only")
        while not stop.wait(SUMMARY_EVERY_S):
            summarize()
        return
    qt = QApplication.instance() or QApplication([])
    settings = MqttSettings(port=broker.port, username="device", password=broker.users["device"])
    wall = WallApp(WallConfig(hall_id=hall_id, device_id="wall-demo", mqtt=settings,
                              width=1600, height=900, full_screen=False), clock=clock)
    counters = [CounterApp(CounterConfig(
        hall_id=hall_id, window=window, mqtt=settings, pad_mqtt=settings,
        outbox_dir=workdir / f"outbox-{window}"), clock=clock) for window in windows]
    wall.start()
    for counter in counters:
        counter.start()
    kiosk = _open_kiosk(broker, hall_id, workdir / "kiosk")
    ticker = QTimer()
    ticker.timeout.connect(summarize)
    ticker.timeout.connect(lambda: stop.is_set() and qt.quit())
    ticker.start(int(SUMMARY_EVERY_S * 1000))
    if duration_s > 0:
        QTimer.singleShot(int(duration_s * 1000), qt.quit)
    try:
        qt.exec()
    finally:
        ticker.stop()
        for counter in counters:
            counter.stop()
        wall.stop()
        if kiosk is not None:
            kiosk.stop()


def _open_kiosk(broker: LocalBroker, hall_id: str, workdir: Path) -> DemoKiosk | None:
    """The citizen kiosk in a window too, when its extra is installed."""
    try:
        from kiosk.app import DemoKiosk
    except ImportError:
        logger.warning("the kiosk extra is not installed: no kiosk window")
        return None
    return DemoKiosk(hall_id, MqttSettings(port=broker.port, username="device",
                                           password=broker.users["device"]),
                     workdir)
