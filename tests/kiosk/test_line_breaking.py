"""Chinese line breaking and punctuation as the kiosk draws them; the typed rating code."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QTextLayout

from hall.chinese_text import WORD_JOINER, full_width_punctuation, keep_words, segments
from hall.core.rating_code import parse_typed_code, printed_code
from kiosk.widgets import NORMAL, Label, font, plain, readable

SENTENCES = [
    "70岁以上老人、残疾人、孕妇等优先办理",
    "现在暂停取号，13:30 恢复取号。门诊慢特病待遇认定：等候 9 人，约 21 分钟",
    "摄像头暂不可用，请输入预约码或号票上的评价码",
    "医疗费用手工(零星)报销需提供材料",
]


def drawn_lines(words: str, width: int) -> list[str]:
    """The lines Qt's own line breaker makes of the text at this width and the body font."""
    layout = QTextLayout(readable(words), font(NORMAL.body_px))
    layout.beginLayout()
    lines = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        lines.append(plain(layout.text()[line.textStart():line.textStart() + line.textLength()]))
    layout.endLayout()
    return lines


@pytest.mark.parametrize("width", range(130, 420, 18))
@pytest.mark.parametrize("sentence", SENTENCES)
def test_a_word_is_never_split_across_lines_at_any_width(qapp, sentence, width):
    lines = drawn_lines(sentence, width)
    joined = "|".join(lines)
    assert "".join(lines) == full_width_punctuation(sentence)
    for word in ("残疾人", "老人", "预约码", "摄像头", "评价码", "（零星）", "报销", "恢复取号",
                 "21 分钟", "等候 9 人"):
        if word in full_width_punctuation(sentence):
            assert word in joined, joined


def test_segments_keep_known_words_numbers_and_short_brackets_whole():
    assert segments("请输入预约码A031") == ["请", "输入", "预约码", "A031"]
    assert "（零星）" in segments("手工（零星）报销")
    assert "".join(segments("残疾人、孕妇")) == "残疾人、孕妇"
    assert segments("残疾人、孕妇")[0] == "残疾人、"  # no line starts with 、


def test_chinese_text_gets_full_width_punctuation_and_english_keeps_its_own():
    assert full_width_punctuation("医疗费用手工(零星)报销") == "医疗费用手工（零星）报销"
    assert full_width_punctuation("Windows (3, 5): 12:30") == "Windows (3, 5): 12:30"
    assert full_width_punctuation("办理时间:09:00") == "办理时间：09:00"


def test_labels_draw_joined_words_and_read_back_as_written(qapp):
    label = Label("请输入预约码", NORMAL)
    assert WORD_JOINER in label.text() and plain(label.text()) == "请输入预约码"
    assert keep_words("Hello") == "Hello"


def test_the_typed_rating_code_is_the_ticket_number_and_six_digits():
    code = printed_code("A031", "r1.demo-hall.20261124-A031.1764000000.abcdef")
    number, digits = code.split(" ")
    assert number == "A031" and len(digits) == 6 and digits.isdigit()
    typed = parse_typed_code(f"a031 {digits}")
    assert typed is not None and (typed.number, typed.check) == ("A031", digits)
    assert parse_typed_code("A03148291") is None and parse_typed_code("hello") is None

