"""The uplink bridge: hall topics remapped to the centre over TLS, queued while the centre is away."""
from __future__ import annotations

import getpass
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from broker_config.local_broker import LocalBroker, free_port, password_line
from hall.config import MqttSettings
from provisioning.acl import CONTROLLER_USER
from provisioning.bridge import configure_bridge
from provisioning.ca import broker_server_name, create_ca, issue_server_certificate
from provisioning.hub import Hub
from tests.provisioning.hub_support import NOW, Client, start_hub_broker


class Central:
    """A stand-in for the central cluster: one Mosquitto with a TLS listener and persistence."""

    def __init__(self, directory: Path, hall_id: str) -> None:
        self.port = free_port()
        self.hall_user, self.hall_password = f"hall-{hall_id}", secrets.token_urlsafe(16)
        self.reader_password = secrets.token_urlsafe(16)
        ca = create_ca("central", NOW)
        self.ca_file = directory / "ca.crt"
        ca.write(self.ca_file, directory / "ca.key")
        issue_server_certificate(ca, "central", ("localhost",), (), NOW).write(
            directory / "server.crt", directory / "server.key")
        (directory / "passwords").write_text(
            password_line(self.hall_user, self.hall_password) + "\n"
            + password_line("reader", self.reader_password) + "\n", encoding="utf-8")
        (directory / "acl").write_text(f"user {self.hall_user}\ntopic readwrite halls/{hall_id}/#\n\n"
                                       "user reader\ntopic readwrite halls/#\n", encoding="utf-8")
        self.broker = LocalBroker(directory, port=self.port)
        (directory / "data").mkdir(exist_ok=True)
        self.broker.config_file.write_text(
            f"allow_anonymous false\npassword_file {directory / 'passwords'}\nacl_file {directory / 'acl'}\n"
            f"listener {self.port} 127.0.0.1\ncafile {self.ca_file}\ncertfile {directory / 'server.crt'}\n"
            f"keyfile {directory / 'server.key'}\npersistence true\n"
            f"persistence_location {directory / 'data'}/\nuser {getpass.getuser()}\n"
            f"log_dest file {self.broker.log_file}\nconnection_messages true\n", encoding="utf-8")

    def reader_settings(self) -> MqttSettings:
        return MqttSettings(host="127.0.0.1", port=self.port, username="reader",
                            password=self.reader_password, ca_file=str(self.ca_file),
                            tls_server_name=broker_server_name("central"))


@pytest.fixture
def central(tmp_path: Path, hall_id: str) -> Iterator[Central]:
    (tmp_path / "central").mkdir()
    central = Central(tmp_path / "central", hall_id)
    central.broker.start()
    yield central
    central.broker.stop()


@pytest.fixture
def bridged_hub(hub: Hub, central: Central) -> Iterator[Hub]:
    configure_bridge(hub, central_host="127.0.0.1", central_port=central.port,
                     central_ca_file=central.ca_file, remote_username=central.hall_user,
                     remote_password=central.hall_password)
    runner = start_hub_broker(hub)
    yield hub
    runner.stop()


def test_ratings_and_health_queued_during_an_outage_reach_the_centre_after_it(
        bridged_hub: Hub, central: Central, make_client: Callable[..., Client]) -> None:
    hall_id = bridged_hub.settings().hall_id
    here, there = f"hall/{hall_id}", f"halls/{hall_id}"
    controller = make_client("controller-test", bridged_hub.local_settings(CONTROLLER_USER))
    # A persistent session at the centre: it gets what the bridge delivers even before it is back.
    reader = Client("reader", central.reader_settings(), (f"halls/{hall_id}/#",), persistent_session=True)
    reader.start()
    try:
        assert reader.bus.wait_connected(10.0) and reader.bus.wait_subscribed(10.0)
        # The bridge is up once a message makes it across.
        controller.publish(f"{here}/state/figures", b"figures-before")
        reader.wait_for(lambda t, p: t == f"{there}/state/figures" and p == b"figures-before", timeout_s=15.0)

        central.broker.stop()
        for n in range(5):
            controller.publish(f"{here}/report/ratings", f"rating-{n}".encode())
        controller.publish(f"{here}/device/kiosk-1/presence", b"kiosk-1 offline")
        controller.publish(f"{here}/device/kiosk-1/intent", b"stays in the hall")
        central.broker.start()

        seen = reader.wait_for(lambda t, p: p == b"kiosk-1 offline", timeout_s=30.0)
        ratings = [p for t, p in seen if t == f"{there}/report/ratings"]
        assert ratings == [f"rating-{n}".encode() for n in range(5)]
        assert all(not t.endswith("/intent") for t, _ in seen)
    finally:
        reader.stop()


def test_central_notices_arrive_as_intents_of_the_central_manager(
        bridged_hub: Hub, central: Central, make_client: Callable[..., Client]) -> None:
    hall_id = bridged_hub.settings().hall_id
    controller = make_client("controller-test", bridged_hub.local_settings(CONTROLLER_USER),
                             (f"hall/{hall_id}/manager/+/intent",))
    centre = make_client("centre", central.reader_settings())
    # Retried until the bridge has subscribed at the centre (it connects in the background).
    for attempt in range(100):
        centre.publish(f"halls/{hall_id}/manager/central/intent", f"notice-{attempt}".encode())
        try:
            controller.wait_for(lambda t, p: t == f"hall/{hall_id}/manager/central/intent", timeout_s=0.2)
            return
        except AssertionError:
            continue
    raise AssertionError("no central notice reached the hall")
