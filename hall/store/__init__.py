"""Durable storage of the hall's state in SQLite."""
from __future__ import annotations

from hall.store.sqlite_store import SqliteStore, StoreError

__all__ = ["SqliteStore", "StoreError"]
