from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hall.config import SAMPLE_HALL, load_config
from hall.core.day_stats import day_stats
from hall.core.queue_engine import QueueEngine

SH = ZoneInfo("Asia/Shanghai")


def test_the_days_figures_come_from_its_tickets():
    engine = QueueEngine(load_config(SAMPLE_HALL, env={"HALL_MQTT_PASSWORD": "x"}).catalogue)
    t0 = datetime(2026, 11, 24, 9, 0, tzinfo=SH)
    state = engine.open_hall(engine.new_day(t0), t0).state
    state = engine.sign_in(state, 1, "YB0101", t0).state
    for minutes in (0, 5, 20, 70):
        state = engine.issue_ticket(state, "enrollment", t0 + timedelta(minutes=minutes)).state
    state = engine.call_next(state, 1, t0 + timedelta(minutes=10)).state   # A001 waited 10
    state = engine.call_next(state, 1, t0 + timedelta(minutes=35)).state   # A002 waited 30
    stats = day_stats(state, t0 + timedelta(minutes=75))
    assert stats.issued_per_hour == ((9, 3), (10, 1))
    assert dict(stats.waiting_over_day)["09:00"] == 1
    assert dict(stats.waiting_over_day)["09:15"] == 1   # A002 waits; A001 is being served
    assert dict(stats.waiting_over_day)["09:30"] == 2   # A002 and A003
    assert dict(stats.avg_wait_min) == {"enrollment": 20.0}


def test_an_empty_day_has_no_figures():
    engine = QueueEngine(load_config(SAMPLE_HALL, env={"HALL_MQTT_PASSWORD": "x"}).catalogue)
    stats = day_stats(engine.new_day(datetime(2026, 11, 24, tzinfo=SH)),
                      datetime(2026, 11, 24, 9, tzinfo=SH))
    assert (stats.issued_per_hour, stats.waiting_over_day, stats.avg_wait_min) == ((), (), ())
