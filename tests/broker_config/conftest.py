from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from broker_config.local_broker import LocalBroker
from provisioning.hub import Hub
from tests.provisioning.hub_support import Client, init_hub, start_hub_broker


@pytest.fixture
def hub(tmp_path: Path, hall_id: str) -> Hub:
    return init_hub(tmp_path / "hub", hall_id)


@pytest.fixture
def hub_broker(hub: Hub) -> Iterator[LocalBroker]:
    runner = start_hub_broker(hub)
    yield runner
    runner.stop()


@pytest.fixture
def make_client() -> Iterator[Callable[..., Client]]:
    started: list[Client] = []

    def make(client_id: str, settings: object, subscriptions: tuple[str, ...] = (),
             connect: bool = True) -> Client:
        client = Client(client_id, settings, subscriptions).start()  # type: ignore[arg-type]
        started.append(client)
        if connect:
            assert client.bus.wait_connected(10.0), f"{client_id} did not connect"
            # Order-based checks need the subscriptions in place before anyone publishes.
            assert client.bus.wait_subscribed(10.0), f"{client_id} was not subscribed"
        return client

    yield make
    for client in started:
        client.stop()
