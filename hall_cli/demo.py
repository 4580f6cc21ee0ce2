"""`hall demo`: a broker, the controller and a simulated day of citizens and clerks."""
from __future__ import annotations

import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from broker_config import LocalBroker
from hall.config import SAMPLE_HALL, HallConfig, MqttSettings, load_config
from hall.controller import ControllerService
from hall.core.catalogue import Catalogue
from hall.device_client import DeviceClient, RequestTimeout
from hall.protocol import Topics
from hall.protocol import messages as m
from hall.simulation import (
    CitizenStream,
    Clerk,
    SimClock,
    Tally,
    demo_day,
    peak_arrivals_per_hour,
    staff_for_windows,
)
from hall.staff_cli import assign_random_pins

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from console.server import ConsoleServer

logger = logging.getLogger(__name__)

HUMAN_WINDOWS = 2

STATUS_ZH = {"closed": "未开", "idle": "空闲", "serving": "服务中", "paused": "暂停"}
PAUSE_ZH = {"away": "临时离开", "lunch": "午休", "system_fault": "系统故障", "meeting": "会议"}
SUMMARY_EVERY_S = 2.0
KIOSKS = 2
ANSWER_TIMEOUT_S = 10.0
STARTUP_TIMEOUT_S = 60.0
# Opening the screen in a child first: Qt aborts (no cleanup possible) when it cannot.
SCREEN_PROBE = "from PySide6.QtWidgets import QApplication; QApplication([])"
SCREEN_PROBE_TIMEOUT_S = 30.0


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


def render_summary(wall: WallObserver, tally: Tally, now: datetime, note: str = "") -> str:
    with wall.lock:
        lines = [note] if note else []
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


WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def day_note(today: date, day: date, speed: float) -> tuple[str, str]:
    """What the demo says about the day it simulates, in Chinese and in English."""
    zh = f"演示：模拟 {day:%Y-%m-%d} {WEEKDAYS_ZH[day.weekday()]}的办公日，大厅时间加速 {speed:g} 倍"
    en = f"Demo: a working day ({day:%A %Y-%m-%d}) at {speed:g}x hall time"
    if day != today:
        zh = f"今天（{WEEKDAYS_ZH[today.weekday()]}）大厅不办公。" + zh
        en = f"Today ({today:%A}) the hall is closed. " + en
    return zh, en


def human_windows(catalogue: Catalogue, count: int) -> list[int]:
    """The windows left to the person at the screen: the 综合窗口 first, then the highest
    numbers whose businesses other (simulated) windows still serve."""
    chosen: list[int] = []
    for window in sorted(catalogue.windows, key=lambda w: (len(w.businesses), w.number),
                         reverse=True):
        others = [w for w in catalogue.windows if w.number not in (*chosen, window.number)]
        if all(any(b.code in w.businesses for w in others) for b in catalogue.businesses):
            chosen.append(window.number)
        if len(chosen) == count:
            break
    return sorted(chosen)


def run_demo(*, headless: bool, duration_s: float, speed: float, seed: int,
             out: TextIO = sys.stdout, today: date | None = None) -> int:
    """Run the demo hall; everything it started is stopped and removed on any way out."""
    gui = not headless and bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if not headless and not gui:
        print("No screen found: running headless (terminal summary only).", file=out)
    # Qt aborts the process when it cannot open the screen: open it before anything exists
    # that would need cleaning up (the broker, the temporary folder).
    qt_app = open_screen(out) if gui else None
    gui = qt_app is not None
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set())
                for sig in (signal.SIGTERM, signal.SIGINT)}
    workdir = Path(tempfile.mkdtemp(prefix="hall-demo-"))
    broker: LocalBroker | None = None
    devices: list[DeviceClient] = []
    controller: ControllerService | None = None
    console: ConsoleServer | None = None
    try:
        broker = LocalBroker(workdir / "mosquitto")
        broker.start()
        config = load_config(SAMPLE_HALL, env={
            "HALL_MQTT_PORT": str(broker.port), "HALL_MQTT_USERNAME": "controller",
            "HALL_MQTT_PASSWORD": broker.users["controller"],
            "HALL_STORE_PATH": str(workdir / "hall.db"), "HALL_AUTO_HOURS": "1",
            # the simulated day runs faster than real time: per-device limits would cut it
            "HALL_RATE_LIMIT_SCALE": "0"})
        catalogue = config.catalogue
        real_today = today or datetime.now(config.timezone).date()
        day = demo_day(real_today, catalogue.hours)
        note_zh, note_en = day_note(real_today, day, speed)
        clock = SimClock(datetime.combine(day, time(8, 59, 50), tzinfo=config.timezone), speed)
        every_clerk = staff_for_windows(catalogue)
        pins = assign_random_pins(config.store_path, catalogue, every_clerk.values(), clock())
        # With a screen, two windows are yours: their terminals and pads open.
        yours = human_windows(catalogue, HUMAN_WINDOWS) if gui else []
        clerks = {w: s for w, s in every_clerk.items() if w not in yours}
        controller = ControllerService(config, clock=clock)
        controller.start()
        console = _start_console(config, broker, workdir, out)
        rating_url = console.config.public_base_url if console else "http://hall.local"
        settings = MqttSettings(port=broker.port, username="device",
                                password=broker.users["device"])
        topics = Topics(catalogue.hall_id)
        wall = WallObserver()
        wall_client = DeviceClient(settings, catalogue.hall_id, "wall-1", m.Role.WALL,
                                   on_message=wall.receive,
                                   subscriptions=(topics.all_state, topics.all_events))
        devices.append(wall_client)
        manager = DeviceClient(MqttSettings(port=broker.port, username="manager",
                                            password=broker.users["manager"]),
                               catalogue.hall_id, "console-demo", m.Role.CONSOLE)
        devices.append(manager)
        rng = random.Random(seed)
        tally = Tally()
        actors: list[threading.Thread] = []
        peak = peak_arrivals_per_hour(catalogue, len(clerks))
        for k in range(1, KIOSKS + 1):
            client = DeviceClient(settings, catalogue.hall_id, f"kiosk-{k}", m.Role.KIOSK)
            devices.append(client)
            actors.append(CitizenStream(client, catalogue, clock, stop, tally,
                                        random.Random(rng.random()), peak / KIOSKS))
        for window, staff_id in clerks.items():
            client = DeviceClient(settings, catalogue.hall_id, f"counter-{window}", m.Role.COUNTER)
            devices.append(client)
            actors.append(Clerk(client, catalogue, window, staff_id, pins[staff_id], clock, stop,
                                tally,
                                random.Random(rng.random())))
        for device in devices:
            device.start()
        # Nobody acts before the controller listens: an intent sent earlier would go unanswered.
        if not controller.wait_ready(STARTUP_TIMEOUT_S) or not all(
                device.wait_connected(STARTUP_TIMEOUT_S) for device in devices):
            print("hall demo: the controller or a simulated device did not reach the broker "
                  "in time", file=out)
            return 1
        print(f"Demo hall {catalogue.name_zh} on MQTT 127.0.0.1:{broker.port}, "
              f"hall time x{speed:g}; Ctrl+C stops.", file=out)
        print(f"{note_zh}\n{note_en}", file=out)
        _post_day_note(manager, f"{note_zh}  {note_en}")
        for actor in actors:
            actor.start()
        for window in yours:
            staff_id = every_clerk[window]
            print(f"Window {window} is yours: sign in with 工号 {staff_id} and PIN "
                  f"{pins[staff_id]} (made for this demo).", file=out)

        def summarize() -> None:
            if out.isatty():
                out.write("\x1b[2J\x1b[H")
            print(render_summary(wall, tally, clock(), note_zh), file=out, flush=True)

        if qt_app is not None:
            from hall_cli.demo_screens import run_with_screens

            run_with_screens(qt_app, broker, catalogue.hall_id, yours, workdir, clock, stop,
                             duration_s, summarize, title_note=note_zh, out=out,
                             rating_url=rating_url)
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
        print(render_summary(wall, tally, clock(), note_zh), file=out)
        print(f"Demo finished: {tally.issued} tickets issued, {tally.served} served, "
              f"{tally.no_shows} no-shows, {tally.timeouts} requests unanswered.", file=out)
        return 0 if tally.timeouts == 0 else 1
    finally:
        stop.set()
        for device in devices:
            device.stop()
        if console is not None:
            console.stop()
        if controller is not None:
            controller.stop()
        if broker is not None:
            broker.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def open_screen(out: TextIO) -> QApplication | None:
    """The Qt application on the screen; None (run headless) when Qt or its screen is missing."""
    try:
        from PySide6.QtWidgets import QApplication
    except ImportError:
        print("The wall and counter extras are not installed (scripts/setup installs them): "
              "running headless.", file=out)
        return None
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    try:
        probe = subprocess.run([sys.executable, "-c", SCREEN_PROBE], capture_output=True,
                               text=True, timeout=SCREEN_PROBE_TIMEOUT_S, check=False)
        failure = "" if probe.returncode == 0 else probe.stderr.strip()[-1500:]
    except subprocess.TimeoutExpired:
        failure = "Qt did not open the screen in time"
    if failure:
        print(f"{failure}\nQt cannot open this screen (missing system libraries? run "
              f"scripts/setup): running headless.", file=out)
        return None
    return QApplication([])


def _post_day_note(manager: DeviceClient, text: str) -> None:
    """The simulated day scrolls on the wall's ticker, so nobody takes it for today."""
    if not manager.wait_connected(ANSWER_TIMEOUT_S):
        logger.warning("the demo's manager account did not connect: no note on the wall")
        return
    try:
        manager.request(m.PushNotice, text_zh=text, timeout_s=ANSWER_TIMEOUT_S)
    except RequestTimeout:
        logger.warning("the demo's day note was not confirmed")


def _start_console(config: HallConfig, broker: LocalBroker, workdir: Path,
                   out: TextIO) -> ConsoleServer | None:
    """The manager console too, when its extra is installed; its URL and a one-time password."""
    try:
        from console.demo import DEMO_MANAGER, start_demo_console
    except ImportError:
        logger.warning("the console extra is not installed: no manager console")
        return None
    server, password = start_demo_console(
        config, MqttSettings(port=broker.port, username="manager",
                             password=broker.users["manager"]), workdir)
    print(f"Manager console: {server.url}  user {DEMO_MANAGER}, password {password} "
          "(made for this demo); receipts' QR codes open its phone page.", file=out)
    return server


