"""Simulated citizens and clerks acting over the real bus, for the demo and the benchmarks."""
from __future__ import annotations

import logging
import math
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from hall.core.catalogue import Catalogue, ServiceHours
from hall.device_client import DeviceClient, RequestTimeout
from hall.protocol import messages as m

logger = logging.getLogger(__name__)

PRIORITY_SHARE = 0.08
NO_SHOW_SHARE = 0.04
PRIORITY_REASONS = ("70岁以上老人", "残疾人", "孕妇")
LUNCH = (clock_time(12, 0), clock_time(13, 30))
# Generous: a busy demo machine (a screen, eight clerks, two kiosks) answers late, not never.
ANSWER_TIMEOUT_S = 10.0


class SimClock:
    """Hall time that runs `speed` times faster than real time from `start`."""

    def __init__(self, start: datetime, speed: float) -> None:
        self.start = start
        self.speed = speed
        self._t0 = time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=(time.monotonic() - self._t0) * self.speed)

    def real_s(self, hall_s: float) -> float:
        return hall_s / self.speed


@dataclass
class Tally:
    """What the simulated people did, for the demo's summary."""

    issued: int = 0
    refused: int = 0
    served: int = 0
    no_shows: int = 0
    timeouts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, **counts: int) -> None:
        with self.lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)


# How often each business is asked for, relative to the others (1 when not listed).
BUSINESS_WEIGHTS = {"account_inquiry": 3, "cross_region_filing": 3, "manual_reimbursement": 2.5,
                    "enrollment": 2, "info_change": 2, "certificate_print": 2}
HANDLE_SPREAD = 0.45
# A call, the walk to the window and sitting down, on top of the business itself.
CALL_OVERHEAD_S = 30.0
# The busiest half hour asks for this share of what the clerks can serve: queues build up
# before lunch and drain again, as in a real hall, instead of growing all day.
PEAK_LOAD = 0.92


def arrival_shape(moment: datetime) -> float:
    """The day's arrivals relative to its busiest moment: a morning climbing to a peak before
    lunch (people on their lunch hour), a second smaller peak after 14:00, a quiet close."""
    hour = moment.hour + moment.minute / 60
    if 9 <= hour < 12:
        return 0.5 + 0.5 * math.exp(-((hour - 11.0) ** 2) / 0.6)
    if 13.5 <= hour < 17:
        return 0.35 + 0.45 * math.exp(-((hour - 14.5) ** 2) / 0.5)
    return 0.0


def mean_handle_s(catalogue: Catalogue) -> float:
    """The average time a window spends on one citizen, over the simulated business mix."""
    weights = [BUSINESS_WEIGHTS.get(b.code, 1.0) for b in catalogue.businesses]
    spread = math.exp(HANDLE_SPREAD ** 2 / 2)  # the mean of the lognormal handle times
    total = sum(w * b.typical_handle_s * spread for w, b in
                zip(weights, catalogue.businesses, strict=True))
    return total / sum(weights) + CALL_OVERHEAD_S


def peak_arrivals_per_hour(catalogue: Catalogue, staffed_windows: int) -> float:
    """The busiest moment's arrivals: a little under what `staffed_windows` clerks serve."""
    return PEAK_LOAD * staffed_windows * 3600 / mean_handle_s(catalogue)


def demo_day(today: date, hours: ServiceHours) -> date:
    """Today when the hall opens today, otherwise the last working day before it."""
    day = today
    for _ in range(366):
        if hours.sessions_on(day):
            return day
        day -= timedelta(days=1)
    raise ValueError("the hall has no working day in the past year")


class CitizenStream(threading.Thread):
    """Citizens arriving at one kiosk and taking tickets."""

    def __init__(self, client: DeviceClient, catalogue: Catalogue, clock: SimClock,
                 stop: threading.Event, tally: Tally, rng: random.Random,
                 peak_per_hour: float) -> None:
        super().__init__(name=f"citizens-{client.device_id}", daemon=True)
        self.client, self.catalogue, self.clock = client, catalogue, clock
        self.stop_event, self.tally, self.rng = stop, tally, rng
        self.peak_per_hour = peak_per_hour
        self.codes = [b.code for b in catalogue.businesses]
        self.weights = [BUSINESS_WEIGHTS.get(code, 1.0) for code in self.codes]

    def run(self) -> None:
        while not self.stop_event.is_set():
            rate = arrival_shape(self.clock()) * self.peak_per_hour
            gap_s = self.rng.expovariate(rate / 3600) if rate > 0 else 30.0
            if self.stop_event.wait(self.clock.real_s(min(gap_s, 600.0))) or rate <= 0:
                continue
            business = self.rng.choices(self.codes, self.weights)[0]
            priority = self.rng.random() < PRIORITY_SHARE
            try:
                answer = self.client.request(
                    m.TakeTicket, business=business, priority=priority,
                    priority_reason=self.rng.choice(PRIORITY_REASONS) if priority else "",
                    timeout_s=ANSWER_TIMEOUT_S)
            except RequestTimeout:
                self.tally.add(timeouts=1)
                continue
            if isinstance(answer, m.TicketAnswer):
                self.tally.add(issued=1)
            else:
                self.tally.add(refused=1)


class Clerk(threading.Thread):
    """One clerk at one window: signs in, calls, serves, sometimes meets a no-show, has lunch."""

    def __init__(self, client: DeviceClient, catalogue: Catalogue, window: int, staff_id: str,
                 pin: str, clock: SimClock, stop: threading.Event, tally: Tally,
                 rng: random.Random) -> None:
        super().__init__(name=f"clerk-{window}", daemon=True)
        self.client, self.catalogue, self.window, self.staff_id = client, catalogue, window, staff_id
        self.pin = pin
        self.clock, self.stop_event, self.tally, self.rng = clock, stop, tally, rng
        self.grace_s = catalogue.rules.no_show_grace_s

    def ask(self, intent: type[m.Intent], **fields: Any) -> m.Answer | None:
        try:
            return self.client.request(intent, window=self.window, timeout_s=ANSWER_TIMEOUT_S,
                                       **fields)
        except RequestTimeout:
            self.tally.add(timeouts=1)
            return None

    def wait_hall_s(self, seconds: float) -> bool:
        return self.stop_event.wait(self.clock.real_s(seconds))

    def run(self) -> None:
        while not self.stop_event.is_set():
            if not isinstance(self.ask(m.SignIn, staff_id=self.staff_id, pin=self.pin), m.Rejected):
                break
            if self.wait_hall_s(30):
                return
        while not self.stop_event.is_set():
            answer = self.ask(m.CallNext)
            if isinstance(answer, m.Accepted):
                self.serve(answer.number)
                continue
            # Lunch only once everyone who took a morning ticket has been served.
            if LUNCH[0] <= self.clock().time() < LUNCH[1]:
                self.take_lunch()
            elif self.wait_hall_s(20):
                return

    def serve(self, number: str) -> None:
        if self.rng.random() < NO_SHOW_SHARE:
            if self.wait_hall_s(self.grace_s / 2):
                return
            self.ask(m.Recall)
            if self.wait_hall_s(self.grace_s / 2 + 5):
                return
            if isinstance(self.ask(m.MarkNoShow), m.Accepted):
                self.tally.add(no_shows=1)
            return
        business = self.catalogue.business_by_prefix(number[0])
        handle_s = self.rng.lognormvariate(math.log(business.typical_handle_s), HANDLE_SPREAD)
        if self.wait_hall_s(handle_s):
            return
        if isinstance(self.ask(m.Finish), m.Accepted):
            self.tally.add(served=1)

    def take_lunch(self) -> None:
        if not isinstance(self.ask(m.Pause, reason=m.PauseReason.LUNCH), m.Accepted):
            self.wait_hall_s(30)
            return
        end = datetime.combine(self.clock().date(), LUNCH[1], tzinfo=self.clock().tzinfo)
        while not self.stop_event.is_set() and self.clock() < end:
            self.wait_hall_s(60)
        self.ask(m.Resume)


def staff_for_windows(catalogue: Catalogue) -> dict[int, str]:
    return {w.number: s.staff_id for w, s in zip(catalogue.windows, catalogue.staff, strict=False)}


