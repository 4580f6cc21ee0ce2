"""The hall's reports, computed from stored records: 满意率, the closed loop, complaints, queue.

Formulas (stated again on every exported sheet):
- 满意率 = (非常满意 + 满意 + 基本满意) ÷ 有效评价数 × 100%; 有效评价 = every rating except those
  excluded on appeal (误评, 恶意差评). Below 90% is flagged (document 000 §一).
- 平均分: 非常满意 5, 满意 4, 基本满意 3, 不满意 2, 非常不满意 1.
- 回访率 = real-name bad-rating cases with at least one callback recorded ÷ real-name cases.
- 按时整改率 = cases whose feedback was given by the due date ÷ cases given feedback or past due.
- 按时答复率 = complaints closed by their answer date ÷ complaints closed or past that date
  (transferred ones are counted apart).
- Waits run from taking the ticket to its first call; handle times from the last call to the
  end of service; means are exact, p90 is the nearest-rank 90th percentile to the second.
"""
from __future__ import annotations

import enum
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from hall.core.ratings import LEVEL_ZH, SUB_INDICATORS_ZH, RatingLevel

FLAG_BELOW = 0.90
LEVEL_SCORE = {RatingLevel.VERY_SATISFIED: 5, RatingLevel.SATISFIED: 4, RatingLevel.BASIC: 3,
               RatingLevel.DISSATISFIED: 2, RatingLevel.VERY_DISSATISFIED: 1}
SATISFIED_LEVELS = (RatingLevel.VERY_SATISFIED, RatingLevel.SATISFIED, RatingLevel.BASIC)
LEVELS = tuple(LEVEL_SCORE)


@enum.unique
class Grain(enum.StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


GRAIN_ZH = {Grain.DAY: "日", Grain.WEEK: "周", Grain.MONTH: "月", Grain.YEAR: "年"}


@enum.unique
class Dimension(enum.StrEnum):
    STAFF = "staff"
    WINDOW = "window"
    ITEM = "item"
    BUSINESS = "business"


DIMENSION_ZH = {Dimension.STAFF: "工作人员", Dimension.WINDOW: "窗口",
                Dimension.ITEM: "服务事项", Dimension.BUSINESS: "业务类型"}


class RatingFact(NamedTuple):
    """One stored rating as the reports see it (`business` is its ticket's)."""

    rating_id: str
    service_day: date
    window: int
    staff_id: str
    business: str
    items: tuple[str, ...]
    level: RatingLevel
    sub_scores: Mapping[str, RatingLevel]
    reasons: tuple[str, ...]


class RatingCell(NamedTuple):
    """How many ratings of one level one key got in one period, and their sub-score sums."""

    period: date
    key: str
    level: RatingLevel
    excluded: bool
    ratings: int
    sub_sums: tuple[tuple[str, int, int], ...] = ()  # (indicator, sum of scores, ratings)


def period_start(day: date, grain: Grain) -> date:
    if grain is Grain.DAY:
        return day
    if grain is Grain.WEEK:
        return day - timedelta(days=day.weekday())
    if grain is Grain.MONTH:
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def p90(values: list[float]) -> float | None:
    """Nearest-rank 90th percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def mean(values: Iterable[float]) -> float | None:
    items = list(values)
    return sum(items) / len(items) if items else None


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# -- 满意率 -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SatisfactionRow:
    period: date
    key: str
    counts: dict[RatingLevel, int]
    excluded: int
    mean_score: float | None
    sub_means: dict[str, float]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def satisfied(self) -> int:
        return sum(self.counts[level] for level in SATISFIED_LEVELS)

    @property
    def rate(self) -> float | None:
        return ratio(self.satisfied, self.total)

    @property
    def flagged(self) -> bool:
        rate = self.rate
        return rate is not None and rate < FLAG_BELOW


def rating_keys(fact: RatingFact, dimension: Dimension) -> tuple[str, ...]:
    """The keys a rating counts under; a batch rating counts once for each of its items."""
    if dimension is Dimension.STAFF:
        return (fact.staff_id,)
    if dimension is Dimension.WINDOW:
        return (str(fact.window),)
    if dimension is Dimension.BUSINESS:
        return (fact.business,)
    return fact.items or (fact.business,)


def cells_of(facts: Iterable[RatingFact], excluded: set[str], dimension: Dimension,
             grain: Grain) -> list[RatingCell]:
    """The cells of single ratings (the store computes the same in SQL for large periods)."""
    cells = []
    for fact in facts:
        start = period_start(fact.service_day, grain)
        subs = tuple((k, LEVEL_SCORE[v], 1) for k, v in sorted(fact.sub_scores.items()))
        for key in rating_keys(fact, dimension):
            cells.append(RatingCell(start, key, fact.level, fact.rating_id in excluded, 1, subs))
    return cells


def satisfaction(cells: Iterable[RatingCell]) -> list[SatisfactionRow]:
    """One row per period and key; excluded ratings are counted apart and out of the rate."""
    counts: dict[tuple[date, str], Counter[RatingLevel]] = defaultdict(Counter)
    dropped: Counter[tuple[date, str]] = Counter()
    subs: dict[tuple[date, str], dict[str, list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0, 0]))
    for cell in cells:
        group = (cell.period, cell.key)
        if cell.excluded:
            dropped[group] += cell.ratings
            continue
        counts[group][cell.level] += cell.ratings
        for name, total, n in cell.sub_sums:
            pair = subs[group][name]
            pair[0] += total
            pair[1] += n
    rows = []
    for group in sorted(set(counts) | set(dropped)):
        tally = counts[group]
        n = sum(tally.values())
        score = sum(LEVEL_SCORE[level] * k for level, k in tally.items())
        rows.append(SatisfactionRow(
            period=group[0], key=group[1], counts={lv: tally[lv] for lv in LEVELS},
            excluded=dropped[group], mean_score=score / n if n else None,
            sub_means={k: v[0] / v[1] for k, v in sorted(subs[group].items()) if v[1]}))
    return rows


def bad_reasons_ranked(reasons: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """(reason, count) pairs of bad ratings not excluded, most frequent first."""
    tally: Counter[str] = Counter()
    for reason, count in reasons:
        tally[reason] += count
    return sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))


# -- queue ------------------------------------------------------------------------------------


class TicketTally(NamedTuple):
    """Tickets of one business, kind and hour of issue: taken, called, no-shows."""

    business: str
    kind: str
    hour: int
    tickets: int
    called: int
    no_shows: int


class WaitBucket(NamedTuple):
    """Called tickets of one business and kind that waited `second` seconds (rounded)."""

    business: str
    kind: str
    second: int
    tickets: int
    total_s: float


class HandleBucket(NamedTuple):
    """Services finished at one window by one clerk that took `second` seconds (rounded)."""

    window: int
    staff_id: str
    second: int
    services: int
    total_s: float


def bucket_stats(buckets: Iterable[tuple[int, int, float]]) -> tuple[float | None, float | None]:
    """(mean, nearest-rank p90) in minutes of (second, count, exact total) buckets; the mean is
    exact, the p90 is the whole second its sample falls in."""
    ordered = sorted(buckets)
    n = sum(count for _, count, _ in ordered)
    if not n:
        return None, None
    rank = max(1, math.ceil(0.9 * n))
    seen = 0
    p90_s = float(ordered[-1][0])
    for second, count, _ in ordered:
        seen += count
        if seen >= rank:
            p90_s = float(second)
            break
    return sum(total for _, _, total in ordered) / n / 60, p90_s / 60


@dataclass(frozen=True, slots=True)
class BusinessQueueFigures:
    business: str
    tickets: int
    per_hour: dict[int, int]
    wait_mean_min: float | None
    wait_p90_min: float | None
    called: int
    no_shows: int
    priority_tickets: int
    priority_wait_mean_min: float | None
    priority_wait_p90_min: float | None

    @property
    def no_show_rate(self) -> float | None:
        return ratio(self.no_shows, self.called)


@dataclass(frozen=True, slots=True)
class WindowFigures:
    window: int
    handled: int
    handle_mean_min: float | None
    handle_p90_min: float | None


def queue_figures(tallies: Iterable[TicketTally], waits: Iterable[WaitBucket],
                  handles: Iterable[HandleBucket]
                  ) -> tuple[list[BusinessQueueFigures], list[WindowFigures]]:
    per_hour: dict[str, Counter[int]] = defaultdict(Counter)
    called: Counter[str] = Counter()
    no_shows: Counter[str] = Counter()
    priority: Counter[str] = Counter()
    for t in tallies:
        per_hour[t.business][t.hour] += t.tickets
        called[t.business] += t.called
        no_shows[t.business] += t.no_shows
        if t.kind == "priority":
            priority[t.business] += t.tickets
    all_waits: dict[str, list[tuple[int, int, float]]] = defaultdict(list)
    priority_waits: dict[str, list[tuple[int, int, float]]] = defaultdict(list)
    for w in waits:
        all_waits[w.business].append((w.second, w.tickets, w.total_s))
        if w.kind == "priority":
            priority_waits[w.business].append((w.second, w.tickets, w.total_s))
    rows = []
    for b in sorted(per_hour):
        wait_mean, wait_p90 = bucket_stats(all_waits[b])
        priority_mean, priority_p90 = bucket_stats(priority_waits[b])
        rows.append(BusinessQueueFigures(
            business=b, tickets=sum(per_hour[b].values()),
            per_hour=dict(sorted(per_hour[b].items())), wait_mean_min=wait_mean,
            wait_p90_min=wait_p90, called=called[b], no_shows=no_shows[b],
            priority_tickets=priority[b], priority_wait_mean_min=priority_mean,
            priority_wait_p90_min=priority_p90))
    by_window: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    for h in handles:
        by_window[h.window].append((h.second, h.services, h.total_s))
    windows = []
    for window, buckets in sorted(by_window.items()):
        handle_mean, handle_p90 = bucket_stats(buckets)
        windows.append(WindowFigures(window=window, handled=sum(c for _, c, _ in buckets),
                                     handle_mean_min=handle_mean, handle_p90_min=handle_p90))
    return rows, windows


# -- generic tables (what the exports write) --------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    title_zh: str
    kind: str = "text"  # text | int | float | percent | date | datetime


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    title_zh: str
    columns: tuple[Column, ...]
    rows: Sequence[tuple[object, ...]]
    note_zh: str = ""
    flagged_rows: frozenset[int] = field(default_factory=frozenset)
    # Long daily tables go to the spreadsheet, not to the printed A4 report.
    in_print: bool = True


def level_columns() -> tuple[Column, ...]:
    return tuple(Column(LEVEL_ZH[level], "int") for level in LEVELS)


def satisfaction_table(rows: list[SatisfactionRow], dimension: Dimension, grain: Grain,
                       label: Callable[[str], str] = str) -> Table:
    columns = (Column(f"统计期（{GRAIN_ZH[grain]}）", "date"), Column(DIMENSION_ZH[dimension]),
               Column("有效评价数", "int"), *level_columns(), Column("满意率", "percent"),
               Column("低于90%", "text"), Column("剔除评价数", "int"), Column("平均分", "float"),
               *(Column(f"{zh}平均分", "float") for zh in SUB_INDICATORS_ZH.values()))
    body = [(r.period, label(r.key), r.total, *(r.counts[lv] for lv in LEVELS), r.rate,
             "是" if r.flagged else "", r.excluded, r.mean_score,
             *(r.sub_means.get(k) for k in SUB_INDICATORS_ZH)) for r in rows]
    return Table(name=f"satisfaction_{dimension.value}_{grain.value}",
                 title_zh=f"满意率（按{DIMENSION_ZH[dimension]}、{GRAIN_ZH[grain]}）",
                 columns=columns, rows=body, note_zh=SATISFACTION_FORMULA_ZH,
                 flagged_rows=frozenset(i for i, r in enumerate(rows) if r.flagged))


SATISFACTION_FORMULA_ZH = ("满意率 =（非常满意 + 满意 + 基本满意）÷ 有效评价数 × 100%；"
                           "经申诉复核认定为误评、恶意差评的评价不计入；低于 90% 标记。")
