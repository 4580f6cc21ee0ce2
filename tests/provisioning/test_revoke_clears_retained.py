"""A revoked board's retained intent does not outlive its revoke (Mosquitto cannot refuse the retain flag)."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from broker_config.local_broker import LocalBroker
from hall.protocol import Topics, encode
from hall.protocol import messages as m
from provisioning.acl import CONTROLLER_USER
from provisioning.hub import Hub
from provisioning.inventory import DeviceRole
from tests.provisioning.hub_support import NOW, Client, connack_code, device_settings

ROOT = Path(__file__).resolve().parents[2]


def _retained_intents(hub: Hub, make_client: Callable[..., Client], name: str) -> list[tuple[str, bytes]]:
    """What a controller subscribing now is handed on the intent topics before anything new."""
    topics = Topics(hub.settings().hall_id)
    controller = make_client(f"controller-{name}", hub.local_settings(CONTROLLER_USER),
                             (topics.all_intents, topics.all_manager_intents))
    marker = topics.intent(f"marker-{name}")
    controller.publish(marker, b"marker")
    seen = controller.wait_for(lambda t, p: t == marker)
    return [(t, p) for t, p in seen[:-1] if p]


def _revoke(hub: Hub, device_id: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "hall", "provision", "revoke", "--hub", str(hub.root), device_id]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=ROOT, env=dict(os.environ))


def test_a_revoked_consoles_planted_intents_are_gone_after_re_enrolment_and_a_broker_restart(
        hub: Hub, hub_broker: LocalBroker, make_client: Callable[..., Client]) -> None:
    topics = Topics(hub.settings().hall_id)
    console = hub.enroll(DeviceRole.CONSOLE, 0, NOW)
    planted = make_client(console.device_id, device_settings(hub, console))
    take = encode(m.TakeTicket(request_id="", reply_to="", business="A"))
    planted.publish(topics.intent(console.device_id), take, retain=True)
    planted.publish(topics.manager_intent(console.device_id), take, retain=True)
    assert len(_retained_intents(hub, make_client, "before")) == 2  # the attack works at all

    result = _revoke(hub, console.device_id)
    assert result.returncode == 0, result.stderr
    assert "retained" in result.stdout
    assert planted.bus.wait_disconnected(5.0)
    assert _retained_intents(hub, make_client, "after-revoke") == []

    # The same id enrolled again for a new board, and the broker restarted from its saved state.
    hub.enroll(DeviceRole.CONSOLE, 0, NOW, console.device_id)
    assert _retained_intents(hub, make_client, "re-enrolled") == []
    hub_broker.restart()
    assert _retained_intents(hub, make_client, "restarted") == []


def test_a_revoke_that_found_no_broker_clears_the_retained_intents_when_run_again(
        hub: Hub, hub_broker: LocalBroker, make_client: Callable[..., Client]) -> None:
    topics = Topics(hub.settings().hall_id)
    kiosk = hub.enroll(DeviceRole.KIOSK, 0, NOW)
    planted = make_client(kiosk.device_id, device_settings(hub, kiosk))
    planted.publish(topics.intent(kiosk.device_id), b'{"kind":"take_ticket"}', retain=True)
    planted.stop()
    hub_broker.stop()
    first = _revoke(hub, kiosk.device_id)
    assert first.returncode == 1 and "NO running broker" in first.stderr
    hub_broker.start()
    # Mosquitto installs its SIGHUP handler only after it listens: wait for it to answer.
    assert connack_code("127.0.0.1", hub.settings().local_port, "probe", CONTROLLER_USER,
                        hub.secret(CONTROLLER_USER)) == 0
    again = _revoke(hub, kiosk.device_id)
    assert again.returncode == 0, again.stderr
    assert _retained_intents(hub, make_client, "again") == []
