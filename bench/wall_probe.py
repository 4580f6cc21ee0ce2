"""A display wall in its own process that reports each repaint: `painted NUMBER MONOTONIC_S`."""
from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from display_wall.app import WallApp, WallConfig  # noqa: E402
from hall.config import MqttSettings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hall-id", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--password", required=True)
    args = parser.parse_args()
    qt = QApplication([])
    wall = WallApp(WallConfig(hall_id=args.hall_id, device_id="wall-bench",
                              mqtt=MqttSettings(port=args.port, username="device",
                                                password=args.password),
                              full_screen=False, sound=False))
    wall.view.painted.connect(lambda number: print(f"painted {number or '-'} {time.monotonic():.6f}",
                                                   flush=True))
    wall.start()
    print("ready", flush=True)
    try:
        qt.exec()
    finally:
        wall.stop()
        sys.stdout.flush()


if __name__ == "__main__":
    main()
