"""The closed loop's tables in a real SQLite file: repair after a stop, audited phone views,
exclusions that cannot be changed, ratings that stay as they were."""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta

import pytest

from hall.config import SAMPLE_HALL, load_config
from hall.controller.case_desk import CaseDesk
from hall.core import appeals as ap
from hall.core.ratings import Rating, RatingLevel
from hall.store import SqliteStore
from hall.store.bulk_load import load
from tests.support import SHANGHAI

RATED = datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def store(tmp_path):
    store = SqliteStore(tmp_path / "hall.db")
    load(store, "tickets", [("t1", "2026-10-09", "A001", "enrollment", "normal", "finished",
                             RATED.isoformat(), RATED.isoformat(), 3, "YB0103", None, None, 1,
                             RATED.isoformat(), json.dumps(["enrollment"]))])
    yield store
    store.close()


def bad_rating() -> Rating:
    return Rating("r1", "t1", RATED.date(), 3, "YB0103", ("enrollment",),
                  RatingLevel.DISSATISFIED, RATED, "pad", {}, ("long_wait",))


def desk(store, outcomes) -> CaseDesk:
    config = load_config(SAMPLE_HALL, env={"HALL_MQTT_PASSWORD": "x"})
    return CaseDesk(store, config.catalogue, config.calendar, config.loop, b"k" * 32,
                    outcomes.append)


def test_a_bad_rating_stored_just_before_a_stop_gets_its_case_at_the_next_start(store):
    store.save_rating(bad_rating(), None)
    outcomes: list[object] = []
    cases = desk(store, outcomes)
    assert cases.open_missing(RATED + timedelta(minutes=5)) == 1
    assert cases.open_missing(RATED + timedelta(minutes=6)) == 0
    case = cases.cases.case_of_rating("r1")
    # Friday 10/9 + 5 working days: 10/10 (调休 Saturday), 10/12, 13, 14, 15
    assert case is not None and case.feedback_due.isoformat() == "2026-10-15"
    assert [o.outcome for o in outcomes] == ["opened"]


def test_the_callback_phone_is_kept_apart_and_every_look_is_recorded(store):
    store.save_rating(bad_rating(), None)
    cases = desk(store, [])
    case = cases.open_for(bad_rating(), "13800001234", RATED)
    assert case is not None and case.real_name
    assert cases.cases.callback_phone("r1", "li-manager", RATED) == "13800001234"
    views = store.connection.execute("SELECT what, ref, viewer FROM personal_data_views")
    assert list(views) == [("rating_phone", "r1", "li-manager")]


def test_an_exclusion_cannot_be_changed_and_the_rating_stays(store):
    store.save_rating(bad_rating(), None)
    cases = desk(store, [])
    appeal = ap.Appeal("S1", "r1", "YB0103", "误触", "YB0103", RATED)
    decided = ap.decide_appeal(appeal, decided_by="zhao", role=ap.DeciderRole.SUPERVISOR,
                               case_owner="manager", upheld=True,
                               exclusion=ap.ExclusionKind.MALICIOUS, reason="核实", now=RATED)
    cases.cases.save_appeal(decided, None, RATED)
    assert cases.cases.excluded_rating_ids() == {"r1"}
    with pytest.raises(sqlite3.IntegrityError):
        store.connection.execute("UPDATE rating_exclusions SET kind = 'mis_rating'")
    with pytest.raises(sqlite3.IntegrityError):
        store.connection.execute("UPDATE ratings SET level = 'satisfied'")
    assert cases.cases.rating("r1").level is RatingLevel.DISSATISFIED
