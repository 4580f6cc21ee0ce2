"""Kiosk cold start to its first touchable screen, beside a bare PySide6 window started the same
way (the floor), and the memory each uses then."""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

START_TIMEOUT_S = 120.0
EXIT_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class ColdStart:
    name: str
    runs: int
    p50_ms: float
    max_ms: float
    rss_mb: float


def start_once(bare: bool, hall_id: str, port: int, password: str) -> tuple[float, int]:
    """Seconds from process start to `ready`, and the resident memory then (kB)."""
    args = [sys.executable, "-m", "bench.kiosk_probe", "--hall-id", hall_id, "--port", str(port),
            "--password", password]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    start = time.monotonic()
    process = subprocess.Popen([*args, "--bare"] if bare else args, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        elapsed = time.monotonic() - start
        if not line.startswith("ready"):
            _, errors = process.communicate(timeout=START_TIMEOUT_S)
            raise RuntimeError(f"the {'window' if bare else 'kiosk'} did not start: {errors[-2000:]}")
        try:
            process.wait(timeout=EXIT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            # Measured already; a rare hang in Qt's teardown must not fail the bench.
            print(f"(a {'window' if bare else 'kiosk'} did not exit after its first paint; killed)",
                  file=sys.stderr)
        return elapsed, int(line.split()[1])
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def run_kiosk_bench(hall_id: str, port: int, password: str, runs: int = 5
                    ) -> tuple[ColdStart, ColdStart]:
    """(floor, kiosk): runs taken in turn, after one unmeasured start of each (byte-code caches)."""
    start_once(True, hall_id, port, password)
    start_once(False, hall_id, port, password)
    samples: dict[bool, list[tuple[float, int]]] = {True: [], False: []}
    for _ in range(runs):
        for bare in (True, False):
            samples[bare].append(start_once(bare, hall_id, port, password))
    return (_summary("bare PySide6 window (floor)", samples[True]),
            _summary("kiosk to its first touchable screen", samples[False]))


def _summary(name: str, samples: list[tuple[float, int]]) -> ColdStart:
    times = [s for s, _ in samples]
    return ColdStart(name, len(samples), statistics.median(times) * 1000, max(times) * 1000,
                     statistics.median(rss for _, rss in samples) / 1024)


def main() -> None:
    floor, kiosk = run_kiosk_bench("bench-hall", 1, "", runs=int(sys.argv[1]) if len(sys.argv) > 1
                                   else 5)
    for f in (floor, kiosk):
        print(f"{f.name:<40}{f.runs:>4}{f.p50_ms:>10.0f} ms{f.max_ms:>10.0f} ms{f.rss_mb:>8.0f} MB")
    print(f"kiosk / floor (p50): {kiosk.p50_ms / floor.p50_ms:.2f}x")


if __name__ == "__main__":
    main()
