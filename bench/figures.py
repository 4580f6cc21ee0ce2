"""Percentile figures shared by the benchmarks."""
from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    count: int
    p50_ms: float
    p99_ms: float
    mean_ms: float


def figure(name: str, samples_s: list[float]) -> Figure:
    ms = sorted(s * 1000 for s in samples_s)
    return Figure(name, len(ms), ms[len(ms) // 2], ms[min(len(ms) - 1, int(len(ms) * 0.99))],
                  statistics.fmean(ms))
