"""The pairing exchange over the hub's pairing broker: a board asks, the technician approves."""
from __future__ import annotations

import logging
import queue
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from hall.bus import MqttBus
from hall.config import MqttSettings
from hall.protocol import MessageDecodeError, Topics, decode
from hall.protocol import messages as m
from provisioning.acl import PROVISIONER_USER
from provisioning.bundle import DeviceBundle, bundle_from_archive
from provisioning.client_ids import unguessable_client_id
from provisioning.hub import Hub
from provisioning.inventory import DeviceRole, ProvisioningError
from provisioning.pairing import PairingError, PairingKey, is_valid_request_id

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10.0
# A waiting board posts its request again this often (it is not retained).
REQUEST_REPUBLISH_S = 2.0


@dataclass(frozen=True, slots=True)
class Approval:
    bundle: DeviceBundle
    # What the board said about itself (host name, hardware), shown to the technician.
    details: dict[str, str]
    # The board came online with its new credentials before `approve` returned.
    is_online: bool


def request_bundle(host: str, port: int, hall_id: str, code: str, directory: Path, *,
                   details: dict[str, str], timeout_s: float,
                   republish_s: float = REQUEST_REPUBLISH_S) -> DeviceBundle:
    """On a new board: post a request sealed with `code`, wait for the approval, unpack the bundle.

    The request is not retained: the board posts it again every `republish_s` while it waits, so
    the technician may approve before or after the board is switched on and nothing of it stays
    on the pairing broker once the board is gone.
    """
    key = PairingKey.from_code(code, hall_id)
    topics = Topics(hall_id)
    answers: queue.Queue[bytes] = queue.Queue()
    bus = MqttBus(unguessable_client_id("pairing"), MqttSettings(host=host, port=port),
                  on_message=lambda _topic, payload: answers.put(payload),
                  subscriptions=((topics.pairing_answer(key.request_id), 1),))
    bus.start()
    try:
        if not bus.wait_connected(CONNECT_TIMEOUT_S) or not bus.wait_subscribed(CONNECT_TIMEOUT_S):
            raise ProvisioningError(f"cannot reach the hub's pairing broker at {host}:{port}; "
                                    "on the hub: systemctl start hall-pairing")
        request = key.seal_request(details)
        deadline = time.monotonic() + timeout_s
        next_post = 0.0
        while (remaining := deadline - time.monotonic()) > 0:
            if time.monotonic() >= next_post:
                bus.publish(topics.pairing_request(key.request_id), request, qos=1, retain=False)
                next_post = time.monotonic() + republish_s
            try:
                sealed = answers.get(timeout=min(remaining, max(0.0, next_post - time.monotonic())))
            except queue.Empty:
                continue
            if not sealed:
                continue
            try:
                archive = key.open_answer(sealed)
            except PairingError:
                logger.warning("ignored a pairing answer not sealed with this board's code")
                continue
            return bundle_from_archive(archive, directory)
        raise ProvisioningError(f"no approval within {timeout_s:.0f} s; "
                                "run `hall provision approve CODE` on the hub")
    finally:
        bus.stop()


def approve(hub: Hub, code: str, role: DeviceRole, window: int, now: datetime, *, device_id: str = "",
            timeout_s: float = 10.0, online_wait_s: float = 30.0) -> Approval:
    """On the hub: find the board showing `code`, enroll it and send it its sealed bundle.

    Requests and answers go through the pairing broker's loopback listener; the new device's
    presence is awaited on the hall broker's. The sealed answer is cleared once the device is
    online, or after `online_wait_s` in any case.
    """
    hall_id = hub.settings().hall_id
    key = PairingKey.from_code(code, hall_id)
    if not is_valid_request_id(key.request_id):  # derived, so always valid: a guard, not a check
        raise PairingError(f"not a pairing request id: {key.request_id!r}")
    topics = Topics(hall_id)
    request_topic = topics.pairing_request(key.request_id)
    answer_topic = topics.pairing_answer(key.request_id)
    inbox: queue.Queue[tuple[str, bytes]] = queue.Queue()
    pairing = MqttBus(unguessable_client_id("provisioner"), hub.pairing_local_settings(),
                      on_message=lambda topic, payload: inbox.put((topic, payload)),
                      subscriptions=((request_topic, 1),))
    hall = MqttBus(unguessable_client_id("provisioner"), hub.local_settings(PROVISIONER_USER),
                   on_message=lambda topic, payload: inbox.put((topic, payload)))
    pairing.start()
    hall.start()
    answered = False
    try:
        if not pairing.wait_connected(CONNECT_TIMEOUT_S):
            raise ProvisioningError("cannot reach the pairing broker on loopback; "
                                    "is it running? systemctl start hall-pairing")
        if not hall.wait_connected(CONNECT_TIMEOUT_S):
            raise ProvisioningError("cannot reach the hub's broker on loopback; is hall-broker running?")
        details = _wait_for_request(key, inbox, request_topic, timeout_s)
        bundle = hub.enroll(role, window, now, device_id)
        presence = topics.presence(bundle.device_id)
        hall.subscribe(presence)
        # Retained, so a board that reconnects in between still gets it; the pairing broker keeps
        # nothing across a restart (persistence false) and this answer is cleared below.
        answered = pairing.publish(answer_topic, key.seal_answer(bundle.archive()), qos=1, retain=True,
                                   wait_s=CONNECT_TIMEOUT_S)
        is_online = _wait_until_online(inbox, presence, online_wait_s)
        return Approval(bundle, details, is_online)
    finally:
        if answered:
            # Online or not, the sealed copy does not stay on the broker.
            pairing.publish(answer_topic, b"", qos=1, retain=True, wait_s=CONNECT_TIMEOUT_S)
        hall.stop()
        pairing.stop()


def _wait_for_request(key: PairingKey, inbox: queue.Queue[tuple[str, bytes]], topic: str,
                      timeout_s: float) -> dict[str, str]:
    deadline = time.monotonic() + timeout_s
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            got, payload = inbox.get(timeout=remaining)
        except queue.Empty:
            break
        if got == topic and payload:
            try:
                return key.open_request(payload)
            except PairingError:
                logger.warning("a request under this code's id was not sealed with the code")
    raise ProvisioningError("no board is showing this code: check the code on its screen, and that "
                            "the board reaches the pairing broker (systemctl start hall-pairing)")


def _wait_until_online(inbox: queue.Queue[tuple[str, bytes]], presence: str, wait_s: float) -> bool:
    deadline = time.monotonic() + wait_s
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            topic, payload = inbox.get(timeout=remaining)
        except queue.Empty:
            return False
        if topic != presence or not payload:
            continue
        try:
            message = decode(topic, payload)
        except MessageDecodeError:
            continue
        if isinstance(message, m.Presence) and message.status is not m.DeviceStatus.OFFLINE:
            return True
    return False
