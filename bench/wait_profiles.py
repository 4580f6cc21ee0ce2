"""Hall profiles the wait benchmark simulates: who comes, when, and who serves them."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import time

from hall.config import SAMPLE_HALL, load_config
from hall.core.catalogue import (
    Business,
    CallingRules,
    Catalogue,
    PriorityRule,
    ServiceHours,
    Session,
    Staff,
    Window,
)


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    catalogue: Catalogue
    # Mean tickets per day per business (before the day's own swing).
    daily: dict[str, float]
    # Staggered lunch: windows in the first group eat at 11:30, the others at 12:30. A hall
    # closed over lunch has no lunch roster: everyone stops when it closes.
    lunch_groups: tuple[tuple[int, ...], tuple[int, ...]] = ((), ())
    lunch_closed: bool = False
    priority_share: float = 0.07
    appointment_share: float = 0.05
    transfer_share: float = 0.03
    # Clerk speed factors by window (handle time x factor); others are 1.0.
    speed: dict[int, float] = field(default_factory=dict)


def _continuous(opens: time, closes: time) -> ServiceHours:
    return ServiceHours(weekly={d: (Session(opens, closes),) for d in range(1, 8)})


def _sample() -> Catalogue:
    return load_config(SAMPLE_HALL, env={"HALL_MQTT_PASSWORD": "bench"}).catalogue


def county() -> Profile:
    businesses = (
        Business("enrollment", "A", "参保登记", "Enrollment", 420),
        Business("reimbursement", "E", "手工报销", "Reimbursement", 720),
        Business("inquiry", "H", "查询打印", "Inquiry and printing", 180),
    )
    windows = (Window(1, ("enrollment", "inquiry")), Window(2, ("reimbursement",)),
               Window(3, ("enrollment", "reimbursement", "inquiry"), "综合窗口"))
    staff = tuple(Staff(f"XY{i:04d}", f"县窗口{i}") for i in range(1, 5))
    catalogue = Catalogue("county-hall", "县医保服务大厅", "County hall", businesses, windows,
                          staff, _continuous(time(8, 30), time(17, 0)),
                          CallingRules(priority_rule=PriorityRule.STRICT))
    return Profile("county", catalogue, {"enrollment": 45, "reimbursement": 30, "inquiry": 60},
                   lunch_groups=((1,), (2, 3)), speed={1: 0.9, 2: 1.15, 3: 1.0})


_CITY_DAILY = {"enrollment": 110, "info_change": 90, "cross_region_filing": 80,
               "chronic_disease": 40, "manual_reimbursement": 55, "maternity_allowance": 30,
               "relationship_transfer": 40, "account_inquiry": 120, "certificate_print": 90,
               "medical_assistance": 20}


def city() -> Profile:
    """The sample hall of hall/data/sample_hall.toml, open all day with a staggered lunch."""
    catalogue = replace(_sample(), hall_id="city-hall",
                        hours=_continuous(time(9, 0), time(17, 0)))
    daily = {k: v * 0.6 for k, v in _CITY_DAILY.items()}
    return Profile("city", catalogue, daily, lunch_groups=((1, 3, 5, 7), (2, 4, 6, 8)),
                   speed={1: 0.85, 2: 1.1, 3: 1.0, 4: 0.95, 5: 1.2, 6: 0.9, 7: 1.05, 8: 1.0})


def city_lunch_closed() -> Profile:
    """The sample hall with its own hours: closed from 12:00 to 13:30."""
    catalogue = replace(_sample(), hall_id="city-lunch-closed")
    catalogue = replace(catalogue, hours=ServiceHours(weekly={
        d: catalogue.hours.weekly[1] for d in range(1, 8)}))
    daily = {k: v * 0.5 for k, v in _CITY_DAILY.items()}
    return Profile("lunch_closed", catalogue, daily, lunch_closed=True,
                   speed={1: 0.85, 2: 1.1, 3: 1.0, 4: 0.95, 5: 1.2, 6: 0.9, 7: 1.05, 8: 1.0})


def busy() -> Profile:
    """A big city hall: more than 999 tickets of one business a day, numbers go to H1000+."""
    sample = _sample()
    windows = (
        *sample.windows[:7],
        Window(8, ("account_inquiry", "certificate_print")),
        Window(9, ("account_inquiry", "certificate_print")),
        Window(10, ("account_inquiry", "certificate_print", "enrollment")),
        Window(11, ("account_inquiry", "info_change")),
        Window(12, ("enrollment", "info_change", "cross_region_filing")),
        Window(13, ("account_inquiry",)),
        Window(14, ("account_inquiry",)),
        Window(15, sample.windows[7].businesses, "综合窗口"),
    )
    staff = tuple(Staff(f"BY{i:04d}", f"窗口{i}") for i in range(1, 17))
    businesses = tuple(replace(b, typical_handle_s=100) if b.code == "account_inquiry" else b
                       for b in sample.businesses)
    catalogue = replace(sample, hall_id="busy-hall", windows=windows, staff=staff,
                        businesses=businesses, hours=_continuous(time(8, 30), time(17, 30)),
                        rules=replace(sample.rules, priority_rule=PriorityRule.STRICT))
    daily = {k: v * 0.8 for k, v in _CITY_DAILY.items()}
    daily["account_inquiry"] = 1100
    return Profile("busy", catalogue, daily,
                   lunch_groups=((1, 3, 5, 7, 9, 11, 13, 15), (2, 4, 6, 8, 10, 12, 14)),
                   speed={n: 0.8 + 0.05 * (n % 8) for n in range(1, 16)})


PROFILES = {"county": county, "city": city, "busy": busy, "lunch_closed": city_lunch_closed}
