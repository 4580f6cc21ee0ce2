"""THE table of intents: for each intent kind, who may send it and what carries it out.

Every intent, from a device or a manager, takes the one path in `intake.py`: decoded (or
answered `malformed`), refused when retained, rate-limited per device, answered from the store
when its request_id was seen before, permission-checked by its `Route.permit`, carried out by
its `Route.handle`, stored with its answer, answered once on the sender's own reply topic.

How to add an intent kind
-------------------------
1. Declare its message class in hall/protocol/messages.py and list it in `INTENTS` (devices'
   topics) or `MANAGER_INTENTS` (manager topics).
2. Write a handler `def handle_x(hall: ControllerService, req: Request[m.X]) -> m.Answer`.
   It returns the answer, or raises a HallError subclass (`code` names the refusal) which the
   dispatcher turns into a stored `Rejected`. A handler that WRITES must store its answer in
   the same transaction as its change (pass `req.stored_answer(answer)` to the store, as
   `rating_desk` and `_engine` do) and set `stores_answer=True`: then a crash can never leave
   the change without the answer that makes a retry safe. A handler that only reads leaves
   `stores_answer=False` and the dispatcher stores the answer.
3. Add one line to `ROUTES` below: `m.X: Route(permit=<rule>, handle=handle_x, limit=<L>)`.
   tests/controller/test_dispatch_table.py checks every intent class has a route.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from hall.controller.authority import MANAGER, Permit, check_requeue, own_window, roles
from hall.controller.dispatch import apply_intent
from hall.controller.hall_ops_desk import PHONE_LOOKUPS
from hall.controller.rate_limits import (
    COMPLAINTS,
    COUNTER_WORK,
    LOOKUPS,
    MANAGER_WORK,
    RATINGS,
    TICKETS,
    Limit,
)
from hall.controller.reprint_desk import reprint_ticket
from hall.core.ids import TicketNumber
from hall.protocol import encode
from hall.protocol import messages as m

if TYPE_CHECKING:
    from hall.controller.service import ControllerService

IntentT = TypeVar("IntentT", bound=m.Intent)


@dataclass(frozen=True, slots=True)
class Request(Generic[IntentT]):
    """One decoded intent as the dispatcher hands it to a handler."""

    device_id: str
    intent: IntentT
    now: datetime

    def stored_answer(self, answer: m.Answer) -> tuple[str, str, bytes]:
        """(device, request_id, encoded answer): what a writing handler stores with its change."""
        return self.device_id, self.intent.request_id, encode(answer)


Handler = Callable[["ControllerService", Request[Any]], m.Answer]


@dataclass(frozen=True, slots=True)
class Route:
    permit: Permit
    handle: Handler
    limit: Limit
    stores_answer: bool = False


# -- handlers --------------------------------------------------------------------------------


def _engine(hall: ControllerService, req: Request[Any]) -> m.Answer:
    """Queue commands: the engine decides; the outcome and the answer commit together."""
    intent = req.intent
    if isinstance(intent, m.SignIn):
        hall.sign_in.check(intent, req.now)
    if isinstance(intent, m.TakeTicket):
        hall.waits.check_take(hall.state, intent, req.now)
    if isinstance(intent, m.Requeue):
        ticket = hall.state.ticket_by_number(TicketNumber(intent.number.strip().upper()))
        if ticket is not None:
            check_requeue(req.device_id, ticket.window)
    outcome = apply_intent(hall.engine, hall.state, intent, req.now, hall.appointments.lookup)
    answer = hall.answer_of(intent, outcome, req.now)
    hall.commit(outcome, req.now, request=req.stored_answer(answer))
    return answer


def _check_in(hall: ControllerService, req: Request[m.CheckInAppointment]) -> m.Answer:
    """Guessing codes is useless: one answer for unknown and used, a lockout, a second factor."""
    hall.appointments.check(req.device_id, req.intent, req.now)
    return _engine(hall, req)


def _rating(hall: ControllerService, req: Request[m.SubmitRating]) -> m.Answer:
    return hall.ratings.handle(req.intent, req.device_id, req.now)


def _redeem_rating_code(hall: ControllerService,
                       req: Request[m.RedeemRatingCode]) -> m.Answer:
    """A receipt's typed 评价码 to its rating token (read-only: the dispatcher stores the answer)."""
    return hall.ratings.redeem_code(req.intent, req.device_id, req.now)


def _check_rating_code(hall: ControllerService, req: Request[m.CheckRatingCode]) -> m.Answer:
    """A scanned receipt: rate, or 追评 (read-only: the dispatcher stores the answer)."""
    return hall.ratings.check_code(req.intent, req.device_id, req.now)


def _reprint(hall: ControllerService, req: Request[m.ReprintTicket]) -> m.Answer:
    return reprint_ticket(hall, req.device_id, req.intent, req.now,
                          request=req.stored_answer)


def _complaint(hall: ControllerService,
               req: Request[m.FileComplaint | m.LookupComplaint]) -> m.Answer:
    return hall.complaints.handle(req.intent, req.device_id, req.now)


def _notice(hall: ControllerService, req: Request[m.PushNotice | m.RetractNotice]) -> m.Answer:
    return hall.notices.handle(req.intent, req.device_id, req.now,
                               request=req.stored_answer)


def _hall_ops(hall: ControllerService, req: Request[Any]) -> m.Answer:
    """The manager console's intents (hall_ops_desk.py)."""
    return hall.hall_ops.handle(req.intent, req.device_id, req.now, request=req.stored_answer)


def _issuing_cutoff(hall: ControllerService, req: Request[m.SetIssuingCutoff]) -> m.Answer:
    """A manager's cut-off override, stored with its answer for the rest of the service day."""
    return hall.set_issuing_cutoff(req.intent, req.now, req.device_id, req.stored_answer)


def _case(hall: ControllerService, req: Request[Any]) -> m.Answer:
    """The 好差评 closed loop (case_desk.py): every step stores its answer with its change."""
    return hall.cases.handle(req.intent, req.device_id, req.now)


def _complaint_handling(hall: ControllerService, req: Request[Any]) -> m.Answer:
    return hall.complaints.handling.handle(req.intent, req.device_id, req.now)


def _replace_notice(hall: ControllerService, req: Request[m.ReplaceNotice]) -> m.Answer:
    """Old notice out, new one in: one transaction with the answer, one retained publish."""
    return hall.notices.replace(req.intent, req.device_id, req.now, request=req.stored_answer)


# -- the table -------------------------------------------------------------------------------

_KIOSK = roles("kiosk")
_WINDOW = own_window("counter")
_COUNTER = roles("counter")
_DESK = roles("kiosk", "counter", "console")

ROUTES: dict[type[m.Intent], Route] = {
    m.TakeTicket: Route(_KIOSK, _engine, TICKETS, stores_answer=True),
    m.CheckInAppointment: Route(_KIOSK, _check_in, TICKETS, stores_answer=True),
    m.SignIn: Route(_WINDOW, _engine, COUNTER_WORK, stores_answer=True),
    m.SignOut: Route(_WINDOW, _engine, COUNTER_WORK, stores_answer=True),
    m.CallNext: Route(_WINDOW, _engine, COUNTER_WORK, stores_answer=True),
    m.CallTicket: Route(_WINDOW, _engine, COUNTER_WORK, stores_answer=True),
    m.Recall: Route(_WINDOW, _engine, COUNTER_WORK, stores_answer=True),
    m.MarkNoShow: Route(_WINDOW, _engine, COUNTER_WORK, stores_answer=True),
    m.Requeue: Route(_COUNTER, _engine, COUNTER_WORK, stores_answer=True),
    m.Transfer: Route(_WINDOW, _engine, COUNTER_WORK, stores_answer=True),
    m.Park: Route(_WINDOW, _engine, COUNTER_WORK, stores_answer=True),
    m.Unpark: Route(_WINDOW, _engine, COUNTER_WORK, stores_answer=True),
    m.Finish: Route(_WINDOW, _engine, COUNTER_WORK, stores_answer=True),
    m.Pause: Route(_WINDOW, _engine, COUNTER_WORK, stores_answer=True),
    m.Resume: Route(_WINDOW, _engine, COUNTER_WORK, stores_answer=True),
    # A console's rating is a citizen's phone: rating_desk.py records its channel as "phone".
    m.SubmitRating: Route(roles("kiosk", "pad", "console"), _rating, RATINGS, stores_answer=True),
    # A kiosk without a camera: the lookups' bucket also bounds guessing.
    m.RedeemRatingCode: Route(_KIOSK, _redeem_rating_code, LOOKUPS),
    m.FileComplaint: Route(_DESK, _complaint, COMPLAINTS, stores_answer=True),
    m.LookupComplaint: Route(_DESK, _complaint, LOOKUPS),
    m.OpenHall: Route(MANAGER, _engine, MANAGER_WORK, stores_answer=True),
    m.CloseHall: Route(MANAGER, _engine, MANAGER_WORK, stores_answer=True),
    m.PushNotice: Route(MANAGER, _notice, MANAGER_WORK, stores_answer=True),
    m.RetractNotice: Route(MANAGER, _notice, MANAGER_WORK, stores_answer=True),
    # The 好差评 closed loop and complaint handling (docs/closed-loop.md).
    m.SubmitFollowUp: Route(roles("kiosk", "pad", "console"), _case, RATINGS,
                            stores_answer=True),
    m.RecordCallback: Route(MANAGER, _case, MANAGER_WORK, stores_answer=True),
    m.VerifyCase: Route(MANAGER, _case, MANAGER_WORK, stores_answer=True),
    m.RectifyCase: Route(MANAGER, _case, MANAGER_WORK, stores_answer=True),
    m.CompleteRectification: Route(MANAGER, _case, MANAGER_WORK, stores_answer=True),
    m.RecordFeedback: Route(MANAGER, _case, MANAGER_WORK, stores_answer=True),
    m.CloseCase: Route(MANAGER, _case, MANAGER_WORK, stores_answer=True),
    m.ReassignCase: Route(MANAGER, _case, MANAGER_WORK, stores_answer=True),
    m.ViewCallbackPhone: Route(MANAGER, _case, MANAGER_WORK),
    m.AppealRating: Route(MANAGER, _case, MANAGER_WORK, stores_answer=True),
    m.DecideAppeal: Route(MANAGER, _case, MANAGER_WORK, stores_answer=True),
    m.DrawRecheck: Route(MANAGER, _case, MANAGER_WORK, stores_answer=True),
    m.RecordRecheck: Route(MANAGER, _case, MANAGER_WORK, stores_answer=True),
    m.RegisterComplaint: Route(MANAGER, _complaint_handling, MANAGER_WORK, stores_answer=True),
    m.ComplaintStep: Route(MANAGER, _complaint_handling, MANAGER_WORK, stores_answer=True),
    m.ViewComplaint: Route(MANAGER, _complaint_handling, MANAGER_WORK),
    m.EditNotice: Route(MANAGER, _hall_ops, MANAGER_WORK, stores_answer=True),
    m.SetStaffPin: Route(MANAGER, _hall_ops, MANAGER_WORK),
    m.UnlockSignIn: Route(MANAGER, _hall_ops, MANAGER_WORK),
    m.LookupTicketProgress: Route(roles("console"), _hall_ops, PHONE_LOOKUPS),
    m.SetIssuingCutoff: Route(MANAGER, _issuing_cutoff, MANAGER_WORK, stores_answer=True),
    m.ReplaceNotice: Route(MANAGER, _replace_notice, MANAGER_WORK, stores_answer=True),
    # The kiosk's part of the closed loop; a slip reprinted at the counter (foh).
    m.CheckRatingCode: Route(_KIOSK, _check_rating_code, LOOKUPS),
    m.ReprintTicket: Route(_WINDOW, _reprint, COUNTER_WORK, stores_answer=True),
}


def route_of(intent: m.Intent) -> Route | None:
    return ROUTES.get(type(intent))
