"""The terminal's 登记投诉 form: a complaint brought to the window (首问负责)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from counter.widgets import button, font, label
from hall.core.complaints import CATEGORY_ZH, COMMON_REASONS_ZH

BODY_PX = 22
TITLE_PX = 26
FIELD_PX = 18
CALL_COLOR = "#1565c0"
ACT_COLOR = "#37474f"


class ComplaintPanel(QWidget):
    """Emits `file` with the file_complaint fields; `back` returns to the queue."""

    file = Signal(dict)
    back = Signal()

    def __init__(self, checkbox_style: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(label("登记投诉（首问负责）", TITLE_PX, bold=True))
        self.category = QComboBox()
        self.category.setFont(font(BODY_PX))
        for category, zh in CATEGORY_ZH.items():
            self.category.addItem(zh, category)
        layout.addWidget(self.category)
        grid = QGridLayout()
        self.reasons: dict[str, QCheckBox] = {}
        for i, (code, zh) in enumerate(COMMON_REASONS_ZH.items()):
            box = QCheckBox(zh)
            box.setFont(font(FIELD_PX))
            # Touch-sized, as the batch items: the clerk ticks them with a finger.
            box.setStyleSheet(checkbox_style)
            box.setMinimumHeight(40)
            self.reasons[code] = box
            grid.addWidget(box, i // 2, i % 2)
        layout.addLayout(grid)
        self.text = QLineEdit()
        self.text.setPlaceholderText("情况说明（可选）")
        self.name = QLineEdit()
        self.name.setPlaceholderText("姓名（可选）")
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("联系电话（可选）")
        for field in (self.text, self.name, self.phone):
            field.setFont(font(FIELD_PX))
            field.setMinimumHeight(44)
            layout.addWidget(field)
        row = QHBoxLayout()
        confirm = button("登记", BODY_PX, color=CALL_COLOR)
        back = button("返回 Back", BODY_PX, color=ACT_COLOR)
        row.addWidget(confirm)
        row.addWidget(back)
        layout.addStretch(1)
        layout.addLayout(row)
        confirm.clicked.connect(self._file)
        back.clicked.connect(self.back.emit)

    def _file(self) -> None:
        fields: dict[str, Any] = {
            "category": self.category.currentData(),
            "reasons": tuple(c for c, box in self.reasons.items() if box.isChecked()),
            "text": self.text.text().strip(), "name": self.name.text().strip(),
            "phone": self.phone.text().strip()}
        self.file.emit(fields)

    def clear(self) -> None:
        for box in self.reasons.values():
            box.setChecked(False)
        for field in (self.text, self.name, self.phone):
            field.clear()
