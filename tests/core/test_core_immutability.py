"""Every engine command returns a new state and leaves the state it was given untouched."""
from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from hall.core import Appointment, PauseReason, Staff, TicketNumber, TicketStatus, WindowStatus
from hall.core.errors import TicketNotCallable

TZ = ZoneInfo("Asia/Shanghai")
TUESDAY = date(2025, 3, 4)

STAFF = tuple(Staff(f"YB010{i}", name)
              for i, name in enumerate(["王晓燕", "李建国", "张敏", "刘洋", "陈静"], start=1))
WINDOWS = {
    1: ("enrollment", "info_change"),
    2: ("enrollment",),
    3: ("reimbursement",),
    4: ("info_change",),
    5: ("reimbursement",),
}


@pytest.fixture
def midmorning(make_desk):
    """A hall mid-morning with a ticket in every state and a window in every state.

    Window 1 serves A001, window 2 is idle, window 3 serves E002 with E001 parked,
    window 4 is paused, window 5 is closed. A002 is a no-show, B001 finished,
    A003 and B002 wait.
    """
    desk = make_desk(windows=WINDOWS, staff=STAFF)
    for n in (1, 2, 3, 4):
        desk.sign_in(n, f"YB010{n}")
    for clock, business in [("09:00", "enrollment"), ("09:01", "enrollment"),
                            ("09:02", "enrollment"), ("09:03", "info_change"),
                            ("09:04", "reimbursement"), ("09:05", "reimbursement"),
                            ("09:06", "info_change")]:
        desk.issue(business, clock)
    desk.call(1, "B001", "09:07")
    desk.call(1, "A001", "09:10")
    desk.call(2, "A002", "09:10")
    desk.no_show(2, "09:13")
    desk.call(3, "E001", "09:10")
    desk.park(3, "09:11")
    desk.call(3, "E002", "09:12")
    desk.pause(4, "09:10", PauseReason.LUNCH)

    statuses = {str(t.number): t.status for t in desk.state.tickets.values()}
    assert statuses == {
        "A001": TicketStatus.CALLED, "A002": TicketStatus.NO_SHOW, "A003": TicketStatus.WAITING,
        "B001": TicketStatus.FINISHED, "B002": TicketStatus.WAITING,
        "E001": TicketStatus.PARKED, "E002": TicketStatus.CALLED,
    }
    assert [desk.window(n).status for n in range(1, 6)] == [
        WindowStatus.SERVING, WindowStatus.IDLE, WindowStatus.SERVING, WindowStatus.PAUSED,
        WindowStatus.CLOSED,
    ]
    return desk


def _t(clock: str, day: date = date(2025, 3, 3)) -> datetime:
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=TZ)


APPOINTMENT = Appointment("YY-0042", "enrollment", _t("10:00"), _t("10:30"))
A002, A003, E001 = TicketNumber("A002"), TicketNumber("A003"), TicketNumber("E001")

COMMANDS = {
    "issue_ticket": lambda e, s: e.issue_ticket(s, "enrollment", _t("09:20")),
    "check_in_appointment": lambda e, s: e.check_in_appointment(s, APPOINTMENT, _t("09:40")),
    "close_hall": lambda e, s: e.close_hall(s, _t("09:20")),
    "sign_in": lambda e, s: e.sign_in(s, 5, "YB0105", _t("09:20")),
    "sign_out": lambda e, s: e.sign_out(s, 2, _t("09:20")),
    "pause": lambda e, s: e.pause(s, 2, PauseReason.MEETING, _t("09:20")),
    "resume": lambda e, s: e.resume(s, 4, _t("09:20")),
    "call_next": lambda e, s: e.call_next(s, 1, _t("09:20")),
    "call_ticket": lambda e, s: e.call_ticket(s, 2, A003, _t("09:20")),
    "recall": lambda e, s: e.recall(s, 1, _t("09:11")),
    "mark_no_show": lambda e, s: e.mark_no_show(s, 1, _t("09:20")),
    "requeue": lambda e, s: e.requeue(s, A002, _t("09:20")),
    "transfer_to_window": lambda e, s: e.transfer(s, 1, _t("09:20"), to_window=2, note="补材料"),
    "transfer_to_business": lambda e, s: e.transfer(s, 1, _t("09:20"),
                                                    to_business="reimbursement"),
    "park": lambda e, s: e.park(s, 1, _t("09:20")),
    "unpark": lambda e, s: e.unpark(s, 3, E001, _t("09:20")),
    "finish": lambda e, s: e.finish(s, 3, _t("09:20"), items=("reimbursement",)),
    "roll_over_to_a_new_day": lambda e, s: e.roll_over(s, _t("08:30", TUESDAY)),
    "open_hall_on_a_new_day": lambda e, s: e.open_hall(s, _t("08:50", TUESDAY)),
}


@pytest.mark.parametrize("command", list(COMMANDS), ids=list(COMMANDS))
def test_a_command_returns_a_new_state_and_never_mutates_the_old_one(midmorning,
                                                                     command) -> None:
    old = midmorning.state
    tickets = dict(old.tickets)
    windows = dict(old.windows)
    last_sequence = dict(old.last_sequence)
    recent_handle_s = dict(old.recent_handle_s)
    recent_calls = old.recent_calls
    is_open, service_day = old.is_open, old.service_day

    outcome = COMMANDS[command](midmorning.engine, old)

    assert outcome.state is not old
    assert outcome.state != old
    assert outcome.events
    assert old.tickets == tickets
    assert all(old.tickets[k] is v for k, v in tickets.items())
    assert old.windows == windows
    assert old.last_sequence == last_sequence
    assert old.recent_handle_s == recent_handle_s
    assert old.recent_calls == recent_calls
    assert (old.is_open, old.service_day) == (is_open, service_day)


@pytest.mark.parametrize("command", ["call_next", "issue_ticket", "finish", "transfer_to_window"])
def test_the_new_state_does_not_share_its_ticket_mapping_with_the_old_one(midmorning,
                                                                          command) -> None:
    old = midmorning.state
    new = COMMANDS[command](midmorning.engine, old).state
    assert new.tickets is not old.tickets
    assert new.windows is not old.windows


def test_a_refused_command_leaves_the_state_as_it_was(midmorning) -> None:
    old = midmorning.state
    tickets = dict(old.tickets)
    with pytest.raises(TicketNotCallable):
        midmorning.engine.call_ticket(old, 2, TicketNumber("E001"), _t("09:20"))
    assert old.tickets == tickets
