"""The hall controller: the only writer of queue state. Composition root of core, store and bus."""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from hall import __version__
from hall.bus import Delivery as BusDelivery
from hall.bus import MqttBus, Will
from hall.config import HallConfig
from hall.controller import views
from hall.controller.alerts import DeviceAlerts
from hall.controller.appointment_desk import AppointmentDesk
from hall.controller.case_desk import CaseDesk
from hall.controller.complaint_desk import ComplaintDesk
from hall.controller.fair_inbox import PER_SENDER, FairInbox
from hall.controller.hall_ops_desk import HallOpsDesk
from hall.controller.hall_publisher import CONTROLLER_DEVICE_ID, FIGURES_EVERY, HallPublisher
from hall.controller.intake import Delivery, Intake
from hall.controller.loop_alerts import LoopAlerts
from hall.controller.notice_board import NoticeBoard
from hall.controller.rate_limits import ANY_MESSAGE, Limit, RateLimiter
from hall.controller.rating_desk import RatingDesk
from hall.controller.report_keeper import ReportRollupKeeper
from hall.controller.sign_in_desk import SignInDesk
from hall.controller.wait_desk import WaitDesk
from hall.core import events as ev
from hall.core.queue_engine import Outcome, QueueEngine
from hall.core.rating_token import rating_token_expiry, sign_rating_token
from hall.core.state import HallState
from hall.core.wait_estimate import TwinEstimator, WaitEstimator
from hall.protocol import Topics, encode
from hall.protocol import messages as m
from hall.quiet_log import QuietLogger
from hall.store import SqliteStore

logger = logging.getLogger(__name__)

# How often the worker wakes without messages to roll the day over and follow the hours.
TICK_S = 1.0
# A round takes milliseconds; one this long means the worker hangs (a lock, a dead disk).
STUCK_AFTER_S = 20.0


@dataclass(frozen=True, slots=True)
class _Wake:
    pass


class ControllerService:
    """Consumes intents from MQTT one at a time; persists, then answers, then publishes state."""

    def __init__(self, config: HallConfig, *, clock: Callable[[], datetime] | None = None,
                 estimator: WaitEstimator | None = None) -> None:
        self.config = config
        self.catalogue = config.catalogue
        self.topics = Topics(self.catalogue.hall_id)
        self.engine = QueueEngine(self.catalogue)
        self.estimator = estimator or TwinEstimator(self.catalogue)
        self.waits = WaitDesk(self.catalogue, self.estimator)
        self.clock = clock or (lambda: datetime.now(config.timezone))
        self._inbox: FairInbox[BusDelivery | _Wake] = FairInbox()
        self._stopping = threading.Event()
        self._worker: threading.Thread | None = None
        self._last_round = time.monotonic()
        self.intake = Intake(self, RateLimiter(config.rate_limit_scale))
        self.alerts = DeviceAlerts(
            lambda alert: self.bus.publish(self.topics.alert, encode(alert), qos=1), self.clock)
        self.appointments = AppointmentDesk(lambda code: self.store.appointment(code),
                                            on_locked=self.alerts.check_in_locked)
        self._held: list[Callable[[], None]] | None = None
        self._republish_due = threading.Event()
        self._dropped = QuietLogger(logger)
        self._flood_gate = RateLimiter(config.rate_limit_scale)
        # Topics cut by the flood gate since the worker last looked (it alerts managers).
        self._flooding: set[str] = set()
        self._store: SqliteStore | None = None
        self._state: HallState | None = None
        self._hours_open: bool | None = None
        self.boot_count = 0
        self._rating_key = b""
        self._notices: NoticeBoard | None = None
        self._ratings: RatingDesk | None = None
        self._complaints: ComplaintDesk | None = None
        self._sign_in: SignInDesk | None = None
        self._hall_ops: HallOpsDesk | None = None
        self._cases: CaseDesk | None = None
        self._loop_alerts: LoopAlerts | None = None
        self._loop_swept_at: datetime | None = None
        self._report_keeper: ReportRollupKeeper | None = None
        self.devices: dict[str, m.Presence] = {}
        self._bus: MqttBus | None = None
        self.publisher = HallPublisher(self)

    @property
    def state(self) -> HallState:
        if self._state is None:
            raise RuntimeError("the controller is not started")
        return self._state

    @property
    def ratings(self) -> RatingDesk:
        if self._ratings is None:
            raise RuntimeError("the controller is not started")
        return self._ratings

    @property
    def complaints(self) -> ComplaintDesk:
        if self._complaints is None:
            raise RuntimeError("the controller is not started")
        return self._complaints

    @property
    def cases(self) -> CaseDesk:
        if self._cases is None:
            raise RuntimeError("the controller is not started")
        return self._cases

    @property
    def sign_in(self) -> SignInDesk:
        if self._sign_in is None:
            raise RuntimeError("the controller is not started")
        return self._sign_in

    @property
    def hall_ops(self) -> HallOpsDesk:
        if self._hall_ops is None:
            raise RuntimeError("the controller is not started")
        return self._hall_ops

    @property
    def notices(self) -> NoticeBoard:
        if self._notices is None:
            raise RuntimeError("the controller is not started")
        return self._notices

    @property
    def rating_key(self) -> bytes:
        """The key that signs receipts' rating codes; ratings are checked against it."""
        return self._rating_key

    @property
    def bus(self) -> MqttBus:
        if self._bus is None:
            raise RuntimeError("the controller is not started")
        return self._bus

    @property
    def report_keeper(self) -> ReportRollupKeeper | None:
        """The reports' roll-up thread (None until started)."""
        return self._report_keeper

    @property
    def on_bus(self) -> bool:
        """Started on the bus: before that, the first connection republishes everything."""
        return self._bus is not None

    @property
    def store(self) -> SqliteStore:
        if self._store is None:
            raise RuntimeError("the controller is not started")
        return self._store

    def start(self) -> None:
        self._store = SqliteStore(self.config.store_path)
        self.boot_count = self.store.next_boot_count()
        self._rating_key = self.store.secret("rating_key")
        self._cases = CaseDesk(self.store, self.catalogue, self.config.calendar,
                               self.config.loop, self._rating_key, self.publisher.report_case)
        self._ratings = RatingDesk(self.store, self.catalogue, self._rating_key,
                                   on_recorded=self.publisher.report_rating,
                                   open_case=self.cases.open_for)
        self._complaints = ComplaintDesk(self.store, self.catalogue, self.config.calendar)
        self._loop_alerts = LoopAlerts(self.cases.cases, self.complaints.handling.complaints,
                                       self.config.calendar, self.config.loop)
        self._sign_in = SignInDesk(self.store, self.catalogue, on_locked=self.alerts.sign_in_locked)
        self._notices = NoticeBoard(
            self.store, lambda msg: self.publisher.publish_retained(self.topics.notices, msg))
        self._hall_ops = HallOpsDesk(self.store, self.catalogue, self.notices,
                                     lambda: self.state, self.estimator, self._rating_key)
        now = self.clock()
        loaded = self.store.load()
        self._state = loaded or self.engine.new_day(now)
        self.waits.refresh(self.store, now.date())
        self._apply(self.engine.roll_over(self.state, now), now, force=loaded is None)
        self._follow_hours(now, initial=True)
        self._report_keeper = ReportRollupKeeper(self.config.store_path,
                                                 lambda: self.state.service_day, self.clock)
        self._report_keeper.start()
        logger.info("controller of hall %s started (boot %d, day %s, %d tickets today)",
                    self.catalogue.hall_id, self.boot_count, self.state.service_day,
                    len(self.state.tickets))
        self._bus = MqttBus(
            f"controller-{self.catalogue.hall_id}", self.config.mqtt,
            # Acknowledged to the broker only once handled: a crash before that redelivers it.
            on_delivery=self._receive,
            subscriptions=((self.topics.all_intents, 1), (self.topics.all_manager_intents, 1),
                           (self.topics.all_presence, 1)),
            on_connect=self._reconnected,
            will=Will(self.topics.presence(CONTROLLER_DEVICE_ID),
                      encode(self.presence(m.DeviceStatus.OFFLINE, None))),
            # A persistent session: intents sent while the controller restarts wait for it.
            persistent_session=True,
        )
        self._worker = threading.Thread(target=self._run, name="controller", daemon=True)
        self._worker.start()
        self.bus.start()

    def _reconnected(self) -> None:
        self._republish_due.set()
        self._inbox.put_urgent(_Wake())

    def stop(self) -> None:
        """Finish the message in hand, say goodbye on the bus, close the database."""
        self._stopping.set()
        self._inbox.put_urgent(_Wake())
        if self._worker is not None:
            self._worker.join(timeout=10)
        if self._bus is not None:
            self._bus.stop(final=(self.topics.presence(CONTROLLER_DEVICE_ID),
                                  encode(self.presence(m.DeviceStatus.OFFLINE, self.clock()))))
        if self._report_keeper is not None:
            self._report_keeper.stop()
        if self._store is not None:
            try:
                self.waits.save_predictions(self._store)
            except Exception:
                logger.exception("could not keep the last wait predictions")
            self._store.close()
            self._store = None

    def wait_ready(self, timeout_s: float) -> bool:
        """Connected and subscribed: an intent sent after this is not missed (on a first
        connection the broker keeps nothing for a subscription it has not yet made)."""
        return self.bus.wait_connected(timeout_s) and self.bus.wait_subscribed(timeout_s)

    # -- the worker thread: every state change happens here, in order ------------------------

    def _receive(self, delivery: BusDelivery) -> None:
        """On paho's thread: a sender over ANY_MESSAGE is cut here, before it costs the worker
        anything (its QoS 1 backlog drains at network speed instead of blocking the broker's
        queue to the controller, which every device shares)."""
        if not self._flood_gate.allow(delivery.topic, ANY_MESSAGE, time.monotonic()):
            delivery.ack()
            self._flooding.add(delivery.topic)
            return
        if not self._inbox.put(delivery.topic, delivery, droppable=delivery.qos == 0):
            delivery.ack()  # a sender with this much waiting is flooding: dropped, counted
            self._dropped.warning(f"full:{delivery.topic}", "%s has %d messages waiting: "
                                  "dropping more", delivery.topic, PER_SENDER)

    def seconds_since_last_round(self) -> float:
        return time.monotonic() - self._last_round

    def is_healthy(self) -> bool:
        """The worker is alive and went round its loop lately (it wakes at least every TICK_S),
        and the broker acknowledges what it publishes (a stuck path is reconnected first)."""
        return (self._worker is not None and self._worker.is_alive()
                and self.seconds_since_last_round() < STUCK_AFTER_S
                and (self._bus is None or self._bus.publish_stuck_for() < STUCK_AFTER_S))

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._last_round = time.monotonic()
            item = self._inbox.get(TICK_S)
            now = self.clock()
            try:
                if self._republish_due.is_set():
                    # Ahead of any backlog: walls are fresh at once after a reconnect.
                    self._republish_due.clear()
                    self.publisher.publish_all(now)
                if isinstance(item, _Wake):
                    continue
                if item is not None:
                    try:
                        self.intake.take(Delivery(item.topic, item.payload, item.retained), now)
                    finally:
                        item.ack()  # even a message that broke the handler must not come back
                self._tick(now)
                self.publisher.publish_queue_when_idle(now, inbox_empty=len(self._inbox) == 0)
            except Exception:
                # Never let one bad message or a passing fault stop the hall.
                label = item.topic if isinstance(item, BusDelivery) else type(item).__name__
                logger.exception("controller failed handling %s", label)

    def _tick(self, now: datetime) -> None:
        if now.date() > self.state.service_day:
            self.waits.save_predictions(self.store)
            self.waits.refresh(self.store, now.date())
            self._apply(self.engine.roll_over(self.state, now), now, force=True)
            if self._report_keeper is not None:
                self._report_keeper.look_now()
        self._follow_hours(now)
        if self._bus is not None:
            self._bus.check_publish_path()
            while self._flooding:
                device_id = self._flooding.pop().split("/")[3:4] or ["?"]
                self.alert_rate_limited(device_id[0][:64], ANY_MESSAGE)
            self.notices.tick(now)
            if self.publisher.figures_due(now):
                self.publisher.publish_figures(now)
                self.waits.save_predictions(self.store)
            if self._loop_swept_at is None or now - self._loop_swept_at >= FIGURES_EVERY:
                self._sweep_loop(now)
            if self.waits.pending:
                self.publisher.publish_waits(self.state, now)

    def _follow_hours(self, now: datetime, *, initial: bool = False) -> None:
        """Open and close ticket issuing at the edges of the service hours (if configured)."""
        if not self.config.auto_hours:
            return
        is_open = self.catalogue.hours.is_open_at(now)
        if is_open == self._hours_open:
            return
        self._hours_open = is_open
        if is_open != self.state.is_open:
            command = self.engine.open_hall if is_open else self.engine.close_hall
            self._apply(command(self.state, now), now, force=initial)

    # -- what intents use (intake.py, intents.py) ------------------------------------------

    @contextmanager
    def answer_first(self) -> Iterator[None]:
        """State publications of a change wait until its answer is out: the asker hears first."""
        self._held = []
        try:
            yield
        finally:
            held, self._held = self._held, None
            for publish in held:
                publish()

    def commit(self, outcome: Outcome, now: datetime, *,
               request: tuple[str, str, bytes] | None = None) -> None:
        """Store an engine outcome with the answer to its request, then publish the changes."""
        self._apply(outcome, now, request=request)

    def answer_of(self, intent: m.Intent, outcome: Outcome, now: datetime) -> m.Answer:
        return self._answer(intent, outcome, now)

    def reply(self, device_id: str, answer: m.Answer) -> None:
        """Answers go only to the asking device's own reply topic."""
        self.bus.publish(self.topics.reply(device_id), encode(answer), qos=1)

    def note_presence(self, device_id: str, presence: m.Presence) -> None:
        self.devices[device_id] = presence

    def alert_rate_limited(self, device_id: str, limit: Limit) -> None:
        self.alerts.rate_limited(device_id, limit)

    def set_issuing_cutoff(self, intent: m.SetIssuingCutoff, now: datetime, device_id: str,
                           stored_answer: Callable[[m.Answer], tuple[str, str, bytes]]
                           ) -> m.Answer:
        """A manager's override of one business's cut-off, for the rest of the service day."""
        answer = m.Accepted(request_id=intent.request_id, events=("CutoffSet",))
        self.waits.set_mode(self.store, intent, now, device_id, stored_answer(answer))
        self.publisher.publish_queue(self.state, now)
        return answer

    def _answer(self, intent: m.Intent, outcome: Outcome, now: datetime) -> m.Answer:
        for event in outcome.events:
            if isinstance(event, (ev.TicketIssued, ev.AppointmentCheckedIn)):
                ticket = event.ticket
                # From the state it joined (replayed for the last snapshot already): the answer
                # goes out without waiting for a new replay, and says what the kiosk showed.
                estimate = self.waits.estimate_for_new(self.state, ticket, now)
                token = sign_rating_token(
                    self._rating_key, self.catalogue.hall_id, ticket.ticket_id,
                    rating_token_expiry(ticket.issued_at, self.catalogue.rules.rating_valid_s))
                return m.TicketAnswer(
                    request_id=intent.request_id,
                    ticket=views.ticket_view(self.catalogue, ticket),
                    people_ahead=estimate.people_ahead, est_wait_min=estimate.minutes,
                    rating_token=token, est_wait_low_min=estimate.low_min,
                    est_wait_high_min=estimate.high_min, rating_url=self.publisher.rating_url(token))
        number = ""
        for event in outcome.events:
            concerned = getattr(event, "ticket", None)
            if concerned is not None:
                number = str(concerned.number)
        return m.Accepted(request_id=intent.request_id, number=number,
                          events=tuple(type(e).__name__ for e in outcome.events))

    def _apply(self, outcome: Outcome, now: datetime, *, force: bool = False,
               request: tuple[str, str, bytes] | None = None) -> None:
        """Persist first; only then answer and publish, so nothing acknowledged can be lost."""
        before = self.state
        if not outcome.events and not force and request is None:
            return
        self.store.commit(before, outcome.state, outcome.events, now, request=request)
        self._state = outcome.state
        if self._bus is None:
            return  # not on the bus yet: the first connection republishes everything
        if force or any(isinstance(e, ev.DayRolledOver) for e in outcome.events):
            self._publish(lambda: self.publisher.publish_all(now))
            return
        self._publish(lambda: self.publisher.publish_changes(before, outcome, now))

    def _publish(self, publication: Callable[[], None]) -> None:
        if self._held is not None:
            self._held.append(publication)
        else:
            publication()

    def _sweep_loop(self, now: datetime) -> None:
        """Open cases a stop left behind; alert overdue cases, complaints, a missing calendar."""
        if self._loop_swept_at is None:
            self.cases.open_missing(now)
        self._loop_swept_at = now
        if self._loop_alerts is not None:
            for alert in self._loop_alerts.due(now):
                logger.warning("%s: %s", alert.alert, alert.message_zh)
                self.bus.publish(self.topics.alert, encode(alert), qos=1)

    def presence(self, status: m.DeviceStatus, now: datetime | None) -> m.Presence:
        return m.Presence(device_id=CONTROLLER_DEVICE_ID, role=m.Role.CONTROLLER, status=status,
                          boot_count=self.boot_count, app_version=__version__, at=now)
