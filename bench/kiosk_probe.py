"""A kiosk (or, with --bare, a bare PySide6 window: the floor) that says `ready RSS_KB` once its
first screen has been painted and can be touched."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication, QPushButton, QVBoxLayout, QWidget  # noqa: E402


class FirstPaint(QObject):
    """Reports once, at the first paint of the window: then it is on screen and touchable."""

    def __init__(self, qt: QApplication) -> None:
        super().__init__()
        self.qt = qt
        self.done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            print(f"ready {rss_kb()}", flush=True)
            self.qt.quit()
        return False


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bare", action="store_true", help="a bare window, the floor")
    parser.add_argument("--hall-id", default="bench-hall")
    parser.add_argument("--port", type=int, default=1883)
    parser.add_argument("--password", default="")
    args = parser.parse_args()
    qt = QApplication(sys.argv[:1])
    first_paint = FirstPaint(qt)
    if args.bare:
        window = QWidget()
        QVBoxLayout(window).addWidget(QPushButton("取号 Take a ticket"))
        window.resize(1080, 1920)
        window.installEventFilter(first_paint)
        window.show()
        qt.exec()
        return
    from hall.mqtt_settings import MqttSettings
    from kiosk.app import KioskApp, KioskConfig
    from kiosk.cli import _sample, load_kiosk_guides

    # Started as `hall kiosk` starts it: the guides are loaded after the first paint.
    kiosk = KioskApp(KioskConfig(
        hall_id=args.hall_id, device_id="kiosk-bench",
        mqtt=MqttSettings(port=args.port, username="device", password=args.password),
        hall_name_zh="市医疗保障服务大厅", full_screen=False, sound=False),
        load_guides=lambda: load_kiosk_guides(_sample("sample_hall.toml"),
                                              _sample("service_guides.toml")))
    kiosk.view.installEventFilter(first_paint)
    kiosk.start()
    try:
        qt.exec()
    finally:
        kiosk.stop()


if __name__ == "__main__":
    main()
