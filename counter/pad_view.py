"""The rating pad (评价器) facing the citizen, and the window screen (窗口屏) above the window."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter.pad_flow import PadFlow, PadScreen
from counter.texts import (
    LEVELS,
    PAD_ASK_RATING,
    PAD_ASK_REASON,
    PAD_IDLE_GREETING,
    PAD_PHONE_HINT,
    PAD_SUB_TITLE,
    PAD_THANKS,
    PAD_THANKS_EN,
)
from counter.widgets import button, clear_layout, font, label, qr_image
from hall.chinese_text import NO_BREAK_SPACE, WORD_JOINER, full_width_punctuation
from hall.core.ratings import BAD_REASONS_ZH, SUB_INDICATORS_ZH
from hall.protocol import messages as m
from hall.public_texts import PAUSE_TEXT, PAUSE_TEXT_EN, RATING_LEVEL_TEXT

LEVEL_COLORS = ("#1b7f3b", "#43a047", "#7c8a00", "#e65100", "#c62828")
SELECTED = "#0d47a1"
UNSELECTED = "#90a4ae"


@dataclass(frozen=True, slots=True)
class StaffCard:
    window: int
    window_name: str
    staff_name: str
    staff_id: str
    photo: str
    hours_today: str
    status: m.WindowStatus
    pause_reason: m.PauseReason | None
    ticket_number: str


def _photo(path: str, size: int, name: str) -> QLabel:
    picture = QLabel()
    picture.setTextFormat(Qt.TextFormat.PlainText)
    picture.setFixedSize(size, size)
    picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
    pixmap = QPixmap(path) if path else QPixmap()
    if not pixmap.isNull():
        picture.setPixmap(pixmap.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                                        Qt.TransformationMode.SmoothTransformation))
    else:
        picture.setText(name[:1] or "?")
        picture.setFont(font(size // 2, bold=True))
        picture.setStyleSheet(f"background: #1565c0; color: white; border-radius: {size // 2}px;")
    return picture


class PadWidget(QWidget):
    """Idle staff card, the five levels with optional sub-indicators and a phone QR, the
    reasons page for a bad level, and thanks."""

    choose = Signal(object)
    score = Signal(str, object)
    toggle_reason = Signal(str)
    submit = Signal()
    back = Signal()

    def __init__(self, window: int) -> None:
        super().__init__()
        self.window_number = window
        self.setWindowTitle(f"{window} 号窗口 评价器")
        self.setStyleSheet("background: #ffffff; color: #1c2833;")
        self.pages = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)
        self.idle = QWidget()
        self.rating = QWidget()
        self.reasons = QWidget()
        self.thanks = QWidget()
        for page in (self.idle, self.rating, self.reasons, self.thanks):
            self.pages.addWidget(page)
        self._build_idle()
        self._build_rating()
        self._build_reasons()
        thanks = QVBoxLayout(self.thanks)
        thanks.addStretch(1)
        thanks.addWidget(label(PAD_THANKS, 56, bold=True, align=Qt.AlignmentFlag.AlignHCenter,
                               color="#1b7f3b"))
        thanks.addWidget(label(PAD_THANKS_EN, 32, align=Qt.AlignmentFlag.AlignHCenter))
        self.thanks_level = label("", 32, align=Qt.AlignmentFlag.AlignHCenter, color="#37474f")
        thanks.addWidget(self.thanks_level)
        thanks.addStretch(1)
        self._card: StaffCard | None = None

    def _build_idle(self) -> None:
        layout = QHBoxLayout(self.idle)
        layout.setContentsMargins(60, 40, 60, 40)
        self.photo_slot = QVBoxLayout()
        layout.addLayout(self.photo_slot)
        text = QVBoxLayout()
        self.idle_window = label("", 44, bold=True)
        self.idle_name = label("", 56, bold=True)
        self.idle_id = label("", 36)
        self.idle_hours = label("", 30, wrap=True)
        self.idle_status = label("", 36, bold=True, color="#c62828")
        self.idle_greeting = label(PAD_IDLE_GREETING, 34, wrap=True, color="#1565c0")
        for w in (self.idle_window, self.idle_name, self.idle_id, self.idle_hours,
                  self.idle_status, self.idle_greeting):
            text.addWidget(w)
        text.addStretch(1)
        layout.addLayout(text, 1)

    def _build_rating(self) -> None:
        layout = QVBoxLayout(self.rating)
        layout.setContentsMargins(30, 16, 30, 16)
        layout.setSpacing(10)
        self.rating_title = label(PAD_ASK_RATING, 40, bold=True)
        self.rating_items = label("", 26, wrap=True)
        layout.addWidget(self.rating_title)
        layout.addWidget(self.rating_items)
        # The five levels first and largest: one tap is a whole rating.
        levels = QHBoxLayout()
        self.level_buttons: dict[m.RatingLevel, QPushButton] = {}
        for (level, zh, en), color in zip(LEVELS, LEVEL_COLORS, strict=True):
            b = button(f"{zh}\n{en}", 30, height=150, color=color)
            b.clicked.connect(lambda _=False, lv=level: self.choose.emit(lv))
            self.level_buttons[level] = b
            levels.addWidget(b)
        layout.addLayout(levels)
        middle = QHBoxLayout()
        subs = QGridLayout()
        subs.setSpacing(6)
        subs.addWidget(label(PAD_SUB_TITLE, 24, bold=True), 0, 0, 1, 6)
        self.sub_buttons: dict[tuple[str, m.RatingLevel], QPushButton] = {}
        for row, (code, zh) in enumerate(SUB_INDICATORS_ZH.items(), start=1):
            subs.addWidget(label(zh, 24), row, 0)
            for col, (level, word, _) in enumerate(LEVELS, start=1):
                b = button(word, 20, height=50, color=UNSELECTED)
                b.setProperty("word", word)
                b.clicked.connect(lambda _=False, c=code, lv=level: self.score.emit(c, lv))
                self.sub_buttons[(code, level)] = b
                subs.addWidget(b, row, col)
        middle.addLayout(subs, 4)
        qr_box = QVBoxLayout()
        self.qr = QLabel()
        self.qr.setTextFormat(Qt.TextFormat.PlainText)
        self.qr.setFixedSize(180, 180)
        qr_box.addWidget(self.qr, alignment=Qt.AlignmentFlag.AlignHCenter)
        qr_box.addWidget(label(PAD_PHONE_HINT, 20, wrap=True, align=Qt.AlignmentFlag.AlignHCenter))
        middle.addLayout(qr_box, 1)
        layout.addLayout(middle)
        layout.addStretch(1)

    def _build_reasons(self) -> None:
        layout = QVBoxLayout(self.reasons)
        layout.setContentsMargins(40, 20, 40, 20)
        self.chosen_level = label("", 34, bold=True)
        layout.addWidget(self.chosen_level)
        layout.addWidget(label(PAD_ASK_REASON, 36, bold=True, color="#c62828"))
        grid = QGridLayout()
        self.reason_buttons: dict[str, QPushButton] = {}
        # 其他 needs typed words, and a pad facing the citizen usually has no keyboard.
        listed = [(code, zh) for code, zh in BAD_REASONS_ZH.items() if code != "other"]
        for i, (code, zh) in enumerate(listed):
            b = button(zh, 28, height=80, color=UNSELECTED)
            b.setProperty("word", zh)
            b.clicked.connect(lambda _=False, c=code: self.toggle_reason.emit(c))
            self.reason_buttons[code] = b
            grid.addWidget(b, i // 2, i % 2)
        layout.addLayout(grid)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText("补充说明（可选）")
        self.comment.setFont(font(26))
        self.comment.setMinimumHeight(60)
        layout.addWidget(self.comment)
        self.reason_message = label("", 26, color="#c62828")
        layout.addWidget(self.reason_message)
        row = QHBoxLayout()
        self.send = button("提交评价 Submit", 32, height=90, color="#1565c0")
        self.send.clicked.connect(self.submit.emit)
        back = button("返回 Back", 32, height=90, color="#546e7a")
        back.clicked.connect(self.back.emit)
        row.addWidget(self.send, 2)
        row.addWidget(back, 1)
        layout.addLayout(row)

    def show_card(self, card: StaffCard) -> None:
        if card == self._card:
            return
        self._card = card
        clear_layout(self.photo_slot)
        photo = _photo(card.photo, 260, card.staff_name)
        self.photo_slot.addWidget(photo)
        photo.show()  # now, not at the next turn of the event loop
        self.photo_slot.addStretch(1)
        self.idle_window.setText(f"{card.window} 号窗口 {card.window_name}")
        self.idle_name.setText(card.staff_name or "暂无工作人员")
        self.idle_id.setText(f"工号 {card.staff_id}" if card.staff_id else "")
        self.idle_hours.setText(f"今日服务时间 {card.hours_today}" if card.hours_today else "")
        self.idle_status.setText(_pause_sign(card))

    def show_flow(self, flow: PadFlow, rating_url: str) -> None:
        page = {PadScreen.IDLE: self.idle, PadScreen.RATING: self.rating,
                PadScreen.REASONS: self.reasons, PadScreen.THANKS: self.thanks}[flow.screen]
        self.pages.setCurrentWidget(page)
        if flow.invite is not None:
            self.rating_items.setText(f"{flow.invite.number} 号 · 办理事项："
                                      f"{'、'.join(map(full_width_punctuation, flow.invite.items_zh))}"
                                      f" · 工作人员 {flow.invite.staff_name}")
            if rating_url and self.qr.property("url") != rating_url:
                self.qr.setPixmap(QPixmap.fromImage(qr_image(rating_url, 200)))
                self.qr.setProperty("url", rating_url)
        for (code, level), b in self.sub_buttons.items():
            _mark(b, flow.sub_scores.get(code) is level)
        for code, b in self.reason_buttons.items():
            _mark(b, code in flow.reasons)
        level_zh = RATING_LEVEL_TEXT[flow.level][0] if flow.level is not None else ""
        self.chosen_level.setText(f"您的评价：{level_zh}" if level_zh else "")
        self.thanks_level.setText(f"您的评价：{level_zh}" if level_zh else "")
        if flow.screen is not PadScreen.REASONS:
            self.reason_message.setText("")
            self.comment.clear()
        elif flow.reasons:
            self.reason_message.setText("")  # the missing reason has been picked


def _mark(b: QPushButton, chosen: bool) -> None:
    """A chosen option is ticked and dark; the others stay plain."""
    word = str(b.property("word"))
    b.setText(f"✓ {word}" if chosen else word)
    b.setStyleSheet(b.styleSheet().replace(SELECTED if not chosen else UNSELECTED,
                                           SELECTED if chosen else UNSELECTED))


def _pause_sign(card: StaffCard) -> str:
    if card.status is m.WindowStatus.PAUSED and card.pause_reason is not None:
        return f"暂停服务：{PAUSE_TEXT[card.pause_reason]} {PAUSE_TEXT_EN[card.pause_reason]}"
    if card.status is m.WindowStatus.CLOSED:
        return "本窗口暂停服务 Closed"
    return ""


class WindowScreen(QWidget):
    """The small screen above the window: its number always in sight, the number being served
    or the pause sign large, and the staff card."""

    def __init__(self, window: int) -> None:
        super().__init__()
        self.setWindowTitle(f"{window} 号窗口 窗口屏")
        self.setStyleSheet("background: #0b1f33; color: #ffffff;")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(30, 16, 30, 16)
        layout.setSpacing(24)
        left = QVBoxLayout()
        self.window_title = label(f"{window} 号窗口", 64, bold=True)
        self.window_name = label("", 30, color="#b8c4d6")
        left.addWidget(self.window_title)
        left.addWidget(self.window_name)
        left.addStretch(1)
        layout.addLayout(left, 0)
        middle = QVBoxLayout()
        self.current = label("", 104, bold=True, color="#ffd54f",
                             align=Qt.AlignmentFlag.AlignHCenter)
        self.sign = label("", SIGN_PX, bold=True, wrap=True, align=Qt.AlignmentFlag.AlignHCenter)
        middle.addStretch(1)
        middle.addWidget(self.current)
        middle.addWidget(self.sign)
        middle.addStretch(1)
        layout.addLayout(middle, 1)
        self.photo_slot = QVBoxLayout()
        layout.addLayout(self.photo_slot, 0)
        right = QVBoxLayout()
        self.staff_name = label("", 40, bold=True)
        self.staff_id = label("", 28)
        right.addStretch(1)
        right.addWidget(self.staff_name)
        right.addWidget(self.staff_id)
        right.addStretch(1)
        layout.addLayout(right, 0)
        self._card: StaffCard | None = None

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # A narrow screen (two side by side in the demo) takes the sign a size smaller, so its
        # phrases, which never break inside, still fit.
        self.sign.setFont(font(SIGN_PX if self.width() >= WIDE_SCREEN_PX else SIGN_NARROW_PX,
                               True))

    def show_card(self, card: StaffCard) -> None:
        if card == self._card:
            return
        self._card = card
        clear_layout(self.photo_slot)
        if card.staff_id:
            self.photo_slot.addStretch(1)
            photo = _photo(card.photo, 150, card.staff_name)
            self.photo_slot.addWidget(photo)
            photo.show()
            self.photo_slot.addStretch(1)
        self.window_name.setText(card.window_name)
        self.current.setText(f"请 {card.ticket_number} 号" if card.ticket_number else "")
        self.current.setVisible(bool(card.ticket_number))
        sign = _window_sign(card)
        self.sign.setText(sign)
        self.sign.setVisible(bool(sign))
        background = SIGN_FAULT if card.pause_reason is m.PauseReason.SYSTEM_FAULT else (
            SIGN_AWAY if card.status is m.WindowStatus.PAUSED else SIGN_CLOSED)
        self.sign.setStyleSheet(f"background: {background}; color: "
                                f"{'#1b1b1b' if background == SIGN_AWAY else '#ffffff'}; "
                                "border-radius: 14px; padding: 10px 24px;")
        self.staff_name.setText(card.staff_name)
        self.staff_id.setText(f"工号 {card.staff_id}" if card.staff_id else "")


SIGN_PX = 56
SIGN_NARROW_PX = 40
WIDE_SCREEN_PX = 1000
SIGN_AWAY = "#ffb703"
SIGN_FAULT = "#ef476f"
SIGN_CLOSED = "#546e7a"


def _window_sign(card: StaffCard) -> str:
    """The window's sign on two lines: the reason large, its English below. A narrow screen
    breaks it between its phrases only (本窗口 | 暂停服务, never 暂停服 | 务)."""
    if card.status is m.WindowStatus.PAUSED:
        if card.pause_reason is None:
            return f"{_whole('暂停服务')}\nService paused"
        return (f"{_whole('暂停服务')}{NO_BREAK_SPACE}· {_whole(PAUSE_TEXT[card.pause_reason])}\n"
                f"{PAUSE_TEXT_EN[card.pause_reason]}")
    if card.status is m.WindowStatus.CLOSED:
        return f"{_whole('本窗口')}{_whole('暂停服务')}\nClosed"
    return ""


def _whole(phrase: str) -> str:
    return WORD_JOINER.join(phrase)
