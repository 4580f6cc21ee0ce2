"""Issue 11, findings 7 and 13: a bad message is described by its shape, never its values."""
from __future__ import annotations

import json
import logging

import pytest

from hall.protocol.codec import shape_of
from hall.quiet_log import MAX_KEYS, QuietLogger

SECRET = "739164"


@pytest.mark.parametrize("payload", [
    json.dumps({"kind": "sign_in", "v": 1, "request_id": "r", "reply_to": "x", "window": 1,
                "staff_id": "YB0101", "pin": SECRET, "extra": SECRET}).encode(),
    json.dumps({"kind": "file_complaint", "v": 2, "name": "王" + SECRET}).encode(),
    json.dumps({"kind": SECRET * 2000}).encode(),
    json.dumps({f"field_{SECRET}": 1}).encode(),
    json.dumps([SECRET]).encode(),
    b"\xff" + SECRET.encode(),
    b"{" + SECRET.encode(),
], ids=["pin", "complaint", "huge-kind", "secret-field-name", "array", "not-utf8", "not-json"])
def test_the_shape_of_a_bad_message_holds_no_value_and_stays_short(payload):
    shape = shape_of(payload)
    assert SECRET not in shape and "王" not in shape
    assert len(shape) < 400


def test_the_shape_names_the_known_fields_and_their_types():
    shape = shape_of(json.dumps({"kind": "sign_in", "v": 1, "pin": SECRET, "shoe": 3}).encode())
    assert "kind sign_in" in shape and "pin:str" in shape and "+1 unknown fields" in shape


def test_the_quiet_logger_keeps_a_bounded_number_of_short_keys(caplog):
    quiet = QuietLogger(logging.getLogger("test.quiet"))
    for i in range(MAX_KEYS * 3):
        quiet.warning(f"malformed:{i}:" + "k" * 10_000, "bad message %d", i)
    assert len(quiet) == MAX_KEYS
    assert quiet.count(f"malformed:{MAX_KEYS * 3 - 1}:" + "k" * 10_000) == 1
