"""systemd's notify protocol (READY=1, WATCHDOG=1) over $NOTIFY_SOCKET, without a library."""
from __future__ import annotations

import logging
import os
import socket
import threading

logger = logging.getLogger(__name__)


class SystemdNotifier:
    """Tells systemd the service is ready and feeds its watchdog; does nothing outside systemd."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        env = dict(os.environ) if env is None else env
        address = env.get("NOTIFY_SOCKET", "")
        # An address starting with @ is in Linux's abstract namespace.
        self._address = "\0" + address[1:] if address.startswith("@") else address
        watchdog_us = env.get("WATCHDOG_USEC", "")
        watchdog_pid = env.get("WATCHDOG_PID", "")
        is_ours = not watchdog_pid or watchdog_pid == str(os.getpid())
        self.watchdog_s = int(watchdog_us) / 1_000_000 if watchdog_us.isdigit() and is_ours else 0.0

    @property
    def is_active(self) -> bool:
        return bool(self._address)

    def notify(self, state: str) -> bool:
        if not self._address:
            return False
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
                sock.sendto(state.encode(), self._address)
        except OSError as exc:
            logger.warning("cannot notify systemd (%s): %s", state, exc)
            return False
        return True

    def ready(self, status: str = "") -> bool:
        return self.notify("READY=1" + (f"\nSTATUS={status}" if status else ""))

    def watchdog(self) -> bool:
        return self.notify("WATCHDOG=1")

    def stopping(self) -> bool:
        return self.notify("STOPPING=1")

    def feed_while(self, is_healthy: threading.Event | None,
                   stop: threading.Event) -> threading.Thread | None:
        """Feed the watchdog at half its period from a thread until `stop`; not while unhealthy."""
        if not self.watchdog_s:
            return None

        def run() -> None:
            while not stop.wait(self.watchdog_s / 2):
                if is_healthy is None or is_healthy.is_set():
                    self.watchdog()

        thread = threading.Thread(target=run, name="systemd-watchdog", daemon=True)
        thread.start()
        return thread
