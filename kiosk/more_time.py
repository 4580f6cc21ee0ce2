""""Need more time?": over the whole kiosk, the seconds left before it returns to the start,
large, in the screen's language and text size; a touch anywhere keeps the citizen's session."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.screen_state import KioskState
from kiosk.texts import text
from kiosk.widgets import LARGE, NORMAL, Label, TouchButton

# The seconds are read from across the lobby: three times a title's size.
COUNTDOWN_SCALE = 3


class MoreTimeOverlay(QFrame):
    """Covers its parent while the question is asked; any press on it is the citizen's answer."""

    def __init__(self, parent: QWidget, keep_session: Callable[[], None]) -> None:
        super().__init__(parent)
        self.setObjectName("more_time")
        self._keep_session = keep_session
        self._shown_for: tuple[bool, str] | None = None
        self.seconds: Label | None = None
        self.left: Label | None = None
        self.hide()

    def follow(self, state: KioskState) -> None:
        if not state.asking_more_time:
            self.hide()
            return
        look = (state.large, state.lang.value)
        if look != self._shown_for:
            self._build(state)
            self._shown_for = look
        if self.seconds is not None and self.left is not None:
            self.seconds.set_words(str(state.more_time_left_s))
            self.left.set_words(text("more_time_left", state.lang,
                                     seconds=state.more_time_left_s))
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()

    def _build(self, state: KioskState) -> None:
        theme = LARGE if state.large else NORMAL
        old = self.layout()
        if old is not None:
            QWidget().setLayout(old)  # the old layout and its widgets go with a throwaway parent
        for child in self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            child.deleteLater()
        self.setStyleSheet(f"QFrame#more_time {{ background: {theme.background.name()}; }}")
        column = QVBoxLayout(self)
        column.setContentsMargins(48, 48, 48, 48)
        column.setSpacing(24)
        column.addStretch(1)
        column.addWidget(Label(text("more_time", state.lang), theme, px=theme.title_px,
                               bold=True, center=True))
        self.seconds = Label("", theme, px=theme.title_px * COUNTDOWN_SCALE, bold=True,
                             center=True, color=theme.banner)
        column.addWidget(self.seconds)
        self.left = Label("", theme, px=theme.title_px, bold=True, center=True)
        column.addWidget(self.left)
        column.addWidget(Label(text("more_time_tap", state.lang), theme, center=True))
        column.addWidget(TouchButton(text("more_time_yes", state.lang), theme, role="accent",
                                     on_click=self._keep_session))
        column.addStretch(1)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._keep_session()
        event.accept()
