from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hall.core.rating_token import (
    InvalidRatingToken,
    rating_token_expiry,
    sign_rating_token,
    verify_rating_token,
)

SH = ZoneInfo("Asia/Shanghai")
KEY = bytes(range(32))
ISSUED = datetime(2026, 11, 24, 10, 15, tzinfo=SH)
UNTIL = rating_token_expiry(ISSUED, 86400)


def good() -> str:
    return sign_rating_token(KEY, "demo-hall", "20261124-A005", UNTIL)


def test_the_code_stays_valid_until_a_day_after_the_day_of_service():
    assert rating_token_expiry(ISSUED, 86400) == datetime(2026, 11, 26, 0, 0, tzinfo=SH)


def test_a_genuine_code_names_its_hall_and_ticket():
    claim = verify_rating_token(KEY, good(), ISSUED + timedelta(hours=30))
    assert (claim.hall_id, claim.ticket_id) == ("demo-hall", "20261124-A005")


def tampered_ticket() -> str:
    return good().replace("A005", "A006")


def other_key() -> str:
    return sign_rating_token(b"x" * 32, "demo-hall", "20261124-A005", UNTIL)


def longer_validity() -> str:
    body, sig = good().rsplit(".", 1)
    head, until = body.rsplit(".", 1)
    return f"{head}.{int(until) + 86400}.{sig}"


@pytest.mark.parametrize(("make", "reason"), [
    (tampered_ticket, "forged"),
    (other_key, "forged"),
    (longer_validity, "forged"),
    (lambda: "", "malformed"),
    (lambda: "hello", "malformed"),
    (lambda: "r1.demo-hall.20261124-A005.notanumber.abc", "malformed"),
    (lambda: "r1.demo-hall.20261124-A005.1795000000.!!!", "malformed"),
    (lambda: good().replace("r1.", "r9.", 1), "malformed"),
])
def test_a_forged_or_damaged_code_is_refused_with_its_reason(make, reason):
    with pytest.raises(InvalidRatingToken) as caught:
        verify_rating_token(KEY, make(), ISSUED)
    assert caught.value.fields["reason"] == reason


def test_an_expired_code_is_refused_as_expired():
    with pytest.raises(InvalidRatingToken) as caught:
        verify_rating_token(KEY, good(), UNTIL + timedelta(seconds=1))
    assert caught.value.fields["reason"] == "expired"


def test_a_short_key_is_refused():
    with pytest.raises(Exception, match="16 bytes"):
        sign_rating_token(b"short", "demo-hall", "20261124-A005", UNTIL)
