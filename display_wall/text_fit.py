"""Text on the wall: one size that fits a set of texts, column boxes, and what was painted."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetricsF

FONT_FAMILY = "Noto Sans CJK SC"


@dataclass(frozen=True, slots=True)
class Overflow:
    text: str
    wanted_px: float
    box_width: float


@dataclass(frozen=True, slots=True)
class DrawnText:
    """One text as painted: its size in pixels and the box it had (the tests read these)."""

    text: str
    px: int
    box: QRectF
    width: float


def font_px(px: float, *, bold: bool = False) -> QFont:
    font = QFont(FONT_FAMILY)
    font.setBold(bold)
    font.setPixelSize(max(1, int(px)))
    return font


def advance(text: str, px: float, *, bold: bool = False) -> float:
    return QFontMetricsF(font_px(px, bold=bold)).horizontalAdvance(text)


def fit(texts: list[str], width: float, px: float, *, bold: bool = False) -> float:
    """The one size, at most `px`, at which every one of `texts` fits `width`."""
    widest = max((advance(t, px, bold=bold) for t in texts), default=0.0)
    return px if widest <= width else px * width / widest


def columns(left: float, width: float, shares: tuple[float, ...]) -> list[tuple[float, float]]:
    """(x, width) of each column: headers and rows share them, so they line up."""
    boxes = []
    for share in shares:
        boxes.append((left, width * share))
        left += width * share
    return boxes
