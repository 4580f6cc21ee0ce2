"""Wait estimates: people ahead x mean handle time / the capacity of open windows.

The default test hall: window 1 serves enrollment and info_change (so gives each half its
time), window 2 serves enrollment only, window 3 serves reimbursement. Enrollment takes
600 s (10 min) typically, info_change 300 s.
"""
from __future__ import annotations

from dataclasses import replace

import pytest

from hall.core import (
    PriorityRule,
    QueueLengthEstimator,
    TicketKind,
    WaitEstimate,
    WindowState,
    WindowStatus,
)

IDLE, SERVING, PAUSED, CLOSED = (WindowStatus.IDLE, WindowStatus.SERVING, WindowStatus.PAUSED,
                                 WindowStatus.CLOSED)


def with_windows(state, statuses: dict[int, WindowStatus]):
    """The state with windows set to the given statuses; the estimator only reads status."""
    windows = {n: WindowState(n, status, staff_id=f"YB010{n}" if status is not CLOSED else "")
               for n, status in statuses.items()}
    return replace(state, windows=windows)


@pytest.fixture
def three_waiting_for_enrollment(desk):
    for clock in ("09:00", "09:01", "09:02"):
        desk.issue("enrollment", clock)
    desk.issue("info_change", "09:03")
    desk.issue("reimbursement", "09:04")
    return desk


@pytest.mark.parametrize(
    "windows, windows_open, minutes",
    [
        pytest.param({}, 0, None, id="no-window-open"),
        pytest.param({3: IDLE}, 0, None, id="only-a-window-of-another-business"),
        pytest.param({1: CLOSED, 2: PAUSED}, 0, None, id="closed-and-paused-do-not-count"),
        pytest.param({2: IDLE}, 1, 30, id="one-dedicated-window"),
        pytest.param({1: IDLE}, 1, 60, id="one-shared-window-gives-half-capacity"),
        pytest.param({1: IDLE, 2: IDLE}, 2, 20, id="dedicated-plus-shared"),
        pytest.param({1: PAUSED, 2: IDLE}, 1, 30, id="paused-shared-window-ignored"),
        pytest.param({1: SERVING, 2: IDLE}, 2, 20, id="serving-counts-as-open"),
        pytest.param({2: SERVING}, 1, 35, id="all-busy-adds-half-a-service"),
        pytest.param({1: SERVING, 2: SERVING}, 2, 24, id="all-busy-shared"),
        pytest.param({1: IDLE, 2: IDLE, 3: IDLE}, 2, 20, id="other-business-window-ignored"),
    ],
)
def test_the_business_estimate_counts_only_open_windows_serving_it(
    three_waiting_for_enrollment, at, windows, windows_open, minutes
) -> None:
    desk = three_waiting_for_enrollment
    estimator = QueueLengthEstimator(desk.catalogue)
    state = with_windows(desk.state, windows)
    assert estimator.for_business(state, "enrollment", at("09:10")) == WaitEstimate(
        people_ahead=3, minutes=minutes, windows_open=windows_open
    )


@pytest.mark.parametrize(
    "window_status, minutes", [(IDLE, 0), (SERVING, 5)]
)
def test_an_empty_queue_waits_only_for_a_busy_window(desk, at, window_status, minutes) -> None:
    estimator = QueueLengthEstimator(desk.catalogue)
    state = with_windows(desk.state, {2: window_status})
    assert estimator.for_business(state, "enrollment", at("09:10")) == WaitEstimate(0, minutes, 1)


@pytest.mark.parametrize(
    "recent, minutes",
    [
        pytest.param({}, 30, id="typical-time-when-nothing-finished"),
        pytest.param({"enrollment": (120, 240)}, 9, id="mean-of-recent-times"),
        pytest.param({"enrollment": (1200,)}, 60, id="one-slow-service"),
        pytest.param({"info_change": (30,)}, 30, id="other-business-times-ignored"),
        pytest.param({"enrollment": (61,)}, 4, id="rounded-up-to-the-minute"),
    ],
)
def test_recent_handle_times_replace_the_typical_time(three_waiting_for_enrollment, at, recent,
                                                      minutes) -> None:
    desk = three_waiting_for_enrollment
    estimator = QueueLengthEstimator(desk.catalogue)
    state = replace(with_windows(desk.state, {2: IDLE}), recent_handle_s=recent)
    assert estimator.for_business(state, "enrollment", at("09:10")).minutes == minutes


def test_finishing_services_changes_the_estimate(staffed_desk, at) -> None:
    desk = staffed_desk
    desk.sign_out(1, "08:56")
    for clock in ("09:00", "09:01", "09:02", "09:03"):
        desk.issue("enrollment", clock)
    estimator = QueueLengthEstimator(desk.catalogue)
    assert estimator.for_business(desk.state, "enrollment", at("09:04")) == WaitEstimate(4, 40, 1)
    desk.call_next(2, "09:05")
    desk.call_next(2, "09:07")  # A001 took 2 minutes
    desk.finish(2, "09:09")  # A002 took 2 minutes
    assert estimator.mean_handle_s(desk.state, "enrollment") == 120
    assert estimator.for_business(desk.state, "enrollment", at("09:09")) == WaitEstimate(2, 4, 1)


def _ticket_queue(desk):
    """A001 09:00, A002 09:01, A003 priority 09:02, A004 09:03 wait; B001 is another business."""
    desk.issue("info_change", "08:59")
    desk.issue("enrollment", "09:00")
    desk.issue("enrollment", "09:01")
    desk.issue("enrollment", "09:02", kind=TicketKind.PRIORITY, priority_reason="孕妇")
    desk.issue("enrollment", "09:03")
    desk.state = with_windows(desk.state, {2: IDLE})


@pytest.mark.parametrize(
    "rule, number, ahead",
    [
        (PriorityRule.STRICT, "A001", 1),
        (PriorityRule.STRICT, "A002", 2),
        (PriorityRule.STRICT, "A003", 0),
        (PriorityRule.STRICT, "A004", 3),
        (PriorityRule.INTERLEAVE, "A001", 0),
        (PriorityRule.INTERLEAVE, "A002", 1),
        (PriorityRule.INTERLEAVE, "A003", 2),
        (PriorityRule.INTERLEAVE, "A004", 3),
    ],
)
def test_a_ticket_estimate_counts_the_people_ahead_of_it(make_desk, at, rule, number,
                                                         ahead) -> None:
    desk = make_desk(priority_rule=rule)
    _ticket_queue(desk)
    estimator = QueueLengthEstimator(desk.catalogue)
    estimate = estimator.for_ticket(desk.state, desk.ticket(number), at("09:10"))
    assert estimate == WaitEstimate(people_ahead=ahead, minutes=ahead * 10, windows_open=1)


def test_a_ticket_already_called_has_nobody_ahead(staffed_desk, at) -> None:
    desk = staffed_desk
    desk.issue("enrollment", "09:00")
    desk.issue("enrollment", "09:01")
    desk.call_next(2, "09:05")
    estimator = QueueLengthEstimator(desk.catalogue)
    assert estimator.for_ticket(desk.state, desk.ticket("A001"), at("09:06")).people_ahead == 0


def test_a_ticket_estimate_is_unknown_when_no_window_serves_it_now(desk, at) -> None:
    desk.issue("reimbursement", "09:00")
    estimator = QueueLengthEstimator(desk.catalogue)
    assert estimator.for_ticket(desk.state, desk.ticket("E001"), at("09:05")) == WaitEstimate(
        0, None, 0
    )
