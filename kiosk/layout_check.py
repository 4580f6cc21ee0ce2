"""Finds text that does not fit its widget: a label or button whose words are cut off."""
from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.widgets import TouchButton


def clipped_texts(root: QWidget) -> list[str]:
    """A description of every visible text under `root` that is cut off, empty when all fit."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.width() <= 1:
            continue
        if isinstance(widget, (QLabel, QAbstractButton)) and widget.text().strip():
            hidden = _cut_by_ancestor(widget, root)
            if hidden:
                found.append(f"{type(widget).__name__} {widget.text()[:40]!r}: {hidden}")
                continue
        if isinstance(widget, TouchButton):
            main, second = widget.text_rects(widget.width())
            inner_w = widget.width() - 2 * widget.pad
            if (main.height() + second.height() > widget.height() or main.width() > inner_w
                    or second.width() > inner_w):
                found.append(f"button {widget.text()!r}: needs {main.width()}x"
                             f"{main.height() + second.height()}, has {widget.width()}x"
                             f"{widget.height()}")
        elif isinstance(widget, QLabel) and widget.pixmap().isNull() and widget.text().strip():
            problem = _label_problem(widget)
            if problem:
                found.append(f"label {widget.text()[:40]!r}: {problem}")
        elif isinstance(widget, QAbstractButton) and widget.text():
            needed = QFontMetrics(widget.font()).horizontalAdvance(widget.text())
            if needed > widget.width():
                found.append(f"button {widget.text()!r}: needs {needed}, has {widget.width()}")
    return found


def _label_problem(label: QLabel) -> str:
    box = label.contentsRect()
    margin = label.margin() * 2
    width, height = box.width() - margin, box.height() - margin
    metrics = QFontMetrics(label.font())
    flags = int(Qt.TextFlag.TextWordWrap) if label.wordWrap() else 0
    needed = metrics.boundingRect(QRect(0, 0, width, 100000), flags, label.text())
    if needed.height() > height or (not label.wordWrap() and needed.width() > width):
        return f"needs {needed.width()}x{needed.height()}, has {width}x{height}"
    if label.wordWrap() and needed.width() > width:
        # A single word (or CJK run without break points) longer than the line.
        return f"a word of {needed.width()} px does not fit in {width}"
    return ""


def _cut_by_ancestor(widget: QWidget, root: QWidget) -> str:
    """Part of the widget lies outside a parent (a scroll area's viewport scrolls vertically only,
    so only its sides count)."""
    rect = QRect(widget.mapTo(root, widget.rect().topLeft()), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        outer = QRect(parent.mapTo(root, parent.rect().topLeft()), parent.size())
        scrolls = parent.objectName() == "qt_scrollarea_viewport"
        if rect.left() < outer.left() or rect.right() > outer.right() or (
                not scrolls and (rect.top() < outer.top() or rect.bottom() > outer.bottom())):
            return f"at {rect.getRect()} outside its parent at {outer.getRect()}"
        if scrolls:
            break
        parent = parent.parentWidget()
    return ""
