"""Clerks' sign-in PINs: hashing, the rules a PIN must meet, and the lockout after wrong tries."""
from __future__ import annotations

import base64
import hashlib
import hmac
import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from hall.core.errors import HallError

# Six digits at least: a stolen terminal gets 5 tries per lock period, ~720 a day.
PIN_DIGITS = range(6, 9)
_ROUNDS = 120_000
_SCHEME = "pbkdf2_sha256"


class WeakPin(HallError):
    """A PIN that is too short, not digits, or guessable (000000, 123456, ...)."""

    code = "weak_pin"


class WrongPin(HallError):
    """The 工号 and PIN do not match."""

    code = "wrong_pin"


class PinNotSet(HallError):
    """This 工号 has no PIN yet: the hall manager sets one with `hall staff pin`."""

    code = "pin_not_set"


class SignInLocked(HallError):
    """Too many wrong PINs: sign-in is refused until the lock ends."""

    code = "sign_in_locked"


def check_pin_strength(pin: str) -> None:
    if not pin.isdigit() or len(pin) not in PIN_DIGITS:
        raise WeakPin(f"a PIN has {PIN_DIGITS.start} to {PIN_DIGITS.stop - 1} digits")
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    if len(set(pin)) == 1 or steps in ({1}, {-1}):
        raise WeakPin("a PIN of one repeated digit or a run like 123456 is too easy to guess")


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, _ROUNDS)
    return (f"{_SCHEME}${_ROUNDS}${base64.b64encode(salt).decode()}"
            f"${base64.b64encode(digest).decode()}")


def pin_matches(pin: str, stored: str) -> bool:
    try:
        scheme, rounds, salt, digest = stored.split("$")
        if scheme != _SCHEME:
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.pbkdf2_hmac("sha256", pin.encode(), base64.b64decode(salt), int(rounds))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def random_pin(digits: int = 6) -> str:
    while True:
        pin = "".join(secrets.choice("0123456789") for _ in range(digits))
        try:
            check_pin_strength(pin)
        except WeakPin:
            continue
        return pin


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    max_tries: int = 5
    lock_for: timedelta = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Attempts:
    """Wrong PINs in a row for one 工号 or at one window, and the lock they earned."""

    failures: int = 0
    locked_until: datetime | None = None


def staff_key(staff_id: str, window: int) -> str:
    return f"staff:{staff_id}@{window}"


def window_key(window: int) -> str:
    return f"window:{window}"


def sign_in_keys(staff_id: str, window: int) -> tuple[str, str]:
    # Counted per 工号 at this window (guessing one clerk's PIN) and per window (trying many 工号
    # at one terminal). A clerk locked out at one terminal can still sign in at another: a
    # stolen terminal cannot lock every clerk out of the hall.
    return staff_key(staff_id, window), window_key(window)


def check_not_locked(attempts: Mapping[str, Attempts], keys: tuple[str, ...],
                     now: datetime) -> None:
    for key in keys:
        until = attempts.get(key, Attempts()).locked_until
        if until is not None and now < until:
            minutes = math.ceil((until - now).total_seconds() / 60)
            raise SignInLocked(f"sign-in is locked for {minutes} more minute(s)",
                               locked_until=until.isoformat(), minutes=minutes)


def after_failure(attempts: Mapping[str, Attempts], keys: tuple[str, ...], now: datetime,
                  policy: LockoutPolicy) -> tuple[dict[str, Attempts], int]:
    """The attempts after one wrong PIN, and how many tries are left before the lock."""
    updated: dict[str, Attempts] = {}
    left = policy.max_tries
    for key in keys:
        current = attempts.get(key, Attempts())
        if current.locked_until is not None and now >= current.locked_until:
            current = Attempts()
        failures = current.failures + 1
        locked = now + policy.lock_for if failures >= policy.max_tries else None
        updated[key] = replace(current, failures=failures, locked_until=locked)
        left = min(left, max(policy.max_tries - failures, 0))
    return updated, left
