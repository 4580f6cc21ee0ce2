"""Drawing receipt text with a CJK font: raster printing and the virtual printer's PNGs."""
from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from hall.chinese_text import segments
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
# A slip keeps a longer bracketed phrase on one line than a screen does: 《异地就医备案登记表》.
PRINTED_BRACKET_CHARS = 12
# Text is drawn this far from the paper's edges: ink at the very edge means a line was cut.
MARGIN_DOTS = 4


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


def wrap(text: str, columns: int, fits: Callable[[str], bool] | None = None) -> list[str]:
    """Break a line to fit `columns` (or what `fits` accepts: raster mode measures the drawn
    width), never inside a word, a number or a short bracketed phrase unless it alone is too
    long; punctuation is never at the start of a line."""
    def fitting(line: str) -> bool:
        return columns_of(line) <= columns and (fits is None or fits(line))

    lines: list[str] = []
    current = ""
    for piece in segments(text, PRINTED_BRACKET_CHARS):
        if fitting(current + piece):
            current += piece
            continue
        if current.strip():
            lines.append(current.rstrip())
        current = piece.lstrip()
        while not fitting(current):
            cut = len(current)
            while cut > 1 and not fitting(current[:cut]):
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


def raster_fits(scale: int, bold: bool, width_dots: int) -> Callable[[str], bool]:
    """Whether a line drawn with the receipt font at `scale` fits between the margins."""
    face = font(DOT_FONT * scale, bold)
    return lambda line: face.getlength(line) <= width_dots - 2 * MARGIN_DOTS


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
        x = (width_dots - width) / 2 if align is Align.CENTER else MARGIN_DOTS
        draw.text((x, i * line_height), line, font=face, fill=0, anchor="la")
    return image


def rule_image(width_dots: int) -> Image.Image:
    image = Image.new("L", (width_dots, DOT_LINE // 2), 255)
    ImageDraw.Draw(image).line([(0, DOT_LINE // 4), (width_dots, DOT_LINE // 4)], fill=0, width=2)
    return image


def cell_text_image(line: str, width_dots: int, scale: int, bold: bool,
                    align: Align) -> Image.Image:
    """A line as a printer in character mode prints it: each character in its cell, 12 dots
    wide per half-width column (24 for Chinese) at normal size; what passes the edge is lost."""
    face = font(DOT_FONT * scale, bold)
    ascent, descent = face.getmetrics()
    cell = DOT_FONT // 2 * scale
    image = Image.new("L", (width_dots, ascent + descent), 255)
    draw = ImageDraw.Draw(image)
    used = columns_of(line) * cell
    x = max(0, (width_dots - used) // 2) if align is Align.CENTER else 0
    for char in line:
        span = columns_of(char) * cell
        glyph = draw.textlength(char, font=face)
        draw.text((x + (span - glyph) / 2, 0), char, font=face, fill=0, anchor="la")
        x += span
    return image
