"""The wall's screen: draws a WallState with QPainter, sized from the screen's height."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QWidget

from display_wall.charts import ChartsPanel
from display_wall.screen_state import CATALOGUE_PAGE, Tone, WallState
from display_wall.text_fit import (
    DrawnText,
    Overflow,
    advance,
    columns,
    fit,
    font_px,
)

BACKGROUND = QColor("#0b2545")
PANEL = QColor("#13315c")
TEXT = QColor("#ffffff")
MUTED = QColor("#b8c4d6")
ACCENT = QColor("#ffd166")
SERVING = QColor("#06d6a0")
PAUSED = QColor("#ef476f")
STALE = QColor("#ef476f")
# A new call blinks this many times, then stays lit in the accent colour.
BLINKS = 3
BLINK_MS = 350
HIGHLIGHT = QColor("#ffd166")
TICKER_FRAME_MS = 40
# Share of the screen height the ticker moves per frame (about 3 s across a 1080p wall).
TICKER_SPEED = 0.004
URGENT_TEXT = QColor("#1b1b1b")
IDLE = QColor("#4cc9f0")
AWAY = QColor("#ffb703")
UNSTAFFED = QColor("#7d8da6")
TONE_COLORS = {Tone.SERVING: SERVING, Tone.IDLE: IDLE, Tone.AWAY: AWAY, Tone.PAUSED: PAUSED,
               Tone.UNSTAFFED: UNSTAFFED}
# Text a lobby reads from 5 m: never smaller than this share of the screen's short side.
READABLE_AT_5M = 0.032
WINDOW_COLUMNS = (0.13, 0.27, 0.2, 0.4)
WAIT_COLUMNS = (0.57, 0.14, 0.29)
# Every text the wait column can show: its size is set by the longest, so it never changes.
WAIT_TEMPLATES = ["5分钟内", "约60分钟", "约55–60分钟", "59分钟以上", "暂无窗口", "无需等待", "较长"]
# Text is shrunk to fit its box, never clipped; below this share of its size it counts as
# overflowing (a layout bug the tests catch).
MIN_FIT = 0.6


class WallView(QWidget):
    """Now calling, recent calls, every window, waits per business, hours; landscape or portrait."""

    # After each full repaint, the number shown as now calling (benchmarks time it).
    painted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = WallState()
        self.overflows: list[Overflow] = []
        self.drawn: list[DrawnText] = []
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
        self.drawn = []
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
        header = QRectF(0, 0, w, unit * 0.08)
        info = QRectF(0, header.bottom(), w, unit * 0.058)
        urgent = QRectF(0, info.bottom(), w, unit * 0.07 if self._state.urgent_notice else 0)
        footer = QRectF(0, h - unit * 0.065, w, unit * 0.065)
        gap = unit * 0.02
        body_top = urgent.bottom() + gap
        h = footer.top()
        if portrait:
            body = h - body_top
            calling = QRectF(gap, body_top, w - 2 * gap, body * 0.25)
            recent = QRectF(calling.left(), calling.bottom() + gap, calling.width(), body * 0.10)
            windows = QRectF(calling.left(), recent.bottom() + gap, calling.width(), body * 0.28)
            waits = QRectF(calling.left(), windows.bottom() + gap, calling.width(),
                           h - windows.bottom() - 2 * gap)
        else:
            calling = QRectF(gap, body_top, w * 0.30, (h - body_top) * 0.56)
            recent = QRectF(calling.left(), calling.bottom() + gap, calling.width(),
                            h - calling.bottom() - 2 * gap)
            windows = QRectF(calling.right() + gap, body_top, w - calling.right() - 2 * gap,
                             (h - body_top) * 0.55)
            waits = QRectF(windows.left(), windows.bottom() + gap, windows.width(),
                           h - windows.bottom() - 2 * gap)
        return {"header": header, "info": info, "urgent": urgent, "footer": footer,
                "calling": calling, "recent": recent, "windows": windows, "waits": waits}

    def _unit(self) -> float:
        """The short side of the screen sets every type size."""
        return float(min(self.width(), self.height()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.charts.setGeometry(self._rects()["waits"].toAlignedRect())
        self.charts.set_type_size(self._unit() * READABLE_AT_5M)

    def _paint(self, p: QPainter) -> None:
        s = self._state
        unit = self._unit()
        r = self._rects()
        p.fillRect(self.rect(), BACKGROUND)
        self._header(p, r["header"], unit)
        self._info(p, r["info"], unit)
        if s.urgent_notice:
            self._urgent(p, r["urgent"], unit)
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
        p.fillRect(r, PANEL)
        clock = s.clock.strftime("%H:%M") if s.clock else ""
        clock_px = unit * 0.055
        clock_w = advance(clock or "00:00", clock_px, bold=True)
        date_px = unit * 0.036
        date_w = advance(s.date_line, date_px)
        right = r.right() - pad
        self._text(p, QRectF(right - clock_w - 2, r.top(), clock_w + 2, r.height()), clock,
                   clock_px, TEXT, bold=True, align=Qt.AlignmentFlag.AlignRight)
        date_box = QRectF(right - clock_w - pad - date_w - 2, r.top(), date_w + 2, r.height())
        self._text(p, date_box, s.date_line, date_px, MUTED, align=Qt.AlignmentFlag.AlignRight)
        self._text(p, QRectF(r.left() + pad, r.top(), date_box.left() - r.left() - 2 * pad,
                             r.height()), s.hall_name_zh, unit * 0.05, TEXT, bold=True)

    def _info(self, p: QPainter, r: QRectF, unit: float) -> None:
        """Whether tickets are issued and today's hours: always there, at reading size."""
        s = self._state
        pad = unit * 0.02
        p.fillRect(r, BACKGROUND)
        status = "正在取号 Open" if s.is_open else "暂停取号 Closed"
        px = unit * READABLE_AT_5M
        pill_w = advance(status, px, bold=True) + pad * 2
        pill = QRectF(r.left() + pad, r.top() + r.height() * 0.1, pill_w, r.height() * 0.8)
        p.setPen(Qt.PenStyle.NoPen)
        # While the wall is cut off, the last known status is shown greyed, not as live.
        p.setBrush(UNSTAFFED if s.is_stale else SERVING if s.is_open else PAUSED)
        p.drawRoundedRect(pill, pill.height() * 0.2, pill.height() * 0.2)
        self._text(p, pill, status, px, BACKGROUND if s.is_open and not s.is_stale else TEXT,
                   bold=True, align=Qt.AlignmentFlag.AlignCenter)
        hours = f"服务时间 {s.hours_today}" if s.hours_today else ""
        self._text(p, QRectF(pill.right() + pad, r.top(), r.right() - pill.right() - 2 * pad,
                             r.height()), hours, px, TEXT)

    def _urgent(self, p: QPainter, r: QRectF, unit: float) -> None:
        p.fillRect(r, ACCENT)
        self._text(p, QRectF(r.left() + unit * 0.02, r.top(), r.width() - unit * 0.04,
                             r.height()), f"【紧急通知】{self._state.urgent_notice}",
                   unit * 0.042, URGENT_TEXT, bold=True, min_fit=0.5)

    def _footer(self, p: QPainter, r: QRectF, unit: float) -> None:
        p.fillRect(r, PANEL)
        if not self._state.ticker:
            inner = r.adjusted(unit * 0.02, 0, -unit * 0.02, 0)
            self._text(p, inner, "请按号就座，留意叫号  Please take a seat and listen for your number",
                       unit * READABLE_AT_5M, MUTED, align=Qt.AlignmentFlag.AlignCenter)
            return
        self._ticker_area = QRectF(r.left() + unit * 0.02, r.top(), r.width() - unit * 0.04,
                                   r.height())
        self._ticker(p, self._ticker_area, unit)

    def _ticker(self, p: QPainter, area: QRectF, unit: float) -> None:
        text = "　　　　".join(self._state.ticker)
        font = font_px(unit * 0.038)
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
        title = "正在呼叫 Now calling"
        if s.now_calling is not None and s.now_calling.is_recall:
            title = "重呼 Calling again"
        self._text(p, QRectF(r.left(), r.top(), r.width(), r.height() * 0.16), title,
                   unit * 0.038, BACKGROUND if lit else MUTED, align=Qt.AlignmentFlag.AlignCenter)
        if s.now_calling is None:
            self._text(p, QRectF(r.left(), r.top() + r.height() * 0.3, r.width(), r.height() * 0.3),
                       "请留意叫号", unit * 0.06, MUTED, align=Qt.AlignmentFlag.AlignCenter)
            return
        call = s.now_calling
        self._text(p, QRectF(r.left(), r.top() + r.height() * 0.16, r.width(), r.height() * 0.5),
                   call.number, unit * 0.2, BACKGROUND if lit else ACCENT, bold=True,
                   align=Qt.AlignmentFlag.AlignCenter)
        self._text(p, QRectF(r.left(), r.top() + r.height() * 0.66, r.width(), r.height() * 0.2),
                   f"请到 {call.window} 号窗口办理", unit * 0.06, BACKGROUND if lit else TEXT,
                   bold=True, align=Qt.AlignmentFlag.AlignCenter)
        self._text(p, QRectF(r.left(), r.top() + r.height() * 0.86, r.width(), r.height() * 0.13),
                   f"Please go to window {call.window}", unit * READABLE_AT_5M,
                   BACKGROUND if lit else MUTED, align=Qt.AlignmentFlag.AlignCenter)

    def _recent(self, p: QPainter, r: QRectF, unit: float) -> None:
        s = self._state
        p.fillRect(r, PANEL)
        head = unit * 0.055
        pad = unit * 0.015
        self._text(p, QRectF(r.left() + pad, r.top(), r.width() - 2 * pad, head),
                   "最近呼叫 Recent calls", unit * READABLE_AT_5M, MUTED)
        portrait = self.height() > self.width()
        cols, rows = (3, 2) if portrait else (2, 4)
        cell_w = (r.width() - 2 * pad) / cols
        cell_h = (r.height() - head) / rows
        px = min(cell_h * 0.7, unit * 0.045,
                 fit(["A999 → 12号窗口"], cell_w * 0.94, unit * 0.045, bold=True))
        for i, call in enumerate(s.recent[:cols * rows]):
            # Down each column first, newest at the top left, as people read a list.
            x = r.left() + pad + (i // rows) * cell_w
            y = r.top() + head + (i % rows) * cell_h
            self._text(p, QRectF(x, y, cell_w, cell_h), f"{call.number} → {call.window}号窗口",
                       px, TEXT, bold=True)

    def _windows(self, p: QPainter, r: QRectF, unit: float) -> None:
        s = self._state
        p.fillRect(r, PANEL)
        pad = unit * 0.015
        head = unit * 0.05
        rows = max(len(s.windows), 1)
        row_h = (r.height() - head) / rows
        inner = r.width() - 2 * pad
        boxes = columns(r.left() + pad, inner, WINDOW_COLUMNS)
        cells = [(f"{w.window}号", w.status_zh, w.ticket or "—", w.staff or "—")
                 for w in s.windows]
        worst = [["12号"], ["临时离开", "系统故障", "暂停服务"], ["A999"],
                 ["王晓燕 YB0101", *(c[3] for c in cells)]]
        top_px = min(row_h * 0.68, unit * 0.045)
        sizes = [fit(texts, width * 0.92, top_px, bold=True) for (_, width), texts
                 in zip(boxes, worst, strict=True)]
        for (x, width), title in zip(boxes, ("窗口", "状态", "当前号", "工作人员 工号"),
                                     strict=True):
            self._text(p, QRectF(x, r.top(), width, head), title, unit * READABLE_AT_5M,
                       MUTED)
        for i, (line, texts) in enumerate(zip(s.windows, cells, strict=True)):
            y = r.top() + head + i * row_h
            tone = TONE_COLORS[line.tone]
            staffed = line.tone is not Tone.UNSTAFFED
            colors = (TEXT if staffed else tone, tone, ACCENT, TEXT if staffed else tone)
            for column, ((x, width), text, px, color) in enumerate(
                    zip(boxes, texts, sizes, colors, strict=True)):
                box = QRectF(x, y, width, row_h)
                align = Qt.AlignmentFlag.AlignLeft
                if column == 1 and line.tone in (Tone.AWAY, Tone.PAUSED):
                    # A window that is not serving stands out as a sign, as at the window.
                    box = QRectF(x, y + row_h * 0.1, advance(text, px, bold=True) + pad * 2,
                                 row_h * 0.8)
                    p.setPen(Qt.PenStyle.NoPen)
                    p.setBrush(tone)
                    p.drawRoundedRect(box, box.height() * 0.2, box.height() * 0.2)
                    color = URGENT_TEXT if line.tone is Tone.AWAY else TEXT
                    align = Qt.AlignmentFlag.AlignCenter
                self._text(p, box, text, px, color, bold=staffed and column != 3, align=align)

    def _waits(self, p: QPainter, r: QRectF, unit: float) -> None:
        s = self._state
        p.fillRect(r, PANEL)
        pad = unit * 0.015
        head = unit * 0.05
        if s.catalogue_page:
            self._text(p, QRectF(r.left() + pad, r.top(), r.width() - 2 * pad, head),
                       "服务事项 Services · 现在无需等候 No waiting now", unit * READABLE_AT_5M,
                       MUTED)
            row_h = (r.height() - head) / CATALOGUE_PAGE
            px = fit(list(s.catalogue_page), r.width() - 2 * pad, min(row_h * 0.6, unit * 0.04))
            for i, line in enumerate(s.catalogue_page):
                self._text(p, QRectF(r.left() + pad, r.top() + head + i * row_h,
                                     r.width() - 2 * pad, row_h), line, px, TEXT)
            return
        cols = 1 if self.height() > self.width() else 2
        per_col = max(1, -(-len(s.businesses) // cols))
        row_h = (r.height() - head) / per_col
        col_w = (r.width() - 2 * pad) / cols
        top_px = min(row_h * 0.68, unit * 0.036)
        names = [f"{b.prefix} {b.name_zh}" for b in s.businesses]
        for c in range(cols):
            boxes = columns(r.left() + pad + c * col_w, col_w - pad, WAIT_COLUMNS)
            if c * per_col >= len(s.businesses):
                break
            for (x, width), title in zip(boxes, ("业务", "等候", "预计等待"), strict=True):
                self._text(p, QRectF(x, r.top(), width, head), title, unit * READABLE_AT_5M,
                           MUTED)
        boxes = columns(0, col_w - pad, WAIT_COLUMNS)
        sizes = [fit(texts, width * 0.95, top_px, bold=column > 0) for column, ((_, width), texts)
                 in enumerate(zip(boxes, (names or ["A"], ["999人"], WAIT_TEMPLATES),
                                  strict=True))]
        for i, (b, name) in enumerate(zip(s.businesses, names, strict=True)):
            left = r.left() + pad + (i // per_col) * col_w
            y = r.top() + head + (i % per_col) * row_h
            texts = (name, f"{b.waiting}人", b.wait_zh)
            colors = (TEXT, ACCENT if b.waiting else MUTED, PAUSED if b.congested else TEXT)
            for column, ((x, width), text, px, color) in enumerate(
                    zip(boxes, texts, sizes, colors, strict=True)):
                self._text(p, QRectF(left + x, y, width, row_h), text, px, color,
                           bold=column > 0)

    def _stale_banner(self, p: QPainter, r: QRectF, unit: float) -> None:
        s = self._state
        p.fillRect(r, STALE)
        since = s.last_update.strftime("%H:%M:%S") if s.last_update else "—"
        self._text(p, r, f"正在重新连接… 信息更新于 {since}  Reconnecting, last update {since}",
                   unit * READABLE_AT_5M, TEXT, bold=True, align=Qt.AlignmentFlag.AlignCenter)

    # -- text that fits ----------------------------------------------------------------------

    def _text(self, p: QPainter, box: QRectF, text: str, px: float, color: QColor, *,
              bold: bool = False, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
              min_fit: float = MIN_FIT) -> None:
        if not text:
            return
        font = font_px(px, bold=bold)
        width = QFontMetricsF(font).horizontalAdvance(text)
        if width > box.width():
            size = px * box.width() / width * 0.98
            if size < px * min_fit:
                self.overflows.append(Overflow(text, px, box.width()))
            font = font_px(size, bold=bold)
            width = QFontMetricsF(font).horizontalAdvance(text)
        self.drawn.append(DrawnText(text, font.pixelSize(), QRectF(box), width))
        p.setFont(font)
        p.setPen(QPen(color))
        p.drawText(box, int(align | Qt.AlignmentFlag.AlignVCenter), text)

