"""Errors raised by the hall's domain core; each carries a stable code for the wire."""
from __future__ import annotations


class HallError(Exception):
    """Base of every domain error; `code` is stable and sent to devices."""

    code = "hall_error"

    def __init__(self, message: str, **fields: object) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields


class ConfigError(HallError):
    """The hall configuration is invalid."""

    code = "config_invalid"


class UnknownBusiness(HallError):
    """No business type with that code exists in the catalogue."""

    code = "unknown_business"


class UnknownWindow(HallError):
    """No window with that number exists."""

    code = "unknown_window"


class UnknownStaff(HallError):
    """No staff member with that 工号 exists in the directory."""

    code = "unknown_staff"


class UnknownTicket(HallError):
    """No ticket with that number exists today."""

    code = "unknown_ticket"


class HallClosed(HallError):
    """The hall is closed and issues no new tickets."""

    code = "hall_closed"


class NumbersExhausted(HallError):
    """All three-digit numbers of a prefix are used for today."""

    code = "numbers_exhausted"


class WindowNotReady(HallError):
    """The window cannot do that in its current state (closed, paused, busy or idle)."""

    code = "window_not_ready"


class TicketNotCallable(HallError):
    """The ticket is not in a state that allows this action."""

    code = "ticket_not_callable"


class QueueEmpty(HallError):
    """Nobody is waiting for the businesses this window serves."""

    code = "queue_empty"


class GracePeriodRunning(HallError):
    """A no-show may only be recorded after the grace period since the first call."""

    code = "grace_period_running"


class InvalidAppointment(HallError):
    """The appointment code is unknown, used, or outside its time window."""

    code = "invalid_appointment"
