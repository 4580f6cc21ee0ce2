"""Figures of the day for the wall's charts, computed from the day's tickets alone."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from hall.core.state import HallState


@dataclass(frozen=True, slots=True)
class DayStats:
    issued_per_hour: tuple[tuple[int, int], ...]
    waiting_over_day: tuple[tuple[str, int], ...]
    avg_wait_min: tuple[tuple[str, float], ...]


def day_stats(state: HallState, now: datetime, *, sample_min: int = 15) -> DayStats:
    tickets = list(state.tickets.values())
    if not tickets:
        return DayStats((), (), ())
    per_hour: dict[int, int] = {}
    for t in tickets:
        per_hour[t.issued_at.hour] = per_hour.get(t.issued_at.hour, 0) + 1
    first = min(t.issued_at for t in tickets)
    moment = first.replace(minute=first.minute - first.minute % sample_min, second=0,
                           microsecond=0)
    samples = []
    while moment <= now:
        waiting = sum(1 for t in tickets if t.issued_at <= moment
                      and (t.first_called_at is None or t.first_called_at > moment)
                      and (t.finished_at is None or t.finished_at > moment))
        samples.append((f"{moment:%H:%M}", waiting))
        moment += timedelta(minutes=sample_min)
    waits: dict[str, list[float]] = {}
    for t in tickets:
        if t.first_called_at is not None:
            waits.setdefault(t.business, []).append(
                (t.first_called_at - t.queued_at).total_seconds() / 60)
    averages = tuple((code, round(sum(v) / len(v), 1)) for code, v in sorted(waits.items()))
    return DayStats(tuple(sorted(per_hour.items())), tuple(samples), averages)
