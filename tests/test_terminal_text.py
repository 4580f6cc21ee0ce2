"""Text from the wire is printed on a terminal as text, never as escape sequences."""
from __future__ import annotations

import pytest

from hall.terminal_text import REPLACEMENT, for_terminal


@pytest.mark.parametrize(("text", "shown"), [
    ("打印机缺纸", "打印机缺纸"),
    ("printer out of paper", "printer out of paper"),
    ("\x1b[2Jcleared", f"{REPLACEMENT}[2Jcleared"),
    ("a\r\nb\tc", f"a{REPLACEMENT}{REPLACEMENT}b{REPLACEMENT}c"),
    ("\x9b31mred", f"{REPLACEMENT}31mred"),
    ("abc\u202edef", f"abc{REPLACEMENT}def"),
    ("lone \ud800", f"lone {REPLACEMENT}"),
    ("line\u2028break", f"line{REPLACEMENT}break"),
])
def test_unprintable_characters_are_replaced(text: str, shown: str) -> None:
    assert for_terminal(text) == shown


def test_long_text_is_cut_with_an_ellipsis() -> None:
    assert for_terminal("x" * 500, limit=10) == "x" * 9 + "…"
    assert for_terminal("x" * 10, limit=10) == "x" * 10


def test_the_result_can_always_be_encoded() -> None:
    for_terminal("\ud800\udfff\x00").encode("utf-8")
