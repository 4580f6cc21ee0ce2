"""The clerk's terminal: renders a TerminalView and emits what the clerk asks for."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter.complaint_panel import ComplaintPanel
from counter.queue_panel import QueuePanel
from counter.reprint_panel import ReprintPanel
from counter.sign_in_page import SignInPage
from counter.terminal_model import TerminalView
from counter.texts import OFFLINE_BANNER_ZH
from counter.widgets import OFFLINE, ONLINE, bind_shortcut, button, clear_layout, font, label
from hall.protocol import messages as m
from hall.public_texts import PAUSE_TEXT

BODY_PX = 22
TITLE_PX = 26
CALL_COLOR = "#1565c0"
ACT_COLOR = "#37474f"
WARN_COLOR = "#b23c17"
FINISH_COLOR = "#2e7d32"
# Touch-sized: a clerk ticks items with a finger on the counter's touch screen.
CHECKBOX_STYLE = ("QCheckBox { spacing: 12px; } "
                  "QCheckBox::indicator { width: 34px; height: 34px; }")
SIDE_QUEUE, SIDE_TRANSFER, SIDE_PAUSE, SIDE_CALL, SIDE_COMPLAINT, SIDE_REPRINT = range(6)


class TerminalWidget(QWidget):
    """Both pages of the terminal; intents leave through `intent` as (type, fields)."""

    intent = Signal(object, dict)

    def __init__(self, window: int) -> None:
        super().__init__()
        self.window_number = window
        self.setWindowTitle(f"{window} 号窗口 柜台终端")
        self.setStyleSheet("background: #f5f7fa; color: #1c2833;")
        self.pages = QStackedWidget()
        self.sign_in_page = SignInPage(window)
        self.sign_in_page.sign_in.connect(
            lambda staff, pin: self.intent.emit(m.SignIn, {"staff_id": staff, "pin": pin}))
        self.pages.addWidget(self.sign_in_page)
        self.work = QWidget()
        self.pages.addWidget(self.work)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        # Offline, the whole terminal says so, on every page, before anything else.
        self.offline_banner = label(OFFLINE_BANNER_ZH, 24, bold=True,
                                    align=Qt.AlignmentFlag.AlignHCenter)
        self.offline_banner.setStyleSheet(f"background: {OFFLINE}; color: white; padding: 6px;")
        self.offline_banner.hide()
        outer.addWidget(self.offline_banner)
        outer.addWidget(self.pages)
        self._build_work()
        self._view: TerminalView | None = None
        self._rows_shown: dict[int, tuple[str, ...]] = {}

    # -- building ---------------------------------------------------------------------------

    def _build_work(self) -> None:
        root = QVBoxLayout(self.work)
        root.setContentsMargins(16, 10, 16, 10)
        root.setSpacing(8)
        top = QHBoxLayout()
        self.title = label("", TITLE_PX, bold=True)
        self.staff = label("", BODY_PX)
        self.status = label("", BODY_PX, bold=True)
        self.link = label("", BODY_PX, bold=True)
        self.handled = label("", BODY_PX)
        for w, stretch in ((self.title, 3), (self.staff, 2), (self.status, 3), (self.handled, 2),
                           (self.link, 2)):
            top.addWidget(w, stretch)
        root.addLayout(top)

        body = QHBoxLayout()
        left = QVBoxLayout()
        left.setSpacing(6)
        card = QFrame()
        card.setStyleSheet("QFrame { background: white; border: 2px solid #cfd8dc; "
                           "border-radius: 10px; }")
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(12, 4, 12, 8)
        card_layout.setSpacing(2)
        self.number = label("—", 64, bold=True, color=CALL_COLOR)
        self.business = label("", TITLE_PX, bold=True)
        self.marks = label("", BODY_PX, bold=True, color=WARN_COLOR)
        self.times = label("", BODY_PX)
        self.transfer_line = label("", BODY_PX, wrap=True)
        for w in (self.number, self.business, self.marks, self.times, self.transfer_line):
            w.setStyleSheet(w.styleSheet() + "border: none;")
            card_layout.addWidget(w)
        left.addWidget(card)
        left.addWidget(label("本次办理事项（一次评价覆盖全部）", BODY_PX, bold=True))
        self.items_box = QGridLayout()
        self.item_checks: dict[str, QCheckBox] = {}
        left.addLayout(self.items_box)
        # The one action the state calls for, large: call while idle, finish while serving,
        # resume while paused.
        self.b_primary = button("呼叫下一位 Next  [F1]", 28, height=72, color=CALL_COLOR)
        self.b_primary.clicked.connect(self._primary)
        left.addWidget(self.b_primary)
        actions = QGridLayout()
        actions.setSpacing(6)
        self.b_next = button("呼叫下一位 Next", BODY_PX, shortcut="F1", color=CALL_COLOR)
        self.b_recall = button("重呼 Recall", BODY_PX, shortcut="F2",
                               color=ACT_COLOR)
        self.b_no_show = button("过号 No-show", BODY_PX, shortcut="F3",
                                color=ACT_COLOR)
        self.b_finish = button("办结 Finish", BODY_PX, shortcut="F4",
                               color="#2e7d32")
        self.b_transfer = button("转窗 Transfer", BODY_PX, shortcut="F5", color=ACT_COLOR)
        self.b_park = button("挂起 Park", BODY_PX, shortcut="F6",
                             color=ACT_COLOR)
        self.b_pause = button("暂停 Pause", BODY_PX, shortcut="F7",
                              color=ACT_COLOR)
        self.b_call = button("指定呼叫 Call no.", BODY_PX, shortcut="F8", color=ACT_COLOR)
        self.b_complaint = button("登记投诉 Complaint", BODY_PX, shortcut="F9", color=ACT_COLOR)
        self.b_reprint = button("补打号票 Reprint", BODY_PX, shortcut="F10", color=ACT_COLOR)
        # In the top bar: the action grid keeps its five rows within the terminal's 1024 px.
        self.b_sign_out = button("签退 Sign out", BODY_PX, height=44, color=ACT_COLOR)
        top.addWidget(self.b_sign_out, 2)
        grid = [self.b_next, self.b_recall, self.b_no_show, self.b_finish, self.b_transfer,
                self.b_park, self.b_pause, self.b_call, self.b_complaint, self.b_reprint]
        for i, b in enumerate(grid):
            b.setMinimumHeight(50)
            actions.addWidget(b, i // 2, i % 2)
        left.addLayout(actions)
        left.addStretch(1)
        body.addLayout(left, 5)

        self.side = QStackedWidget()
        self.side.addWidget(self._queue_panel())
        self.side.addWidget(self._transfer_panel())
        self.side.addWidget(self._pause_panel())
        self.side.addWidget(self._call_panel())
        self.complaint_panel = ComplaintPanel(CHECKBOX_STYLE)
        self.complaint_panel.file.connect(lambda fields: self.intent.emit(m.FileComplaint, fields))
        self.complaint_panel.back.connect(self.show_queue)
        # The form's fields, by the names the clerk's tests and the app use.
        self.complaint_reasons = self.complaint_panel.reasons
        self.complaint_phone = self.complaint_panel.phone
        self.side.addWidget(self.complaint_panel)
        self.reprint_panel = ReprintPanel()
        self.reprint_panel.reprint.connect(
            lambda number: self.intent.emit(m.ReprintTicket, {"number": number}))
        self.reprint_panel.back.connect(self.show_queue)
        self.side.addWidget(self.reprint_panel)
        body.addWidget(self.side, 4)
        root.addLayout(body, 1)
        self.message = label("", BODY_PX, wrap=True, color=WARN_COLOR)
        self.message.setMinimumHeight(34)
        root.addWidget(self.message)

        self.b_next.clicked.connect(lambda: self.intent.emit(m.CallNext, {}))
        self.b_recall.clicked.connect(lambda: self.intent.emit(m.Recall, {}))
        self.b_no_show.clicked.connect(lambda: self.intent.emit(m.MarkNoShow, {}))
        self.b_park.clicked.connect(lambda: self.intent.emit(m.Park, {}))
        self.b_finish.clicked.connect(
            lambda: self.intent.emit(m.Finish, {"items": self.checked_items()}))
        self.b_sign_out.clicked.connect(lambda: self.intent.emit(m.SignOut, {}))
        self.b_transfer.clicked.connect(lambda: self.side.setCurrentIndex(SIDE_TRANSFER))
        self.b_call.clicked.connect(lambda: self.side.setCurrentIndex(SIDE_CALL))
        self.b_complaint.clicked.connect(lambda: self.side.setCurrentIndex(SIDE_COMPLAINT))
        self.b_pause.clicked.connect(self._pause_or_resume)
        self.b_reprint.clicked.connect(lambda: self.side.setCurrentIndex(SIDE_REPRINT))
        self.shortcuts = {f"F{i}": b for i, b in enumerate(grid[:10], start=1)}
        self.bind_shortcuts(self)

    def bind_shortcuts(self, window: QWidget) -> None:
        """The clerk's F-keys, also while another screen of this window is the active one."""
        for key, target in self.shortcuts.items():
            bind_shortcut(key, target, window)

    def _queue_panel(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        self.queue_panel = QueuePanel()
        layout.addWidget(self.queue_panel, 1)
        layout.addWidget(label("挂起 Parked", BODY_PX, bold=True))
        self.parked_row = QHBoxLayout()
        layout.addLayout(self.parked_row)
        layout.addWidget(label("过号 No-shows（点击重新排队）", BODY_PX, bold=True))
        self.no_show_row = QHBoxLayout()
        layout.addLayout(self.no_show_row)
        return panel

    def _form(self, title: str) -> tuple[QWidget, QVBoxLayout]:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.addWidget(label(title, TITLE_PX, bold=True))
        return panel, layout

    def _form_buttons(self, layout: QVBoxLayout, confirm: QPushButton) -> None:
        row = QHBoxLayout()
        back = button("返回 Back", BODY_PX, color=ACT_COLOR)
        back.clicked.connect(self.show_queue)
        row.addWidget(confirm)
        row.addWidget(back)
        layout.addStretch(1)
        layout.addLayout(row)

    def _transfer_panel(self) -> QWidget:
        panel, layout = self._form("转窗 Transfer")
        self.to_window = QComboBox()
        self.to_business = QComboBox()
        self.transfer_note = QLineEdit()
        self.transfer_note.setPlaceholderText("备注（请勿填写个人信息）")
        for caption, field in (("转至窗口", self.to_window), ("转至业务", self.to_business),
                               ("备注", self.transfer_note)):
            field.setFont(font(BODY_PX))
            field.setMinimumHeight(48)
            layout.addWidget(label(caption, BODY_PX))
            layout.addWidget(field)
        confirm = button("确认转窗", BODY_PX, color=CALL_COLOR)
        confirm.clicked.connect(self._transfer)
        self._form_buttons(layout, confirm)
        return panel

    def _pause_panel(self) -> QWidget:
        panel, layout = self._form("暂停服务 Pause")
        for reason in m.PauseReason:
            b = button(PAUSE_TEXT[reason], BODY_PX, color=ACT_COLOR)
            b.clicked.connect(lambda _=False, r=reason: self._pause(r))
            layout.addWidget(b)
        back = button("返回 Back", BODY_PX, color=ACT_COLOR)
        back.clicked.connect(self.show_queue)
        layout.addStretch(1)
        layout.addWidget(back)
        return panel

    def _call_panel(self) -> QWidget:
        panel, layout = self._form("指定呼叫 Call a number")
        self.call_number = QLineEdit()
        self.call_number.setPlaceholderText("例如 A012")
        self.call_number.setFont(font(30))
        self.call_number.setMinimumHeight(60)
        layout.addWidget(self.call_number)
        confirm = button("呼叫", BODY_PX, color=CALL_COLOR)
        confirm.clicked.connect(self._call_number)
        self.call_number.returnPressed.connect(self._call_number)
        self._form_buttons(layout, confirm)
        return panel

    # -- intents ----------------------------------------------------------------------------

    def checked_items(self) -> tuple[str, ...]:
        return tuple(code for code, box in self.item_checks.items() if box.isChecked())

    def show_queue(self) -> None:
        self.side.setCurrentIndex(SIDE_QUEUE)

    def _primary(self) -> None:
        view = self._view
        if view is None:
            return
        if view.can_act_on_ticket:
            self.b_finish.click()
        elif view.can_resume:
            self.intent.emit(m.Resume, {})
        elif view.can_call:
            self.intent.emit(m.CallNext, {})

    def _pause_or_resume(self) -> None:
        if self._view is not None and self._view.can_resume:
            self.intent.emit(m.Resume, {})
        else:
            self.side.setCurrentIndex(SIDE_PAUSE)

    def _pause(self, reason: m.PauseReason) -> None:
        self.intent.emit(m.Pause, {"reason": reason})
        self.show_queue()

    def _transfer(self) -> None:
        self.intent.emit(m.Transfer, {"to_window": self.to_window.currentData(),
                                      "to_business": self.to_business.currentData() or "",
                                      "note": self.transfer_note.text().strip()})
        self.transfer_note.clear()
        self.show_queue()

    def _call_number(self) -> None:
        number = self.call_number.text().strip().upper()
        if number:
            self.intent.emit(m.CallTicket, {"number": number})
            self.call_number.clear()
            self.show_queue()

    def clear_complaint(self) -> None:
        self.complaint_panel.clear()
        self.show_queue()

    # -- rendering --------------------------------------------------------------------------

    def say(self, text: str, *, ok: bool = False) -> None:
        for target in (self.message, self.sign_in_page.message):
            target.setText(text)
            target.setStyleSheet(f"color: {ONLINE if ok else WARN_COLOR};")

    def _show_primary(self, view: TerminalView) -> None:
        if view.ticket is not None:
            text, color, enabled = "办结 Finish  [F4]", FINISH_COLOR, view.can_act_on_ticket
        elif view.can_resume or view.status_zh.startswith("暂停"):
            text, color, enabled = "恢复服务 Resume  [F7]", CALL_COLOR, view.can_resume
        else:
            text, color, enabled = "呼叫下一位 Next  [F1]", CALL_COLOR, view.can_call
        self.b_primary.setText(text)
        self.b_primary.setEnabled(enabled)
        self.b_primary.setStyleSheet(self.b_primary.styleSheet().replace(
            self.b_primary.property("color") or CALL_COLOR, color))
        self.b_primary.setProperty("color", color)

    def show_view(self, view: TerminalView) -> None:
        first = self._view is None or self._view.businesses != view.businesses \
            or self._view.other_windows != view.other_windows
        previous_ticket = self._view.ticket.number if self._view and self._view.ticket else ""
        self._view = view
        self.pages.setCurrentIndex(1 if view.signed_in else 0)
        if first:
            self._fill_choices(view)
        self.title.setText(f"{view.window} 号窗口 {view.window_name}")
        self.staff.setText(view.staff)
        self.status.setText(f"状态：{view.status_zh}")
        self.handled.setText(f"今日已办 {view.handled_today}")
        self.link.setText("● 在线 Online" if view.connected else "● 离线 Offline")
        self.link.setStyleSheet(f"color: {ONLINE if view.connected else WARN_COLOR};")
        if self.offline_banner.isHidden() != view.connected:
            self.offline_banner.setVisible(not view.connected)
            # Tinted while offline, so no part of the screen looks live.
            self.setStyleSheet("background: #f5f7fa; color: #1c2833;" if view.connected
                               else "background: #fbe3e0; color: #1c2833;")
        self._show_primary(view)
        t = view.ticket
        self.number.setText(t.number if t else "—")
        self.business.setText(t.business_zh if t else "当前无服务对象")
        self.marks.setText("  ".join(t.marks) if t else "")
        self.times.setText(f"取号 {t.issued} · 等候 {t.waited_min} 分钟 · 已呼叫 {t.call_count} 次"
                           if t else "")
        self.transfer_line.setText(t.transfer_line if t else "")
        self.transfer_line.setVisible(bool(t and t.transfer_line))
        self.marks.setVisible(bool(t and t.marks))
        self.times.setVisible(t is not None)
        if (t.number if t else "") != previous_ticket:
            # A new citizen starts from their own business; after 办结 nothing stays ticked.
            for code, box in self.item_checks.items():
                box.setChecked(t is not None and code == t.business)
        self.b_next.setEnabled(view.can_call)
        self.b_call.setEnabled(view.can_call)
        for b in (self.b_recall, self.b_no_show, self.b_finish, self.b_transfer, self.b_park):
            b.setEnabled(view.can_act_on_ticket)
        self.b_pause.setEnabled(view.can_pause or view.can_resume)
        self.b_pause.setText("恢复服务 Resume  [F7]" if view.can_resume else "暂停 Pause  [F7]")
        self.b_sign_out.setEnabled(view.can_sign_out)
        self.b_complaint.setEnabled(view.connected)
        self.b_reprint.setEnabled(view.connected)
        self.queue_panel.show_lines(view.queue, stale=not view.connected)
        self._number_buttons(self.parked_row, view.parked, m.Unpark, can=view.can_call)
        self._number_buttons(self.no_show_row, view.no_shows, m.Requeue, can=view.connected)

    def _fill_choices(self, view: TerminalView) -> None:
        clear_layout(self.items_box)
        self.item_checks = {}
        for i, (code, name) in enumerate(view.businesses):
            box = QCheckBox(name)
            box.setFont(font(BODY_PX))
            box.setMinimumHeight(44)
            box.setStyleSheet(CHECKBOX_STYLE)
            self.item_checks[code] = box
            self.items_box.addWidget(box, i // 2, i % 2)
        self.to_window.clear()
        self.to_window.addItem("不指定窗口", None)
        for number, name in view.other_windows:
            self.to_window.addItem(f"{number} 号窗口 {name}", number)
        self.to_business.clear()
        self.to_business.addItem("原业务不变", "")
        for code, name in view.businesses:
            self.to_business.addItem(name, code)

    def _number_buttons(self, row: QHBoxLayout, numbers: tuple[str, ...],
                        intent: type[m.Intent], *, can: bool) -> None:
        # Rebuilt only when the numbers change: a button under the clerk's finger stays the
        # same one while the terminal waits for an answer (which only disables it).
        if self._rows_shown.get(id(row)) != numbers:
            self._rows_shown[id(row)] = numbers
            clear_layout(row)
            for number in numbers[-6:]:
                b = button(number, 20, height=48, color=ACT_COLOR)
                b.clicked.connect(lambda _=False, n=number: self.intent.emit(intent,
                                                                             {"number": n}))
                row.addWidget(b)
            row.addStretch(1)
        for i in range(row.count()):
            item = row.itemAt(i)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setEnabled(can)
