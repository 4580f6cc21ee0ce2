"""Revoking a device: its account goes, and so does whatever it left retained on the hall's broker.

Mosquitto 2.0 cannot refuse the retain flag on some topics only (`retain_available` is for the
whole broker, and the hall's state topics are retained), so a device can leave a retained message
on its own intent topic. After a revoke that message would be delivered again to the controller
at each of its (re)subscriptions once the id is enrolled again, or after a broker restart. So
`revoke` overwrites every topic the device could write with an empty retained message, which
deletes a retained message in MQTT.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from hall.bus import MqttBus
from hall.protocol import Topics
from hall.protocol.topics import is_valid_id
from provisioning.acl import PROVISIONER_USER
from provisioning.client_ids import unguessable_client_id
from provisioning.hub import Hub
from provisioning.inventory import Device, DeviceRole

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10.0


@dataclass(frozen=True, slots=True)
class Revocation:
    device_id: str
    # A running broker was told (SIGHUP): the device is cut off and its password refused.
    broker_reloaded: bool
    # Every topic the device could write now holds no retained message.
    retained_cleared: bool


def writable_topics(hall_id: str, device: Device) -> tuple[str, ...]:
    """The topics the device's ACL let it write (provisioning/acl.py): only those can hold its messages."""
    topics = Topics(hall_id)
    writable = [topics.presence(device.device_id)]
    if device.role is not DeviceRole.WALL:
        writable.append(topics.intent(device.device_id))
    if device.role is DeviceRole.CONSOLE:
        writable.append(topics.manager_intent(device.device_id))
    return tuple(writable)


def revoke_device(hub: Hub, device_id: str, now: datetime) -> Revocation:
    """Remove the device's account and ACL entry, reload the broker, then clear its retained topics.

    Again for a device revoked already: a revoke that could not reach the broker is finished.
    """
    if hub.inventory().get(device_id).is_revoked:
        hub.write_broker_config()
        reloaded = hub.reload_broker()
    else:
        reloaded = hub.revoke(device_id, now)
    # After the reload: the broker handles SIGHUP before our connection, so the device is already
    # off and cannot plant a message again behind the clearing.
    cleared = reloaded and clear_retained(hub, device_id)
    return Revocation(device_id, reloaded, cleared)


def clear_retained(hub: Hub, device_id: str) -> bool:
    """Publish an empty retained message on each topic the device could write; False if not all acked."""
    if not is_valid_id(device_id):
        return False
    hall_id = hub.settings().hall_id
    device = hub.inventory().get(device_id)
    bus = MqttBus(unguessable_client_id("provisioner-revoke"), hub.local_settings(PROVISIONER_USER),
                  on_message=lambda topic, payload: None)
    bus.start()
    try:
        if not bus.wait_connected(CONNECT_TIMEOUT_S):
            logger.warning("cannot reach the hub's broker to clear %s's retained topics", device_id)
            return False
        return all([bus.publish(topic, b"", qos=1, retain=True, wait_s=CONNECT_TIMEOUT_S)
                    for topic in writable_topics(hall_id, device)])
    finally:
        bus.stop()
