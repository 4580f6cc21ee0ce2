"""The loop pages' own choices, without a browser: which forms a case or complaint shows, who
sees the decide form, and how the first-contact clock reads."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from console.pages.appeals import may_decide
from console.pages.cases import forms_for
from console.pages.complaints import clock_of
from console.pages.complaints import forms_for as complaint_forms
from hall.core.appeals import Appeal
from hall.core.cases import Case, CaseState, RectifyKind
from hall.core.complaint_handling import ComplaintChannel, ComplaintStatus, Handling
from hall.core.ratings import RatingLevel
from tests.support import SHANGHAI

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=SHANGHAI)
CASE = Case(case_id="C1", rating_id="R1", ticket_id="T1", window=3, staff_id="YB0103",
            items=(), reasons=("long_wait",), level=RatingLevel.DISSATISFIED, owner="wang",
            real_name=True, opened_at=NOW, callback_due=NOW.date(), feedback_due=date(2026, 12, 1))
APPEAL = Appeal(appeal_id="S1", rating_id="R1", staff_id="YB0103", reason="误评",
                filed_by="YB0103", filed_at=NOW)


def test_a_real_name_case_shows_only_the_callback_until_the_citizen_is_reached() -> None:
    assert forms_for(CASE) == ("callback", "reassign")
    tried = replace(CASE, real_name=False, callback_attempts=1)
    assert forms_for(tried) == ("callback", "verify", "reassign")


def test_each_later_state_shows_its_one_step_and_a_closed_case_none() -> None:
    assert forms_for(replace(CASE, state=CaseState.VERIFY))[0] == "verify"
    assert forms_for(replace(CASE, state=CaseState.RECTIFY))[0] == "rectify"
    planned = replace(CASE, state=CaseState.RECTIFY, rectify_kind=RectifyKind.WITH_DEADLINE)
    assert forms_for(planned)[0] == "complete"
    assert forms_for(replace(CASE, state=CaseState.FEEDBACK))[0] == "feedback"
    assert forms_for(replace(CASE, state=CaseState.FOLLOW_UP))[0] == "close"
    assert forms_for(replace(CASE, state=CaseState.CLOSED)) == ()


def test_a_supervisor_or_another_manager_decides_but_not_the_owner_nor_the_appellant() -> None:
    assert may_decide("li", "supervisor", APPEAL, owner="li")[0]
    assert may_decide("zhou", "manager", APPEAL, owner="wang")[0]
    assert may_decide("wang", "manager", APPEAL, owner="wang") == (
        False, "您是该案件的负责人，须由其他负责人或督查复核")
    assert not may_decide("YB0103", "manager", APPEAL, owner="wang")[0]
    assert not may_decide("zhao", "it", APPEAL, owner="wang")[0]


def test_the_first_contact_clock_counts_down_then_counts_the_minutes_late() -> None:
    phone = Handling(tracking_number="TS20261124-0001", channel=ComplaintChannel.PHONE,
                     registered_at=NOW, answer_due=date(2026, 12, 3),
                     transfer_due=date(2026, 11, 27), first_contact_due=NOW + timedelta(minutes=30))
    today, warn_by = NOW.date(), date(2026, 11, 25)
    assert clock_of(phone, NOW + timedelta(minutes=12), today, warn_by).first_contact == \
        "还剩 18 分钟"
    late = clock_of(phone, NOW + timedelta(minutes=41), today, warn_by)
    assert (late.first_contact, late.first_contact_late) == ("已超时 11 分钟", True)
    reached = replace(phone, first_contact_at=NOW + timedelta(minutes=29))
    assert clock_of(reached, NOW + timedelta(hours=2), today, warn_by).first_contact == \
        "09:59 已联系（按时）"
    due = clock_of(phone, NOW, date(2026, 12, 3), date(2026, 12, 4))
    assert (due.overdue, due.due_soon) == (False, True)
    assert clock_of(phone, NOW, date(2026, 12, 4), date(2026, 12, 7)).overdue


def test_a_transferred_complaint_takes_no_step_and_a_closed_one_only_reopens() -> None:
    handling = Handling(tracking_number="TS1", channel=ComplaintChannel.LETTER, registered_at=NOW,
                        answer_due=date(2026, 12, 3), transfer_due=date(2026, 11, 27))
    assert complaint_forms(handling)[0] == "contact"  # a letter has no 30-minute clock
    assert complaint_forms(replace(handling, status=ComplaintStatus.TRANSFERRED)) == ()
    timed = replace(handling, channel=ComplaintChannel.PHONE, status=ComplaintStatus.TRANSFERRED,
                    first_contact_due=NOW + timedelta(minutes=30),
                    transferred_at=NOW + timedelta(minutes=41))
    gone = clock_of(timed, NOW + timedelta(days=1), NOW.date(), NOW.date())
    assert (gone.first_contact, gone.first_contact_late) == ("未记录首次联系", True)
    assert complaint_forms(replace(handling, status=ComplaintStatus.CLOSED)) == ("reopen",)
