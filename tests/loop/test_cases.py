"""差评整改 cases as a pure state machine: steps, who and when, working-day deadlines, overdue."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest

from hall.core import cases as cs
from hall.core.catalogue import ServiceHours, Session
from hall.core.ratings import Rating, RatingLevel
from hall.official_calendar import work_calendar
from tests.support import SHANGHAI

DAY = (Session(time(9), time(12)), Session(time(13, 30), time(17)))
CALENDAR = work_calendar(ServiceHours(weekly={d: DAY if d <= 5 else () for d in range(1, 8)}))
POLICY = cs.LoopPolicy(owners={3: "li-manager"}, default_owner="wang-manager")


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def bad_rating(moment: datetime, window: int = 3,
               level: RatingLevel = RatingLevel.DISSATISFIED) -> Rating:
    return Rating(rating_id="r1", ticket_id="t1", service_day=moment.date(), window=window,
                  staff_id="YB0103", items=("cross_region_filing",), level=level,
                  rated_at=moment, channel="pad", reasons=("long_wait",))


def opened(moment: datetime = at(9, 30, 16), real_name: bool = True) -> cs.Case:
    case, step = cs.open_case(bad_rating(moment), case_id="C1", real_name=real_name,
                              policy=POLICY, calendar=CALENDAR)
    assert step.step == "opened" and step.at == moment
    return case


def test_a_bad_rating_on_the_eve_of_national_day_is_due_back_after_the_holiday():
    case = opened()
    assert case.owner == "li-manager" and case.state is cs.CaseState.CALLBACK
    assert case.callback_due == date(2026, 9, 30)
    # 5 working days: 10/8, 10/9, 10/10 (调休 Saturday), 10/12, 10/13
    assert case.feedback_due == date(2026, 10, 13)


def test_the_owner_of_an_unlisted_window_is_the_default_manager():
    case, _ = cs.open_case(bad_rating(at(11, 24), window=7), case_id="C2", real_name=False,
                           policy=POLICY, calendar=CALENDAR)
    assert case.owner == "wang-manager"


def test_a_good_rating_opens_no_case():
    with pytest.raises(cs.CaseRefused):
        cs.open_case(bad_rating(at(11, 24), level=RatingLevel.SATISFIED), case_id="C3",
                     real_name=False, policy=POLICY, calendar=CALENDAR)


def test_the_whole_loop_records_who_and_when_at_each_step():
    case = opened()
    case, missed = cs.record_callback(case, actor="li-manager", channel="phone", reached=False,
                                      said="", now=at(9, 30, 16, 30))
    assert case.state is cs.CaseState.CALLBACK and missed.details["attempt"] == "1"
    case, callback = cs.record_callback(case, actor="li-manager", channel="phone", reached=True,
                                        said="等了一个多小时", now=at(9, 30, 16, 45))
    assert case.state is cs.CaseState.VERIFY and case.callback_done_at == at(9, 30, 16, 45)
    case, _ = cs.verify(case, actor="li-manager", confirmed=True, note="高峰只开两个窗口",
                        now=at(10, 8, 9))
    case, plan = cs.rectify(case, actor="li-manager", kind=cs.RectifyKind.WITH_DEADLINE,
                            plan="高峰增开弹性窗口", due=date(2026, 10, 10), now=at(10, 8, 10))
    assert case.state is cs.CaseState.RECTIFY and plan.details["due"] == "2026-10-10"
    case, _ = cs.complete_rectification(case, actor="li-manager", note="已排班",
                                        now=at(10, 10, 11))
    case, told = cs.record_feedback(case, actor="li-manager", channel="phone", note="已告知",
                                    now=at(10, 12, 9))
    assert told.details["on_time"] == "yes" and case.rectified_on_time is True
    case, follow = cs.follow_up(case, level=RatingLevel.SATISFIED, comment="改进了",
                                now=at(10, 13, 9))
    assert follow.actor == "citizen" and case.follow_up_level is RatingLevel.SATISFIED
    with pytest.raises(cs.CaseRefused):
        cs.follow_up(case, level=RatingLevel.VERY_SATISFIED, comment="", now=at(10, 13, 10))
    case, done = cs.close(case, actor="li-manager", note="", now=at(10, 13, 11))
    assert case.state is cs.CaseState.CLOSED and done.actor == "li-manager"


def test_a_real_name_case_is_verified_only_after_the_citizen_was_reached():
    case = opened()
    with pytest.raises(cs.CaseRefused):
        cs.verify(case, actor="m", confirmed=True, note="", now=at(9, 30, 17))
    case, _ = cs.record_callback(case, actor="m", channel="phone", reached=False, said="",
                                 now=at(9, 30, 16, 30))
    with pytest.raises(cs.CaseRefused):
        cs.verify(case, actor="m", confirmed=True, note="", now=at(9, 30, 17))


def test_an_anonymous_case_is_verified_after_one_attempt():
    case = opened(real_name=False)
    case, _ = cs.record_callback(case, actor="m", channel="none", reached=False,
                                 said="无联系方式", now=at(9, 30, 16, 30))
    case, _ = cs.verify(case, actor="m", confirmed=False, note="监控显示正常", now=at(9, 30, 17))
    with pytest.raises(cs.CaseRefused):
        cs.rectify(case, actor="m", kind=cs.RectifyKind.AT_ONCE, plan="x", due=None,
                   now=at(9, 30, 17))
    case, _ = cs.rectify(case, actor="m", kind=cs.RectifyKind.EXPLAINED, plan="已说明政策",
                         due=None, now=at(9, 30, 17))
    assert case.state is cs.CaseState.FEEDBACK


def test_a_deadline_rectification_needs_a_due_date():
    case = opened()
    case, _ = cs.record_callback(case, actor="m", channel="phone", reached=True, said="",
                                 now=at(9, 30, 16, 30))
    case, _ = cs.verify(case, actor="m", confirmed=True, note="", now=at(9, 30, 17))
    with pytest.raises(cs.CaseRefused):
        cs.rectify(case, actor="m", kind=cs.RectifyKind.WITH_DEADLINE, plan="x", due=None,
                   now=at(9, 30, 17))


def test_overdue_callback_and_feedback_are_seen_by_working_day():
    case = opened()
    assert not case.is_overdue(date(2026, 9, 30))
    assert case.is_overdue(date(2026, 10, 1))
    case, _ = cs.record_callback(case, actor="m", channel="phone", reached=True, said="",
                                 now=at(9, 30, 16, 30))
    assert not case.is_overdue(date(2026, 10, 13))
    assert case.is_overdue(date(2026, 10, 14))


def test_a_step_out_of_order_is_refused_with_the_state():
    with pytest.raises(cs.CaseRefused) as refused:
        cs.record_feedback(opened(), actor="m", channel="phone", note="", now=at(9, 30, 17))
    assert refused.value.fields["state"] == "callback"
