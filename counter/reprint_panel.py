"""The terminal's 补打号票 form: a citizen's slip of the day printed again at this window."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from counter.widgets import button, font, label
from hall.chinese_text import keep_words

BODY_PX = 22
TITLE_PX = 26
CALL_COLOR = "#1565c0"
ACT_COLOR = "#37474f"
REPRINT_HINT = ("群众号票遗失或自助机未能打印时，输入今天的号码（例如 A031），"
                "在本窗口打印机补打，号票上注明「补打」。每张号票最多补打 3 次。")
NO_PRINTER = "本窗口未配置打印机，不能补打号票（启动时加 --printer）"


class ReprintPanel(QWidget):
    """Emits the number to reprint (upper case, trimmed); `back` returns to the queue."""

    reprint = Signal(str)
    back = Signal()

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(label("补打号票 Reprint a ticket", TITLE_PX, bold=True))
        layout.addWidget(label(keep_words(REPRINT_HINT), BODY_PX, wrap=True))
        self.number = QLineEdit()
        self.number.setPlaceholderText("号码，例如 A031")
        self.number.setFont(font(30))
        self.number.setMinimumHeight(60)
        self.number.setMaxLength(8)
        layout.addWidget(self.number)
        row = QHBoxLayout()
        self.confirm = button("补打", BODY_PX, color=CALL_COLOR)
        back = button("返回 Back", BODY_PX, color=ACT_COLOR)
        row.addWidget(self.confirm)
        row.addWidget(back)
        layout.addStretch(1)
        layout.addLayout(row)
        self.confirm.clicked.connect(self._send)
        self.number.returnPressed.connect(self._send)
        back.clicked.connect(self.back.emit)

    def _send(self) -> None:
        number = self.number.text().strip().upper()
        if number:
            self.reprint.emit(number)
            self.number.clear()
