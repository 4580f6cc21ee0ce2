"""The closed loop through the real controller, Mosquitto and SQLite: a bad rating on the pad
becomes a case, goes round, is reported on report/cases; appeals exclude; complaints by phone."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from hall.protocol import encode
from hall.protocol import messages as m
from tests.support import SHANGHAI, STAFF_PIN, FakeClock


@pytest.fixture
def clock() -> FakeClock:
    """The controller starts on the eve of the 2026 National Day holiday (a Wednesday)."""
    return FakeClock(datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI))


@pytest.fixture
def eve_of_national_day(clock: FakeClock) -> FakeClock:
    return clock


@pytest.fixture
def manager(broker, controller, make_device):
    client, inbox = make_device(broker, "console-1", m.Role.CONSOLE, user="manager",
                                subscriptions=(controller.topics.cases_report,
                                               controller.topics.alert))
    return client, inbox


def serve_and_rate_badly(broker, make_device, phone: str = "13800001234",
                         kiosk_id: str = "kiosk-1"):
    kiosk, _ = make_device(broker, kiosk_id)
    counter, _ = make_device(broker, "counter-3", m.Role.COUNTER)
    pad, _ = make_device(broker, "pad-3", m.Role.COUNTER)
    assert isinstance(counter.request(m.SignIn, window=3, staff_id="YB0103", pin=STAFF_PIN),
                      m.Accepted)
    ticket = kiosk.request(m.TakeTicket, business="cross_region_filing")
    counter.request(m.CallNext, window=3)
    counter.request(m.Finish, window=3)
    rated = pad.request(m.SubmitRating, ticket_id=ticket.ticket.ticket_id,
                        level=m.RatingLevel.VERY_DISSATISFIED, reasons=("long_wait",),
                        callback_phone=phone)
    assert isinstance(rated, m.Accepted), rated
    return ticket, rated, kiosk


def outcomes(inbox, case_id: str, count: int) -> list[str]:
    inbox.wait_for(lambda t, msg: len([o for o in inbox.all(m.CaseOutcome)
                                       if o.case_id == case_id]) >= count, timeout_s=10)
    return [o.outcome for o in inbox.all(m.CaseOutcome) if o.case_id == case_id]


def test_a_bad_rating_goes_round_the_whole_loop_across_national_day(
        broker, controller, make_device, manager, eve_of_national_day):
    clock = eve_of_national_day
    console, inbox = manager
    ticket, rated, kiosk = serve_and_rate_badly(broker, make_device)
    case = controller.cases.cases.case_of_rating(rated.rating_id)
    assert case is not None and case.real_name and case.owner == "manager"
    assert case.feedback_due == date(2026, 10, 13)
    assert outcomes(inbox, case.case_id, 1) == ["opened"]

    phone = console.request(m.ViewCallbackPhone, case_id=case.case_id, actor="li-manager")
    assert phone.detail == {"phone": "13800001234"}
    step = console.request(m.RecordCallback, case_id=case.case_id, actor="li-manager",
                           channel="phone", reached=True, said="等了一个多小时")
    assert (step.state, step.due) == ("verify", date(2026, 10, 13))
    console.request(m.VerifyCase, case_id=case.case_id, actor="li-manager", confirmed=True)
    clock.set(datetime(2026, 10, 8, 9, 30, tzinfo=SHANGHAI))
    planned = console.request(m.RectifyCase, case_id=case.case_id, actor="li-manager",
                              measure="with_deadline", plan="高峰增开弹性窗口",
                              due=date(2026, 10, 10))
    assert planned.state == "rectify"
    clock.set(datetime(2026, 10, 10, 11, 0, tzinfo=SHANGHAI))  # the 调休 Saturday
    console.request(m.CompleteRectification, case_id=case.case_id, actor="li-manager")
    told = console.request(m.RecordFeedback, case_id=case.case_id, actor="li-manager",
                           channel="phone", note="已告知整改结果")
    assert told.state == "follow_up"
    clock.set(datetime(2026, 10, 12, 9, 0, tzinfo=SHANGHAI))
    follow = kiosk.request(m.SubmitFollowUp, rating_token=ticket.rating_token,
                           level=m.RatingLevel.SATISFIED, comment="已改进")
    assert isinstance(follow, m.LoopAnswer) and follow.state == "follow_up"
    twice = kiosk.request(m.SubmitFollowUp, rating_token=ticket.rating_token,
                          level=m.RatingLevel.VERY_SATISFIED)
    assert isinstance(twice, m.Rejected) and twice.detail["reason"] == "already_followed_up"
    closed = console.request(m.CloseCase, case_id=case.case_id, actor="li-manager")
    assert closed.state == "closed"
    assert outcomes(inbox, case.case_id, 6) == [
        "opened", "callback_done", "rectified", "feedback_given", "follow_up", "closed"]
    steps = controller.cases.cases.steps(case.case_id)
    assert [s.step for s in steps] == ["opened", "callback", "verify", "rectify", "rectified",
                                       "feedback", "follow_up", "closed"]
    assert steps[1].actor == "li-manager" and steps[1].at.date() == date(2026, 9, 30)
    stored = controller.cases.cases.case(case.case_id)
    assert stored.rectified_on_time and stored.follow_up_level is m.RatingLevel.SATISFIED


def test_a_retried_step_is_carried_out_once_with_the_same_answer(
        broker, controller, make_device, manager, eve_of_national_day):
    console, _ = manager
    _, rated, _ = serve_and_rate_badly(broker, make_device)
    case = controller.cases.cases.case_of_rating(rated.rating_id)
    first = console.request(m.RecordCallback, request_id="cb-1", case_id=case.case_id,
                            actor="li-manager", channel="phone", reached=False)
    again = console.request(m.RecordCallback, request_id="cb-1", case_id=case.case_id,
                            actor="li-manager", channel="phone", reached=False)
    assert first == again
    assert controller.cases.cases.case(case.case_id).callback_attempts == 1


def test_an_upheld_appeal_excludes_the_rating_and_is_reported(
        broker, controller, make_device, manager, eve_of_national_day):
    console, inbox = manager
    _, rated, _ = serve_and_rate_badly(broker, make_device)
    filed = console.request(m.AppealRating, rating_id=rated.rating_id, actor="YB0103",
                            reason="该群众未在本窗口办理")
    assert filed.state == "pending"
    by_owner = console.request(m.DecideAppeal, appeal_id=filed.ref, actor="manager",
                               role="manager", upheld=True, exclusion="mis_rating", reason="x")
    assert by_owner.detail["reason"] == "not_impartial"
    upheld = console.request(m.DecideAppeal, appeal_id=filed.ref, actor="zhao-supervisor",
                             role="supervisor", upheld=True, exclusion="mis_rating",
                             reason="核查监控：评价器误触")
    assert upheld.state == "upheld"
    assert controller.cases.cases.excluded_rating_ids() == {rated.rating_id}
    assert controller.cases.cases.rating(rated.rating_id) is not None  # still in the record
    case = controller.cases.cases.case_of_rating(rated.rating_id)
    assert "excluded_on_appeal" in outcomes(inbox, case.case_id, 2)


def test_the_recheck_draw_is_recorded_once_a_year(
        broker, controller, make_device, manager, eve_of_national_day):
    console, _ = manager
    _, rated, _ = serve_and_rate_badly(broker, make_device)
    drawn = console.request(m.DrawRecheck, year=2026, actor="li-manager", seed="2026年度抽查")
    assert drawn.detail == {"population": "1", "drawn": rated.rating_id}
    again = console.request(m.DrawRecheck, year=2026, actor="li-manager", seed="other")
    assert again.detail["reason"] == "already_drawn"
    done = console.request(m.RecordRecheck, rating_id=rated.rating_id, actor="li-manager",
                           result="回访属实，已整改")
    assert done.state == "rechecked"


def test_a_phone_complaint_is_transferred_and_the_kiosk_sees_its_progress(
        broker, controller, make_device, manager, eve_of_national_day):
    clock = eve_of_national_day
    console, inbox = manager
    kiosk, _ = make_device(broker, "kiosk-1")
    registered = console.request(
        m.RegisterComplaint, channel="phone", category=m.ComplaintCategory.POLICY,
        actor="li-manager", text="异地备案政策与窗口说法不一致", name="张三",
        id_number="110101199003071234", phone="13900001111", event_time="2026-09-29 上午",
        business="cross_region_filing")
    assert isinstance(registered, m.LoopAnswer), registered
    tracking = registered.ref
    assert registered.due == date(2026, 10, 15)
    assert registered.detail["first_contact_due"] == "2026-09-30T10:30:00+08:00"
    console.request(m.ComplaintStep, tracking_number=tracking, actor="li-manager",
                    step="first_contact", note="已电话联系，说明将核实")
    clock.set(datetime(2026, 10, 8, 10, 0, tzinfo=SHANGHAI))
    moved = console.request(m.ComplaintStep, tracking_number=tracking, actor="li-manager",
                            step="transfer", department="市卫生健康委员会", told_via="电话")
    assert moved.state == "transferred"
    progress = kiosk.request(m.LookupComplaint, tracking_number=tracking)
    assert isinstance(progress, m.ComplaintAnswer)
    assert (progress.status, progress.status_zh, progress.transferred_to) == (
        "transferred", "已转办", "市卫生健康委员会")
    view = console.request(m.ViewComplaint, tracking_number=tracking, actor="li-manager")
    assert view.detail["id_number"] == "110101199003071234"
    seen = controller.complaints.handling.complaints.views_of_personal_data()
    assert [(w, v) for w, _, v, _ in seen] == [("complaint", "li-manager")]


def test_a_counter_complaint_is_answered_closed_and_reopened(
        broker, controller, make_device, manager, eve_of_national_day):
    console, _ = manager
    counter, _ = make_device(broker, "counter-3", m.Role.COUNTER)
    filed = counter.request(m.FileComplaint, category=m.ComplaintCategory.ATTITUDE,
                            reasons=("rude",))
    assert isinstance(filed, m.ComplaintAnswer) and filed.status == "registered"
    for step in (dict(step="assign", handler="zhang"),
                 dict(step="close", note="已当面致歉并说明", satisfaction="satisfied"),
                 dict(step="reopen", note="群众补充了新情况")):
        answer = console.request(m.ComplaintStep, tracking_number=filed.tracking_number,
                                 actor="li-manager", **step)
        assert isinstance(answer, m.LoopAnswer), answer
    assert answer.state == "handling"
    channel = controller.complaints.handling.complaints.handling(filed.tracking_number).channel
    assert channel == "counter"


def test_a_device_cannot_send_a_managers_case_step(broker, controller, make_device,
                                                    eve_of_national_day):
    kiosk, inbox = make_device(broker, "kiosk-1")
    reply = controller.topics.reply("kiosk-1")
    kiosk.publish_raw(controller.topics.intent("kiosk-1"), encode(m.CloseCase(
        request_id="r-1", reply_to=reply, case_id="C1", actor="me")))
    _, refused = inbox.wait_for(lambda t, msg: isinstance(msg, m.Rejected), timeout_s=10)
    assert refused.code == "malformed"


def test_managers_are_alerted_of_an_overdue_case_and_the_missing_2027_calendar(
        broker, controller, make_device, manager, eve_of_national_day):
    clock = eve_of_national_day
    console, inbox = manager
    serve_and_rate_badly(broker, make_device)
    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=SHANGHAI))
    kinds = {"case_overdue", "calendar_missing"}
    inbox.wait_for(lambda t, msg: kinds <= {a.alert for a in inbox.all(m.HallAlert)},
                   timeout_s=20)


def test_hall_info_tells_when_the_hall_opens_next(broker, controller, make_device,
                                                  eve_of_national_day):
    _, inbox = make_device(broker, "wall-1", m.Role.WALL,
                           subscriptions=(controller.topics.hall,))
    info = inbox.latest(controller.topics.hall, timeout_s=10)
    assert isinstance(info, m.HallInfo)
    assert info.next_opens_at == datetime(2026, 9, 30, 13, 30, tzinfo=SHANGHAI)
