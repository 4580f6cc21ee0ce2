"""The terminal's list of who waits for this window: one block per business, 绿色通道 marked."""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from counter.terminal_model import QueueLine
from counter.widgets import clear_layout, label

TITLE_PX = 26
ROW_PX = 22
CHIP_PX = 20
PRIORITY_COLOR = "#1b7f3b"
STALE_COLOR = "#8a949e"


def _chip(number: str, priority: bool) -> QLabel:
    text = f"优先 {number}" if priority else number
    chip = label(text, CHIP_PX, bold=True)
    background = PRIORITY_COLOR if priority else "#dfe6ec"
    color = "white" if priority else "#1c2833"
    chip.setStyleSheet(f"background: {background}; color: {color}; border-radius: 6px; "
                       "padding: 2px 8px;")
    return chip


class QueuePanel(QWidget):
    """Businesses with people waiting first, each with its next numbers; the rest on one line."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = label("等候情况 Waiting", TITLE_PX, bold=True)
        layout.addWidget(self.title)
        body = QWidget()
        self._body = body
        self.rows = QVBoxLayout(body)
        self.rows.setContentsMargins(0, 0, 8, 0)
        self.rows.setSpacing(4)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout.addWidget(scroll, 1)
        self._lines: tuple[QueueLine, ...] | None = None
        self._stale: bool | None = None
        self._summary = ""

    def text(self) -> str:
        """What the panel says, as plain lines (tests and logs read it)."""
        return self._summary

    def show_lines(self, lines: tuple[QueueLine, ...], *, stale: bool) -> None:
        if lines == self._lines and stale == self._stale:
            return
        self._lines, self._stale = lines, stale
        self.title.setText("等候情况（断线前的数据，可能已变化）" if stale else "等候情况 Waiting")
        self.title.setStyleSheet(f"color: {STALE_COLOR if stale else '#1c2833'};")
        clear_layout(self.rows)
        summary = []
        waiting = [q for q in lines if q.waiting]
        for q in waiting:
            counts = f"等候 {q.waiting} 人"
            if q.priority_waiting:
                counts += f"（绿色通道 {q.priority_waiting}）"
            if q.longest_wait_min is not None:
                counts += f" · 最长 {q.longest_wait_min} 分钟"
            head = QHBoxLayout()
            tone = STALE_COLOR if stale else ""
            head.addWidget(label(q.name_zh, ROW_PX, bold=True, color=tone))
            head.addStretch(1)
            head.addWidget(label(f"等候 {q.waiting} 人", ROW_PX, bold=True, color=tone))
            self.rows.addLayout(head)
            chips = QHBoxLayout()
            for number in q.next_numbers:
                chips.addWidget(_chip(number, number in q.next_priority))
            chips.addStretch(1)
            if q.longest_wait_min is not None:
                chips.addWidget(label(f"最长 {q.longest_wait_min} 分钟", CHIP_PX, color=tone))
            self.rows.addLayout(chips)
            numbers = " ".join(f"优先 {n}" if n in q.next_priority else n for n in q.next_numbers)
            summary.append(f"{q.name_zh}：{counts}  下一位 {numbers}".strip())
        idle = [q.name_zh for q in lines if not q.waiting]
        if idle:
            quiet = label(f"无人等候：{'、'.join(idle)}", ROW_PX - 2, wrap=True, color="#5d6d7e")
            self.rows.addWidget(quiet)
            summary.append(quiet.text())
        if not lines:
            summary.append("暂无等候")
            self.rows.addWidget(label("暂无等候", ROW_PX))
        self.rows.addStretch(1)
        # Shown now, not at the next turn of the event loop: a screenshot may come first.
        for child in self._body.findChildren(QLabel):
            if child.objectName() != "deleted":
                child.show()
        self._summary = "\n".join(summary)
