"""Exact nearest-rank p90 from coarse buckets: over a long period only the one bucket where the
p90 falls needs its samples to the second; every other bucket may stand as one summed row.

A coarse row stands at its bucket's first second and fine rows stay inside their bucket, so
sorting by second keeps every bucket in its place, and the rank walked to in `bucket_stats`
lands among the fine seconds of the p90's own bucket: the same p90 and the same exact mean
as from the seconds of every sample.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

BUCKET_S = 300


def bucket_of(second: int) -> int:
    return second // BUCKET_S


def bucket_start(bucket: int) -> int:
    return bucket * BUCKET_S


def p90_bucket(counts: Iterable[tuple[int, int]]) -> int | None:
    """The bucket that holds the nearest-rank 90th percentile of (bucket, count) pairs."""
    tally: Counter[int] = Counter()
    for bucket, count in counts:
        tally[bucket] += count
    total = sum(tally.values())
    if not total:
        return None
    rank = max(1, math.ceil(0.9 * total))
    seen = 0
    for bucket in sorted(tally):
        seen += tally[bucket]
        if seen >= rank:
            return bucket
    return max(tally)
