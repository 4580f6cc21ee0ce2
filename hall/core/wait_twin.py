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
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from hall.core.catalogue import Catalogue, PriorityRule
from hall.core.ids import PauseReason, TicketKind, WindowStatus
from hall.core.state import HallState, Ticket
from hall.core.ticket_book import TicketBook
from hall.core.wait_model import WaitModel

# Calls replayed at most, per open window and in all; beyond them the queue moves at the
# replay's own pace (a bounded cost however long the queue grows). Per window: a big hall's
# replay must reach as far ahead in time as a small one's.
HORIZON_CALLS_PER_WINDOW = 20
HORIZON_CALLS = 100
# A service or pause that has already lasted this share of its usual length is about to end.
RESIDUAL_FLOOR = 0.25
# 绿色通道 tickets still to come are replayed this far ahead (they go before waiting ones).
ARRIVALS_AHEAD_S = 4 * 3600.0


@dataclass(frozen=True, slots=True)
class Forecast:
    """Raw call offsets (seconds from now) from one replay of the state."""

    at: datetime
    ticket_s: dict[str, float] = field(default_factory=dict)
    # A ticket issued now, per business: (normal, priority).
    new_s: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    windows_open: dict[str, int] = field(default_factory=dict)
    # Extrapolation past the replay: (the replay's end, seconds per call) per business.
    pace: dict[str, tuple[float, float]] = field(default_factory=dict)


@dataclass(slots=True)
class _Window:
    number: int
    businesses: tuple[str, ...]
    since_priority: int
    lanes: list[_Lane | _Arrivals]
    lunch_at: float | None = None
    lunch_s: float = 0.0


class Twin:
    def __init__(self, catalogue: Catalogue, model: WaitModel) -> None:
        self.catalogue = catalogue
        self.rules = catalogue.rules
        self.model = model
        # Expected service length by (business, hour): fixed for a model, asked at every call.
        self._length_memo: dict[tuple[str, int], float] = {}

    def is_priority(self, kind: TicketKind) -> bool:
        return kind is TicketKind.PRIORITY or (
            kind is TicketKind.APPOINTMENT and self.rules.appointment_is_priority)

    def replay(self, state: HallState, now: datetime) -> Forecast:
        book = state.book
        forecast = Forecast(at=now)
        horizon = max(HORIZON_CALLS, HORIZON_CALLS_PER_WINDOW * len(self.catalogue.windows))
        lanes: dict[str, list[_Lane]] = {}
        for b in self.catalogue.businesses:
            lanes[b.code] = []
            for kind in TicketKind:
                ids = book.lane(b.code, kind)
                # No more than the horizon of each queue can be called in the replay.
                lanes[b.code].append(_Lane(b.code, kind, self.is_priority(kind),
                                           ids[:horizon], len(ids) - horizon,
                                           last=(now, _AFTER_ALL)))
        free: list[tuple[float, int]] = []
        windows: dict[int, _Window] = {}
        arrivals = {b.code: _Arrivals(b.code, self._priority_arrivals(b.code, now), now)
                    for b in self.catalogue.businesses}
        for w in self.catalogue.windows:
            start = self._free_in(state, w.number, now)
            if start is None:
                continue
            sim = _Window(w.number, w.businesses, state.window(w.number).calls_since_priority,
                          [lane for code in w.businesses for lane in lanes[code]]
                          + [arrivals[code] for code in w.businesses])
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
        gaps = self._gaps(now)
        length_of = self._lengths(now)
        while free and calls < horizon:
            at, number = heapq.heappop(free)
            sim = windows[number]
            if sim.lunch_at is not None and at >= sim.lunch_at:
                at = max(at, sim.lunch_at) + sim.lunch_s
                sim.lunch_at = None
            for closes, opens in gaps:  # nobody is called while the hall is closed
                if closes <= at < opens:
                    at = opens
            picked = self._next(book, sim, at)
            if picked is None:
                continue  # nothing more this window may call: it leaves the replay
            lane, ticket = picked
            if isinstance(lane, _Arrivals):  # a 绿色通道 ticket that came in the meantime
                sim.since_priority = 0
                length = length_of(lane.business, at)
                pace.append(length)
                calls += 1
                heapq.heappush(free, (at + length, number))
                continue
            if ticket is None:
                self._record_new(forecast, lane, at)
                heapq.heappush(free, (at, number))
                continue
            forecast.ticket_s[ticket.ticket_id] = at
            sim.since_priority = 0 if lane.priority else sim.since_priority + 1
            length = length_of(ticket.business, at)
            pace.append(length)
            calls += 1
            heapq.heappush(free, (at + length, number))
        self._extrapolate(book, forecast, lanes, free, pace)
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
            return _residual(self._expected_length(business, now.hour), elapsed)
        if ws.status is WindowStatus.PAUSED and ws.pause_reason is not None:
            return _residual(self.model.pause_length(ws.pause_reason), elapsed)
        return None

    def _lunch_taken(self, state: HallState, number: int, now: datetime, starts_s: float) -> bool:
        ws = state.window(number)
        if ws.status is WindowStatus.PAUSED and ws.pause_reason is PauseReason.LUNCH:
            return True
        # Past the usual lunch by more than an hour: taken, or not taken today at all.
        return _clock_s(now) > starts_s + 3600

    def _priority_arrivals(self, business: str, now: datetime) -> tuple[float, ...]:
        """When the 绿色通道 tickets still to come arrive (seconds from now), at the learned rate.

        A ticket a day's average brings is placed where the expected count passes k - 1/2:
        those that come while a ticket waits are called before it (strict rule) or every
        interleave_every-th call (interleave), which the replay's own rule then decides.
        """
        kinds = [k for k in TicketKind if self.is_priority(k)]
        rates = self.model.arrivals_per_h
        clock = _clock_s(now)
        found: list[float] = []
        expected = 0.0
        offset = 0.0
        while offset < ARRIVALS_AHEAD_S:
            hour = int((clock + offset) // 3600)
            if hour >= 24:
                break
            span = min((hour + 1) * 3600 - clock, ARRIVALS_AHEAD_S) - offset
            rate = sum(rates.get((business, k, hour), 0.0) for k in kinds) / 3600
            while rate > 0 and expected + rate * span >= len(found) + 0.5:
                found.append(offset + (len(found) + 0.5 - expected) / rate)
            expected += rate * span
            offset += span
        return tuple(found)

    def _gaps(self, now: datetime) -> list[tuple[float, float]]:
        """Offsets from now of the breaks between today's opening periods (lunch closing)."""
        sessions = self.catalogue.hours.sessions_on(now.date())
        clock = _clock_s(now)
        return [(_time_s(first.closes) - clock, _time_s(second.opens) - clock)
                for first, second in zip(sessions, sessions[1:], strict=False)
                if _time_s(second.opens) > clock]

    def _expected_length(self, business: str, hour: int) -> float:
        typical = float(self.catalogue.business(business).typical_handle_s)
        handle = self.model.handle(business, hour, typical)
        missed = self.model.no_show.get(business, 0.05)
        return (1 - missed) * handle + missed * (self.rules.no_show_grace_s + 30)

    def _lengths(self, now: datetime) -> Callable[[str, float], float]:
        """Expected service length by business and offset, memoised for one replay."""
        clock = _clock_s(now)
        memo = self._length_memo

        def length(business: str, offset: float) -> float:
            key = (business, int((clock + offset) // 3600) % 24)
            found = memo.get(key)
            if found is None:
                found = memo[key] = self._expected_length(*key)
            return found

        return length

    def _next(self, book: TicketBook, sim: _Window,
              at: float) -> tuple[_Lane | _Arrivals, Ticket | None] | None:
        """The engine's rule: the first of each lane this window serves, then the priority rule."""
        best: list[tuple[tuple[datetime, int], _Lane | _Arrivals, int] | None] = [None, None]
        exhausted = False
        for lane in sim.lanes:
            if lane.exhausted:
                exhausted = True
                continue
            head = lane.head(book, sim.number, at)
            if head is None:
                exhausted = exhausted or lane.exhausted
                continue
            current = best[lane.priority]
            if current is None or head[0] < current[0]:
                best[lane.priority] = (head[0], lane, head[1])
        if exhausted:
            sim.lanes = [lane for lane in sim.lanes if not lane.exhausted]
        normal, priority = best
        chosen = normal
        if priority is not None and (normal is None or self._priority_first(
                sim, priority[0], normal[0])):
            chosen = priority
        if chosen is None:
            return None
        _, lane, at = chosen
        return lane, lane.take(book, at)

    def _priority_first(self, sim: _Window, priority: tuple[datetime, int],
                        normal: tuple[datetime, int]) -> bool:
        if self.rules.priority_rule is PriorityRule.STRICT or priority <= normal:
            return True
        return sim.since_priority >= self.rules.interleave_every - 1

    def _record_new(self, forecast: Forecast, lane: _Lane, at: float) -> None:
        normal_s, priority_s = forecast.new_s.get(lane.business, (None, None))
        forecast.new_s[lane.business] = (normal_s, at) if lane.priority else (at, priority_s)

    def _extrapolate(self, book: TicketBook, forecast: Forecast, lanes: dict[str, list[_Lane]],
                     free: list[tuple[float, int]], pace: list[float]) -> None:
        """Past the horizon, each business's remaining queue moves at its windows' pace."""
        end = max((at for at, _ in free), default=0.0)
        mean = sum(pace) / len(pace) if pace else 600.0
        for code, found in lanes.items():
            step = mean / max(1, forecast.windows_open.get(code, 0))
            forecast.pace[code] = (end, step)
            left = {True: 0, False: 0}
            for lane in found:
                rest = [i for j, i in enumerate(lane.ids[lane.pos:], start=lane.pos)
                        if j not in lane.taken]
                for position, tid in enumerate(rest, start=1):
                    forecast.ticket_s[tid] = end + position * step
                left[lane.priority] += len(rest) + max(0, lane.beyond)
            normal_s, priority_s = forecast.new_s.get(code, (None, None))
            if priority_s is None:
                priority_s = end + (left[True] + 1) * step
            if normal_s is None:
                normal_s = end + (left[True] + left[False] + 1) * step
            forecast.new_s[code] = (normal_s, priority_s)


# The virtual ticket issued now stands after every waiting ticket (all queued by now).
_AFTER_ALL = 10 ** 9


@dataclass(slots=True)
class _Lane:
    """One (business, kind) queue in the replay; a virtual ticket of its kind stands last."""

    business: str
    kind: TicketKind
    priority: bool
    ids: tuple[str, ...]
    beyond: int
    pos: int = 0
    taken: set[int] = field(default_factory=set)
    virtual_done: bool = False
    exhausted: bool = False
    last: tuple[datetime, int] = (datetime.max.replace(tzinfo=UTC), _AFTER_ALL)
    _key: tuple[int, tuple[datetime, int]] | None = None

    @property
    def holds_virtual(self) -> bool:
        return self.kind is (TicketKind.PRIORITY if self.priority else TicketKind.NORMAL)

    def head(self, book: TicketBook, window: int,
             at: float = 0.0) -> tuple[tuple[datetime, int], int] | None:
        """(order key, position) of the first ticket `window` may call; position -1: virtual."""
        cached = self._key
        if cached is not None and cached[0] == self.pos:
            return cached[1], self.pos  # the usual case: asked again before anyone was taken
        while self.pos < len(self.ids) and self.pos in self.taken:
            self.pos += 1
        at = self.pos
        while at < len(self.ids):
            if at not in self.taken:
                t = book[self.ids[at]]
                if t.target_window is None or t.target_window == window:
                    key = (t.queued_at, t.number.sequence)
                    if t.target_window is None and at == self.pos:
                        self._key = (at, key)  # any window may call it: the same answer
                    return key, at
            at += 1  # transferred to another window: not ours to call
        if self.beyond <= 0 and self.holds_virtual and not self.virtual_done:
            return self.last, -1
        self.exhausted = True
        return None

    def take(self, book: TicketBook, at: int) -> Ticket | None:
        if at < 0:
            self.virtual_done = True
            return None
        if at == self.pos:
            self.pos += 1
        else:
            self.taken.add(at)
        return book[self.ids[at]]


@dataclass(slots=True)
class _Arrivals:
    """The 绿色通道 tickets of one business still to come, each callable once it has arrived."""

    business: str
    offsets: tuple[float, ...]
    at: datetime = datetime.min.replace(tzinfo=UTC)
    pos: int = 0
    priority: bool = True
    exhausted: bool = False

    def head(self, book: TicketBook, window: int,
             at: float) -> tuple[tuple[datetime, int], int] | None:
        if self.pos >= len(self.offsets):
            self.exhausted = True
            return None
        if self.offsets[self.pos] > at:
            return None  # not here yet: the window calls others, or waits for nobody
        return (self.at + timedelta(seconds=self.offsets[self.pos]), 0), self.pos

    def take(self, book: TicketBook, at: int) -> None:
        self.pos += 1


def _residual(usual_s: float, elapsed_s: float) -> float:
    return max(usual_s - elapsed_s, usual_s * RESIDUAL_FLOOR)


def _time_s(clock: time) -> float:
    return clock.hour * 3600 + clock.minute * 60 + clock.second


def _clock_s(moment: datetime) -> float:
    return moment.hour * 3600 + moment.minute * 60 + moment.second

