"""`hall demo`'s console: on a free loopback port, with a one-time manager password."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from broker_config.local_broker import free_port
from console.config import ConsoleConfig
from console.passwords import random_password
from console.server import ConsoleServer
from hall.config import HallConfig, MqttSettings

DEMO_MANAGER = "manager"


def start_demo_console(hall: HallConfig, mqtt: MqttSettings,
                       workdir: Path) -> tuple[ConsoleServer, str]:
    """The running console and the password of its one manager account (made for this demo)."""
    port = free_port()
    config = ConsoleConfig(hall=replace(hall, public_base_url=f"http://127.0.0.1:{port}"),
                           mqtt=mqtt, device_id="console-1", port=port,
                           db_path=workdir / "console.db")
    # The console keeps real time (sessions, alerts) while the demo's hall time runs faster.
    server = ConsoleServer(config)
    password = random_password()
    server.accounts.add_user(DEMO_MANAGER, "manager", password, server.clock())
    server.start()
    return server, password
