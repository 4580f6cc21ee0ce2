"""`hall console` and `hall demo` as a hub's operator runs them: real processes."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx

from broker_config import LocalBroker
from broker_config.local_broker import free_port
from hall.config import SAMPLE_HALL
from hall.controller import ControllerService
from tests.support import CONNECT_TIMEOUT_S

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "hub-manager-pass-9"


def hall(*args: str, stdin: str = "", env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hall", *args], capture_output=True, text=True,
                          input=stdin, timeout=60, cwd=ROOT, env={**os.environ, **(env or {})})


def hall_toml(tmp_path: Path, broker: LocalBroker, port: int) -> Path:
    config = tmp_path / "hall.toml"
    sample = SAMPLE_HALL.read_text(encoding="utf-8").replace(
        "[hall]\n", f'[hall]\npublic_base_url = "https://hall.example:{port}"\n', 1)
    config.write_text(sample + f"""
[console]
listen = "127.0.0.1:{port}"
db_path = "console.db"
mqtt_username = "manager"
mqtt_password_file = "{broker.directory / 'manager.secret'}"
""", encoding="utf-8")
    return config


def test_accounts_are_made_listed_and_disabled_on_the_command_line(
        tmp_path: Path, broker: LocalBroker) -> None:
    config = hall_toml(tmp_path, broker, free_port())
    weak = hall("console", "--config", str(config), "user", "add", "wang", "--role", "manager",
                "--password-stdin", stdin="short\n")
    assert weak.returncode == 1 and "at least" in weak.stderr
    added = hall("console", "--config", str(config), "user", "add", "wang", "--role", "manager",
                 "--password-stdin", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert hall("console", "--config", str(config), "user", "disable", "wang").returncode == 0
    listed = hall("console", "--config", str(config), "user", "list")
    assert re.search(r"^wang  manager  disabled", listed.stdout, re.MULTILINE), listed.stdout
    assert PASSWORD not in (tmp_path / "console.db").read_bytes().decode("latin-1")


def test_the_console_runs_says_ready_to_systemd_and_stops_cleanly_on_sigterm(
        tmp_path: Path, broker: LocalBroker, controller: ControllerService) -> None:
    port = free_port()
    config = hall_toml(tmp_path, broker, port)
    hall("console", "--config", str(config), "user", "add", "wang", "--role", "manager",
         "--password-stdin", stdin=PASSWORD + "\n")
    notify_path = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as notify:
        notify.bind(notify_path)
        notify.settimeout(CONNECT_TIMEOUT_S * 2)
        env = {**os.environ, "NOTIFY_SOCKET": notify_path, "WATCHDOG_USEC": "2000000",
               "HALL_ID": controller.topics.hall_id, "HALL_MQTT_PORT": str(broker.port),
               "HALL_STORE_PATH": str(controller.config.store_path)}
        env.pop("WATCHDOG_PID", None)
        process = subprocess.Popen([sys.executable, "-m", "hall", "console", "--config",
                                    str(config)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        try:
            assert notify.recv(256).startswith(b"READY=1")
            assert notify.recv(256) == b"WATCHDOG=1"
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10,
                              follow_redirects=True) as client:
                assert "管理台登录" in client.get("/login").text
                logged_in = client.post("/login", data={"username": "wang",
                                                        "password": PASSWORD})
                assert logged_in.status_code == 200 and "各业务排队" in logged_in.text
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=30) == 0
            assert b"STOPPING=1" in notify.recv(256) or b"STOPPING=1" in notify.recv(256)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def test_plain_http_on_the_lan_is_refused_at_start(tmp_path: Path, broker: LocalBroker) -> None:
    config = hall_toml(tmp_path, broker, free_port())
    refused = hall("console", "--config", str(config), "--listen", "0.0.0.0:8443")
    assert refused.returncode == 4 and "plain HTTP" in refused.stderr


def test_the_demo_prints_its_console_with_a_one_time_manager_password() -> None:
    process = subprocess.Popen([sys.executable, "-m", "hall", "demo", "--headless",
                                "--duration", "20", "--speed", "60"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.match(r"Manager console: (\S+)  user (\S+), password (\S+)", line)
        assert found, line
        url, user, password = found.groups()
        with httpx.Client(base_url=url, timeout=10, follow_redirects=True) as client:
            page = client.post("/login", data={"username": user, "password": password})
        assert page.status_code == 200 and "各业务排队" in page.text
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)
