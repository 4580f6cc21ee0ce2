"""`hall demo` with a screen: the wall, the kiosk and your counters, each in its own place."""
from __future__ import annotations

import logging
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
# Counter windows are stacked with their title bars (and top-left corners) showing.
CASCADE_STEP = 40
NOW_CALLING_SHARE = 0.32


@dataclass(frozen=True, slots=True)
class Place:
    x: int
    y: int
    width: int
    height: int


def demo_places(screen: Place, windows: list[int]) -> dict[str, Place]:
    """Where each demo window goes on `screen`: the kiosk upright on the right (its full width,
    at most as tall as the screen), the wall in 16:9 beside it, your counters' windows stacked
    right of the wall's now-calling panel (terminals on top), every window inside the screen
    and none at another's corner."""
    kiosk_h = min(KIOSK_SIZE[1], screen.height)
    # The kiosk keeps its full width (its layouts start at 720) and gives up height instead.
    kiosk_w = min(KIOSK_SIZE[0], screen.width // 2)
    places = {"kiosk": Place(screen.x + screen.width - kiosk_w, screen.y, kiosk_w, kiosk_h)}
    wall_w = screen.width - kiosk_w
    places["wall"] = Place(screen.x, screen.y, wall_w, min(screen.height, round(wall_w * 9 / 16)))
    # The wall's now-calling panel and recent calls (its left third) stay in sight.
    left = screen.x + round(wall_w * NOW_CALLING_SHARE)
    for i, window in enumerate(windows):
        for part, step in (("terminal", i), ("pad", i + 2), ("screen", i + 4)):
            want_w, want_h = COUNTER_SIZES[part]
            width = min(want_w, screen.x + screen.width - left)
            x = min(left + step * CASCADE_STEP, screen.x + screen.width - width)
            y = screen.y + step * CASCADE_STEP
            places[f"{part}-{window}"] = Place(x, y, width,
                                               min(want_h, screen.y + screen.height - y))
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
    wall.start()
    for counter in counters:
        counter.start()
    kiosk = _open_kiosk(broker, hall_id, workdir / "kiosk", rating_url)
    if kiosk is not None:
        place(kiosk.app.view, places["kiosk"], "自助服务终端 Kiosk — 演示 Demo")
    ticker = QTimer()
    ticker.timeout.connect(summarize)
    ticker.timeout.connect(lambda: stop.is_set() and qt.quit())
    ticker.start(int(SUMMARY_EVERY_S * 1000))
    QTimer.singleShot(0, lambda: print("Windows open: 大厅显示屏, 自助服务终端, "
                                       + ", ".join(f"{n} 号窗口" for n in windows),
                                       file=out, flush=True))
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


def _open_kiosk(broker: LocalBroker, hall_id: str, workdir: Path,
                rating_url: str) -> DemoKiosk | None:
    """The citizen kiosk in a window too, when its extra is installed."""
    try:
        from kiosk.app import DemoKiosk
    except ImportError:
        logger.warning("the kiosk extra is not installed: no kiosk window")
        return None
    return DemoKiosk(hall_id, MqttSettings(port=broker.port, username="device",
                                           password=broker.users["device"]),
                     workdir, rating_base_url=rating_url)
