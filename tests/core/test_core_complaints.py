from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from hall.config import SAMPLE_HALL, load_config
from hall.core.catalogue import ServiceHours
from hall.core.complaints import (
    ComplaintCategory,
    ComplaintRefused,
    file_complaint,
    working_days_after,
)

SH = ZoneInfo("Asia/Shanghai")
HOURS = load_config(SAMPLE_HALL, env={"HALL_MQTT_PASSWORD": "x"}).catalogue.hours


@pytest.mark.parametrize(("start", "count", "due"), [
    (date(2026, 11, 24), 7, date(2026, 12, 3)),    # Tue + 7 working days, over a weekend
    (date(2026, 11, 27), 1, date(2026, 11, 30)),   # Friday -> Monday
    (date(2026, 11, 28), 1, date(2026, 11, 30)),   # filed on a Saturday
])
def test_deadlines_count_working_days_only(start, count, due):
    assert working_days_after(start, count, HOURS) == due


def test_public_holidays_and_make_up_workdays_move_the_deadline():
    hours = ServiceHours(weekly=HOURS.weekly, closed_dates=frozenset({date(2026, 11, 25)}),
                         extra_workdays={date(2026, 11, 29): 1})
    # Wed is a holiday, Sun is worked as a Monday.
    assert working_days_after(date(2026, 11, 24), 4, hours) == date(2026, 11, 30)


def complaint(**overrides):
    fields = dict(sequence=7, category=ComplaintCategory.ATTITUDE, reasons=("rude",), text="",
                  name="张三丰", id_number="32040219550101123x", phone="13812345678",
                  business="enrollment", first_responder="kiosk-1", hours=HOURS,
                  now=datetime(2026, 11, 24, 10, 5, tzinfo=SH))
    fields.update(overrides)
    return file_complaint(**fields)


def test_a_picked_reason_is_enough_and_the_answer_is_due_in_seven_working_days():
    c = complaint()
    assert c.tracking_number == "TS20261124-0007"
    assert c.answer_due == date(2026, 12, 3)
    assert c.id_number.endswith("X")


@pytest.mark.parametrize(("overrides", "reason"), [
    ({"reasons": ()}, "reasons"),
    ({"reasons": ("bad_luck",)}, "reasons"),
    ({"text": "长" * 501}, "text"),
    ({"phone": "call me"}, "phone"),
    ({"id_number": "1234"}, "id_number"),
])
def test_a_complaint_that_cannot_be_filed_says_which_field(overrides, reason):
    with pytest.raises(ComplaintRefused) as refused:
        complaint(**overrides)
    assert refused.value.fields["reason"] == reason


def test_free_text_alone_is_enough_too():
    assert complaint(reasons=(), text="大厅没有饮水机").text == "大厅没有饮水机"
