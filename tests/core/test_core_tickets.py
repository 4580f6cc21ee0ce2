"""Issuing tickets: numbering, the daily reset, opening and closing, and appointment check-in."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from hall.core import Appointment, QueueEngine, TicketKind, TicketNumber, TicketStatus, WindowStatus
from hall.core import events as ev
from hall.core.errors import (
    HallClosed,
    HallError,
    InvalidAppointment,
    NumbersExhausted,
    UnknownBusiness,
)

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = date(2025, 3, 3)
TUESDAY = date(2025, 3, 4)


def on(day: date, clock: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=TZ)


# -- numbering ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "businesses, numbers",
    [
        (["enrollment"], ["A001"]),
        (["enrollment", "enrollment", "enrollment"], ["A001", "A002", "A003"]),
        (["info_change", "reimbursement"], ["B001", "E001"]),
        (
            ["enrollment", "enrollment", "info_change", "enrollment", "reimbursement",
             "info_change"],
            ["A001", "A002", "B001", "A003", "E001", "B002"],
        ),
    ],
)
def test_each_prefix_counts_its_own_three_digit_numbers(desk, businesses, numbers) -> None:
    issued = [str(desk.issue(b, f"09:{i:02d}").number) for i, b in enumerate(businesses)]
    assert issued == numbers


def test_an_issued_ticket_waits_with_its_issue_time_as_queue_position(desk, at) -> None:
    ticket = desk.issue("enrollment", "09:05")
    assert ticket.ticket_id == "20250303-A001"
    assert ticket.number == TicketNumber("A001")
    assert ticket.business == "enrollment"
    assert ticket.kind is TicketKind.NORMAL
    assert ticket.status is TicketStatus.WAITING
    assert ticket.service_day == MONDAY
    assert ticket.issued_at == ticket.queued_at == at("09:05")
    assert ticket.window is None and ticket.call_count == 0
    assert desk.events == (ev.TicketIssued(at("09:05"), ticket),)
    assert desk.state.tickets[ticket.ticket_id] == ticket
    assert desk.state.last_sequence == {"A": 1}


@pytest.mark.parametrize("reason", ["70岁以上老人", "孕妇", "残疾人", "现役军人"])
def test_a_priority_ticket_records_its_kind_and_reason(desk, reason) -> None:
    ticket = desk.issue("enrollment", "09:00", kind=TicketKind.PRIORITY, priority_reason=reason)
    assert ticket.kind is TicketKind.PRIORITY
    assert ticket.priority_reason == reason


def test_priority_tickets_share_the_numbering_of_their_business(desk) -> None:
    desk.issue("enrollment", "09:00")
    priority = desk.issue_priority("enrollment", "09:01")
    assert str(priority.number) == "A002"


def test_a_ticket_taken_for_someone_else_records_the_helper_name(desk) -> None:
    ticket = desk.issue("reimbursement", "09:00", helper_name="张伟(代办)")
    assert ticket.helper_name == "张伟(代办)"
    assert ticket.kind is TicketKind.NORMAL


def test_appointment_tickets_cannot_be_issued_directly(desk) -> None:
    with pytest.raises(HallError, match="check_in_appointment"):
        desk.issue("enrollment", "09:00", kind=TicketKind.APPOINTMENT)


def test_a_ticket_for_an_unknown_business_is_refused(desk) -> None:
    with pytest.raises(UnknownBusiness):
        desk.issue("pension", "09:00")
    assert desk.state.tickets == {}


@pytest.mark.parametrize("already_used, next_number", [
    (0, "A001"), (500, "A501"), (998, "A999"), (999, "A1000"), (9998, "A9999")])
def test_numbers_run_past_999_with_a_fourth_digit(desk, already_used, next_number) -> None:
    desk.state = replace(desk.state, last_sequence={"A": already_used})
    assert str(desk.issue("enrollment", "09:00").number) == next_number


def test_numbers_are_exhausted_after_9999_but_only_for_that_prefix(desk) -> None:
    desk.state = replace(desk.state, last_sequence={"A": 9999})
    with pytest.raises(NumbersExhausted) as err:
        desk.issue("enrollment", "16:00")
    assert err.value.fields == {"prefix": "A"}
    assert err.value.code == "numbers_exhausted"
    assert str(desk.issue("info_change", "16:00").number) == "B001"


# -- opening and closing --------------------------------------------------------------------


def test_a_new_day_starts_closed_and_refuses_tickets(catalogue, at) -> None:
    engine = QueueEngine(catalogue)
    state = engine.new_day(at("08:00"))
    assert state.service_day == MONDAY and not state.is_open
    with pytest.raises(HallClosed) as err:
        engine.issue_ticket(state, "enrollment", at("08:30"))
    assert err.value.code == "hall_closed"


def test_opening_the_hall_is_announced_once(desk, at) -> None:
    assert desk.state.is_open
    desk.open_hall("09:00")
    assert desk.events == ()
    desk.close_hall("12:00")
    assert desk.events == (ev.HallClosed(at("12:00")),)
    desk.close_hall("12:01")
    assert desk.events == ()
    desk.open_hall("13:30")
    assert desk.events == (ev.HallOpened(at("13:30")),)


def test_closing_the_hall_stops_new_tickets_but_waiting_tickets_remain_callable(
    staffed_desk,
) -> None:
    desk = staffed_desk
    desk.issue("enrollment", "16:50")
    desk.issue("enrollment", "16:55")
    desk.close_hall("17:00")
    assert not desk.state.is_open
    with pytest.raises(HallClosed):
        desk.issue("enrollment", "17:01")
    assert str(desk.call_next(1, "17:02").number) == "A001"
    assert str(desk.call_next(2, "17:03").number) == "A002"


def test_after_reopening_numbering_continues(desk) -> None:
    desk.issue("enrollment", "11:50")
    desk.close_hall("12:00")
    desk.open_hall("13:30")
    assert str(desk.issue("enrollment", "13:31").number) == "A002"


# -- the daily reset ------------------------------------------------------------------------


@pytest.fixture
def busy_monday(staffed_desk):
    """Monday's end: A001 waiting, A002 in service, A003 finished, B001 parked, B002 no-show."""
    desk = staffed_desk
    for clock, business in [("09:00", "enrollment"), ("09:01", "enrollment"),
                            ("09:02", "enrollment"), ("09:03", "info_change"),
                            ("09:04", "info_change")]:
        desk.issue(business, clock)
    desk.call(2, "A003", "09:10")
    desk.finish(2, "09:15")
    desk.call(1, "B001", "09:20")
    desk.park(1, "09:25")
    desk.call(1, "B002", "09:30")
    desk.no_show(1, "09:35")
    desk.call(2, "A002", "16:50")
    return desk


def test_the_first_command_of_a_new_day_expires_open_tickets_and_rolls_over(busy_monday) -> None:
    desk = busy_monday
    old = desk.state
    tuesday_morning = on(TUESDAY, "08:30")
    out = desk.engine.roll_over(old, tuesday_morning)

    expired = [e for e in out.events if isinstance(e, ev.TicketExpired)]
    assert sorted(str(e.ticket.number) for e in expired) == ["A001", "A002", "B001"]
    assert all(e.ticket.status is TicketStatus.EXPIRED for e in expired)
    assert all(e.at == tuesday_morning for e in expired)
    assert out.events[-1] == ev.DayRolledOver(tuesday_morning, MONDAY, TUESDAY)

    new = out.state
    assert new.service_day == TUESDAY
    assert new.tickets == {}
    assert not new.is_open
    assert new.last_sequence == {}
    assert new.recent_calls == ()
    assert {n: (w.status, w.staff_id, w.ticket_id) for n, w in new.windows.items()} == {
        1: (WindowStatus.CLOSED, "", ""),
        2: (WindowStatus.CLOSED, "", ""),
        3: (WindowStatus.CLOSED, "", ""),
    }


@pytest.mark.parametrize("clock", ["00:00", "08:30", "23:59"])
def test_rolling_over_within_the_same_day_changes_nothing(busy_monday, clock) -> None:
    desk = busy_monday
    out = desk.engine.roll_over(desk.state, on(MONDAY, clock))
    assert out.events == ()
    assert out.state == desk.state


def test_a_new_day_refuses_tickets_until_the_hall_opens_and_numbers_restart(busy_monday) -> None:
    desk = busy_monday
    with pytest.raises(HallClosed):
        desk.engine.issue_ticket(desk.state, "enrollment", on(TUESDAY, "08:30"))

    opened = desk.engine.open_hall(desk.state, on(TUESDAY, "08:50"))
    assert [type(e) for e in opened.events][-2:] == [ev.DayRolledOver, ev.HallOpened]
    issued = desk.engine.issue_ticket(opened.state, "enrollment", on(TUESDAY, "09:00"))
    ticket = issued.events[-1].ticket
    assert str(ticket.number) == "A001"
    assert ticket.ticket_id == "20250304-A001"
    assert ticket.service_day == TUESDAY
    assert list(issued.state.tickets) == ["20250304-A001"]


def test_staff_must_sign_in_again_on_a_new_day(busy_monday) -> None:
    desk = busy_monday
    out = desk.engine.sign_in(desk.state, 1, "YB0101", on(TUESDAY, "08:45"))
    assert [type(e) for e in out.events][-2:] == [ev.DayRolledOver, ev.StaffSignedIn]
    assert out.state.window(1).status is WindowStatus.IDLE
    assert out.state.window(2).status is WindowStatus.CLOSED


# -- appointments ---------------------------------------------------------------------------


def appointment(**fields) -> Appointment:
    values = {"code": "YY20250303-0042", "business": "enrollment",
              "slot_start": on(MONDAY, "10:00"), "slot_end": on(MONDAY, "10:30"), **fields}
    return Appointment(**values)


@pytest.mark.parametrize(
    "clock, reason",
    [
        ("09:29:59", "too_early"),  # check-in opens 30 min before the slot
        ("09:30", None),
        ("10:00", None),
        ("10:30", None),
        ("10:45", None),  # and closes 15 min after the slot ends
        ("10:45:01", "expired"),
        ("14:00", "expired"),
    ],
)
def test_an_appointment_checks_in_from_early_before_to_late_after_its_slot(
    desk, at, clock, reason
) -> None:
    appt = appointment()
    if reason is None:
        out = desk.apply(desk.engine.check_in_appointment(desk.state, appt, at(clock)))
        assert isinstance(out.events[-1], ev.AppointmentCheckedIn)
    else:
        with pytest.raises(InvalidAppointment) as err:
            desk.engine.check_in_appointment(desk.state, appt, at(clock))
        assert err.value.fields["reason"] == reason
        assert err.value.fields["code"] == appt.code
        assert err.value.code == "invalid_appointment"


def test_a_too_early_appointment_says_when_check_in_opens(desk, at) -> None:
    with pytest.raises(InvalidAppointment) as err:
        desk.engine.check_in_appointment(desk.state, appointment(), at("09:00"))
    assert err.value.fields["earliest"] == at("09:30").isoformat()


def test_a_used_appointment_cannot_check_in_again(desk, at) -> None:
    used = appointment(checked_in_ticket="20250303-A001")
    with pytest.raises(InvalidAppointment) as err:
        desk.engine.check_in_appointment(desk.state, used, at("10:00"))
    assert err.value.fields["reason"] == "used"


@pytest.mark.parametrize(
    "early_s, late_s, clock, ok",
    [
        (600, 0, "09:49:59", False),
        (600, 0, "09:50", True),
        (600, 0, "10:30", True),
        (600, 0, "10:30:01", False),
    ],
)
def test_the_check_in_window_follows_the_calling_rules(make_desk, early_s, late_s, clock,
                                                       ok) -> None:
    desk = make_desk(appointment_early_s=early_s, appointment_late_s=late_s)
    if ok:
        desk.engine.check_in_appointment(desk.state, appointment(), desk.at(clock))
    else:
        with pytest.raises(InvalidAppointment):
            desk.engine.check_in_appointment(desk.state, appointment(), desk.at(clock))


def test_a_checked_in_appointment_becomes_an_appointment_ticket(desk, at) -> None:
    desk.issue("enrollment", "09:40")
    out = desk.apply(desk.engine.check_in_appointment(desk.state, appointment(), at("09:45")))
    ticket = out.events[-1].ticket
    assert ticket.kind is TicketKind.APPOINTMENT
    assert ticket.appointment_code == "YY20250303-0042"
    assert str(ticket.number) == "A002"
    assert ticket.issued_at == ticket.queued_at == at("09:45")
    assert out.events == (ev.AppointmentCheckedIn(at("09:45"), ticket, "YY20250303-0042"),)


def test_an_appointment_cannot_check_in_while_the_hall_is_closed(desk, at) -> None:
    desk.close_hall("09:35")
    with pytest.raises(HallClosed):
        desk.engine.check_in_appointment(desk.state, appointment(), at("09:40"))


@pytest.mark.parametrize(
    "appointment_is_priority, call_order",
    [(True, ["A002", "A001"]), (False, ["A001", "A002"])],
)
def test_an_appointment_goes_first_only_when_appointments_count_as_priority(
    make_staffed_desk, appointment_is_priority, call_order
) -> None:
    desk = make_staffed_desk(appointment_is_priority=appointment_is_priority)
    desk.issue("enrollment", "09:00")
    desk.apply(desk.engine.check_in_appointment(desk.state, appointment(), desk.at("09:40")))
    assert desk.engine.is_priority(desk.ticket("A002")) is appointment_is_priority
    called = [str(desk.call_next(2, clock).number) for clock in ("09:50", "10:00")]
    assert called == call_order

