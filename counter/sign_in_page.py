"""The terminal's sign-in page: 工号 (letters and digits) and PIN on an on-screen keyboard."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QMouseEvent
from PySide6.QtWidgets import QGridLayout, QLineEdit, QVBoxLayout, QWidget

from counter.widgets import button, font, label

BODY_PX = 22
CALL_COLOR = "#1565c0"
WARN_COLOR = "#b23c17"
# 工号 carry letters (YB0107): the keyboard has them, in the order of a PC keyboard.
KEY_ROWS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")
CLEAR, BACKSPACE = "清除", "退格"


class KeyboardField(QLineEdit):
    """A field that says when it is touched or focused: the keyboard then types into it."""

    touched = Signal()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.touched.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        self.touched.emit()


class SignInPage(QWidget):
    sign_in = Signal(str, str)

    def __init__(self, window: int) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(120, 30, 120, 30)
        layout.setSpacing(12)
        layout.addWidget(label(f"{window} 号窗口 · 工作人员签到 Staff sign-in", 30, bold=True))
        self.staff = KeyboardField()
        self.staff.setPlaceholderText("工号 Staff number（如 YB0101）")
        self.pin = KeyboardField()
        self.pin.setPlaceholderText("密码 PIN")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        for field in (self.staff, self.pin):
            field.setFont(font(26))
            field.setMinimumHeight(60)
            layout.addWidget(field)
        self._active: QLineEdit = self.staff
        self.staff.touched.connect(lambda: self._activate(self.staff))
        self.pin.touched.connect(lambda: self._activate(self.pin))
        self.staff.returnPressed.connect(lambda: self._activate(self.pin))
        self.keys: dict[str, QWidget] = {}
        keyboard = QGridLayout()
        keyboard.setSpacing(6)
        for row, keys in enumerate(KEY_ROWS):
            for col, key in enumerate(keys):
                self._add_key(keyboard, key, row, col)
        self._add_key(keyboard, BACKSPACE, 3, 7, span=3)
        self._add_key(keyboard, CLEAR, 2, 9)
        layout.addLayout(keyboard)
        self.submit = button("签到 Sign in", 26, height=68, color=CALL_COLOR)
        self.submit.clicked.connect(self._submit)
        self.pin.returnPressed.connect(self._submit)
        layout.addWidget(self.submit)
        self.message = label("", BODY_PX, wrap=True, color=WARN_COLOR)
        self.message.setMinimumHeight(64)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.staff.setFocus()

    def _add_key(self, grid: QGridLayout, key: str, row: int, col: int, span: int = 1) -> None:
        b = button(key, 24, height=56)
        # The keys must not take the focus: it says which field they type into.
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.clicked.connect(lambda _=False, k=key: self.press(k))
        grid.addWidget(b, row, col, 1, span)
        self.keys[key] = b

    def _activate(self, field: QLineEdit) -> None:
        self._active = field
        if self.isVisible() and not field.hasFocus():
            field.setFocus()

    def active_field(self) -> QLineEdit:
        return self._active

    def press(self, key: str) -> None:
        field = self._active
        if key == CLEAR:
            field.clear()
        elif key == BACKSPACE:
            field.backspace()
        elif field is self.staff or key.isdigit():
            field.insert(key)
        field.setFocus()

    def _submit(self) -> None:
        self.sign_in.emit(self.staff.text().strip().upper(), self.pin.text())

    def clear(self) -> None:
        self.pin.clear()
        self._active = self.pin if self.staff.text() else self.staff
