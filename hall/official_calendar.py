"""The State Council holiday calendar, read from the maintained `chinese-calendar` package.

Kept outside hall/core: the core's WorkCalendar takes these dates as plain data. A year the
package does not cover yet can be given in hall.toml (`[[calendar.year]]`, from the State
Council's notice, usually published in November) until the package is updated.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import chinese_calendar

from hall.core.catalogue import ServiceHours
from hall.core.work_calendar import WorkCalendar


@dataclass(frozen=True, slots=True)
class YearDates:
    """One year's official holidays and make-up workdays, as given in hall.toml."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]


def package_dates() -> tuple[frozenset[date], frozenset[date], frozenset[int]]:
    """(holidays, make-up workdays, years covered) as the installed package knows them."""
    holidays = frozenset(chinese_calendar.constants.holidays)
    workdays = frozenset(chinese_calendar.constants.workdays)
    return holidays, workdays, frozenset(d.year for d in holidays)


def work_calendar(hours: ServiceHours, years: Iterable[YearDates] = (), *,
                  use_package: bool = True) -> WorkCalendar:
    """The hall's calendar: package data, then hall.toml's years, then the hall's own dates."""
    holidays: set[date] = set()
    workdays: set[date] = set()
    covered: set[int] = set()
    if use_package:
        found = package_dates()
        holidays |= found[0]
        workdays |= found[1]
        covered |= found[2]
    for given in years:
        holidays = {d for d in holidays if d.year != given.year} | set(given.holidays)
        workdays = {d for d in workdays if d.year != given.year} | set(given.workdays)
        covered.add(given.year)
    weekly = frozenset(d for d in range(1, 8) if hours.weekly.get(d))
    return WorkCalendar(holidays=frozenset(holidays), makeup_workdays=frozenset(workdays),
                        covered_years=frozenset(covered), hall_closures=hours.closed_dates,
                        hall_openings=frozenset(hours.extra_workdays),
                        weekly_workdays=weekly or frozenset({1, 2, 3, 4, 5}))
