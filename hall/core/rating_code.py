"""The receipt's short rating code: what a citizen types when the kiosk has no camera.

The code is the ticket number and six digits drawn from the receipt's signed rating token
(A031 482913). Only the controller, which holds the signing key, can recompute the token of a
ticket and so check the digits; the kiosk sends what was typed and gets the token back.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, timedelta

CHECK_DIGITS = 6
_TYPED = re.compile(rf"^([A-Z]\d{{3}})(\d{{{CHECK_DIGITS}}})$")


@dataclass(frozen=True, slots=True)
class TypedRatingCode:
    number: str
    check: str


def check_digits(token: str) -> str:
    """Six digits that only the holder of the token (or of the signing key) can know."""
    digest = hashlib.sha256(token.encode("utf-8")).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10 ** CHECK_DIGITS:0{CHECK_DIGITS}d}"


def printed_code(number: str, token: str) -> str:
    """The code as the receipt prints it: A031 482913."""
    return f"{number} {check_digits(token)}"


def parse_typed_code(typed: str) -> TypedRatingCode | None:
    """What the citizen typed (A031482913, spaces and case ignored), or None when it cannot be
    a rating code."""
    found = _TYPED.match(re.sub(r"[\s\-]", "", typed).upper())
    return TypedRatingCode(found.group(1), found.group(2)) if found else None


def service_days_to_try(today: date) -> tuple[date, date]:
    """A receipt's code is valid until the end of the day after issue: today's or yesterday's."""
    return today, today - timedelta(days=1)
