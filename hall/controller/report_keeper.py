"""Keeps the reports' daily roll-up: closed days are rolled up once, in a thread and on a
connection of their own, so the controller's loop never waits for a day's sums."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from hall.store.report_rollup import ReportRollup

logger = logging.getLogger(__name__)

LOOK_EVERY_S = 60.0
# Between two days of a long backfill: the controller's worker gets the interpreter back.
PAUSE_BETWEEN_DAYS_S = 0.05
# A day whose records changed while it was read is tried again this many times in a round.
ATTEMPTS = 3


class ReportRollupKeeper:
    def __init__(self, path: Path, service_day: Callable[[], date],
                 clock: Callable[[], datetime], look_every_s: float = LOOK_EVERY_S) -> None:
        self._path = path
        self._service_day = service_day
        self._clock = clock
        self._look_every_s = look_every_s
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.rounds = 0
        self.round_done = threading.Event()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="report-rollup", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def look_now(self) -> None:
        """Roll up without waiting for the next round (a new service day began)."""
        self._wake.set()

    def _run(self) -> None:
        rollup = ReportRollup.open(self._path)
        try:
            while not self._stop.is_set():
                try:
                    self.roll_up_due(rollup)
                except Exception:  # the next round tries again; the reports read live meanwhile
                    logger.exception("the reports' roll-up failed this round")
                self.rounds += 1
                self.round_done.set()
                self._wake.wait(self._look_every_s)
                self._wake.clear()
        finally:
            rollup.close()

    def roll_up_due(self, rollup: ReportRollup) -> int:
        """Every closed day not rolled up yet (oldest first); the number rolled up."""
        done = 0
        for day in rollup.days_due(self._service_day()):
            if self._stop.wait(PAUSE_BETWEEN_DAYS_S if done else 0):
                break
            for _ in range(ATTEMPTS):
                if rollup.roll_up(day, self._clock()):
                    done += 1
                    break
                logger.info("day %s changed while it was rolled up: again", day)
        return done
