"""`hall counter --window N`: one window's clerk terminal, rating pad and window screen."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_CONFIG = 4
EXIT_MISSING_EXTRA = 5
PARTS = ("terminal", "pad", "screen")


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("counter", help="run a window's clerk terminal, rating pad and window screen")
    p.add_argument("--window", type=int, required=True, help="the window number")
    p.add_argument("--hall-id", required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=1883)
    p.add_argument("--user", default="device", help="the terminal's MQTT account")
    p.add_argument("--password-file", type=Path, required=True)
    p.add_argument("--pad-user", default="", help="the pad's MQTT account (default: --user)")
    p.add_argument("--pad-password-file", type=Path,
                   help="the pad's password file (default: --password-file)")
    p.add_argument("--only", default=",".join(PARTS),
                   help="which screens this board shows: terminal,pad,screen (default all)")
    p.add_argument("--outbox", type=Path, default=Path("var/outbox"),
                   help="where the pad keeps ratings until the controller has them")
    p.add_argument("--photos", type=Path, help="staff photos as <工号>.png or .jpg")
    p.add_argument("--rating-url", default="https://hall.example/rate",
                   help="the hall's phone rating page (the pad's QR code)")
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
        photos_dir=args.photos, parts=parts, full_screen=not args.windowed))
