"""Drawing receipt text with a CJK font: raster printing and the virtual printer's PNGs."""
from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from printer.layout import Align

# Debian's fonts-noto-cjk; face 2 of each collection is Simplified Chinese.
FONT_FILES = {
    False: Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    True: Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
}
SC_FACE = 2
# A thermal head's normal character cell is 12x24 dots; one line of text is 24 dots high,
# drawn in 30 to leave the printer's usual line spacing.
DOT_LINE = 30
DOT_FONT = 24


class FontMissing(Exception):
    """The CJK font is not installed (Debian package fonts-noto-cjk)."""


@functools.cache
def font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    path = FONT_FILES[bold]
    if not path.exists():
        raise FontMissing(f"{path} is missing: install fonts-noto-cjk (scripts/setup does)")
    return ImageFont.truetype(str(path), size, index=SC_FACE)


def columns_of(text: str) -> int:
    """Half-width columns: CJK, full-width and ambiguous characters (·, “”) take two, as
    a printer in double-byte mode prints them."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F", "A") else 1 for c in text)


def wrap(text: str, columns: int) -> list[str]:
    """Break a line to fit `columns`, keeping Latin words whole where they fit."""
    lines: list[str] = []
    current = ""
    for token in _tokens(text):
        if columns_of(current + token) <= columns:
            current += token
            continue
        if current.strip():
            lines.append(current.rstrip())
        current = token.lstrip()
        while columns_of(current) > columns:
            cut = len(current)
            while columns_of(current[:cut]) > columns:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return _no_leading_punctuation(lines)


_CLOSING = set("，。、；：！？）」』》”’,.;:!?)")


def _no_leading_punctuation(lines: list[str]) -> list[str]:
    """Chinese typesetting: a line never starts with closing punctuation (避头点)."""
    for i in range(1, len(lines)):
        if lines[i][:1] in _CLOSING and len(lines[i - 1]) > 1:
            lines[i - 1], lines[i] = lines[i - 1][:-1], lines[i - 1][-1] + lines[i]
    return lines


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    word = ""
    for c in text:
        if c.isascii() and not c.isspace():
            word += c
            continue
        if word:
            tokens.append(word)
            word = ""
        tokens.append(c)
    if word:
        tokens.append(word)
    return tokens


def text_image(lines: list[str], width_dots: int, scale: int, bold: bool,
               align: Align) -> Image.Image:
    """Black text on white, one image for a block of lines at a magnification."""
    face = font(DOT_FONT * scale, bold)
    ascent, descent = face.getmetrics()
    line_height = ascent + descent
    image = Image.new("L", (width_dots, line_height * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        width = draw.textlength(line, font=face)
        x = (width_dots - width) / 2 if align is Align.CENTER else 0
        draw.text((x, i * line_height), line, font=face, fill=0, anchor="la")
    return image


def rule_image(width_dots: int) -> Image.Image:
    image = Image.new("L", (width_dots, DOT_LINE // 2), 255)
    ImageDraw.Draw(image).line([(0, DOT_LINE // 4), (width_dots, DOT_LINE // 4)], fill=0, width=2)
    return image
