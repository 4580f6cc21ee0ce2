"""The kiosk's window: a header with the accessibility switches, the screen's body, a footer."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QImage, QPaintEvent, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QScroller, QVBoxLayout, QWidget

from kiosk.screen_state import KioskState, Screen, back_of
from kiosk.screens import ScreenBuilder
from kiosk.texts import both, closed_banner, text
from kiosk.widgets import LARGE, NORMAL, CameraPreview, Label, Theme, TouchButton, grid

if TYPE_CHECKING:
    from kiosk.view_model import KioskViewModel

logger = logging.getLogger(__name__)

SCROLLBAR_PX = 36


class KioskView(QWidget):
    """Redraws itself from each new state; every touch restarts the idle countdown."""

    first_painted = Signal()

    def __init__(self, vm: KioskViewModel) -> None:
        super().__init__()
        self.vm = vm
        self.setWindowTitle("自助服务终端 Kiosk")
        self.preview: CameraPreview | None = None
        self.state: KioskState | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(32, 24, 32, 24)
        self._layout.setSpacing(16)
        self._frame: QWidget | None = None
        self.body_scroll: QScrollArea | None = None
        self._painted = False
        vm.state_changed.connect(self.render_state)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin,
                            QEvent.Type.KeyPress):
            self.vm.touched()
        return False

    def render_state(self, state: KioskState) -> None:
        try:
            self._render(state)
        except Exception:  # never a traceback on a citizen's screen: the polite failure instead
            logger.exception("drawing %s failed", state.screen)
            self._render_failure(state)

    def _theme(self, state: KioskState) -> Theme:
        return LARGE if state.large else NORMAL

    def _render(self, state: KioskState) -> None:
        self.state = state
        theme = self._theme(state)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, theme.background)
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        frame = QWidget()
        column = QVBoxLayout(frame)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(16)
        column.addWidget(self._header(state, theme))
        banner = self._banner(state)
        if banner:
            label = Label(banner, theme, bold=True, color=theme.banner_text, center=True)
            label.setStyleSheet(f"color: {theme.banner_text.name()}; background: "
                                f"{theme.banner.name()}; padding: 12px;")
            column.addWidget(label)
        builder = ScreenBuilder(self.vm, state, theme, self.width())
        body = builder.build()
        self.preview = builder.preview
        self.body_scroll = QScrollArea()
        self.body_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.body_scroll.setWidgetResizable(True)
        self.body_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body_scroll.setStyleSheet(
            f"QScrollArea, QScrollArea > QWidget > QWidget {{ background: {theme.background.name()}; }}"
            f" QScrollBar:vertical {{ width: {SCROLLBAR_PX}px; background: {theme.background.name()};"
            f" border: 2px solid {theme.text.name()}; }}"
            f" QScrollBar::handle:vertical {{ background: {theme.button.name()}; min-height: 80px; }}"
            " QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical { height: 0px; }")
        self.body_scroll.setWidget(body)
        QScroller.grabGesture(self.body_scroll.viewport(),
                              QScroller.ScrollerGestureType.TouchGesture)
        column.addWidget(self.body_scroll, 1)
        # No way out while waiting for an answer (at most two request timeouts): a ticket issued
        # meanwhile would never reach the citizen.
        if state.screen not in (Screen.HOME, Screen.BUSY):
            column.addWidget(self._footer(state, theme))
        self._swap(frame)

    def _swap(self, frame: QWidget) -> None:
        if self._frame is not None:
            self._layout.removeWidget(self._frame)
            self._frame.hide()
            self._frame.deleteLater()
        self._frame = frame
        self._layout.addWidget(frame)
        frame.show()
        frame.installEventFilter(self)
        for child in frame.findChildren(QWidget):
            child.installEventFilter(self)

    def _header(self, state: KioskState, theme: Theme) -> QWidget:
        """The hall's name and the three switches; on a portrait screen in large text the name
        takes its own line."""
        head = QWidget()
        column = QVBoxLayout(head)
        column.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.setSpacing(12)
        hall = Label(state.hall.name_zh or "医疗保障服务大厅", theme, bold=True)
        if state.large and self.width() < 1400:
            column.addWidget(hall)
            row.addStretch(1)
        else:
            row.addWidget(hall, 1)
        switches = [
            TouchButton(text("large_off" if state.large else "large_on", state.lang), theme,
                        role="quiet", px=theme.body_px, on_click=self.vm.toggle_large),
            TouchButton(text("voice", state.lang), theme, role="quiet", px=theme.body_px,
                        on_click=self.vm.speak),
            TouchButton(text("lang_switch", state.lang), theme, role="quiet", px=theme.body_px,
                        on_click=self.vm.toggle_lang),
        ]
        for switch in switches:
            row.addWidget(switch)
        column.addLayout(row)
        return head

    def _banner(self, state: KioskState) -> str:
        if not state.hall.connected or not state.hall.controller_online:
            return text("offline_banner", state.lang)
        if not state.hall.is_open:
            return closed_banner(state.lang, state.hall.next_opens_at)
        return ""

    def _footer(self, state: KioskState, theme: Theme) -> QWidget:
        home_first, _ = both("home", state.lang)
        buttons = [TouchButton(home_first, theme, role="quiet", on_click=self.vm.go_home)]
        back = back_of(state)
        if state.screen not in (Screen.MESSAGE, Screen.TICKET) and back is not Screen.HOME:
            buttons.insert(0, TouchButton(text("back", state.lang), theme, role="quiet",
                                          on_click=lambda: self.vm.go_to(back)))
        return grid(buttons, len(buttons))

    def _render_failure(self, state: KioskState) -> None:
        theme = self._theme(state)
        frame = QWidget()
        column = QVBoxLayout(frame)
        column.addWidget(Label(text("failed", state.lang), theme, px=theme.title_px, bold=True,
                               center=True))
        column.addWidget(TouchButton(text("home", state.lang), theme, on_click=self.vm.idle_reset))
        self.preview = None
        self._swap(frame)

    def show_frame(self, image: QImage) -> None:
        if self.preview is not None:
            self.preview.show_frame(image)

    def show_no_camera(self) -> None:
        if self.preview is not None:
            self.preview.show_no_camera()
