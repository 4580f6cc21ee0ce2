"""`hall kiosk`: its options and its start; Qt is imported only when the kiosk really runs."""
from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

EXIT_CONFIG = 4
EXIT_MISSING_EXTRA = 5
SIZES = ("1080x1920", "1920x1080")


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("kiosk", help="run the citizen kiosk (full screen, touch)")
    p.add_argument("--config", type=Path, help="the hall's TOML (catalogue, [kiosk], [printer]); "
                   "default: the sample hall")
    p.add_argument("--guides", type=Path, help="service guides TOML (default: the sample's)")
    p.add_argument("--hall-id", help="overrides the config's hall id")
    p.add_argument("--device-id", default="kiosk-1")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=1883)
    p.add_argument("--user", default="device")
    p.add_argument("--password-file", type=Path, required=True)
    p.add_argument("--size", default="1080x1920", choices=SIZES, help="portrait or landscape")
    p.add_argument("--printer", default="none",
                   help="none, HOST:PORT of a network receipt printer, or file:PATH")
    p.add_argument("--spool", type=Path, default=Path("var/kiosk-spool"),
                   help="where receipts wait until printed")
    p.add_argument("--camera", default="0",
                   help="camera index, an image file or folder of images, or none")
    p.add_argument("--rating-url", default="http://hall.local",
                   help="base of the phone rating page printed as the receipt's QR")
    p.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    p.add_argument("--no-sound", action="store_true", help="no voice guidance")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        from kiosk.app import KioskConfig, run_kiosk
        from kiosk.camera import open_camera
    except ImportError as exc:
        print(f"hall kiosk: install the kiosk extra: .venv/bin/pip install -e '.[kiosk]' ({exc})",
              file=sys.stderr)
        return EXIT_MISSING_EXTRA
    from hall.config import SAMPLE_GUIDES, SAMPLE_HALL, MqttSettings, load_config, load_guides
    from hall.core.errors import ConfigError
    from kiosk.texts import DEFAULT_PRIORITY_REASONS

    config_path = args.config or SAMPLE_HALL
    try:
        # The kiosk reads the catalogue only; the controller's own MQTT secret is none of its business.
        hall = load_config(config_path, env={"HALL_MQTT_PASSWORD": "not-used-by-the-kiosk"})
        guides = load_guides(args.guides or SAMPLE_GUIDES, hall.catalogue)
        raw = tomllib.loads(config_path.read_text(encoding="utf-8")).get("kiosk", {})
        reasons = tuple((str(r["zh"]), str(r.get("en", r["zh"])))
                        for r in raw.get("priority_reasons", [])) or DEFAULT_PRIORITY_REASONS
        password = args.password_file.read_text(encoding="utf-8").strip()
        camera = open_camera(args.camera)
    except (ConfigError, OSError, KeyError, ValueError, tomllib.TOMLDecodeError) as exc:
        print(f"hall kiosk: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    width, _, height = args.size.partition("x")
    config = KioskConfig(
        hall_id=args.hall_id or hall.catalogue.hall_id, device_id=args.device_id,
        mqtt=MqttSettings(host=args.host, port=args.port, username=args.user, password=password),
        guides=tuple(guides.values()), hall_name_zh=hall.catalogue.name_zh,
        priority_reasons=reasons, width=int(width), height=int(height),
        full_screen=not args.windowed, sound=not args.no_sound, timezone=str(hall.timezone))
    return run_kiosk(config, camera, args.printer, args.spool, args.rating_url)
