"""The issuing cut-off: a ticket that would be called after closing is refused with advice."""
from __future__ import annotations

from dataclasses import replace

import pytest

from hall.core.cutoff import FULL_ZH, LATE_ZH, CutoffMode, cutoff_for, next_opening
from hall.core.wait_estimate import WaitEstimate


def estimate_calling_at(moment) -> WaitEstimate:
    return WaitEstimate(10, 60, 1, 50, 70, moment)


@pytest.mark.parametrize("likely, mode, expected", [
    ("16:30", CutoffMode.AUTO, None),
    ("17:00", CutoffMode.AUTO, None),
    ("17:01", CutoffMode.AUTO, LATE_ZH),
    ("16:30", CutoffMode.STOP, FULL_ZH),
    ("18:30", CutoffMode.OPEN, None),
])
def test_issuing_stops_when_the_likely_call_is_after_closing(catalogue, at, likely, mode,
                                                             expected) -> None:
    cut = cutoff_for(catalogue, "enrollment", estimate_calling_at(at(likely)), at("15:00"), mode)
    assert (cut.text_zh if cut else None) == expected
    if cut is not None:
        assert cut.next_opening == at("09:00").replace(day=at("09:00").day + 1)


def test_a_business_may_allow_calls_a_little_after_closing_or_never_cut_off(catalogue,
                                                                           at) -> None:
    lenient = replace(catalogue, businesses=tuple(
        replace(b, cutoff_after_close_min=30 if b.code == "enrollment" else None)
        for b in catalogue.businesses))
    late = estimate_calling_at(at("17:20"))
    assert cutoff_for(lenient, "enrollment", late, at("15:00")) is None
    assert cutoff_for(lenient, "info_change", estimate_calling_at(at("20:00")),
                      at("15:00")) is None
    assert cutoff_for(lenient, "enrollment", estimate_calling_at(at("17:31")),
                      at("15:00")) is not None


def test_no_estimate_never_cuts_off(catalogue, at) -> None:
    assert cutoff_for(catalogue, "enrollment", WaitEstimate(3, None, 0), at("16:00")) is None


def test_the_next_opening_skips_the_weekend(catalogue, at) -> None:
    friday = at("16:00").replace(day=at("16:00").day + 4)
    opening = next_opening(catalogue, friday)
    assert opening is not None and opening.isoweekday() == 1 and opening.hour == 9
