"""The queue engine: every hall command as a pure function of (state, now) to new state and events."""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from hall.core import events as ev
from hall.core.appointments import Appointment, check_appointment_usable
from hall.core.catalogue import Catalogue, PriorityRule
from hall.core.errors import (
    GracePeriodRunning,
    HallClosed,
    HallError,
    NumbersExhausted,
    QueueEmpty,
    TicketNotCallable,
    UnknownTicket,
    WindowNotReady,
)
from hall.core.ids import PauseReason, TicketKind, TicketNumber, TicketStatus, WindowStatus
from hall.core.state import (
    RECENT_CALLS_KEPT,
    CallRecord,
    HallState,
    Ticket,
    WindowState,
    ticket_id_for,
)
from hall.core.ticket_book import queue_key

# A001..A999, then A1000..A9999: a busy hall issues more than 999 of one business a day.
MAX_SEQUENCE = 9999


@dataclass(frozen=True, slots=True)
class Outcome:
    state: HallState
    events: tuple[ev.Event, ...]


class _Change:
    """Accumulates one command's edits to an immutable HallState."""

    def __init__(self, state: HallState) -> None:
        self.base = state
        self.book = state.book
        self.changed: dict[str, Ticket] = {}
        self.windows = dict(state.windows)
        self.fields: dict[str, object] = {}
        self.events: list[ev.Event] = []

    def put_ticket(self, ticket: Ticket) -> Ticket:
        self.changed[ticket.ticket_id] = ticket
        return ticket

    def ticket(self, ticket_id: str) -> Ticket | None:
        return self.changed.get(ticket_id) or self.book.get(ticket_id)

    def put_window(self, window: WindowState) -> None:
        self.windows[window.number] = window

    def handled(self) -> Mapping[str, tuple[int, ...]]:
        value = self.fields.get("recent_handle_s", self.base.recent_handle_s)
        return value  # type: ignore[return-value]

    def recent_calls(self) -> tuple[CallRecord, ...]:
        value = self.fields.get("recent_calls", self.base.recent_calls)
        return value  # type: ignore[return-value]

    def outcome(self) -> Outcome:
        tickets = self.book.updated(self.changed) if self.changed else self.book
        state = replace(self.base, tickets=tickets, windows=self.windows, **self.fields)  # type: ignore[arg-type]
        return Outcome(state, tuple(self.events))


class QueueEngine:
    """Applies the hall's rules; holds only the fixed catalogue, never the changing state."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.rules = catalogue.rules

    def new_day(self, now: datetime) -> HallState:
        return HallState(service_day=now.date())

    def is_priority(self, ticket: Ticket) -> bool:
        if ticket.kind is TicketKind.PRIORITY:
            return True
        return ticket.kind is TicketKind.APPOINTMENT and self.rules.appointment_is_priority

    # -- hall -------------------------------------------------------------------------------

    def open_hall(self, state: HallState, now: datetime) -> Outcome:
        c = self._begin(state, now)
        if not c.base.is_open:
            c.fields["is_open"] = True
            c.events.append(ev.HallOpened(now))
        return c.outcome()

    def close_hall(self, state: HallState, now: datetime) -> Outcome:
        c = self._begin(state, now)
        if c.base.is_open:
            c.fields["is_open"] = False
            c.events.append(ev.HallClosed(now))
        return c.outcome()

    def roll_over(self, state: HallState, now: datetime) -> Outcome:
        """Start a new service day if `now` is past the state's day; idempotent otherwise."""
        return self._begin(state, now).outcome()

    # -- tickets ----------------------------------------------------------------------------

    def issue_ticket(
        self,
        state: HallState,
        business: str,
        now: datetime,
        *,
        kind: TicketKind = TicketKind.NORMAL,
        priority_reason: str = "",
        helper_name: str = "",
    ) -> Outcome:
        if kind is TicketKind.APPOINTMENT:
            raise HallError("appointment tickets come from check_in_appointment")
        c = self._begin(state, now)
        ticket = self._new_ticket(c, business, kind, now, priority_reason=priority_reason,
                                  helper_name=helper_name, appointment_code="")
        c.events.append(ev.TicketIssued(now, ticket))
        return c.outcome()

    def check_in_appointment(self, state: HallState, appt: Appointment, now: datetime) -> Outcome:
        check_appointment_usable(appt, self.rules, now)
        c = self._begin(state, now)
        ticket = self._new_ticket(c, appt.business, TicketKind.APPOINTMENT, now,
                                  priority_reason="", helper_name="", appointment_code=appt.code)
        c.events.append(ev.AppointmentCheckedIn(now, ticket, appt.code))
        return c.outcome()

    def _new_ticket(self, c: _Change, business: str, kind: TicketKind, now: datetime, *,
                    priority_reason: str, helper_name: str, appointment_code: str) -> Ticket:
        if not c.base.is_open:
            raise HallClosed("the hall is closed and issues no new tickets")
        prefix = self.catalogue.business(business).prefix
        sequence = c.base.last_sequence.get(prefix, 0) + 1
        if sequence > MAX_SEQUENCE:
            raise NumbersExhausted(f"all numbers of prefix {prefix} are used today", prefix=prefix)
        number = TicketNumber.make(prefix, sequence)
        c.fields["last_sequence"] = {**c.base.last_sequence, prefix: sequence}
        day = c.base.service_day
        return c.put_ticket(Ticket(
            ticket_id=ticket_id_for(day, number), number=number, business=business, kind=kind,
            service_day=day, issued_at=now, queued_at=now, priority_reason=priority_reason,
            helper_name=helper_name, appointment_code=appointment_code,
        ))

    def requeue(self, state: HallState, number: TicketNumber, now: datetime) -> Outcome:
        c = self._begin(state, now)
        ticket = self._ticket(c, number)
        if ticket.status is not TicketStatus.NO_SHOW:
            raise TicketNotCallable(f"{number} is {ticket.status}, only a no-show can be re-queued",
                                    number=str(number), status=str(ticket.status))
        # A new turn: the grace period and the handle time start again at its next call.
        ticket = c.put_ticket(replace(ticket, status=TicketStatus.WAITING, queued_at=now,
                                      window=None, target_window=None, first_called_at=None))
        c.events.append(ev.TicketRequeued(now, ticket))
        return c.outcome()

    # -- staff and windows ------------------------------------------------------------------

    def sign_in(self, state: HallState, window: int, staff_id: str, now: datetime) -> Outcome:
        self.catalogue.window(window)
        self.catalogue.staff_member(staff_id)
        c = self._begin(state, now)
        for other in c.windows.values():
            if other.staff_id == staff_id and other.number != window:
                raise WindowNotReady(f"工号 {staff_id} is signed in at window {other.number}",
                                     window=other.number)
        current = c.base.window(window)
        if current.status is not WindowStatus.CLOSED:
            if current.staff_id == staff_id:
                return c.outcome()
            raise WindowNotReady(f"window {window} is in use by 工号 {current.staff_id}",
                                 window=window)
        c.put_window(WindowState(window, WindowStatus.IDLE, staff_id=staff_id, since=now))
        c.events.append(ev.StaffSignedIn(now, window, staff_id))
        return c.outcome()

    def sign_out(self, state: HallState, window: int, now: datetime) -> Outcome:
        c = self._begin(state, now)
        current = self._open_window(c, window)
        if current.status is WindowStatus.SERVING:
            raise WindowNotReady(f"window {window} is serving; finish or transfer first",
                                 window=window)
        c.put_window(WindowState(window, WindowStatus.CLOSED, since=now))
        c.events.append(ev.StaffSignedOut(now, window, current.staff_id))
        return c.outcome()

    def pause(self, state: HallState, window: int, reason: PauseReason, now: datetime) -> Outcome:
        c = self._begin(state, now)
        current = self._open_window(c, window)
        if current.status is WindowStatus.SERVING:
            raise WindowNotReady(f"window {window} is serving; finish or park first", window=window)
        c.put_window(replace(current, status=WindowStatus.PAUSED, pause_reason=reason, since=now))
        c.events.append(ev.WindowPaused(now, window, reason))
        return c.outcome()

    def resume(self, state: HallState, window: int, now: datetime) -> Outcome:
        c = self._begin(state, now)
        current = self._open_window(c, window)
        if current.status is not WindowStatus.PAUSED:
            raise WindowNotReady(f"window {window} is not paused", window=window)
        c.put_window(replace(current, status=WindowStatus.IDLE, pause_reason=None, since=now))
        c.events.append(ev.WindowResumed(now, window))
        return c.outcome()

    # -- calling ----------------------------------------------------------------------------

    def call_next(self, state: HallState, window: int, now: datetime) -> Outcome:
        c = self._begin(state, now)
        self._ready_to_call(c, window)
        ticket = self.next_for_window(c.base, window)
        if ticket is None:
            raise QueueEmpty(f"nobody is waiting for window {window}", window=window)
        self._finish_current(c, window, now, items=())
        self._call(c, ticket, window, now)
        return c.outcome()

    def call_ticket(self, state: HallState, window: int, number: TicketNumber,
                    now: datetime) -> Outcome:
        c = self._begin(state, now)
        self._ready_to_call(c, window)
        ticket = self._ticket(c, number)
        if ticket.status is not TicketStatus.WAITING:
            raise TicketNotCallable(f"{number} is {ticket.status}, not waiting",
                                    number=str(number), status=str(ticket.status))
        if not self._eligible(ticket, window):
            raise TicketNotCallable(f"window {window} does not serve {number}; transfer it instead",
                                    number=str(number), window=window)
        self._finish_current(c, window, now, items=())
        self._call(c, ticket, window, now)
        return c.outcome()

    def recall(self, state: HallState, window: int, now: datetime) -> Outcome:
        c = self._begin(state, now)
        ticket = self._serving(c, window)
        ticket = c.put_ticket(replace(ticket, called_at=now, call_count=ticket.call_count + 1))
        self._record_call(c, ticket, window, now, is_recall=True)
        c.events.append(ev.TicketRecalled(now, ticket, window))
        return c.outcome()

    def mark_no_show(self, state: HallState, window: int, now: datetime) -> Outcome:
        c = self._begin(state, now)
        ticket = self._serving(c, window)
        waited_s = (now - (ticket.first_called_at or now)).total_seconds()
        if waited_s < self.rules.no_show_grace_s:
            remaining = math.ceil(self.rules.no_show_grace_s - waited_s)
            raise GracePeriodRunning(
                f"{ticket.number} was first called {int(waited_s)} s ago; wait {remaining} s more",
                remaining_s=remaining)
        ticket = c.put_ticket(replace(ticket, status=TicketStatus.NO_SHOW))
        self._free_window(c, window, now)
        c.events.append(ev.TicketMarkedNoShow(now, ticket, window))
        return c.outcome()

    def transfer(self, state: HallState, window: int, now: datetime, *,
                 to_window: int | None = None, to_business: str = "", note: str = "") -> Outcome:
        if to_window is None and not to_business:
            raise HallError("a transfer needs a target window or business")
        c = self._begin(state, now)
        ticket = self._serving(c, window)
        business = to_business or ticket.business
        self.catalogue.business(business)
        if to_window is not None:
            target = self.catalogue.window(to_window)
            if to_window == window:
                raise WindowNotReady("a ticket cannot be transferred to its own window",
                                     window=window)
            if not target.serves(business):
                raise WindowNotReady(f"window {to_window} does not serve {business}",
                                     window=to_window)
        ticket = c.put_ticket(replace(
            ticket, status=TicketStatus.WAITING, business=business, target_window=to_window,
            window=None, transfer_note=note, transferred_from=window, first_called_at=None,
        ))
        self._free_window(c, window, now)
        c.events.append(ev.TicketTransferred(now, ticket, window, to_window, business))
        return c.outcome()

    def park(self, state: HallState, window: int, now: datetime) -> Outcome:
        c = self._begin(state, now)
        ticket = self._serving(c, window)
        ticket = c.put_ticket(replace(ticket, status=TicketStatus.PARKED))
        self._free_window(c, window, now)
        c.events.append(ev.TicketParked(now, ticket, window))
        return c.outcome()

    def unpark(self, state: HallState, window: int, number: TicketNumber,
               now: datetime) -> Outcome:
        c = self._begin(state, now)
        self._ready_to_call(c, window)
        ticket = self._ticket(c, number)
        if ticket.status is not TicketStatus.PARKED or ticket.window != window:
            raise TicketNotCallable(f"{number} is not parked at window {window}",
                                    number=str(number), window=window)
        self._finish_current(c, window, now, items=())
        ticket = c.put_ticket(replace(ticket, status=TicketStatus.CALLED))
        w = c.windows[window]
        c.put_window(replace(w, status=WindowStatus.SERVING, ticket_id=ticket.ticket_id, since=now))
        c.events.append(ev.TicketUnparked(now, ticket, window))
        return c.outcome()

    def finish(self, state: HallState, window: int, now: datetime, *,
               items: tuple[str, ...] = ()) -> Outcome:
        c = self._begin(state, now)
        self._serving(c, window)
        self._finish_current(c, window, now, items=items)
        return c.outcome()

    # -- ordering ---------------------------------------------------------------------------

    def next_for_window(self, state: HallState, window: int) -> Ticket | None:
        """The ticket `window` would call now: by skills, then the priority rule, then wait."""
        book = state.book
        first_priority: Ticket | None = None
        first_normal: Ticket | None = None
        for business in self.catalogue.window(window).businesses:
            for kind in TicketKind:
                # The lane is in queue order: its first ticket this window may call is the one.
                for tid in book.lane(business, kind):
                    t = book[tid]
                    if t.target_window is not None and t.target_window != window:
                        continue
                    if self.is_priority(t):
                        if first_priority is None or _before(t, first_priority):
                            first_priority = t
                    elif first_normal is None or _before(t, first_normal):
                        first_normal = t
                    break
        if first_priority is None or first_normal is None:
            return first_priority or first_normal
        if self.rules.priority_rule is PriorityRule.STRICT:
            return first_priority
        if first_priority.queued_at <= first_normal.queued_at:
            return first_priority
        since = state.window(window).calls_since_priority
        return first_priority if since >= self.rules.interleave_every - 1 else first_normal

    def _eligible(self, ticket: Ticket, window: int) -> bool:
        if ticket.target_window is not None:
            return ticket.target_window == window
        return self.catalogue.window(window).serves(ticket.business)

    # -- internals --------------------------------------------------------------------------

    def _begin(self, state: HallState, now: datetime) -> _Change:
        c = _Change(state)
        today = now.date()
        if today <= state.service_day:
            return c
        for ticket in state.tickets.values():
            if ticket.status.is_open:
                c.events.append(ev.TicketExpired(now, replace(ticket, status=TicketStatus.EXPIRED)))
        c.windows = {n: WindowState(n, WindowStatus.CLOSED, since=now) for n in state.windows}
        c.base = replace(state, service_day=today, is_open=False, tickets={}, windows=c.windows,
                         last_sequence={}, recent_calls=())
        c.book = c.base.book
        c.fields.update(service_day=today, is_open=False, last_sequence={}, recent_calls=())
        c.events.append(ev.DayRolledOver(now, state.service_day, today))
        return c

    def _ticket(self, c: _Change, number: TicketNumber) -> Ticket:
        ticket = c.ticket(ticket_id_for(c.base.service_day, number))
        if ticket is None:
            raise UnknownTicket(f"no ticket {number} today", number=str(number))
        return ticket

    def _open_window(self, c: _Change, window: int) -> WindowState:
        self.catalogue.window(window)
        current = c.windows.get(window) or WindowState(window)
        if current.status is WindowStatus.CLOSED:
            raise WindowNotReady(f"nobody is signed in at window {window}", window=window)
        return current

    def _ready_to_call(self, c: _Change, window: int) -> None:
        current = self._open_window(c, window)
        if current.status is WindowStatus.PAUSED:
            raise WindowNotReady(f"window {window} is paused; resume first", window=window)

    def _serving(self, c: _Change, window: int) -> Ticket:
        current = self._open_window(c, window)
        if current.status is not WindowStatus.SERVING:
            raise WindowNotReady(f"window {window} has no ticket in service", window=window)
        found = c.ticket(current.ticket_id)
        assert found is not None, "a serving window's ticket is in the day's book"
        return found

    def _call(self, c: _Change, ticket: Ticket, window: int, now: datetime) -> None:
        w = c.windows[window]
        ticket = c.put_ticket(replace(
            ticket, status=TicketStatus.CALLED, window=window, staff_id=w.staff_id,
            first_called_at=ticket.first_called_at or now, called_at=now,
            call_count=ticket.call_count + 1,
        ))
        since = 0 if self.is_priority(ticket) else w.calls_since_priority + 1
        c.put_window(replace(w, status=WindowStatus.SERVING, ticket_id=ticket.ticket_id,
                             since=now, calls_since_priority=since))
        self._record_call(c, ticket, window, now, is_recall=False)
        c.events.append(ev.TicketCalled(now, ticket, window))

    def _record_call(self, c: _Change, ticket: Ticket, window: int, now: datetime,
                     *, is_recall: bool) -> None:
        record = CallRecord(ticket.number, window, ticket.business, now, is_recall)
        c.fields["recent_calls"] = (record, *c.recent_calls())[:RECENT_CALLS_KEPT]

    def _finish_current(self, c: _Change, window: int, now: datetime,
                        items: tuple[str, ...]) -> None:
        w = c.windows[window]
        if w.status is not WindowStatus.SERVING:
            return
        ticket = c.ticket(w.ticket_id)
        assert ticket is not None, "a serving window's ticket is in the day's book"
        started = ticket.first_called_at or now
        handle_s = max(0, int((now - started).total_seconds()))
        ticket = c.put_ticket(replace(ticket, status=TicketStatus.FINISHED, finished_at=now,
                                      items=items or (ticket.business,)))
        handled = c.handled()
        memory = (*handled.get(ticket.business, ()), handle_s)[-self.rules.handle_time_memory:]
        c.fields["recent_handle_s"] = {**handled, ticket.business: memory}
        self._free_window(c, window, now)
        c.events.append(ev.TicketFinished(now, ticket, window, w.staff_id, handle_s))

    def _free_window(self, c: _Change, window: int, now: datetime) -> None:
        w = c.windows[window]
        c.put_window(replace(w, status=WindowStatus.IDLE, ticket_id="", since=now))


def _before(a: Ticket, b: Ticket) -> bool:
    """Queue order: longest in the queue first, the lower number on a tie."""
    return queue_key(a) < queue_key(b)
