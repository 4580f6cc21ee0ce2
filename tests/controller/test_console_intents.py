"""The console's manager intents and the phone channel, over the bus to a real controller."""
from __future__ import annotations

import pytest

from hall.core.staff_auth import pin_matches
from hall.protocol import encode
from hall.protocol import messages as m
from tests.support import STAFF_PIN


@pytest.fixture
def manager(broker, make_device):
    client, _ = make_device(broker, "console-1", m.Role.CONSOLE, user="manager")
    return client


def test_a_manager_sets_a_clerks_pin_which_signs_in_and_is_never_answered_back(
        broker, controller, make_device, manager):
    answer = manager.request(m.SetStaffPin, staff_id="YB0101", pin="205813")
    assert isinstance(answer, m.Accepted) and answer.events == ("StaffPinSet",)
    assert "205813" not in repr(answer)
    counter, _ = make_device(broker, "counter-1", m.Role.COUNTER)
    assert isinstance(counter.request(m.SignIn, window=1, staff_id="YB0101", pin="205813"),
                      m.Accepted)
    weak = manager.request(m.SetStaffPin, staff_id="YB0102", pin="111111")
    assert isinstance(weak, m.Rejected) and weak.code == "weak_pin"
    unknown = manager.request(m.SetStaffPin, staff_id="nobody", pin="205813")
    assert isinstance(unknown, m.Rejected) and unknown.code == "unknown_staff"


def test_a_manager_lifts_a_sign_in_lock_of_a_clerk_and_a_terminal(
        broker, controller, make_device, manager):
    counter, _ = make_device(broker, "counter-2", m.Role.COUNTER)
    for attempt in range(5):
        counter.request(m.SignIn, window=2, staff_id="YB0102", pin=f"97531{attempt}")
    locked = counter.request(m.SignIn, window=2, staff_id="YB0102", pin=STAFF_PIN)
    assert isinstance(locked, m.Rejected) and locked.code == "sign_in_locked"
    answer = manager.request(m.UnlockSignIn, staff_id="YB0102", windows=(2,))
    assert isinstance(answer, m.Accepted)
    assert isinstance(counter.request(m.SignIn, window=2, staff_id="YB0102", pin=STAFF_PIN),
                      m.Accepted)
    nothing = manager.request(m.UnlockSignIn)
    assert isinstance(nothing, m.Rejected)


def test_an_edited_notice_replaces_the_old_one_and_a_retry_is_carried_out_once(
        broker, controller, make_device, manager):
    wall, inbox = make_device(broker, "wall-1", m.Role.WALL,
                              subscriptions=(controller.topics.notices,))
    pushed = manager.request(m.PushNotice, text_zh="午间照常办理")
    assert isinstance(pushed, m.Accepted)
    edit = manager.send(m.EditNotice, request_id="edit-1", notice_id=pushed.notice_id,
                        text_zh="午间暂停办理", urgent=True)
    first = manager.answer(edit, 5)
    manager.resend(edit)
    again = manager.answer(edit, 5)
    assert isinstance(first, m.Accepted) and first == again
    inbox.wait_for(lambda t, msg: isinstance(msg, m.Notices)
                   and [(n.text_zh, n.urgent) for n in msg.notices] == [("午间暂停办理", True)])
    gone = manager.request(m.EditNotice, notice_id=pushed.notice_id, text_zh="再改")
    assert isinstance(gone, m.Rejected) and gone.code == "unknown_notice"
    empty = manager.request(m.EditNotice, notice_id=first.notice_id, text_zh="  ")
    assert isinstance(empty, m.Rejected) and empty.code == "invalid_notice"
    assert [n.text_zh for n in controller.notices._notices] == ["午间暂停办理"]


def test_manager_intents_on_a_devices_own_topic_are_refused(broker, controller, make_device):
    kiosk, inbox = make_device(broker, "kiosk-1")
    kiosk.publish_raw(controller.topics.intent("kiosk-1"), encode(m.SetStaffPin(
        request_id="x1", reply_to=controller.topics.reply("kiosk-1"), staff_id="YB0101",
        pin="205813")))
    _, refused = inbox.wait_for(lambda t, msg: isinstance(msg, m.Rejected)
                                and msg.request_id == "x1")
    assert isinstance(refused, m.Rejected) and refused.code == "malformed"
    assert pin_matches(STAFF_PIN, controller.store.pin_hash("YB0101") or "")


def test_the_console_alone_rates_as_phone_and_follows_a_ticket_by_its_code(
        broker, controller, make_device, manager):
    kiosk, _ = make_device(broker, "kiosk-1")
    counter, _ = make_device(broker, "counter-1", m.Role.COUNTER)
    counter.request(m.SignIn, window=1, staff_id="YB0101", pin=STAFF_PIN)
    first = kiosk.request(m.TakeTicket, business="enrollment")
    second = kiosk.request(m.TakeTicket, business="enrollment")
    waiting = manager.request(m.LookupTicketProgress, rating_token=second.rating_token)
    assert isinstance(waiting, m.TicketProgress)
    assert (waiting.number, waiting.status, waiting.people_ahead) == ("A002", "waiting", 1)
    by_kiosk = kiosk.request(m.LookupTicketProgress, rating_token=second.rating_token)
    assert isinstance(by_kiosk, m.Rejected) and by_kiosk.code == "not_permitted"
    counter.request(m.CallNext, window=1)
    counter.request(m.Finish, window=1)
    done = manager.request(m.LookupTicketProgress, rating_token=first.rating_token)
    assert isinstance(done, m.TicketProgress) and done.can_rate and done.window == 1
    by_phone = manager.request(m.SubmitRating, rating_token=first.rating_token,
                               level=m.RatingLevel.SATISFIED)
    assert isinstance(by_phone, m.Accepted)
    counter.request(m.CallNext, window=1)
    counter.request(m.Finish, window=1)
    by_scan = kiosk.request(m.SubmitRating, rating_token=second.rating_token,
                            level=m.RatingLevel.SATISFIED)
    assert isinstance(by_scan, m.Accepted)
    channels = {r.ticket_id: r.channel for r in controller.store.ratings_of_day(
        first.ticket.issued_at.date())}
    assert channels == {first.ticket.ticket_id: "phone", second.ticket.ticket_id: "receipt"}
    rated = manager.request(m.LookupTicketProgress, rating_token=first.rating_token)
    assert isinstance(rated, m.TicketProgress) and rated.is_rated and not rated.can_rate
    forged = manager.request(m.LookupTicketProgress, rating_token=first.rating_token[:-2] + "AA")
    assert isinstance(forged, m.Rejected) and forged.code == "invalid_rating_token"
