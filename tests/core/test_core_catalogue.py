"""The catalogue: validation of the hall's fixed description, lookups, and opening hours."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from hall.core import (
    Business,
    CallingRules,
    Catalogue,
    ServiceHours,
    Session,
    Staff,
    TicketNumber,
    Window,
)
from hall.core.errors import (
    ConfigError,
    HallError,
    UnknownBusiness,
    UnknownStaff,
    UnknownWindow,
)

TZ = ZoneInfo("Asia/Shanghai")

ENROLLMENT = Business("enrollment", "A", "参保登记", "Insurance enrollment")
INFO_CHANGE = Business("info_change", "B", "参保信息变更", "Change of details")
WANG = Staff("YB0101", "王晓燕")
LI = Staff("YB0102", "李建国")
HOURS = ServiceHours(weekly={1: (Session(time(9), time(12)),)})


def hall(businesses=(ENROLLMENT, INFO_CHANGE),
         windows=(Window(1, ("enrollment", "info_change")),),
         staff=(WANG, LI), hall_id="demo-hall") -> Catalogue:
    return Catalogue(hall_id, "市医疗保障服务大厅", "Municipal hall", businesses, windows, staff,
                     HOURS)


# -- catalogue as a whole -------------------------------------------------------------------


def test_a_consistent_catalogue_is_accepted() -> None:
    catalogue = hall()
    assert [b.code for b in catalogue.businesses] == ["enrollment", "info_change"]
    assert catalogue.rules == CallingRules()


@pytest.mark.parametrize(
    "parts, message",
    [
        pytest.param(
            {"businesses": (ENROLLMENT, Business("inquiry", "A", "查询", "Inquiry")),
             "windows": (Window(1, ("enrollment", "inquiry")),)},
            "duplicate ticket prefix 'A'", id="duplicate-prefix"),
        pytest.param(
            {"businesses": (ENROLLMENT, Business("enrollment", "C", "参保", "Enrollment 2")),
             "windows": (Window(1, ("enrollment",)),)},
            "duplicate business code 'enrollment'", id="duplicate-business-code"),
        pytest.param(
            {"windows": (Window(1, ("enrollment",)), Window(1, ("info_change",)))},
            "duplicate window number 1", id="duplicate-window"),
        pytest.param(
            {"staff": (WANG, Staff("YB0101", "李建国"))},
            "duplicate 工号 'YB0101'", id="duplicate-staff-id"),
        pytest.param(
            {"windows": (Window(1, ("enrollment", "info_change")), Window(2, ("pension",)))},
            "window 2 serves unknown business ['pension']", id="window-serves-unknown-business"),
        pytest.param(
            {"windows": (Window(1, ("enrollment",)), Window(2, ("enrollment",)))},
            "no window serves ['info_change']", id="business-served-by-no-window"),
        pytest.param({"hall_id": "Demo Hall"}, "hall id", id="hall-id-with-capitals-and-space"),
        pytest.param({"hall_id": "-demo"}, "hall id", id="hall-id-starting-with-dash"),
    ],
)
def test_an_inconsistent_catalogue_is_refused_with_config_error(parts, message) -> None:
    with pytest.raises(ConfigError) as err:
        hall(**parts)
    assert message in err.value.message
    assert err.value.code == "config_invalid"


@pytest.mark.parametrize("prefix", ["", "a", "AB", "1", "Ä", "中", " "])
def test_a_business_prefix_must_be_one_capital_letter(prefix) -> None:
    with pytest.raises(ConfigError, match="prefix must be one capital letter"):
        Business("enrollment", prefix, "参保登记", "Enrollment")


@pytest.mark.parametrize("prefix", ["A", "M", "Z"])
def test_any_single_capital_letter_is_a_valid_prefix(prefix) -> None:
    assert Business("enrollment", prefix, "参保登记", "Enrollment").prefix == prefix


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"code": "Enrollment"}, id="capital-in-code"),
        pytest.param({"code": "e"}, id="code-too-short"),
        pytest.param({"code": "1enrollment"}, id="code-starts-with-digit"),
        pytest.param({"code": "cross-region"}, id="dash-in-code"),
        pytest.param({"name_zh": ""}, id="no-chinese-name"),
        pytest.param({"name_en": ""}, id="no-english-name"),
        pytest.param({"typical_handle_s": 0}, id="zero-handle-time"),
    ],
)
def test_a_malformed_business_is_refused(fields) -> None:
    values = {"code": "enrollment", "prefix": "A", "name_zh": "参保登记", "name_en": "Enrollment",
              **fields}
    with pytest.raises(ConfigError):
        Business(**values)


@pytest.mark.parametrize(
    "number, businesses",
    [(0, ("enrollment",)), (1000, ("enrollment",)), (1, ())],
)
def test_a_malformed_window_is_refused(number, businesses) -> None:
    with pytest.raises(ConfigError):
        Window(number, businesses)


@pytest.mark.parametrize("staff_id, name", [("", "王晓燕"), ("YB0101", "")])
def test_staff_need_both_a_work_number_and_a_name(staff_id, name) -> None:
    with pytest.raises(ConfigError):
        Staff(staff_id, name)


@pytest.mark.parametrize(
    "rules",
    [
        pytest.param({"interleave_every": 1}, id="interleave-every-1"),
        pytest.param({"no_show_grace_s": -1}, id="negative-grace"),
        pytest.param({"handle_time_memory": 0}, id="no-handle-time-memory"),
    ],
)
def test_nonsensical_calling_rules_are_refused(rules) -> None:
    with pytest.raises(ConfigError):
        CallingRules(**rules)


@pytest.mark.parametrize("opens, closes", [(time(12), time(9)), (time(9), time(9))])
def test_a_session_must_close_after_it_opens(opens, closes) -> None:
    with pytest.raises(ConfigError):
        Session(opens, closes)


# -- lookups --------------------------------------------------------------------------------


def test_lookups_find_businesses_windows_and_staff() -> None:
    catalogue = hall(windows=(Window(1, ("enrollment", "info_change")), Window(2, ("enrollment",))))
    assert catalogue.business("info_change") is INFO_CHANGE
    assert catalogue.business_by_prefix("A") is ENROLLMENT
    assert catalogue.window(2).businesses == ("enrollment",)
    assert catalogue.staff_member("YB0102") is LI
    assert [w.number for w in catalogue.windows_serving("enrollment")] == [1, 2]
    assert [w.number for w in catalogue.windows_serving("info_change")] == [1]


@pytest.mark.parametrize(
    "lookup, error, fields",
    [
        (lambda c: c.business("pension"), UnknownBusiness, {"business": "pension"}),
        (lambda c: c.business_by_prefix("Z"), UnknownBusiness, {"prefix": "Z"}),
        (lambda c: c.window(9), UnknownWindow, {"window": 9}),
        (lambda c: c.staff_member("YB9999"), UnknownStaff, {"staff_id": "YB9999"}),
    ],
)
def test_looking_up_something_unknown_raises_a_specific_error(lookup, error, fields) -> None:
    with pytest.raises(error) as err:
        lookup(hall())
    assert err.value.fields == fields


def test_a_window_serves_only_its_skills() -> None:
    window = Window(3, ("cross_region_filing", "relationship_transfer"))
    assert window.serves("cross_region_filing")
    assert not window.serves("enrollment")


# -- ticket numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix, sequence, text", [("A", 1, "A001"), ("B", 42, "B042"), ("K", 999, "K999")]
)
def test_a_ticket_number_is_its_prefix_and_three_digits(prefix, sequence, text) -> None:
    number = TicketNumber.make(prefix, sequence)
    assert str(number) == text
    assert (number.prefix, number.sequence) == (prefix, sequence)


@pytest.mark.parametrize("text", ["A1", "A0001", "a001", "1001", "AB01", ""])
def test_a_malformed_ticket_number_is_refused(text) -> None:
    with pytest.raises(HallError):
        TicketNumber(text)


# -- service hours --------------------------------------------------------------------------

MORNING = Session(time(9, 0), time(12, 0))
AFTERNOON = Session(time(13, 30), time(17, 0))
FRIDAY_AFTERNOON = Session(time(13, 30), time(16, 0))
SATURDAY_MORNING = Session(time(9, 0), time(11, 30))

# 2025: 5月1日 (Thursday) is 劳动节, closed; Sunday 4月27日 is worked as a Friday (调休).
LABOUR_DAY = date(2025, 5, 1)
MAKEUP_SUNDAY = date(2025, 4, 27)

SERVICE_HOURS = ServiceHours(
    weekly={
        1: (MORNING, AFTERNOON),
        2: (MORNING, AFTERNOON),
        3: (MORNING, AFTERNOON),
        4: (MORNING, AFTERNOON),
        5: (MORNING, FRIDAY_AFTERNOON),
        6: (SATURDAY_MORNING,),
    },
    closed_dates=frozenset({LABOUR_DAY}),
    extra_workdays={MAKEUP_SUNDAY: 5},
)


@pytest.mark.parametrize(
    "day, sessions",
    [
        pytest.param(date(2025, 4, 28), (MORNING, AFTERNOON), id="monday"),
        pytest.param(date(2025, 4, 25), (MORNING, FRIDAY_AFTERNOON), id="friday"),
        pytest.param(date(2025, 4, 26), (SATURDAY_MORNING,), id="saturday"),
        pytest.param(date(2025, 5, 4), (), id="sunday"),
        pytest.param(LABOUR_DAY, (), id="closed-public-holiday"),
        pytest.param(MAKEUP_SUNDAY, (MORNING, FRIDAY_AFTERNOON), id="makeup-sunday-as-friday"),
    ],
)
def test_sessions_follow_the_weekday_closures_and_makeup_workdays(day, sessions) -> None:
    assert SERVICE_HOURS.sessions_on(day) == sessions


def test_a_closed_date_wins_over_an_extra_workday() -> None:
    hours = ServiceHours(weekly={1: (MORNING,)}, closed_dates=frozenset({MAKEUP_SUNDAY}),
                         extra_workdays={MAKEUP_SUNDAY: 1})
    assert hours.sessions_on(MAKEUP_SUNDAY) == ()


def _moment(day: date, clock: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=TZ)


MONDAY = date(2025, 4, 28)


@pytest.mark.parametrize(
    "day, clock, is_open",
    [
        (MONDAY, "08:59:59", False),
        (MONDAY, "09:00", True),
        (MONDAY, "11:59:59", True),
        (MONDAY, "12:00", False),
        (MONDAY, "12:45", False),
        (MONDAY, "13:30", True),
        (MONDAY, "16:59", True),
        (MONDAY, "17:00", False),
        (date(2025, 4, 25), "16:30", False),  # Friday afternoon ends at 16:00
        (date(2025, 4, 26), "10:00", True),  # Saturday morning
        (date(2025, 4, 26), "14:00", False),  # no Saturday afternoon
        (date(2025, 5, 4), "10:00", False),  # Sunday
        (LABOUR_DAY, "10:00", False),
        (MAKEUP_SUNDAY, "10:00", True),
        (MAKEUP_SUNDAY, "15:30", True),
        (MAKEUP_SUNDAY, "16:30", False),  # worked as a Friday, so it closes at 16:00
    ],
)
def test_the_hall_is_open_inside_a_session_and_closed_at_its_end(day, clock, is_open) -> None:
    assert SERVICE_HOURS.is_open_at(_moment(day, clock)) is is_open


@pytest.mark.parametrize(
    "day, clock, margin_min, expected",
    [
        (MONDAY, "11:40", 15, False),
        (MONDAY, "11:45", 15, True),  # exactly the margin away counts
        (MONDAY, "11:50", 15, True),
        (MONDAY, "11:59:59", 1, True),
        (MONDAY, "09:00", 15, False),
        (MONDAY, "12:10", 60, False),  # lunch break: no current period
        (MONDAY, "16:50", 15, True),
        (date(2025, 4, 25), "15:50", 15, True),  # Friday closes at 16:00
        (date(2025, 4, 25), "16:50", 15, False),  # already closed
        (date(2025, 5, 4), "11:50", 15, False),  # Sunday
        (LABOUR_DAY, "11:50", 15, False),
    ],
)
def test_closes_within_is_true_only_near_the_end_of_the_current_session(
    day, clock, margin_min, expected
) -> None:
    assert SERVICE_HOURS.closes_within(_moment(day, clock), timedelta(minutes=margin_min)) \
        is expected
