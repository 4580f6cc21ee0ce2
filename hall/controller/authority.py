"""Which device may ask for what: the permission rules the intent table (intents.py) names.

The broker binds a device's account to its id and topics; this is the second lock, on the
content: `counter-3` publishing on its own topic still cannot call a ticket to window 5.
A rule is a function (sender, intent) -> None that raises NotPermitted.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hall.core.errors import HallError
from hall.protocol import messages as m


class NotPermitted(HallError):
    """This device's role may not send this intent, or not for that window."""

    code = "not_permitted"


@dataclass(frozen=True, slots=True)
class Sender:
    """Who sent an intent, from the topic it came on (never from the payload)."""

    device_id: str
    on_manager_topic: bool = False

    @property
    def role(self) -> str:
        return self.device_id.partition("-")[0]


Permit = Callable[[Sender, m.Intent], None]


def device_window(device_id: str) -> int | None:
    """The window a `counter-N` or `pad-N` belongs to."""
    role, _, rest = device_id.partition("-")
    if role in ("counter", "pad") and rest.isdigit():
        return int(rest)
    return None


def roles(*names: str) -> Permit:
    """Devices of these roles, on their own device topics."""
    def permit(sender: Sender, intent: m.Intent) -> None:
        if sender.on_manager_topic or sender.role not in names:
            raise NotPermitted(f"{sender.device_id} may not send {intent.KIND}",
                               device=sender.device_id)
    return permit


def own_window(*names: str) -> Permit:
    """Devices of these roles, acting only for the window their id names (`counter-3`)."""
    of_role = roles(*names)

    def permit(sender: Sender, intent: m.Intent) -> None:
        of_role(sender, intent)
        window = getattr(intent, "window", None)
        if device_window(sender.device_id) != window:
            raise NotPermitted(f"{sender.device_id} acts only for its own window, not window "
                               f"{window}", device=sender.device_id, window=window or 0)
    return permit


def MANAGER(sender: Sender, intent: m.Intent) -> None:  # noqa: N802 - a rule, named like one
    """Only on a manager topic, which the broker's ACL opens to the manager account alone."""
    if not sender.on_manager_topic:
        raise NotPermitted(f"{sender.device_id} may not send {intent.KIND}",
                           device=sender.device_id)


def check_requeue(device_id: str, ticket_window: int | None) -> None:
    """A counter re-queues only the no-shows of its own window."""
    if device_window(device_id) != ticket_window:
        raise NotPermitted(f"{device_id} may re-queue only its own window's tickets",
                           device=device_id, window=ticket_window or 0)
