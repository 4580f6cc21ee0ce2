"""投诉接待处理 deadlines: 30 minutes, 7 or 15 working days, transfer within 3, alerts."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest

from hall.core import complaint_handling as ch
from hall.core.catalogue import ServiceHours, Session
from hall.core.complaints import ComplaintRefused
from hall.official_calendar import work_calendar
from tests.support import SHANGHAI

DAY = (Session(time(9), time(17)),)
CALENDAR = work_calendar(ServiceHours(weekly={d: DAY if d <= 5 else () for d in range(1, 8)}))
CALLED = datetime(2026, 9, 29, 16, 40, tzinfo=SHANGHAI)


def by_phone() -> ch.Handling:
    return ch.start_handling("TS20260929-0001", ch.ComplaintChannel.PHONE, CALLED, CALENDAR)


def test_a_phone_complaint_before_national_day_is_due_after_it():
    h = by_phone()
    assert h.first_contact_due == datetime(2026, 9, 29, 17, 10, tzinfo=SHANGHAI)
    assert h.answer_due == date(2026, 10, 14)      # crosses the holiday and the 调休 Saturday
    assert h.transfer_due == date(2026, 10, 9)     # 9/30, 10/8, 10/9


def test_a_letter_has_no_thirty_minute_clock():
    letter = ch.start_handling("TS1", ch.ComplaintChannel.LETTER, CALLED, CALENDAR)
    assert letter.first_contact_due is None


def test_an_extension_to_fifteen_working_days_needs_a_reason_and_another_approver():
    h = ch.assign(by_phone(), handler="zhang")
    with pytest.raises(ComplaintRefused):
        ch.extend(h, reason="需调取异地就医记录", approved_by="zhang", calendar=CALENDAR)
    with pytest.raises(ComplaintRefused):
        ch.extend(h, reason="", approved_by="li-manager", calendar=CALENDAR)
    longer = ch.extend(h, reason="需调取异地就医记录", approved_by="li-manager", calendar=CALENDAR)
    assert longer.answer_due == date(2026, 10, 26) and longer.extended
    with pytest.raises(ComplaintRefused):
        ch.extend(longer, reason="again", approved_by="li-manager", calendar=CALENDAR)


def test_transfer_close_and_reopen():
    moved = ch.transfer(by_phone(), department="市卫健委", told_via="电话告知",
                        now=CALLED.replace(day=30))
    assert moved.status is ch.ComplaintStatus.TRANSFERRED and not moved.is_open
    with pytest.raises(ComplaintRefused):
        ch.close(moved, answer="x", satisfaction=ch.Satisfaction.SATISFIED, now=CALLED)
    closed = ch.close(by_phone(), answer="已解释", satisfaction=ch.Satisfaction.SATISFIED,
                      now=datetime(2026, 10, 14, 16, tzinfo=SHANGHAI))
    assert closed.answered_on_time() is True
    again = ch.reopen(closed, reason="群众不认可")
    assert again.status is ch.ComplaintStatus.HANDLING and again.reopened == 1


def test_alerts_for_first_contact_nearly_due_and_overdue():
    h = by_phone()
    late_call = datetime(2026, 9, 29, 17, 11, tzinfo=SHANGHAI)
    kinds = {a.kind for a in ch.due_alerts([h], late_call, CALENDAR)}
    assert kinds == {"first_contact_overdue"}
    h = ch.record_contact(h, first=True, note="已电话联系", now=late_call)
    assert {a.kind for a in ch.due_alerts([h], datetime(2026, 10, 13, 9, tzinfo=SHANGHAI),
                                          CALENDAR)} == {"due_soon"}
    assert {a.kind for a in ch.due_alerts([h], datetime(2026, 10, 15, 9, tzinfo=SHANGHAI),
                                          CALENDAR)} == {"overdue"}
