"""The `hall` command: one subcommand per role; each imports only what its role needs."""
from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_CONFIG = 4
EXIT_MISSING_SYSTEM_PACKAGE = 5

def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    if given[:1] == ["printer"]:  # its own parser, loaded only now (see _printer_commands)
        _configure_logging(False)
        return _run_printer(argparse.Namespace(rest=given[1:]))
    parser = _parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose)
    handler: Callable[[argparse.Namespace], int] = args.handler
    from hall.device_client import RequestTimeout

    try:
        return handler(args)
    except RequestTimeout as exc:
        print(f"hall: {exc}. Is the controller running, and may this account do that?",
              file=sys.stderr)
        return EXIT_FAILED


def controller_main() -> int:
    return main(["controller", *sys.argv[1:]])


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hall", description="医保 service hall system")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(title="roles", required=True, metavar="COMMAND")

    p = sub.add_parser("controller", help="run the hall controller (the hub's queue owner)")
    p.add_argument("--config", type=Path, required=True, help="hall configuration (TOML)")
    p.set_defaults(handler=_run_controller)

    p = sub.add_parser("demo", help="run a whole simulated hall on this machine")
    p.add_argument("--headless", action="store_true", help="no app windows, terminal summary only")
    p.add_argument("--duration", type=float, default=0.0, help="stop after S seconds (0: Ctrl+C)")
    p.add_argument("--speed", type=float, default=30.0,
                   help="simulated hall seconds per real second (default 30)")
    p.add_argument("--seed", type=int, default=7, help="seed of the simulated citizens")
    p.add_argument("--date", type=date.fromisoformat, default=None,
                   help="the day to simulate, YYYY-MM-DD (default today; a day the hall is "
                        "closed becomes the working day before it)")
    p.set_defaults(handler=_run_demo)

    p = sub.add_parser("bench", help="measure latencies and throughput against their floors")
    p.add_argument("what", nargs="?", choices=("latency", "wait"), default="latency",
                   help="latency (default) or wait: the wait estimate against the baselines")
    p.add_argument("--profile", action="append", dest="profiles",
                   help="wait: hall profile (county, city, busy, lunch_closed); repeatable")
    p.add_argument("--train-days", type=int, default=7, help="wait: days learned from")
    p.add_argument("--test-days", type=int, default=10, help="wait: days scored")
    p.add_argument("--ops", type=int, default=1000, help="operations per measurement")
    p.add_argument("--devices", type=int, default=50, help="connected simulated devices")
    p.add_argument("--json", type=Path, help="also write the figures to this file")
    p.add_argument("--estimators", help="latency: compare controllers, e.g. twin,plain")
    p.add_argument("--rounds", type=int, default=3, help="latency: rounds of --estimators")
    p.set_defaults(handler=_run_bench)

    p = sub.add_parser("protocol", help="wire protocol tools")
    proto = p.add_subparsers(required=True, metavar="ACTION")
    s = proto.add_parser("schema", help="write one JSON Schema per message")
    s.add_argument("--out", type=Path, help="directory for <kind>.schema.json (default: stdout)")
    s.set_defaults(handler=_protocol_schema)

    _printer_commands(sub)
    _console_commands(sub)
    from counter.cli import add_commands as add_counter_commands

    add_counter_commands(sub)

    from hall.appointments_cli import add_commands as add_appointment_commands
    from hall.notice_cli import add_commands as add_notice_commands
    from hall.staff_cli import add_commands as add_staff_commands

    add_notice_commands(sub)
    add_appointment_commands(sub)
    add_staff_commands(sub)

    from broker_config.check import add_commands as add_broker_commands

    add_broker_commands(sub)

    from kiosk.cli import add_commands as add_kiosk_commands

    add_kiosk_commands(sub)

    from provisioning.cli import add_commands as add_provision_commands

    add_provision_commands(sub)

    p = sub.add_parser("wall", help="run the display wall")
    p.add_argument("--hall-id")
    p.add_argument("--device-id", default="wall-1")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=1883)
    p.add_argument("--user", default="device")
    p.add_argument("--password-file", type=Path)
    p.add_argument("--bundle", type=Path,
                   help="a device bundle from `hall provision` (its identity, password, pinned CA)")
    p.add_argument("--size", default="1920x1080", help="1920x1080, 3840x2160 or 1080x1920")
    p.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    p.add_argument("--no-sound", action="store_true", help="show calls without speaking them")
    p.add_argument("--english", action="store_true", help="also announce in English")
    p.set_defaults(handler=_run_wall)
    return parser


def _printer_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`hall printer ...`, its stack imported only when it runs: python-escpos configures the
    root logger and makes a temp folder on import, which the hub's controller must not get."""
    p = sub.add_parser("printer", help="receipt printer tools (virtual printer, test print)")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(handler=_run_printer)


def _run_printer(args: argparse.Namespace) -> int:
    try:
        from printer.cli import add_commands
    except ImportError:
        return _missing_extra("printer")
    parser = argparse.ArgumentParser(prog="hall")
    add_commands(parser.add_subparsers(required=True, metavar="COMMAND"))
    real = parser.parse_args(["printer", *args.rest])
    handler: Callable[[argparse.Namespace], int] = real.handler
    return handler(real)


def _console_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    try:
        from console.cli import add_commands
    except ImportError:
        p = sub.add_parser("console", help="the manager console (needs the console extra)")
        p.add_argument("rest", nargs=argparse.REMAINDER)
        p.set_defaults(handler=lambda args: _missing_extra("console"))
        return
    add_commands(sub)


def _missing_extra(extra: str) -> int:
    print(f"hall: install the {extra} extra: .venv/bin/pip install -e '.[{extra}]'",
          file=sys.stderr)
    return EXIT_MISSING_SYSTEM_PACKAGE


def _configure_logging(verbose: bool) -> None:
    # force: a library that configured the root logger on import must not decide ours.
    logging.basicConfig(force=True, level=logging.DEBUG if verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")




def _run_controller(args: argparse.Namespace) -> int:
    from hall.config import load_config
    from hall.controller import ControllerService
    from hall.core.errors import ConfigError

    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"hall controller: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    # The worker thread computes while paho's thread waits to send: with the default 5 ms GIL
    # switch interval every answer could wait that long behind the next message's work.
    sys.setswitchinterval(0.0005)
    service = ControllerService(config)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    service.start()
    from hall.systemd_notify import SystemdNotifier

    systemd = SystemdNotifier()
    systemd.ready()
    try:
        while not stop.wait(systemd.watchdog_s / 2 if systemd.watchdog_s else None):
            # Fed only while the worker goes round: a stuck worker gets the service restarted.
            if service.is_healthy():
                systemd.watchdog()
            else:
                logger.error("controller worker stuck for over %.0f s: not feeding the watchdog",
                             service.seconds_since_last_round())
    finally:
        systemd.stopping()
        service.stop()
        logger.info("controller stopped")
    return EXIT_OK


def _run_wall(args: argparse.Namespace) -> int:
    try:
        from display_wall.app import WallConfig, run_wall
    except ImportError:
        return _missing_extra("wall")
    from hall.config import MqttSettings

    width, _, height = args.size.partition("x")
    if args.bundle is not None:
        from provisioning.bundle import load_bundle

        bundle = load_bundle(args.bundle)
        hall_id, device_id = bundle.hall_id, bundle.device_id
        mqtt = bundle.mqtt_settings(args.bundle)
    elif args.hall_id and args.password_file:
        hall_id, device_id = args.hall_id, args.device_id
        mqtt = MqttSettings(host=args.host, port=args.port, username=args.user,
                            password=args.password_file.read_text(encoding="utf-8").strip())
    else:
        print("hall wall: give --bundle DIR, or --hall-id and --password-file", file=sys.stderr)
        return EXIT_USAGE
    return run_wall(WallConfig(
        hall_id=hall_id, device_id=device_id, mqtt=mqtt,
        width=int(width), height=int(height), full_screen=not args.windowed,
        sound=not args.no_sound, english=args.english))


def _run_demo(args: argparse.Namespace) -> int:
    from broker_config import BrokerError
    from hall_cli.demo import run_demo

    if not args.verbose:
        logging.getLogger().setLevel(logging.WARNING)
    try:
        return run_demo(headless=args.headless, duration_s=args.duration, speed=args.speed,
                        seed=args.seed, today=args.date)
    except BrokerError as exc:
        print(f"hall demo: {exc}", file=sys.stderr)
        return EXIT_MISSING_SYSTEM_PACKAGE


def _run_bench(args: argparse.Namespace) -> int:
    if args.what == "wait":
        from bench.wait_bench import run_wait_bench

        return run_wait_bench(args.profiles, train_days=args.train_days,
                              test_days=args.test_days)
    from bench.hall_bench import run_bench
    from broker_config import BrokerError

    try:
        if args.estimators:
            from bench.hall_bench import compare_estimators

            return compare_estimators(ops=args.ops, devices=args.devices, rounds=args.rounds,
                                      estimators=args.estimators.split(","))
        return run_bench(ops=args.ops, devices=args.devices, json_out=args.json)
    except BrokerError as exc:
        print(f"hall bench: {exc}", file=sys.stderr)
        return EXIT_MISSING_SYSTEM_PACKAGE


def _protocol_schema(args: argparse.Namespace) -> int:
    from hall.protocol.schema import all_schemas

    schemas = all_schemas()
    if args.out is None:
        json.dump(schemas, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return EXIT_OK
    args.out.mkdir(parents=True, exist_ok=True)
    for kind, schema in schemas.items():
        (args.out / f"{kind}.schema.json").write_text(
            json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(schemas)} schemas to {args.out}")
    return EXIT_OK
