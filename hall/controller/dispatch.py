"""Turns one decoded intent into one engine command."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from hall.core.appointments import Appointment
from hall.core.errors import HallError, InvalidAppointment
from hall.core.ids import TicketKind, TicketNumber
from hall.core.queue_engine import Outcome, QueueEngine
from hall.core.state import HallState
from hall.protocol import messages as m

AppointmentLookup = Callable[[str], Appointment | None]


def apply_intent(engine: QueueEngine, state: HallState, intent: m.Intent, now: datetime,
                 appointments: AppointmentLookup) -> Outcome:
    """Run the engine command an intent asks for; raises HallError when the rules refuse."""
    match intent:
        case m.TakeTicket():
            kind = TicketKind.PRIORITY if intent.priority else TicketKind.NORMAL
            return engine.issue_ticket(state, intent.business, now, kind=kind,
                                       priority_reason=intent.priority_reason,
                                       helper_name=intent.helper_name)
        case m.CheckInAppointment():
            appt = appointments(intent.code.strip())
            if appt is None:
                raise InvalidAppointment(f"no appointment with code {intent.code!r}",
                                         code=intent.code, reason="unknown")
            return engine.check_in_appointment(state, appt, now)
        case m.SignIn():
            return engine.sign_in(state, intent.window, intent.staff_id, now)
        case m.SignOut():
            return engine.sign_out(state, intent.window, now)
        case m.CallNext():
            return engine.call_next(state, intent.window, now)
        case m.CallTicket():
            return engine.call_ticket(state, intent.window, _number(intent.number), now)
        case m.Recall():
            return engine.recall(state, intent.window, now)
        case m.MarkNoShow():
            return engine.mark_no_show(state, intent.window, now)
        case m.Requeue():
            return engine.requeue(state, _number(intent.number), now)
        case m.Transfer():
            return engine.transfer(state, intent.window, now, to_window=intent.to_window,
                                   to_business=intent.to_business, note=intent.note)
        case m.Park():
            return engine.park(state, intent.window, now)
        case m.Unpark():
            return engine.unpark(state, intent.window, _number(intent.number), now)
        case m.Finish():
            return engine.finish(state, intent.window, now, items=intent.items)
        case m.Pause():
            return engine.pause(state, intent.window, intent.reason, now)
        case m.Resume():
            return engine.resume(state, intent.window, now)
        case m.OpenHall():
            return engine.open_hall(state, now)
        case m.CloseHall():
            return engine.close_hall(state, now)
    raise HallError(f"no command for intent {intent.KIND}")


def _number(text: str) -> TicketNumber:
    return TicketNumber(text.strip().upper())
