"""Composition root of the console: store, accounts, live hall, history, the app, uvicorn."""
from __future__ import annotations

import asyncio
import logging
import secrets
import signal
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import uvicorn

from console.accounts import Accounts
from console.app import build_app
from console.config import ConsoleConfig
from console.context import ConsoleContext
from console.enrolled_devices import EnrolledDevices
from console.live_hall import LiveHall
from console.rate_limit import RateLimiter
from hall.store.console_store import ConsoleStore
from hall.store.loop_reader import LoopReader

logger = logging.getLogger(__name__)

START_TIMEOUT_S = 20.0
# Open event streams are cut after this at shutdown, so SIGTERM ends the console promptly.
GRACEFUL_SHUTDOWN_S = 2


class ConsoleServer:
    """The console web app on its own thread; start() returns once it listens."""

    def __init__(self, config: ConsoleConfig, *,
                 clock: Callable[[], datetime] | None = None) -> None:
        config.check_listen_rule()
        self.config = config
        self.clock = clock or (lambda: datetime.now(config.hall.timezone))
        self.store = ConsoleStore(config.db_path)
        self.live = LiveHall(config.mqtt, config.hall.catalogue.hall_id, config.device_id,
                             clock=self.clock,
                             device_alert_after=timedelta(seconds=config.device_alert_after_s),
                             alert_store=self.store)
        self.accounts = Accounts(
            self.store, idle_timeout_s=config.idle_timeout_s,
            failures_before_lock=config.login_failures_before_lock, lock_s=config.login_lock_s,
            on_locked=lambda user, remote: self.live.raise_alert(
                "console_login_locked", f"管理台账号 {user} 连续输错密码已锁定（来自 {remote}）",
                user))
        # One read-only connection for the pages, the closed loop's included (issue 13).
        self.history = LoopReader(config.hall.store_path)
        self.context = ConsoleContext(
            config=config, accounts=self.accounts, live=self.live, history=self.history,
            clock=self.clock, phone_limiter=RateLimiter(config.phone_requests_per_min),
            secret=_form_secret(config.db_path.with_suffix(".key")),
            enrolled=EnrolledDevices(config.hub_dir))
        self.app = build_app(self.context)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.config.host}]" if ":" in self.config.host else self.config.host
        return f"{self.config.scheme}://{host}:{self.config.port}"

    def start(self) -> None:
        self.live.start()
        uv_config = uvicorn.Config(
            self.app, host=self.config.host, port=self.config.port, log_level="warning",
            # Access logs would carry the phone page's codes: the console logs what it needs.
            access_log=False, lifespan="off", timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
            ssl_certfile=str(self.config.tls_cert) if self.config.tls_cert else None,
            ssl_keyfile=str(self.config.tls_key) if self.config.tls_key else None)
        self._server = uvicorn.Server(uv_config)
        self._thread = threading.Thread(target=self._server.run, name="console-http", daemon=True)
        self._thread.start()
        pause = threading.Event()
        for _ in range(int(START_TIMEOUT_S / 0.05)):
            if self._server.started or not self._thread.is_alive():
                break
            pause.wait(0.05)
        if not self._server.started:
            self.stop()
            raise RuntimeError(f"the console did not start listening on {self.url}")
        logger.info("console of hall %s at %s", self.config.hall.catalogue.hall_id, self.url)

    def is_healthy(self, timeout_s: float = 5.0) -> bool:
        """The HTTP thread runs and its event loop answers."""
        server = self._server
        if server is None or self._thread is None or not self._thread.is_alive():
            return False
        listeners: list[asyncio.Server] = list(getattr(server, "servers", []))
        if not listeners:
            return server.started
        answered = threading.Event()
        try:
            listeners[0].get_loop().call_soon_threadsafe(answered.set)
        except RuntimeError:
            return False
        return answered.wait(timeout_s)

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=GRACEFUL_SHUTDOWN_S + 8)
        self.live.stop()
        self.history.close()
        self.store.close()


def run_console(config: ConsoleConfig) -> int:
    """Serve until SIGTERM or SIGINT: READY once listening, watchdog fed while healthy."""
    from hall.systemd_notify import SystemdNotifier

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    server = ConsoleServer(config)
    server.start()
    systemd = SystemdNotifier()
    systemd.ready(f"serving {server.url}")
    print(f"hall console: {server.url}", flush=True)
    try:
        while not stop.wait(systemd.watchdog_s / 2 if systemd.watchdog_s else 5.0):
            if server.is_healthy():
                systemd.watchdog()
            else:
                logger.error("the console's web server does not answer: not feeding the watchdog")
    finally:
        systemd.stopping()
        server.stop()
        logger.info("console stopped")
    return 0


def _form_secret(path: Path) -> bytes:
    """The phone forms' signing key, kept across restarts (a form open during one still works)."""
    if path.exists():
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    value = secrets.token_bytes(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.write_text(value.hex(), encoding="ascii")
    return value
