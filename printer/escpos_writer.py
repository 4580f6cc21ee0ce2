"""Turns print operations into ESC/POS through python-escpos, in text or raster mode."""
from __future__ import annotations

import enum
from dataclasses import dataclass

from escpos.escpos import Escpos

from printer import raster
from printer.layout import Align, Cut, Paper, PrintOp, Qr, Rule, Text

ESC, GS, FS, LF = b"\x1b", b"\x1d", b"\x1c", b"\n"
INIT = ESC + b"@"
# FS & selects double-byte (Chinese) character mode, FS . leaves it. Printers sold in
# China read GB18030 (older ones GBK, its subset) in that mode.
CHINESE_ON = FS + b"&"
CHINESE_OFF = FS + b"."
QR_MODULE_DOTS = 6


@enum.unique
class TextMode(enum.StrEnum):
    GB18030 = "gb18030"
    RASTER = "raster"


@dataclass(frozen=True, slots=True)
class PrinterProfile:
    """What the hardware can do; comes from the kiosk's configuration."""

    paper: Paper = Paper.MM80
    text_mode: TextMode = TextMode.GB18030
    native_qr: bool = True
    has_cutter: bool = True


def write_receipt(printer: Escpos, ops: list[PrintOp], profile: PrinterProfile) -> None:
    # python-escpos centres images by the profile's paper width.
    printer.profile.profile_data.setdefault("media", {}).setdefault("width", {})["pixels"] = (
        profile.paper.dots)
    printer._raw(INIT)
    if profile.text_mode is TextMode.GB18030:
        printer._raw(CHINESE_ON)
    for op in ops:
        if isinstance(op, Text):
            _text(printer, op, profile)
        elif isinstance(op, Rule):
            _rule(printer, profile)
        elif isinstance(op, Qr):
            _qr(printer, op, profile)
        elif isinstance(op, Cut):
            _cut(printer, profile)


def text_lines(op: Text, paper: Paper, mode: TextMode = TextMode.GB18030) -> list[str]:
    """The printed lines of a text operation: wrapped to the paper at its magnification (in
    raster mode also to the width the font really draws)."""
    fits = (raster.raster_fits(op.scale, op.bold, paper.dots) if mode is TextMode.RASTER
            else None)
    return raster.wrap(op.text, paper.columns // op.scale, fits)


def _text(printer: Escpos, op: Text, profile: PrinterProfile) -> None:
    lines = text_lines(op, profile.paper, profile.text_mode)
    if profile.text_mode is TextMode.RASTER:
        image = raster.text_image(lines, profile.paper.dots, op.scale, op.bold, op.align)
        printer.image(image, impl="bitImageRaster")
        return
    size = (op.scale - 1) << 4 | (op.scale - 1)
    printer._raw(ESC + b"a" + (b"\x01" if op.align is Align.CENTER else b"\x00")
                 + ESC + b"E" + (b"\x01" if op.bold else b"\x00") + GS + b"!" + bytes([size]))
    for line in lines:
        printer._raw(line.encode("gb18030") + LF)
    printer._raw(GS + b"!\x00" + ESC + b"E\x00" + ESC + b"a\x00")


def _rule(printer: Escpos, profile: PrinterProfile) -> None:
    if profile.text_mode is TextMode.RASTER:
        printer.image(raster.rule_image(profile.paper.dots), impl="bitImageRaster")
    else:
        printer._raw(b"-" * profile.paper.columns + LF)


def _qr(printer: Escpos, op: Qr, profile: PrinterProfile) -> None:
    printer._raw(ESC + b"a\x01")
    printer.qr(op.data, size=QR_MODULE_DOTS, native=profile.native_qr,
               image_arguments={"impl": "bitImageRaster"})
    printer._raw(ESC + b"a\x00")
    if op.caption:
        _text(printer, Text(op.caption, align=Align.CENTER), profile)


def _cut(printer: Escpos, profile: PrinterProfile) -> None:
    if profile.text_mode is TextMode.GB18030:
        printer._raw(CHINESE_OFF)
    printer._raw(ESC + b"d\x04")
    if profile.has_cutter:
        printer._raw(GS + b"V\x00")
    if profile.text_mode is TextMode.GB18030:
        printer._raw(CHINESE_ON)
