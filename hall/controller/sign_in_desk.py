"""Checks a clerk's 工号 and PIN before the engine signs them in; locks after wrong tries."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from hall.core.catalogue import Catalogue
from hall.core.errors import UnknownStaff
from hall.core.staff_auth import (
    LockoutPolicy,
    PinNotSet,
    SignInLocked,
    WrongPin,
    after_failure,
    check_not_locked,
    check_pin_strength,
    hash_pin,
    pin_matches,
    sign_in_keys,
)
from hall.protocol import messages as m
from hall.store import SqliteStore


class SignInDesk:
    def __init__(self, store: SqliteStore, catalogue: Catalogue,
                 policy: LockoutPolicy | None = None,
                 on_locked: Callable[[str, int], None] = lambda staff_id, window: None) -> None:
        self._store = store
        self._catalogue = catalogue
        self._policy = policy or LockoutPolicy()
        self._on_locked = on_locked

    def set_pin(self, staff_id: str, pin: str, now: datetime) -> None:
        self._catalogue.staff_member(staff_id)
        check_pin_strength(pin)
        self._store.set_pin_hash(staff_id, hash_pin(pin), now)

    def check(self, intent: m.SignIn, now: datetime) -> None:
        """Returns when the PIN is right; raises WrongPin, SignInLocked or PinNotSet."""
        keys = sign_in_keys(intent.staff_id, intent.window)
        check_not_locked(self._store.sign_in_attempts(keys), keys, now)
        try:
            self._catalogue.staff_member(intent.staff_id)
            known = True
        except UnknownStaff:
            # 工号 are public (walls show them), but a guess at one costs a try like a PIN does.
            known = False
        stored = self._store.pin_hash(intent.staff_id) if known else None
        if known and stored is None:
            raise PinNotSet(f"工号 {intent.staff_id} has no PIN yet", staff_id=intent.staff_id)
        if stored is not None and pin_matches(intent.pin, stored):
            self._store.clear_sign_in_attempts(keys)
            return
        updated, left = after_failure(self._store.sign_in_attempts(keys), keys, now, self._policy)
        self._store.save_sign_in_attempts(updated)
        if left == 0:
            self._on_locked(intent.staff_id, intent.window)
            check_not_locked(updated, keys, now)
            raise SignInLocked("sign-in is locked")  # unreachable unless lock_for is zero
        raise WrongPin("the 工号 or PIN is wrong", tries_left=left)
