"""The latest of each retained state message of a hall, kept the same way by every screen."""
from __future__ import annotations

from typing import Protocol

from hall.protocol import messages as m


class RetainedHolder(Protocol):
    """What a screen holds of the controller's retained state (the wall, the console)."""

    hall: m.HallInfo | None
    queue: m.QueueSnapshot | None
    calls: m.RecentCalls | None
    windows: dict[int, m.WindowState]
    notices: m.Notices | None
    figures: m.DayFigures | None


def keep_retained(holder: RetainedHolder, message: m.Message) -> bool:
    """Keep `message` when it is one of the retained states; False when it is not one."""
    if isinstance(message, m.HallInfo):
        holder.hall = message
    elif isinstance(message, m.QueueSnapshot):
        holder.queue = message
    elif isinstance(message, m.RecentCalls):
        holder.calls = message
    elif isinstance(message, m.WindowState):
        holder.windows[message.window] = message
    elif isinstance(message, m.Notices):
        holder.notices = message
    elif isinstance(message, m.DayFigures):
        holder.figures = message
    else:
        return False
    return True
