"""Runs a private Mosquitto from this folder's templates: for tests, the demo and benchmarks."""
from __future__ import annotations

import base64
import getpass
import hashlib
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent
MOSQUITTO_CANDIDATES = ("mosquitto", "/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto")
INSTALL_HINT = ("Mosquitto is not installed. On Debian or Raspberry Pi OS run "
                "`sudo apt-get install mosquitto` (or ./scripts/setup, which does it for you).")
# Mosquitto 2.0's own password hashing: PBKDF2-SHA512, 101 rounds, 12-byte salt ($7$).
_PBKDF2_ROUNDS = 101


class BrokerError(Exception):
    """Mosquitto is missing, refused its configuration, or did not start listening."""


def find_mosquitto() -> str:
    for candidate in MOSQUITTO_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    raise BrokerError(INSTALL_HINT)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def password_line(username: str, password: str) -> str:
    """One line of a Mosquitto password file, hashed the way mosquitto_passwd does."""
    salt = secrets.token_bytes(12)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, _PBKDF2_ROUNDS)
    return (f"{username}:$7${_PBKDF2_ROUNDS}${base64.b64encode(salt).decode()}"
            f"${base64.b64encode(digest).decode()}")


@dataclass
class LocalBroker:
    """A Mosquitto process on loopback with generated credentials; `users` maps name to password."""

    directory: Path
    port: int = 0
    hall_pattern: str = "+"
    users: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    def __post_init__(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / "data").mkdir(exist_ok=True)
        if not self.port:
            self.port = free_port()
        for name in ("controller", "manager", "device"):
            self.users.setdefault(name, secrets.token_urlsafe(18))

    @property
    def config_file(self) -> Path:
        return self.directory / "mosquitto.conf"

    @property
    def log_file(self) -> Path:
        return self.directory / "mosquitto.log"

    def write_config(self) -> Path:
        password_file = self.directory / "passwords"
        password_file.write_text(
            "".join(password_line(u, p) + "\n" for u, p in self.users.items()), encoding="utf-8")
        password_file.chmod(0o600)
        acl_file = self.directory / "acl"
        acl_file.write_text((TEMPLATES / "acl.template").read_text(encoding="utf-8").format(
            controller_user="controller", hall_pattern=self.hall_pattern), encoding="utf-8")
        acl_file.chmod(0o600)
        for secret_name, secret in self.users.items():
            secret_file = self.directory / f"{secret_name}.secret"
            secret_file.write_text(secret + "\n", encoding="utf-8")
            secret_file.chmod(0o600)
        self.config_file.write_text(
            (TEMPLATES / "mosquitto.conf.template").read_text(encoding="utf-8").format(
                password_file=password_file, acl_file=acl_file, port=self.port,
                bind_address="127.0.0.1", data_dir=self.directory / "data",
                log_file=self.log_file, run_as_user=getpass.getuser()),
            encoding="utf-8")
        return self.config_file

    def start(self, timeout_s: float = 10.0) -> None:
        binary = find_mosquitto()
        if not self.config_file.exists():
            self.write_config()
        self.process = subprocess.Popen([binary, "-c", str(self.config_file)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode(errors="replace") if self.process.stderr else ""
                raise BrokerError(f"mosquitto exited with {self.process.returncode}: {err.strip()} "
                                  f"(log: {self.log_file})")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    logger.info("mosquitto listening on 127.0.0.1:%d", self.port)
                    return
            except OSError:
                time.sleep(0.02)
        self.stop()
        raise BrokerError(f"mosquitto did not listen on port {self.port} within {timeout_s} s")

    def stop(self, *, hard: bool = False) -> None:
        """Stop the broker: SIGTERM saves retained state to disk; `hard` is a SIGKILL crash."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL if hard else signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def reload(self) -> None:
        """Re-read passwords and ACLs (SIGHUP), as after enrolling or revoking a device."""
        self.write_config()
        if self.process is not None:
            os.kill(self.process.pid, signal.SIGHUP)

    def __enter__(self) -> LocalBroker:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
