"""What the wait model learns from stored days, and how its calibration shapes the range."""
from __future__ import annotations

from datetime import timedelta

import pytest

from hall.core import PauseReason, TicketKind
from hall.core.wait_model import (
    BUSINESS_SHRINK,
    DAY_SHRINK,
    PastPause,
    PastTicket,
    WaitModel,
    bucket_of,
    learn_model,
)


def served(at, business: str, issued: str, wait_s: float, handle_s: float,
           predicted_s: float | None = None, no_show: bool = False) -> PastTicket:
    start = at(issued)
    called = start + timedelta(seconds=wait_s)
    return PastTicket(business, TicketKind.NORMAL, start, called,
                      None if no_show else called + timedelta(seconds=handle_s), no_show,
                      predicted_s)


def test_an_empty_history_starts_from_the_catalogue(catalogue) -> None:
    model = learn_model(catalogue, [], [])
    assert model.days_learned == 0
    assert model.handle("enrollment", 10, 600.0) == 600.0
    assert model.buckets == ()
    point, low, high = model.calibrate("enrollment", 1200.0)
    assert low < point == 1200.0 < high


def test_handle_times_are_learned_and_shrunk_towards_the_typical_time(catalogue, at) -> None:
    many = [served(at, "enrollment", "10:00", 60, 900) for _ in range(200)]
    few = [served(at, "info_change", "10:00", 60, 900) for _ in range(2)]
    model = learn_model(catalogue, many + few, [])
    assert model.handle("enrollment", 10, 600.0) == pytest.approx(900, rel=0.03)
    # Two services of 900 s against a typical 300 s: still close to the catalogue.
    assert 300 < model.handle("info_change", 10, 300.0) < 500


def test_no_shows_and_the_lunch_roster_are_learned(catalogue, at) -> None:
    tickets = [served(at, "enrollment", "10:00", 60, 600, no_show=i % 5 == 0) for i in range(100)]
    pauses = [PastPause(2, PauseReason.LUNCH, at("11:40"), at("12:30")),
              PastPause(2, PauseReason.AWAY, at("15:00"), at("15:06"))]
    model = learn_model(catalogue, tickets, pauses)
    assert model.no_show["enrollment"] == pytest.approx(0.2, abs=0.03)
    assert model.lunch[2].starts_s == 11 * 3600 + 40 * 60 and model.lunch[2].length_s == 3000
    assert 360 < model.pause_length(PauseReason.AWAY) < 420


@pytest.mark.parametrize("minutes, bucket", [(0.5, 0), (2, 1), (14, 4), (200, 11)])
def test_predictions_fall_into_buckets_by_horizon(minutes, bucket) -> None:
    assert bucket_of(minutes * 60) == bucket


def test_the_calibration_trusts_a_bias_by_the_days_seen_and_its_range_covers_eight_in_ten(
        catalogue, at) -> None:
    # The twin said 20 min; the truth was 12-42 min, evenly: biased by +7 min on average. Seen
    # on one day, 1/(1 + DAY_SHRINK) of it is the hall's bias, the rest that day's luck. The
    # only business is the hall: its many tickets of that one day do not undo the day's luck.
    tickets = [served(at, "enrollment", "10:00", 720 + 1800 * i / 499, 600, predicted_s=1200)
               for i in range(500)]
    model = learn_model(catalogue, tickets, [])
    point, low, high = model.calibrate("enrollment", 1200, 10)
    assert point == pytest.approx(1200 + 420 / (1 + DAY_SHRINK), abs=1)
    covered = sum(1 for t in tickets if low <= (t.first_called_at - t.issued_at).total_seconds()
                  <= high)
    assert covered / len(tickets) == pytest.approx(0.8, abs=0.03)


def test_a_business_shift_is_its_own_miss_beside_the_halls_shrunk_by_its_tickets(
        catalogue, at) -> None:
    # Same day, two businesses: enrollment waited 7 min longer than the twin said, info_change
    # exactly as long. The hall's shift is their mean, shrunk by the one day seen; each
    # business moves from it by its own distance from the hall's mean, shrunk by its tickets.
    late = [served(at, "enrollment", "10:00", 1620, 600, predicted_s=1200) for _ in range(300)]
    on_time = [served(at, "info_change", "10:00", 1200, 600, predicted_s=1200)
               for _ in range(300)]
    model = learn_model(catalogue, late + on_time, [])
    hall = 210 / (1 + DAY_SHRINK)
    own = 300 / (300 + BUSINESS_SHRINK)
    assert model.calibrate("enrollment", 1200, 10)[0] == pytest.approx(
        1200 + hall + 210 * own, abs=1)
    assert model.calibrate("info_change", 1200, 10)[0] == pytest.approx(
        1200 + hall - 210 * own, abs=1)


def test_a_default_model_knows_the_usual_pause_lengths() -> None:
    assert WaitModel().pause_length(PauseReason.LUNCH) == 3600
