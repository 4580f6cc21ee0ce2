"""The hall's twin: replays the rest of the queue from the live state with the real calling rule.

Every window that is open becomes free when its current service or pause is likely over, takes
its lunch when the roster says so, and then calls exactly as the queue engine would: by its
skills, the priority rule (strict or interleave) and the time in the queue. Each call lasts the
learned handle time of that business at that hour, shortened by the chance of a no-show. One
replay gives the call time of every waiting ticket and of a ticket each business would issue
now; the learned calibration turns that raw time into the figure and the 80% range people see.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from hall.core.catalogue import Catalogue, PriorityRule
from hall.core.ids import PauseReason, TicketKind, WindowStatus
from hall.core.state import HallState, Ticket
from hall.core.wait_model import WaitModel

# Calls replayed at most; beyond them the queue moves at the replay's own pace (a bounded cost
# however long the queue grows).
HORIZON_CALLS = 300
# A service or pause that has already lasted this share of its usual length is about to end.
RESIDUAL_FLOOR = 0.25
VIRTUAL = "~"


@dataclass(frozen=True, slots=True)
class Forecast:
    """Raw call offsets (seconds from now) from one replay of the state."""

    at: datetime
    ticket_s: dict[str, float] = field(default_factory=dict)
    # A ticket issued now, per business: (normal, priority).
    new_s: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    windows_open: dict[str, int] = field(default_factory=dict)
    # Waiting tickets left out of the replay (normal, priority) per business: a long queue.
    beyond: dict[str, tuple[int, int]] = field(default_factory=dict)
    # Extrapolation past the replay: (the replay's end, seconds per call) per business.
    pace: dict[str, tuple[float, float]] = field(default_factory=dict)


@dataclass(slots=True)
class _Window:
    number: int
    businesses: tuple[str, ...]
    since_priority: int
    lunch_at: float | None = None
    lunch_s: float = 0.0


class Twin:
    def __init__(self, catalogue: Catalogue, model: WaitModel) -> None:
        self.catalogue = catalogue
        self.rules = catalogue.rules
        self.model = model

    def is_priority(self, kind: TicketKind) -> bool:
        return kind is TicketKind.PRIORITY or (
            kind is TicketKind.APPOINTMENT and self.rules.appointment_is_priority)

    def replay(self, state: HallState, now: datetime) -> Forecast:
        book = state.book
        forecast = Forecast(at=now)
        lanes: dict[str, tuple[list[Ticket | str], list[Ticket | str]]] = {}
        priority_kinds = tuple(k for k in TicketKind if self.is_priority(k))
        normal_kinds = tuple(k for k in TicketKind if not self.is_priority(k))
        for b in self.catalogue.businesses:
            # No more than the horizon of each queue can be called in the replay.
            normal: list[Ticket | str] = list(book.first_waiting(b.code, HORIZON_CALLS,
                                                                 normal_kinds))
            priority: list[Ticket | str] = list(book.first_waiting(b.code, HORIZON_CALLS,
                                                                   priority_kinds))
            forecast.beyond[b.code] = (
                sum(len(book.lane(b.code, k)) for k in normal_kinds) - len(normal),
                sum(len(book.lane(b.code, k)) for k in priority_kinds) - len(priority))
            # Virtual tickets: what a ticket issued now would wait. They take no time.
            normal.append(VIRTUAL + b.code)
            priority.append(VIRTUAL + "!" + b.code)
            lanes[b.code] = (normal, priority)
        heads = {code: [0, 0] for code in lanes}
        free: list[tuple[float, int]] = []
        windows: dict[int, _Window] = {}
        for w in self.catalogue.windows:
            start = self._free_in(state, w.number, now)
            if start is None:
                continue
            sim = _Window(w.number, w.businesses, state.window(w.number).calls_since_priority)
            lunch = self.model.lunch.get(w.number)
            if lunch is not None and not self._lunch_taken(state, w.number, now, lunch.starts_s):
                sim.lunch_at = max(0.0, lunch.starts_s - _clock_s(now))
                sim.lunch_s = lunch.length_s
            windows[w.number] = sim
            heapq.heappush(free, (start, w.number))
            for code in w.businesses:
                forecast.windows_open[code] = forecast.windows_open.get(code, 0) + 1
        calls = 0
        pace: list[float] = []
        while free and calls < HORIZON_CALLS:
            at, number = heapq.heappop(free)
            sim = windows[number]
            if sim.lunch_at is not None and at >= sim.lunch_at:
                at = max(at, sim.lunch_at) + sim.lunch_s
                sim.lunch_at = None
            at = self._in_session(now, at)
            picked = self._next(sim, lanes, heads)
            if picked is None:
                continue  # nothing more this window may call: it leaves the replay
            if isinstance(picked, str):
                self._record_new(forecast, picked, at)
                heapq.heappush(free, (at, number))
                continue
            forecast.ticket_s[picked.ticket_id] = at
            sim.since_priority = 0 if self.is_priority(picked.kind) else sim.since_priority + 1
            length = self._expected_length(picked.business, now, at)
            pace.append(length)
            calls += 1
            heapq.heappush(free, (at + length, number))
        self._extrapolate(forecast, lanes, heads, free, pace)
        return forecast

    # -- pieces of the replay ---------------------------------------------------------------

    def _free_in(self, state: HallState, number: int, now: datetime) -> float | None:
        ws = state.window(number)
        elapsed = (now - ws.since).total_seconds() if ws.since else 0.0
        if ws.status is WindowStatus.IDLE:
            return 0.0
        if ws.status is WindowStatus.SERVING:
            serving = state.tickets.get(ws.ticket_id)
            business = serving.business if serving else self.catalogue.window(number).businesses[0]
            return _residual(self._expected_length(business, now, 0.0), elapsed)
        if ws.status is WindowStatus.PAUSED and ws.pause_reason is not None:
            return _residual(self.model.pause_length(ws.pause_reason), elapsed)
        return None

    def _lunch_taken(self, state: HallState, number: int, now: datetime, starts_s: float) -> bool:
        ws = state.window(number)
        if ws.status is WindowStatus.PAUSED and ws.pause_reason is PauseReason.LUNCH:
            return True
        # Past the usual lunch by more than an hour: taken, or not taken today at all.
        return _clock_s(now) > starts_s + 3600

    def _in_session(self, now: datetime, offset: float) -> float:
        """Between two opening periods (a hall closed over lunch) nobody is called."""
        moment = now + timedelta(seconds=offset)
        sessions = self.catalogue.hours.sessions_on(now.date())
        for first, second in zip(sessions, sessions[1:], strict=False):
            if first.closes <= moment.time() < second.opens:
                reopens = datetime.combine(moment.date(), second.opens, tzinfo=moment.tzinfo)
                return (reopens - now).total_seconds()
        return offset

    def _expected_length(self, business: str, now: datetime, offset: float) -> float:
        hour = (now + timedelta(seconds=offset)).hour
        typical = float(self.catalogue.business(business).typical_handle_s)
        handle = self.model.handle(business, hour, typical)
        missed = self.model.no_show.get(business, 0.05)
        return (1 - missed) * handle + missed * (self.rules.no_show_grace_s + 30)

    def _next(self, sim: _Window, lanes: dict[str, tuple[list[Ticket | str], list[Ticket | str]]],
              heads: dict[str, list[int]]) -> Ticket | str | None:
        best: list[tuple[tuple[datetime, int], str, int] | None] = [None, None]
        for code in sim.businesses:
            for lane_index in (0, 1):
                lane, at = lanes[code][lane_index], heads[code][lane_index]
                while at < len(lane):
                    item = lane[at]
                    if isinstance(item, str) or item.target_window in (None, sim.number):
                        break
                    at += 1  # transferred to another window: not ours to call
                if at >= len(lane):
                    continue
                key = _order(lane[at])
                current = best[lane_index]
                if current is None or key < current[0]:
                    best[lane_index] = (key, code, at)
        normal, priority = best
        chosen = normal
        if priority is not None and (normal is None or self._priority_first(sim, priority[0],
                                                                              normal[0])):
            chosen = priority
        if chosen is None:
            return None
        lane_index = 1 if chosen is priority else 0
        _, code, at = chosen
        lane = lanes[code][lane_index]
        if at == heads[code][lane_index]:
            heads[code][lane_index] += 1
            return lane[at]
        return lane.pop(at)  # a ticket behind one transferred elsewhere: rare

    def _priority_first(self, sim: _Window, priority: tuple[datetime, int],
                        normal: tuple[datetime, int]) -> bool:
        if self.rules.priority_rule is PriorityRule.STRICT or priority <= normal:
            return True
        return sim.since_priority >= self.rules.interleave_every - 1

    def _record_new(self, forecast: Forecast, virtual: str, at: float) -> None:
        priority = virtual.startswith(VIRTUAL + "!")
        code = virtual.removeprefix(VIRTUAL + "!") if priority else virtual.removeprefix(VIRTUAL)
        normal_s, priority_s = forecast.new_s.get(code, (None, None))
        forecast.new_s[code] = (normal_s, at) if priority else (at, priority_s)

    def _extrapolate(self, forecast: Forecast,
                     lanes: dict[str, tuple[list[Ticket | str], list[Ticket | str]]],
                     heads: dict[str, list[int]], free: list[tuple[float, int]],
                     pace: list[float]) -> None:
        """Past the horizon, each business's remaining queue moves at its windows' pace."""
        end = max((at for at, _ in free), default=0.0)
        mean = sum(pace) / len(pace) if pace else 600.0
        for code, (normal, priority) in lanes.items():
            step = mean / max(1, forecast.windows_open.get(code, 0))
            forecast.pace[code] = (end, step)
            extra_normal, extra_priority = forecast.beyond.get(code, (0, 0))
            for lane_index, lane, extra in ((1, priority, extra_priority),
                                            (0, normal, extra_normal)):
                rest = lane[heads[code][lane_index]:]
                for position, item in enumerate(rest, start=1):
                    # The virtual ticket stands behind the tickets left out of the replay.
                    position += extra if isinstance(item, str) else 0
                    at = end + position * step
                    if isinstance(item, str):
                        self._record_new(forecast, item, at)
                    else:
                        forecast.ticket_s[item.ticket_id] = at


def _order(item: Ticket | str) -> tuple[datetime, int]:
    if isinstance(item, str):
        return _LAST
    return (_naive(item.queued_at), item.number.sequence)


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None) if moment.tzinfo else moment


_LAST = (datetime.combine(date.max, time.max), 10 ** 9)


def _residual(usual_s: float, elapsed_s: float) -> float:
    return max(usual_s - elapsed_s, usual_s * RESIDUAL_FLOOR)


def _clock_s(moment: datetime) -> float:
    return moment.hour * 3600 + moment.minute * 60 + moment.second

