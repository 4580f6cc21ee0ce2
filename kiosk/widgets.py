"""The kiosk's building blocks: themes for normal and large high-contrast text, touch buttons that
wrap instead of clipping, labels, keyboards and the camera preview."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QGridLayout,
    QLabel,
    QSizePolicy,
    QWidget,
)

from hall.chinese_text import (
    NO_BREAK_SPACE,
    WORD_JOINER,
    full_width_punctuation,
    keep_words,
    segments,
)

FONT_FAMILY = "Noto Sans CJK SC"
CHOSEN_MARK = "✓ "
# 1.5 cm on a 1080-pixel-wide 24-inch portrait screen is about 90 pixels.
TOUCH_MIN_PX = 96
_SPACE = re.compile(r"\s+")
WRAP = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignCenter)


@dataclass(frozen=True, slots=True)
class Theme:
    """Sizes in pixels; no text is smaller than `body_px` (32 normal, 44 large)."""

    body_px: int
    title_px: int
    button_px: int
    small_px: int
    background: QColor
    text: QColor
    button: QColor
    button_text: QColor
    accent: QColor
    accent_text: QColor
    selected: QColor
    selected_text: QColor
    priority: QColor
    banner: QColor
    banner_text: QColor
    disabled: QColor
    disabled_text: QColor


NORMAL = Theme(body_px=32, title_px=44, button_px=38, small_px=32,
               background=QColor("#f4f6f8"), text=QColor("#111111"),
               button=QColor("#0b4f8a"), button_text=QColor("#ffffff"),
               # Confirming is a go-ahead, never red: red is for warnings only.
               accent=QColor("#00695c"), accent_text=QColor("#ffffff"),
               selected=QColor("#e8a317"), selected_text=QColor("#000000"),
               priority=QColor("#1b7f3b"), banner=QColor("#b3261e"), banner_text=QColor("#ffffff"),
               disabled=QColor("#cfd4da"), disabled_text=QColor("#4a4f55"))
# Large text is also high contrast: yellow and white on black, as for low vision.
LARGE = Theme(body_px=44, title_px=58, button_px=50, small_px=44,
              background=QColor("#000000"), text=QColor("#ffffff"),
              button=QColor("#ffd400"), button_text=QColor("#000000"),
              accent=QColor("#ffffff"), accent_text=QColor("#000000"),
              selected=QColor("#00e5ff"), selected_text=QColor("#000000"),
              priority=QColor("#7CFC00"), banner=QColor("#ffffff"), banner_text=QColor("#000000"),
              disabled=QColor("#3a3a3a"), disabled_text=QColor("#bdbdbd"))


def readable(words: str) -> str:
    """Text as drawn: full-width punctuation in Chinese, words joined so no line splits them."""
    return keep_words(full_width_punctuation(words))


def plain(words: str) -> str:
    """Drawn text back as written (tests and speech compare this)."""
    return words.replace(WORD_JOINER, "").replace(NO_BREAK_SPACE, " ")


def font(px: int, bold: bool = False) -> QFont:
    f = QFont(FONT_FAMILY)
    f.setPixelSize(px)
    f.setBold(bold)
    return f


class Label(QLabel):
    """Wrapped text in the theme's colours; never wider than its place."""

    def __init__(self, text: str, theme: Theme, *, px: int | None = None, bold: bool = False,
                 color: QColor | None = None, center: bool = False) -> None:
        super().__init__(readable(text))
        self.setFont(font(px or theme.body_px, bold))
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet(f"color: {(color or theme.text).name()}; background: transparent;")
        if center:
            self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def set_words(self, words: str) -> None:
        shown = readable(words)
        if shown != self.text():
            self.setText(shown)


class TouchButton(QAbstractButton):
    """A big button whose text wraps to as many lines as it needs; a second line in smaller type."""

    def __init__(self, text: str, theme: Theme, *, second: str = "", role: str = "normal",
                 selected: bool = False, px: int | None = None,
                 on_click: Callable[[], None] | None = None) -> None:
        super().__init__()
        # A chosen option says so with a mark as well as its colour (colour-blind citizens).
        self.setText(f"{CHOSEN_MARK}{text}" if selected else text)
        self.second = readable(second)
        self.theme = theme
        self.role = role
        self.selected = selected
        self.setFont(font(px or theme.button_px, bold=True))
        self.second_font = font(theme.small_px)
        self.pad = max(12, self.font().pixelSize() // 3)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        if on_click is not None:
            self.clicked.connect(lambda: on_click())

    def set_second(self, second: str) -> None:
        shown = readable(second)
        if shown != self.second:
            self.second = shown
            self.updateGeometry()
            self.update()

    @property
    def shown(self) -> str:
        return readable(self.text())

    def colours(self) -> tuple[QColor, QColor]:
        t = self.theme
        if not self.isEnabled():
            return t.disabled, t.disabled_text
        if self.selected:
            return t.selected, t.selected_text
        return {"accent": (t.accent, t.accent_text), "priority": (t.priority, t.button_text),
                "quiet": (t.background, t.text)}.get(self.role, (t.button, t.button_text))

    def text_rects(self, width: int) -> tuple[QRect, QRect]:
        """Where the main and the second text need to go at this width."""
        inner = max(1, width - 2 * self.pad)
        main = QFontMetrics(self.font()).boundingRect(QRect(0, 0, inner, 100000), WRAP,
                                                      self.shown)
        second = (QFontMetrics(self.second_font).boundingRect(QRect(0, 0, inner, 100000), WRAP,
                                                              self.second)
                  if self.second else QRect())
        return main, second

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        main, second = self.text_rects(width)
        return max(TOUCH_MIN_PX, main.height() + second.height() + 2 * self.pad)

    def sizeHint(self) -> QSize:
        natural = max(QFontMetrics(self.font()).horizontalAdvance(line)
                      for line in self.shown.split("\n"))
        if self.second:
            natural = max(natural, QFontMetrics(self.second_font).horizontalAdvance(self.second))
        width = max(TOUCH_MIN_PX, natural + 2 * self.pad)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        # The longest unbreakable word decides how narrow a wrapped button may get.
        words = [w for part in _SPACE.split(plain(self.shown + " " + self.second))
                 for w in segments(part) if w.strip()]
        main, second = QFontMetrics(self.font()), QFontMetrics(self.second_font)
        widest = max((max(main.horizontalAdvance(w), second.horizontalAdvance(w)) for w in words),
                     default=0)
        return QSize(max(TOUCH_MIN_PX, widest + 2 * self.pad + 2), TOUCH_MIN_PX)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill, ink = self.colours()
        if self.isDown():
            fill = fill.darker(130)
        p.setPen(ink if self.role == "quiet" else Qt.PenStyle.NoPen)
        p.setBrush(fill)
        p.drawRoundedRect(self.rect().adjusted(2, 2, -2, -2), 14, 14)
        main, second = self.text_rects(self.width())
        top = (self.height() - main.height() - second.height()) // 2
        inner = self.width() - 2 * self.pad
        p.setPen(ink)
        p.setFont(self.font())
        p.drawText(QRect(self.pad, top, inner, main.height()), WRAP, self.shown)
        if self.second:
            p.setFont(self.second_font)
            p.drawText(QRect(self.pad, top + main.height(), inner, second.height()), WRAP,
                       self.second)
        p.end()


def grid(buttons: Sequence[QWidget], columns: int, spacing: int = 16) -> QWidget:
    box = QWidget()
    layout = QGridLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(spacing)
    for i, button in enumerate(buttons):
        layout.addWidget(button, i // columns, i % columns)
    for c in range(columns):
        layout.setColumnStretch(c, 1)
    return box


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "1234567890"


class Keyboard(QWidget):
    """An on-screen keyboard: `letters` (A to Z in order, easier than QWERTY for the elderly),
    `alnum` (digits then letters) or `digits` (a phone keypad)."""

    key_pressed = Signal(str)
    delete_pressed = Signal()
    clear_pressed = Signal()

    def __init__(self, kind: str, theme: Theme, labels: tuple[str, str], columns: int) -> None:
        super().__init__()
        keys = {"letters": LETTERS, "alnum": DIGITS + LETTERS, "digits": "1234567890"}[kind]
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        for i, key in enumerate(keys):
            layout.addWidget(TouchButton(key, theme, px=theme.button_px,
                                         on_click=partial(self.key_pressed.emit, key)),
                             i // columns, i % columns)
        # 清空 and 删除 on a row of their own, half the width each: a long word (Delete, in
        # large text) never widens a column of single keys.
        last = (len(keys) + columns - 1) // columns
        half = max(1, columns // 2)
        layout.addWidget(TouchButton(labels[1], theme, role="quiet",
                                     on_click=self.clear_pressed.emit), last, 0, 1, half)
        layout.addWidget(TouchButton(labels[0], theme, role="quiet",
                                     on_click=self.delete_pressed.emit),
                         last, half, 1, max(1, columns - half))
        for c in range(columns):
            layout.setColumnStretch(c, 1)


class CameraPreview(QLabel):
    """The live picture of the camera, so the citizen can aim the code; text when there is none."""

    def __init__(self, theme: Theme, size: QSize, no_camera_text: str) -> None:
        super().__init__()
        self.setFixedSize(size)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setFont(font(theme.body_px))
        self.setStyleSheet(f"background: #222222; color: #ffffff; border: 4px solid "
                           f"{theme.button.name()};")
        self.no_camera_text = no_camera_text
        self.setText(no_camera_text)

    def show_frame(self, image: QImage) -> None:
        self.setPixmap(QPixmap.fromImage(image).scaled(
            self.size(), Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.FastTransformation))

    def show_no_camera(self) -> None:
        self.clear()
        self.setText(self.no_camera_text)
