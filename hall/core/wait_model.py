"""What the wait estimate learns from the hall's own stored days, refreshed once a day.

Handle times and no-show rates per business and hour, arrival rates per business and hour, the
lunch roster and typical pause lengths per window, and a calibration table: how far the twin's
raw predictions were from the waits that followed, by business and predicted length. With no
history the model starts from the catalogue (typical handle times, the configured rules).
"""
from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from hall.core.catalogue import Catalogue
from hall.core.ids import PauseReason, TicketKind

# Predicted-wait buckets (minutes) of the calibration table: errors grow with the horizon.
BUCKET_EDGES_MIN = (1.0, 3.0, 6.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0, 90.0, 120.0)
# The interval a citizen sees holds the true wait this often (split conformal on past days).
INTERVAL_COVERAGE = 0.80
# Observations that weigh as much as the prior when a figure is learned from few of them.
SHRINK = 12.0
# The bias per business is how far its mean error lies from the hall's, shrunk towards none:
# this many of its errors weigh as much as the hall-wide shift alone.
BUSINESS_SHRINK = 150.0
# The hall-wide bias is a day's luck as much as the twin's: errors within a day move
# together, so it is learned from days, and this many days weigh as much as "no bias".
DAY_SHRINK = 7.0
# A business's own range stretch: this many of its past errors weigh as much as the hall's.
SCALE_SHRINK = 30.0
DEFAULT_PAUSE_S = {PauseReason.AWAY: 420.0, PauseReason.LUNCH: 3600.0,
                   PauseReason.SYSTEM_FAULT: 900.0, PauseReason.MEETING: 1800.0}


@dataclass(frozen=True, slots=True)
class PastTicket:
    """One ticket of a past day, as the store keeps it."""

    business: str
    kind: TicketKind
    issued_at: datetime
    first_called_at: datetime | None
    finished_at: datetime | None
    no_show: bool
    # The twin's raw prediction at issue (seconds), when one was recorded.
    predicted_s: float | None = None


@dataclass(frozen=True, slots=True)
class PastPause:
    window: int
    reason: PauseReason
    started_at: datetime
    ended_at: datetime


@dataclass(frozen=True, slots=True)
class Bucket:
    """Calibration of one predicted-wait bucket: the interval's quantiles around the point."""

    low_s: float = 0.0
    high_s: float = 0.0
    count: int = 0


@dataclass(frozen=True, slots=True)
class LunchBreak:
    starts_s: float  # seconds after midnight
    length_s: float


@dataclass(frozen=True, slots=True)
class WaitModel:
    handle_s: Mapping[tuple[str, int], float] = field(default_factory=dict)
    business_handle_s: Mapping[str, float] = field(default_factory=dict)
    no_show: Mapping[str, float] = field(default_factory=dict)
    # Arrivals per hour by (business, kind, hour): priority tickets arriving later go ahead.
    arrivals_per_h: Mapping[tuple[str, TicketKind, int], float] = field(default_factory=dict)
    pause_s: Mapping[PauseReason, float] = field(default_factory=dict)
    lunch: Mapping[int, LunchBreak] = field(default_factory=dict)
    buckets: tuple[Bucket, ...] = ()
    # The twin's mean miss (seconds), then a shift per business.
    bias_s: float = 0.0
    business_bias_s: Mapping[str, float] = field(default_factory=dict)
    # How much wider (or narrower) each business's range is than the hall's (per business
    # conformal, shrunk towards 1 when the business has few past tickets).
    business_scale: Mapping[str, float] = field(default_factory=dict)
    # How much wider than usual the range is for tickets issued at that hour.
    hour_scale: Mapping[int, float] = field(default_factory=dict)
    days_learned: int = 0
    learned_on: date | None = None

    def handle(self, business: str, hour: int, typical_s: float) -> float:
        return self.handle_s.get((business, hour)) or self.business_handle_s.get(business, typical_s)

    def pause_length(self, reason: PauseReason) -> float:
        return self.pause_s.get(reason, DEFAULT_PAUSE_S[reason])

    def calibrate(self, business: str, raw_s: float,
                  hour: int | None = None) -> tuple[float, float, float]:
        """(point, low, high) in seconds from the twin's raw prediction."""
        index = bucket_of(raw_s)
        if not self.buckets:
            return raw_s, raw_s * 0.7, raw_s * 1.4 + 120.0
        b = self.buckets[index]
        shift = self.bias_s + self.business_bias_s.get(business, 0.0)
        scale = self.business_scale.get(business, 1.0)
        if hour is not None:
            scale *= self.hour_scale.get(hour, 1.0)
        point = max(0.0, raw_s + shift)
        return point, max(0.0, point + b.low_s * scale), max(point, point + b.high_s * scale)


def bucket_of(raw_s: float) -> int:
    minutes = raw_s / 60.0
    for i, edge in enumerate(BUCKET_EDGES_MIN):
        if minutes < edge:
            return i
    return len(BUCKET_EDGES_MIN)


def learn_model(catalogue: Catalogue, tickets: Iterable[PastTicket],
                pauses: Iterable[PastPause], *, learned_on: date | None = None) -> WaitModel:
    """A model from past days; the catalogue's figures stand in where history is thin."""
    tickets = list(tickets)
    days = {t.issued_at.date() for t in tickets}
    by_hour: dict[tuple[str, int], list[float]] = defaultdict(list)
    by_business: dict[str, list[float]] = defaultdict(list)
    called: dict[str, int] = defaultdict(int)
    missed: dict[str, int] = defaultdict(int)
    arrivals: dict[tuple[str, TicketKind, int], int] = defaultdict(int)
    for t in tickets:
        arrivals[(t.business, t.kind, t.issued_at.hour)] += 1
        if t.first_called_at is None:
            continue
        called[t.business] += 1
        if t.no_show:
            missed[t.business] += 1
        elif t.finished_at is not None:
            handled = (t.finished_at - t.first_called_at).total_seconds()
            by_hour[(t.business, t.first_called_at.hour)].append(handled)
            by_business[t.business].append(handled)
    business_handle: dict[str, float] = {}
    for b in catalogue.businesses:
        seen = by_business.get(b.code, [])
        business_handle[b.code] = _shrunk(seen, float(b.typical_handle_s))
    handle = {key: _shrunk(seen, business_handle[key[0]]) for key, seen in by_hour.items()
              if key[0] in business_handle}
    no_show = {code: (missed[code] + 0.5) / (n + 10.0) for code, n in called.items()}
    span = max(1, len(days))
    calibration = _calibration(tickets)
    return WaitModel(
        handle_s=handle, business_handle_s=business_handle, no_show=no_show,
        arrivals_per_h={k: n / span for k, n in arrivals.items()},
        pause_s=_pause_lengths(pauses), lunch=_lunch_roster(pauses, span),
        buckets=calibration.buckets, bias_s=calibration.bias.overall,
        business_bias_s=calibration.bias.business, business_scale=calibration.business_scale,
        hour_scale=calibration.hour_scale,
        days_learned=len(days), learned_on=learned_on)


def _shrunk(seen: list[float], prior: float) -> float:
    return (sum(seen) + SHRINK * prior) / (len(seen) + SHRINK)


def _pause_lengths(pauses: Iterable[PastPause]) -> dict[PauseReason, float]:
    lengths: dict[PauseReason, list[float]] = defaultdict(list)
    for p in pauses:
        lengths[p.reason].append((p.ended_at - p.started_at).total_seconds())
    return {reason: _shrunk(seen, DEFAULT_PAUSE_S[reason]) for reason, seen in lengths.items()}


def _lunch_roster(pauses: Iterable[PastPause], days: int) -> dict[int, LunchBreak]:
    """A window's usual lunch, when it took one on most of the learned days."""
    starts: dict[int, list[float]] = defaultdict(list)
    lengths: dict[int, list[float]] = defaultdict(list)
    for p in pauses:
        if p.reason is PauseReason.LUNCH:
            clock = p.started_at
            starts[p.window].append(clock.hour * 3600 + clock.minute * 60 + clock.second)
            lengths[p.window].append((p.ended_at - p.started_at).total_seconds())
    return {w: LunchBreak(statistics.median(s), statistics.median(lengths[w]))
            for w, s in starts.items() if len(s) * 2 >= days}


@dataclass(frozen=True, slots=True)
class _Error:
    business: str
    day: date
    hour: int
    predicted_s: float
    error_s: float  # truth - prediction

    @property
    def bucket(self) -> int:
        return bucket_of(self.predicted_s)


def _errors(tickets: Iterable[PastTicket]) -> list[_Error]:
    """How far the raw prediction was from the truth, for every ticket that was called."""
    found = []
    for t in tickets:
        if t.predicted_s is None or t.first_called_at is None:
            continue
        actual = (t.first_called_at - t.issued_at).total_seconds()
        found.append(_Error(t.business, t.issued_at.date(), t.issued_at.hour, t.predicted_s,
                            actual - t.predicted_s))
    return found


@dataclass(frozen=True, slots=True)
class _Bias:
    overall: float = 0.0
    business: dict[str, float] = field(default_factory=dict)

    def of(self, e: _Error) -> float:
        return self.overall + self.business.get(e.business, 0.0)


def _fit_bias(errors: list[_Error]) -> _Bias:
    """The twin's mean miss (shrunk towards none by days), then per business how far its own
    mean miss lies from the hall's, shrunk towards none by its number of tickets.

    The business's distance is measured from the hall's unshrunk mean: measured from the
    shrunk shift it would carry the part of the hall's mean that the day shrinkage set aside
    (that week's luck, common to every business) straight back in, most of it for the
    businesses with many tickets. In the county hall (a training week 0.8 min shorter than
    the twin said, half of it set aside as luck) that put 0.3 min of the luck back on each
    business.

    Few parameters on purpose: errors of one day move together, so a week of days holds only
    a few independent looks at the bias. A table by predicted length, business and hour (the
    first calibration), or a slope in the predicted length, fitted those days' own luck and
    moved the test days' bias the other way; the twin itself, with the 绿色通道 tickets still
    to come replayed, is nearly unbiased.
    """
    if not errors:
        return _Bias()
    days = len({e.day for e in errors})
    hall_mean = statistics.fmean(e.error_s for e in errors)
    overall = hall_mean * days / (days + DAY_SHRINK)
    by_business: dict[str, list[float]] = defaultdict(list)
    for e in errors:
        by_business[e.business].append(e.error_s - hall_mean)
    business = {code: sum(found) / (len(found) + BUSINESS_SHRINK)
                for code, found in by_business.items()}
    return _Bias(overall, business)


@dataclass(frozen=True, slots=True)
class _Calibration:
    buckets: tuple[Bucket, ...]
    bias: _Bias
    hour_scale: dict[int, float]
    business_scale: dict[str, float]


def _calibration(tickets: list[PastTicket]) -> _Calibration:
    """The bias tables from every day; the interval by cross-conformal prediction over days.

    Each day's residuals are measured against bias tables fitted on the other days, so the
    interval is as wide as on a day the model has not seen (errors within a day are alike:
    a heavy day is late all day long).
    """
    errors = _errors(tickets)
    if len(errors) < 50:
        return _Calibration((), _Bias(), {}, {})
    bias = _fit_bias(errors)
    days = sorted({e.day for e in errors})
    residuals: list[list[float]] = [[] for _ in range(len(BUCKET_EDGES_MIN) + 1)]
    held_out: list[list[tuple[_Error, float]]] = []
    for day in days:
        others = [e for e in errors if e.day != day]
        held_out_bias = _fit_bias(others) if len(days) > 1 and len(others) >= 50 else bias
        of_day = [(e, e.error_s - held_out_bias.of(e)) for e in errors if e.day == day]
        held_out.append(of_day)
        for e, r in of_day:
            residuals[e.bucket].append(r)
    # Some hours are harder than others (the lunch peak): the range widens by the hour's own
    # spread of errors (normalised conformal), learned from the same held-out errors.
    spread = [statistics.fmean(abs(r) for r in found) if found else 0.0 for found in residuals]
    overall = statistics.fmean(abs(r) for found in residuals for r in found) or 1.0
    spread = [value or overall for value in spread]
    by_hour: dict[int, list[float]] = defaultdict(list)
    for day_errors in held_out:
        for e, r in day_errors:
            by_hour[e.hour].append(abs(r) / spread[e.bucket])
    hour_scale = {hour: _shrunk(found, 1.0) for hour, found in by_hour.items()}
    scaled: list[list[float]] = [[] for _ in residuals]
    for day_errors in held_out:
        for e, r in day_errors:
            scaled[e.bucket].append(r / hour_scale[e.hour])
    everything = [r for found in scaled for r in found]
    tail = (1.0 - INTERVAL_COVERAGE) / 2
    buckets = []
    for i, found in enumerate(scaled):
        pool = sorted(found if len(found) >= 40 else _neighbours(scaled, i) or everything)
        buckets.append(Bucket(_conformal(pool, tail), _conformal(pool, 1 - tail),
                              len(found)))
    return _Calibration(tuple(buckets), bias, hour_scale,
                        _business_scale(held_out, buckets, hour_scale))


def _business_scale(held_out: list[list[tuple[_Error, float]]], buckets: list[Bucket],
                    hour_scale: dict[int, float]) -> dict[str, float]:
    """Per business, how far the hall's range must stretch to hold 80% of its own errors.

    Each held-out error is measured in widths of its range (the side it falls on); the 80%
    conformal quantile of a business's measures is the stretch it needs. Businesses with few
    past tickets lean on the hall's (1.0): SCALE_SHRINK of them weigh as much.
    """
    measures: dict[str, list[float]] = defaultdict(list)
    for day_errors in held_out:
        for e, r in day_errors:
            b = buckets[e.bucket]
            side = b.high_s if r >= 0 else -b.low_s
            width = side * hour_scale.get(e.hour, 1.0)
            measures[e.business].append(abs(r) / width if width > 0 else 1.0 + abs(r))
    scale = {}
    for code, found in measures.items():
        needed = _conformal(sorted(found), INTERVAL_COVERAGE)
        scale[code] = (len(found) * needed + SCALE_SHRINK) / (len(found) + SCALE_SHRINK)
    return scale


def _neighbours(grouped: list[list[float]], i: int) -> list[float]:
    for reach in range(1, len(grouped)):
        pool = [e for j in range(i - reach, i + reach + 1) if 0 <= j < len(grouped)
                for e in grouped[j]]
        if len(pool) >= 40:
            return pool
    return []


def _conformal(ordered: list[float], level: float) -> float:
    """The split-conformal quantile: the rank ceil((n+1) level), clamped to the sample."""
    n = len(ordered)
    rank = min(n, max(1, math.ceil((n + 1) * level)))
    return ordered[rank - 1]
