"""The inventory's rules and the ACL text it generates (pure), device status rows, units, backups."""
from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hall.protocol import messages as m
from provisioning.acl import render_acl, render_pairing_acl, render_pairing_provisioner_acl
from provisioning.backup import create_backup, restore_backup
from provisioning.device_status import device_rows, format_rows
from provisioning.hub import Hub, HubSettings
from provisioning.inventory import Device, DeviceRole, Inventory, ProvisioningError
from provisioning.units import connected_displays

NOW = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)


def _device(device_id: str, role: DeviceRole, window: int = 0, revoked: bool = False) -> Device:
    return Device(device_id, role, window, NOW, "$7$hash", NOW if revoked else None)


INVENTORY = Inventory("h1", (
    _device("kiosk-1", DeviceRole.KIOSK), _device("counter-3", DeviceRole.COUNTER, 3),
    _device("wall-1", DeviceRole.WALL), _device("console-1", DeviceRole.CONSOLE),
    _device("kiosk-2", DeviceRole.KIOSK, revoked=True),
))


def _block(text: str, user: str) -> list[str]:
    blocks = [b.splitlines() for b in text.split("\n\n")]
    block = next(b for b in blocks if f"user {user}" in b)
    return [line for line in block if line.startswith("topic ")]


@pytest.mark.parametrize(("user", "rules"), [
    ("controller", ["topic readwrite hall/h1/#"]),
    ("kiosk-1", ["topic write hall/h1/device/kiosk-1/presence", "topic read hall/h1/state/#",
                 "topic read hall/h1/event/#", "topic read hall/h1/device/controller/presence",
                 "topic write hall/h1/device/kiosk-1/intent", "topic read hall/h1/device/kiosk-1/reply"]),
    ("counter-3", ["topic write hall/h1/device/counter-3/presence", "topic read hall/h1/state/#",
                   "topic read hall/h1/event/#", "topic read hall/h1/device/controller/presence",
                   "topic write hall/h1/device/counter-3/intent",
                   "topic read hall/h1/device/counter-3/reply"]),
    ("wall-1", ["topic write hall/h1/device/wall-1/presence", "topic read hall/h1/state/#",
                "topic read hall/h1/event/#", "topic read hall/h1/device/controller/presence"]),
    ("console-1", ["topic write hall/h1/device/console-1/presence", "topic read hall/h1/state/#",
                   "topic read hall/h1/event/#", "topic read hall/h1/device/controller/presence",
                   "topic write hall/h1/device/console-1/intent", "topic read hall/h1/device/console-1/reply",
                   "topic write hall/h1/manager/console-1/intent", "topic read hall/h1/device/+/presence",
                   "topic read hall/h1/report/#"]),
])
def test_each_role_gets_exactly_its_rules_and_no_wildcard_over_devices(user: str, rules: list[str]) -> None:
    assert _block(render_acl(INVENTORY), user) == rules


def test_revoked_devices_have_no_acl_entry_and_patterns_are_never_used() -> None:
    text = render_acl(INVENTORY)
    assert "user kiosk-2" not in text and "pattern" not in text
    assert "user bridge" not in text and "user bridge" in render_acl(INVENTORY, with_bridge=True)


def test_anonymous_pairing_clients_may_only_post_requests_and_read_answers() -> None:
    lines = [line for line in render_pairing_acl("h1").splitlines() if not line.startswith("#")]
    assert lines == ["topic write hall/h1/pairing/+/request", "topic read hall/h1/pairing/+/answer"]


def test_the_provisioner_answers_pairings_only_on_the_pairing_broker_and_clears_revoked_topics() -> None:
    assert _block(render_acl(INVENTORY), "provisioner") == [
        "topic read hall/h1/device/+/presence", "topic write hall/h1/device/+/intent",
        "topic write hall/h1/device/+/presence", "topic write hall/h1/manager/+/intent",
        "topic write hall/h1/event/alert"]
    lines = [line for line in render_pairing_provisioner_acl("h1").splitlines() if not line.startswith("#")]
    assert lines == ["user provisioner", "topic readwrite hall/h1/pairing/#"]


@pytest.mark.parametrize(("role", "window", "requested", "expected"), [
    (DeviceRole.COUNTER, 5, "", "counter-5"),
    (DeviceRole.COUNTER, 3, "pad-3", "pad-3"),
    (DeviceRole.KIOSK, 0, "", "kiosk-3"),
    (DeviceRole.WALL, 0, "", "wall-2"),
    (DeviceRole.CONSOLE, 0, "", "console-2"),
])
def test_new_devices_are_named_after_their_role_or_window(role: DeviceRole, window: int, requested: str,
                                                          expected: str) -> None:
    assert INVENTORY.new_device_id(role, window, requested) == expected


@pytest.mark.parametrize(("role", "window", "requested"), [
    (DeviceRole.COUNTER, 0, ""),             # a counter needs its window
    (DeviceRole.COUNTER, 3, ""),             # counter-3 is enrolled already
    (DeviceRole.COUNTER, 4, "pad-3"),        # a pad of another window
    (DeviceRole.KIOSK, 0, "counter-9"),      # a window's name for a kiosk
    (DeviceRole.KIOSK, 0, "controller"),     # a service account
    (DeviceRole.KIOSK, 0, "Kiosk 1"),        # not a topic-safe id
])
def test_impossible_enrollments_are_refused(role: DeviceRole, window: int, requested: str) -> None:
    with pytest.raises(ProvisioningError):
        INVENTORY.new_device_id(role, window, requested)


def test_the_device_list_shows_presence_and_revocation() -> None:
    presence = m.Presence(device_id="kiosk-1", role=m.Role.KIOSK, status=m.DeviceStatus.ALERT,
                          boot_count=3, app_version="0.2.0", detail="printer out of paper", at=NOW)
    rows = device_rows(INVENTORY, {"kiosk-1": presence})
    assert [(r.device_id, r.status) for r in rows] == [
        ("console-1", "never seen"), ("counter-3", "never seen"), ("kiosk-1", "alert"),
        ("kiosk-2", "revoked"), ("wall-1", "never seen")]
    text = format_rows(rows)
    assert "2026-11-24 01:30:00" in text and "printer out of paper" in text


def test_only_connected_monitors_count_as_displays(tmp_path: Path) -> None:
    for name, status in (("card0-HDMI-A-1", "disconnected"), ("card0-HDMI-A-2", "connected"),
                         ("card0", None)):
        (tmp_path / name).mkdir()
        if status:
            (tmp_path / name / "status").write_text(status + "\n", encoding="ascii")
    assert connected_displays(tmp_path) == ["card0-HDMI-A-2"]


def test_a_backup_restores_the_hub_and_a_consistent_database(tmp_path: Path) -> None:
    hub = Hub.init(tmp_path / "hub", HubSettings("h1", ("localhost",), ("127.0.0.1",)), NOW)
    hub.enroll(DeviceRole.KIOSK, 0, NOW)
    database = tmp_path / "hall.db"
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE ticket (number TEXT)")
        db.execute("INSERT INTO ticket VALUES ('A001')")
    archive = create_backup(hub.root, database, tmp_path / "backup.tar.gz", NOW)
    assert archive.stat().st_mode & 0o777 == 0o600

    restored_db = tmp_path / "new" / "hall.db"
    restore_backup(archive, tmp_path / "new" / "hub", restored_db)
    restored = Hub(tmp_path / "new" / "hub")
    assert restored.inventory() == hub.inventory() and restored.ca_fingerprint == hub.ca_fingerprint
    assert restored.secret("controller") == hub.secret("controller")
    with sqlite3.connect(restored_db) as db:
        assert db.execute("SELECT number FROM ticket").fetchall() == [("A001",)]
    with pytest.raises(ProvisioningError):
        restore_backup(archive, tmp_path / "new" / "hub", None)
