"""The first, plain wait estimator, kept only as the cost floor the twin is measured against.

People ahead x recent mean handle time / open serving capacity: about 8-9 times worse in MSE
than quoting the last ticket's wait (issue 14), so the product no longer uses it. `hall bench
--estimators twin,plain` runs the controller with each in turn to compare what they cost.
"""
from __future__ import annotations

import math
from datetime import datetime

from hall.core.catalogue import Catalogue, PriorityRule
from hall.core.ids import TicketKind, TicketStatus, WindowStatus
from hall.core.state import HallState, Ticket
from hall.core.wait_estimate import WaitEstimate


class QueueLengthEstimator:
    """First estimator: people ahead x recent mean handle time / open serving capacity."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    def for_business(self, state: HallState, business: str, now: datetime) -> WaitEstimate:
        ahead = sum(1 for t in state.tickets.values()
                    if t.status is TicketStatus.WAITING and t.business == business)
        return self._estimate(state, business, ahead)

    def for_all_businesses(self, state: HallState, now: datetime) -> dict[str, WaitEstimate]:
        waiting = {b.code: 0 for b in self.catalogue.businesses}
        for t in state.tickets.values():
            if t.status is TicketStatus.WAITING:
                waiting[t.business] += 1
        return {code: self._estimate(state, code, ahead) for code, ahead in waiting.items()}

    def for_ticket(self, state: HallState, ticket: Ticket, now: datetime) -> WaitEstimate:
        if ticket.status is not TicketStatus.WAITING:
            return self._estimate(state, ticket.business, 0)
        strict = self.catalogue.rules.priority_rule is PriorityRule.STRICT
        mine = self._rank(ticket, strict)
        ahead = sum(1 for t in state.tickets.values()
                    if t.status is TicketStatus.WAITING and t.business == ticket.business
                    and t.ticket_id != ticket.ticket_id and self._rank(t, strict) < mine)
        return self._estimate(state, ticket.business, ahead)

    def _rank(self, t: Ticket, strict: bool) -> tuple[int, datetime, str]:
        priority = t.kind is TicketKind.PRIORITY or (
            t.kind is TicketKind.APPOINTMENT and self.catalogue.rules.appointment_is_priority)
        return (0 if (priority and strict) else 1, t.queued_at, str(t.number))

    def mean_handle_s(self, state: HallState, business: str) -> float:
        recent = state.recent_handle_s.get(business, ())
        if recent:
            return sum(recent) / len(recent)
        return float(self.catalogue.business(business).typical_handle_s)

    def _estimate(self, state: HallState, business: str, ahead: int) -> WaitEstimate:
        capacity = 0.0
        windows_open = 0
        any_idle = False
        for window in self.catalogue.windows_serving(business):
            ws = state.window(window.number)
            if ws.status in (WindowStatus.IDLE, WindowStatus.SERVING):
                windows_open += 1
                # A shared window gives each of its businesses a share of its time.
                capacity += 1.0 / len(window.businesses)
                any_idle = any_idle or ws.status is WindowStatus.IDLE
        if windows_open == 0:
            return WaitEstimate(ahead, None, 0)
        handle_s = self.mean_handle_s(state, business)
        # Nobody ahead still waits for a busy window to free up: half a service on average.
        residual_s = 0.0 if any_idle else handle_s / 2
        wait_s = (ahead * handle_s + residual_s) / capacity
        return WaitEstimate(ahead, math.ceil(wait_s / 60), windows_open)
