"""A citizen's ticket slip reprinted at a counter (docs/counter.md, "Reprinting a receipt").

The counter prints on its own receipt printer: the controller answers the slip's contents
(the ticket, its wait now, its signed rating code) and records the reprint with its answer, so a
repeated request is answered from the record and each ticket is reprinted a few times at most.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from hall.controller import views
from hall.core.errors import HallError, UnknownTicket
from hall.core.ids import TicketNumber
from hall.core.rating_token import rating_token_expiry, rating_url, sign_rating_token
from hall.protocol import messages as m
from hall.store.reprint_store import ReprintStore

if TYPE_CHECKING:
    from hall.controller.service import ControllerService

# Lost twice, a jammed printer: beyond that the clerk writes the number down for the citizen.
COUNTER_REPRINTS_PER_TICKET = 3
MAX_NUMBER_CHARS = 8


class ReprintRefused(HallError):
    """This ticket's slip was reprinted as often as a counter may."""

    code = "reprint_refused"


def reprint_ticket(hall: ControllerService, device_id: str, intent: m.ReprintTicket,
                   now: datetime,
                   request: Callable[[m.Answer], tuple[str, str, bytes]]) -> m.Answer:
    number = intent.number.strip().upper()
    ticket = hall.state.ticket_by_number(TicketNumber(number)) if (
        0 < len(number) <= MAX_NUMBER_CHARS and number.isalnum()) else None
    if ticket is None:
        raise UnknownTicket(f"no ticket {number} today", number=number)
    store = ReprintStore(hall.store)
    if store.count(ticket.ticket_id) >= COUNTER_REPRINTS_PER_TICKET:
        raise ReprintRefused(f"{number} was reprinted {COUNTER_REPRINTS_PER_TICKET} times already",
                             reason="limit", limit=COUNTER_REPRINTS_PER_TICKET)
    wait = hall.estimator.for_ticket(hall.state, ticket, now)
    token = sign_rating_token(
        hall.rating_key, hall.catalogue.hall_id, ticket.ticket_id,
        rating_token_expiry(ticket.issued_at, hall.catalogue.rules.rating_valid_s))
    base = hall.config.public_base_url
    answer = m.TicketAnswer(
        request_id=intent.request_id, ticket=views.ticket_view(hall.catalogue, ticket),
        people_ahead=wait.people_ahead, est_wait_min=wait.minutes, rating_token=token,
        est_wait_low_min=wait.low_min, est_wait_high_min=wait.high_min,
        rating_url=rating_url(base, token) if base else "")
    store.save(ticket.ticket_id, request(answer), now)
    return answer
