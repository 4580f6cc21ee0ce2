"""Charts of the day (pyqtgraph): items made once, fed by setData from a slow timer."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QVBoxLayout, QWidget

from hall.protocol import messages as m

# Charts follow the day, not each message: two redraws a second at most keep a Pi cool.
CHART_REFRESH_MS = 500
BAR_COLOR = "#ffd166"
LINE_COLOR = "#06d6a0"
TITLE_COLOR = "#ffffff"
TICK_COLOR = "#b8c4d6"
AXIS_COLOR = "#b8c4d6"
FONT_FAMILY = "Noto Sans CJK SC"
# The unit is in the title: at 5 m an axis caption beside the ticks is one line too many.
TITLES = ("今日等候（人）", "各时段取号（张）", "平均等候（分钟）")


class ChartsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None, background: str = "#13315c") -> None:
        super().__init__(parent)
        pg.setConfigOptions(antialias=True, foreground="#ffffff")
        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.setBackground(background)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        self.waiting_plot = self.canvas.addPlot()
        self.waiting_line = self.waiting_plot.plot(pen=pg.mkPen(LINE_COLOR, width=4))
        self.hours_plot = self.canvas.addPlot()
        self.hours_bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush=BAR_COLOR, pen=None)
        self.hours_plot.addItem(self.hours_bars)
        self.wait_plot = self.canvas.addPlot()
        self.wait_bars = pg.BarGraphItem(x=[], height=[], width=0.6, brush=BAR_COLOR, pen=None)
        self.wait_plot.addItem(self.wait_bars)
        self.plots = dict(zip((self.waiting_plot, self.hours_plot, self.wait_plot), TITLES,
                              strict=True))
        for plot in self.plots:
            plot.setMouseEnabled(False, False)
            plot.hideButtons()
            plot.showGrid(x=False, y=True, alpha=0.25)
        self.type_px = 0.0
        self.set_type_size(28.0)
        self._pending: m.DayFigures | None = None
        self._prefixes: dict[str, str] = {}
        self.drawn: m.DayFigures | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._draw)
        self._timer.start(CHART_REFRESH_MS)

    def set_type_size(self, px: float) -> None:
        """Titles, axis labels and ticks at `px`: the wall's reading size at 5 m."""
        if px == self.type_px:
            return
        self.type_px = px
        tick_font = QFont(FONT_FAMILY)
        tick_font.setPixelSize(max(1, int(px * 0.85)))
        title_font = QFont(FONT_FAMILY)
        title_font.setPixelSize(max(1, int(px)))
        title_font.setBold(True)
        for plot, title in self.plots.items():
            plot.setTitle(title, color=TITLE_COLOR, size=f"{int(px)}px", bold=True)
            plot.titleLabel.item.setFont(title_font)
            for side in ("bottom", "left"):
                axis = plot.getAxis(side)
                axis.setStyle(tickFont=tick_font, tickTextOffset=int(px * 0.3))
                axis.setPen(pg.mkPen(AXIS_COLOR, width=2))
                axis.setTextPen(pg.mkPen(TICK_COLOR))
            # Room for the ticks at this size: pyqtgraph hides tick texts that do not fit.
            plot.getAxis("bottom").setHeight(int(px * 1.5))
            plot.getAxis("left").setWidth(int(px * 1.8))

    def show_figures(self, figures: m.DayFigures, prefixes: dict[str, str]) -> None:
        """Remember the newest figures; they are drawn at the next refresh."""
        self._pending = figures
        self._prefixes = prefixes

    def draw_now(self) -> None:
        self._draw()

    def _draw(self) -> None:
        figures = self._pending
        if figures is None or figures is self.drawn:
            return
        samples = figures.waiting_over_day
        self.waiting_line.setData(list(range(len(samples))), [s.waiting for s in samples])
        step = max(1, -(-len(samples) // 3))  # three times of day fit at reading size
        self.waiting_plot.getAxis("bottom").setTicks(
            [[(i, s.at) for i, s in enumerate(samples)][::step]])
        hours = figures.issued_per_hour
        self.hours_bars.setOpts(x=[h.hour for h in hours], height=[h.issued for h in hours])
        self.hours_plot.getAxis("bottom").setTicks([[(h.hour, f"{h.hour}时") for h in hours]])
        waits = figures.avg_wait
        self.wait_bars.setOpts(x=list(range(len(waits))), height=[w.avg_wait_min for w in waits])
        self.wait_plot.getAxis("bottom").setTicks(
            [[(i, self._prefixes.get(w.code, w.code)) for i, w in enumerate(waits)]])
        tops: tuple[list[float], ...] = ([float(s.waiting) for s in samples],
                                         [float(h.issued) for h in hours],
                                         [w.avg_wait_min for w in waits])
        for plot, values in zip((self.waiting_plot, self.hours_plot, self.wait_plot), tops,
                                strict=True):
            plot.enableAutoRange(axis="x")
            # Counts and minutes start at 0: auto range around a flat zero line shows -1 ticks.
            plot.setYRange(0, max([1.0, *values]) * 1.15, padding=0)
        self.drawn = figures

    def stop(self) -> None:
        self._timer.stop()
