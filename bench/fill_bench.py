"""Tickets per second as the day fills: the controller's work per ticket, without the network.

`python -m bench.fill_bench [TICKETS]`: issues TICKETS tickets (default 9000) into a real
SQLite store, as the controller does for each: the engine command, the durable commit, the
ticket's own estimate, the queue snapshot and the window state it publishes. Three windows
call now and then, so the queue both grows and moves. Prints tickets per second and CPU
milliseconds per ticket per block of 1000 tickets; a flat line is the goal (the cost must not
grow with the day). On a busy shared disk the fsync dominates tickets per second; the CPU
column is the controller's own work.
"""
from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from hall.config import SAMPLE_HALL, load_config
from hall.controller import views
from hall.core import events as ev
from hall.core.catalogue import Catalogue
from hall.core.queue_engine import QueueEngine
from hall.store import SqliteStore

if TYPE_CHECKING:
    from hall.core.wait_estimate import WaitEstimator

BLOCK = 1000


def _estimator(catalogue: Catalogue, plain: bool = False) -> WaitEstimator:
    if plain:  # the first estimator: the cost floor the twin is compared with
        from bench.plain_estimator import QueueLengthEstimator
        return QueueLengthEstimator(catalogue)
    try:
        from hall.core.wait_estimate import TwinEstimator
        return TwinEstimator(catalogue)
    except ImportError:  # the code before the twin, for a before/after run
        from bench.plain_estimator import QueueLengthEstimator
        return QueueLengthEstimator(catalogue)


def run(tickets: int, plain: bool = False) -> list[tuple[float, float]]:
    catalogue = load_config(SAMPLE_HALL, env={"HALL_MQTT_PASSWORD": "bench"}).catalogue
    engine = QueueEngine(catalogue)
    estimator = _estimator(catalogue, plain)
    start = datetime(2026, 3, 2, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    codes = [b.code for b in catalogue.businesses]
    rates = []
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "hall.db")
        state = engine.open_hall(engine.new_day(start), start).state
        for window, staff in ((1, "YB0101"), (3, "YB0103"), (8, "YB0108")):
            state = engine.sign_in(state, window, staff, start).state
        store.commit(None, state, (), start)
        began, cpu = time.perf_counter(), time.process_time()
        for i in range(tickets):
            now = start + timedelta(seconds=2 * i)
            outcome = engine.issue_ticket(state, codes[i % len(codes)], now)
            if i % 4 == 3:  # a window calls the next ticket now and then
                window = (1, 3, 8)[i % 3]
                outcome = engine.call_next(outcome.state, window, now)
            store.commit(state, outcome.state, outcome.events, now)
            state = outcome.state
            for event in outcome.events:
                if isinstance(event, ev.TicketIssued):
                    estimator.for_ticket(state, event.ticket, now)
            views.queue_snapshot(catalogue, estimator, state, now)
            views.window_state(catalogue, state, 8, now)
            if (i + 1) % BLOCK == 0:
                rates.append((BLOCK / (time.perf_counter() - began),
                              (time.process_time() - cpu) / BLOCK * 1000))
                began, cpu = time.perf_counter(), time.process_time()
        store.close()
    return rates


def main() -> int:
    tickets = int(sys.argv[1]) if len(sys.argv) > 1 else 9000
    plain = sys.argv[2:3] == ["plain"]
    rates = run(tickets, plain)
    print(f"engine + durable commit + estimate ({'plain' if plain else 'twin'}) + snapshot "
          "per ticket; CPU excludes fsync waits")
    print("tickets issued    tickets/s   CPU ms/ticket")
    for index, (rate, cpu_ms) in enumerate(rates):
        print(f"{index * BLOCK:>6}-{(index + 1) * BLOCK:<6} {rate:>12.0f} {cpu_ms:>15.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
