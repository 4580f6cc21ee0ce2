"""A simulated hall day in SimPy: citizens and clerks act, hall/core does all the queueing.

Non-stationary arrivals per business (morning ramp, lunch peak, quiet last hour), lognormal
handle times with clerks of different speeds, shared windows, staggered lunch and short breaks
through pause/resume, unannounced absences (an idle window that does not call), late sign-ins,
绿色通道 and appointments, no-shows that grow with the wait, and transfers. A seed fixes a day.
"""
from __future__ import annotations

import math
import random
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import simpy

from bench.wait_profiles import Profile
from hall.core import events as ev
from hall.core.appointments import Appointment
from hall.core.errors import HallError, QueueEmpty
from hall.core.ids import PauseReason, TicketKind, TicketStatus
from hall.core.queue_engine import Outcome, QueueEngine
from hall.core.state import HallState, Ticket
from hall.core.wait_model import PastPause, PastTicket

TZ = ZoneInfo("Asia/Shanghai")
HANDLE_CV = 0.55
POLL_S = 15.0

# Observers see every state the engine makes, and each new ticket with the state it joined.
IssueHook = Callable[[HallState, Ticket, datetime], None]
EventHook = Callable[[HallState, ev.Event], None]


def arrival_shape(clock_h: float, lunch_closed: bool) -> float:
    """Relative arrival intensity over the day: a morning ramp and a lunch peak."""
    if clock_h < 9.0:
        return 0.6
    if clock_h < 10.0:
        return 0.8 + 0.7 * (clock_h - 9.0)
    if clock_h < 11.5:
        return 1.5
    if clock_h < 13.5:
        return 1.1 if lunch_closed else 1.9  # office workers come in their lunch break
    if clock_h < 16.0:
        return 1.2
    return 0.5


@dataclass
class DayResult:
    day: date
    state: HallState
    pauses: list[PastPause] = field(default_factory=list)
    issued: int = 0

    def past_tickets(self, predicted: dict[str, float] | None = None) -> list[PastTicket]:
        predicted = predicted or {}
        return [PastTicket(t.business, t.kind, t.issued_at, t.first_called_at, t.finished_at,
                           t.status is TicketStatus.NO_SHOW, predicted.get(t.ticket_id))
                for t in self.state.tickets.values()]


class HallDay:
    def __init__(self, profile: Profile, day: date, seed: int, *,
                 on_issue: IssueHook | None = None, on_event: EventHook | None = None) -> None:
        self.profile = profile
        self.catalogue = profile.catalogue
        self.engine = QueueEngine(self.catalogue)
        self.day = day
        self.rng = random.Random(seed)
        self.env = simpy.Environment()
        self.midnight = datetime.combine(day, time(0), tzinfo=TZ)
        self.sessions = self.catalogue.hours.sessions_on(day)
        self.state = self.engine.new_day(self.midnight)
        self.on_issue = on_issue
        self.on_event = on_event
        self.result = DayResult(day, self.state)
        self._appointments = 0
        self._paused_since: dict[int, tuple[PauseReason, datetime]] = {}

    # -- time -------------------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        return self.midnight + timedelta(seconds=self.env.now)

    def _at(self, clock: time) -> float:
        return clock.hour * 3600.0 + clock.minute * 60.0

    @property
    def opens_s(self) -> float:
        return self._at(self.sessions[0].opens)

    @property
    def closes_s(self) -> float:
        return self._at(self.sessions[-1].closes)

    def _open_now(self) -> bool:
        clock = self.now.time()
        return any(s.opens <= clock < s.closes for s in self.sessions)

    # -- applying commands ------------------------------------------------------------------

    def apply(self, command: Callable[..., Outcome], *args: Any, **kw: Any) -> Outcome:
        outcome = command(self.state, *args, self.now, **kw)
        self.state = outcome.state
        for event in outcome.events:
            if self.on_event is not None:
                self.on_event(self.state, event)
            if isinstance(event, (ev.TicketIssued, ev.AppointmentCheckedIn)):
                self.result.issued += 1
                if self.on_issue is not None:
                    self.on_issue(self.state, event.ticket, self.now)
        return outcome

    def run(self) -> DayResult:
        self.env.run(until=self.opens_s)
        self.env.process(self._hall())
        swing = math.exp(self.rng.gauss(0, 0.12))
        for business, daily in self.profile.daily.items():
            self.env.process(self._arrivals(business, daily * swing))
        for window in self.catalogue.windows:
            self.env.process(self._clerk(window.number))
        self.env.run(until=24 * 3600 - 1)
        self.result.state = self.state
        return self.result

    # -- the hall and its citizens ----------------------------------------------------------

    def _hall(self) -> Generator[simpy.Event, Any, None]:
        for session in self.sessions:
            yield self.env.timeout(max(0.0, self._at(session.opens) - self.env.now))
            self.apply(self.engine.open_hall)
            yield self.env.timeout(self._at(session.closes) - self.env.now)
            self.apply(self.engine.close_hall)

    def _arrivals(self, business: str, daily: float) -> Generator[simpy.Event, Any, None]:
        lunch_closed = self.profile.lunch_closed
        minutes = [(self.opens_s + 60 * i) / 3600 for i in range(int((self.closes_s
                                                                      - self.opens_s) / 60))]
        open_minutes = [h for h in minutes if self._session_at(h)]
        total = sum(arrival_shape(h, lunch_closed) for h in open_minutes) / 60  # in hours
        peak = max(arrival_shape(h, lunch_closed) for h in open_minutes)
        rate_max = daily * peak / total / 3600  # per second
        while True:
            yield self.env.timeout(self.rng.expovariate(rate_max))
            if self.env.now >= self.closes_s:
                return
            clock_h = self.env.now / 3600
            if not self._session_at(clock_h):
                continue
            if self.rng.random() * peak > arrival_shape(clock_h, lunch_closed):
                continue
            self._take_ticket(business)

    def _session_at(self, clock_h: float) -> bool:
        seconds = clock_h * 3600
        return any(self._at(s.opens) <= seconds < self._at(s.closes) for s in self.sessions)

    def _take_ticket(self, business: str) -> None:
        draw = self.rng.random()
        try:
            if draw < self.profile.appointment_share:
                self._appointments += 1
                appt = Appointment(f"S{self._appointments:05d}", business, self.now,
                                   self.now + timedelta(minutes=30))
                self.apply(self.engine.check_in_appointment, appt)
            elif draw < self.profile.appointment_share + self.profile.priority_share:
                self.apply(self.engine.issue_ticket, business, kind=TicketKind.PRIORITY,
                           priority_reason="elderly")
            else:
                self.apply(self.engine.issue_ticket, business)
        except HallError:
            pass  # closed, or numbers exhausted: the citizen goes home

    # -- the clerks -------------------------------------------------------------------------

    def _clerk(self, window: int) -> Generator[simpy.Event, Any, None]:
        rng = self.rng
        late = rng.uniform(300, 1500) if rng.random() < 0.3 else rng.uniform(0, 120)
        yield self.env.timeout(late)
        staff = self.catalogue.staff[window - 1].staff_id
        self.apply(self.engine.sign_in, window, staff)
        lunch = self._lunch_for(window)
        breaks = sorted(rng.uniform(self.opens_s + 3600, self.closes_s - 1800)
                        for _ in range(rng.choice((0, 1, 1, 2))))
        absent = (rng.uniform(self.opens_s + 1800, self.closes_s - 3600)
                  if rng.random() < 0.3 else None)
        speed = self.profile.speed.get(window, 1.0)
        while True:
            now_s = self.env.now
            if lunch is not None and now_s >= lunch[0]:
                yield from self._pause(window, PauseReason.LUNCH, lunch[1])
                lunch = None
                continue
            if self.profile.lunch_closed and not self._open_now() and now_s < self.closes_s:
                reopen = min((self._at(s.opens) for s in self.sessions
                              if self._at(s.opens) > now_s), default=None)
                if reopen is not None and not self._has_work(window):
                    yield from self._pause(window, PauseReason.LUNCH, reopen - now_s)
                    continue
            if breaks and now_s >= breaks[0]:
                breaks.pop(0)
                yield from self._pause(window, PauseReason.AWAY, rng.uniform(240, 720))
                continue
            if absent is not None and now_s >= absent:
                absent = None
                yield self.env.timeout(rng.uniform(300, 900))  # gone without pressing pause
                continue
            try:
                outcome = self.apply(self.engine.call_next, window)
            except QueueEmpty:
                if now_s >= self.closes_s:
                    self.apply(self.engine.sign_out, window)
                    return
                yield self.env.timeout(POLL_S)
                continue
            ticket = next(e.ticket for e in outcome.events if isinstance(e, ev.TicketCalled))
            yield from self._serve(window, ticket, speed)

    def _lunch_for(self, window: int) -> tuple[float, float] | None:
        first, second = self.profile.lunch_groups
        if window in first:
            start = 11.5 * 3600
        elif window in second:
            start = 12.5 * 3600
        else:
            return None
        return start + self.rng.uniform(-600, 600), self.rng.uniform(2700, 3900)

    def _has_work(self, window: int) -> bool:
        return self.engine.next_for_window(self.state, window) is not None and self._open_now()

    def _pause(self, window: int, reason: PauseReason,
               length: float) -> Generator[simpy.Event, Any, None]:
        started = self.now
        self.apply(self.engine.pause, window, reason)
        yield self.env.timeout(length)
        self.apply(self.engine.resume, window)
        self.result.pauses.append(PastPause(window, reason, started, self.now))

    def _serve(self, window: int, ticket: Ticket,
               speed: float) -> Generator[simpy.Event, Any, None]:
        rng = self.rng
        waited_min = (self.now - ticket.queued_at).total_seconds() / 60
        if rng.random() < min(0.5, 0.02 + 0.004 * waited_min):
            yield self.env.timeout(self.catalogue.rules.no_show_grace_s + rng.uniform(5, 40))
            self.apply(self.engine.mark_no_show, window)
            return
        mean = self.catalogue.business(ticket.business).typical_handle_s * speed
        sigma = math.sqrt(math.log(1 + HANDLE_CV ** 2))
        yield self.env.timeout(rng.lognormvariate(math.log(mean) - sigma ** 2 / 2, sigma))
        if rng.random() < self.profile.transfer_share:
            others = [b.code for b in self.catalogue.businesses if b.code != ticket.business]
            self.apply(self.engine.transfer, window, to_business=rng.choice(others),
                       note="转办")
        else:
            self.apply(self.engine.finish, window)


def run_day(profile: Profile, day_index: int, seed_base: int = 0, **hooks: Any) -> DayResult:
    """Day `day_index` of a profile: a fixed weekday date and a seed of its own."""
    day = date(2026, 3, 2) + timedelta(days=day_index)
    return HallDay(profile, day, seed_base * 100_003 + day_index, **hooks).run()


def calibration_table(results: list[DayResult]) -> str:
    """What the simulated days look like: arrivals per hour, mean and p90 waits by hour."""
    issued: dict[int, int] = {}
    waits: dict[int, list[float]] = {}
    for r in results:
        for t in r.state.tickets.values():
            issued[t.issued_at.hour] = issued.get(t.issued_at.hour, 0) + 1
            if t.first_called_at is not None:
                waits.setdefault(t.issued_at.hour, []).append(
                    (t.first_called_at - t.issued_at).total_seconds() / 60)
    days = max(1, len(results))
    lines = ["hour  arrivals/day  mean wait min  p90 wait min"]
    for hour in sorted(issued):
        found = sorted(waits.get(hour, [0.0]))
        p90 = found[min(len(found) - 1, int(0.9 * len(found)))]
        lines.append(f"{hour:02d}:00 {issued[hour] / days:>12.1f} "
                     f"{sum(found) / len(found):>14.1f} {p90:>13.1f}")
    return "\n".join(lines)
