from datetime import datetime, timedelta

import pytest

from hall.core.staff_auth import (
    Attempts,
    LockoutPolicy,
    SignInLocked,
    WeakPin,
    after_failure,
    check_not_locked,
    check_pin_strength,
    hash_pin,
    pin_matches,
    random_pin,
    sign_in_keys,
)
from tests.support import SHANGHAI

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=SHANGHAI)


def test_a_hashed_pin_matches_only_itself_and_hides_the_pin():
    stored = hash_pin("480271")
    assert "480271" not in stored
    assert pin_matches("480271", stored)
    assert not pin_matches("480272", stored)
    assert not pin_matches("480271", "garbage")
    assert hash_pin("480271") != stored  # salted


@pytest.mark.parametrize("pin", ["123", "4825", "48251", "123456789", "12a456", "000000", "123456",
                                 "654321", ""])
def test_short_long_non_digit_and_guessable_pins_are_refused(pin):
    with pytest.raises(WeakPin):
        check_pin_strength(pin)


def test_random_pins_are_six_digits_and_strong():
    for _ in range(50):
        pin = random_pin()
        assert len(pin) == 6
        check_pin_strength(pin)


def test_five_wrong_tries_lock_the_clerk_and_the_window_until_the_lock_ends():
    keys = sign_in_keys("YB0101", 3)
    attempts: dict[str, Attempts] = {}
    policy = LockoutPolicy(max_tries=5, lock_for=timedelta(minutes=10))
    lefts = []
    for _ in range(5):
        check_not_locked(attempts, keys, NOW)
        changed, left = after_failure(attempts, keys, NOW, policy)
        attempts = {**attempts, **changed}
        lefts.append(left)
    assert lefts == [4, 3, 2, 1, 0]
    with pytest.raises(SignInLocked) as locked:
        check_not_locked(attempts, keys, NOW + timedelta(minutes=9))
    assert locked.value.fields["minutes"] == 1
    check_not_locked(attempts, keys, NOW + timedelta(minutes=10))
    changed, left = after_failure(attempts, keys, NOW + timedelta(minutes=11), policy)
    assert left == 4  # a new count after the lock has run out
