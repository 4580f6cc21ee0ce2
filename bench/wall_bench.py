"""Counter call -> the wall's repaint, and the wall's CPU while idle and during a burst."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.figures import Figure, figure
from hall.device_client import DeviceClient
from hall.protocol import messages as m

TIMEOUT_S = 10.0
WALL_START_TIMEOUT_S = 120.0
TICKS_PER_S = os.sysconf("SC_CLK_TCK")


class WallProbe:
    """The wall process; `painted_at(number)` waits for the first repaint showing it."""

    def __init__(self, hall_id: str, port: int, password: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.wall_probe", "--hall-id", hall_id, "--port", str(port),
             "--password", password],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                 "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
        self._seen: dict[str, float] = {}
        self._cond = threading.Condition()
        self._ready = threading.Event()
        self._errors: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain, daemon=True).start()
        # A first start compiles Qt's and pyqtgraph's Python files: slow on a busy machine.
        if not self._ready.wait(WALL_START_TIMEOUT_S):
            self.process.kill()
            self.process.wait(timeout=10)
            raise TimeoutError("the wall did not start: " + "".join(self._errors[-20:]))

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("ready"):
                self._ready.set()
            elif line.startswith("painted "):
                _, number, at = line.split()
                with self._cond:
                    self._seen.setdefault(number, float(at))
                    self._cond.notify_all()

    def _drain(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._errors.append(line)

    def painted_at(self, number: str) -> float:
        with self._cond:
            if not self._cond.wait_for(lambda: number in self._seen, timeout=TIMEOUT_S):
                raise TimeoutError(f"the wall never showed {number}")
            return self._seen[number]

    def cpu_s(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS_PER_S

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def run_wall_bench(hall_id: str, port: int, password: str, kiosk: DeviceClient,
                   counter: DeviceClient, window: int, calls: int) -> tuple[Figure, float, float]:
    """Repaint latency figure, idle CPU share and burst CPU share of one core."""
    probe = WallProbe(hall_id, port, password)
    try:
        codes = ["account_inquiry", "enrollment", "info_change", "certificate_print"]
        for i in range(calls + 20):
            kiosk.request(m.TakeTicket, business=codes[i % len(codes)], timeout_s=TIMEOUT_S)
        samples = []
        for _ in range(calls):
            start = time.monotonic()
            answer = counter.request(m.CallNext, window=window, timeout_s=TIMEOUT_S)
            if not isinstance(answer, m.Accepted):
                raise RuntimeError(f"call refused: {answer}")
            samples.append(probe.painted_at(answer.number) - start)
        cpu0, t0 = probe.cpu_s(), time.monotonic()
        time.sleep(5)
        idle = (probe.cpu_s() - cpu0) / (time.monotonic() - t0)
        cpu0, t0 = probe.cpu_s(), time.monotonic()
        burst = [counter.send(m.CallNext, window=window) for _ in range(20)]
        for intent in burst:
            counter.answer(intent, TIMEOUT_S)
        time.sleep(1)
        busy = (probe.cpu_s() - cpu0) / (time.monotonic() - t0)
        return figure("counter call -> wall repainted showing it", samples), idle, busy
    finally:
        probe.close()
