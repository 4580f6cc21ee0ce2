"""The sd_notify helper against a real unix datagram socket, as systemd listens on one."""
from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

from hall.systemd_notify import SystemdNotifier


def _listen(tmp_path: Path) -> tuple[socket.socket, str]:
    path = str(tmp_path / "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(5.0)
    return sock, path


def test_ready_and_watchdog_reach_the_notify_socket(tmp_path: Path) -> None:
    sock, path = _listen(tmp_path)
    with sock:
        notifier = SystemdNotifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "200000"})
        assert notifier.watchdog_s == 0.2
        assert notifier.ready("serving")
        assert sock.recv(256) == b"READY=1\nSTATUS=serving"
        stop = threading.Event()
        thread = notifier.feed_while(None, stop)
        assert sock.recv(256) == b"WATCHDOG=1"
        stop.set()
        assert thread is not None
        thread.join()


def test_the_watchdog_is_not_fed_while_the_app_is_unhealthy(tmp_path: Path) -> None:
    sock, path = _listen(tmp_path)
    with sock:
        notifier = SystemdNotifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "100000"})
        healthy, stop = threading.Event(), threading.Event()
        thread = notifier.feed_while(healthy, stop)
        sock.settimeout(0.3)
        try:
            sock.recv(256)
            raise AssertionError("fed while unhealthy")
        except TimeoutError:
            pass
        healthy.set()
        sock.settimeout(5.0)
        assert sock.recv(256) == b"WATCHDOG=1"
        stop.set()
        assert thread is not None
        thread.join()


def test_outside_systemd_nothing_is_sent_and_nothing_fails() -> None:
    notifier = SystemdNotifier({})
    assert not notifier.is_active and not notifier.ready() and notifier.watchdog_s == 0
    assert notifier.feed_while(None, threading.Event()) is None


def test_a_watchdog_meant_for_another_process_is_ignored() -> None:
    notifier = SystemdNotifier({"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "1000000",
                                "WATCHDOG_PID": str(os.getpid() + 1)})
    assert notifier.watchdog_s == 0
