"""好差评 over the bus: the window's pad, the receipt's code, once per service, durably."""
from __future__ import annotations

import pytest

from hall.protocol import messages as m
from tests.support import STAFF_PIN


@pytest.fixture
def served(broker, controller, make_device):
    """A1 served at window 3, as the pad would see it finished."""
    kiosk, _ = make_device(broker, "kiosk-1")
    counter, _ = make_device(broker, "counter-3", m.Role.COUNTER)
    counter.request(m.SignIn, window=3, staff_id="YB0103", pin=STAFF_PIN)
    ticket = kiosk.request(m.TakeTicket, business="cross_region_filing")
    counter.request(m.CallNext, window=3)
    counter.request(m.Finish, window=3, items=("cross_region_filing", "relationship_transfer"))
    return ticket, kiosk, counter


def test_the_windows_pad_rates_the_service_once(broker, controller, make_device, served):
    ticket, kiosk, counter = served
    pad, _ = make_device(broker, "pad-3", m.Role.COUNTER)
    first = pad.request(m.SubmitRating, ticket_id=ticket.ticket.ticket_id,
                        level=m.RatingLevel.VERY_SATISFIED,
                        sub_scores={"attitude": m.RatingLevel.VERY_SATISFIED})
    assert isinstance(first, m.Accepted) and first.rating_id
    again = pad.request(m.SubmitRating, ticket_id=ticket.ticket.ticket_id,
                        level=m.RatingLevel.DISSATISFIED, reasons=("long_wait",))
    assert isinstance(again, m.Rejected) and again.detail["reason"] == "already_rated"
    stored = controller.store.ratings_of_day(ticket.ticket.issued_at.date())
    assert [r.items for r in stored] == [("cross_region_filing", "relationship_transfer")]
    assert stored[0].staff_id == "YB0103"


def test_the_clerks_terminal_and_other_pads_cannot_rate(broker, controller, make_device, served):
    ticket, kiosk, counter = served
    other_pad, _ = make_device(broker, "pad-4", m.Role.COUNTER)
    by_clerk = counter.request(m.SubmitRating, ticket_id=ticket.ticket.ticket_id,
                               level=m.RatingLevel.VERY_SATISFIED)
    assert isinstance(by_clerk, m.Rejected) and by_clerk.code == "not_permitted"
    by_other_pad = other_pad.request(m.SubmitRating, ticket_id=ticket.ticket.ticket_id,
                                     level=m.RatingLevel.VERY_SATISFIED)
    assert isinstance(by_other_pad, m.Rejected) and by_other_pad.detail["reason"] == "not_this_pad"


def test_a_bad_rating_needs_a_reason(broker, make_device, served):
    ticket, kiosk, counter = served
    pad, _ = make_device(broker, "pad-3", m.Role.COUNTER)
    refused = pad.request(m.SubmitRating, ticket_id=ticket.ticket.ticket_id,
                          level=m.RatingLevel.VERY_DISSATISFIED)
    assert refused.detail["reason"] == "reason_required"
    accepted = pad.request(m.SubmitRating, ticket_id=ticket.ticket.ticket_id,
                           level=m.RatingLevel.VERY_DISSATISFIED,
                           reasons=("not_told_at_once", "other"), comment="材料清单不全")
    assert isinstance(accepted, m.Accepted)


def test_the_receipts_code_rates_from_the_kiosk_within_24_hours(broker, controller, make_device,
                                                                 served, clock):
    ticket, kiosk, counter = served
    clock.advance(hours=20)
    answer = kiosk.request(m.SubmitRating, rating_token=f"https://hall.local/r/"
                           f"{ticket.rating_token}", level=m.RatingLevel.SATISFIED)
    assert isinstance(answer, m.Accepted)


def test_a_receipts_code_after_24_hours_or_forged_is_refused(broker, make_device, served, clock):
    ticket, kiosk, counter = served
    forged = ticket.rating_token[:-3] + ("AAA" if not ticket.rating_token.endswith("AAA") else "BBB")
    refused = kiosk.request(m.SubmitRating, rating_token=forged, level=m.RatingLevel.SATISFIED)
    assert (refused.code, refused.detail["reason"]) == ("invalid_rating_token", "forged")
    clock.advance(hours=24, minutes=1)
    late = kiosk.request(m.SubmitRating, rating_token=ticket.rating_token,
                         level=m.RatingLevel.SATISFIED)
    assert late.detail["reason"] == "expired"


def test_a_rating_before_the_service_is_finished_is_refused(broker, make_device, controller):
    kiosk, _ = make_device(broker, "kiosk-1")
    ticket = kiosk.request(m.TakeTicket, business="enrollment")
    answer = kiosk.request(m.SubmitRating, rating_token=ticket.rating_token,
                           level=m.RatingLevel.SATISFIED)
    assert answer.detail["reason"] == "not_finished"


def test_a_retried_rating_is_recorded_once_with_the_same_answer(broker, controller, make_device,
                                                                served):
    ticket, kiosk, counter = served
    pad, _ = make_device(broker, "pad-3", m.Role.COUNTER)
    first = pad.request(m.SubmitRating, request_id="rate-1", ticket_id=ticket.ticket.ticket_id,
                        level=m.RatingLevel.SATISFIED)
    again = pad.request(m.SubmitRating, request_id="rate-1", ticket_id=ticket.ticket.ticket_id,
                        level=m.RatingLevel.SATISFIED)
    assert first == again
    assert len(controller.store.ratings_of_day(ticket.ticket.issued_at.date())) == 1


def test_the_pad_is_too_late_after_half_an_hour(broker, make_device, served, clock):
    ticket, kiosk, counter = served
    pad, _ = make_device(broker, "pad-3", m.Role.COUNTER)
    clock.advance(minutes=31)
    answer = pad.request(m.SubmitRating, ticket_id=ticket.ticket.ticket_id,
                         level=m.RatingLevel.SATISFIED)
    assert answer.detail["reason"] == "use_receipt"


def test_stored_ratings_cannot_be_changed(broker, controller, make_device, served):
    import sqlite3

    ticket, kiosk, counter = served
    pad, _ = make_device(broker, "pad-3", m.Role.COUNTER)
    pad.request(m.SubmitRating, ticket_id=ticket.ticket.ticket_id, level=m.RatingLevel.SATISFIED)
    db = sqlite3.connect(controller.config.store_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="ratings cannot be changed"):
            db.execute("UPDATE ratings SET level = 'very_satisfied'")
    finally:
        db.close()


def test_the_windows_pad_alone_is_invited_to_rate_with_every_batch_item_and_a_phone_code(
        broker, controller, make_device):
    pad, pad_inbox = make_device(broker, "pad-3", m.Role.COUNTER)
    other_pad, other_inbox = make_device(broker, "pad-4", m.Role.COUNTER)
    kiosk, _ = make_device(broker, "kiosk-1")
    counter, _ = make_device(broker, "counter-3", m.Role.COUNTER)
    counter.request(m.SignIn, window=3, staff_id="YB0103", pin=STAFF_PIN)
    ticket = kiosk.request(m.TakeTicket, business="cross_region_filing")
    counter.request(m.CallNext, window=3)
    counter.request(m.Finish, window=3, items=("cross_region_filing", "relationship_transfer"))
    invite = pad_inbox.wait_for(lambda t, msg: isinstance(msg, m.RatingInvite))[1]
    assert (invite.number, invite.window, invite.staff_name) == ("C001", 3, "张敏")
    assert invite.items_zh == ("异地就医备案", "医保关系转移接续")
    assert invite.ticket_id == ticket.ticket.ticket_id
    by_phone = kiosk.request(m.SubmitRating, rating_token=invite.rating_token,
                             level=m.RatingLevel.SATISFIED)
    assert isinstance(by_phone, m.Accepted)
    assert other_inbox.all(m.RatingInvite) == []


def test_every_stored_rating_is_reported_to_managers_without_the_citizen(
        broker, controller, make_device, served):
    ticket, kiosk, counter = served
    manager, reports = make_device(broker, "console-1", m.Role.CONSOLE, user="manager",
                                   subscriptions=(controller.topics.ratings_report,))
    pad, _ = make_device(broker, "pad-3", m.Role.COUNTER)
    answer = pad.request(m.SubmitRating, ticket_id=ticket.ticket.ticket_id,
                         level=m.RatingLevel.DISSATISFIED, reasons=("long_wait",))
    report = reports.wait_for(lambda t, msg: isinstance(msg, m.RatingRecorded))[1]
    assert (report.rating_id, report.window, report.staff_id) == (answer.rating_id, 3, "YB0103")
    assert report.items == ("cross_region_filing", "relationship_transfer")
    assert (report.level, report.reasons, report.channel) == (
        m.RatingLevel.DISSATISFIED, ("long_wait",), "pad")


def test_a_device_cannot_read_the_ratings_report(broker, controller, make_device, served):
    ticket, kiosk, counter = served
    snoop, inbox = make_device(broker, "kiosk-9", m.Role.KIOSK,
                               subscriptions=(controller.topics.ratings_report,
                                              controller.topics.queue))
    pad, _ = make_device(broker, "pad-3", m.Role.COUNTER)
    pad.request(m.SubmitRating, ticket_id=ticket.ticket.ticket_id,
                level=m.RatingLevel.SATISFIED)
    later = kiosk.request(m.TakeTicket, business="enrollment")
    # The queue snapshot of a later ticket reaches the snoop; the earlier report never does.
    inbox.wait_for(lambda t, msg: isinstance(msg, m.QueueSnapshot) and any(
        b.next_numbers == (later.ticket.number,) for b in msg.businesses))
    assert inbox.all(m.RatingRecorded) == []
