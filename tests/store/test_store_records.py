"""Remembered answers (idempotent requests) and appointments kept by the store."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from hall.core import Appointment, TicketKind, check_appointment_usable
from hall.core import events as ev
from hall.core.errors import InvalidAppointment
from hall.protocol import encode
from hall.protocol import messages as m
from hall.store import SqliteStore
from tests.store.store_support import DAY, Hall, at

ANSWER = encode(m.Accepted(request_id="r-1", events=("hall_opened",)))


# -- answers --------------------------------------------------------------------------------


@pytest.fixture
def answered(hall: Hall) -> Hall:
    """The hall opened by console-1's request r-1, its answer committed with the command."""
    hall.run("open_hall", now=at("08:50"), request=("console-1", "r-1", ANSWER))
    return hall


def test_an_answer_committed_with_its_command_is_returned_by_answer_for(answered: Hall) -> None:
    assert answered.store.answer_for("console-1", "r-1") == ANSWER


@pytest.mark.parametrize("device_id, request_id", [
    pytest.param("console-1", "r-2", id="unknown-request"),
    pytest.param("console-2", "r-1", id="same-request-id-of-another-device"),
    pytest.param("", "", id="empty"),
])
def test_an_unknown_request_has_no_answer(answered: Hall, device_id: str,
                                          request_id: str) -> None:
    assert answered.store.answer_for(device_id, request_id) is None


def test_a_remembered_answer_survives_reopening_the_file(
        answered: Hall, open_store: Callable[[], SqliteStore]) -> None:
    answered.store.close()
    assert open_store().answer_for("console-1", "r-1") == ANSWER


def test_answers_keep_their_bytes_exactly(answered: Hall) -> None:
    ticket_answer = encode(m.TicketAnswer(request_id="取号-1", people_ahead=3, est_wait_min=12))
    answered.run("issue_ticket", "enrollment", now=at("09:00"),
                 request=("kiosk-1", "取号-1", ticket_answer))
    answered.store.remember_answer("kiosk-1", "bad-1", b"\x00\xff raw", at("09:01"))
    assert answered.store.answer_for("kiosk-1", "取号-1") == ticket_answer
    assert answered.store.answer_for("kiosk-1", "bad-1") == b"\x00\xff raw"


@pytest.mark.parametrize("days_later, still_known", [
    pytest.param(1, True, id="next-day"),
    pytest.param(2, True, id="two-days-later"),
    pytest.param(4, False, id="four-days-later"),
])
def test_a_rollover_forgets_answers_older_than_the_request_memory(
        answered: Hall, days_later: int, still_known: bool) -> None:
    answered.run("open_hall", now=at("08:50", DAY + timedelta(days=days_later)))
    assert (answered.store.answer_for("console-1", "r-1") is not None) is still_known


# -- appointments ---------------------------------------------------------------------------

BOOKED = (
    Appointment("YY20261124-0001", "chronic_disease", at("10:00"), at("10:30")),
    Appointment("YY20261124-0002", "cross_region_filing", at("14:00"), at("14:30")),
)


@pytest.fixture
def booked(hall: Hall) -> Hall:
    hall.store.add_appointments(BOOKED)
    hall.run("open_hall", now=at("08:50"))
    return hall


@pytest.mark.parametrize("appointment", BOOKED, ids=lambda a: a.code)
def test_an_added_appointment_is_read_back_unused(booked: Hall,
                                                  appointment: Appointment) -> None:
    stored = booked.store.appointment(appointment.code)
    assert stored == appointment
    assert stored is not None and not stored.is_used


def test_an_unknown_appointment_code_reads_as_none(booked: Hall) -> None:
    assert booked.store.appointment("YY-NOPE") is None


def test_a_committed_check_in_marks_the_appointment_used(booked: Hall) -> None:
    code = BOOKED[0].code
    appointment = booked.store.appointment(code)
    assert appointment is not None
    outcome = booked.run("check_in_appointment", appointment, now=at("09:45"))
    checked_in = [e for e in outcome.events if isinstance(e, ev.AppointmentCheckedIn)]
    assert len(checked_in) == 1
    ticket = checked_in[0].ticket
    assert ticket.kind is TicketKind.APPOINTMENT

    stored = booked.store.appointment(code)
    assert stored is not None
    assert stored.checked_in_ticket == ticket.ticket_id
    assert stored.is_used
    assert booked.store.appointment(BOOKED[1].code) == BOOKED[1]
    assert booked.store.load() == booked.state


def test_a_second_check_in_of_a_used_appointment_is_refused(booked: Hall) -> None:
    first = booked.store.appointment(BOOKED[0].code)
    assert first is not None
    booked.run("check_in_appointment", first, now=at("09:45"))

    again = booked.store.appointment(BOOKED[0].code)
    assert again is not None
    with pytest.raises(InvalidAppointment) as err:
        check_appointment_usable(again, booked.engine.rules, at("09:50"))
    assert err.value.fields["reason"] == "used"
    with pytest.raises(InvalidAppointment):
        booked.engine.check_in_appointment(booked.state, again, at("09:50"))


def test_importing_the_bookings_again_keeps_a_check_in(booked: Hall) -> None:
    appointment = booked.store.appointment(BOOKED[0].code)
    assert appointment is not None
    booked.run("check_in_appointment", appointment, now=at("09:45"))
    moved = Appointment(BOOKED[0].code, "chronic_disease", at("10:30"), at("11:00"))
    booked.store.add_appointments([moved])

    stored = booked.store.appointment(BOOKED[0].code)
    assert stored is not None
    assert (stored.slot_start, stored.slot_end) == (at("10:30"), at("11:00"))
    assert stored.is_used


def test_an_appointment_used_yesterday_stays_used_after_the_rollover(booked: Hall) -> None:
    appointment = booked.store.appointment(BOOKED[0].code)
    assert appointment is not None
    booked.run("check_in_appointment", appointment, now=at("09:45"))
    booked.run("open_hall", now=at("08:50", date(2026, 11, 25)))
    stored = booked.store.appointment(BOOKED[0].code)
    assert stored is not None and stored.is_used


# -- privacy --------------------------------------------------------------------------------


def test_the_database_and_its_journal_are_readable_by_their_owner_alone(
        open_store: Callable[[], SqliteStore], db_path) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    db_path.touch(mode=0o644)
    db_path.chmod(0o644)  # as an older version left it
    store = open_store()
    store.remember_answer("kiosk-1", "r-1", ANSWER, at("09:00"))
    for path in (db_path, db_path.with_name(db_path.name + "-wal")):
        assert path.stat().st_mode & 0o777 == 0o600, path
