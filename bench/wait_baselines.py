"""The classic wait predictors, computed from the same hall state as the estimator.

QL: people ahead x mean handle time / windows open for the business. Multi-skill QL: the work
waiting in every business that competes for the same windows, shared in proportion. Erlang-A
QL: QL where people ahead leave at the observed no-show rate. LES: the wait of the last ticket
of the business to be called. HOL: how long the head of the line has waited; HOL with arrival
rate: people ahead / the business's recent arrival rate. Moving average and EWMA of the last
realised waits of the business.
"""
from __future__ import annotations

from collections import defaultdict, deque
from datetime import datetime

from hall.core import events as ev
from hall.core.catalogue import Catalogue
from hall.core.ids import TicketKind, WindowStatus
from hall.core.state import HallState

BASELINES = ("QL", "multi-skill QL", "Erlang-A QL", "LES", "HOL", "HOL-λ", "moving average",
             "EWMA")
MOVING_WINDOW = 10
EWMA_ALPHA = 0.2
ARRIVAL_WINDOW_S = 1800.0


class Baselines:
    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.last_wait: dict[str, float] = {}
        self.recent_waits: dict[str, deque[float]] = defaultdict(lambda: deque(maxlen=MOVING_WINDOW))
        self.ewma: dict[str, float] = {}
        self.arrivals: dict[str, deque[datetime]] = defaultdict(deque)
        self.called: dict[str, int] = defaultdict(int)
        self.missed: dict[str, int] = defaultdict(int)

    def observe(self, state: HallState, event: ev.Event) -> None:
        if isinstance(event, (ev.TicketIssued, ev.AppointmentCheckedIn)):
            self.arrivals[event.ticket.business].append(event.at)
        elif isinstance(event, ev.TicketCalled) and event.ticket.call_count == 1:
            t = event.ticket
            wait = (event.at - t.queued_at).total_seconds()
            self.last_wait[t.business] = wait
            self.recent_waits[t.business].append(wait)
            previous = self.ewma.get(t.business)
            self.ewma[t.business] = wait if previous is None else (
                EWMA_ALPHA * wait + (1 - EWMA_ALPHA) * previous)
            self.called[t.business] += 1
        elif isinstance(event, ev.TicketMarkedNoShow):
            self.missed[event.ticket.business] += 1

    def predict(self, state: HallState, business: str, now: datetime,
                ahead: int) -> dict[str, float]:
        """Seconds each classic predictor quotes for a normal ticket of `business` now."""
        handle = self._mean_handle(state, business)
        open_windows = [w for w in self.catalogue.windows_serving(business)
                        if state.window(w.number).status in (WindowStatus.IDLE,
                                                             WindowStatus.SERVING)]
        servers = max(1, len(open_windows))
        ql = ahead * handle / servers
        found = {"QL": ql}
        # Work of every business these windows serve, each window shared by its businesses.
        competing = 0.0
        for w in open_windows:
            for code in w.businesses:
                waiting = state.book.waiting_count(code)
                competing += waiting * self._mean_handle(state, code) / len(w.businesses)
        found["multi-skill QL"] = (competing / servers) if open_windows else ql
        leave = self.missed[business] / max(1, self.called[business])
        theta = leave / max(60.0, self.ewma.get(business, 600.0))
        rate, wait = servers / handle, 0.0
        for i in range(ahead):
            wait += 1.0 / (rate + i * theta)
        found["Erlang-A QL"] = wait
        found["LES"] = self.last_wait.get(business, ql)
        head = min((t.queued_at for t in _heads(state, business)), default=None)
        found["HOL"] = (now - head).total_seconds() if head is not None else 0.0
        arrivals = self.arrivals[business]
        while arrivals and (now - arrivals[0]).total_seconds() > ARRIVAL_WINDOW_S:
            arrivals.popleft()
        lam = len(arrivals) / ARRIVAL_WINDOW_S
        found["HOL-λ"] = ahead / lam if lam > 0 else found["HOL"]
        recent = self.recent_waits[business]
        found["moving average"] = sum(recent) / len(recent) if recent else ql
        found["EWMA"] = self.ewma.get(business, ql)
        return found

    def _mean_handle(self, state: HallState, business: str) -> float:
        recent = state.recent_handle_s.get(business, ())
        if recent:
            return max(30.0, sum(recent) / len(recent))
        return float(self.catalogue.business(business).typical_handle_s)


def _heads(state: HallState, business: str) -> list:  # type: ignore[type-arg]
    book = state.book
    return [book[lane[0]] for kind in TicketKind if (lane := book.lane(business, kind))]
