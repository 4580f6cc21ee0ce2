"""`hall counter --window N`: one window's clerk terminal, rating pad and window screen."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

EXIT_CONFIG = 4
EXIT_MISSING_EXTRA = 5
PARTS = ("terminal", "pad", "screen")


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("counter", help="run a window's clerk terminal, rating pad and window screen")
    p.add_argument("--bundle", type=Path,
                   help="the board's bundle from `hall provision` (counter-N, or pad-N for a pad "
                        "alone); a pad-N bundle in its pad/ subdirectory adds the pad")
    p.add_argument("--pad-bundle", type=Path, help="the pad-N bundle, if not in BUNDLE/pad")
    p.add_argument("--window", type=int, help="the window number (without --bundle)")
    p.add_argument("--hall-id")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=1883)
    p.add_argument("--user", default="device", help="the terminal's MQTT account")
    p.add_argument("--password-file", type=Path)
    p.add_argument("--pad-user", default="", help="the pad's MQTT account (default: --user)")
    p.add_argument("--pad-password-file", type=Path,
                   help="the pad's password file (default: --password-file)")
    p.add_argument("--only", default=",".join(PARTS),
                   help="which screens this board shows: terminal,pad,screen (default all)")
    p.add_argument("--outbox", type=Path, default=Path("var/outbox"),
                   help="where the pad keeps ratings until the controller has them")
    p.add_argument("--photos", type=Path, help="staff photos as <工号>.png or .jpg")
    p.add_argument("--rating-url", default="",
                   help="override the phone rating page of the pad's QR code (default: the "
                   "controller's, from the hub's hall.toml [hall] public_base_url)")
    p.add_argument("--printer", default="none",
                   help="the window's receipt printer for reprinting slips: HOST:PORT, "
                        "file:/dev/usb/lp0 or none")
    p.add_argument("--spool", type=Path, default=Path("var/spool"),
                   help="where reprinted slips wait until the printer took them")
    p.add_argument("--windowed", action="store_true", help="windows instead of full screen")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        from counter.app import CounterConfig, run_counter
    except ImportError as exc:
        print(f"hall counter: {exc.name} is missing; install the counter extra: "
              ".venv/bin/pip install -e '.[counter]' (scripts/setup does it)", file=sys.stderr)
        return EXIT_MISSING_EXTRA
    from hall.config import MqttSettings

    parts = tuple(part.strip() for part in args.only.split(",") if part.strip())
    unknown = set(parts) - set(PARTS)
    if unknown or not parts:
        print(f"hall counter: --only takes {', '.join(PARTS)}; not {sorted(unknown)}",
              file=sys.stderr)
        return EXIT_CONFIG
    if args.bundle is not None:
        return _run_from_bundles(args, parts, run_counter, CounterConfig)
    if args.window is None or not args.hall_id or args.password_file is None:
        print("hall counter: give --bundle DIR, or --window, --hall-id and --password-file",
              file=sys.stderr)
        return EXIT_CONFIG
    try:
        password = args.password_file.read_text(encoding="utf-8").strip()
        pad_file = args.pad_password_file or args.password_file
        pad_password = pad_file.read_text(encoding="utf-8").strip()
    except OSError as exc:
        print(f"hall counter: cannot read a password file: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    return run_counter(CounterConfig(
        hall_id=args.hall_id, window=args.window,
        mqtt=MqttSettings(host=args.host, port=args.port, username=args.user, password=password),
        pad_mqtt=MqttSettings(host=args.host, port=args.port, username=args.pad_user or args.user,
                              password=pad_password),
        outbox_dir=args.outbox / f"pad-{args.window}", rating_base_url=args.rating_url,
        photos_dir=args.photos, parts=parts, full_screen=not args.windowed,
        printer=args.printer, spool_dir=args.spool / f"counter-{args.window}"))


def _run_from_bundles(args: argparse.Namespace, parts: tuple[str, ...], run_counter: Any,
                      config_type: Any) -> int:
    """Each part under its own account over TLS, pinned to the hall CA of its bundle."""
    from provisioning.bundle import load_bundle
    from provisioning.inventory import ProvisioningError

    pad_dir = args.pad_bundle or args.bundle / "pad"
    try:
        main = load_bundle(args.bundle)
        pad = load_bundle(pad_dir) if (pad_dir / "device.toml").exists() else None
    except ProvisioningError as exc:
        print(f"hall counter: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    if main.device_id.startswith("pad-"):
        pad, parts = main, ("pad",)
    elif pad is None and "pad" in parts:
        logger.warning("no pad-%d bundle in %s: running the terminal and window screen only",
                       main.window, pad_dir)
        parts = tuple(p for p in parts if p != "pad")
    if pad is not None and (pad.hall_id, pad.window) != (main.hall_id, main.window):
        print(f"hall counter: {pad.device_id} of {pad.hall_id} does not belong with "
              f"{main.device_id} of {main.hall_id}", file=sys.stderr)
        return EXIT_CONFIG
    mqtt = main.mqtt_settings(args.bundle)
    pad_mqtt = pad.mqtt_settings(pad_dir if pad is not main else args.bundle) if pad else mqtt
    return int(run_counter(config_type(
        hall_id=main.hall_id, window=main.window, mqtt=mqtt, pad_mqtt=pad_mqtt,
        outbox_dir=args.outbox / f"pad-{main.window}", rating_base_url=args.rating_url,
        photos_dir=args.photos, parts=parts, full_screen=not args.windowed,
        printer=args.printer, spool_dir=args.spool / f"counter-{main.window}",
        terminal_enabled="terminal" in parts or "screen" in parts,
        pad_enabled=pad is not None)))
