"""Live wait estimates per business type and per ticket, behind one interface."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from hall.core.catalogue import Catalogue
from hall.core.ids import TicketKind, TicketStatus
from hall.core.state import HallState, Ticket
from hall.core.wait_model import WaitModel
from hall.core.wait_twin import Forecast, Twin


@dataclass(frozen=True, slots=True)
class WaitEstimate:
    people_ahead: int
    # None when no open window serves the business: the wait cannot be estimated honestly.
    minutes: int | None
    windows_open: int
    # The range that holds the true wait 8 times in 10 (calibrated on the hall's past days).
    low_min: int | None = None
    high_min: int | None = None
    # When the call is likely: after closing time the business stops issuing for today.
    likely_call_at: datetime | None = None


class WaitEstimator(Protocol):
    def for_business(self, state: HallState, business: str, now: datetime) -> WaitEstimate:
        """The wait a citizen taking a normal ticket for `business` now would face."""

    def for_ticket(self, state: HallState, ticket: Ticket, now: datetime) -> WaitEstimate:
        """The remaining wait of an issued ticket."""

    def for_all_businesses(self, state: HallState, now: datetime) -> dict[str, WaitEstimate]:
        """for_business of every business type, in one pass over the queue."""


# The state has not changed, only the clock: a replay this fresh is as good as a new one.
REUSE = timedelta(seconds=10)


class TwinEstimator:
    """The hall's twin replays the rest of the day; the learned calibration makes the range.

    One replay per state serves every business and every ticket of that state (a one-entry
    cache: the controller asks for the ticket answer, the snapshot and the per-ticket waits of
    the same state).
    """

    def __init__(self, catalogue: Catalogue, model: WaitModel | None = None) -> None:
        self.catalogue = catalogue
        self.twin = Twin(catalogue, model or WaitModel())
        self._cached: tuple[HallState, datetime, Forecast] | None = None

    @property
    def model(self) -> WaitModel:
        return self.twin.model

    def use_model(self, model: WaitModel) -> None:
        """The day's refreshed model; estimates from now on use it."""
        self.twin = Twin(self.catalogue, model)
        self._cached = None

    def forecast(self, state: HallState, now: datetime) -> Forecast:
        """The replay of `state`; one made for it moments ago still serves (see REUSE_S)."""
        cached = self._cached
        if cached is not None and cached[0] is state and \
                timedelta(0) <= now - cached[1] <= REUSE:
            return cached[2]
        forecast = self.twin.replay(state, now)
        self._cached = (state, now, forecast)
        return forecast

    def raw_new_s(self, state: HallState, business: str, now: datetime, *,
                  priority: bool = False) -> float | None:
        """The twin's uncalibrated wait of a ticket issued now (what calibration learns from)."""
        forecast = self.forecast(state, now)
        normal_s, priority_s = forecast.new_s.get(business, (None, None))
        return _since(forecast, priority_s if priority else normal_s, now)

    def for_business(self, state: HallState, business: str, now: datetime) -> WaitEstimate:
        return self._new(state, business, now, priority=False)

    def for_priority(self, state: HallState, business: str, now: datetime) -> WaitEstimate:
        """A 绿色通道 ticket's own wait: it goes ahead by the hall's priority rule."""
        return self._new(state, business, now, priority=True)

    def for_all_businesses(self, state: HallState, now: datetime) -> dict[str, WaitEstimate]:
        return {b.code: self._new(state, b.code, now, priority=False)
                for b in self.catalogue.businesses}

    def for_ticket(self, state: HallState, ticket: Ticket, now: datetime) -> WaitEstimate:
        forecast = self.forecast(state, now)
        open_ = forecast.windows_open.get(ticket.business, 0)
        if ticket.status is not TicketStatus.WAITING:
            return WaitEstimate(0, 0, open_, 0, 0, now)
        return self.for_waiting(state, ticket, state.book.position(ticket), now)

    def for_waiting(self, state: HallState, ticket: Ticket, ahead: int,
                    now: datetime) -> WaitEstimate:
        """for_ticket when the caller already knows how many of its business wait ahead."""
        forecast = self.forecast(state, now)
        return self._shaped(ticket.business, ahead, self.raw_ticket_s(state, ticket, ahead, now),
                            forecast.windows_open.get(ticket.business, 0), now)

    def raw_ticket_s(self, state: HallState, ticket: Ticket, ahead: int,
                     now: datetime) -> float | None:
        """The twin's uncalibrated remaining wait of a waiting ticket, seconds from `now`."""
        forecast = self.forecast(state, now)
        raw = forecast.ticket_s.get(ticket.ticket_id)
        if raw is None and ticket.business in forecast.pace:
            end, step = forecast.pace[ticket.business]
            raw = end + (ahead + 1) * step  # far back in a long queue: the replay's pace
        return _since(forecast, raw, now)

    def _new(self, state: HallState, business: str, now: datetime, *,
             priority: bool) -> WaitEstimate:
        forecast = self.forecast(state, now)
        normal_s, priority_s = forecast.new_s.get(business, (None, None))
        raw = _since(forecast, priority_s if priority else normal_s, now)
        book = state.book
        ahead = (sum(len(book.lane(business, k)) for k in TicketKind if self.twin.is_priority(k))
                 if priority else book.waiting_count(business))
        return self._shaped(business, ahead, raw, forecast.windows_open.get(business, 0), now)

    def _shaped(self, business: str, ahead: int, raw: float | None, windows_open: int,
                now: datetime) -> WaitEstimate:
        if raw is None or windows_open == 0:
            return WaitEstimate(ahead, None, windows_open)
        point, low, high = self.twin.model.calibrate(business, raw, now.hour)
        low_min = math.floor(low / 60)
        high_min = max(low_min + 1, math.ceil(high / 60))
        return WaitEstimate(ahead, round(point / 60), windows_open, low_min, high_min,
                            now + timedelta(seconds=point))


def _since(forecast: Forecast, raw: float | None, now: datetime) -> float | None:
    """A raw offset from the replay's moment, seen from `now` (a little later)."""
    if raw is None:
        return None
    return max(0.0, raw - (now - forecast.at).total_seconds())
