"""The hall's fixed description: business types, windows, staff, hours and calling rules."""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from hall.core.errors import ConfigError, UnknownBusiness, UnknownStaff, UnknownWindow

_BUSINESS_CODE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")


@dataclass(frozen=True, slots=True)
class Business:
    """One business type citizens take a ticket for; its prefix starts every ticket number."""

    code: str
    prefix: str
    name_zh: str
    name_en: str
    typical_handle_s: int = 600
    # Issuing stops when the likely call is this long after closing; None: never cut off.
    cutoff_after_close_min: int | None = 0

    def __post_init__(self) -> None:
        if not _BUSINESS_CODE.match(self.code):
            raise ConfigError(f"business code {self.code!r} must be lowercase letters, digits, _")
        if len(self.prefix) != 1 or not ("A" <= self.prefix <= "Z"):
            raise ConfigError(f"business {self.code}: prefix must be one capital letter")
        if not self.name_zh or not self.name_en:
            raise ConfigError(f"business {self.code}: both a Chinese and an English name are needed")
        if self.typical_handle_s <= 0:
            raise ConfigError(f"business {self.code}: typical_handle_s must be positive")


@dataclass(frozen=True, slots=True)
class Window:
    """A service window (窗口) and the business types it may serve, its skills."""

    number: int
    businesses: tuple[str, ...]
    name_zh: str = ""

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 999:
            raise ConfigError(f"window number {self.number} must be between 1 and 999")
        if not self.businesses:
            raise ConfigError(f"window {self.number} serves no business type")

    def serves(self, business: str) -> bool:
        return business in self.businesses


@dataclass(frozen=True, slots=True)
class Staff:
    """A window clerk as shown to the public: 工号 and name."""

    staff_id: str
    name: str
    photo: str = ""

    def __post_init__(self) -> None:
        if not self.staff_id or not self.name:
            raise ConfigError("every staff member needs a 工号 and a name")


@dataclass(frozen=True, slots=True)
class Session:
    """One opening period of a day, e.g. 09:00 to 12:00."""

    opens: time
    closes: time

    def __post_init__(self) -> None:
        if self.closes <= self.opens:
            raise ConfigError(f"opening period {self.opens}-{self.closes} closes before it opens")


@dataclass(frozen=True, slots=True)
class ServiceHours:
    """Opening periods per ISO weekday (1 = Monday) plus dated closures and extra workdays."""

    weekly: dict[int, tuple[Session, ...]]
    closed_dates: frozenset[date] = frozenset()
    # 调休: a weekend day worked as a weekday takes the hours of the weekday it stands for.
    extra_workdays: dict[date, int] = field(default_factory=dict)

    def sessions_on(self, day: date) -> tuple[Session, ...]:
        if day in self.closed_dates:
            return ()
        weekday = self.extra_workdays.get(day, day.isoweekday())
        return self.weekly.get(weekday, ())

    def is_open_at(self, moment: datetime) -> bool:
        clock = moment.time()
        return any(s.opens <= clock < s.closes for s in self.sessions_on(moment.date()))

    def closes_within(self, moment: datetime, margin: timedelta) -> bool:
        """True when the current period ends within `margin` of `moment`."""
        clock = moment.time()
        for s in self.sessions_on(moment.date()):
            if s.opens <= clock < s.closes:
                end = datetime.combine(moment.date(), s.closes, tzinfo=moment.tzinfo)
                return end - moment <= margin
        return False


@enum.unique
class PriorityRule(enum.StrEnum):
    """How priority (绿色通道) tickets go ahead of normal ones."""

    STRICT = "strict"
    INTERLEAVE = "interleave"


@dataclass(frozen=True, slots=True)
class CallingRules:
    """Tunable rules for calling; the defaults follow common 医保 hall practice."""

    priority_rule: PriorityRule = PriorityRule.STRICT
    # With INTERLEAVE: at a window, at least one call in every `interleave_every` is priority
    # while priority tickets wait, and normal tickets still move between them.
    interleave_every: int = 3
    appointment_is_priority: bool = True
    no_show_grace_s: int = 120
    appointment_early_s: int = 1800
    appointment_late_s: int = 900
    handle_time_memory: int = 20
    # 好差评 may be given until this long after the service (补充评价 within 24 h).
    rating_valid_s: int = 86400
    # Past this estimated wait a business counts as congested: walls advise, managers are alerted.
    congestion_wait_min: int = 45

    def __post_init__(self) -> None:
        if self.interleave_every < 2:
            raise ConfigError("interleave_every must be 2 or more (1 in N calls is priority)")
        if self.no_show_grace_s < 0:
            raise ConfigError("no_show_grace_s cannot be negative")
        if self.rating_valid_s < 0:
            raise ConfigError("rating_valid_s cannot be negative")
        if self.handle_time_memory < 1:
            raise ConfigError("handle_time_memory must be at least 1")


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Everything fixed about one hall; validated as a whole on construction."""

    hall_id: str
    name_zh: str
    name_en: str
    businesses: tuple[Business, ...]
    windows: tuple[Window, ...]
    staff: tuple[Staff, ...]
    hours: ServiceHours
    rules: CallingRules = CallingRules()

    def __post_init__(self) -> None:
        if not re.match(r"^[a-z0-9][a-z0-9-]{0,62}$", self.hall_id):
            raise ConfigError(f"hall id {self.hall_id!r} must be lowercase letters, digits and -")
        _unique("business code", [b.code for b in self.businesses])
        _unique("ticket prefix", [b.prefix for b in self.businesses])
        _unique("window number", [w.number for w in self.windows])
        _unique("工号", [s.staff_id for s in self.staff])
        codes = {b.code for b in self.businesses}
        served: set[str] = set()
        for w in self.windows:
            unknown = set(w.businesses) - codes
            if unknown:
                raise ConfigError(f"window {w.number} serves unknown business {sorted(unknown)}")
            served |= set(w.businesses)
        unserved = codes - served
        if unserved:
            raise ConfigError(f"no window serves {sorted(unserved)}")

    def business(self, code: str) -> Business:
        for b in self.businesses:
            if b.code == code:
                return b
        raise UnknownBusiness(f"unknown business type {code!r}", business=code)

    def business_by_prefix(self, prefix: str) -> Business:
        for b in self.businesses:
            if b.prefix == prefix:
                return b
        raise UnknownBusiness(f"no business type has prefix {prefix!r}", prefix=prefix)

    def window(self, number: int) -> Window:
        for w in self.windows:
            if w.number == number:
                return w
        raise UnknownWindow(f"unknown window {number}", window=number)

    def staff_member(self, staff_id: str) -> Staff:
        for s in self.staff:
            if s.staff_id == staff_id:
                return s
        raise UnknownStaff(f"unknown 工号 {staff_id!r}", staff_id=staff_id)

    def windows_serving(self, business: str) -> tuple[Window, ...]:
        return tuple(w for w in self.windows if w.serves(business))


def _unique(what: str, values: list[object]) -> None:
    seen: set[object] = set()
    for v in values:
        if v in seen:
            raise ConfigError(f"duplicate {what} {v!r}")
        seen.add(v)
