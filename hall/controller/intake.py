"""The one path every message the controller reads takes (the table of intents: intents.py).

The rules, for every intent from a device or a manager:
- Retained intents are ignored (a device could plant one to act again at every restart).
- A device sending more than ANY_MESSAGE allows was cut off before this (service._receive,
  on the network thread): not decoded, not answered; managers alerted.
- Not decodable, or without a `request_id`, or without a `reply_to`: answered `malformed`
  and not carried out.
- Every answer goes to the sender's own reply topic `hall/<hall>/device/<id>/reply`, whatever
  `reply_to` names; `reply_to` must be present (a device that names it surely listens).
- A request_id seen before from that device: its stored answer again, nothing carried out.
- Over the route's rate limit: `rate_limited` (not stored; managers alerted once per device).
- Not permitted: `not_permitted` (not stored: the same intent is always refused).
- Carried out at most once; its answer stored (with the change, for writing handlers) and
  published once. Refusals by the hall's rules (a HallError) are stored like answers.
- Bad messages are logged by their shape and a hash, never their values.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from hall.controller.authority import NotPermitted, Sender
from hall.controller.intents import Request, route_of
from hall.controller.rate_limits import Limit, RateLimiter
from hall.core.errors import HallError
from hall.protocol import MessageDecodeError, TopicKind, decode, encode, request_id_of
from hall.protocol import messages as m
from hall.protocol.codec import fingerprint, shape_of
from hall.quiet_log import QuietLogger

if TYPE_CHECKING:
    from hall.controller.service import ControllerService

logger = logging.getLogger("hall.controller.intake")

# What a `malformed` answer says at most (its reason may quote the sender's input).
REASON_CHARS = 200


@dataclass(frozen=True, slots=True)
class Delivery:
    topic: str
    payload: bytes
    retained: bool = False


class Intake:
    def __init__(self, hall: ControllerService, limiter: RateLimiter) -> None:
        self._hall = hall
        self._limiter = limiter
        self._quiet = QuietLogger(logger)
        self.malformed = 0
        self.limited = 0
        self.retained_ignored = 0

    def take(self, delivery: Delivery, now: datetime) -> None:
        hall = self._hall
        try:
            where = hall.topics.parse(delivery.topic)
        except MessageDecodeError:
            self._quiet.warning(f"topic:{fingerprint(delivery.topic.encode())}",
                                "message on a topic of no hall (%d chars, #%s) ignored",
                                len(delivery.topic), fingerprint(delivery.topic.encode()))
            return
        if where.kind is TopicKind.PRESENCE:
            self._presence(delivery, where.device_id)
            return
        if where.kind not in (TopicKind.INTENT, TopicKind.MANAGER_INTENT):
            return
        sender = Sender(where.device_id, on_manager_topic=where.kind is TopicKind.MANAGER_INTENT)
        if delivery.retained:
            self.retained_ignored += 1
            self._quiet.warning(f"retained:{sender.device_id}",
                                "ignored a retained intent from %s (%s)", sender.device_id,
                                shape_of(delivery.payload))
            return
        try:
            message = decode(delivery.topic, delivery.payload)
        except MessageDecodeError as exc:
            self._malformed(sender, delivery.payload, exc.reason)
            return
        if not isinstance(message, m.Intent):
            return
        self._serve(sender, message, now)

    def _serve(self, sender: Sender, intent: m.Intent, now: datetime) -> None:
        hall, device_id = self._hall, sender.device_id
        if not intent.request_id:
            self._refuse(sender, "", "malformed", "request_id is required")
            return
        if not intent.reply_to:
            self._refuse(sender, intent.request_id, "malformed",
                         "reply_to is required; answers go to the sender's own reply topic")
            return
        if intent.reply_to != hall.topics.reply(device_id):
            self._quiet.warning(f"reply_to:{device_id}", "%s named another reply topic; "
                                "answering on its own", device_id)
        cached = hall.store.answer_for(device_id, intent.request_id)
        if cached is not None:
            hall.bus.publish(hall.topics.reply(device_id), cached, qos=1)
            return
        route = route_of(intent)
        if route is None:
            self._refuse(sender, intent.request_id, "not_supported",
                         f"{intent.KIND} is not carried out by this controller")
            return
        if not self._allow(device_id, route.limit):
            self._refuse(sender, intent.request_id, "rate_limited",
                         f"too many {route.limit.name} requests from {device_id}")
            return
        try:
            route.permit(sender, intent)
        except NotPermitted as exc:
            self._quiet.warning(f"not_permitted:{device_id}:{intent.KIND}",
                                "refused %s from %s: %s", intent.KIND, device_id, exc.message)
            hall.reply(device_id, _rejected(intent, exc))
            return
        with hall.answer_first():
            try:
                answer = route.handle(hall, Request(device_id, intent, now))
                if not route.stores_answer:
                    hall.store.remember_answer(device_id, intent.request_id, encode(answer), now)
            except HallError as exc:
                logger.info("%s from %s refused: %s", intent.KIND, device_id, exc.code)
                answer = _rejected(intent, exc)
                self._remember_refusal(device_id, intent, answer, now)
            except Exception as exc:
                logger.exception("could not carry out %s from %s", intent.KIND, device_id)
                answer = m.Rejected(request_id=intent.request_id, code="store_failed",
                                    message=f"not stored: {type(exc).__name__}")
            hall.reply(device_id, answer)

    def _remember_refusal(self, device_id: str, intent: m.Intent, answer: m.Answer,
                          now: datetime) -> None:
        try:
            self._hall.store.remember_answer(device_id, intent.request_id, encode(answer), now)
        except Exception:
            logger.exception("could not store the refusal of %s from %s", intent.KIND, device_id)

    def _presence(self, delivery: Delivery, device_id: str) -> None:
        try:
            message = decode(delivery.topic, delivery.payload)
        except MessageDecodeError:
            self._quiet.warning(f"presence:{device_id}", "malformed presence from %s (%s)",
                                device_id, shape_of(delivery.payload))
            return
        if isinstance(message, m.Presence):
            self._hall.note_presence(device_id, message)

    def _malformed(self, sender: Sender, payload: bytes, reason: str) -> None:
        self.malformed += 1
        self._quiet.warning(f"malformed:{sender.device_id}",
                            "malformed message from %s: %s", sender.device_id, shape_of(payload))
        request_id, _ = request_id_of(payload)
        self._refuse(sender, request_id, "malformed", reason[:REASON_CHARS])

    def _refuse(self, sender: Sender, request_id: str, code: str, message: str) -> None:
        self._hall.reply(sender.device_id,
                         m.Rejected(request_id=request_id, code=code, message=message))

    def _allow(self, device_id: str, limit: Limit) -> bool:
        if self._limiter.allow(device_id, limit, time.monotonic()):
            return True
        self.limited += 1
        self._hall.alert_rate_limited(device_id, limit)
        return False


def _rejected(intent: m.Intent, exc: HallError) -> m.Rejected:
    return m.Rejected(request_id=intent.request_id, code=exc.code, message=exc.message,
                      detail={k: str(v) for k, v in exc.fields.items()} or None)
