"""What a scanned receipt can do at the kiosk: rate, give the 追评 once its case asks, or nothing."""
from __future__ import annotations

from datetime import datetime

import pytest

from hall.protocol import messages as m
from tests.loop.test_closed_loop_controller import serve_and_rate_badly
from tests.support import SHANGHAI, STAFF_PIN, FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI))


@pytest.fixture
def console(broker, controller, make_device):
    client, _ = make_device(broker, "console-1", m.Role.CONSOLE, user="manager")
    return client


def _to_follow_up(console, case_id: str) -> None:
    for intent, fields in ((m.RecordCallback, {"channel": "phone", "reached": True}),
                           (m.VerifyCase, {"confirmed": True}),
                           (m.RectifyCase, {"measure": "at_once", "plan": "当场致歉"}),
                           (m.RecordFeedback, {"channel": "phone", "note": "已告知"})):
        answer = console.request(intent, case_id=case_id, actor="li-manager", **fields)
        assert not isinstance(answer, m.Rejected), answer
    assert answer.state == "follow_up"


def test_a_fresh_receipt_can_be_rated_and_a_rated_one_says_so(broker, controller, make_device):
    kiosk, _ = make_device(broker, "kiosk-1")
    counter, _ = make_device(broker, "counter-3", m.Role.COUNTER)
    counter.request(m.SignIn, window=3, staff_id="YB0103", pin=STAFF_PIN)
    ticket = kiosk.request(m.TakeTicket, business="cross_region_filing")
    counter.request(m.CallNext, window=3)
    counter.request(m.Finish, window=3)
    fresh = kiosk.request(m.CheckRatingCode, rating_token=f"https://h.example/r/{ticket.rating_token}")
    assert isinstance(fresh, m.RatingCodeAnswer) and fresh.stage == "rate"
    assert fresh.rating_token == ticket.rating_token and fresh.number == ticket.ticket.number
    kiosk.request(m.SubmitRating, rating_token=ticket.rating_token, level=m.RatingLevel.SATISFIED)
    rated = kiosk.request(m.CheckRatingCode, rating_token=ticket.rating_token)
    assert isinstance(rated, m.Rejected) and rated.detail["reason"] == "already_rated"


def test_a_receipt_whose_case_awaits_the_follow_up_offers_it_days_later_and_then_not(
        broker, controller, make_device, console, clock):
    ticket, rated, kiosk = serve_and_rate_badly(broker, make_device)
    case = controller.cases.cases.case_of_rating(rated.rating_id)
    assert kiosk.request(m.CheckRatingCode, rating_token=ticket.rating_token).detail[
        "reason"] == "already_rated"
    _to_follow_up(console, case.case_id)
    clock.advance(hours=24 * 4)  # past the receipt's 24 h for rating
    offered = kiosk.request(m.CheckRatingCode, rating_token=ticket.rating_token)
    assert isinstance(offered, m.RatingCodeAnswer) and offered.stage == "follow_up"
    kiosk.request(m.SubmitFollowUp, rating_token=ticket.rating_token,
                  level=m.RatingLevel.SATISFIED)
    done = kiosk.request(m.CheckRatingCode, rating_token=ticket.rating_token)
    assert isinstance(done, m.RatingCodeAnswer) and done.stage == "followed_up"


def test_a_forged_code_is_refused_before_anything(broker, controller, make_device):
    kiosk, _ = make_device(broker, "kiosk-1")
    refused = kiosk.request(m.CheckRatingCode, rating_token="r1.x.2026-11-24-A001.1.AAAA")
    assert isinstance(refused, m.Rejected) and refused.code == "invalid_rating_token"


def test_the_typed_code_of_a_receipt_awaiting_its_follow_up_works_days_later(
        broker, controller, make_device, console, clock):
    from hall.core.rating_code import printed_code

    ticket, rated, kiosk = serve_and_rate_badly(broker, make_device)
    case = controller.cases.cases.case_of_rating(rated.rating_id)
    typed = printed_code(ticket.ticket.number, ticket.rating_token).replace(" ", "")
    clock.advance(hours=24 * 5)
    before = kiosk.request(m.RedeemRatingCode, code=typed)
    assert isinstance(before, m.Rejected) and before.detail["reason"] == "unknown_code"
    _to_follow_up(console, case.case_id)
    offered = kiosk.request(m.RedeemRatingCode, code=typed)
    assert isinstance(offered, m.RatingCodeAnswer) and offered.stage == "follow_up"
    assert offered.rating_token == ticket.rating_token
