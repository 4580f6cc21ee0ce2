"""Calling: who a window calls next, calling a given ticket, recalls, no-shows and re-queues.

The default test hall has window 1 serving enrollment (A) and info_change (B), window 2
serving enrollment only, and window 3 serving reimbursement (E).
"""
from __future__ import annotations

import pytest

from hall.core import (
    CallRecord,
    PauseReason,
    PriorityRule,
    TicketKind,
    TicketNumber,
    TicketStatus,
    WindowStatus,
)
from hall.core import events as ev
from hall.core.errors import (
    GracePeriodRunning,
    QueueEmpty,
    TicketNotCallable,
    UnknownTicket,
    UnknownWindow,
    WindowNotReady,
)

N, P = TicketKind.NORMAL, TicketKind.PRIORITY
STRICT, INTERLEAVE = PriorityRule.STRICT, PriorityRule.INTERLEAVE


def issue_all(desk, tickets) -> None:
    for kind, business, clock in tickets:
        desk.issue(business, clock, kind=kind)


def call_until_empty(desk, window: int, start_minute: int = 30) -> list[str]:
    called = []
    for minute in range(start_minute, 60):
        try:
            called.append(str(desk.call_next(window, f"10:{minute:02d}").number))
        except QueueEmpty:
            return called
    raise AssertionError("the queue never emptied")


# -- by skills and by wait ------------------------------------------------------------------


@pytest.mark.parametrize("window, expected", [(1, "B001"), (2, "A001"), (3, "E001")])
def test_a_window_calls_the_longest_waiting_ticket_it_serves(staffed_desk, window,
                                                             expected) -> None:
    desk = staffed_desk
    issue_all(desk, [(N, "reimbursement", "09:00"), (N, "info_change", "09:01"),
                     (N, "enrollment", "09:02")])
    assert str(desk.call_next(window, "09:10").number) == expected


def test_a_window_never_calls_a_business_it_does_not_serve(staffed_desk) -> None:
    desk = staffed_desk
    issue_all(desk, [(N, "reimbursement", "09:00"), (N, "info_change", "09:01")])
    with pytest.raises(QueueEmpty) as err:
        desk.call_next(2, "09:10")
    assert err.value.fields == {"window": 2}
    assert err.value.code == "queue_empty"
    assert all(t.status is TicketStatus.WAITING for t in desk.state.tickets.values())


@pytest.mark.parametrize(
    "rule, interleave_every, tickets, call_order",
    [
        pytest.param(
            STRICT, 3,
            [(N, "enrollment", "09:00"), (N, "info_change", "09:01"), (N, "enrollment", "09:02")],
            ["A001", "B001", "A002"],
            id="normal-tickets-by-wait-across-businesses"),
        pytest.param(
            STRICT, 3,
            [(N, "enrollment", "09:00"), (N, "enrollment", "09:01"), (P, "info_change", "09:02"),
             (P, "enrollment", "09:03")],
            ["B001", "A003", "A001", "A002"],
            id="strict-all-priority-first-each-by-wait"),
        pytest.param(
            STRICT, 3,
            [(P, "enrollment", "09:00"), (N, "enrollment", "09:01"), (P, "enrollment", "09:02")],
            ["A001", "A003", "A002"],
            id="strict-later-priority-overtakes-normal"),
        pytest.param(
            INTERLEAVE, 3,
            [(N, "enrollment", "09:00"), (N, "enrollment", "09:01"), (N, "enrollment", "09:02"),
             (N, "enrollment", "09:03"), (P, "info_change", "09:10"),
             (P, "info_change", "09:11")],
            ["A001", "A002", "B001", "A003", "A004", "B002"],
            id="interleave-3-one-priority-after-two-normal"),
        pytest.param(
            INTERLEAVE, 2,
            [(N, "enrollment", "09:00"), (N, "enrollment", "09:01"), (N, "enrollment", "09:02"),
             (P, "info_change", "09:10"), (P, "info_change", "09:11")],
            ["A001", "B001", "A002", "B002", "A003"],
            id="interleave-2-alternates"),
        pytest.param(
            INTERLEAVE, 4,
            [(N, "enrollment", "09:00"), (N, "enrollment", "09:01"), (N, "enrollment", "09:02"),
             (N, "enrollment", "09:03"), (N, "enrollment", "09:04"),
             (P, "info_change", "09:10")],
            ["A001", "A002", "A003", "B001", "A004", "A005"],
            id="interleave-4-one-priority-after-three-normal"),
        pytest.param(
            INTERLEAVE, 3,
            [(P, "info_change", "09:00"), (N, "enrollment", "09:01"),
             (N, "enrollment", "09:02")],
            ["B001", "A001", "A002"],
            id="interleave-priority-older-than-head-normal-goes-first"),
        pytest.param(
            INTERLEAVE, 3,
            [(N, "enrollment", "09:00"), (P, "info_change", "09:00"),
             (N, "enrollment", "09:01")],
            ["B001", "A001", "A002"],
            id="interleave-priority-as-old-as-head-normal-goes-first"),
        pytest.param(
            INTERLEAVE, 3,
            [(P, "info_change", "09:00"), (P, "enrollment", "09:01"),
             (P, "info_change", "09:02")],
            ["B001", "A001", "B002"],
            id="interleave-only-priority-by-wait"),
        pytest.param(
            INTERLEAVE, 3,
            [(N, "enrollment", "09:00"), (N, "enrollment", "09:01"),
             (P, "info_change", "09:02"), (N, "enrollment", "09:03"), (N, "enrollment", "09:04"),
             (P, "info_change", "09:05")],
            ["A001", "A002", "B001", "A003", "A004", "B002"],
            id="interleave-3-repeats"),
    ],
)
def test_one_window_calls_in_the_order_the_priority_rule_gives(
    make_staffed_desk, rule, interleave_every, tickets, call_order
) -> None:
    desk = make_staffed_desk(priority_rule=rule, interleave_every=interleave_every)
    issue_all(desk, tickets)
    assert call_until_empty(desk, 1) == call_order


def test_interleave_calls_a_late_priority_ticket_at_once_after_enough_normal_calls(
    make_staffed_desk,
) -> None:
    desk = make_staffed_desk(priority_rule=INTERLEAVE, interleave_every=3)
    issue_all(desk, [(N, "enrollment", "09:00"), (N, "enrollment", "09:01"),
                     (N, "enrollment", "09:02")])
    desk.call_next(1, "09:10")
    desk.call_next(1, "09:20")
    desk.issue_priority("info_change", "09:25")
    assert str(desk.call_next(1, "09:30").number) == "B001"
    assert desk.window(1).calls_since_priority == 0
    assert str(desk.call_next(1, "09:40").number) == "A003"


def test_interleave_counts_normal_calls_per_window(make_staffed_desk) -> None:
    desk = make_staffed_desk(priority_rule=INTERLEAVE, interleave_every=3)
    issue_all(desk, [(N, "enrollment", "09:00"), (N, "enrollment", "09:01"),
                     (N, "enrollment", "09:02"), (N, "enrollment", "09:03")])
    desk.call_next(1, "09:10")
    desk.call_next(1, "09:11")
    desk.issue_priority("enrollment", "09:12")
    # Window 2 has made no normal call yet, so its next normal ticket still goes first.
    assert str(desk.call_next(2, "09:13").number) == "A003"
    assert str(desk.call_next(1, "09:14").number) == "A005"


# -- who may call ---------------------------------------------------------------------------


def test_an_empty_queue_raises_queue_empty(staffed_desk) -> None:
    with pytest.raises(QueueEmpty):
        staffed_desk.call_next(1, "09:00")


def test_a_paused_window_cannot_call(staffed_desk) -> None:
    desk = staffed_desk
    desk.issue("enrollment", "09:00")
    desk.pause(1, "09:01", PauseReason.LUNCH)
    with pytest.raises(WindowNotReady):
        desk.call_next(1, "09:02")
    with pytest.raises(WindowNotReady):
        desk.call(1, "A001", "09:02")
    assert desk.ticket("A001").status is TicketStatus.WAITING


def test_a_closed_window_cannot_call(desk) -> None:
    desk.issue("enrollment", "09:00")
    with pytest.raises(WindowNotReady):
        desk.call_next(1, "09:01")
    with pytest.raises(UnknownWindow):
        desk.call_next(9, "09:01")


def test_calling_fills_in_the_ticket_the_window_and_the_call_board(staffed_desk, at) -> None:
    desk = staffed_desk
    desk.issue("enrollment", "09:00")
    ticket = desk.call_next(2, "09:05")
    assert ticket.status is TicketStatus.CALLED
    assert (ticket.window, ticket.staff_id) == (2, "YB0102")
    assert ticket.first_called_at == ticket.called_at == at("09:05")
    assert ticket.call_count == 1
    assert desk.events == (ev.TicketCalled(at("09:05"), ticket, 2),)
    assert desk.window(2).status is WindowStatus.SERVING
    assert desk.window(2).ticket_id == ticket.ticket_id
    assert desk.state.recent_calls == (
        CallRecord(TicketNumber("A001"), 2, "enrollment", at("09:05"), is_recall=False),
    )


def test_calling_next_finishes_the_current_ticket_first(staffed_desk, at) -> None:
    desk = staffed_desk
    desk.issue("enrollment", "09:00")
    desk.issue("enrollment", "09:01")
    desk.call_next(2, "09:05")
    second = desk.call_next(2, "09:12")
    assert desk.event_types() == [ev.TicketFinished, ev.TicketCalled]
    finished = desk.events[0]
    assert str(finished.ticket.number) == "A001"
    assert (finished.window, finished.staff_id, finished.handle_s) == (2, "YB0102", 7 * 60)
    assert desk.ticket("A001").status is TicketStatus.FINISHED
    assert desk.ticket("A001").finished_at == at("09:12")
    assert desk.window(2).ticket_id == second.ticket_id


def test_an_empty_queue_leaves_the_current_ticket_in_service(staffed_desk) -> None:
    desk = staffed_desk
    desk.issue("enrollment", "09:00")
    desk.call_next(2, "09:05")
    with pytest.raises(QueueEmpty):
        desk.call_next(2, "09:10")
    assert desk.ticket("A001").status is TicketStatus.CALLED
    assert desk.window(2).status is WindowStatus.SERVING


def test_the_call_board_keeps_the_ten_latest_calls_newest_first(staffed_desk) -> None:
    desk = staffed_desk
    for i in range(12):
        desk.issue("enrollment", f"09:{i:02d}")
    for i in range(12):
        desk.call_next(2, f"10:{i:02d}")
    assert [str(r.number) for r in desk.state.recent_calls] == [
        f"A{n:03d}" for n in range(12, 2, -1)
    ]


# -- calling a given ticket -----------------------------------------------------------------


def test_a_window_can_call_a_given_ticket_out_of_turn(staffed_desk) -> None:
    desk = staffed_desk
    for clock in ("09:00", "09:01", "09:02"):
        desk.issue("enrollment", clock)
    assert str(desk.call(2, "A003", "09:10").number) == "A003"
    assert desk.ticket("A003").status is TicketStatus.CALLED
    assert str(desk.call_next(2, "09:20").number) == "A001"
    assert desk.event_types() == [ev.TicketFinished, ev.TicketCalled]


@pytest.mark.parametrize(
    "number, window, error",
    [
        pytest.param("A099", 2, UnknownTicket, id="unknown-ticket"),
        pytest.param("A001", 2, TicketNotCallable, id="called-elsewhere"),
        pytest.param("A002", 2, TicketNotCallable, id="finished"),
        pytest.param("E001", 2, TicketNotCallable, id="window-does-not-serve-it"),
        pytest.param("B001", 2, TicketNotCallable, id="info-change-not-at-window-2"),
    ],
)
def test_calling_a_given_ticket_is_refused_unless_it_waits_for_this_window(
    staffed_desk, number, window, error
) -> None:
    desk = staffed_desk
    desk.issue("enrollment", "09:00")
    desk.issue("enrollment", "09:01")
    desk.issue("info_change", "09:02")
    desk.issue("reimbursement", "09:03")
    desk.call(1, "A002", "09:05")
    desk.call(1, "A001", "09:10")  # finishes A002, A001 now in service at window 1
    before = desk.state
    with pytest.raises(error):
        desk.call(window, number, "09:15")
    assert desk.state is before


# -- recall ---------------------------------------------------------------------------------


def test_a_recalled_ticket_keeps_its_position_and_counts_the_call(staffed_desk, at) -> None:
    desk = staffed_desk
    desk.issue("enrollment", "09:00")
    desk.issue("enrollment", "09:01")
    desk.call_next(2, "09:05")
    desk.recall(2, "09:06")
    ticket = desk.ticket("A001")
    assert ticket.call_count == 2
    assert ticket.called_at == at("09:06")
    assert ticket.first_called_at == at("09:05")
    assert ticket.issued_at == ticket.queued_at == at("09:00")
    assert ticket.status is TicketStatus.CALLED
    assert desk.events == (ev.TicketRecalled(at("09:06"), ticket, 2),)
    assert [(str(r.number), r.is_recall) for r in desk.state.recent_calls] == [
        ("A001", True), ("A001", False)
    ]
    assert desk.window(2).ticket_id == ticket.ticket_id
    assert desk.ticket("A002").status is TicketStatus.WAITING


def test_recalling_needs_a_ticket_in_service(staffed_desk) -> None:
    with pytest.raises(WindowNotReady):
        staffed_desk.recall(1, "09:00")


# -- no-show and re-queue -------------------------------------------------------------------


@pytest.mark.parametrize(
    "after_first_call, remaining_s",
    [
        ("09:00:00", 120),
        ("09:01:00", 60),
        ("09:01:59", 1),
        ("09:01:59.500000", 1),
    ],
)
def test_a_no_show_is_refused_during_the_grace_period_with_the_seconds_remaining(
    staffed_desk, after_first_call, remaining_s
) -> None:
    desk = staffed_desk
    desk.issue("enrollment", "08:58")
    desk.call_next(2, "09:00")
    with pytest.raises(GracePeriodRunning) as err:
        desk.no_show(2, after_first_call)
    assert err.value.fields == {"remaining_s": remaining_s}
    assert err.value.code == "grace_period_running"
    assert desk.ticket("A001").status is TicketStatus.CALLED


@pytest.mark.parametrize("clock", ["09:02:00", "09:02:01", "09:30"])
def test_a_no_show_is_recorded_once_the_grace_period_is_over(staffed_desk, at, clock) -> None:
    desk = staffed_desk
    desk.issue("enrollment", "08:58")
    desk.call_next(2, "09:00")
    desk.no_show(2, clock)
    ticket = desk.ticket("A001")
    assert ticket.status is TicketStatus.NO_SHOW
    assert desk.events == (ev.TicketMarkedNoShow(at(clock), ticket, 2),)
    assert desk.window(2).status is WindowStatus.IDLE
    assert desk.window(2).ticket_id == ""


@pytest.mark.parametrize("grace_s, clock, allowed", [(0, "09:00", True), (300, "09:04:59", False),
                                                      (300, "09:05", True)])
def test_the_grace_period_follows_the_calling_rules(make_staffed_desk, grace_s, clock,
                                                    allowed) -> None:
    desk = make_staffed_desk(no_show_grace_s=grace_s)
    desk.issue("enrollment", "08:58")
    desk.call_next(2, "09:00")
    if allowed:
        desk.no_show(2, clock)
    else:
        with pytest.raises(GracePeriodRunning):
            desk.no_show(2, clock)


def test_a_recall_does_not_restart_the_grace_period(staffed_desk) -> None:
    desk = staffed_desk
    desk.issue("enrollment", "08:58")
    desk.call_next(2, "09:00")
    desk.recall(2, "09:01:30")
    desk.no_show(2, "09:02")
    assert desk.ticket("A001").status is TicketStatus.NO_SHOW


def test_a_requeued_no_show_goes_to_the_back_of_the_queue(staffed_desk, at) -> None:
    desk = staffed_desk
    desk.issue("enrollment", "09:00")
    desk.issue("enrollment", "09:01")
    desk.call_next(2, "09:02")
    desk.no_show(2, "09:05")
    desk.requeue("A001", "09:10")
    ticket = desk.ticket("A001")
    assert ticket.status is TicketStatus.WAITING
    assert ticket.queued_at == at("09:10")
    assert ticket.issued_at == at("09:00")
    assert ticket.window is None and ticket.target_window is None
    assert desk.events == (ev.TicketRequeued(at("09:10"), ticket),)

    desk.issue("enrollment", "09:11")
    assert call_until_empty(desk, 2) == ["A002", "A001", "A003"]


@pytest.mark.parametrize("status", ["waiting", "called", "parked", "finished"])
def test_only_a_no_show_can_be_requeued(staffed_desk, status) -> None:
    desk = staffed_desk
    desk.issue("enrollment", "09:00")
    if status != "waiting":
        desk.call_next(2, "09:01")
    if status == "parked":
        desk.park(2, "09:02")
    if status == "finished":
        desk.finish(2, "09:02")
    with pytest.raises(TicketNotCallable) as err:
        desk.requeue("A001", "09:10")
    assert err.value.fields == {"number": "A001", "status": status}


def test_requeueing_an_unknown_ticket_is_refused(staffed_desk) -> None:
    with pytest.raises(UnknownTicket):
        staffed_desk.requeue("A042", "09:00")


@pytest.mark.parametrize("how", ["requeued-after-no-show", "transferred-to-another-window"])
def test_a_ticket_called_again_at_a_new_turn_gets_a_fresh_grace_period(staffed_desk,
                                                                      how) -> None:
    desk = staffed_desk
    desk.issue("enrollment", "09:00")
    desk.call_next(1, "09:05")
    if how == "requeued-after-no-show":
        desk.no_show(1, "09:08")
        desk.requeue("A001", "09:30")
    else:
        desk.transfer(1, "09:08", to_window=2, note="需到2号窗口补录")
    desk.call_next(2, "10:00")
    # The citizen has had 30 s to walk to window 2, not the full 120 s grace period.
    with pytest.raises(GracePeriodRunning):
        desk.no_show(2, "10:00:30")
