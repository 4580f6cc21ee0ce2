"""Pairing: a new board shows a code, the technician approves it on the hub, the board is enrolled."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from hall.bus import MqttBus
from hall.config import MqttSettings
from hall.device_client import DeviceClient
from hall.protocol import Topics
from hall.protocol import messages as m
from provisioning.bundle import DeviceBundle, load_bundle
from provisioning.hub import Hub
from provisioning.inventory import DeviceRole, ProvisioningError
from provisioning.pairing import (
    PairingError,
    PairingKey,
    format_code,
    is_valid_request_id,
    new_code,
    normalize_code,
)
from provisioning.pairing_exchange import Approval, approve, request_bundle
from tests.provisioning.hub_support import NOW, Client


def test_a_pairing_code_survives_the_misreadings_of_a_screen() -> None:
    code = new_code()
    assert len(code) == 11 and code[5] == "-"
    assert normalize_code(code.lower().replace("-", " ")) == normalize_code(code)
    assert normalize_code("ABCDE-FGH0I") == normalize_code("abcde fghoi".upper().replace("O", "0"))
    with pytest.raises(PairingError):
        normalize_code("ABCDE-FGHJ")
    assert format_code("abcdefghjk") == "ABCDE-FGHJK"


def test_only_the_code_opens_what_was_sealed_with_it() -> None:
    key, other = PairingKey.from_code("ABCDE-FGHJK", "h1"), PairingKey.from_code("ABCDE-FGHJM", "h1")
    assert key.request_id != other.request_id
    assert is_valid_request_id(key.request_id)
    sealed = key.seal_answer(b"bundle")
    assert key.open_answer(sealed) == b"bundle"
    with pytest.raises(PairingError):
        other.open_answer(sealed)
    with pytest.raises(PairingError):
        key.open_request(sealed)  # an answer replayed as a request


def test_the_same_code_gives_another_key_in_another_hall() -> None:
    here, there = PairingKey.from_code("ABCDE-FGHJK", "h1"), PairingKey.from_code("ABCDE-FGHJK", "h2")
    assert here.request_id != there.request_id and here.key != there.key
    with pytest.raises(PairingError):
        there.open_answer(here.seal_answer(b"bundle"))


def _pair_in_background(hub: Hub, code: str, directory: Path) -> tuple[threading.Thread, list[object]]:
    settings = hub.settings()
    result: list[object] = []

    def run() -> None:
        try:
            bundle = request_bundle("127.0.0.1", settings.pairing_port, settings.hall_id, code, directory,
                                    details={"hostname": "kiosk-board"}, timeout_s=10.0)
            result.append(bundle)
            # The board now starts with its bundle: its presence tells the hub the pairing worked.
            client = DeviceClient(bundle.mqtt_settings(directory, host="127.0.0.1"), bundle.hall_id,
                                  bundle.device_id, m.Role(bundle.role))
            client.start()
            client.wait_connected(10.0)
            client.stop()
        except Exception as exc:  # reported to the test below
            result.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def test_a_new_board_is_enrolled_by_approving_the_code_on_its_screen(
        hub: Hub, hub_broker: object, pairing_broker: object, tmp_path: Path) -> None:
    code = new_code()
    thread, result = _pair_in_background(hub, code, tmp_path / "board")

    approval = approve(hub, code, DeviceRole.COUNTER, 5, NOW, timeout_s=10.0, online_wait_s=10.0)
    thread.join(15)

    assert approval.bundle.device_id == "counter-5" and approval.details == {"hostname": "kiosk-board"}
    assert approval.is_online
    assert isinstance(result[0], DeviceBundle), result
    on_board = load_bundle(tmp_path / "board")
    assert on_board.password == approval.bundle.password and on_board.window == 5
    assert on_board.ca_fingerprint == hub.ca_fingerprint
    assert (tmp_path / "board" / "mqtt.secret").stat().st_mode & 0o777 == 0o600
    assert hub.inventory().get("counter-5").role is DeviceRole.COUNTER


def test_a_wrong_code_enrolls_nobody(hub: Hub, hub_broker: object, pairing_broker: object,
                                     tmp_path: Path) -> None:
    thread, result = _pair_in_background(hub, "ABCDE-FGHJK", tmp_path / "board")
    try:
        with pytest.raises(ProvisioningError, match="no board is showing this code"):
            approve(hub, "ABCDE-FGHJM", DeviceRole.KIOSK, 0, NOW, timeout_s=1.0)
        assert hub.inventory().devices == ()
    finally:
        approve(hub, "ABCDE-FGHJK", DeviceRole.KIOSK, 0, NOW, online_wait_s=10.0)
        thread.join(15)


def test_an_anonymous_pairing_client_can_post_requests_and_nothing_else(
        hub: Hub, hub_broker: object, pairing_broker: object, make_client: Callable[..., Client]) -> None:
    settings = hub.settings()
    topics = Topics(settings.hall_id)
    controller = make_client("controller-test", hub.local_settings("controller"),
                             (f"hall/{settings.hall_id}/#",))
    provisioner = make_client("provisioner-test", hub.pairing_local_settings(),
                              (f"hall/{settings.hall_id}/#",))
    stranger = make_client("stranger", MqttSettings(host="127.0.0.1", port=settings.pairing_port),
                           (f"hall/{settings.hall_id}/#",))
    stranger.publish(topics.intent("kiosk-1"), b"forged")
    stranger.publish(topics.pairing_answer("0123456789abcdef"), b"forged answer")
    stranger.publish(topics.pairing_request("0123456789abcdef"), b"junk")
    seen = provisioner.wait_for(lambda t, p: p == b"junk")
    assert all(p not in (b"forged", b"forged answer") for _, p in seen)
    provisioner.publish(topics.pairing_answer("0123456789abcdef"), b"sealed")
    got = stranger.wait_for(lambda t, p: p == b"sealed")
    assert all(p != b"junk" for _, p in got)
    # The pairing broker is another Mosquitto: nothing of this reaches the hall's broker.
    controller.publish(topics.queue, b"marker")
    seen = controller.wait_for(lambda t, p: p == b"marker")
    assert [p for _, p in seen] == [b"marker"]
    assert isinstance(stranger.bus, MqttBus)


def test_the_sealed_answer_is_cleared_once_the_board_is_online(
        hub: Hub, hub_broker: object, pairing_broker: object, tmp_path: Path,
        make_client: Callable[..., Client]) -> None:
    code = new_code()
    thread, result = _pair_in_background(hub, code, tmp_path / "board")
    approval = approve(hub, code, DeviceRole.WALL, 0, NOW, timeout_s=10.0, online_wait_s=10.0)
    thread.join(15)
    assert approval.is_online and isinstance(result[0], DeviceBundle), result
    key = PairingKey.from_code(code, hub.settings().hall_id)
    topics = Topics(hub.settings().hall_id)
    # A retained answer would reach a new subscriber at once; only the later marker arrives.
    late = make_client("provisioner-late", hub.pairing_local_settings(), (f"{topics.base}/#",))
    late.publish(topics.pairing_request(key.request_id), b"marker")
    seen = late.wait_for(lambda t, p: p == b"marker")
    assert [p for _, p in seen] == [b"marker"]


def test_an_answer_for_a_board_that_never_comes_online_is_cleared_after_the_wait(
        hub: Hub, hub_broker: object, pairing_broker: object, make_client: Callable[..., Client]) -> None:
    settings = hub.settings()
    code = new_code()
    key = PairingKey.from_code(code, settings.hall_id)
    topics = Topics(settings.hall_id)
    board = make_client("board", MqttSettings(host="127.0.0.1", port=settings.pairing_port),
                        (topics.pairing_answer(key.request_id),))
    answers: list[Approval] = []
    approving = threading.Thread(target=lambda: answers.append(
        approve(hub, code, DeviceRole.KIOSK, 0, NOW, timeout_s=10.0, online_wait_s=1.0)))
    approving.start()
    # A board that posts its request (again and again, as boards do), takes the answer, never uses it.
    deadline = time.monotonic() + 10.0
    while time.monotonic() < deadline:
        board.publish(topics.pairing_request(key.request_id), key.seal_request({"hostname": "silent"}))
        if board.received_within(lambda t, p: bool(p), timeout_s=0.2):  # the board's re-post pace
            break
    assert key.open_answer(next(p for _, p in board.received if p))
    approving.join(20)
    assert answers and not answers[0].is_online
    board.wait_for(lambda t, p: p == b"")
