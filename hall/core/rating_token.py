"""Signed rating tokens for the receipt QR: 好差评 of one service within its validity window."""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from hall.core.errors import HallError

TOKEN_VERSION = "r1"
# 16 bytes of HMAC-SHA256 keep the QR code small enough for a 58 mm slip and remain
# far beyond guessing.
_SIGNATURE_BYTES = 16


class InvalidRatingToken(HallError):
    """The rating code is forged, damaged or expired; `reason` says which."""

    code = "invalid_rating_token"


@dataclass(frozen=True, slots=True)
class RatingClaim:
    hall_id: str
    ticket_id: str
    valid_until: datetime


def sign_rating_token(key: bytes, hall_id: str, ticket_id: str, valid_until: datetime) -> str:
    """A compact, URL-safe token naming one ticket of one hall until `valid_until`."""
    if len(key) < 16:
        raise HallError("a rating key needs at least 16 bytes")
    body = f"{TOKEN_VERSION}.{hall_id}.{ticket_id}.{int(valid_until.timestamp())}"
    return f"{body}.{_b64(_mac(key, body))}"


def verify_rating_token(key: bytes, token: str, now: datetime) -> RatingClaim:
    """The claim of a genuine, unexpired token; InvalidRatingToken otherwise."""
    parts = token.strip().split(".")
    if len(parts) != 5 or parts[0] != TOKEN_VERSION:
        raise InvalidRatingToken("this is not a rating code of this hall", reason="malformed")
    body = ".".join(parts[:4])
    try:
        signature = base64.b64decode(parts[4] + "=" * (-len(parts[4]) % 4), altchars=b"-_",
                                     validate=True)
        until_s = int(parts[3])
    except (binascii.Error, ValueError):
        raise InvalidRatingToken("the rating code is damaged", reason="malformed") from None
    if not hmac.compare_digest(signature, _mac(key, body)):
        raise InvalidRatingToken("the rating code was not issued by this hall", reason="forged")
    valid_until = datetime.fromtimestamp(until_s, tz=now.tzinfo)
    if now > valid_until:
        raise InvalidRatingToken("the rating code has expired", reason="expired",
                                 valid_until=valid_until.isoformat())
    return RatingClaim(parts[1], parts[2], valid_until)


def rating_token_expiry(issued_at: datetime, valid_s: int) -> datetime:
    """When a receipt's code stops working: the service ends on the day of issue at the latest,
    so the end of that day plus the rating window covers it. The exact "within 24 h of the
    service" is checked against the service's finish time when the rating arrives."""
    end_of_day = datetime.combine(issued_at.date() + timedelta(days=1), time(0),
                                  tzinfo=issued_at.tzinfo)
    return end_of_day + timedelta(seconds=valid_s)


def _mac(key: bytes, body: str) -> bytes:
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).digest()[:_SIGNATURE_BYTES]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


RATING_PATH = "/r/"


def rating_url(base_url: str, token: str) -> str:
    """What the receipt's QR code holds: the hub's phone rating page for this token."""
    return base_url.rstrip("/") + RATING_PATH + token


def token_from_scan(scanned: str) -> str:
    """The token of a scanned rating QR (a full URL or the bare token)."""
    text = scanned.strip()
    return text.rsplit(RATING_PATH, 1)[-1] if RATING_PATH in text else text
