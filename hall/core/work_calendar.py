"""Working days (工作日): the State Council calendar, its 调休 make-up days and the hall's own dates.

Pure: the official dates come in as data (hall/official_calendar.py reads them from the
`chinese-calendar` package). A year the data does not cover is never guessed silently: days of
such a year count by the weekly pattern only, every deadline that crosses one is marked
provisional, and `missing_years` tells the controller which years to warn managers about ahead.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from hall.core.catalogue import ServiceHours

# Managers are warned this long before the first day of a year the calendar does not know.
WARN_AHEAD = timedelta(days=45)
_MAX_SPAN_DAYS = 3660


@dataclass(frozen=True, slots=True)
class Deadline:
    """A due date in working days; `provisional` when it crosses a year without official data."""

    due: date
    provisional: bool = False


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Which days are working days of this hall.

    Order of precedence: the hall's closures, then the hall's openings, then the official
    holidays and make-up workdays, then the weekly pattern (Monday to Friday by default).
    """

    holidays: frozenset[date] = frozenset()
    makeup_workdays: frozenset[date] = frozenset()
    covered_years: frozenset[int] = frozenset()
    hall_closures: frozenset[date] = frozenset()
    hall_openings: frozenset[date] = frozenset()
    weekly_workdays: frozenset[int] = field(default_factory=lambda: frozenset({1, 2, 3, 4, 5}))

    def is_covered(self, day: date) -> bool:
        """The official holidays of this day's year are known (package data or hall.toml)."""
        return day.year in self.covered_years

    def is_working_day(self, day: date) -> bool:
        if day in self.hall_closures:
            return False
        if day in self.hall_openings:
            return True
        if day in self.holidays:
            return False
        if day in self.makeup_workdays:
            return True
        return day.isoweekday() in self.weekly_workdays

    def add_working_days(self, start: date, count: int) -> Deadline:
        """The date `count` working days after `start`; 0 means `start` itself if it is a
        working day, else the next working day ("at once")."""
        day = start
        provisional = not self.is_covered(day)
        if count == 0:
            while not self.is_working_day(day):
                day += timedelta(days=1)
                provisional = provisional or not self.is_covered(day)
            return Deadline(day, provisional)
        left = count
        for _ in range(_MAX_SPAN_DAYS):
            if left == 0:
                break
            day += timedelta(days=1)
            provisional = provisional or not self.is_covered(day)
            if self.is_working_day(day):
                left -= 1
        return Deadline(day, provisional)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def missing_years(self, now: datetime) -> tuple[int, ...]:
        """Years from now until WARN_AHEAD ahead whose official holidays are not known."""
        years = range(now.year, (now + WARN_AHEAD).year + 1)
        return tuple(y for y in years if y not in self.covered_years)

    def service_hours(self, hours: ServiceHours) -> ServiceHours:
        """The weekly hours with this calendar's closed days and worked weekend days merged in.

        A 调休 weekend day takes the hours of the first weekday that has any; the hall's own
        `extra_workdays` (which name their weekday) and `closed_dates` are kept as they are.
        """
        standing_weekday = next((d for d in range(1, 8) if hours.weekly.get(d)), 1)
        closed = (self.holidays - self.hall_openings - set(hours.extra_workdays)) | (
            self.hall_closures | hours.closed_dates)
        extra = {d: standing_weekday for d in self.makeup_workdays | self.hall_openings}
        extra.update(hours.extra_workdays)
        return ServiceHours(weekly=hours.weekly, closed_dates=frozenset(closed),
                            extra_workdays=extra)


def next_opening(hours: ServiceHours, now: datetime, *, horizon_days: int = 60) -> datetime | None:
    """When the hall next opens after `now` (the start of the next session), or None."""
    for offset in range(horizon_days + 1):
        day = now.date() + timedelta(days=offset)
        for session in hours.sessions_on(day):
            start = datetime.combine(day, session.opens, tzinfo=now.tzinfo)
            if start > now:
                return start
    return None
