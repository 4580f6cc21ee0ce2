"""Ending a service at a window: transfer, park and unpark, finish and handle times.

The default test hall has window 1 serving enrollment (A) and info_change (B), window 2
serving enrollment only, and window 3 serving reimbursement (E).
"""
from __future__ import annotations

import pytest

from hall.core import TicketKind, TicketStatus, WindowStatus
from hall.core import events as ev
from hall.core.errors import (
    HallError,
    QueueEmpty,
    TicketNotCallable,
    UnknownBusiness,
    UnknownTicket,
    UnknownWindow,
    WindowNotReady,
)


@pytest.fixture
def serving_a001(staffed_desk):
    """A001 (09:00) in service at window 1 since 09:05; A002 (09:01) and A003 (09:02) wait."""
    desk = staffed_desk
    for clock in ("09:00", "09:01", "09:02"):
        desk.issue("enrollment", clock)
    assert str(desk.call_next(1, "09:05").number) == "A001"
    return desk


# -- transfer -------------------------------------------------------------------------------


def test_a_transfer_to_a_window_puts_the_ticket_back_in_line_for_that_window(serving_a001,
                                                                             at) -> None:
    desk = serving_a001
    desk.transfer(1, "09:10", to_window=2, note="需核对社保卡信息")
    ticket = desk.ticket("A001")
    assert ticket.status is TicketStatus.WAITING
    assert ticket.target_window == 2
    assert ticket.window is None
    assert ticket.transferred_from == 1
    assert ticket.transfer_note == "需核对社保卡信息"
    assert ticket.business == "enrollment"
    assert ticket.issued_at == ticket.queued_at == at("09:00")
    assert desk.events == (ev.TicketTransferred(at("09:10"), ticket, 1, 2, "enrollment"),)
    assert desk.window(1).status is WindowStatus.IDLE
    assert desk.window(1).ticket_id == ""


def test_a_ticket_transferred_to_a_window_is_called_there_ahead_of_later_tickets(
    serving_a001,
) -> None:
    desk = serving_a001
    desk.transfer(1, "09:10", to_window=2)
    assert str(desk.call_next(2, "09:11").number) == "A001"
    assert desk.ticket("A001").window == 2
    assert desk.ticket("A001").staff_id == "YB0102"


def test_only_the_target_window_can_call_a_transferred_ticket(serving_a001) -> None:
    desk = serving_a001
    desk.transfer(1, "09:10", to_window=2)
    # Window 1 also serves enrollment, yet skips A001 for A002.
    assert str(desk.call_next(1, "09:11").number) == "A002"
    with pytest.raises(TicketNotCallable):
        desk.call(1, "A001", "09:12")
    assert desk.ticket("A001").status is TicketStatus.WAITING


def test_a_transferred_priority_ticket_stays_priority(staffed_desk) -> None:
    desk = staffed_desk
    desk.issue("enrollment", "09:00")
    desk.issue_priority("enrollment", "09:01", reason="孕妇")
    assert str(desk.call_next(1, "09:05").number) == "A002"
    desk.issue("enrollment", "09:06")
    desk.transfer(1, "09:10", to_window=2)
    ticket = desk.ticket("A002")
    assert ticket.kind is TicketKind.PRIORITY and ticket.priority_reason == "孕妇"
    assert str(desk.call_next(2, "09:11").number) == "A002"


def test_a_transfer_to_another_business_keeps_the_number(serving_a001, at) -> None:
    desk = serving_a001
    desk.issue("reimbursement", "09:03")
    desk.transfer(1, "09:10", to_business="reimbursement", note="另有票据报销")
    ticket = desk.ticket("A001")
    assert ticket.business == "reimbursement"
    assert str(ticket.number) == "A001"
    assert ticket.target_window is None
    assert ticket.transfer_note == "另有票据报销"
    assert desk.events == (ev.TicketTransferred(at("09:10"), ticket, 1, None, "reimbursement"),)
    # It kept its place from 09:00, so it goes before E001 issued at 09:03.
    assert str(desk.call_next(3, "09:11").number) == "A001"
    assert str(desk.call_next(3, "09:20").number) == "E001"


def test_a_transfer_to_another_business_and_window_needs_that_window_to_serve_it(
    serving_a001,
) -> None:
    desk = serving_a001
    desk.transfer(1, "09:10", to_window=3, to_business="reimbursement")
    ticket = desk.ticket("A001")
    assert (ticket.business, ticket.target_window) == ("reimbursement", 3)


@pytest.mark.parametrize(
    "target, error",
    [
        pytest.param({"to_window": 3}, WindowNotReady, id="window-does-not-serve-business"),
        pytest.param({"to_window": 2, "to_business": "reimbursement"}, WindowNotReady,
                     id="window-does-not-serve-new-business"),
        pytest.param({"to_window": 1}, WindowNotReady, id="its-own-window"),
        pytest.param({"to_window": 9}, UnknownWindow, id="unknown-window"),
        pytest.param({"to_business": "pension"}, UnknownBusiness, id="unknown-business"),
        pytest.param({}, HallError, id="no-target"),
    ],
)
def test_an_impossible_transfer_is_refused(serving_a001, target, error) -> None:
    desk = serving_a001
    before = desk.state
    with pytest.raises(error):
        desk.transfer(1, "09:10", **target)
    assert desk.state is before
    assert desk.ticket("A001").status is TicketStatus.CALLED


def test_a_transfer_needs_a_ticket_in_service(staffed_desk) -> None:
    with pytest.raises(WindowNotReady):
        staffed_desk.transfer(1, "09:10", to_window=2)


# -- park and unpark ------------------------------------------------------------------------


def test_parking_sets_the_ticket_aside_and_frees_the_window(serving_a001, at) -> None:
    desk = serving_a001
    desk.park(1, "09:10")
    ticket = desk.ticket("A001")
    assert ticket.status is TicketStatus.PARKED
    assert ticket.window == 1
    assert desk.events == (ev.TicketParked(at("09:10"), ticket, 1),)
    assert desk.window(1).status is WindowStatus.IDLE
    assert str(desk.call_next(1, "09:11").number) == "A002"


def test_a_parked_ticket_is_never_called_as_next(serving_a001) -> None:
    desk = serving_a001
    desk.park(1, "09:10")
    for clock in ("09:11", "09:12"):
        desk.call_next(2, clock)
    with pytest.raises(QueueEmpty):
        desk.call_next(2, "09:13")
    assert desk.ticket("A001").status is TicketStatus.PARKED


def test_unparking_finishes_the_current_ticket_and_serves_the_parked_one(serving_a001,
                                                                         at) -> None:
    desk = serving_a001
    desk.park(1, "09:10")
    desk.call_next(1, "09:11")
    desk.unpark(1, "A001", "09:20")
    assert desk.event_types() == [ev.TicketFinished, ev.TicketUnparked]
    assert str(desk.events[0].ticket.number) == "A002"
    assert desk.ticket("A002").status is TicketStatus.FINISHED
    ticket = desk.ticket("A001")
    assert ticket.status is TicketStatus.CALLED
    assert desk.events[1] == ev.TicketUnparked(at("09:20"), ticket, 1)
    assert desk.window(1).status is WindowStatus.SERVING
    assert desk.window(1).ticket_id == ticket.ticket_id


@pytest.mark.parametrize(
    "window, number, error",
    [
        pytest.param(2, "A001", TicketNotCallable, id="another-window"),
        pytest.param(1, "A002", TicketNotCallable, id="ticket-not-parked"),
        pytest.param(1, "A099", UnknownTicket, id="unknown-ticket"),
    ],
)
def test_a_ticket_can_only_be_unparked_at_the_window_that_parked_it(serving_a001, window,
                                                                    number, error) -> None:
    desk = serving_a001
    desk.park(1, "09:10")
    with pytest.raises(error):
        desk.unpark(window, number, "09:20")
    assert desk.ticket("A001").status is TicketStatus.PARKED


def test_a_paused_window_cannot_unpark(serving_a001) -> None:
    desk = serving_a001
    desk.park(1, "09:10")
    desk.pause(1, "09:11")
    with pytest.raises(WindowNotReady):
        desk.unpark(1, "A001", "09:20")


# -- finish ---------------------------------------------------------------------------------


def test_finishing_records_the_handle_time_from_the_first_call(serving_a001, at) -> None:
    desk = serving_a001
    desk.recall(1, "09:07")
    desk.finish(1, "09:13")
    ticket = desk.ticket("A001")
    assert ticket.status is TicketStatus.FINISHED
    assert ticket.finished_at == at("09:13")
    assert desk.events == (ev.TicketFinished(at("09:13"), ticket, 1, "YB0101", 8 * 60),)
    assert desk.state.recent_handle_s == {"enrollment": (480,)}
    assert desk.window(1).status is WindowStatus.IDLE
    assert desk.window(1).ticket_id == ""


def test_time_spent_parked_counts_towards_the_handle_time(serving_a001) -> None:
    desk = serving_a001
    desk.park(1, "09:10")
    desk.unpark(1, "A001", "09:30")
    desk.finish(1, "09:35")
    assert desk.events[-1].handle_s == 30 * 60


@pytest.mark.parametrize(
    "items, recorded",
    [
        ((), ("enrollment",)),
        (("enrollment",), ("enrollment",)),
        (("enrollment", "info_change"), ("enrollment", "info_change")),
        (("enrollment", "info_change", "reimbursement"),
         ("enrollment", "info_change", "reimbursement")),
    ],
)
def test_finished_items_default_to_the_ticket_business(serving_a001, items, recorded) -> None:
    desk = serving_a001
    desk.finish(1, "09:10", items=items)
    assert desk.ticket("A001").items == recorded


@pytest.mark.parametrize(
    "memory, minutes, kept_s",
    [
        (1, [1, 2, 3], (180,)),
        (3, [1, 2], (60, 120)),
        (3, [1, 2, 3, 4, 5], (180, 240, 300)),
        (20, [4, 5, 6], (240, 300, 360)),
    ],
)
def test_recent_handle_times_keep_only_the_latest_few(make_staffed_desk, memory, minutes,
                                                      kept_s) -> None:
    desk = make_staffed_desk(handle_time_memory=memory)
    for i in range(len(minutes)):
        desk.issue("enrollment", f"09:{i:02d}")
    for hour, length in enumerate(minutes, start=10):
        desk.call_next(2, f"{hour}:00")
        desk.finish(2, f"{hour}:{length:02d}")
    assert desk.state.recent_handle_s["enrollment"] == kept_s


def test_handle_times_are_kept_per_business(staffed_desk) -> None:
    desk = staffed_desk
    desk.issue("enrollment", "09:00")
    desk.issue("info_change", "09:01")
    desk.issue("reimbursement", "09:02")
    desk.call(1, "B001", "09:10")
    desk.finish(1, "09:13")
    desk.call(2, "A001", "09:10")
    desk.finish(2, "09:20")
    desk.call(3, "E001", "09:10")
    desk.finish(3, "09:22")
    assert desk.state.recent_handle_s == {
        "info_change": (180,), "enrollment": (600,), "reimbursement": (720,)
    }


@pytest.mark.parametrize("window_status", ["closed", "idle", "paused"])
def test_finishing_needs_a_ticket_in_service(desk, window_status) -> None:
    if window_status != "closed":
        desk.sign_in(1, "YB0101")
    if window_status == "paused":
        desk.pause(1, "09:00")
    with pytest.raises(WindowNotReady):
        desk.finish(1, "09:10")
