"""Windows and their clerks: signing in and out, pausing and resuming."""
from __future__ import annotations

import pytest

from hall.core import PauseReason, WindowState, WindowStatus
from hall.core import events as ev
from hall.core.errors import UnknownStaff, UnknownWindow, WindowNotReady

# -- signing in -----------------------------------------------------------------------------


def test_signing_in_opens_the_window_for_that_clerk(desk, at) -> None:
    desk.sign_in(2, "YB0102", "08:55")
    assert desk.events == (ev.StaffSignedIn(at("08:55"), 2, "YB0102"),)
    assert desk.window(2) == WindowState(2, WindowStatus.IDLE, staff_id="YB0102",
                                         since=at("08:55"))


def test_a_window_nobody_signed_in_to_is_closed(desk) -> None:
    assert desk.window(1).status is WindowStatus.CLOSED


@pytest.mark.parametrize(
    "window, staff_id, error",
    [(1, "YB9999", UnknownStaff), (9, "YB0101", UnknownWindow), (0, "YB0101", UnknownWindow)],
)
def test_signing_in_with_an_unknown_clerk_or_window_is_refused(desk, window, staff_id,
                                                               error) -> None:
    with pytest.raises(error):
        desk.sign_in(window, staff_id)
    assert desk.state.windows == {}


def test_the_same_clerk_cannot_sign_in_at_two_windows(desk) -> None:
    desk.sign_in(1, "YB0101")
    with pytest.raises(WindowNotReady) as err:
        desk.sign_in(2, "YB0101", "09:00")
    assert err.value.fields == {"window": 1}
    assert desk.window(2).status is WindowStatus.CLOSED


def test_a_second_clerk_cannot_take_an_occupied_window(desk) -> None:
    desk.sign_in(1, "YB0101")
    with pytest.raises(WindowNotReady):
        desk.sign_in(1, "YB0102", "09:00")
    assert desk.window(1).staff_id == "YB0101"


@pytest.mark.parametrize("window_status", ["idle", "paused", "serving"])
def test_signing_in_again_at_the_same_window_changes_nothing(desk, window_status) -> None:
    desk.sign_in(1, "YB0101", "08:55")
    if window_status == "paused":
        desk.pause(1, "09:00", PauseReason.MEETING)
    elif window_status == "serving":
        desk.issue("enrollment", "09:00")
        desk.call_next(1, "09:01")
    before = desk.state
    desk.sign_in(1, "YB0101", "09:30")
    assert desk.events == ()
    assert desk.state == before
    assert desk.window(1).status is WindowStatus(window_status)


def test_after_signing_out_the_clerk_may_sign_in_elsewhere(desk) -> None:
    desk.sign_in(1, "YB0101", "08:55")
    desk.sign_out(1, "10:00")
    desk.sign_in(2, "YB0101", "10:05")
    assert desk.window(2).staff_id == "YB0101"
    assert desk.window(1).staff_id == ""


# -- signing out ----------------------------------------------------------------------------


@pytest.mark.parametrize("window_status", ["idle", "paused"])
def test_signing_out_closes_the_window(desk, at, window_status) -> None:
    desk.sign_in(3, "YB0103", "08:55")
    if window_status == "paused":
        desk.pause(3, "11:55", PauseReason.LUNCH)
    desk.sign_out(3, "12:00")
    assert desk.events == (ev.StaffSignedOut(at("12:00"), 3, "YB0103"),)
    assert desk.window(3) == WindowState(3, WindowStatus.CLOSED, since=at("12:00"))


def test_a_clerk_cannot_sign_out_while_serving(staffed_desk) -> None:
    desk = staffed_desk
    desk.issue("enrollment", "09:00")
    desk.call_next(2, "09:01")
    with pytest.raises(WindowNotReady):
        desk.sign_out(2, "09:02")
    assert desk.window(2).status is WindowStatus.SERVING
    desk.finish(2, "09:05")
    desk.sign_out(2, "09:06")
    assert desk.window(2).status is WindowStatus.CLOSED


@pytest.mark.parametrize("window, error", [(1, WindowNotReady), (9, UnknownWindow)])
def test_signing_out_a_closed_or_unknown_window_is_refused(desk, window, error) -> None:
    with pytest.raises(error):
        desk.sign_out(window, "09:00")


# -- pausing and resuming -------------------------------------------------------------------


@pytest.mark.parametrize("reason", list(PauseReason))
def test_a_window_pauses_with_a_reason_and_resumes_idle(staffed_desk, at, reason) -> None:
    desk = staffed_desk
    desk.pause(1, "10:00", reason)
    assert desk.events == (ev.WindowPaused(at("10:00"), 1, reason),)
    assert desk.window(1).status is WindowStatus.PAUSED
    assert desk.window(1).pause_reason is reason
    assert desk.window(1).since == at("10:00")
    assert desk.window(1).staff_id == "YB0101"

    desk.resume(1, "10:15")
    assert desk.events == (ev.WindowResumed(at("10:15"), 1),)
    assert desk.window(1).status is WindowStatus.IDLE
    assert desk.window(1).pause_reason is None
    assert desk.window(1).since == at("10:15")


def test_a_paused_window_can_change_its_pause_reason(staffed_desk) -> None:
    desk = staffed_desk
    desk.pause(1, "11:50", PauseReason.AWAY)
    desk.pause(1, "12:00", PauseReason.LUNCH)
    assert desk.window(1).pause_reason is PauseReason.LUNCH


def test_a_window_cannot_pause_while_serving(staffed_desk) -> None:
    desk = staffed_desk
    desk.issue("enrollment", "09:00")
    desk.call_next(1, "09:01")
    with pytest.raises(WindowNotReady):
        desk.pause(1, "09:02", PauseReason.AWAY)
    assert desk.window(1).status is WindowStatus.SERVING


def test_a_window_may_pause_once_its_ticket_is_parked(staffed_desk) -> None:
    desk = staffed_desk
    desk.issue("enrollment", "09:00")
    desk.call_next(1, "09:01")
    desk.park(1, "09:05")
    desk.pause(1, "09:06", PauseReason.SYSTEM_FAULT)
    assert desk.window(1).status is WindowStatus.PAUSED


@pytest.mark.parametrize("window_status", ["closed", "idle"])
def test_only_a_paused_window_can_resume(desk, window_status) -> None:
    if window_status == "idle":
        desk.sign_in(1, "YB0101")
    with pytest.raises(WindowNotReady):
        desk.resume(1, "09:00")


def test_a_closed_window_cannot_pause(desk) -> None:
    with pytest.raises(WindowNotReady):
        desk.pause(1, "09:00", PauseReason.AWAY)
