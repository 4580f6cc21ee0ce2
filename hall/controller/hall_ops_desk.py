"""The manager console's intents: notice edits, clerks' PINs and locks, a phone's ticket progress.

Routed by the intent table (intents.py), which checks who sent them, answers a retry from the
store and stores each answer.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from hall.controller.notice_board import AnswerRecord, NoticeBoard
from hall.controller.rate_limits import Limit
from hall.core.catalogue import Catalogue
from hall.core.errors import HallError, UnknownTicket
from hall.core.ids import TicketStatus
from hall.core.rating_token import token_from_scan, verify_rating_token
from hall.core.ratings import RatingRefused
from hall.core.staff_auth import check_pin_strength, hash_pin, staff_key, window_key
from hall.core.state import HallState
from hall.core.wait_estimate import WaitEstimator
from hall.protocol import messages as m
from hall.store import SqliteStore

CONSOLE_PREFIX = "console-"
# The console asks for every phone in the hall at once (each page refreshes every 10 s and the
# console limits each phone itself), so its bucket is the size of a busy hall's phones.
PHONE_LOOKUPS = Limit("phone_lookups", "手机查询进度", burst=120, per_minute=1200)
HallOpsIntent = m.EditNotice | m.SetStaffPin | m.UnlockSignIn | m.LookupTicketProgress
HALL_OPS_INTENTS = (m.EditNotice, m.SetStaffPin, m.UnlockSignIn, m.LookupTicketProgress)


class HallOpsDesk:
    def __init__(self, store: SqliteStore, catalogue: Catalogue, notices: NoticeBoard,
                 state: Callable[[], HallState], estimator: WaitEstimator,
                 rating_key: bytes) -> None:
        self._store = store
        self._catalogue = catalogue
        self._notices = notices
        self._state = state
        self._estimator = estimator
        self._key = rating_key

    def handle(self, intent: HallOpsIntent, device_id: str, now: datetime,
               request: AnswerRecord | None = None) -> m.Answer:
        """Carry out one intent; HallError when refused. `request` stores a notice edit's answer
        in the same transaction as the new notice."""
        match intent:
            case m.EditNotice():
                return self._edit_notice(intent, device_id, now, request)
            case m.SetStaffPin():
                self._catalogue.staff_member(intent.staff_id)
                check_pin_strength(intent.pin)
                self._store.set_pin_hash(intent.staff_id, hash_pin(intent.pin), now)
                self._store.clear_sign_in_attempts(self._staff_keys(intent.staff_id))
                return m.Accepted(request_id=intent.request_id, events=("StaffPinSet",))
            case m.UnlockSignIn():
                keys = [window_key(self._catalogue.window(w).number) for w in intent.windows]
                if intent.staff_id:
                    self._catalogue.staff_member(intent.staff_id)
                    keys += self._staff_keys(intent.staff_id)
                if not keys:
                    raise HallError("name a 工号 or a window to unlock")
                self._store.clear_sign_in_attempts(keys)
                return m.Accepted(request_id=intent.request_id, events=("SignInUnlocked",))
            case m.LookupTicketProgress():
                if not device_id.startswith(CONSOLE_PREFIX):
                    raise HallError(f"{device_id} may not look up tickets by code")
                return self._progress(intent, now)
        raise HallError(f"no handler for {intent.KIND}")

    def _edit_notice(self, intent: m.EditNotice, device_id: str, now: datetime,
                     request: AnswerRecord | None) -> m.Answer:
        # The older name of replace_notice: one transaction, one publish.
        return self._notices.replace(intent, device_id, now, request)

    def _progress(self, intent: m.LookupTicketProgress, now: datetime) -> m.TicketProgress:
        claim = verify_rating_token(self._key, token_from_scan(intent.rating_token), now)
        if claim.hall_id != self._catalogue.hall_id:
            raise RatingRefused("this code belongs to another hall", reason="other_hall")
        state = self._state()
        ticket = state.tickets.get(claim.ticket_id) or self._store.ticket(claim.ticket_id)
        if ticket is None:
            raise UnknownTicket("no such ticket", number=claim.ticket_id)
        business = self._catalogue.business(ticket.business)
        is_rated = self._store.is_rated(ticket.ticket_id)
        ahead, minutes = 0, None
        if ticket.status is TicketStatus.WAITING and ticket.ticket_id in state.tickets:
            estimate = self._estimator.for_ticket(state, ticket, now)
            ahead, minutes = estimate.people_ahead, estimate.minutes
        can_rate = (ticket.status is TicketStatus.FINISHED and not is_rated
                    and ticket.finished_at is not None
                    and now <= ticket.finished_at
                    + timedelta(seconds=self._catalogue.rules.rating_valid_s))
        return m.TicketProgress(
            request_id=intent.request_id, number=str(ticket.number),
            business_zh=business.name_zh, business_en=business.name_en, status=ticket.status,
            people_ahead=ahead, est_wait_min=minutes,
            window=ticket.window if ticket.status in (TicketStatus.CALLED, TicketStatus.FINISHED)
            else None,
            is_rated=is_rated, can_rate=can_rate)

    def _staff_keys(self, staff_id: str) -> list[str]:
        return [staff_key(staff_id, window.number) for window in self._catalogue.windows]
