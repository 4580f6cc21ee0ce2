"""The pairing broker is a Mosquitto of its own: anonymous clients there cannot touch the hall's broker."""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from broker_config.local_broker import LocalBroker
from hall.bus import MqttBus
from hall.config import MqttSettings
from hall.protocol import Topics
from provisioning.acl import CONTROLLER_USER
from provisioning.hub import PAIRING_MAX_PACKET_BYTES, PAIRING_MEMORY_LIMIT_BYTES, Hub
from tests.provisioning.hub_support import WAIT_S, Client, connack_code

MIB = 1024 * 1024


def _rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmRSS for process {pid}")


def test_an_anonymous_client_with_the_controllers_id_does_not_take_over_the_controller(
        hub: Hub, hub_broker: object, pairing_broker: object, make_client: Callable[..., Client]) -> None:
    settings = hub.settings()
    topics = Topics(settings.hall_id)
    # The controller's real client id, which zeroconf's TXT record makes easy to guess.
    controller = make_client(f"controller-{settings.hall_id}", hub.local_settings(CONTROLLER_USER),
                             (f"{topics.base}/#",))
    counter = make_client("counter-1", hub.local_settings(CONTROLLER_USER))

    for client_id in (f"controller-{settings.hall_id}", "counter-1"):
        assert connack_code("127.0.0.1", settings.pairing_port, client_id) == 0  # accepted, over there

    assert not controller.bus.wait_disconnected(1.0), "the controller was kicked off its broker"
    controller.publish(topics.queue, b"still here")
    controller.wait_for(lambda t, p: p == b"still here")
    assert controller.bus.is_connected and controller.connects == 1 and counter.connects == 1


def test_a_packet_larger_than_a_sealed_answer_allows_drops_its_anonymous_sender(
        hub: Hub, pairing_broker: LocalBroker) -> None:
    settings = hub.settings()
    topics = Topics(settings.hall_id)
    bus = MqttBus("flooder", MqttSettings(host="127.0.0.1", port=settings.pairing_port),
                  on_message=lambda t, p: None)
    bus.start()
    try:
        assert bus.wait_connected(WAIT_S)
        bus.publish(topics.pairing_request("0123456789abcdef"), b"x" * (PAIRING_MAX_PACKET_BYTES + 1024),
                    retain=True)
        assert bus.wait_disconnected(WAIT_S)
    finally:
        bus.stop()


def test_a_retained_flood_on_the_pairing_port_stays_under_the_memory_limit_and_ends_at_a_restart(
        hub: Hub, hub_broker: LocalBroker, pairing_broker: LocalBroker,
        make_client: Callable[..., Client]) -> None:
    settings = hub.settings()
    topics = Topics(settings.hall_id)
    assert pairing_broker.process is not None and hub_broker.process is not None
    before = _rss_bytes(pairing_broker.process.pid)
    bus = MqttBus("flooder", MqttSettings(host="127.0.0.1", port=settings.pairing_port),
                  on_message=lambda t, p: None)
    bus.start()
    payload = b"x" * (PAIRING_MAX_PACKET_BYTES - 1024)
    sent = 0
    try:
        assert bus.wait_connected(WAIT_S)
        # Up to twice the memory limit of retained messages, each on a topic of its own, until the
        # broker stops taking them.
        deadline = time.monotonic() + 60
        while sent * len(payload) < 2 * PAIRING_MEMORY_LIMIT_BYTES and time.monotonic() < deadline:
            if not bus.publish(f"{topics.base}/pairing/{sent:016x}/request", payload, retain=True,
                               wait_s=2.0):
                break
            sent += 1
    finally:
        bus.stop()
    stored = sent * len(payload)
    after = _rss_bytes(pairing_broker.process.pid)
    assert stored < PAIRING_MEMORY_LIMIT_BYTES + 2 * MIB, f"the broker took {stored} bytes"
    assert after - before < PAIRING_MEMORY_LIMIT_BYTES + 8 * MIB, f"grew by {(after - before) // MIB} MiB"
    assert "out of memory" in pairing_broker.log_file.read_text(encoding="utf-8")
    # The hall's broker never saw any of it.
    controller = make_client("controller-test", hub.local_settings(CONTROLLER_USER), (f"{topics.base}/#",))
    controller.publish(topics.queue, b"marker")
    assert [p for _, p in controller.wait_for(lambda t, p: p == b"marker")] == [b"marker"]

    # Without persistence, a restart of the pairing broker forgets the flood.
    pairing_broker.restart()
    provisioner = make_client("provisioner-test", hub.pairing_local_settings(),
                              (f"{topics.base}/pairing/+/request",))
    provisioner.publish(topics.pairing_request("0123456789abcdef"), b"marker")
    assert [p for _, p in provisioner.wait_for(lambda t, p: p == b"marker")] == [b"marker"]
