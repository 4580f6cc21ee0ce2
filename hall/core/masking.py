"""Masks 身份证 numbers, phone numbers and other long digit runs in free text (pure).

Free text typed at a device (a transfer note, a 绿色通道 reason, a rating comment, a notice)
may carry personal data, whatever the screen asks. Whatever the controller republishes goes
through `mask_personal` first: an ID keeps its first 4 and last 4 characters, a mobile number
its first 3 and last 4 digits, any other run of 7 or more digits its last 4 (bank cards,
社保卡号, landlines). Over-masking a long number that was harmless costs nothing.
"""
from __future__ import annotations

import re

MASK = "*"
# Digits may be written with single spaces or hyphens between groups; full-width digits count.
_SEP = r"[ \-－]?"
_ID_18 = re.compile(r"(?<![0-9A-Za-z０-９])(\d{6})" + _SEP + r"(\d{8})" + _SEP
                    + r"(\d{3}[\dXx])(?![0-9A-Za-z０-９])")
_MOBILE = re.compile(r"(?<!\d)(?:(?:\+|＋)?86" + _SEP + r")?(1[3-9]\d)" + _SEP + r"(\d{4})"
                     + _SEP + r"(\d{4})(?!\d)")
_DIGIT_RUN = re.compile(r"(?<!\d)\d(?:" + _SEP + r"\d){6,}(?!\d)")


def mask_personal(text: str, *, digit_runs: bool = True) -> str:
    """`text` with ID numbers, mobile numbers and (unless `digit_runs` is off) long digit runs
    masked. A manager's notice keeps its digit runs: a hall's hotline (0571-87654321) is the
    point of many notices, while an ID or a mobile number never belongs on a wall."""
    if not text:
        return text
    text = _ID_18.sub(_mask_id, text)
    text = _MOBILE.sub(lambda found: f"{found.group(1)}{MASK * 4}{found.group(3)}", text)
    return _DIGIT_RUN.sub(_mask_run, text) if digit_runs else text


def _mask_id(found: re.Match[str]) -> str:
    whole = found.group(1) + found.group(2) + found.group(3)
    return whole[:4] + MASK * 10 + whole[-4:]


def _mask_run(found: re.Match[str]) -> str:
    digits = [c for c in found.group(0) if c.isdigit()]
    return MASK * (len(digits) - 4) + "".join(digits[-4:])
