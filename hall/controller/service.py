"""The hall controller: the only writer of queue state. Composition root of core, store and bus."""
from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from hall import __version__
from hall.bus import MqttBus, Will
from hall.config import HallConfig
from hall.controller import views
from hall.controller.authority import check_permitted, check_requeue
from hall.controller.complaint_desk import ComplaintDesk
from hall.controller.dispatch import apply_intent
from hall.controller.notice_board import NoticeBoard
from hall.controller.rating_desk import PAD_PREFIX, RatingDesk
from hall.controller.sign_in_desk import SignInDesk
from hall.controller.wait_desk import WaitDesk
from hall.core import events as ev
from hall.core.errors import HallError
from hall.core.ids import TicketNumber
from hall.core.queue_engine import Outcome, QueueEngine
from hall.core.rating_token import rating_token_expiry, sign_rating_token
from hall.core.ratings import Rating
from hall.core.state import HallState
from hall.core.wait_estimate import TwinEstimator, WaitEstimator
from hall.protocol import MessageDecodeError, TopicKind, Topics, decode, encode, request_id_of
from hall.protocol import messages as m
from hall.quiet_log import QuietLogger, truncate
from hall.store import SqliteStore

logger = logging.getLogger(__name__)

CONTROLLER_DEVICE_ID = "controller"
# How often the worker wakes without messages to roll the day over and follow the hours.
TICK_S = 1.0
# A round takes milliseconds; one this long means the worker hangs (a lock, a dead disk).
STUCK_AFTER_S = 20.0
# The day's charts change slowly; recomputing them per ticket would waste the hub's CPU.
FIGURES_EVERY = timedelta(seconds=60)
QUEUE_AT_LEAST_EVERY_S = 0.5


_Delivery = tuple[str, bytes, Callable[[], None]]


@dataclass(frozen=True, slots=True)
class _Republish:
    pass


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
        self._inbox: queue.Queue[_Delivery | _Republish | _Wake] = queue.Queue()
        self._stopping = threading.Event()
        self._worker: threading.Thread | None = None
        self._last_round = time.monotonic()
        self._quiet = QuietLogger(logger)
        self._store: SqliteStore | None = None
        self._state: HallState | None = None
        self._hours_open: bool | None = None
        self.boot_count = 0
        self._rating_key = b""
        self._notices: NoticeBoard | None = None
        self._ratings: RatingDesk | None = None
        self._complaints: ComplaintDesk | None = None
        self._sign_in: SignInDesk | None = None
        self._congested: frozenset[str] = frozenset()
        # The queue snapshot (the wait estimates: one replay of the queue) is published once a
        # burst of intents is handled, and at least every QUEUE_AT_LEAST_EVERY_S during one.
        self._queue_dirty_since: float | None = None
        self._figures_at: datetime | None = None
        self.devices: dict[str, m.Presence] = {}
        self._bus: MqttBus | None = None

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
    def sign_in(self) -> SignInDesk:
        if self._sign_in is None:
            raise RuntimeError("the controller is not started")
        return self._sign_in

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
    def store(self) -> SqliteStore:
        if self._store is None:
            raise RuntimeError("the controller is not started")
        return self._store

    def start(self) -> None:
        self._store = SqliteStore(self.config.store_path)
        self.boot_count = self.store.next_boot_count()
        self._rating_key = self.store.secret("rating_key")
        self._ratings = RatingDesk(self.store, self.catalogue, self._rating_key,
                                   on_recorded=self._report_rating)
        self._complaints = ComplaintDesk(self.store, self.catalogue)
        self._sign_in = SignInDesk(self.store, self.catalogue, on_locked=self._alert_locked)
        self._notices = NoticeBoard(
            self.store, lambda msg: self._publish_retained(self.topics.notices, msg))
        now = self.clock()
        loaded = self.store.load()
        self._state = loaded or self.engine.new_day(now)
        self.waits.refresh(self.store, now.date())
        self._apply(self.engine.roll_over(self.state, now), now, force=loaded is None)
        self._follow_hours(now, initial=True)
        logger.info("controller of hall %s started (boot %d, day %s, %d tickets today)",
                    self.catalogue.hall_id, self.boot_count, self.state.service_day,
                    len(self.state.tickets))
        self._bus = MqttBus(
            f"controller-{self.catalogue.hall_id}", self.config.mqtt,
            # Acknowledged to the broker only once handled: a crash before that redelivers it.
            on_delivery=self._receive,
            subscriptions=((self.topics.all_intents, 1), (self.topics.all_manager_intents, 1),
                           (self.topics.all_presence, 1)),
            on_connect=lambda: self._inbox.put(_Republish()),
            will=Will(self.topics.presence(CONTROLLER_DEVICE_ID),
                      encode(self._presence(m.DeviceStatus.OFFLINE, None))),
            # A persistent session: intents sent while the controller restarts wait for it.
            persistent_session=True,
        )
        self._worker = threading.Thread(target=self._run, name="controller", daemon=True)
        self._worker.start()
        self.bus.start()

    def stop(self) -> None:
        """Finish the message in hand, say goodbye on the bus, close the database."""
        self._stopping.set()
        self._inbox.put(_Wake())
        if self._worker is not None:
            self._worker.join(timeout=10)
        if self._bus is not None:
            self._bus.stop(final=(self.topics.presence(CONTROLLER_DEVICE_ID),
                                  encode(self._presence(m.DeviceStatus.OFFLINE, self.clock()))))
        if self._store is not None:
            try:
                self.waits.save_predictions(self._store)
            except Exception:
                logger.exception("could not keep the last wait predictions")
            self._store.close()
            self._store = None

    def wait_ready(self, timeout_s: float) -> bool:
        return self.bus.wait_connected(timeout_s)

    # -- the worker thread: every state change happens here, in order ------------------------

    def _receive(self, topic: str, payload: bytes, ack: Callable[[], None]) -> None:
        self._inbox.put((topic, payload, ack))

    def seconds_since_last_round(self) -> float:
        return time.monotonic() - self._last_round

    def is_healthy(self) -> bool:
        """The worker is alive and went round its loop lately (it wakes at least every TICK_S)."""
        return (self._worker is not None and self._worker.is_alive()
                and self.seconds_since_last_round() < STUCK_AFTER_S)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._last_round = time.monotonic()
            try:
                item = self._inbox.get(timeout=TICK_S)
            except queue.Empty:
                item = None
            now = self.clock()
            try:
                if isinstance(item, _Wake):
                    continue
                if isinstance(item, _Republish):
                    self.publish_all(now)
                elif item is not None:
                    try:
                        self._handle(item[0], item[1], now)
                    finally:
                        item[2]()  # even a message that broke the handler must not come back
                self._tick(now)
                self._publish_queue_when_idle(now)
            except Exception:
                # Never let one bad message or a passing fault stop the hall.
                label = item[0] if isinstance(item, tuple) else type(item).__name__
                logger.exception("controller failed handling %s", label)

    def _tick(self, now: datetime) -> None:
        if now.date() > self.state.service_day:
            self.waits.save_predictions(self.store)
            self.waits.refresh(self.store, now.date())
            self._apply(self.engine.roll_over(self.state, now), now, force=True)
        self._follow_hours(now)
        if self._bus is not None:
            self.notices.tick(now)
            if self._figures_at is None or now - self._figures_at >= FIGURES_EVERY:
                self._publish_figures(now)
                self.waits.save_predictions(self.store)
            if self.waits.pending:
                self._publish_waits(self.state, now)

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

    def _handle(self, topic: str, payload: bytes, now: datetime) -> None:
        try:
            message = decode(topic, payload)
            where = self.topics.parse(topic)
        except MessageDecodeError as exc:
            self._reject_malformed(topic, payload, exc)
            return
        if where.kind is TopicKind.PRESENCE:
            if isinstance(message, m.Presence):
                self.devices[where.device_id] = message
            return
        if isinstance(message, m.SetIssuingCutoff):
            self._serve_cutoff(where.device_id, message, now)
            return
        if isinstance(message, (m.PushNotice, m.RetractNotice)):
            self._serve_notice(where.device_id, message, now)
            return
        if where.kind is TopicKind.INTENT and isinstance(message, m.Intent):
            try:
                check_permitted(where.device_id, message)
            except HallError as exc:
                self._quiet.warning(f"not_permitted:{where.device_id}:{message.KIND}",
                                    "refused %s from %s: %s", message.KIND, where.device_id,
                                    exc.message)
                self._reply(self._reply_topic(where.device_id, message.reply_to),
                            self._rejected(message, exc))
                return
        if isinstance(message, (m.SubmitRating, m.FileComplaint, m.LookupComplaint)):
            self._serve_desk(where.device_id, message, now)
            return
        if not isinstance(message, m.Intent):
            return
        self._serve(where.device_id, message, now)

    def _serve_desk(self, device_id: str,
                    intent: m.SubmitRating | m.FileComplaint | m.LookupComplaint,
                    now: datetime) -> None:
        """Ratings and complaints: outside the queue engine, stored with their answers."""
        reply_to = self._reply_topic(device_id, intent.reply_to)
        cached = self.store.answer_for(device_id, intent.request_id) if intent.request_id else None
        if cached is not None:
            if reply_to:
                self.bus.publish(reply_to, cached, qos=1)  # a retry: recorded once, same answer
            return
        try:
            answer: m.Answer
            if isinstance(intent, m.SubmitRating):
                answer = self.ratings.handle(intent, device_id, now)
            else:
                answer = self.complaints.handle(intent, device_id, now)
        except HallError as exc:
            answer = self._rejected(intent, exc)
        except Exception as exc:
            logger.exception("could not store %s from %s", intent.KIND, device_id)
            answer = m.Rejected(request_id=intent.request_id, code="store_failed",
                                message=f"not stored: {type(exc).__name__}")
        self._reply(reply_to, answer)

    def _serve_notice(self, device_id: str, intent: m.PushNotice | m.RetractNotice,
                      now: datetime) -> None:
        reply_to = self._reply_topic(device_id, intent.reply_to)
        try:
            answer: m.Answer = self.notices.handle(intent, device_id, now)
        except HallError as exc:
            answer = self._rejected(intent, exc)
        self._reply(reply_to, answer)

    def _serve_cutoff(self, device_id: str, intent: m.SetIssuingCutoff, now: datetime) -> None:
        reply_to = self._reply_topic(device_id, intent.reply_to)
        try:
            self.waits.set_mode(intent)
            answer: m.Answer = m.Accepted(request_id=intent.request_id, events=("CutoffSet",))
        except HallError as exc:
            answer = self._rejected(intent, exc)
        self._reply(reply_to, answer)
        self._publish_queue(self.state, now)

    def _serve(self, device_id: str, intent: m.Intent, now: datetime) -> None:
        reply_to = self._reply_topic(device_id, intent.reply_to)
        if intent.request_id:
            cached = self.store.answer_for(device_id, intent.request_id)
            if cached is not None:
                # A retry of a request already carried out: same answer, no second ticket.
                if reply_to:
                    self.bus.publish(reply_to, cached, qos=1)
                return
        try:
            if isinstance(intent, m.SignIn):
                self.sign_in.check(intent, now)
            if isinstance(intent, m.TakeTicket):
                self.waits.check_take(self.state, intent, now)
            if isinstance(intent, m.Requeue):
                ticket = self.state.ticket_by_number(TicketNumber(intent.number.strip().upper()))
                if ticket is not None:
                    check_requeue(device_id, ticket.window)
            outcome = apply_intent(self.engine, self.state, intent, now, self.store.appointment)
        except HallError as exc:
            logger.info("%s from %s refused: %s", intent.KIND, device_id, exc.message)
            self._reply(reply_to, self._rejected(intent, exc))
            return
        answer = encode(self._answer(intent, outcome, now))
        request = (device_id, intent.request_id, answer) if intent.request_id else None
        try:
            self._apply(outcome, now, request=request, answer=(reply_to, answer))
        except Exception as exc:
            logger.exception("could not store %s from %s", intent.KIND, device_id)
            self._reply(reply_to, m.Rejected(request_id=intent.request_id, code="store_failed",
                                             message=f"not stored: {type(exc).__name__}"))

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
                    est_wait_high_min=estimate.high_min)
        number = ""
        for event in outcome.events:
            concerned = getattr(event, "ticket", None)
            if concerned is not None:
                number = str(concerned.number)
        return m.Accepted(request_id=intent.request_id, number=number,
                          events=tuple(type(e).__name__ for e in outcome.events))

    def _apply(self, outcome: Outcome, now: datetime, *, force: bool = False,
               request: tuple[str, str, bytes] | None = None,
               answer: tuple[str, bytes] | None = None) -> None:
        """Persist first; only then answer and publish, so nothing acknowledged can be lost."""
        before = self.state
        if not outcome.events and not force and request is None:
            return
        self.store.commit(before, outcome.state, outcome.events, now, request=request)
        self._state = outcome.state
        if self._bus is None:
            return  # not on the bus yet: the first connection republishes everything
        if answer is not None and answer[0]:
            self.bus.publish(answer[0], answer[1], qos=1)
        if force or any(isinstance(e, ev.DayRolledOver) for e in outcome.events):
            self.publish_all(now)
            return
        self._publish_changes(before, outcome, now)

    # -- publishing --------------------------------------------------------------------------

    def publish_all(self, now: datetime) -> None:
        """Republish every retained topic: on start, after a reconnect, at a new day."""
        state = self.state
        self._queue_dirty_since = None
        self._publish_retained(self.topics.presence(CONTROLLER_DEVICE_ID),
                               self._presence(m.DeviceStatus.ONLINE, now))
        self._publish_retained(self.topics.hall, views.hall_info(
            self.catalogue, state, str(self.config.timezone), now))
        for window in self.catalogue.windows:
            self._publish_retained(self.topics.window(window.number),
                                   views.window_state(self.catalogue, state, window.number, now))
        self._publish_retained(self.topics.calls, views.recent_calls(state, now))
        self.notices.publish(now)
        self._publish_queue(state, now)
        self._publish_figures(now)

    def _publish_figures(self, now: datetime) -> None:
        self._figures_at = now
        self._publish_retained(self.topics.figures, views.day_figures(self.state, now))

    def _publish_queue(self, state: HallState, now: datetime) -> None:
        """The queue snapshot, and an alert for each business that just became congested."""
        snapshot = views.queue_snapshot(self.catalogue, self.estimator, state, now,
                                        self.waits.modes)
        self._publish_retained(self.topics.queue, snapshot)
        self._publish_waits(state, now)
        congested = frozenset(b.code for b in snapshot.businesses if b.congested)
        for row in snapshot.businesses:
            if row.code in congested - self._congested:
                logger.warning("congestion: %s estimated wait %s min", row.code,
                               row.est_wait_min)
                self.bus.publish(self.topics.alert, encode(m.HallAlert(
                    alert="congestion", at=now, business=row.code,
                    est_wait_min=row.est_wait_min,
                    message_zh=f"{row.name_zh}预计等待约 {row.est_wait_min} 分钟，"
                               "请考虑增开窗口或引导分流")), qos=1)
        self._congested = congested

    def _publish_waits(self, state: HallState, now: datetime) -> None:
        """Per-ticket waits that changed, for phone pages (at most every few seconds)."""
        waits = self.waits.ticket_waits(state, now)
        if waits is not None:
            self.bus.publish(self.topics.waits, encode(waits), qos=0)

    def _publish_changes(self, before: HallState, outcome: Outcome, now: datetime) -> None:
        after = outcome.state
        for event in outcome.events:
            wire = views.wire_event(self.catalogue, event)
            if wire is not None:
                topic = {m.TicketCalled: self.topics.called, m.TicketRecalled: self.topics.recalled,
                         m.TicketFinished: self.topics.finished}[type(wire)]
                self.bus.publish(topic, encode(wire), qos=1)
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
                self._publish_retained(self.topics.window(number),
                                       views.window_state(self.catalogue, after, number, now))
        if after.recent_calls is not before.recent_calls:
            self._publish_retained(self.topics.calls, views.recent_calls(after, now))
        if after.is_open != before.is_open:
            self._publish_retained(self.topics.hall, views.hall_info(
                self.catalogue, after, str(self.config.timezone), now))
        if self._queue_dirty_since is None:
            self._queue_dirty_since = time.monotonic()

    def _publish_queue_when_idle(self, now: datetime) -> None:
        dirty = self._queue_dirty_since
        if dirty is None or self._bus is None:
            return
        if self._inbox.empty() or time.monotonic() - dirty >= QUEUE_AT_LEAST_EVERY_S:
            self._queue_dirty_since = None
            self._publish_queue(self.state, now)

    def _alert_locked(self, staff_id: str, window: int) -> None:
        """Managers hear of every lock: a clerk who forgot the PIN, or someone guessing."""
        logger.warning("sign-in at window %d locked after wrong PINs for 工号 %s", window, staff_id)
        self.bus.publish(self.topics.alert, encode(m.HallAlert(
            alert="sign_in_locked", at=self.clock(),
            message_zh=f"{window} 号窗口登录已锁定：工号 {staff_id} 连续输错密码")), qos=1)

    def _report_rating(self, rating: Rating) -> None:
        """Stored first (the desk's transaction); then told to managers and the bridge."""
        self.bus.publish(self.topics.ratings_report, encode(m.RatingRecorded(
            rating_id=rating.rating_id, ticket_id=rating.ticket_id,
            service_day=rating.service_day, window=rating.window, staff_id=rating.staff_id,
            items=rating.items, level=rating.level, channel=rating.channel,
            rated_at=rating.rated_at, sub_scores=dict(rating.sub_scores) or None,
            reasons=rating.reasons, comment=rating.comment)), qos=1)

    def _invite_rating(self, event: ev.TicketFinished, now: datetime) -> None:
        """The window's pad alone learns what to rate, with a code a phone can rate with."""
        ticket = event.ticket
        items = ticket.items or (ticket.business,)
        token = sign_rating_token(
            self._rating_key, self.catalogue.hall_id, ticket.ticket_id,
            rating_token_expiry(ticket.issued_at, self.catalogue.rules.rating_valid_s))
        staff = self.catalogue.staff_member(event.staff_id).name if event.staff_id else ""
        self.bus.publish(self.topics.reply(f"{PAD_PREFIX}{event.window}"), encode(m.RatingInvite(
            ticket_id=ticket.ticket_id, number=str(ticket.number), window=event.window,
            staff_id=event.staff_id, staff_name=staff, items=items,
            items_zh=tuple(self.catalogue.business(code).name_zh for code in items),
            finished_at=event.at, rating_token=token)), qos=1)

    def _publish_retained(self, topic: str, message: m.Message) -> None:
        self.bus.publish(topic, encode(message), qos=1, retain=True)

    @staticmethod
    def _rejected(intent: m.Intent, exc: HallError) -> m.Rejected:
        return m.Rejected(request_id=intent.request_id, code=exc.code, message=exc.message,
                          detail={k: str(v) for k, v in exc.fields.items()} or None)

    def _reply(self, reply_to: str, answer: m.Answer) -> None:
        if reply_to:
            self.bus.publish(reply_to, encode(answer), qos=1)

    def _reply_topic(self, device_id: str, requested: str) -> str:
        """Answers go only to the asking device's own reply topic, whatever else it names."""
        if not requested:
            return ""
        own = self.topics.reply(device_id)
        if requested != own:
            self._quiet.warning(f"reply_to:{device_id}",
                                "%s asked for answers on %s; answering on %s", device_id,
                                requested, own)
        return own

    def _reject_malformed(self, topic: str, payload: bytes, exc: MessageDecodeError) -> None:
        self._quiet.warning(f"malformed:{topic}:{exc.kind}",
                            "malformed message on %s: %s (payload %s)", topic, exc.reason,
                            truncate(payload))
        try:
            where = self.topics.parse(topic)
        except MessageDecodeError:
            return
        request_id, reply_to = request_id_of(payload)
        if where.kind is TopicKind.INTENT and reply_to:
            self._reply(self.topics.reply(where.device_id), m.Rejected(
                request_id=request_id, code="malformed", message=exc.reason))

    def _presence(self, status: m.DeviceStatus, now: datetime | None) -> m.Presence:
        return m.Presence(device_id=CONTROLLER_DEVICE_ID, role=m.Role.CONTROLLER, status=status,
                          boot_count=self.boot_count, app_version=__version__, at=now)
