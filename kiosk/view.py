"""The kiosk's window: a header with the accessibility switches, the screen's body, a footer."""
from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QScroller, QVBoxLayout, QWidget

from kiosk.more_time import MoreTimeOverlay
from kiosk.screen_base import Updater
from kiosk.screen_state import KioskState, Screen, back_of
from kiosk.screens import ScreenBuilder
from kiosk.texts import Lang, both, closed_banner, text
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
        self._updaters: list[Updater] | None = None
        self._painted = False
        self.more_time = MoreTimeOverlay(self, vm.need_more_time)
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
            self.more_time.follow(state)
        except Exception:  # never a traceback on a citizen's screen: the polite failure instead
            logger.exception("drawing %s failed", state.screen)
            self._render_failure(state)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.more_time.isVisible():
            self.more_time.setGeometry(self.rect())

    def _theme(self, state: KioskState) -> Theme:
        return LARGE if state.large else NORMAL

    def _render(self, state: KioskState) -> None:
        old = self.state
        self.state = state
        if old is not None and self._frame is not None and self._updaters is not None and (
                _beneath_the_prompt(old, state) == state and _shape(old) == _shape(state)):
            # Only the hall changed: its numbers change in place; the scroll position, the
            # citizen's place and any confirmation on screen stay.
            for update in self._updaters:
                update(state)
            return
        keep_scroll = (old is not None and old.screen is state.screen and old.lang is state.lang
                       and old.large == state.large and self.body_scroll is not None)
        scrolled = self.body_scroll.verticalScrollBar().value() if (
            keep_scroll and self.body_scroll is not None) else 0
        self._build(state)
        if scrolled and self.body_scroll is not None:
            scroll = self.body_scroll

            def restore() -> None:
                # Once the new body is laid out (its range known), unless it was replaced.
                if scroll is self.body_scroll:
                    scroll.verticalScrollBar().setValue(scrolled)

            QTimer.singleShot(0, restore)

    def _build(self, state: KioskState) -> None:
        theme = self._theme(state)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, theme.background)
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        frame = QWidget()
        column = QVBoxLayout(frame)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(16)
        builder = ScreenBuilder(self.vm, state, theme, self.width(), self.height())
        column.addWidget(self._header(state, theme, builder))
        banner = Label(self._banner(state), theme, bold=True, color=theme.banner_text,
                       center=True)
        banner.setStyleSheet(f"color: {theme.banner_text.name()}; background: "
                             f"{theme.banner.name()}; padding: 12px;")
        banner.setVisible(bool(self._banner(state)))

        def follow_banner(s: KioskState) -> None:
            banner.set_words(self._banner(s))
            banner.setVisible(bool(self._banner(s)))

        builder.updaters.append(follow_banner)
        column.addWidget(banner)
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
        column.addWidget(self._bar(state, theme, builder))
        self._updaters = builder.updaters
        self._swap(frame)

    def _bar(self, state: KioskState, theme: Theme, builder: ScreenBuilder) -> QWidget:
        """The fixed bar under the body: a result to see, the screen's actions, back and home.
        It never scrolls away, in any text size."""
        bar = QWidget()
        bar.setObjectName("action_bar")
        column = QVBoxLayout(bar)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(12)
        if builder.note is not None:
            column.addWidget(builder.note)
        if builder.actions:
            column.addWidget(grid(builder.actions, len(builder.actions)))
        # No way out while waiting for an answer (at most two request timeouts): a ticket issued
        # meanwhile would never reach the citizen.
        # A message whose 好的 leads home needs no second way home beside it.
        leads_home = state.screen is Screen.MESSAGE and (
            state.notice is None or state.notice.back is Screen.HOME)
        if state.screen not in (Screen.HOME, Screen.BUSY) and not leads_home:
            column.addWidget(self._footer(state, theme))
        return bar

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

    def _header(self, state: KioskState, theme: Theme, builder: ScreenBuilder) -> QWidget:
        """The hall's name and the three switches; on a portrait screen in large text the name
        takes its own line."""
        head = QWidget()
        column = QVBoxLayout(head)
        column.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.setSpacing(12)
        hall = Label(_hall_name(state), theme, bold=True)
        builder.updaters.append(lambda s: hall.set_words(_hall_name(s)))
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
        if state.screen is Screen.HOME:
            return ""  # the home screen says it with the reason above its greyed actions
        if not state.hall.is_online:
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
        self._updaters = None
        self._swap(frame)

    def show_frame(self, image: QImage) -> None:
        if self.preview is not None:
            self.preview.show_frame(image)

    def show_no_camera(self) -> None:
        if self.preview is not None:
            self.preview.show_no_camera()


def _hall_name(state: KioskState) -> str:
    h = state.hall
    if state.lang is Lang.EN:
        return h.name_en or text("hall_name_default", Lang.EN)
    return h.name_zh or text("hall_name_default", Lang.ZH)


def _beneath_the_prompt(old: KioskState, new: KioskState) -> KioskState:
    """The old state with what changes in place (the hall, the "need more time?" prompt,
    drawn over the screen) taken from the new one."""
    return replace(old, hall=new.hall, asking_more_time=new.asking_more_time,
                   more_time_left_s=new.more_time_left_s)


def _shape(state: KioskState) -> tuple[object, ...]:
    """What a hall update may change that the screen cannot follow in place: which businesses
    there are (the status lists), and whether the banner is there at all."""
    queue = state.hall.queue
    return (tuple(b.code for b in queue.businesses) if queue is not None else None,)
