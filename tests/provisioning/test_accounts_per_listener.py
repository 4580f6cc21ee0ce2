"""Service accounts log in only on the hub's loopback port, devices only on the LAN port; no device
may be named after a service or another role."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from provisioning.acl import BRIDGE_USER, CONTROLLER_USER, PROVISIONER_USER
from provisioning.ca import broker_server_name
from provisioning.hub import Hub
from provisioning.inventory import DeviceRole, ProvisioningError
from tests.provisioning.hub_support import NOW, Client, connack_code, device_settings

ACCEPTED, NOT_AUTHORISED = 0, 5


@pytest.mark.parametrize("user", [CONTROLLER_USER, PROVISIONER_USER])
def test_a_service_account_with_its_right_password_is_refused_on_the_lan_port(
        hub: Hub, hub_broker: object, user: str) -> None:
    settings = hub.settings()
    hub.enroll(DeviceRole.WALL, 0, NOW)  # a reload first: per-listener password files survive it
    code = connack_code("127.0.0.1", settings.lan_port, f"{user}-from-the-lan", user, hub.secret(user),
                        ca_file=str(hub.ca_cert), server_name=broker_server_name(settings.hall_id))
    assert code == NOT_AUTHORISED
    # The same account on the loopback port is the one that works.
    assert connack_code("127.0.0.1", settings.local_port, f"{user}-local", user, hub.secret(user)) == ACCEPTED


def test_a_device_account_is_refused_on_the_loopback_port_and_accepted_on_the_lan_port(
        hub: Hub, hub_broker: object) -> None:
    settings = hub.settings()
    bundle = hub.enroll(DeviceRole.KIOSK, 0, NOW)
    assert connack_code("127.0.0.1", settings.local_port, bundle.device_id, bundle.device_id,
                        bundle.password) == NOT_AUTHORISED
    assert connack_code("127.0.0.1", settings.lan_port, bundle.device_id, bundle.device_id, bundle.password,
                        ca_file=str(hub.ca_cert), server_name=bundle.server_name) == ACCEPTED


def test_the_lan_password_file_holds_no_service_account(hub: Hub) -> None:
    hub.write_broker_config()
    lan_users = {line.split(":", 1)[0] for line in hub.lan_password_file.read_text().splitlines() if line}
    local_users = {line.split(":", 1)[0] for line in hub.local_password_file.read_text().splitlines() if line}
    assert lan_users.isdisjoint({CONTROLLER_USER, PROVISIONER_USER, BRIDGE_USER})
    assert local_users == {CONTROLLER_USER, PROVISIONER_USER}


@pytest.mark.parametrize(("role", "window", "requested"), [
    (DeviceRole.KIOSK, 0, "controller-{hall}"),   # the controller's client id: it would be knocked off
    (DeviceRole.CONSOLE, 0, "controller-{hall}"),
    (DeviceRole.KIOSK, 0, "provisioner-list-1"),  # `hall provision list`'s client id
    (DeviceRole.WALL, 0, "bridge-{hall}"),        # the uplink bridge's client id
    (DeviceRole.KIOSK, 0, "pairing-0123456789abcdef"),
    (DeviceRole.CONSOLE, 0, "kiosk-7"),           # broker: a console; controller: a kiosk
    (DeviceRole.KIOSK, 0, "console-7"),
    (DeviceRole.WALL, 0, "kiosk-7"),
    (DeviceRole.KIOSK, 0, "wall-7"),
    (DeviceRole.COUNTER, 7, "kiosk-7"),
    (DeviceRole.KIOSK, 0, "kiosk"),               # no role word plus a name
    (DeviceRole.KIOSK, 0, "central"),
])
def test_an_enrolment_under_a_services_name_or_another_roles_name_is_refused(
        hub: Hub, role: DeviceRole, window: int, requested: str) -> None:
    device_id = requested.format(hall=hub.settings().hall_id)
    with pytest.raises(ProvisioningError):
        hub.enroll(role, window, NOW, device_id)
    assert device_id not in {d.device_id for d in hub.inventory().devices}


def test_an_enrolment_as_the_controllers_id_does_not_knock_the_controller_off(
        hub: Hub, hub_broker: object, make_client: Callable[..., Client]) -> None:
    hall_id = hub.settings().hall_id
    controller = make_client(f"controller-{hall_id}", hub.local_settings(CONTROLLER_USER))
    with pytest.raises(ProvisioningError):
        hub.enroll(DeviceRole.KIOSK, 0, NOW, f"controller-{hall_id}")
    # A device enrolled under a proper name that asks for the controller's client id still gets its own.
    kiosk = hub.enroll(DeviceRole.KIOSK, 0, NOW, "kiosk-lobby")
    assert connack_code("127.0.0.1", hub.settings().lan_port, f"controller-{hall_id}", kiosk.device_id,
                        kiosk.password, ca_file=str(hub.ca_cert), server_name=kiosk.server_name) == ACCEPTED
    assert not controller.bus.wait_disconnected(1.0), "the controller was knocked off the broker"
    assert controller.connects == 1
    assert device_settings(hub, kiosk).username == "kiosk-lobby"
