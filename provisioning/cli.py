"""`hall provision ...`: the IT technician's commands on the hub and on a new board."""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from provisioning.inventory import DeviceRole, ProvisioningError

EXIT_OK = 0
EXIT_FAILED = 1
DEFAULT_HUB = Path(os.environ.get("HALL_HUB_DIR", "/var/lib/hall/hub"))
DEFAULT_BUNDLE = Path("/etc/hall/device")


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("provision", help="device enrollment, credentials, units, backup (IT staff)")
    actions = p.add_subparsers(required=True, metavar="ACTION")

    a = actions.add_parser("init", help="create the hall CA, the broker's certificate and config")
    _hub_arg(a)
    a.add_argument("--hall-id", required=True)
    a.add_argument("--hostname", action="append", default=[],
                   help="a name devices may use for the hub (default: this machine's, and .local)")
    a.add_argument("--address", action="append", default=[],
                   help="an IP address of the hub (default: its current addresses)")
    a.add_argument("--lan-port", type=int, default=8883)
    a.add_argument("--local-port", type=int, default=1883)
    a.add_argument("--pairing-port", type=int, default=8884, help="the pairing broker's LAN port")
    a.add_argument("--pairing-local-port", type=int, default=18884,
                   help="the pairing broker's loopback port (for `approve`)")
    a.add_argument("--lan-address", default="", help="bind the LAN listeners to this address only")
    a.set_defaults(handler=_init)

    a = actions.add_parser("enroll", help="give a device its account, ACL entry and bundle")
    _hub_arg(a)
    _role_args(a)
    a.add_argument("--out", type=Path, help="also copy the bundle directory here (e.g. a USB stick)")
    a.add_argument("--archive", type=Path, help="also write the bundle as one .tar.gz here")
    a.add_argument("--on-counter-board", action="store_true",
                   help="pad-N only: its password goes on the clerk's board too (flagged; docs/security.md)")
    a.set_defaults(handler=_enroll)

    a = actions.add_parser("approve", help="enroll the new board that shows this pairing code")
    _hub_arg(a)
    a.add_argument("code")
    _role_args(a)
    a.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the board's request")
    a.set_defaults(handler=_approve)

    a = actions.add_parser("pair", help="on a new board: show a pairing code and wait for approval")
    a.add_argument("--host", help="the hub (default: found by zeroconf)")
    a.add_argument("--hall-id", help="with --host: the hall id")
    a.add_argument("--pairing-port", type=int, default=8884)
    a.add_argument("--out", type=Path, default=DEFAULT_BUNDLE, help=f"bundle directory ({DEFAULT_BUNDLE})")
    a.add_argument("--timeout", type=float, default=3600.0)
    a.set_defaults(handler=_pair)

    a = actions.add_parser("list", help="devices with role, window, status, last seen, version")
    _hub_arg(a)
    a.add_argument("--json", action="store_true")
    a.set_defaults(handler=_list)

    a = actions.add_parser("revoke", help="remove a device's account; the broker drops it at once")
    _hub_arg(a)
    a.add_argument("device_id")
    a.set_defaults(handler=_revoke)

    a = actions.add_parser("write-config", help="rewrite the broker configs (e.g. after an upgrade), reload")
    _hub_arg(a)
    a.set_defaults(handler=_write_config)

    a = actions.add_parser("install-units", help="write the systemd units of the hub or of a board")
    a.add_argument("--dest", type=Path, default=Path("/etc/systemd/system"))
    a.add_argument("--hub-units", action="store_true", help="the hub's broker, controller, advertiser")
    a.add_argument("--hub", type=Path, default=DEFAULT_HUB)
    a.add_argument("--bundle", type=Path, help="a board's bundle directory: units for its role")
    a.add_argument("--config", type=Path, default=Path("/etc/hall/hall.toml"), help="the controller's")
    a.add_argument("--user", default="hall", help="the account the services run as")
    a.add_argument("--hall-command", type=Path, help="the `hall` executable (default: this one)")
    a.add_argument("--screen-off", default="", help="walls: HH:MM the screen goes dark")
    a.add_argument("--screen-on", default="", help="walls: HH:MM the screen lights again")
    a.set_defaults(handler=_install_units)

    from provisioning.console_setup import add_console_cert_command

    add_console_cert_command(actions, DEFAULT_HUB)

    a = actions.add_parser("backup", help="the hub's database, CA, config and inventory in one file")
    _hub_arg(a)
    a.add_argument("archive", type=Path)
    a.add_argument("--database", type=Path, help="the controller's SQLite file (store_path)")
    a.set_defaults(handler=_backup)

    a = actions.add_parser("restore", help="put a hub back from a backup file")
    _hub_arg(a)
    a.add_argument("archive", type=Path)
    a.add_argument("--database", type=Path, help="where the controller's SQLite file goes")
    a.set_defaults(handler=_restore)

    a = actions.add_parser("bridge", help="forward reports and health to a central cluster")
    _hub_arg(a)
    a.add_argument("--central-host", required=True)
    a.add_argument("--central-port", type=int, default=8883)
    a.add_argument("--central-ca", type=Path, required=True, help="the CA of the central cluster")
    a.add_argument("--remote-username", required=True)
    a.add_argument("--remote-password-file", type=Path, required=True)
    a.set_defaults(handler=_bridge)

    a = actions.add_parser("advertise", help="advertise the hub's broker by zeroconf until stopped")
    _hub_arg(a)
    a.set_defaults(handler=_advertise)

    from provisioning import network_cli

    network_cli.add_commands(actions, DEFAULT_HUB)

    a = actions.add_parser("wait-display", help="wait until a monitor is connected (kiosk units)")
    a.add_argument("--timeout", type=float, default=300.0)
    a.set_defaults(handler=_wait_display)

    a = actions.add_parser("screen", help="walls: switch the screens off or on (wlr-randr)")
    a.add_argument("state", choices=("on", "off"))
    a.set_defaults(handler=_screen)


def _hub_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--hub", type=Path, default=DEFAULT_HUB, help=f"the hub's directory ({DEFAULT_HUB})")


def _role_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--role", required=True, choices=[r.value for r in DeviceRole])
    p.add_argument("--window", type=int, default=0, help="counters: the window number")
    p.add_argument("--device-id", default="", help="e.g. pad-3 for window 3's rating pad")


def _now() -> datetime:
    return datetime.now(UTC)


def _fail(action: str, exc: Exception) -> int:
    print(f"hall provision {action}: {exc}", file=sys.stderr)
    return EXIT_FAILED


def _init(args: argparse.Namespace) -> int:
    from hall.discovery import current_addresses
    from provisioning.hub import Hub, HubSettings

    host = socket.gethostname()
    hostnames = tuple(args.hostname) or (host, f"{host}.local")
    addresses = tuple(args.address)
    if not addresses:
        from zeroconf import InterfaceChoice

        addresses = current_addresses(InterfaceChoice.All)
    try:
        hub = Hub.init(args.hub, HubSettings(
            hall_id=args.hall_id, hostnames=hostnames, addresses=addresses, lan_port=args.lan_port,
            local_port=args.local_port, pairing_port=args.pairing_port, lan_address=args.lan_address,
            pairing_local_port=args.pairing_local_port),
            _now())
    except (ProvisioningError, ValueError, OSError) as exc:
        return _fail("init", exc)
    print(f"hall {args.hall_id}: hub initialised in {hub.root}")
    print(f"CA fingerprint (SHA-256): {hub.ca_fingerprint}")
    print(f"broker config: {hub.broker_config}")
    print(f"pairing broker config: {hub.pairing_config} (run it only while pairing boards)")
    print("the controller's [mqtt] section in hall.toml:")
    print(f'  host = "127.0.0.1"\n  port = {args.local_port}\n  username = "controller"\n'
          f'  password_file = "{hub.secret_file("controller")}"')
    return EXIT_OK


def _enroll(args: argparse.Namespace) -> int:
    from provisioning.hub import Hub

    hub = Hub(args.hub)
    try:
        bundle = hub.enroll(DeviceRole(args.role), args.window, _now(), args.device_id,
                            on_counter_board=args.on_counter_board)
    except (ProvisioningError, OSError) as exc:
        return _fail("enroll", exc)
    source = hub.bundles_dir / bundle.device_id
    print(f"enrolled {bundle.device_id} ({bundle.role}); bundle in {source}")
    if args.out:
        bundle.write(args.out)
        print(f"bundle copied to {args.out}")
    if args.archive:
        from provisioning.ca import write_secret

        write_secret(args.archive, bundle.archive())
        print(f"bundle archive: {args.archive}")
    return EXIT_OK


def _approve(args: argparse.Namespace) -> int:
    from provisioning.hub import Hub
    from provisioning.pairing import PairingError
    from provisioning.pairing_exchange import approve

    try:
        approval = approve(Hub(args.hub), args.code, DeviceRole(args.role), args.window, _now(),
                           device_id=args.device_id, timeout_s=args.timeout)
    except (ProvisioningError, PairingError, OSError) as exc:
        return _fail("approve", exc)
    from hall.terminal_text import for_terminal

    # What the board says of itself is the board's text: shown, never interpreted by the terminal.
    about = for_terminal(", ".join(f"{k}={v}" for k, v in sorted(approval.details.items())))
    print(f"approved {approval.bundle.device_id} ({approval.bundle.role}) for the board: {about}")
    print("it is online" if approval.is_online else "it has not come online yet; check `hall provision list`")
    return EXIT_OK


def _pair(args: argparse.Namespace) -> int:
    from provisioning.pairing import new_code
    from provisioning.pairing_exchange import request_bundle

    host, hall_id, port = args.host, args.hall_id, args.pairing_port
    if not host:
        from hall.discovery import HubBrowser

        browser = HubBrowser()
        browser.start()
        try:
            found = browser.wait_for_hub(60.0)
        finally:
            browser.stop()
        if found is None:
            return _fail("pair", ProvisioningError("no hub advertises itself on this network; give --host"))
        host, hall_id, port = found.host, found.hall_id, found.pairing_port or port
    if not hall_id:
        return _fail("pair", ProvisioningError("--hall-id is needed with --host"))
    code = new_code()
    print(f"\n    PAIRING CODE   {code}\n\n"
          f"On the hub: hall provision approve {code} --role ROLE [--window N]\n", flush=True)
    details = {"hostname": socket.gethostname(), "machine": platform.machine(),
               "model": _board_model()}
    try:
        bundle = request_bundle(host, port, hall_id, code, args.out, details=details,
                                timeout_s=args.timeout)
    except (ProvisioningError, OSError) as exc:
        return _fail("pair", exc)
    print(f"paired as {bundle.device_id} ({bundle.role}) of hall {bundle.hall_id}; bundle in {args.out}")
    return EXIT_OK


def _board_model() -> str:
    try:
        return Path("/proc/device-tree/model").read_text(encoding="utf-8").strip("\0\n ")
    except OSError:
        return ""


def _list(args: argparse.Namespace) -> int:
    from provisioning.acl import PROVISIONER_USER
    from provisioning.client_ids import unguessable_client_id
    from provisioning.device_status import device_rows, fetch_presences, format_rows
    from provisioning.hub import Hub

    hub = Hub(args.hub)
    try:
        inventory = hub.inventory()
        presences = fetch_presences(hub.local_settings(PROVISIONER_USER), inventory.hall_id,
                                    unguessable_client_id("provisioner-list"))
    except (ProvisioningError, OSError) as exc:
        return _fail("list", exc)
    rows = device_rows(inventory, presences)
    if args.json:
        print(json.dumps([{**asdict(r), "last_seen": r.last_seen.isoformat() if r.last_seen else None}
                          for r in rows], ensure_ascii=False, indent=2))
    else:
        print(format_rows(rows))
    return EXIT_OK


def _revoke(args: argparse.Namespace) -> int:
    from provisioning.hub import Hub
    from provisioning.revocation import revoke_device

    hub = Hub(args.hub)
    try:
        revocation = revoke_device(hub, args.device_id, _now())
    except (ProvisioningError, OSError) as exc:
        return _fail("revoke", exc)
    if not revocation.broker_reloaded:
        print(f"hall provision revoke: WARNING: {args.device_id} is removed from the inventory and the "
              "broker's files, but NO running broker was signalled: a connected device stays connected "
              "and its password works until the broker rereads them. Now run "
              "`systemctl reload hall-broker` (or `systemctl restart hall-broker`).", file=sys.stderr)
        return EXIT_FAILED
    if not revocation.retained_cleared:
        print(f"hall provision revoke: WARNING: {args.device_id} is cut off, but what it left retained "
              "on its topics could not be cleared: run this revoke again once hall-broker is up",
              file=sys.stderr)
        return EXIT_FAILED
    print(f"revoked {args.device_id}: its account, ACL entry, bundle and retained messages are gone "
          "and the broker reloaded")
    return EXIT_OK


def _write_config(args: argparse.Namespace) -> int:
    from provisioning.hub import Hub

    hub = Hub(args.hub)
    try:
        hub.write_broker_config()
    except (ProvisioningError, OSError) as exc:
        return _fail("write-config", exc)
    print(f"wrote {hub.broker_config} and {hub.pairing_config}")
    if not hub.reload_broker():
        print("hall provision write-config: no running broker was signalled; "
              "run `systemctl restart hall-broker`", file=sys.stderr)
        return EXIT_FAILED
    print("the broker reloaded; a listener removed or added needs `systemctl restart hall-broker`")
    return EXIT_OK


def _install_units(args: argparse.Namespace) -> int:
    from provisioning.bundle import load_bundle
    from provisioning.units import PAIRING_UNIT, UnitOptions, device_units, hub_units, write_units

    hall = args.hall_command or Path(shutil.which("hall") or Path(sys.argv[0]).resolve())
    try:
        options = UnitOptions(hall_command=hall, user=args.user, hub_dir=args.hub, config_file=args.config,
                              bundle_dir=args.bundle or DEFAULT_BUNDLE, screen_off_at=args.screen_off,
                              screen_on_at=args.screen_on)
        units: dict[str, str] = {}
        if args.hub_units:
            from provisioning.console_setup import console_units

            units |= hub_units(options) | console_units(options)
        if args.bundle:
            units |= device_units(load_bundle(args.bundle).role, options)
    except (ProvisioningError, ValueError) as exc:
        return _fail("install-units", exc)
    if not units:
        return _fail("install-units", ProvisioningError("give --hub-units and/or --bundle DIR"))
    for path in write_units(units, args.dest):
        print(f"wrote {path}")
    print("then: systemctl daemon-reload && systemctl enable --now " + " ".join(
        name for name in sorted(units)
        if (name.endswith(".timer") or not name.startswith("hall-screen")) and name != PAIRING_UNIT))
    if PAIRING_UNIT in units:
        print(f"pairing boards: systemctl start {PAIRING_UNIT}; stop it when done (leave it disabled)")
    return EXIT_OK


def _backup(args: argparse.Namespace) -> int:
    from provisioning.backup import create_backup

    try:
        create_backup(args.hub, args.database, args.archive, _now())
    except (ProvisioningError, OSError) as exc:
        return _fail("backup", exc)
    print(f"backup written to {args.archive} (it holds the CA key: keep it locked away)")
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    from provisioning.backup import restore_backup
    from provisioning.hub import Hub

    try:
        manifest = restore_backup(args.archive, args.hub, args.database)
        Hub(args.hub).write_broker_config()
    except (ProvisioningError, OSError) as exc:
        return _fail("restore", exc)
    print(f"restored the hub of {manifest.get('created_at')} into {args.hub}; "
          "now: systemctl restart hall-broker hall-controller (and hall-pairing if it runs)")
    return EXIT_OK


def _bridge(args: argparse.Namespace) -> int:
    from provisioning.bridge import configure_bridge
    from provisioning.hub import Hub

    try:
        path = configure_bridge(Hub(args.hub), central_host=args.central_host, central_port=args.central_port,
                                central_ca_file=args.central_ca, remote_username=args.remote_username,
                                remote_password=args.remote_password_file.read_text(encoding="utf-8").strip())
    except (ProvisioningError, OSError) as exc:
        return _fail("bridge", exc)
    print(f"bridge written to {path}; Mosquitto reads bridges only at start: "
          "systemctl restart hall-broker")
    return EXIT_OK


def _advertise(args: argparse.Namespace) -> int:
    from hall.discovery import HubAdvertiser
    from hall.systemd_notify import SystemdNotifier
    from provisioning.hub import Hub

    hub = Hub(args.hub)
    try:
        settings = hub.settings()
        advertiser = HubAdvertiser(settings.hall_id, settings.lan_port, hub.ca_fingerprint,
                                   pairing_port=settings.pairing_port)
        advertiser.start()
    except (ProvisioningError, OSError) as exc:
        return _fail("advertise", exc)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    systemd = SystemdNotifier()
    systemd.ready(f"advertising {advertiser.name}")
    try:
        while not stop.wait(systemd.watchdog_s / 2 if systemd.watchdog_s else None):
            systemd.watchdog()
    finally:
        advertiser.stop()
    return EXIT_OK


def _wait_display(args: argparse.Namespace) -> int:
    from provisioning.units import wait_for_display

    found = wait_for_display(args.timeout)
    if not found:
        print(f"hall provision wait-display: no monitor connected within {args.timeout:.0f} s",
              file=sys.stderr)
        return EXIT_FAILED
    print("connected: " + ", ".join(found))
    return EXIT_OK


def _screen(args: argparse.Namespace) -> int:
    tool = shutil.which("wlr-randr")
    if tool is None:
        return _fail("screen", ProvisioningError("wlr-randr is missing: sudo apt-get install wlr-randr"))
    listing = subprocess.run([tool], capture_output=True, text=True, check=False)
    outputs = [line.split()[0] for line in listing.stdout.splitlines() if line and not line[0].isspace()]
    for output in outputs:
        subprocess.run([tool, "--output", output, f"--{args.state}"], check=False)
    print(f"screens {args.state}: {', '.join(outputs) or 'none found'}")
    return EXIT_OK if outputs else EXIT_FAILED
