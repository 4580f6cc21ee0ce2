"""Opening the store: migrations from zero, the durability pragmas, and refusing newer files."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest

from hall.core import QueueEngine
from hall.store import SqliteStore, StoreError
from hall.store.sqlite_store import MIGRATIONS_BEFORE_TRACKING, migrations
from tests.store.store_support import TABLES, Hall, at, snapshot


def newest_migration_on_disk() -> int:
    folder = resources.files("hall.store") / "migrations"
    return max(int(e.name.split("_", 1)[0]) for e in folder.iterdir() if e.name.endswith(".sql"))


def pragma(store: SqliteStore, name: str) -> object:
    # synchronous and foreign_keys are per connection: ask the store's own connection.
    return store._db.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: SLF001


def user_version(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute("PRAGMA user_version").fetchone()[0])
    finally:
        db.close()


def set_user_version(path: Path, version: int) -> None:
    db = sqlite3.connect(path)
    try:
        db.execute(f"PRAGMA user_version = {version}")
        db.commit()
    finally:
        db.close()


def test_the_migrations_are_numbered_from_one_uniquely_in_order() -> None:
    # Gaps are allowed: each engineer numbers new migrations within a range of their own.
    numbers = [number for number, _ in migrations()]
    assert numbers[0] == 1 and numbers == sorted(set(numbers))
    assert numbers[-1] == newest_migration_on_disk()


def test_a_new_file_is_migrated_from_zero_to_the_newest_migration(
        db_path: Path, open_store: Callable[[], SqliteStore]) -> None:
    assert not db_path.exists()
    store = open_store()
    assert db_path.exists()
    assert store.schema_version == newest_migration_on_disk()
    assert user_version(db_path) == newest_migration_on_disk()
    assert set(snapshot(db_path)) == set(TABLES)
    assert store.load() is None
    assert store.count_tickets() == 0


@pytest.mark.parametrize("name, expected", [
    pytest.param("journal_mode", "wal", id="write-ahead-log"),
    pytest.param("synchronous", 2, id="synchronous-full"),
    pytest.param("foreign_keys", 1, id="foreign-keys-on"),
])
def test_the_store_opens_its_file_with_the_durability_pragmas(
        store: SqliteStore, name: str, expected: object) -> None:
    assert pragma(store, name) == expected


def test_the_file_stays_in_wal_mode_for_other_connections(store: SqliteStore,
                                                          db_path: Path) -> None:
    db = sqlite3.connect(db_path)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        db.close()


def test_reopening_keeps_the_data_and_does_not_run_the_migrations_again(
        engine: QueueEngine, db_path: Path, open_store: Callable[[], SqliteStore]) -> None:
    first = open_store()
    hall = Hall(engine, first, at("08:30"))
    hall.run("open_hall", now=at("08:50"))
    hall.run("issue_ticket", "enrollment", now=at("09:00"))
    first.close()
    before = snapshot(db_path)

    # A migration run again would fail on CREATE TABLE of a table that exists.
    second = open_store()
    assert second.schema_version == newest_migration_on_disk()
    assert snapshot(db_path) == before
    assert second.load() == hall.state


@pytest.mark.parametrize("already_migrated", [True, False], ids=["migrated-file", "empty-file"])
def test_a_file_from_a_newer_version_of_the_software_is_refused(
        db_path: Path, already_migrated: bool) -> None:
    if already_migrated:
        SqliteStore(db_path).close()
    else:
        db_path.parent.mkdir(parents=True)
    newer = newest_migration_on_disk() + 1
    set_user_version(db_path, newer)
    with pytest.raises(StoreError):
        SqliteStore(db_path)
    assert user_version(db_path) == newer


def test_the_store_creates_the_folder_of_its_file(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "hall.db"
    store = SqliteStore(path)
    try:
        assert path.exists()
    finally:
        store.close()


def test_next_boot_count_counts_every_start_across_reopening(
        open_store: Callable[[], SqliteStore]) -> None:
    first = open_store()
    assert [first.next_boot_count(), first.next_boot_count()] == [1, 2]
    first.close()
    second = open_store()
    assert second.next_boot_count() == 3


def table_names(path: Path) -> set[str]:
    db = sqlite3.connect(path)
    try:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        db.close()


def test_a_migration_numbered_below_the_files_newest_is_still_applied(
        db_path: Path, open_store: Callable[[], SqliteStore]) -> None:
    # Numbers come in ranges per line of work: a release may bring 0011 to a file at 0025.
    open_store().close()
    db = sqlite3.connect(db_path)
    db.executescript("DROP TABLE wait_predictions; DELETE FROM applied_migrations WHERE number = 10;")
    db.close()
    store = open_store()
    assert "wait_predictions" in table_names(db_path)
    assert store.schema_version == newest_migration_on_disk()


def test_a_file_from_before_migrations_were_tracked_gets_only_what_it_lacks(
        db_path: Path, open_store: Callable[[], SqliteStore]) -> None:
    # The release that knew only user_version: its migrations ran, nothing recorded them.
    db_path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(db_path)
    for number, sql in migrations():
        if number in MIGRATIONS_BEFORE_TRACKING:
            db.executescript(sql)
    db.execute(f"PRAGMA user_version = {max(MIGRATIONS_BEFORE_TRACKING)}")
    db.commit()
    db.close()
    store = open_store()  # a migration run again would fail on CREATE TABLE of a table that exists
    assert {"report_days", "cutoff_overrides"} <= table_names(db_path)
    assert store.schema_version == newest_migration_on_disk()
    applied = [row[0] for row in store.connection.execute("SELECT number FROM applied_migrations")]
    assert sorted(applied) == [number for number, _ in migrations()]
