"""Fixtures for the store tests: a real SQLite file per test, the sample hall and its engine."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hall.config import SAMPLE_HALL, load_config
from hall.core import Catalogue, QueueEngine
from hall.store import SqliteStore
from tests.store.store_support import REALISTIC_DAY, Hall, at


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_config(SAMPLE_HALL, env={"HALL_MQTT_PASSWORD": "x"}).catalogue


@pytest.fixture
def engine(catalogue: Catalogue) -> QueueEngine:
    return QueueEngine(catalogue)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "var" / "hall.db"


@pytest.fixture
def open_store(db_path: Path) -> Iterator[Callable[[], SqliteStore]]:
    """open_store(): a SqliteStore on this test's file; every store opened is closed after."""
    opened: list[SqliteStore] = []

    def open_() -> SqliteStore:
        store = SqliteStore(db_path)
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: Callable[[], SqliteStore]) -> SqliteStore:
    return open_store()


@pytest.fixture
def hall(engine: QueueEngine, store: SqliteStore) -> Hall:
    """A new hall on DAY at 08:30: committed, closed, nobody signed in."""
    return Hall(engine, store, at("08:30"))


@pytest.fixture
def busy_hall(hall: Hall) -> Hall:
    """The hall after REALISTIC_DAY, every command committed."""
    hall.play(REALISTIC_DAY)
    return hall
