"""`hall broker check`: does Mosquitto accept this configuration? Start it and see."""
from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

from broker_config.local_broker import BrokerError, LocalBroker, find_mosquitto, free_port

_LISTENER = re.compile(r"^(\s*listener\s+)(\d+)(.*)$", re.MULTILINE)
_LOG_FILE = re.compile(r"^\s*log_dest\s+file\s+.*$", re.MULTILINE)
# A check must not touch the running broker's pid file or saved state (a hub's config has both).
_PID_FILE = re.compile(r"^\s*pid_file\s+.*$", re.MULTILINE)
_PERSISTENCE_LOCATION = re.compile(r"^\s*persistence_location\s+.*$", re.MULTILINE)


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("broker", help="broker configuration tools")
    actions = p.add_subparsers(required=True, metavar="ACTION")
    check = actions.add_parser("check", help="start Mosquitto on a configuration to validate it")
    check.add_argument("--config", type=Path,
                       help="a mosquitto.conf to check (default: the project's templates)")
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace) -> int:
    try:
        message = check(args.config)
    except BrokerError as exc:
        print(f"hall broker check: FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"hall broker check: OK: {message}")
    return 0


def check(config: Path | None) -> str:
    """Start Mosquitto on the configuration, on free loopback ports, and stop it again."""
    find_mosquitto()
    with tempfile.TemporaryDirectory(prefix="hall-broker-check-") as tmp:
        work = Path(tmp)
        if config is None:
            broker = LocalBroker(work / "templates")
            broker.start()
            broker.stop()
            _check_hub_template(work / "hub")
            return (f"the templates in {Path(__file__).parent} start Mosquitto "
                    "(test broker, hub and pairing broker)")
        try:
            text = config.read_text(encoding="utf-8")
        except OSError as exc:
            raise BrokerError(f"cannot read {config}: {exc}") from exc
        listeners = _LISTENER.findall(text)
        if not listeners:
            raise BrokerError(f"{config} has no listener")
        # The real ports may be busy (the hall's broker runs): check on free ones instead.
        text = _LISTENER.sub(lambda m: f"{m.group(1)}{free_port()}{m.group(3)}", text)
        text = _LOG_FILE.sub(f"log_dest file {work / 'mosquitto.log'}", text)
        text = _PID_FILE.sub(f"pid_file {work / 'mosquitto.pid'}", text)
        (work / "data").mkdir()
        text = _PERSISTENCE_LOCATION.sub(f"persistence_location {work / 'data'}/", text)
        probe = LocalBroker(work / "probe")
        first_port = int(_LISTENER.search(text).group(2))  # type: ignore[union-attr]
        probe.port = first_port
        probe.config_file.write_text(text, encoding="utf-8")
        try:
            probe.start()
        finally:
            probe.stop()
            shutil.rmtree(work / "probe", ignore_errors=True)
        return f"{config} starts Mosquitto ({len(listeners)} listener(s))"


def _check_hub_template(directory: Path) -> None:
    """Render the hub's configs for a throwaway hall (CA, TLS listener; the pairing broker) and start them."""
    from datetime import UTC, datetime

    from provisioning.hub import Hub, HubSettings

    hub = Hub.init(directory, HubSettings(hall_id="check", hostnames=("localhost",), addresses=(),
                                          lan_port=free_port(), local_port=free_port(),
                                          pairing_port=free_port(), lan_address="127.0.0.1",
                                          pairing_local_port=free_port()),
                   datetime.now(UTC))
    for directory_, port in ((hub.broker_dir, hub.settings().local_port),
                             (hub.pairing_dir, hub.settings().pairing_local_port)):
        runner = LocalBroker(directory_, port=port)
        try:
            runner.start()
        finally:
            runner.stop()
