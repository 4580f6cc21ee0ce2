"""What the controller tells the hall once a change is stored: the retained state of the hall,
its windows, calls, queue and figures, the call events, reports up the bridge and the pad's
invitation to rate."""
from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from hall.controller import views
from hall.controller.rating_desk import PAD_PREFIX
from hall.core import events as ev
from hall.core.masking import mask_personal
from hall.core.queue_engine import Outcome
from hall.core.rating_token import rating_token_expiry, rating_url, sign_rating_token
from hall.core.ratings import Rating
from hall.core.state import HallState
from hall.protocol import encode
from hall.protocol import messages as m

if TYPE_CHECKING:
    from hall.controller.service import ControllerService

logger = logging.getLogger(__name__)

CONTROLLER_DEVICE_ID = "controller"
# The clerk's terminal of window N is the device `counter-N` (authority.device_window).
COUNTER_PREFIX = "counter-"
# The day's charts change slowly; recomputing them per ticket would waste the hub's CPU.
FIGURES_EVERY = timedelta(seconds=60)
QUEUE_AT_LEAST_EVERY_S = 0.5


class HallPublisher:
    """The controller's voice on the bus; it publishes only what the store already holds."""

    def __init__(self, owner: ControllerService) -> None:
        self._owner = owner
        self._config = owner.config
        self._catalogue = owner.catalogue
        self._topics = owner.topics
        self._details: dict[int, m.WindowDetail] = {}
        self._congested: frozenset[str] = frozenset()
        # The queue snapshot (the wait estimates: one replay of the queue) is published once a
        # burst of intents is handled, and at least every QUEUE_AT_LEAST_EVERY_S during one.
        self._queue_dirty_since: float | None = None
        self._figures_at: datetime | None = None

    def figures_due(self, now: datetime) -> bool:
        return self._figures_at is None or now - self._figures_at >= FIGURES_EVERY

    def publish_all(self, now: datetime) -> None:
        """Republish every retained topic: on start, after a reconnect, at a new day."""
        state = self._owner.state
        self._queue_dirty_since = None
        self.publish_retained(self._topics.presence(CONTROLLER_DEVICE_ID),
                               self._owner.presence(m.DeviceStatus.ONLINE, now))
        self.publish_retained(self._topics.hall, views.hall_info(
            self._catalogue, state, str(self._config.timezone), now))
        for window in self._catalogue.windows:
            self._publish_window(state, window.number, now, every=True)
        self.publish_retained(self._topics.calls, views.recent_calls(state, now))
        self._owner.notices.publish(now)
        self.publish_queue(state, now)
        self.publish_figures(now)

    def _publish_window(self, state: HallState, number: int, now: datetime, *,
                        every: bool = False) -> None:
        """The public window state, and what only its clerk reads on the counter's reply topic
        (that one only when it changed, or with `every`: a terminal redraws on each message)."""
        self.publish_retained(self._topics.window(number),
                               views.window_state(self._catalogue, state, number, now))
        detail = views.window_detail(state, number, now)
        unchanged = replace(detail, updated_at=self._details[number].updated_at) \
            if number in self._details else None
        if every or unchanged != self._details.get(number):
            self._details[number] = detail
            self.publish_retained(self._topics.reply(f"{COUNTER_PREFIX}{number}"), detail)

    def publish_figures(self, now: datetime) -> None:
        self._figures_at = now
        self.publish_retained(self._topics.figures, views.day_figures(self._owner.state, now))

    def publish_queue(self, state: HallState, now: datetime) -> None:
        """The queue snapshot, and an alert for each business that just became congested."""
        snapshot = views.queue_snapshot(self._catalogue, self._owner.estimator, state, now,
                                        self._owner.waits.modes)
        self.publish_retained(self._topics.queue, snapshot)
        self.publish_waits(state, now)
        congested = frozenset(b.code for b in snapshot.businesses if b.congested)
        for row in snapshot.businesses:
            if row.code in congested - self._congested:
                logger.warning("congestion: %s estimated wait %s min", row.code,
                               row.est_wait_min)
                self._owner.bus.publish(self._topics.alert, encode(m.HallAlert(
                    alert="congestion", at=now, business=row.code,
                    est_wait_min=row.est_wait_min,
                    message_zh=f"{row.name_zh}预计等待约 {row.est_wait_min} 分钟，"
                               "请考虑增开窗口或引导分流")), qos=1)
        self._congested = congested

    def publish_waits(self, state: HallState, now: datetime) -> None:
        """Per-ticket waits that changed, for phone pages (at most every few seconds)."""
        waits = self._owner.waits.ticket_waits(state, now)
        if waits is not None:
            self._owner.bus.publish(self._topics.waits, encode(waits), qos=0)

    def publish_changes(self, before: HallState, outcome: Outcome, now: datetime) -> None:
        after = outcome.state
        for event in outcome.events:
            wire = views.wire_event(self._catalogue, event)
            if wire is not None:
                topic = {m.TicketCalled: self._topics.called, m.TicketRecalled: self._topics.recalled,
                         m.TicketFinished: self._topics.finished}[type(wire)]
                self._owner.bus.publish(topic, encode(wire), qos=1)
            if isinstance(event, ev.TicketFinished):
                self._invite_rating(event, now)
        # A window's message also shows its ticket in service, parked and no-show numbers.
        touched: set[int | None] = set()
        cheap = after.book.changed_since(before.tickets)
        changed = cheap if cheap is not None else [
            t for tid, t in after.tickets.items() if before.tickets.get(tid) is not t]
        for ticket in changed:
            old = before.tickets.get(ticket.ticket_id)
            touched |= {ticket.window, old.window if old else None}
        for number, window in after.windows.items():
            if before.windows.get(number) is not window or number in touched:
                self._publish_window(after, number, now)
        if after.recent_calls is not before.recent_calls:
            self.publish_retained(self._topics.calls, views.recent_calls(after, now))
        if after.is_open != before.is_open:
            self.publish_retained(self._topics.hall, views.hall_info(
                self._catalogue, after, str(self._config.timezone), now))
        if self._queue_dirty_since is None:
            self._queue_dirty_since = time.monotonic()

    def publish_queue_when_idle(self, now: datetime, *, inbox_empty: bool) -> None:
        dirty = self._queue_dirty_since
        if dirty is None or not self._owner.on_bus:
            return
        if inbox_empty or time.monotonic() - dirty >= QUEUE_AT_LEAST_EVERY_S:
            self._queue_dirty_since = None
            self.publish_queue(self._owner.state, now)

    def report_rating(self, rating: Rating) -> None:
        """Stored first (the desk's transaction); then told to managers and the bridge."""
        self._owner.bus.publish(self._topics.ratings_report, encode(m.RatingRecorded(
            rating_id=rating.rating_id, ticket_id=rating.ticket_id,
            service_day=rating.service_day, window=rating.window, staff_id=rating.staff_id,
            items=rating.items, level=rating.level, channel=rating.channel,
            rated_at=rating.rated_at, sub_scores=dict(rating.sub_scores) or None,
            reasons=rating.reasons, comment=mask_personal(rating.comment))), qos=1)

    def report_case(self, outcome: m.CaseOutcome) -> None:
        """Each stored step of a bad rating's loop, beside the ratings (report/cases)."""
        if self._owner.on_bus:
            self._owner.bus.publish(self._topics.cases_report, encode(outcome), qos=1)

    def _invite_rating(self, event: ev.TicketFinished, now: datetime) -> None:
        """The window's pad alone learns what to rate, with a code a phone can rate with."""
        ticket = event.ticket
        items = ticket.items or (ticket.business,)
        token = sign_rating_token(
            self._owner.rating_key, self._catalogue.hall_id, ticket.ticket_id,
            rating_token_expiry(ticket.issued_at, self._catalogue.rules.rating_valid_s))
        staff = self._catalogue.staff_member(event.staff_id).name if event.staff_id else ""
        self._owner.bus.publish(self._topics.reply(f"{PAD_PREFIX}{event.window}"), encode(m.RatingInvite(
            ticket_id=ticket.ticket_id, number=str(ticket.number), window=event.window,
            staff_id=event.staff_id, staff_name=staff, items=items,
            items_zh=tuple(self._catalogue.business(code).name_zh for code in items),
            finished_at=event.at, rating_token=token, rating_url=self.rating_url(token))),
            qos=1)

    def rating_url(self, token: str) -> str:
        """The QR of a receipt or a pad, from hall.toml's [hall] public_base_url (its one source)."""
        base = self._config.public_base_url
        return rating_url(base, token) if base else ""

    def publish_retained(self, topic: str, message: m.Message) -> None:
        self._owner.bus.publish(topic, encode(message), qos=1, retain=True)

