"""The twin estimator on constructed states: what a ticket issued now would wait.

The default test hall: window 1 serves enrollment (600 s) and info_change (300 s), window 2
enrollment only, window 3 reimbursement (720 s). The hall closes 12:00-13:30. With no history
each service lasts its typical time, shortened by the assumed 5% of no-shows.
"""
from __future__ import annotations

from dataclasses import replace

import pytest

from hall.core import PauseReason, PriorityRule, TicketKind, WindowState, WindowStatus
from hall.core.wait_estimate import TwinEstimator
from hall.core.wait_model import LunchBreak, WaitModel
from tests.core.conftest import Desk, build_catalogue

GRACE_S = 120 + 30
NO_SHOW = 0.05


def length(handle_s: float) -> float:
    return (1 - NO_SHOW) * handle_s + NO_SHOW * GRACE_S


A, B = length(600), length(300)


def staffed(desk: Desk, statuses: dict[int, WindowStatus], since: str = "09:00",
            reason: PauseReason | None = None) -> None:
    windows = {n: WindowState(n, status, staff_id=f"YB010{n}", since=desk.at(since),
                              pause_reason=reason if status is WindowStatus.PAUSED else None)
               for n, status in statuses.items()}
    desk.state = replace(desk.state, windows=windows)


IDLE, PAUSED = WindowStatus.IDLE, WindowStatus.PAUSED


@pytest.mark.parametrize(
    "issued, windows, now, business, expected_s, ahead",
    [
        pytest.param([], {2: IDLE}, "09:10", "enrollment", 0, 0, id="empty-queue-idle-window"),
        pytest.param(["enrollment"] * 3, {2: IDLE}, "09:10", "enrollment", 3 * A, 3,
                     id="one-dedicated-window"),
        pytest.param(["enrollment", "info_change", "enrollment", "info_change"], {1: IDLE},
                     "09:10", "info_change", 2 * A + 2 * B, 2,
                     id="a-shared-window-alone-at-lunch-serves-everyone-in-turn"),
        pytest.param(["enrollment"] * 4, {1: IDLE, 2: IDLE}, "09:10", "enrollment", 2 * A, 4,
                     id="two-windows-share-the-queue"),
        # Two calls start before noon (11:50, 11:59:30); the next call waits for 13:30.
        pytest.param(["enrollment"] * 2, {2: IDLE}, "11:50", "enrollment", 100 * 60, 2,
                     id="a-hall-closed-over-lunch-calls-again-at-13-30"),
    ],
)
def test_a_new_ticket_waits_for_the_calls_the_twin_replays(
        desk, issued, windows, now, business, expected_s, ahead) -> None:
    for i, code in enumerate(issued):
        desk.issue(code, f"09:0{i}")
    staffed(desk, windows)
    raw = TwinEstimator(desk.catalogue).raw_new_s(desk.state, business, desk.at(now))
    estimate = TwinEstimator(desk.catalogue).for_business(desk.state, business, desk.at(now))
    assert raw == pytest.approx(expected_s, abs=1)
    assert estimate.people_ahead == ahead


def test_a_paused_window_calls_again_when_its_usual_pause_is_over(desk) -> None:
    desk.issue("enrollment", "09:00")
    staffed(desk, {2: PAUSED}, since="09:00", reason=PauseReason.AWAY)
    twin = TwinEstimator(desk.catalogue, WaitModel(pause_s={PauseReason.AWAY: 600.0}))
    # Paused 2 minutes of a usual 10: free in 8 minutes, then one enrollment ahead.
    assert twin.raw_new_s(desk.state, "enrollment", desk.at("09:02")) == pytest.approx(
        480 + A, abs=1)


def test_a_window_goes_to_lunch_when_the_learned_roster_says_so(desk) -> None:
    desk.issue("enrollment", "09:00")
    staffed(desk, {2: IDLE})
    roster = WaitModel(lunch={2: LunchBreak(starts_s=9.5 * 3600, length_s=1800)})
    twin = TwinEstimator(desk.catalogue, roster)
    # The first call at 09:25 ends at 09:34.7, after 09:30: lunch until 10:04.7, then the call.
    assert twin.raw_new_s(desk.state, "enrollment", desk.at("09:25")) == pytest.approx(
        A + 1800, abs=1)


@pytest.mark.parametrize("rule, normal_calls_first", [
    (PriorityRule.STRICT, 0), (PriorityRule.INTERLEAVE, 2)])
def test_a_priority_ticket_gets_its_own_wait_by_the_priority_rule(rule,
                                                                  normal_calls_first) -> None:
    desk = Desk(build_catalogue(priority_rule=rule, interleave_every=3))
    for i in range(6):
        desk.issue("enrollment", f"09:0{i}")
    staffed(desk, {2: IDLE})
    twin = TwinEstimator(desk.catalogue)
    normal = twin.for_business(desk.state, "enrollment", desk.at("09:10"))
    priority = twin.for_priority(desk.state, "enrollment", desk.at("09:10"))
    assert twin.raw_new_s(desk.state, "enrollment", desk.at("09:10"),
                          priority=True) == pytest.approx(normal_calls_first * A, abs=1)
    assert normal.minutes is not None and priority.minutes is not None
    assert priority.minutes < normal.minutes


def test_an_issued_priority_ticket_is_estimated_where_it_really_stands(desk) -> None:
    for i in range(5):
        desk.issue("enrollment", f"09:0{i}")
    mine = desk.issue("enrollment", "09:06", kind=TicketKind.PRIORITY, priority_reason="老年人")
    staffed(desk, {2: IDLE})
    estimate = TwinEstimator(desk.catalogue).for_ticket(desk.state, mine, desk.at("09:10"))
    assert estimate.minutes == 0  # strict rule: it is called first


def test_with_no_history_the_estimate_starts_from_the_catalogue_with_a_range(desk) -> None:
    for i in range(3):
        desk.issue("enrollment", f"09:0{i}")
    staffed(desk, {2: IDLE})
    estimate = TwinEstimator(desk.catalogue, WaitModel()).for_business(
        desk.state, "enrollment", desk.at("09:10"))
    assert estimate.minutes == round(3 * A / 60)
    assert estimate.low_min is not None and estimate.high_min is not None
    assert estimate.low_min <= estimate.minutes <= estimate.high_min


def test_no_open_window_means_no_estimate(desk) -> None:
    desk.issue("enrollment", "09:00")
    staffed(desk, {3: IDLE})
    estimate = TwinEstimator(desk.catalogue).for_business(desk.state, "enrollment",
                                                          desk.at("09:10"))
    assert (estimate.minutes, estimate.low_min, estimate.windows_open) == (None, None, 0)


def test_one_replay_serves_every_question_about_the_same_state(desk) -> None:
    desk.issue("enrollment", "09:00")
    staffed(desk, {2: IDLE})
    twin = TwinEstimator(desk.catalogue)
    first = twin.forecast(desk.state, desk.at("09:10"))
    assert twin.forecast(desk.state, desk.at("09:10")) is first


def test_green_channel_tickets_still_to_come_go_ahead_of_a_normal_ticket_under_strict(
        make_desk) -> None:
    desk = make_desk(priority_rule=PriorityRule.STRICT)
    for clock in ("09:00", "09:01", "09:02"):
        desk.issue("enrollment", clock)
    staffed(desk, {2: IDLE})
    # One 绿色通道 ticket every 10 minutes until 10:00: at 09:15, 09:25, ... 09:55.
    model = WaitModel(arrivals_per_h={("enrollment", TicketKind.PRIORITY, 9): 6.0})
    twin = TwinEstimator(desk.catalogue, model)
    now = desk.at("09:10")
    # The first waiting ticket is called now; the five arrivals each go before the other two.
    assert twin.raw_new_s(desk.state, "enrollment", now) == pytest.approx(8 * A, abs=1)
    assert TwinEstimator(desk.catalogue).raw_new_s(desk.state, "enrollment", now) == \
        pytest.approx(3 * A, abs=1)
    # A 绿色通道 ticket taken now comes before those that come later.
    assert twin.raw_new_s(desk.state, "enrollment", now, priority=True) == 0
