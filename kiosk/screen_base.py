"""What every screen builder shares: labels, buttons, keyboards sized to the screen, the fixed
action bar and the parts that follow the hall's data in place."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.screen_state import KioskState
from kiosk.texts import Lang, both, text
from kiosk.widgets import TOUCH_MIN_PX, CameraPreview, Keyboard, Label, Theme, TouchButton, grid

if TYPE_CHECKING:
    from kiosk.view_model import KioskViewModel

CHOICE_MIN_PX = 140
KEY_SPACING = 10
# What the window's margins and the scroll bar take from the width the screen's body gets.
FRAME_PX = 2 * 32 + 36 + 8
# A hall update changes these parts of the screen in place; nothing is rebuilt.
Updater = Callable[[KioskState], None]


class BuilderBase:
    """Builds the body of the current screen; `actions` go in the bar that never scrolls away."""

    def __init__(self, vm: KioskViewModel, state: KioskState, theme: Theme, width: int,
                 height: int = 0) -> None:
        self.vm, self.s, self.t, self.width = vm, state, theme, width
        self.height = height or width * 16 // 9
        self.lang = state.lang
        self.landscape = self.width > self.height
        self.content_width = max(320, self.width - FRAME_PX)
        self.preview: CameraPreview | None = None
        self.actions: list[QWidget] = []
        self.note: Label | None = None
        self.updaters: list[Updater] = []
        self.body = QWidget()
        self.box = QVBoxLayout(self.body)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(20)

    # -- small helpers -------------------------------------------------------------------------

    def tx(self, key: str, **values: object) -> str:
        return text(key, self.lang, **values)

    def zh_en(self, zh: str, en: str) -> str:
        return zh if self.lang is Lang.ZH else en

    def label(self, words: str, *, px: int | None = None, bold: bool = False,
              center: bool = False) -> Label:
        item = Label(words, self.t, px=px, bold=bold, center=center)
        self.box.addWidget(item)
        return item

    def live_label(self, words: Callable[[KioskState], str], *, px: int | None = None,
                   bold: bool = False, center: bool = False) -> Label:
        """A label that follows the hall: its text is recomputed on each hall update."""
        item = self.label(words(self.s), px=px, bold=bold, center=center)

        def update(state: KioskState) -> None:
            item.set_words(words(state))
            item.setVisible(bool(words(state)))

        item.setVisible(bool(words(self.s)))
        self.updaters.append(update)
        return item

    def title(self, key: str, **values: object) -> Label:
        return self.label(self.tx(key, **values), px=self.t.title_px, bold=True)

    def button(self, key: str, action: Callable[[], None], *, role: str = "normal",
               bilingual: bool = False) -> TouchButton:
        first, second = both(key, self.lang)
        # Chinese screens name the big choices in English too; English screens stay English.
        return TouchButton(first, self.t, second=second if bilingual and self.lang is Lang.ZH
                           else "", role=role, on_click=action)

    def add(self, widget: QWidget) -> QWidget:
        self.box.addWidget(widget)
        return widget

    def act(self, *buttons: QWidget) -> None:
        """The screen's actions: in the fixed bar under the body, always in sight."""
        self.actions.extend(buttons)

    def say_in_bar(self, words: str, *, warning: bool = False) -> None:
        """A result the citizen must see (printing, or what to do when it failed): in the bar."""
        self.note = Label(words, self.t, bold=True, center=True,
                          color=self.t.banner_text if warning else None)
        if warning:
            self.note.setStyleSheet(f"color: {self.t.banner_text.name()}; background: "
                                    f"{self.t.banner.name()}; padding: 10px;")

    def grid(self, buttons: list[TouchButton], wanted: int, spacing: int = 16) -> QWidget:
        """Choices in as many columns as wanted, fewer when a long word (an English name in
        large text) would not fit the screen's width."""
        widest = max((b.minimumSizeHint().width() for b in buttons), default=0)
        columns = max(1, min(wanted, (self.content_width + spacing) // (widest + spacing)
                             if widest else wanted))
        return grid(buttons, columns, spacing)

    def big(self, buttons: list[TouchButton]) -> list[TouchButton]:
        """The screen's main choices: taller than keys, as there are few of them."""
        for b in buttons:
            b.setMinimumHeight(CHOICE_MIN_PX)
        return buttons

    def columns(self, portrait: int, landscape: int) -> int:
        return landscape if self.landscape else portrait

    def side_by_side(self, left: QWidget, right: QWidget) -> None:
        row = QWidget()
        layout = QHBoxLayout(row) if self.landscape else QVBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(24)
        layout.addWidget(left)
        layout.addWidget(right, 1)
        self.add(row)

    def camera_size(self) -> QSize:
        if self.landscape:
            return QSize(560, 420)
        wide = min(640, self.content_width)
        return QSize(wide, wide * 3 // 4)

    def camera(self, key: str) -> QWidget:
        """The camera's live picture; without a camera, what to do instead, in few lines (the
        keyboard needs the room)."""
        if not self.vm.has_camera:
            return Label(self.tx(key), self.t, bold=True)
        self.preview = CameraPreview(self.t, self.camera_size(), self.tx(key))
        return self.preview

    def key_columns(self, wanted: int, width: int | None = None) -> int:
        """As many key columns as were wanted, fewer when the keys would get too narrow to touch
        (a 720-pixel-wide screen, large text)."""
        key_px = max(TOUCH_MIN_PX, self.t.button_px * 2)
        room = width if width is not None else self.content_width
        return max(3, min(wanted, (room + KEY_SPACING) // (key_px + KEY_SPACING)))

    def keyboard(self, kind: str, wanted_columns: int, width: int | None = None) -> Keyboard:
        keys = Keyboard(kind, self.t, (self.tx("delete"), self.tx("clear")),
                        self.key_columns(wanted_columns, width))
        keys.key_pressed.connect(self.vm.press_key)
        keys.delete_pressed.connect(self.vm.delete_key)
        keys.clear_pressed.connect(self.vm.clear_typed)
        return keys

    def display(self, words: str) -> Label:
        """What has been typed, in a frame, big."""
        shown = Label(words or " ", self.t, px=self.t.title_px, bold=True, center=True)
        shown.setStyleSheet(f"color: {self.t.text.name()}; border: 3px solid {self.t.text.name()};"
                            " padding: 8px;")
        return shown
