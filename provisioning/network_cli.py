"""`hall provision firewall` and `hall provision guard`: the hub's defences of its LAN ports."""
from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

from provisioning.inventory import ProvisioningError

EXIT_OK = 0
EXIT_FAILED = 1


def add_commands(actions: argparse._SubParsersAction[argparse.ArgumentParser], default_hub: Path) -> None:
    a = actions.add_parser("firewall", help="show, check or load the nftables limits of the LAN ports")
    a.add_argument("--hub", type=Path, default=default_hub, help=f"the hub's directory ({default_hub})")
    a.add_argument("--apply", action="store_true", help="load them now (root)")
    a.set_defaults(handler=_firewall)

    a = actions.add_parser("guard", help="alert managers when the LAN listener's connections near the limit")
    a.add_argument("--hub", type=Path, default=default_hub, help=f"the hub's directory ({default_hub})")
    a.add_argument("--once", action="store_true", help="check once, print the load and exit")
    a.set_defaults(handler=_guard)


def _fail(action: str, exc: Exception) -> int:
    print(f"hall provision {action}: {exc}", file=sys.stderr)
    return EXIT_FAILED


def _firewall(args: argparse.Namespace) -> int:
    from provisioning.hub import Hub

    hub = Hub(args.hub)
    try:
        settings = hub.settings()
        ruleset = hub.firewall_ruleset
        if not ruleset.exists():
            raise ProvisioningError(f"no {ruleset}: run `hall provision write-config` as the hub's owner")
    except ProvisioningError as exc:
        return _fail("firewall", exc)
    print(ruleset.read_text(encoding="utf-8"))
    print(f"# LAN port {settings.lan_port}: {settings.lan_max_connections} connections in all "
          f"(max_connections); pairing port {settings.pairing_port}")
    if not args.apply:
        print(f"# load it: sudo systemctl enable --now hall-firewall (or: sudo nft -f {ruleset})")
        return EXIT_OK
    nft = shutil.which("nft") or "/usr/sbin/nft"
    loaded = subprocess.run([nft, "-f", str(ruleset)], capture_output=True, text=True, check=False)
    if loaded.returncode != 0:
        return _fail("firewall", ProvisioningError(f"nft refused the rules: {loaded.stderr.strip()}"))
    print("# loaded")
    return EXIT_OK


def _guard(args: argparse.Namespace) -> int:
    from hall.systemd_notify import SystemdNotifier
    from provisioning.acl import PROVISIONER_USER
    from provisioning.client_ids import unguessable_client_id
    from provisioning.hub import Hub
    from provisioning.lan_guard import LanGuard, read_lan_load

    hub = Hub(args.hub)
    try:
        settings = hub.settings()
        if args.once:
            load = read_lan_load(settings.lan_port, settings.lan_max_connections)
            print(f"LAN connections: {load.connected} of {load.limit}; most from: "
                  + (", ".join(f"{a} ({n})" for a, n in load.top_sources) or "nobody"))
            return EXIT_FAILED if load.is_near_limit else EXIT_OK
        guard = LanGuard(hub.local_settings(PROVISIONER_USER), settings.hall_id,
                         unguessable_client_id("provisioner-guard"), settings.lan_port,
                         settings.lan_max_connections, lambda: datetime.now(UTC))
    except (ProvisioningError, OSError) as exc:
        return _fail("guard", exc)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    systemd = SystemdNotifier()
    systemd.ready(f"guarding port {settings.lan_port}")
    guard.run(stop, on_round=systemd.watchdog)
    return EXIT_OK
