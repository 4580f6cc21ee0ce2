"""A rating pad is a board of its own: the clerk's bundle never holds the pad's password unless the site
chose one board for both, and then `hall provision list` says so."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from hall.protocol import Topics
from provisioning.acl import CONTROLLER_USER
from provisioning.device_status import device_rows, format_rows
from provisioning.hub import Hub
from provisioning.inventory import DeviceRole, ProvisioningError
from tests.provisioning.hub_support import NOW, Client, device_settings


def _bundle_bytes(hub: Hub, device_id: str) -> bytes:
    return b"".join(p.read_bytes() for p in sorted((hub.bundles_dir / device_id).rglob("*")) if p.is_file())


def test_the_clerks_bundle_holds_no_pad_password_and_cannot_write_as_the_pad(
        hub: Hub, hub_broker: object, make_client: Callable[..., Client]) -> None:
    topics = Topics(hub.settings().hall_id)
    counter = hub.enroll(DeviceRole.COUNTER, 3, NOW)
    pad = hub.enroll(DeviceRole.COUNTER, 3, NOW, "pad-3")
    assert pad.password.encode() not in _bundle_bytes(hub, counter.device_id)
    assert not (hub.bundles_dir / counter.device_id / "pad").exists()

    controller = make_client("controller-test", hub.local_settings(CONTROLLER_USER), (topics.all_intents,))
    clerk = make_client(counter.device_id, device_settings(hub, counter))
    clerk.publish(topics.intent("pad-3"), b"a rating as the pad")
    clerk.publish(topics.intent(counter.device_id), b"marker")
    seen = controller.wait_for(lambda t, p: p == b"marker")
    assert all(p != b"a rating as the pad" for _, p in seen)


def test_a_pad_on_its_clerks_board_is_the_sites_explicit_choice_and_is_flagged(hub: Hub) -> None:
    hub.enroll(DeviceRole.COUNTER, 4, NOW)
    hub.enroll(DeviceRole.COUNTER, 4, NOW, "pad-4", on_counter_board=True)
    with pytest.raises(ProvisioningError):
        hub.enroll(DeviceRole.COUNTER, 5, NOW, on_counter_board=True)  # counter-5 is no pad
    assert hub.inventory().get("pad-4").on_counter_board
    text = format_rows(device_rows(hub.inventory(), {}))
    pad_row = next(line for line in text.splitlines() if line.startswith("pad-4"))
    assert "on counter-4's board: the clerk can rate" in pad_row
    counter_row = next(line for line in text.splitlines() if line.startswith("counter-4"))
    assert "clerk can rate" not in counter_row
