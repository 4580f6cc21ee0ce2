"""`hall provision` as a technician runs it: real processes, a real hub broker, real files."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from contextlib import closing
from pathlib import Path

from broker_config.local_broker import free_port
from hall.device_client import DeviceClient
from hall.protocol import messages as m
from provisioning.bundle import load_bundle
from provisioning.hub import Hub, HubSettings
from provisioning.inventory import DeviceRole
from tests.provisioning.hub_support import NOW, init_hub, start_hub_broker, start_pairing_broker

ROOT = Path(__file__).resolve().parents[2]


def hall(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hall", *args], capture_output=True, text=True,
                          timeout=60, cwd=ROOT, env=dict(os.environ))


def test_a_technician_sets_up_a_hub_enrolls_lists_revokes_and_backs_it_up(tmp_path: Path,
                                                                           hall_id: str) -> None:
    hub_dir = tmp_path / "hub"
    result = hall("provision", "init", "--hub", str(hub_dir), "--hall-id", hall_id, "--hostname", "localhost",
                  "--address", "127.0.0.1", "--lan-port", str(free_port()), "--local-port", str(free_port()),
                  "--pairing-port", str(free_port()), "--lan-address", "127.0.0.1")
    assert result.returncode == 0, result.stderr
    hub = Hub(hub_dir)
    assert hub.ca_fingerprint in result.stdout
    assert (hub.ca_key.stat().st_mode & 0o777) == 0o600
    broker = start_hub_broker(hub)
    try:
        result = hall("provision", "enroll", "--hub", str(hub_dir), "--role", "counter", "--window", "2",
                      "--archive", str(tmp_path / "counter-2.tar.gz"))
        assert result.returncode == 0, result.stderr
        assert (tmp_path / "counter-2.tar.gz").stat().st_mode & 0o777 == 0o600
        bundle_dir = hub.bundles_dir / "counter-2"
        bundle = load_bundle(bundle_dir)
        counter = DeviceClient(bundle.mqtt_settings(bundle_dir), hall_id, "counter-2", m.Role.COUNTER,
                               app_version="9.9.9")
        counter.start()
        try:
            assert counter.wait_connected(10.0)
            listing = hall("provision", "list", "--hub", str(hub_dir))
            assert listing.returncode == 0, listing.stderr
            row = next(line for line in listing.stdout.splitlines() if line.startswith("counter-2"))
            assert row.split()[:4] == ["counter-2", "counter", "2", "online"] and "9.9.9" in row

            result = hall("provision", "revoke", "--hub", str(hub_dir), "counter-2")
            assert result.returncode == 0, result.stderr
            assert counter.bus.wait_disconnected(5.0), "the revoked counter is still connected"
            assert not counter.is_connected
        finally:
            counter.stop()
        listing = hall("provision", "list", "--hub", str(hub_dir))
        assert "revoked" in next(line for line in listing.stdout.splitlines() if line.startswith("counter-2"))

        result = hall("broker", "check", "--config", str(hub.broker_config))
        assert result.returncode == 0, result.stderr
        assert broker.process is not None and broker.process.poll() is None
        assert hub.pid_file.read_text(encoding="utf-8").strip() == str(broker.process.pid)
    finally:
        broker.stop()

    result = hall("provision", "backup", "--hub", str(hub_dir), str(tmp_path / "hub.tar.gz"))
    assert result.returncode == 0, result.stderr
    restored = Hub(tmp_path / "restored")
    result = hall("provision", "restore", "--hub", str(restored.root), str(tmp_path / "hub.tar.gz"))
    assert result.returncode == 0, result.stderr
    assert restored.ca_key.read_bytes() == hub.ca_key.read_bytes()
    assert restored.inventory() == hub.inventory()


def test_units_for_the_hub_and_a_wall_are_written_with_watchdogs_and_a_kiosk_session(tmp_path: Path,
                                                                                     hall_id: str) -> None:
    hub = Hub.init(tmp_path / "hub", HubSettings(hall_id=hall_id, hostnames=("localhost",),
                                                 addresses=("127.0.0.1",)), NOW)
    wall = hub.enroll(DeviceRole.WALL, 0, NOW)
    bundle_dir = hub.bundles_dir / wall.device_id
    result = hall("provision", "install-units", "--dest", str(tmp_path / "units"), "--hub-units",
                  "--hub", str(hub.root), "--bundle", str(bundle_dir),
                  "--hall-command", "/opt/hall/.venv/bin/hall",
                  "--screen-off", "19:00", "--screen-on", "07:30")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "units").iterdir())
    assert names == ["hall-advertise.service", "hall-broker.service", "hall-console.service",
                     "hall-controller.service", "hall-firewall.service", "hall-guard.service",
                     "hall-pairing.service", "hall-screen-off.service", "hall-screen-off.timer",
                     "hall-screen-on.service", "hall-screen-on.timer", "hall-wall.service"]
    controller = (tmp_path / "units" / "hall-controller.service").read_text(encoding="utf-8")
    assert "Type=notify" in controller and "WatchdogSec=30" in controller
    assert "Restart=on-failure" in controller
    wall_unit = (tmp_path / "units" / "hall-wall.service").read_text(encoding="utf-8")
    assert f"ExecStart=/usr/bin/cage -d -- /opt/hall/.venv/bin/hall wall --bundle {bundle_dir}\n" in wall_unit
    assert "ExecStartPre=/opt/hall/.venv/bin/hall provision wait-display" in wall_unit
    pairing = (tmp_path / "units" / "hall-pairing.service").read_text(encoding="utf-8")
    assert "Type=simple" in pairing and "Restart=on-failure" in pairing
    assert f"ExecStart=/usr/sbin/mosquitto -c {hub.root}/pairing/mosquitto.conf\n" in pairing
    # The pairing broker is started by hand while pairing, never enabled with the others.
    enable_line = next(line for line in result.stdout.splitlines() if "enable --now" in line)
    assert "hall-pairing" not in enable_line and "hall-broker.service" in enable_line
    assert "hall-firewall.service" in enable_line and "hall-guard.service" in enable_line
    firewall = (tmp_path / "units" / "hall-firewall.service").read_text(encoding="utf-8")
    assert f"ExecStart=/usr/sbin/nft -f {hub.root}/broker/hall-lan-guard.nft\n" in firewall
    assert "Before=hall-broker.service" in firewall
    assert "systemctl start hall-pairing.service" in result.stdout
    assert "OnCalendar=*-*-* 19:00:00" in (tmp_path / "units" / "hall-screen-off.timer").read_text()



def test_revoke_without_a_running_broker_warns_and_fails_and_deletes_the_bundle(tmp_path: Path,
                                                                              hall_id: str) -> None:
    hub = Hub.init(tmp_path / "hub", HubSettings(hall_id=hall_id, hostnames=("localhost",),
                                                 addresses=("127.0.0.1",)), NOW)
    hub.enroll(DeviceRole.COUNTER, 2, NOW)
    assert (hub.bundles_dir / "counter-2" / "mqtt.secret").exists()
    result = hall("provision", "revoke", "--hub", str(hub.root), "counter-2")
    assert result.returncode == 1
    assert "NO running broker was signalled" in result.stderr
    assert "systemctl reload hall-broker" in result.stderr
    assert hub.inventory().get("counter-2").is_revoked
    assert not (hub.bundles_dir / "counter-2").exists()


def test_a_backup_and_its_restored_database_are_readable_by_the_owner_only(tmp_path: Path,
                                                                             hall_id: str) -> None:
    hub = Hub.init(tmp_path / "hub", HubSettings(hall_id=hall_id, hostnames=("localhost",),
                                                 addresses=("127.0.0.1",)), NOW)
    database = tmp_path / "hall.db"
    old_umask = os.umask(0o022)
    try:
        with closing(sqlite3.connect(database)) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE complaint (name TEXT, id_number TEXT, phone TEXT)")
            db.execute("INSERT INTO complaint VALUES ('张三', '110101199001011234', '13800000000')")
            db.commit()
    finally:
        os.umask(old_umask)
    assert database.stat().st_mode & 0o777 == 0o644  # as the controller may have left it
    archive = tmp_path / "hub.tar.gz"
    result = hall("provision", "backup", "--hub", str(hub.root), "--database", str(database), str(archive))
    assert result.returncode == 0, result.stderr
    with tarfile.open(archive) as tar:
        assert tar.getmember("hall.db").mode & 0o777 == 0o600
    restored_db = tmp_path / "restored" / "hall.db"
    result = hall("provision", "restore", "--hub", str(tmp_path / "restored" / "hub"),
                  "--database", str(restored_db), str(archive))
    assert result.returncode == 0, result.stderr
    assert restored_db.stat().st_mode & 0o777 == 0o600
    with closing(sqlite3.connect(restored_db)) as db:
        assert db.execute("SELECT phone FROM complaint").fetchall() == [("13800000000",)]
    for companion in (restored_db.with_name("hall.db-wal"), restored_db.with_name("hall.db-shm")):
        assert not companion.exists() or companion.stat().st_mode & 0o777 == 0o600


def test_a_hub_from_before_the_pairing_broker_gets_its_pairing_config_and_loses_the_old_listener(
        tmp_path: Path, hall_id: str) -> None:
    hub = Hub.init(tmp_path / "hub", HubSettings(hall_id=hall_id, hostnames=("localhost",),
                                                 addresses=("127.0.0.1",)), NOW)
    raw = json.loads(hub.settings_file.read_text(encoding="utf-8"))
    del raw["pairing_local_port"]
    hub.settings_file.write_text(json.dumps(raw), encoding="utf-8")
    (hub.broker_dir / "pairing.acl").write_text("topic write #\n", encoding="utf-8")
    assert hub.settings().pairing_local_port == 18884
    result = hall("provision", "write-config", "--hub", str(hub.root))
    assert result.returncode == 1 and "systemctl restart hall-broker" in result.stderr  # none runs
    assert not (hub.broker_dir / "pairing.acl").exists()
    assert "allow_anonymous true" not in hub.broker_config.read_text(encoding="utf-8")
    pairing = hub.pairing_config.read_text(encoding="utf-8")
    assert "listener 18884 127.0.0.1\n" in pairing and "persistence false\n" in pairing
    assert hub.pairing_config.stat().st_mode & 0o777 == 0o600


def test_a_board_pairs_through_the_pairing_broker_with_the_commands_a_technician_types(
        tmp_path: Path, hall_id: str) -> None:
    hub = init_hub(tmp_path / "hub", hall_id)
    settings = hub.settings()
    broker, pairing = start_hub_broker(hub), start_pairing_broker(hub)
    board = subprocess.Popen(
        [sys.executable, "-m", "hall", "provision", "pair", "--host", "127.0.0.1", "--hall-id", hall_id,
         "--pairing-port", str(settings.pairing_port), "--out", str(tmp_path / "board"), "--timeout", "30"],
        cwd=ROOT, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    approving: subprocess.Popen[str] | None = None
    try:
        assert board.stdout is not None
        code = next(line.split()[-1] for line in board.stdout if "PAIRING CODE" in line)
        approving = subprocess.Popen(
            [sys.executable, "-m", "hall", "provision", "approve", "--hub", str(hub.root), code,
             "--role", "wall", "--timeout", "10"],
            cwd=ROOT, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, err = board.communicate(timeout=30)
        assert board.returncode == 0, err
        assert "paired as wall-1 (wall)" in out
        bundle = load_bundle(tmp_path / "board")
        assert bundle.password == load_bundle(hub.bundles_dir / "wall-1").password
        # The board starts its app with the new bundle; `approve` sees it come online.
        wall = DeviceClient(bundle.mqtt_settings(tmp_path / "board", host="127.0.0.1"), hall_id, "wall-1",
                            m.Role.WALL)
        wall.start()
        try:
            out, err = approving.communicate(timeout=40)
        finally:
            wall.stop()
        assert approving.returncode == 0, err
        assert "approved wall-1 (wall)" in out and "it is online" in out
    finally:
        for process in (board, approving):
            if process is not None and process.poll() is None:
                process.kill()
                process.communicate()
        pairing.stop()
        broker.stop()
