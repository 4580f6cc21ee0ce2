"""Shared builders for the hall core tests: a small, readable hall and a driver over the engine.

Everything here is pure: time is always passed in, as Asia/Shanghai wall-clock strings
("09:05" or "09:05:30") on a fixed Monday unless a test says otherwise.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from hall.core import (
    Business,
    CallingRules,
    Catalogue,
    HallState,
    Outcome,
    PauseReason,
    QueueEngine,
    ServiceHours,
    Session,
    Staff,
    Ticket,
    TicketKind,
    TicketNumber,
    Window,
    WindowState,
)
from hall.core import events as ev

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = date(2025, 3, 3)

Clock = str | datetime


def at(clock: Clock, day: date = MONDAY) -> datetime:
    """A timezone-aware moment in the hall: "09:05" on `day` (a Monday by default)."""
    if isinstance(clock, datetime):
        return clock
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=TZ)


# The default test hall: three business types, three windows (one shared), four clerks.
BUSINESSES = (
    Business("enrollment", "A", "参保登记", "Insurance enrollment", typical_handle_s=600),
    Business("info_change", "B", "参保信息变更", "Change of details", typical_handle_s=300),
    Business("reimbursement", "E", "医疗费用手工报销", "Manual reimbursement", typical_handle_s=720),
)
WINDOWS: Mapping[int, tuple[str, ...]] = {
    1: ("enrollment", "info_change"),
    2: ("enrollment",),
    3: ("reimbursement",),
}
STAFF = (
    Staff("YB0101", "王晓燕"),
    Staff("YB0102", "李建国"),
    Staff("YB0103", "张敏"),
    Staff("YB0104", "刘洋"),
)
WORKDAY = (Session(time(9, 0), time(12, 0)), Session(time(13, 30), time(17, 0)))
HOURS = ServiceHours(weekly={d: WORKDAY for d in range(1, 6)})


def build_catalogue(
    *,
    businesses: tuple[Business, ...] = BUSINESSES,
    windows: Mapping[int, tuple[str, ...]] = WINDOWS,
    staff: tuple[Staff, ...] = STAFF,
    hours: ServiceHours = HOURS,
    **rules: object,
) -> Catalogue:
    """The default test hall, with any part or calling rule swapped out."""
    return Catalogue(
        hall_id="test-hall",
        name_zh="测试医保服务大厅",
        name_en="Test Medical Insurance Hall",
        businesses=businesses,
        windows=tuple(Window(n, tuple(b)) for n, b in windows.items()),
        staff=staff,
        hours=hours,
        rules=CallingRules(**rules),  # type: ignore[arg-type]
    )


def _number(number: str | TicketNumber) -> TicketNumber:
    return number if isinstance(number, TicketNumber) else TicketNumber(number)


class Desk:
    """Drives one QueueEngine through a service day, keeping the latest state and events.

    A command that raises leaves `state` as it was, like the real controller would.
    """

    def __init__(self, catalogue: Catalogue, day: date = MONDAY, opens: Clock = "08:50") -> None:
        self.catalogue = catalogue
        self.engine = QueueEngine(catalogue)
        self.day = day
        self.state: HallState = self.engine.new_day(self.at(opens))
        self.events: tuple[ev.Event, ...] = ()
        self.apply(self.engine.open_hall(self.state, self.at(opens)))

    def at(self, clock: Clock) -> datetime:
        return at(clock, self.day)

    def apply(self, outcome: Outcome) -> Outcome:
        self.state = outcome.state
        self.events = outcome.events
        return outcome

    # -- reading ---------------------------------------------------------------------------

    def ticket(self, number: str | TicketNumber) -> Ticket:
        ticket = self.state.ticket_by_number(_number(number))
        assert ticket is not None, f"no ticket {number} today"
        return ticket

    def window(self, number: int) -> WindowState:
        return self.state.window(number)

    def event_types(self) -> list[type]:
        return [type(e) for e in self.events]

    # -- commands --------------------------------------------------------------------------

    def issue(self, business: str, clock: Clock, **kw: object) -> Ticket:
        out = self.apply(self.engine.issue_ticket(self.state, business, self.at(clock), **kw))  # type: ignore[arg-type]
        return out.events[-1].ticket  # type: ignore[attr-defined]

    def issue_priority(self, business: str, clock: Clock, reason: str = "老年人") -> Ticket:
        return self.issue(business, clock, kind=TicketKind.PRIORITY, priority_reason=reason)

    def sign_in(self, window: int, staff_id: str, clock: Clock = "08:55") -> Outcome:
        return self.apply(self.engine.sign_in(self.state, window, staff_id, self.at(clock)))

    def sign_out(self, window: int, clock: Clock) -> Outcome:
        return self.apply(self.engine.sign_out(self.state, window, self.at(clock)))

    def pause(self, window: int, clock: Clock, reason: PauseReason = PauseReason.AWAY) -> Outcome:
        return self.apply(self.engine.pause(self.state, window, reason, self.at(clock)))

    def resume(self, window: int, clock: Clock) -> Outcome:
        return self.apply(self.engine.resume(self.state, window, self.at(clock)))

    def call_next(self, window: int, clock: Clock) -> Ticket:
        out = self.apply(self.engine.call_next(self.state, window, self.at(clock)))
        return out.events[-1].ticket  # type: ignore[attr-defined]

    def call(self, window: int, number: str, clock: Clock) -> Ticket:
        out = self.apply(self.engine.call_ticket(self.state, window, _number(number),
                                                 self.at(clock)))
        return out.events[-1].ticket  # type: ignore[attr-defined]

    def recall(self, window: int, clock: Clock) -> Outcome:
        return self.apply(self.engine.recall(self.state, window, self.at(clock)))

    def no_show(self, window: int, clock: Clock) -> Outcome:
        return self.apply(self.engine.mark_no_show(self.state, window, self.at(clock)))

    def requeue(self, number: str, clock: Clock) -> Outcome:
        return self.apply(self.engine.requeue(self.state, _number(number), self.at(clock)))

    def transfer(self, window: int, clock: Clock, **kw: object) -> Outcome:
        return self.apply(self.engine.transfer(self.state, window, self.at(clock), **kw))  # type: ignore[arg-type]

    def park(self, window: int, clock: Clock) -> Outcome:
        return self.apply(self.engine.park(self.state, window, self.at(clock)))

    def unpark(self, window: int, number: str, clock: Clock) -> Outcome:
        return self.apply(self.engine.unpark(self.state, window, _number(number), self.at(clock)))

    def finish(self, window: int, clock: Clock, items: tuple[str, ...] = ()) -> Outcome:
        return self.apply(self.engine.finish(self.state, window, self.at(clock), items=items))

    def close_hall(self, clock: Clock) -> Outcome:
        return self.apply(self.engine.close_hall(self.state, self.at(clock)))

    def open_hall(self, clock: Clock) -> Outcome:
        return self.apply(self.engine.open_hall(self.state, self.at(clock)))


@pytest.fixture
def make_catalogue() -> Callable[..., Catalogue]:
    return build_catalogue


@pytest.fixture
def catalogue() -> Catalogue:
    return build_catalogue()


@pytest.fixture
def make_desk() -> Callable[..., Desk]:
    """make_desk(**catalogue_overrides): an open hall on a Monday morning, nobody signed in."""

    def make(**overrides: object) -> Desk:
        return Desk(build_catalogue(**overrides))

    return make


@pytest.fixture
def desk(make_desk: Callable[..., Desk]) -> Desk:
    return make_desk()


@pytest.fixture
def staffed_desk(desk: Desk) -> Desk:
    """The default hall, open, with a clerk at each of windows 1, 2 and 3."""
    desk.sign_in(1, "YB0101")
    desk.sign_in(2, "YB0102")
    desk.sign_in(3, "YB0103")
    return desk


@pytest.fixture
def make_staffed_desk(make_desk: Callable[..., Desk]) -> Callable[..., Desk]:
    def make(**overrides: object) -> Desk:
        d = make_desk(**overrides)
        for window, staff_id in zip(sorted(d.catalogue.windows, key=lambda w: w.number),
                                    ("YB0101", "YB0102", "YB0103", "YB0104"), strict=False):
            d.sign_in(window.number, staff_id)
        return d

    return make


@pytest.fixture(name="at")
def at_fixture() -> Callable[..., datetime]:
    return at
