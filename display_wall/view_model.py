"""The wall's view-model: receives messages on the GUI thread, emits the state to draw."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from display_wall.announcer import Announcement, AnnouncementQueue
from display_wall.screen_state import WallModel, WallState
from hall.protocol import messages as m

# The clock and the stale mark are redrawn at this pace, never per message.
REFRESH_MS = 500


class WallViewModel(QObject):
    state_changed = Signal(object)
    announcement_requested = Signal(object)
    # Emitted from the bus thread; Qt delivers it queued on the GUI thread.
    message_arrived = Signal(str, object)

    def __init__(self, clock: Callable[[], datetime], is_connected: Callable[[], bool],
                 repeat: int = 2) -> None:
        super().__init__()
        self._clock = clock
        self._is_connected = is_connected
        self.model = WallModel()
        self.announcements = AnnouncementQueue(repeat)
        self._last: WallState | None = None
        self.message_arrived.connect(self._receive)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(REFRESH_MS)

    @property
    def state(self) -> WallState:
        return self.model.state(self._clock(), connected=self._is_connected())

    @Slot(str, object)
    def _receive(self, topic: str, message: object) -> None:
        if isinstance(message, (m.TicketCalled, m.TicketRecalled)):
            call = Announcement(message.number, message.window,
                                isinstance(message, m.TicketRecalled))
            self.announcements.push(call)
            self.announcement_requested.emit(call)
            return
        if isinstance(message, m.Message):
            self.model.apply(message, self._clock())
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        state = self.state
        # Redraw only on a change: a wall idles at a repaint a minute, not two a second.
        if state != self._last:
            self._last = state
            self.state_changed.emit(state)

    def stop(self) -> None:
        self._timer.stop()
