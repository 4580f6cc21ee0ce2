"""The day's ticket book: waiting lanes in queue order, cheap changes, numbers past 999."""
from __future__ import annotations

from dataclasses import replace

from hall.core import TicketKind, TicketNumber, TicketStatus
from hall.core.ticket_book import COMPACT_AFTER, TicketBook


def test_waiting_tickets_are_kept_per_business_and_kind_in_queue_order(desk) -> None:
    a1 = desk.issue("enrollment", "09:00")
    b1 = desk.issue("info_change", "09:01")
    p1 = desk.issue_priority("enrollment", "09:02")
    a2 = desk.issue("enrollment", "09:03")
    book = desk.state.book
    assert book.lane("enrollment", TicketKind.NORMAL) == (a1.ticket_id, a2.ticket_id)
    assert book.lane("enrollment", TicketKind.PRIORITY) == (p1.ticket_id,)
    assert [t.ticket_id for t in book.waiting_of("enrollment")] == [
        a1.ticket_id, p1.ticket_id, a2.ticket_id]
    assert book.waiting_count("info_change") == 1 and book.position(b1) == 0
    assert book.position(a2) == 2


def test_a_called_ticket_leaves_its_lane_and_a_transfer_keeps_its_place(staffed_desk) -> None:
    desk = staffed_desk
    first = desk.issue("enrollment", "09:00")
    second = desk.issue("enrollment", "09:01")
    desk.call_next(2, "09:05")
    assert desk.state.book.lane("enrollment", TicketKind.NORMAL) == (second.ticket_id,)
    desk.apply(desk.engine.transfer(desk.state, 2, desk.at("09:10"), to_business="enrollment"))
    # Transferred back into the queue with its old place: ahead of the later ticket.
    assert desk.state.book.lane("enrollment", TicketKind.NORMAL) == (
        first.ticket_id, second.ticket_id)


def test_ticket_1000_queues_after_ticket_999() -> None:
    from tests.core.conftest import Desk, build_catalogue
    desk = Desk(build_catalogue())
    desk.state = replace(desk.state, last_sequence={"A": 998})
    t999 = desk.issue("enrollment", "09:00")
    t1000 = desk.issue("enrollment", "09:00")
    assert (str(t999.number), str(t1000.number)) == ("A999", "A1000")
    assert desk.state.book.lane("enrollment", TicketKind.NORMAL) == (
        t999.ticket_id, t1000.ticket_id)
    assert TicketNumber("A1000").sequence == 1000


def test_a_new_state_shares_the_old_tickets_and_tells_what_changed(desk) -> None:
    first = desk.issue("enrollment", "09:00")
    before = desk.state
    second = desk.issue("enrollment", "09:01")
    changed = desk.state.book.changed_since(before.tickets)
    assert changed is not None and [t.ticket_id for t in changed] == [second.ticket_id]
    assert before.tickets.get(second.ticket_id) is None  # the old state is unchanged
    assert desk.state.tickets[first.ticket_id] is first


def test_many_changes_fold_into_a_new_base_with_the_same_contents(desk) -> None:
    issued = [desk.issue("enrollment", "09:00") for _ in range(COMPACT_AFTER + 5)]
    book = desk.state.book
    assert len(book) == len(issued) and set(book) == {t.ticket_id for t in issued}
    assert dict(book) == dict(TicketBook(dict(book)))
    assert book.waiting_count("enrollment") == len(issued)


def test_parked_and_no_show_tickets_are_found_by_their_window(staffed_desk) -> None:
    desk = staffed_desk
    desk.issue("enrollment", "09:00")
    called = desk.call_next(2, "09:01")
    desk.apply(desk.engine.park(desk.state, 2, desk.at("09:02")))
    kept = desk.state.book.kept_at_window(2)
    assert [(t.ticket_id, t.status) for t in kept] == [(called.ticket_id, TicketStatus.PARKED)]
