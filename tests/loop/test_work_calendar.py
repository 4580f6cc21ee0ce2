"""Working days from the official calendar: 2026 National Day, 调休 Saturdays, the hall's own dates."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest

from hall.config import SAMPLE_HALL, load_config
from hall.core.catalogue import ServiceHours, Session
from hall.core.work_calendar import WorkCalendar, next_opening
from hall.official_calendar import YearDates, work_calendar
from tests.support import SHANGHAI


def _hours(closed: frozenset[date] = frozenset(),
           extra: dict[date, int] | None = None) -> ServiceHours:
    morning = (Session(time(9), time(12)), Session(time(13, 30), time(17)))
    return ServiceHours(weekly={d: morning if d <= 5 else () for d in range(1, 8)},
                        closed_dates=closed, extra_workdays=extra or {})


OFFICIAL = work_calendar(_hours())


@pytest.mark.parametrize("day, working", [
    (date(2026, 10, 1), False), (date(2026, 10, 7), False),   # 国庆节
    (date(2026, 10, 8), True),
    (date(2026, 10, 10), True),                                 # 调休 Saturday
    (date(2026, 9, 20), True),                                  # 调休 Sunday
    (date(2026, 10, 11), False), (date(2026, 11, 24), True), (date(2026, 11, 28), False),
])
def test_the_package_gives_holidays_and_make_up_workdays(day, working):
    assert OFFICIAL.is_working_day(day) is working
    assert OFFICIAL.is_covered(day)


def test_seven_working_days_from_the_eve_of_national_day_end_on_the_14th():
    # 9/30 (1), 10/1-7 holiday, 10/8 (2), 10/9 (3), 10/10 调休 Saturday (4), 10/12-14 (5-7)
    deadline = OFFICIAL.add_working_days(date(2026, 9, 29), 7)
    assert deadline.due == date(2026, 10, 14) and not deadline.provisional


def test_five_working_days_from_a_holiday_count_the_make_up_saturday():
    assert OFFICIAL.add_working_days(date(2026, 10, 3), 5).due == date(2026, 10, 13)


def test_at_once_on_a_holiday_means_the_next_working_day():
    assert OFFICIAL.add_working_days(date(2026, 10, 2), 0).due == date(2026, 10, 8)
    assert OFFICIAL.add_working_days(date(2026, 10, 10), 0).due == date(2026, 10, 10)


def test_working_days_between_skip_the_holiday():
    assert OFFICIAL.working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3


def test_the_halls_own_closure_and_opening_override_the_official_calendar():
    own = work_calendar(_hours(closed=frozenset({date(2026, 10, 10)}),
                               extra={date(2026, 10, 3): 6}))
    assert not own.is_working_day(date(2026, 10, 10))
    assert own.is_working_day(date(2026, 10, 3))


def test_a_year_beyond_the_data_is_provisional_and_warned_ahead():
    deadline = OFFICIAL.add_working_days(date(2026, 12, 28), 7)
    assert deadline.provisional
    assert OFFICIAL.missing_years(datetime(2026, 11, 24, 9, tzinfo=SHANGHAI)) == (2027,)
    assert OFFICIAL.missing_years(datetime(2026, 10, 24, 9, tzinfo=SHANGHAI)) == ()


def test_a_year_given_in_hall_toml_counts_as_known():
    given = YearDates(2027, frozenset({date(2027, 1, 1)}), frozenset())
    calendar = work_calendar(_hours(), [given])
    assert not calendar.is_working_day(date(2027, 1, 1))
    assert calendar.missing_years(datetime(2026, 12, 1, tzinfo=SHANGHAI)) == ()


def test_without_data_every_year_is_provisional_not_guessed():
    bare = WorkCalendar()
    assert bare.add_working_days(date(2026, 10, 1), 1).provisional


def test_the_configured_hours_close_on_national_day_and_open_on_the_make_up_saturday():
    config = load_config(SAMPLE_HALL, env={"HALL_MQTT_PASSWORD": "x"})
    hours = config.catalogue.hours
    assert hours.sessions_on(date(2026, 10, 1)) == ()
    assert hours.is_open_at(datetime(2026, 10, 10, 10, tzinfo=SHANGHAI))
    assert not hours.is_open_at(datetime(2026, 10, 11, 10, tzinfo=SHANGHAI))


def test_open_again_at_skips_the_holiday_week():
    config = load_config(SAMPLE_HALL, env={"HALL_MQTT_PASSWORD": "x"})
    after_close = datetime(2026, 9, 30, 17, 5, tzinfo=SHANGHAI)
    assert next_opening(config.catalogue.hours, after_close) == datetime(
        2026, 10, 8, 9, 0, tzinfo=SHANGHAI)


def test_the_kiosks_closed_banner_says_when_the_hall_opens_again():
    from kiosk.texts import Lang, closed_banner

    again = datetime(2026, 10, 8, 9, 0, tzinfo=SHANGHAI)
    assert closed_banner(Lang.ZH, again) == "现在不是取号时间，请您谅解。下次开放：10月8日 09:00"
    assert closed_banner(Lang.EN, again).endswith("Open again 08 Oct 09:00")
    assert closed_banner(Lang.ZH, None) == "现在不是取号时间，请您谅解。"
