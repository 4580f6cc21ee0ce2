"""Shared fixtures: a real Mosquitto from broker_config/, a real SQLite file, a settable clock."""
from __future__ import annotations

import logging
import os

# Qt renders off screen in tests; set before any QApplication exists.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from broker_config import LocalBroker
from hall.config import SAMPLE_HALL, HallConfig, MqttSettings, load_config
from hall.controller import ControllerService
from hall.core.staff_auth import hash_pin
from hall.device_client import DeviceClient
from hall.protocol import messages as m
from hall.store import SqliteStore
from tests.support import ANSWER_TIMEOUT_S, CONNECT_TIMEOUT_S, STAFF_PIN, FakeClock, Inbox


@pytest.fixture(autouse=True)
def no_thread_is_left_behind() -> Iterator[None]:
    """Every client and controller a test starts is stopped by the test's end."""
    before = set(threading.enumerate())
    yield
    left = [t.name for t in set(threading.enumerate()) - before if t.is_alive()]
    assert left == [], f"threads left running: {left}"


@pytest.fixture(autouse=True)
def root_logging_is_restored() -> Iterator[None]:
    """A command run in-process (`hall_cli.cli.main`) configures the root logger onto the test's
    captured stderr; once that is closed, every later log line would fail to write."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)


@pytest.fixture(scope="session")
def session_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBroker]:
    with LocalBroker(tmp_path_factory.mktemp("mosquitto")) as broker:
        yield broker


@pytest.fixture
def broker(session_broker: LocalBroker) -> LocalBroker:
    """The session's broker; every test keeps to its own hall id."""
    return session_broker


@pytest.fixture
def private_broker(tmp_path: Path) -> Iterator[LocalBroker]:
    """A broker of this test alone, for restarting and killing it."""
    broker = LocalBroker(tmp_path / "mosquitto")
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture
def hall_id() -> str:
    return f"t-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def device_settings(broker: LocalBroker, user: str = "device") -> MqttSettings:
    return MqttSettings(host="127.0.0.1", port=broker.port, username=user,
                        password=broker.users[user])


def config_env(broker: LocalBroker, hall_id: str, store: Path) -> dict[str, str]:
    return {
        "HALL_ID": hall_id,
        "HALL_MQTT_HOST": "127.0.0.1",
        "HALL_MQTT_PORT": str(broker.port),
        "HALL_MQTT_USERNAME": "controller",
        "HALL_MQTT_PASSWORD": broker.users["controller"],
        "HALL_STORE_PATH": str(store),
        "HALL_AUTO_HOURS": "0",
    }


@pytest.fixture
def make_config(tmp_path: Path, hall_id: str) -> Callable[[LocalBroker], HallConfig]:
    def make(broker: LocalBroker) -> HallConfig:
        return load_config(SAMPLE_HALL, env=config_env(broker, hall_id, tmp_path / "hall.db"))
    return make


@pytest.fixture(scope="session")
def staff_pin_hash() -> str:
    return hash_pin(STAFF_PIN)  # hashed once: PBKDF2 is slow on purpose


def give_every_clerk_the_test_pin(config: HallConfig, pin_hash: str, clock: FakeClock) -> None:
    store = SqliteStore(config.store_path)
    try:
        for member in config.catalogue.staff:
            store.set_pin_hash(member.staff_id, pin_hash, clock())
    finally:
        store.close()


@pytest.fixture
def make_controller(
    make_config: Callable[[LocalBroker], HallConfig], clock: FakeClock, staff_pin_hash: str,
) -> Iterator[Callable[..., ControllerService]]:
    started: list[ControllerService] = []

    def make(broker: LocalBroker, *, open_hall: bool = True) -> ControllerService:
        config = make_config(broker)
        give_every_clerk_the_test_pin(config, staff_pin_hash, clock)
        service = ControllerService(config, clock=clock)
        service.start()
        assert service.wait_ready(CONNECT_TIMEOUT_S), "controller did not reach the broker"
        started.append(service)
        if open_hall:
            manager = DeviceClient(device_settings(broker, "manager"), service.topics.hall_id,
                                   "console-setup", m.Role.CONSOLE)
            manager.start()
            try:
                assert manager.wait_connected(CONNECT_TIMEOUT_S)
                answer = manager.request(m.OpenHall, timeout_s=ANSWER_TIMEOUT_S)
                assert isinstance(answer, m.Accepted), answer
            finally:
                manager.stop()
        return service

    yield make
    for service in started:
        service.stop()


@pytest.fixture
def controller(broker: LocalBroker, make_controller: Callable[..., ControllerService]
               ) -> ControllerService:
    return make_controller(broker)


@pytest.fixture
def make_device(hall_id: str) -> Iterator[Callable[..., tuple[DeviceClient, Inbox]]]:
    clients: list[DeviceClient] = []

    def make(broker: LocalBroker, device_id: str, role: m.Role = m.Role.KIOSK,
             subscriptions: tuple[str, ...] = (), user: str = "device"
             ) -> tuple[DeviceClient, Inbox]:
        inbox = Inbox()
        client = DeviceClient(device_settings(broker, user), hall_id, device_id, role, on_message=inbox.put,
                              subscriptions=subscriptions)
        client.start()
        assert client.wait_connected(CONNECT_TIMEOUT_S), f"{device_id} did not reach the broker"
        clients.append(client)
        return client, inbox

    yield make
    for client in clients:
        client.stop()
