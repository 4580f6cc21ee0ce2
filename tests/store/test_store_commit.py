"""Committing the engine's outcomes: what is loaded equals what was committed, or nothing is."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from hall.core import HallState, QueueEngine, TicketNumber, TicketStatus, WindowState, WindowStatus
from hall.core import events as ev
from hall.store import SqliteStore
from tests.store.store_support import DAY, REALISTIC_DAY, Hall, at, counts, snapshot

NEXT_DAY = DAY + timedelta(days=1)


# -- round trips ----------------------------------------------------------------------------


def test_a_realistic_day_loads_back_equal_to_the_engine_state(busy_hall: Hall) -> None:
    state = busy_hall.state
    # The day really exercised what the store must keep.
    assert {t.status for t in state.tickets.values()} >= {
        TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.PARKED, TicketStatus.FINISHED,
        TicketStatus.NO_SHOW}
    assert {w.status for w in state.windows.values()} >= {WindowStatus.SERVING,
                                                           WindowStatus.PAUSED}
    assert any(c.is_recall for c in state.recent_calls)
    assert state.recent_handle_s and state.recent_calls and state.last_sequence
    assert any(t.transferred_from for t in state.tickets.values())
    assert busy_hall.store.load() == state


def test_a_realistic_day_loads_back_equal_after_reopening_the_file(
        busy_hall: Hall, open_store: Callable[[], SqliteStore]) -> None:
    busy_hall.store.close()
    reopened = open_store()
    loaded = reopened.load()
    assert loaded == busy_hall.state
    assert loaded is not None
    assert loaded.recent_calls == busy_hall.state.recent_calls
    assert loaded.recent_handle_s == busy_hall.state.recent_handle_s
    assert loaded.last_sequence == busy_hall.state.last_sequence


def test_the_stored_state_equals_the_engine_state_after_every_command(hall: Hall) -> None:
    assert hall.store.load() == hall.state
    for step, _ in zip(REALISTIC_DAY, hall.steps(REALISTIC_DAY), strict=True):
        assert hall.store.load() == hall.state, f"after {step[0]}{step[1]} at {step[2]}"


@pytest.mark.parametrize("restart_after", [1, 10, 15, 22])
def test_a_day_continued_after_a_restart_ends_as_if_never_interrupted(
        engine: QueueEngine, hall: Hall, open_store: Callable[[], SqliteStore],
        restart_after: int) -> None:
    reference = engine.new_day(at("08:30"))
    for command, args, clock, kw in REALISTIC_DAY:
        reference = getattr(engine, command)(reference, *args, at(clock), **kw).state

    hall.play(REALISTIC_DAY[:restart_after])
    hall.store.close()
    resumed = Hall.resume(engine, open_store())
    resumed.play(REALISTIC_DAY[restart_after:])
    assert resumed.state == reference
    assert resumed.store.load() == reference


def test_a_loaded_state_carries_aware_times_at_the_same_instants(busy_hall: Hall) -> None:
    loaded = busy_hall.store.load()
    assert loaded is not None
    for ticket in loaded.tickets.values():
        original = busy_hall.state.tickets[ticket.ticket_id]
        assert ticket.issued_at.utcoffset() == timedelta(hours=8)
        assert ticket.issued_at == original.issued_at
        assert ticket.called_at == original.called_at


def test_a_new_hall_loads_as_none_until_its_first_commit(store: SqliteStore,
                                                             engine: QueueEngine) -> None:
    assert store.load() is None
    state = engine.new_day(at("08:30"))
    store.commit(None, state, (), at("08:30"))
    assert store.load() == HallState(service_day=DAY)


# -- day rollover ---------------------------------------------------------------------------


def test_a_day_rollover_keeps_yesterdays_tickets_as_history(busy_hall: Hall) -> None:
    yesterday = dict(busy_hall.state.tickets)
    open_before = {tid for tid, t in yesterday.items() if t.status.is_open}
    assert open_before, "the realistic day leaves tickets open at its end"

    busy_hall.run("open_hall", now=at("08:50", NEXT_DAY))

    history = {t.ticket_id: t for t in busy_hall.store.tickets_of_day(DAY)}
    assert set(history) == set(yesterday)
    for tid, ticket in history.items():
        expected = TicketStatus.EXPIRED if tid in open_before else yesterday[tid].status
        assert ticket.status is expected, tid
    assert busy_hall.store.count_tickets() == len(yesterday)


def test_after_a_rollover_load_returns_the_new_day_with_no_tickets(busy_hall: Hall) -> None:
    busy_hall.run("open_hall", now=at("08:50", NEXT_DAY))
    loaded = busy_hall.store.load()
    assert loaded == busy_hall.state
    assert loaded is not None
    assert (loaded.service_day, dict(loaded.tickets), dict(loaded.last_sequence)) == (
        NEXT_DAY, {}, {})
    assert loaded.recent_calls == ()
    assert all(w.status is WindowStatus.CLOSED and not w.ticket_id
               for w in loaded.windows.values())


def test_numbers_restart_at_a001_on_the_new_day(busy_hall: Hall) -> None:
    assert busy_hall.state.last_sequence["A"] > 1
    busy_hall.run("open_hall", now=at("08:50", NEXT_DAY))
    ticket = busy_hall.run("issue_ticket", "enrollment", now=at("09:00", NEXT_DAY)).events[-1]
    assert isinstance(ticket, ev.TicketIssued)
    assert str(ticket.ticket.number) == "A001"

    numbers_of = {day: sorted(str(t.number) for t in busy_hall.store.tickets_of_day(day))
                  for day in (DAY, NEXT_DAY)}
    assert "A001" in numbers_of[DAY]
    assert numbers_of[NEXT_DAY] == ["A001"]
    assert busy_hall.store.load() == busy_hall.state


# -- failed commits leave nothing behind -----------------------------------------------------


def _duplicate_number(state: HallState) -> tuple[HallState, list[ev.Event]]:
    """A001 again under another ticket_id, after a legitimate change to another ticket."""
    a001 = state.ticket_by_number(TicketNumber("A001"))
    a003 = state.ticket_by_number(TicketNumber("A003"))
    assert a001 is not None and a003 is not None
    tickets = {**state.tickets, a003.ticket_id: replace(a003, helper_name="改过"),
               "impostor-A001": replace(a001, ticket_id="impostor-A001")}
    return replace(state, tickets=tickets, is_open=False), []


def _window_of_a_missing_ticket(state: HallState) -> tuple[HallState, list[ev.Event]]:
    windows = {**state.windows, 8: WindowState(8, WindowStatus.SERVING, staff_id="YB0108",
                                               ticket_id="no-such-ticket", since=at("10:00"))}
    return replace(state, windows=windows, is_open=False), [ev.HallClosed(at("10:00"))]


def _event_that_cannot_be_written(state: HallState) -> tuple[HallState, list[ev.Event]]:
    a003 = state.ticket_by_number(TicketNumber("A003"))
    assert a003 is not None
    tickets = {**state.tickets, a003.ticket_id: replace(a003, status=TicketStatus.FINISHED)}
    broken = ev.HallClosed(at=None)  # type: ignore[arg-type]
    return replace(state, tickets=tickets, is_open=False), [ev.HallClosed(at("10:00")), broken]


def _event_body_that_is_not_json(state: HallState) -> tuple[HallState, list[ev.Event]]:
    broken = ev.StaffSignedIn(at("10:00"), 8, staff_id={"not", "json"})  # type: ignore[arg-type]
    windows = {**state.windows, 8: WindowState(8, WindowStatus.IDLE, staff_id="YB0108",
                                               since=at("10:00"))}
    return replace(state, windows=windows), [broken]


FAILING_COMMITS = [
    pytest.param(_duplicate_number, sqlite3.IntegrityError, id="number-already-used-today"),
    pytest.param(_window_of_a_missing_ticket, sqlite3.IntegrityError,
                 id="window-serving-a-ticket-that-does-not-exist"),
    pytest.param(_event_that_cannot_be_written, AttributeError, id="event-without-a-time"),
    pytest.param(_event_body_that_is_not_json, TypeError, id="event-body-not-json"),
]


@pytest.mark.parametrize("make_change, error", FAILING_COMMITS)
def test_a_commit_that_fails_part_way_leaves_the_database_unchanged(
        busy_hall: Hall, db_path: Path,
        make_change: Callable[[HallState], tuple[HallState, list[ev.Event]]],
        error: type[Exception]) -> None:
    store, before = busy_hall.store, busy_hall.state
    rows_before, counts_before = snapshot(db_path), counts(db_path)
    after, events = make_change(before)

    with pytest.raises(error):
        store.commit(before, after, events, at("10:00"),
                     request=("console-1", "r-fail", b'{"kind":"accepted"}'))

    assert counts(db_path) == counts_before
    assert snapshot(db_path) == rows_before
    assert store.load() == before
    assert store.answer_for("console-1", "r-fail") is None


@pytest.mark.parametrize("make_change, error", FAILING_COMMITS)
def test_the_store_keeps_working_after_a_failed_commit(
        busy_hall: Hall,
        make_change: Callable[[HallState], tuple[HallState, list[ev.Event]]],
        error: type[Exception]) -> None:
    after, events = make_change(busy_hall.state)
    with pytest.raises(error):
        busy_hall.store.commit(busy_hall.state, after, events, at("10:00"))

    # The next command is committed normally: no transaction was left open.
    busy_hall.run("issue_ticket", "certificate_print", now=at("10:01"))
    assert busy_hall.store.load() == busy_hall.state
    assert busy_hall.store.next_boot_count() == 1


def test_the_unique_number_constraint_holds_per_service_day(busy_hall: Hall,
                                                            db_path: Path) -> None:
    a001 = busy_hall.state.ticket_by_number(TicketNumber("A001"))
    assert a001 is not None
    before = counts(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        busy_hall.store.commit(busy_hall.state, replace(busy_hall.state, tickets={
            **busy_hall.state.tickets, "twin": replace(a001, ticket_id="twin")}), (), at("10:00"))
    assert counts(db_path) == before

    # The same number on another day is another ticket.
    other_day = replace(a001, ticket_id="20261125-A001", service_day=date(2026, 11, 25))
    busy_hall.store.commit(busy_hall.state, replace(busy_hall.state, tickets={
        **busy_hall.state.tickets, other_day.ticket_id: other_day}), (), at("10:00"))
    assert busy_hall.store.count_tickets() == before["tickets"] + 1


# -- the event log --------------------------------------------------------------------------


def test_events_are_appended_in_the_order_they_were_committed(busy_hall: Hall) -> None:
    logged = busy_hall.store.events_since()
    assert [kind for _, kind, _ in logged] == [type(e).__name__ for e in busy_hall.events]
    seqs = [seq for seq, _, _ in logged]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


@pytest.mark.parametrize("skip", [0, 1, 5, 20])
def test_events_since_returns_only_the_later_events(busy_hall: Hall, skip: int) -> None:
    logged = busy_hall.store.events_since()
    after = logged[skip - 1][0] if skip else 0
    assert busy_hall.store.events_since(after) == logged[skip:]


def test_the_event_log_names_the_ticket_of_each_ticket_event(busy_hall: Hall) -> None:
    for (_, kind, body), event in zip(busy_hall.store.events_since(), busy_hall.events,
                                      strict=True):
        ticket = getattr(event, "ticket", None)
        logged = json.loads(body)
        assert logged["at"] == event.at.isoformat(), kind
        if ticket is not None:
            assert logged["ticket"]["ticket_id"] == ticket.ticket_id
            assert logged["ticket"]["number"] == str(ticket.number)
            assert logged["ticket"]["status"] == ticket.status.value


def test_an_empty_store_has_no_events(store: SqliteStore) -> None:
    assert store.events_since() == []


def _kinds_of(store: SqliteStore, after: int) -> list[Any]:
    return [kind for _, kind, _ in store.events_since(after)]


def test_a_rollover_logs_the_expiry_of_every_open_ticket(busy_hall: Hall) -> None:
    last_seq = busy_hall.store.events_since()[-1][0]
    open_before = sum(t.status.is_open for t in busy_hall.state.tickets.values())
    busy_hall.run("open_hall", now=at("08:50", NEXT_DAY))
    kinds = _kinds_of(busy_hall.store, last_seq)
    assert kinds.count("TicketExpired") == open_before
    assert kinds[-2:] == ["DayRolledOver", "HallOpened"]
