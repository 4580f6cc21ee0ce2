"""An anonymous client on the pairing port cannot take `approve`'s or a waiting board's client id."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable

from hall.config import MqttSettings
from hall.protocol import Topics
from provisioning.hub import Hub
from provisioning.inventory import DeviceRole
from provisioning.pairing import PairingKey, new_code
from provisioning.pairing_exchange import Approval, approve
from tests.provisioning.hub_support import NOW, Client, connack_code

TAKEOVER = "already connected, closing old connection"


def test_an_anonymous_client_with_ids_read_off_the_answer_topic_drops_nobody(
        hub: Hub, hub_broker: object, pairing_broker: object, make_client: Callable[..., Client]) -> None:
    settings = hub.settings()
    code = new_code()
    key = PairingKey.from_code(code, settings.hall_id)
    topics = Topics(settings.hall_id)
    anonymous = MqttSettings(host="127.0.0.1", port=settings.pairing_port)
    # The attacker reads every answer topic: that is where the request id becomes public.
    attacker = make_client("watcher", anonymous, (f"{topics.base}/pairing/+/answer",))
    board = make_client("board-under-test", anonymous, (topics.pairing_answer(key.request_id),))
    answers: list[Approval] = []
    approving = threading.Thread(target=lambda: answers.append(
        approve(hub, code, DeviceRole.KIOSK, 0, NOW, timeout_s=10.0, online_wait_s=3.0)))
    approving.start()
    deadline = time.monotonic() + 10.0
    while time.monotonic() < deadline:
        board.publish(topics.pairing_request(key.request_id), key.seal_request({"hostname": "board"}))
        if board.received_within(lambda t, p: bool(p), timeout_s=0.2):
            break
    answer_topic = attacker.wait_for(lambda t, p: bool(p))[-1][0]
    request_id = answer_topic.split("/")[-2]
    assert request_id == key.request_id

    # While `approve` still waits for the board: connect with every id derivable from that.
    for client_id in (f"provisioner-{request_id}", f"pairing-{request_id}", "provisioner",
                      f"provisioner-list-{request_id}"):
        assert connack_code("127.0.0.1", settings.pairing_port, client_id) == 0

    approving.join(20)
    assert answers and not answers[0].is_online
    # `approve` kept its connection to the end: it cleared the sealed answer.
    board.wait_for(lambda t, p: p == b"")
    log = (hub.pairing_dir / "mosquitto.log").read_text(encoding="utf-8", errors="replace")
    assert TAKEOVER not in log, [line for line in log.splitlines() if TAKEOVER in line]
