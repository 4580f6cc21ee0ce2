"""Small Qt pieces shared by the terminal, the pad and the window screen."""
from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import QAbstractButton, QLabel, QLayout, QPushButton, QWidget

FONT_FAMILY = "Noto Sans CJK SC"
ONLINE = "#1b7f3b"
OFFLINE = "#c62828"


def font(px: int, bold: bool = False) -> QFont:
    f = QFont(FONT_FAMILY)
    f.setPixelSize(px)
    f.setBold(bold)
    return f


def label(text: str, px: int, *, bold: bool = False, wrap: bool = False,
          color: str = "", align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> QLabel:
    widget = QLabel(text)
    widget.setTextFormat(Qt.TextFormat.PlainText)  # text from the wire is never markup
    widget.setFont(font(px, bold))
    widget.setWordWrap(wrap)
    widget.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    if color:
        widget.setStyleSheet(f"color: {color};")
    return widget


def button(text: str, px: int, *, height: int = 64, shortcut: str = "",
           color: str = "") -> QPushButton:
    widget = QPushButton(f"{text}  [{shortcut}]" if shortcut else text)
    widget.setFont(font(px, bold=True))
    widget.setMinimumHeight(height)
    if color:
        widget.setStyleSheet(f"QPushButton {{ background: {color}; color: white; "
                             "border-radius: 8px; padding: 4px 12px; }"
                             "QPushButton:disabled { background: #b0b7bf; color: #eef0f2; }")
    return widget


def bind_shortcut(key: str, target: QPushButton, window: QWidget) -> None:
    """`key` clicks `target` (when enabled) while `window` is the active window."""
    shortcut = QShortcut(QKeySequence(key), window)
    shortcut.activated.connect(lambda: _click_if_enabled(target))


def _click_if_enabled(widget: QPushButton) -> None:
    if widget.isEnabled():
        widget.click()


def clear_layout(layout: QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            # Nothing may find it while its deletion is pending: hidden and renamed at once.
            widget.hide()
            widget.setObjectName("deleted")
            widget.deleteLater()
        elif item is not None and (inner := item.layout()) is not None:
            clear_layout(inner)


def qr_image(content: str, size_px: int) -> QImage:
    """A QR code painted from its module matrix (no image library needed)."""
    import qrcode

    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(content)
    code.make(fit=True)
    matrix = code.get_matrix()
    image = QImage(size_px, size_px, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    cell = size_px / len(matrix)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.fillRect(QRect(int(x * cell), int(y * cell), int(cell + 1),
                                       int(cell + 1)), QColor("black"))
    painter.end()
    return image


def clipped_texts(root: QWidget) -> list[str]:
    """Texts of visible labels and buttons that do not fit their widget (tests fail on any)."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.width() <= 0:
            continue
        if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
            metrics = QFontMetrics(widget.font())
            area = widget.contentsRect()
            if widget.wordWrap():
                needed = metrics.boundingRect(QRect(0, 0, area.width(), 100_000),
                                              int(Qt.TextFlag.TextWordWrap), widget.text())
                if needed.height() > area.height() + 1:
                    found.append(widget.text())
            elif metrics.horizontalAdvance(widget.text()) > area.width() + 1:
                found.append(widget.text())
        elif isinstance(widget, QAbstractButton) and widget.text():
            metrics = QFontMetrics(widget.font())
            lines = widget.text().split("\n")
            too_wide = max(metrics.horizontalAdvance(line) for line in lines) > widget.width() - 8
            too_tall = metrics.lineSpacing() * len(lines) > widget.height()
            if too_wide or too_tall:
                found.append(widget.text())
    return found
