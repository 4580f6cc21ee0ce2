"""Every role's allowed and denied topics against Mosquitto on the hub's generated config."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from provisioning.acl import CONTROLLER_USER
from provisioning.hub import Hub
from provisioning.inventory import DeviceRole
from tests.provisioning.hub_support import NOW, Client, connack_code, device_settings

CONTROL = b"control"


def _denied_publish_never_arrives(device: Client, controller: Client, topic: str, own_presence: str) -> None:
    """Publish on `topic`, then on the device's own presence; the controller sees only the second."""
    marker = f"denied:{topic}".encode()
    device.publish(topic, marker)
    device.publish(own_presence, CONTROL + marker)
    seen = controller.wait_for(lambda t, p: p == CONTROL + marker)
    assert (topic, marker) not in seen, f"{topic} reached the controller"


def _allowed_publish_arrives(device: Client, controller: Client, topic: str) -> None:
    marker = f"allowed:{topic}".encode()
    device.publish(topic, marker)
    controller.wait_for(lambda t, p: t == topic and p == marker)


ROLE_CASES = [
    # role, window, device id, may publish (suffixes under hall/<id>/), may not publish
    (DeviceRole.KIOSK, 0, "kiosk-1", ["device/kiosk-1/intent", "device/kiosk-1/presence"],
     ["device/counter-3/intent", "device/kiosk-2/intent", "manager/kiosk-1/intent", "state/queue",
      "event/called", "device/kiosk-1/reply", "device/counter-3/reply"]),
    (DeviceRole.COUNTER, 3, "counter-3", ["device/counter-3/intent", "device/counter-3/presence"],
     ["device/counter-4/intent", "device/pad-3/intent", "manager/counter-3/intent", "state/window/3",
      "event/called"]),
    (DeviceRole.WALL, 0, "wall-1", ["device/wall-1/presence"],
     ["device/wall-1/intent", "state/notices", "manager/wall-1/intent", "event/alert"]),
    (DeviceRole.CONSOLE, 0, "console-1", ["device/console-1/intent", "manager/console-1/intent",
                                         "device/console-1/presence"],
     ["manager/console-2/intent", "device/kiosk-1/intent", "state/notices", "device/console-2/presence"]),
]


@pytest.mark.parametrize(("role", "window", "device_id", "allowed", "denied"), ROLE_CASES,
                         ids=[c[0].value for c in ROLE_CASES])
def test_each_role_publishes_only_on_its_own_topics(
        hub: Hub, hub_broker: object, make_client: Callable[..., Client],
        role: DeviceRole, window: int, device_id: str, allowed: list[str], denied: list[str]) -> None:
    base = f"hall/{hub.settings().hall_id}"
    bundle = hub.enroll(role, window, NOW)
    assert bundle.device_id == device_id
    controller = make_client("controller-test", hub.local_settings(CONTROLLER_USER), (f"{base}/#",))
    device = make_client(device_id, device_settings(hub, bundle))
    for suffix in allowed:
        _allowed_publish_arrives(device, controller, f"{base}/{suffix}")
    for suffix in denied:
        _denied_publish_never_arrives(device, controller, f"{base}/{suffix}",
                                      f"{base}/device/{device_id}/presence")


READ_CASES = [
    (DeviceRole.KIOSK, 0,
     ["state/queue", "event/called", "device/controller/presence", "device/kiosk-1/reply"],
     ["device/kiosk-2/reply", "device/counter-1/intent", "device/pad-1/reply", "manager/console-1/intent",
      "device/kiosk-2/presence", "report/ratings", "pairing/abc/answer"]),
    (DeviceRole.WALL, 0, ["state/notices", "state/window/2", "event/called", "device/controller/presence"],
     ["device/wall-1/reply", "device/kiosk-1/intent", "device/pad-2/reply", "report/ratings"]),
    (DeviceRole.CONSOLE, 0,
     ["state/queue", "device/console-1/reply", "device/kiosk-1/presence", "report/ratings"],
     ["device/kiosk-1/intent", "device/pad-1/reply", "manager/console-2/intent"]),
]


@pytest.mark.parametrize(("role", "window", "readable", "unreadable"), READ_CASES,
                         ids=[c[0].value for c in READ_CASES])
def test_ratings_complaints_and_other_devices_topics_never_reach_a_device(
        hub: Hub, hub_broker: object, make_client: Callable[..., Client],
        role: DeviceRole, window: int, readable: list[str], unreadable: list[str]) -> None:
    base = f"hall/{hub.settings().hall_id}"
    bundle = hub.enroll(role, window, NOW)
    controller = make_client("controller-test", hub.local_settings(CONTROLLER_USER))
    device = make_client(bundle.device_id, device_settings(hub, bundle),
                         (f"{base}/#", f"{base}/device/+/intent", f"{base}/device/+/reply",
                          f"{base}/state/#", f"{base}/event/#", f"{base}/device/+/presence",
                          f"{base}/report/#", f"{base}/manager/+/intent", f"{base}/pairing/#",
                          f"{base}/device/{bundle.device_id}/reply"))
    for suffix in unreadable:
        controller.publish(f"{base}/{suffix}", b"secret")
    for suffix in readable:
        controller.publish(f"{base}/{suffix}", b"public")
    seen = device.wait_for(lambda t, p: t == f"{base}/{readable[-1]}")
    assert {t for t, p in seen if p == b"secret"} == set()
    for suffix in readable:
        device.wait_for(lambda t, p, topic=f"{base}/{suffix}": t == topic)


def test_anonymous_clients_and_wrong_passwords_are_refused(hub: Hub, hub_broker: object) -> None:
    settings = hub.settings()
    bundle = hub.enroll(DeviceRole.KIOSK, 0, NOW)
    ca = str(hub.ca_cert)
    assert connack_code("127.0.0.1", settings.lan_port, "kiosk-1", ca_file=ca, server_name="localhost") == 5
    assert connack_code("127.0.0.1", settings.local_port, "x") == 5
    assert connack_code("127.0.0.1", settings.lan_port, "kiosk-1", "kiosk-1", "guess",
                        ca_file=ca, server_name="localhost") == 5
    assert connack_code("127.0.0.1", settings.lan_port, "kiosk-1", "kiosk-1", bundle.password,
                        ca_file=ca, server_name="localhost") == 0


def test_the_lan_listener_speaks_only_tls(hub: Hub, hub_broker: object) -> None:
    assert connack_code("127.0.0.1", hub.settings().lan_port, "kiosk-1") == -1


def test_a_device_cannot_take_another_devices_client_id(
        hub: Hub, hub_broker: object, make_client: Callable[..., Client]) -> None:
    base = f"hall/{hub.settings().hall_id}"
    counter = hub.enroll(DeviceRole.COUNTER, 1, NOW)
    kiosk = hub.enroll(DeviceRole.KIOSK, 0, NOW)
    controller = make_client("controller-test", hub.local_settings(CONTROLLER_USER), (f"{base}/#",))
    real = make_client("counter-1", device_settings(hub, counter))
    impostor = make_client("counter-1", device_settings(hub, kiosk))
    # Its username is its client id: the impostor is kiosk-1 and may not speak for counter-1.
    _denied_publish_never_arrives(impostor, controller, f"{base}/device/counter-1/intent",
                                  f"{base}/device/kiosk-1/presence")
    real.publish(f"{base}/device/counter-1/presence", b"still here")
    controller.wait_for(lambda t, p: p == b"still here")
    assert real.bus.is_connected and real.connects == 1
