"""The controller's side of the wait estimate: the daily model, the cut-off, per-ticket waits."""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from hall.core.catalogue import Catalogue
from hall.core.cutoff import CutoffMode, IssuingCutOff, cutoff_for
from hall.core.errors import UnknownBusiness
from hall.core.ids import TicketKind
from hall.core.state import HallState, Ticket
from hall.core.wait_estimate import TwinEstimator, WaitEstimate, WaitEstimator
from hall.core.wait_model import learn_model
from hall.protocol import messages as m
from hall.store import SqliteStore
from hall.store.cutoff_store import cutoff_modes, save_cutoff_mode
from hall.store.wait_history import past_pauses, past_tickets, save_predictions

logger = logging.getLogger(__name__)

# Per-ticket waits go out for the first tickets of each queue only: further back, the figure
# moves little and a long queue would flood the phone pages.
TICKET_WAITS_PER_BUSINESS = 25
# A phone page needs no faster news than this; a burst of tickets then costs one message.
TICKET_WAITS_EVERY = timedelta(seconds=5)


class WaitDesk:
    def __init__(self, catalogue: Catalogue, estimator: WaitEstimator) -> None:
        self.catalogue = catalogue
        self.estimator = estimator
        self.modes: dict[str, CutoffMode] = {}
        self._learned_for: date | None = None
        self._published: dict[str, tuple[int, int | None, int | None]] = {}
        self._waits_at: datetime | None = None
        # Some change was not yet told to phone pages (the last message was too recent).
        self.pending = False
        self._predictions: dict[str, float] = {}

    def refresh(self, store: SqliteStore, today: date) -> None:
        """Learn from the stored days once per service day; load that day's overrides.

        Overrides hold for the service day they were set on: a new day starts on auto.
        """
        if self._learned_for == today:
            return
        self._learned_for = today
        self.modes = cutoff_modes(store, today)
        self._published = {}
        if not isinstance(self.estimator, TwinEstimator):
            return
        model = learn_model(self.catalogue, past_tickets(store, today), past_pauses(store, today),
                            learned_on=today)
        self.estimator.use_model(model)
        logger.info("wait model learned from %d past days", model.days_learned)

    def estimate_new(self, state: HallState, business: str, priority: bool,
                     now: datetime) -> WaitEstimate:
        if priority and isinstance(self.estimator, TwinEstimator):
            return self.estimator.for_priority(state, business, now)
        return self.estimator.for_business(state, business, now)

    def estimate_for_new(self, joined: HallState, ticket: Ticket, now: datetime) -> WaitEstimate:
        """The wait of a ticket just issued, from the state it joined (before the command)."""
        priority = ticket.kind is TicketKind.PRIORITY or (
            ticket.kind is TicketKind.APPOINTMENT and self.catalogue.rules.appointment_is_priority)
        if isinstance(self.estimator, TwinEstimator):
            raw = self.estimator.raw_new_s(joined, ticket.business, now, priority=priority)
            if raw is not None:
                self._predictions[ticket.ticket_id] = raw
        return self.estimate_new(joined, ticket.business, priority, now)

    def save_predictions(self, store: SqliteStore) -> None:
        """Write the raw predictions made since the last call (one transaction)."""
        if self._predictions:
            save_predictions(store, self._predictions)
            self._predictions = {}

    def check_take(self, state: HallState, intent: m.TakeTicket, now: datetime) -> None:
        """Refuse a ticket that would not be served today, saying why and when to come."""
        if not state.is_open:
            return  # the engine refuses it as closed
        try:
            self.catalogue.business(intent.business)
        except UnknownBusiness:
            return  # the engine refuses it with its own code
        estimate = self.estimate_new(state, intent.business, intent.priority, now)
        mode = self.modes.get(intent.business, CutoffMode.AUTO)
        cut = cutoff_for(self.catalogue, intent.business, estimate, now, mode)
        if cut is not None:
            raise IssuingCutOff(cut.text_zh, business=intent.business, reason=cut.reason,
                                message_zh=cut.text_zh, message_en=cut.text_en,
                                next_opening=cut.next_opening.isoformat()
                                if cut.next_opening else "")

    def set_mode(self, store: SqliteStore, intent: m.SetIssuingCutoff, now: datetime,
                 set_by: str, request: tuple[str, str, bytes] | None = None) -> None:
        """A manager's override for the rest of the service day, stored with its answer."""
        self.catalogue.business(intent.business)
        save_cutoff_mode(store, now.date(), intent.business, intent.mode, now, set_by, request)
        self.modes[intent.business] = intent.mode
        logger.info("issuing cut-off of %s set to %s by %s", intent.business, intent.mode,
                    set_by)

    def ticket_waits(self, state: HallState, now: datetime, *,
                     complete: bool = False) -> m.TicketWaits | None:
        """The waits that changed since the last message (all of them when `complete`).

        None when nothing changed, or the last message is younger than TICKET_WAITS_EVERY.
        """
        if not complete and self._waits_at is not None and \
                timedelta(0) <= now - self._waits_at < TICKET_WAITS_EVERY:
            self.pending = True
            return None
        self._waits_at = now
        self.pending = False
        found: dict[str, tuple[int, int | None, int | None]] = {}
        changed = []
        for business in self.catalogue.businesses:
            first = state.book.first_waiting(business.code, TICKET_WAITS_PER_BUSINESS)
            for ahead, ticket in enumerate(first):
                e = (self.estimator.for_waiting(state, ticket, ahead, now)
                     if isinstance(self.estimator, TwinEstimator)
                     else self.estimator.for_ticket(state, ticket, now))
                figures = (e.people_ahead, e.low_min, e.high_min)
                found[ticket.ticket_id] = figures
                if complete or self._published.get(ticket.ticket_id) != figures:
                    changed.append(m.TicketWait(
                        ticket_id=ticket.ticket_id, number=str(ticket.number),
                        business=ticket.business, people_ahead=e.people_ahead,
                        low_min=e.low_min, high_min=e.high_min))
        self._published = found
        if not changed:
            return None
        return m.TicketWaits(updated_at=now, waits=tuple(changed), complete=complete)
