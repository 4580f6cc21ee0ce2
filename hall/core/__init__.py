"""The hall's domain core: pure rules, no I/O, time passed in as `now`."""
from __future__ import annotations

from hall.core.appointments import Appointment, check_appointment_usable
from hall.core.catalogue import (
    Business,
    CallingRules,
    Catalogue,
    PriorityRule,
    ServiceHours,
    Session,
    Staff,
    Window,
)
from hall.core.errors import HallError
from hall.core.ids import PauseReason, TicketKind, TicketNumber, TicketStatus, WindowStatus
from hall.core.queue_engine import Outcome, QueueEngine
from hall.core.state import CallRecord, HallState, Ticket, WindowState, ticket_id_for
from hall.core.wait_estimate import WaitEstimate, WaitEstimator

__all__ = [
    "Appointment",
    "Business",
    "CallRecord",
    "CallingRules",
    "Catalogue",
    "HallError",
    "HallState",
    "Outcome",
    "PauseReason",
    "PriorityRule",
    "QueueEngine",
    "ServiceHours",
    "Session",
    "Staff",
    "Ticket",
    "TicketKind",
    "TicketNumber",
    "TicketStatus",
    "Window",
    "WindowState",
    "WindowStatus",
    "WaitEstimate",
    "WaitEstimator",
    "check_appointment_usable",
    "ticket_id_for",
]
