"""Which device may ask for what: a counter acts only for its own window, a pad only rates.

The broker binds a device's account to its id and topics; this is the second lock, on the
content: `counter-3` publishing on its own topic still cannot call a ticket to window 5.
"""
from __future__ import annotations

from hall.core.errors import HallError
from hall.protocol import messages as m


class NotPermitted(HallError):
    """This device's role may not send this intent, or not for that window."""

    code = "not_permitted"


_KIOSK = (m.TakeTicket, m.CheckInAppointment, m.SubmitRating, m.FileComplaint, m.LookupComplaint,
          m.RedeemRatingCode)
_COUNTER = (m.SignIn, m.WindowIntent, m.Requeue, m.FileComplaint, m.LookupComplaint)
_PAD = (m.SubmitRating,)
_CONSOLE = (m.FileComplaint, m.LookupComplaint)
_BY_ROLE: dict[str, tuple[type[m.Intent], ...]] = {
    "kiosk": _KIOSK, "counter": _COUNTER, "pad": _PAD, "console": _CONSOLE,
}


def device_window(device_id: str) -> int | None:
    """The window a `counter-N` or `pad-N` belongs to."""
    role, _, rest = device_id.partition("-")
    if role in ("counter", "pad") and rest.isdigit():
        return int(rest)
    return None


def check_requeue(device_id: str, ticket_window: int | None) -> None:
    """A counter re-queues only the no-shows of its own window."""
    if device_window(device_id) != ticket_window:
        raise NotPermitted(f"{device_id} may re-queue only its own window's tickets",
                           device=device_id, window=ticket_window or 0)


def check_permitted(device_id: str, intent: m.Intent) -> None:
    role = device_id.partition("-")[0]
    allowed = _BY_ROLE.get(role, ())
    if not isinstance(intent, allowed):
        raise NotPermitted(f"{device_id} may not send {intent.KIND}", device=device_id)
    if isinstance(intent, (m.SignIn, m.WindowIntent)):
        own = device_window(device_id)
        if own != intent.window:
            raise NotPermitted(f"{device_id} acts only for its own window, not window "
                               f"{intent.window}", device=device_id, window=intent.window)
