"""`hall kiosk`: its options and its start; Qt is imported only when the kiosk really runs."""
from __future__ import annotations

import argparse
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hall.core.guides import ServiceGuide
    from hall.mqtt_settings import MqttSettings

EXIT_CONFIG = 4
EXIT_MISSING_EXTRA = 5
# The smallest screen the layout is made for (portrait); anything larger, either way up.
MIN_SIZE = (720, 1280)


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("kiosk", help="run the citizen kiosk (full screen, touch)")
    p.add_argument("--bundle", type=Path,
                   help="the board's bundle from `hall provision` (kiosk-N: its account, TLS)")
    p.add_argument("--config", type=Path, help="the hall's TOML (catalogue, [kiosk], [printer]); "
                   "default: the sample hall")
    p.add_argument("--guides", type=Path, help="service guides TOML (default: the sample's)")
    p.add_argument("--hall-id", help="overrides the config's hall id")
    p.add_argument("--device-id", default="kiosk-1")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=1883)
    p.add_argument("--user", default="device")
    p.add_argument("--password-file", type=Path, help="the MQTT password (without --bundle)")
    p.add_argument("--size", default="1080x1920", type=screen_size,
                   help="WIDTHxHEIGHT, portrait or landscape, from 720x1280 up")
    p.add_argument("--printer", default="none",
                   help="none, HOST:PORT of a network receipt printer, or file:PATH")
    p.add_argument("--spool", type=Path, default=Path("var/kiosk-spool"),
                   help="where receipts wait until printed")
    p.add_argument("--state", type=Path, default=Path("var/kiosk-state"),
                   help="what survives a power cut: the day's tickets, for reprints")
    p.add_argument("--camera", default="0",
                   help="camera index, an image file or folder of images, or none")
    p.add_argument("--rating-url", default="",
                   help="override the phone rating page printed as the receipt's QR (default: the "
                   "controller's, from the hub's hall.toml [hall] public_base_url; without one "
                   "the QR holds the bare code)")
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
    from kiosk.texts import DEFAULT_PRIORITY_REASONS

    config_path = args.config or _sample("sample_hall.toml")
    guides_path = args.guides or _sample("service_guides.toml")
    try:
        # Only what the first screen needs is read here; the catalogue and the guides are
        # loaded and checked in full right after it is painted (hall.config needs the whole
        # domain core: a tenth of the cold start).
        raw = tomllib.loads(config_path.read_text(encoding="utf-8"))
        hall = raw["hall"]
        reasons = tuple((str(r["zh"]), str(r.get("en", r["zh"])))
                        for r in raw.get("kiosk", {}).get("priority_reasons", [])
                        ) or DEFAULT_PRIORITY_REASONS
        hall_id, device_id, mqtt, load_mqtt = _connection(args, str(hall["id"]))
        camera = open_camera(args.camera)
        config = KioskConfig(
            hall_id=hall_id, device_id=device_id, mqtt=mqtt,
            hall_name_zh=str(hall.get("name_zh", "")), priority_reasons=reasons,
            width=args.size[0], height=args.size[1],
            full_screen=not args.windowed, sound=not args.no_sound,
            timezone=str(hall.get("timezone", "Asia/Shanghai")), state_dir=args.state)
    except (OSError, KeyError, TypeError, ValueError, tomllib.TOMLDecodeError,
            ConnectionSettingsMissing) as exc:
        print(f"hall kiosk: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    return run_kiosk(config, camera, args.printer, args.spool, args.rating_url.rstrip("/"),
                     load_guides=lambda: load_kiosk_guides(config_path, guides_path),
                     load_mqtt=load_mqtt)


def screen_size(value: str) -> tuple[int, int]:
    """`1080x1920` -> (1080, 1920); smaller than 720x1280 (either way up) is refused."""
    width, _, height = value.lower().partition("x")
    if not (width.isdigit() and height.isdigit()):
        raise argparse.ArgumentTypeError(f"{value!r} is not WIDTHxHEIGHT")
    size = (int(width), int(height))
    if min(size) < MIN_SIZE[0] or max(size) < MIN_SIZE[1]:
        raise argparse.ArgumentTypeError(f"{value} is smaller than 720x1280")
    return size


class ConnectionSettingsMissing(Exception):
    """Neither a bundle nor a password file says how to reach the broker."""


def _connection(args: argparse.Namespace, config_hall_id: str
                ) -> tuple[str, str, MqttSettings | None, Callable[[], MqttSettings] | None]:
    """Hall id, device id, and MQTT settings or a loader for them: from the bundle (read in
    full after the first paint), or from the options."""
    if args.bundle is not None:
        # The bundle's identity, read at once; its account and CA with the provisioning package
        # once the first screen is painted.
        device = tomllib.loads((args.bundle / "device.toml").read_text(encoding="utf-8"))["device"]
        bundle_dir: Path = args.bundle
        return str(device["hall_id"]), str(device["device_id"]), None, lambda: _bundle_mqtt(bundle_dir)
    if args.password_file is None:
        raise ConnectionSettingsMissing("give --bundle DIR, or --password-file (and --host)")
    from hall.mqtt_settings import MqttSettings

    password = args.password_file.read_text(encoding="utf-8").strip()
    return (args.hall_id or config_hall_id, args.device_id,
            MqttSettings(host=args.host, port=args.port, username=args.user, password=password),
            None)


def _bundle_mqtt(directory: Path) -> MqttSettings:
    """The device's own account over TLS pinned to the hall CA; ValueError when unreadable."""
    from provisioning.bundle import load_bundle
    from provisioning.inventory import ProvisioningError

    try:
        return load_bundle(directory).mqtt_settings(directory)
    except ProvisioningError as exc:
        raise ValueError(str(exc)) from exc


def load_kiosk_guides(config_path: Path, guides_path: Path) -> tuple[ServiceGuide, ...]:
    """The hall's guides, checked against its catalogue (ConfigError when they do not fit)."""
    from hall.config import load_config, load_guides

    # The kiosk reads the catalogue only; the controller's MQTT secret is none of its business.
    hall = load_config(config_path, env={"HALL_MQTT_PASSWORD": "not-used-by-the-kiosk"})
    return tuple(load_guides(guides_path, hall.catalogue).values())


def _sample(name: str) -> Path:
    """The sample hall's files, found without importing hall.config."""
    return Path(__file__).resolve().parents[1] / "hall" / "data" / name
