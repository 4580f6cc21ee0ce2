"""`hall demo` with a screen: the wall, the kiosk and your counters, each in its own place."""
from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from zoneinfo import ZoneInfo

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from broker_config import LocalBroker
from hall.config import MqttSettings
from hall.simulation import SimClock

if TYPE_CHECKING:
    from kiosk.app import DemoKiosk

logger = logging.getLogger(__name__)

SUMMARY_EVERY_S = 2.0
KIOSK_SIZE = (720, 1280)
COUNTER_SIZES = {"terminal": (1280, 1024), "pad": (1280, 800), "screen": (1280, 400)}
# Terminals and pads beneath the wall are cascaded, each showing a strip of itself.
CASCADE_STEP = 40
# Set to a PNG path, the demo saves the screen once its windows have painted (tests, docs).
SCREENSHOT_ENV = "HALL_DEMO_SCREENSHOT"
SCREENSHOT_AFTER_MS = 4000


@dataclass(frozen=True, slots=True)
class Place:
    x: int
    y: int
    width: int
    height: int


def demo_places(screen: Place, windows: list[int]) -> dict[str, Place]:
    """Where each demo window goes on `screen`, in stacking order (the last on top).

    The wall (16:9, top left) and the kiosk (upright, on the right, its full width) are on top
    and never covered: a 1080p screen cannot hold two counters beside them. Under the wall, your
    window screens share the strip left by the wall (the window number in sight); your terminals
    and pads lie beneath the wall and kiosk, bottom-aligned and cascaded, so their action rows
    show under the wall, and a click brings one forward."""
    kiosk_h = min(KIOSK_SIZE[1], screen.height)
    # The kiosk keeps its full width (its layouts start at 720) and gives up height instead.
    kiosk_w = min(KIOSK_SIZE[0], screen.width // 2)
    wall_w = screen.width - kiosk_w
    wall_h = min(screen.height, round(wall_w * 9 / 16))
    bottom = screen.y + screen.height
    places: dict[str, Place] = {}
    for i, window in enumerate(windows):
        for part, step in (("terminal", i), ("pad", i + len(windows))):
            want_w, want_h = COUNTER_SIZES[part]
            width, height = min(want_w, screen.width), min(want_h, screen.height)
            x = screen.x + min(step * CASCADE_STEP, screen.width - width)
            y = bottom - height - step * CASCADE_STEP
            if y < screen.y + CASCADE_STEP:  # a short screen: each still shows its own corner
                y = screen.y + (step + 1) * CASCADE_STEP
            places[f"{part}-{window}"] = Place(x, y, width, min(height, bottom - y))
    strip_h = min(COUNTER_SIZES["screen"][1], screen.height - wall_h)
    share = wall_w // max(1, len(windows))
    for i, window in enumerate(windows):
        places[f"screen-{window}"] = Place(screen.x + i * share, bottom - strip_h, share, strip_h)
    places["wall"] = Place(screen.x, screen.y, wall_w, wall_h)
    places["kiosk"] = Place(screen.x + screen.width - kiosk_w, screen.y, kiosk_w, kiosk_h)
    return places


def place(widget: QWidget, where: Place, title: str) -> None:
    widget.setWindowTitle(title)
    widget.resize(where.width, where.height)
    widget.move(where.x, where.y)


def run_with_screens(qt: QApplication, broker: LocalBroker, hall_id: str, windows: list[int],
                     workdir: Path, clock: SimClock, stop: threading.Event, duration_s: float,
                     summarize: Callable[[], None], *, title_note: str, out: TextIO,
                     rating_url: str) -> None:
    """Open the display wall, the kiosk and the counters of `windows`; run Qt until the end."""
    from counter.app import CounterApp, CounterConfig
    from display_wall.app import WallApp, WallConfig

    settings = MqttSettings(port=broker.port, username="device", password=broker.users["device"])
    geometry = qt.primaryScreen().availableGeometry()
    places = demo_places(Place(geometry.x(), geometry.y(), geometry.width(), geometry.height()),
                         windows)
    wall_place = places["wall"]
    wall = WallApp(WallConfig(hall_id=hall_id, device_id="wall-demo", mqtt=settings,
                              width=wall_place.width, height=wall_place.height,
                              full_screen=False), clock=clock)
    place(wall.view, wall_place, f"大厅显示屏 Display wall — {title_note}")
    tz = ZoneInfo("Asia/Shanghai")

    def real_clock() -> datetime:
        return datetime.now(tz)

    counters = []
    for window in windows:
        counter = CounterApp(CounterConfig(
            hall_id=hall_id, window=window, mqtt=settings, pad_mqtt=settings,
            outbox_dir=workdir / f"outbox-{window}", rating_base_url=rating_url,
            sizes={part: (places[f"{part}-{window}"].width, places[f"{part}-{window}"].height)
                   for part in COUNTER_SIZES}), clock=clock, pad_clock=real_clock)
        for part, widget in counter.widgets.items():
            where = places[f"{part}-{window}"]
            widget.move(where.x, where.y)
            widget.setWindowTitle(f"{widget.windowTitle()} — 演示 Demo")
        counters.append(counter)
    # Shown bottom first: the counters, then the wall and the kiosk on top of them.
    for counter in counters:
        counter.start()
    wall.start()
    kiosk = _open_kiosk(broker, hall_id, workdir / "kiosk", rating_url, clock)
    if kiosk is not None:
        place(kiosk.app.view, places["kiosk"], "自助服务终端 Kiosk — 演示 Demo")
    # Bottom to top as demo_places stacks them: the window screens over the terminals and pads,
    # the wall and the kiosk over everything.
    tops: list[QWidget] = [counter.screen for counter in counters] + [wall.view]
    if kiosk is not None:
        tops.append(kiosk.app.view)
    for top in tops:
        top.raise_()
    ticker = QTimer()
    ticker.timeout.connect(summarize)
    ticker.timeout.connect(lambda: stop.is_set() and qt.quit())
    ticker.start(int(SUMMARY_EVERY_S * 1000))
    QTimer.singleShot(0, lambda: print("Windows open: 大厅显示屏, 自助服务终端, "
                                       + ", ".join(f"{n} 号窗口" for n in windows),
                                       file=out, flush=True))
    shot = os.environ.get(SCREENSHOT_ENV, "")
    if shot:
        QTimer.singleShot(SCREENSHOT_AFTER_MS, lambda: _screenshot(qt, Path(shot), out))
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


def _screenshot(qt: QApplication, path: Path, out: TextIO) -> None:
    """The whole screen as the demo laid it out, for a look without a person at the screen."""
    path.parent.mkdir(parents=True, exist_ok=True)
    saved = qt.primaryScreen().grabWindow(0).save(str(path))
    print(f"Screenshot {'saved to' if saved else 'could not be saved to'} {path}", file=out,
          flush=True)


def _open_kiosk(broker: LocalBroker, hall_id: str, workdir: Path,
                rating_url: str, clock: SimClock) -> DemoKiosk | None:
    """The citizen kiosk in a window too, when its extra is installed."""
    try:
        from kiosk.app import DemoKiosk
    except ImportError:
        logger.warning("the kiosk extra is not installed: no kiosk window")
        return None
    return DemoKiosk(hall_id, MqttSettings(port=broker.port, username="device",
                                           password=broker.users["device"]),
                     workdir, rating_base_url=rating_url, clock=clock)
