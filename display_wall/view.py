"""The wall's screen: draws a WallState with QPainter, sized from the screen's height."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QWidget

from display_wall.charts import ChartsPanel
from display_wall.screen_state import WallState

BACKGROUND = QColor("#0b2545")
PANEL = QColor("#13315c")
TEXT = QColor("#ffffff")
MUTED = QColor("#b8c4d6")
ACCENT = QColor("#ffd166")
SERVING = QColor("#06d6a0")
PAUSED = QColor("#ef476f")
STALE = QColor("#ef476f")
FONT_FAMILY = "Noto Sans CJK SC"
# A new call blinks this many times, then stays lit in the accent colour.
BLINKS = 3
BLINK_MS = 350
HIGHLIGHT = QColor("#ffd166")
TICKER_FRAME_MS = 40
# Share of the screen height the ticker moves per frame (about 3 s across a 1080p wall).
TICKER_SPEED = 0.004
URGENT_TEXT = QColor("#1b1b1b")
# Text is shrunk to fit its box, never clipped; below this share of its size it counts as
# overflowing (a layout bug the tests catch).
MIN_FIT = 0.6


@dataclass(frozen=True, slots=True)
class Overflow:
    text: str
    wanted_px: float
    box_width: float


class WallView(QWidget):
    """Now calling, recent calls, every window, waits per business, hours; landscape or portrait."""

    # After each full repaint, the number shown as now calling (benchmarks time it).
    painted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = WallState()
        self.overflows: list[Overflow] = []
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._ticker_offset = 0.0
        self._ticker_area = QRectF()
        self._ticker_timer = QTimer(self)
        self._ticker_timer.timeout.connect(self._scroll_ticker)
        self.charts = ChartsPanel(self, background=PANEL.name())
        self.charts.hide()
        self._blinks_left = 0
        self._blink_timer = QTimer(self)
        self._blink_timer.timeout.connect(self._blink)

    def render_state(self, state: WallState) -> None:
        before = self._state.now_calling
        self._state = state
        if state.now_calling is not None and state.now_calling != before:
            self._blinks_left = BLINKS * 2
            self._blink_timer.start(BLINK_MS)
        if state.show_charts and state.figures is not None:
            self.charts.show_figures(state.figures, dict(state.prefixes))
            self.charts.setGeometry(self._rects()["waits"].toAlignedRect())
            self.charts.show()
        else:
            self.charts.hide()
        if state.ticker and not state.is_stale:
            if not self._ticker_timer.isActive():
                self._ticker_timer.start(TICKER_FRAME_MS)
        else:
            self._ticker_timer.stop()
        self.update()

    @property
    def is_highlighted(self) -> bool:
        """The now-calling panel is lit: the on-phases of a new call's blinking."""
        return self._blinks_left % 2 == 1

    def _blink(self) -> None:
        self._blinks_left -= 1
        if self._blinks_left <= 0:
            self._blink_timer.stop()
        self.update(self._rects()["calling"].toAlignedRect())

    def _scroll_ticker(self) -> None:
        self._ticker_offset += max(1.0, self.height() * TICKER_SPEED)
        # Only the ticker's strip is redrawn: a Pi cannot repaint a 4K wall 25 times a second.
        self.update(self._ticker_area.toAlignedRect())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self.overflows = []
        try:
            self._paint(painter)
        finally:
            painter.end()
        call = self._state.now_calling
        self.painted.emit(call.number if call else "")

    # -- layout ----------------------------------------------------------------------------

    def _rects(self) -> dict[str, QRectF]:
        w, h = float(self.width()), float(self.height())
        portrait = h > w
        unit = self._unit()
        header = QRectF(0, 0, w, unit * 0.09)
        footer = QRectF(0, h - unit * 0.07, w, unit * 0.07)
        body_top = header.bottom() + unit * 0.01
        h = footer.top()
        if portrait:
            calling = QRectF(unit * 0.02, body_top, w - unit * 0.04, h * 0.26)
            recent = QRectF(calling.left(), calling.bottom() + unit * 0.02, calling.width(),
                            h * 0.12)
            windows = QRectF(calling.left(), recent.bottom() + unit * 0.02, calling.width(),
                             h * 0.30)
            waits = QRectF(calling.left(), windows.bottom() + unit * 0.02, calling.width(),
                           h - windows.bottom() - unit * 0.04)
        else:
            calling = QRectF(unit * 0.02, body_top, w * 0.38, h * 0.50)
            recent = QRectF(calling.left(), calling.bottom() + unit * 0.02, calling.width(),
                            h - calling.bottom() - unit * 0.04)
            windows = QRectF(calling.right() + unit * 0.02, body_top,
                             w - calling.right() - unit * 0.04, h * 0.50)
            waits = QRectF(windows.left(), windows.bottom() + unit * 0.02, windows.width(),
                           h - windows.bottom() - unit * 0.04)
        return {"header": header, "footer": footer, "calling": calling, "recent": recent,
                "windows": windows, "waits": waits}

    def _unit(self) -> float:
        """The short side of the screen sets every type size."""
        return float(min(self.width(), self.height()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.charts.setGeometry(self._rects()["waits"].toAlignedRect())

    def _paint(self, p: QPainter) -> None:
        s = self._state
        unit = self._unit()
        r = self._rects()
        p.fillRect(self.rect(), BACKGROUND)
        self._header(p, r["header"], unit)
        self._calling(p, r["calling"], unit)
        self._recent(p, r["recent"], unit)
        self._windows(p, r["windows"], unit)
        if not self.charts.isVisible():
            self._waits(p, r["waits"], unit)
        if s.is_stale:
            self._stale_banner(p, r["footer"], unit)
        else:
            self._footer(p, r["footer"], unit)

    def _header(self, p: QPainter, r: QRectF, unit: float) -> None:
        s = self._state
        pad = unit * 0.02
        if s.urgent_notice:
            p.fillRect(r, ACCENT)
            self._text(p, QRectF(r.left() + pad, r.top(), r.width() * 0.78, r.height()),
                       f"【紧急通知】{s.urgent_notice}", unit * 0.045, URGENT_TEXT, bold=True,
                       min_fit=0.3)
        else:
            p.fillRect(r, PANEL)
            self._text(p, QRectF(r.left() + pad, r.top(), r.width() * 0.75, r.height()),
                       s.hall_name_zh, unit * 0.05, TEXT, bold=True)
        clock = s.clock.strftime("%H:%M") if s.clock else ""
        self._text(p, QRectF(r.right() - r.width() * 0.2 - pad, r.top(), r.width() * 0.2,
                             r.height()), clock, unit * 0.05,
                   URGENT_TEXT if s.urgent_notice else TEXT, bold=True,
                   align=Qt.AlignmentFlag.AlignRight)

    def _footer(self, p: QPainter, r: QRectF, unit: float) -> None:
        s = self._state
        p.fillRect(r, PANEL)
        status = "正在取号 Taking tickets" if s.is_open else "暂停取号 Not taking tickets"
        hours = f"服务时间 {s.hours_today}" if s.hours_today else ""
        if not s.ticker:
            self._text(p, r, f"{status}    {hours}", unit * 0.03, TEXT,
                       align=Qt.AlignmentFlag.AlignCenter)
            return
        info = QRectF(r.left() + unit * 0.02, r.top(), r.width() * 0.3, r.height())
        self._text(p, QRectF(info.left(), info.top(), info.width(), info.height() / 2),
                   status, unit * 0.022, TEXT, min_fit=0.3)
        self._text(p, QRectF(info.left(), info.center().y(), info.width(), info.height() / 2),
                   hours, unit * 0.022, MUTED, min_fit=0.3)
        self._ticker_area = QRectF(info.right() + unit * 0.02, r.top(),
                                   r.right() - info.right() - unit * 0.04, r.height())
        self._ticker(p, self._ticker_area, unit)

    def _ticker(self, p: QPainter, area: QRectF, unit: float) -> None:
        text = "　　　　".join(self._state.ticker)
        font = QFont(FONT_FAMILY)
        font.setPixelSize(int(unit * 0.035))
        width = QFontMetricsF(font).horizontalAdvance(text)
        # Starts with the text's beginning at the left edge, then moves left and comes round.
        x = area.left() + area.width() - (self._ticker_offset + area.width()) % (area.width()
                                                                                  + width)
        p.save()
        p.setClipRect(area)
        p.fillRect(area, PANEL)
        p.setFont(font)
        p.setPen(QPen(ACCENT))
        p.drawText(QRectF(x, area.top(), width + 2, area.height()),
                   int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        p.restore()

    def _calling(self, p: QPainter, r: QRectF, unit: float) -> None:
        s = self._state
        lit = self.is_highlighted
        p.fillRect(r, HIGHLIGHT if lit else PANEL)
        self._text(p, QRectF(r.left(), r.top(), r.width(), r.height() * 0.16),
                   "正在呼叫 Now calling", unit * 0.035, MUTED, align=Qt.AlignmentFlag.AlignCenter)
        if s.now_calling is None:
            self._text(p, QRectF(r.left(), r.top() + r.height() * 0.3, r.width(), r.height() * 0.3),
                       "请留意叫号", unit * 0.06, MUTED, align=Qt.AlignmentFlag.AlignCenter)
            return
        call = s.now_calling
        self._text(p, QRectF(r.left(), r.top() + r.height() * 0.16, r.width(), r.height() * 0.5),
                   call.number, unit * 0.2, BACKGROUND if lit else ACCENT, bold=True,
                   align=Qt.AlignmentFlag.AlignCenter)
        self._text(p, QRectF(r.left(), r.top() + r.height() * 0.68, r.width(), r.height() * 0.18),
                   f"请到 {call.window} 号窗口办理", unit * 0.06, TEXT, bold=True,
                   align=Qt.AlignmentFlag.AlignCenter)
        self._text(p, QRectF(r.left(), r.top() + r.height() * 0.86, r.width(), r.height() * 0.12),
                   f"Please go to window {call.window}", unit * 0.03, MUTED,
                   align=Qt.AlignmentFlag.AlignCenter)

    def _recent(self, p: QPainter, r: QRectF, unit: float) -> None:
        s = self._state
        p.fillRect(r, PANEL)
        self._text(p, QRectF(r.left() + unit * 0.015, r.top(), r.width(), unit * 0.05),
                   "最近呼叫 Recent calls", unit * 0.028, MUTED)
        cols = 4 if self.height() > self.width() else 3
        cell_w = r.width() / cols
        rows = 3 if cols == 3 else 2
        cell_h = (r.height() - unit * 0.05) / rows
        for i, call in enumerate(s.recent[:cols * rows]):
            x = r.left() + (i % cols) * cell_w
            y = r.top() + unit * 0.05 + (i // cols) * cell_h
            self._text(p, QRectF(x, y, cell_w, cell_h), f"{call.number}→{call.window}",
                       unit * 0.04, TEXT, bold=True, align=Qt.AlignmentFlag.AlignCenter)

    def _windows(self, p: QPainter, r: QRectF, unit: float) -> None:
        s = self._state
        p.fillRect(r, PANEL)
        rows = max(len(s.windows), 1)
        head = unit * 0.05
        self._text(p, QRectF(r.left() + unit * 0.015, r.top(), r.width(), head),
                   "窗口  状态  当前号  工作人员 工号", unit * 0.028, MUTED)
        row_h = (r.height() - head) / rows
        widths = (0.16, 0.24, 0.2, 0.4)
        for i, line in enumerate(s.windows):
            y = r.top() + head + i * row_h
            color = SERVING if line.is_serving else PAUSED if line.is_paused else MUTED
            cells = (f"{line.window}号", line.status_zh, line.ticket or "—", line.staff)
            colors = (TEXT, color, ACCENT, TEXT)
            x = r.left() + unit * 0.015
            for text, share, c in zip(cells, widths, colors, strict=True):
                box = QRectF(x, y, (r.width() - unit * 0.03) * share, row_h)
                self._text(p, box, text, min(row_h * 0.62, unit * 0.045), c,
                           bold=c is not TEXT or text == cells[0])
                x += box.width()

    def _waits(self, p: QPainter, r: QRectF, unit: float) -> None:
        s = self._state
        p.fillRect(r, PANEL)
        head = unit * 0.05
        if s.catalogue_page:
            self._text(p, QRectF(r.left() + unit * 0.015, r.top(), r.width(), head),
                       "服务事项 Services  现在无需等候 No waiting now", unit * 0.028, MUTED)
            row_h = (r.height() - head) / len(s.catalogue_page)
            for i, line in enumerate(s.catalogue_page):
                self._text(p, QRectF(r.left() + unit * 0.015, r.top() + head + i * row_h,
                                     r.width() - unit * 0.03, row_h), line,
                           min(row_h * 0.6, unit * 0.04), TEXT)
            return
        self._text(p, QRectF(r.left() + unit * 0.015, r.top(), r.width(), head),
                   "业务  等待人数  预计等待 Waiting and estimated wait", unit * 0.028, MUTED)
        cols = 2
        per_col = max(1, -(-len(s.businesses) // cols))
        row_h = (r.height() - head) / per_col
        col_w = r.width() / cols
        for i, b in enumerate(s.businesses):
            x = r.left() + (i // per_col) * col_w + unit * 0.015
            y = r.top() + head + (i % per_col) * row_h
            size = min(row_h * 0.6, unit * 0.032)
            self._text(p, QRectF(x, y, col_w * 0.56, row_h), f"{b.prefix} {b.name_zh}", size, TEXT)
            self._text(p, QRectF(x + col_w * 0.56, y, col_w * 0.14, row_h), f"{b.waiting}人",
                       size, ACCENT, bold=True)
            self._text(p, QRectF(x + col_w * 0.70, y, col_w * 0.27, row_h), b.wait_zh, size,
                       PAUSED if b.congested else MUTED, bold=b.congested)

    def _stale_banner(self, p: QPainter, r: QRectF, unit: float) -> None:
        s = self._state
        p.fillRect(r, STALE)
        since = s.last_update.strftime("%H:%M:%S") if s.last_update else "—"
        self._text(p, r, f"正在重新连接… 信息更新于 {since}  Reconnecting, last update {since}",
                   unit * 0.03, TEXT, bold=True, align=Qt.AlignmentFlag.AlignCenter)

    # -- text that fits ----------------------------------------------------------------------

    def _text(self, p: QPainter, box: QRectF, text: str, px: float, color: QColor, *,
              bold: bool = False, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
              min_fit: float = MIN_FIT) -> None:
        if not text:
            return
        font = QFont(FONT_FAMILY)
        font.setBold(bold)
        size = px
        font.setPixelSize(max(1, int(size)))
        width = QFontMetricsF(font).horizontalAdvance(text)
        if width > box.width():
            size = px * box.width() / width * 0.98
            if size < px * min_fit:
                self.overflows.append(Overflow(text, px, box.width()))
            font.setPixelSize(max(1, int(size)))
        p.setFont(font)
        p.setPen(QPen(color))
        p.drawText(box, int(align | Qt.AlignmentFlag.AlignVCenter), text)
