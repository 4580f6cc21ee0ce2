"""Small identifier values shared by the whole core."""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from hall.core.errors import UnknownTicket

# Three digits as citizens know them (A005); a busy hall goes on to four (A1000) after A999.
_TICKET_NUMBER = re.compile(r"^[A-Z](?:[0-9]{3}|[1-9][0-9]{3})$")


@enum.unique
class TicketKind(enum.StrEnum):
    NORMAL = "normal"
    PRIORITY = "priority"
    APPOINTMENT = "appointment"


@enum.unique
class TicketStatus(enum.StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    PARKED = "parked"
    NO_SHOW = "no_show"
    FINISHED = "finished"
    EXPIRED = "expired"

    @property
    def is_open(self) -> bool:
        return self in (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.PARKED)


@enum.unique
class WindowStatus(enum.StrEnum):
    CLOSED = "closed"
    IDLE = "idle"
    SERVING = "serving"
    PAUSED = "paused"


@enum.unique
class PauseReason(enum.StrEnum):
    AWAY = "away"
    LUNCH = "lunch"
    SYSTEM_FAULT = "system_fault"
    MEETING = "meeting"


@dataclass(frozen=True, slots=True, order=True)
class TicketNumber:
    """A ticket number as the citizen reads it: one prefix letter and three (or four) digits."""

    value: str

    def __post_init__(self) -> None:
        if not _TICKET_NUMBER.match(self.value):
            raise UnknownTicket(f"{self.value!r} is not a ticket number (a letter and 3-4 digits)",
                                number=self.value)

    @classmethod
    def make(cls, prefix: str, sequence: int) -> TicketNumber:
        return cls(f"{prefix}{sequence:03d}")

    @property
    def prefix(self) -> str:
        return self.value[0]

    @property
    def sequence(self) -> int:
        return int(self.value[1:])

    def __str__(self) -> str:
        return self.value
