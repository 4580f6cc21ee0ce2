"""The reports' daily roll-up: closed days are summed once and read back with the same figures as
the raw records; a late change to a day (an exclusion upheld on appeal, a ticket, a late rating)
makes that day alone read live; the keeper rolls up in its own thread and leaves today live."""
from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

import pytest

from bench.loop_data import Scale, generate
from hall.config import SAMPLE_HALL, load_config
from hall.controller.report_keeper import ReportRollupKeeper
from hall.core import reports as rp
from hall.core.percentile_buckets import BUCKET_S, p90_bucket
from hall.store import SqliteStore
from hall.store.report_queries import ReportQueries
from hall.store.report_rollup import ReportRollup
from tests.loop.test_reports import exclude_three_october_bad_ratings
from tests.support import SHANGHAI

START, END = date(2026, 9, 1), date(2026, 12, 1)
NOW = datetime(2026, 11, 29, 10, tzinfo=SHANGHAI)
TODAY = NOW.date()


@pytest.fixture
def hall(tmp_path):
    config = load_config(SAMPLE_HALL, env={"HALL_MQTT_PASSWORD": "x"})
    store = SqliteStore(tmp_path / "hall.db")
    generate(store, config, START, END, Scale(tickets=4000, ratings=1600, complaints=40), seed=11)
    yield config, store
    store.close()


def roll_up_all(store: SqliteStore) -> ReportRollup:
    rollup = ReportRollup(store.connection)
    assert all(rollup.roll_up(day, NOW) for day in rollup.days_due(TODAY))
    return rollup


def every_figure(queries: ReportQueries) -> object:
    satisfaction = {(d, g): rp.satisfaction(queries.rating_cells(START, END, d, g))
                    for d in rp.Dimension for g in rp.Grain}
    queue = rp.queue_figures(queries.ticket_tallies(START, END), queries.waits(START, END),
                             queries.handles(START, END))
    return satisfaction, queue, rp.bad_reasons_ranked(queries.bad_reasons(START, END))


def raw_figures(store: SqliteStore) -> object:
    live = ReportQueries(store).live
    satisfaction = {(d, g): rp.satisfaction(live.rating_cells(START, END, d, g))
                    for d in rp.Dimension for g in rp.Grain}
    queue = rp.queue_figures(live.ticket_tallies(START, END), live.waits(START, END),
                             live.handles(START, END))
    return satisfaction, queue, rp.bad_reasons_ranked(live.bad_reasons(START, END))


def test_every_closed_day_is_rolled_up_once_and_today_is_left_live(hall):
    _, store = hall
    rollup = roll_up_all(store)
    rolled = rollup.rolled_days(START, END)
    assert min(rolled) == START and max(rolled) == TODAY - timedelta(days=1)
    assert len(rolled) == (TODAY - START).days and TODAY not in rolled
    assert rollup.days_due(TODAY) == []


def test_every_figure_from_the_roll_up_equals_the_figure_from_the_raw_records(hall):
    _, store = hall
    roll_up_all(store)
    assert every_figure(ReportQueries(store)) == raw_figures(store)


def exclusions(store: SqliteStore) -> dict[str, date]:
    """Excluded ratings and their service days."""
    return {str(r[0]): date.fromisoformat(r[1]) for r in store.connection.execute(
        "SELECT rating_id, r.service_day FROM rating_exclusions JOIN ratings r USING (rating_id)")}


def test_an_exclusion_upheld_after_its_day_was_rolled_up_makes_that_day_alone_read_live(hall):
    config, store = hall
    rollup = roll_up_all(store)
    before = rollup.rolled_days(START, END)
    generated = exclusions(store)
    exclude_three_october_bad_ratings(store, config)
    upheld_now = {day for rating, day in exclusions(store).items() if rating not in generated}
    assert len(upheld_now) >= 1
    assert before - rollup.rolled_days(START, END) == upheld_now
    for table in ("report_rating_cells", "report_waits", "report_wait_buckets"):
        left = store.connection.execute(  # a stale day's sums go with its report_days row
            f"SELECT count(*) FROM {table} WHERE service_day IN "
            f"({', '.join('?' * len(upheld_now))})", [d.isoformat() for d in upheld_now])
        assert left.fetchone()[0] == 0, table
    assert every_figure(ReportQueries(store)) == raw_figures(store)
    october = rp.satisfaction(ReportQueries(store).rating_cells(
        date(2026, 10, 1), date(2026, 11, 1), rp.Dimension.WINDOW, rp.Grain.MONTH))
    assert sum(row.excluded for row in october) >= 3
    roll_up_all(store)
    assert rollup.rolled_days(START, END) == before
    assert every_figure(ReportQueries(store)) == raw_figures(store)


def test_a_changed_ticket_or_a_late_rating_of_a_rolled_up_day_makes_that_day_stale(hall):
    _, store = hall
    rollup = roll_up_all(store)
    db = store.connection
    ticket_day, ticket_id = db.execute(
        "SELECT service_day, ticket_id FROM tickets WHERE status = 'finished' AND ticket_id "
        "NOT IN (SELECT ticket_id FROM ratings) ORDER BY service_day LIMIT 1").fetchone()
    db.execute("UPDATE tickets SET status = 'no_show' WHERE ticket_id = ?", (ticket_id,))
    assert date.fromisoformat(ticket_day) not in rollup.rolled_days(START, END)
    assert every_figure(ReportQueries(store)) == raw_figures(store)
    rated_day, rated_ticket, window, staff = db.execute(
        "SELECT service_day, ticket_id, window, staff_id FROM tickets WHERE status = 'finished' "
        "AND service_day > ? AND ticket_id NOT IN (SELECT ticket_id FROM ratings) "
        "ORDER BY service_day LIMIT 1", (ticket_day,)).fetchone()
    db.execute("INSERT INTO ratings (rating_id, ticket_id, service_day, window, staff_id, items, "
               "level, channel, rated_at) VALUES ('late-1', ?, ?, ?, ?, '[\"enrollment\"]', "
               "'very_dissatisfied', 'phone', ?)",
               (rated_ticket, rated_day, window, staff, NOW.isoformat()))
    assert date.fromisoformat(rated_day) not in rollup.rolled_days(START, END)
    assert every_figure(ReportQueries(store)) == raw_figures(store)


def test_the_p90_from_buckets_is_exact_at_a_bucket_edge():
    # 10 samples: the nearest-rank p90 is the 9th, in the bucket [300, 600).
    assert p90_bucket([(0, 8), (1, 1), (2, 1)]) == 1
    assert p90_bucket([(0, 9), (1, 1)]) == 0
    assert p90_bucket([]) is None
    assert BUCKET_S == 300


def test_the_keeper_rolls_up_closed_days_in_its_own_thread(hall, tmp_path):
    _, store = hall
    keeper = ReportRollupKeeper(store.path, lambda: TODAY, lambda: NOW, look_every_s=3600)
    keeper.start()
    try:
        assert keeper.round_done.wait(120), "the keeper did not finish its first round"
    finally:
        keeper.stop()
    rolled = ReportRollup(store.connection).rolled_days(START, END)
    assert len(rolled) == (TODAY - START).days
    raw = sqlite3.connect(store.path)
    try:
        assert raw.execute("SELECT count(*) FROM report_days WHERE service_day >= ?",
                           (TODAY.isoformat(),)).fetchone()[0] == 0
    finally:
        raw.close()


def test_a_day_changed_while_it_is_read_is_not_kept_and_reads_live(hall, tmp_path):
    _, store = hall
    rollup = ReportRollup.open(store.path)
    day = date(2026, 10, 12)
    live_waits = rollup._live.waits

    def waits_while_the_controller_writes(start: date, end: date) -> list[rp.WaitBucket]:
        found = live_waits(start, end)
        store.connection.execute(  # the controller's own connection, between claim and store
            "UPDATE tickets SET status = 'no_show' WHERE ticket_id = (SELECT ticket_id FROM "
            "tickets WHERE service_day = ? AND status = 'finished' LIMIT 1)", (day.isoformat(),))
        return found

    rollup._live.waits = waits_while_the_controller_writes  # type: ignore[method-assign]
    try:
        assert rollup.roll_up(day, NOW) is False
        assert day not in rollup.rolled_days(START, END)
        rollup._live.waits = live_waits  # type: ignore[method-assign]
        assert rollup.roll_up(day, NOW) is True
        assert day in rollup.rolled_days(START, END)
    finally:
        rollup.close()
    assert every_figure(ReportQueries(store)) == raw_figures(store)


def test_a_started_controller_rolls_up_the_closed_days_it_finds(broker, make_config,
                                                                 make_controller, clock):
    config = make_config(broker)
    store = SqliteStore(config.store_path)
    generate(store, config, date(2026, 11, 2), date(2026, 11, 24),
             Scale(tickets=600, ratings=200, complaints=5), seed=3)
    rollup = ReportRollup(store.connection)
    closed = (clock().date() - date(2026, 11, 2)).days
    controller = make_controller(broker)
    keeper = controller.report_keeper
    assert keeper is not None and keeper.round_done.wait(120)  # its first round rolls up all
    assert len(rollup.rolled_days(START, END)) == closed
    assert clock().date() not in rollup.rolled_days(START, END)  # today stays live
    assert controller.state.service_day == clock().date()
    store.close()
