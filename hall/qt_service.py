"""Runs a Qt app as a systemd service: READY once started, the watchdog fed from the GUI
thread (a hung event loop stops the feeding), and a clean stop on SIGTERM."""
from __future__ import annotations

import signal
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from hall.systemd_notify import SystemdNotifier

# Without a watchdog from systemd, Python still needs a periodic turn to see SIGTERM.
SIGNAL_CHECK_MS = 500


def run_qt_service(start: Callable[[], None], stop: Callable[[], None], status: str = "") -> int:
    qt = QApplication.instance() or QApplication([])
    # Before start(): a SIGTERM right after the app came up must still stop it cleanly; queued,
    # so that one arriving before the event loop runs is not lost.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: QTimer.singleShot(0, qt.quit))
    start()
    systemd = SystemdNotifier()
    systemd.ready(status)
    heartbeat = QTimer()
    if systemd.watchdog_s:
        heartbeat.timeout.connect(systemd.watchdog)
    heartbeat.start(int(min(systemd.watchdog_s * 500, SIGNAL_CHECK_MS)) if systemd.watchdog_s
                    else SIGNAL_CHECK_MS)
    try:
        return int(qt.exec())
    finally:
        systemd.stopping()
        heartbeat.stop()
        stop()
