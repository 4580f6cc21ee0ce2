"""Takes 好差评 from rating pads and from receipt QR codes; stores each durably, once."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from hall.core.cases import CaseState
from hall.core.catalogue import Catalogue
from hall.core.errors import UnknownTicket
from hall.core.ids import TicketNumber
from hall.core.rating_code import check_digits, parse_typed_code, service_days_to_try
from hall.core.rating_token import (
    InvalidRatingToken,
    rating_token_expiry,
    sign_rating_token,
    token_from_scan,
    verify_rating_token,
)
from hall.core.ratings import Rating, RatingRefused, rate
from hall.core.state import ticket_id_for
from hall.protocol import encode
from hall.protocol import messages as m
from hall.store import SqliteStore
from hall.store.case_store import CaseStore

PAD_PREFIX = "pad-"
CONSOLE_PREFIX = "console-"
# A window's pad rates what was just finished there; later the receipt's QR code is the way.
PAD_RATING_WINDOW = timedelta(minutes=30)


class RatingDesk:
    def __init__(self, store: SqliteStore, catalogue: Catalogue, key: bytes,
                 on_recorded: Callable[[Rating], None] = lambda rating: None,
                 open_case: Callable[[Rating, str, datetime], object] = lambda *args: None,
                 ) -> None:
        self._store = store
        self._catalogue = catalogue
        self._key = key
        self._on_recorded = on_recorded
        # A bad rating opens its 差评整改 case at once (hall/controller/case_desk.py).
        self._open_case = open_case

    def handle(self, intent: m.SubmitRating, device_id: str, now: datetime) -> m.Accepted:
        """Record the rating and its answer in one transaction; HallError when refused."""
        if intent.rating_token:
            claim = verify_rating_token(self._key, token_from_scan(intent.rating_token), now)
            if claim.hall_id != self._catalogue.hall_id:
                raise RatingRefused("this rating code belongs to another hall",
                                    reason="other_hall")
            # The channel follows the account the broker let in, never the payload: only the
            # console's account rates as "phone" (the citizen's own phone, through its page).
            channel = "phone" if device_id.startswith(CONSOLE_PREFIX) else "receipt"
            ticket_id = claim.ticket_id
        elif intent.ticket_id:
            ticket_id, channel = intent.ticket_id, "pad"
        else:
            raise RatingRefused("name the service: a ticket id or the receipt's code",
                                reason="no_ticket")
        ticket = self._store.ticket(ticket_id)
        if ticket is None:
            raise UnknownTicket(f"no ticket {ticket_id}", number=ticket_id)
        if channel == "pad":
            # The clerk's terminal never rates; a pad only the services of its own window.
            if device_id != f"{PAD_PREFIX}{ticket.window}":
                raise RatingRefused(f"{device_id} cannot rate services of window {ticket.window}",
                                    reason="not_this_pad")
            if ticket.finished_at is not None and now - ticket.finished_at > PAD_RATING_WINDOW:
                raise RatingRefused("too late for the pad: scan the receipt's code instead",
                                    reason="use_receipt")
        rating = rate(ticket, rating_id=uuid.uuid4().hex[:12], level=intent.level,
                      sub_scores=intent.sub_scores or {},
                      reasons=intent.reasons, comment=intent.comment, channel=channel,
                      already_rated=self._store.is_rated(ticket.ticket_id),
                      valid_s=self._catalogue.rules.rating_valid_s, now=now)
        answer = m.Accepted(request_id=intent.request_id, events=("RatingRecorded",),
                            number=str(ticket.number), rating_id=rating.rating_id)
        request = (device_id, intent.request_id, encode(answer)) if intent.request_id else None
        self._store.save_rating(rating, request)
        self._on_recorded(rating)
        self._open_case(rating, intent.callback_phone, now)
        return answer

    def redeem_code(self, intent: m.RedeemRatingCode, device_id: str,
                    now: datetime) -> m.RatingCodeAnswer:
        """The rating token of the receipt whose short code was typed at a kiosk; the check
        digits are recomputed from the token only the key can sign. Read-only."""
        typed = parse_typed_code(intent.code)
        if typed is not None:
            recent = [self._store.ticket(ticket_id_for(day, TicketNumber(typed.number)))
                      for day in service_days_to_try(now.date())]
            # Days later, the code of a service whose case awaits the citizen's 追评 still works.
            awaiting = [self._store.ticket(c.ticket_id) for c in CaseStore(self._store).cases(
                open_only=True) if c.state is CaseState.FOLLOW_UP
                and c.ticket_id.rpartition("-")[2] == typed.number]
            for ticket in (*recent, *awaiting):
                if ticket is None:
                    continue
                token = sign_rating_token(
                    self._key, self._catalogue.hall_id, ticket.ticket_id,
                    rating_token_expiry(ticket.issued_at, self._catalogue.rules.rating_valid_s))
                if check_digits(token) == typed.check:
                    stage = self._stage(ticket.ticket_id, token, now)
                    return m.RatingCodeAnswer(request_id=intent.request_id, rating_token=token,
                                              number=typed.number, stage=stage)
        raise InvalidRatingToken("no receipt has this rating code", reason="unknown_code")

    def check_code(self, intent: m.CheckRatingCode, device_id: str,
                   now: datetime) -> m.RatingCodeAnswer:
        """What a scanned receipt can do now: be rated, or give its case's 追评. Read-only."""
        token = token_from_scan(intent.rating_token)
        # The signature proves the service; the 24-hour window applies to rating only (the
        # 追评 comes days later), so it is checked in `_stage`.
        claim = verify_rating_token(self._key, token, datetime.fromtimestamp(0, tz=now.tzinfo))
        if claim.hall_id != self._catalogue.hall_id:
            raise RatingRefused("this rating code belongs to another hall", reason="other_hall")
        number = claim.ticket_id.rpartition("-")[2]
        return m.RatingCodeAnswer(request_id=intent.request_id, rating_token=token,
                                  number=number, stage=self._stage(claim.ticket_id, token, now))

    def _stage(self, ticket_id: str, token: str, now: datetime) -> str:
        case = CaseStore(self._store).case_of_ticket(ticket_id)
        if case is not None and case.follow_up_level is not None:
            return "followed_up"
        if case is not None and case.state is CaseState.FOLLOW_UP:
            return "follow_up"
        if self._store.is_rated(ticket_id):
            raise RatingRefused("this service was rated already", reason="already_rated")
        verify_rating_token(self._key, token, now)  # expired: explained as such
        return "rate"
