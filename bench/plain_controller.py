"""The controller with the first, plain wait estimator: the cost floor of `hall bench`.

`python -m bench.plain_controller --config hall.toml` runs exactly what `hall controller`
runs, with bench/plain_estimator.py in place of the twin, so that one bench run can measure
both and say what the twin costs.
"""
from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from bench.plain_estimator import QueueLengthEstimator
from hall.config import load_config
from hall.controller import ControllerService


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench.plain_controller")
    parser.add_argument("--config", type=Path, required=True)
    args = parser.parse_args()
    config = load_config(args.config)
    sys.setswitchinterval(0.0005)  # as `hall controller` does
    service = ControllerService(config, estimator=QueueLengthEstimator(config.catalogue))
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    service.start()
    try:
        stop.wait()
    finally:
        service.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
