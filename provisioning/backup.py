"""Hub backup and restore in one archive: the hall database, the CA, the broker config, the inventory."""
from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from provisioning.inventory import ProvisioningError

MANIFEST = "hall-backup.json"
FORMAT = 1
# Mosquitto's own state is rebuilt by the controller at its next start (it republishes all state).
_SKIPPED = {"data", "mosquitto.pid", "mosquitto.log"}
_RUNTIME_DIRS = ("/broker/", "/pairing/")
# The database holds complainants' names, ID numbers and phones: owner only, in the archive too.
_DB_MODE = 0o600


def create_backup(hub_dir: Path, database: Path | None, archive: Path, now: datetime) -> Path:
    """Write `archive` (tar.gz, chmod 600): it holds the CA key and every secret, keep it safe."""
    if not (hub_dir / "hub.json").exists():
        raise ProvisioningError(f"{hub_dir} is not an initialised hub")
    archive.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(archive, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out, tarfile.open(fileobj=out, mode="w:gz") as tar:
        manifest = {"format": FORMAT, "created_at": now.isoformat(), "database": bool(database)}
        _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
        tar.add(hub_dir, arcname="hub", filter=_skip_runtime_files)
        if database is not None:
            with tempfile.TemporaryDirectory() as tmp:
                copy = Path(tmp) / "hall.db"
                _consistent_copy(database, copy)
                copy.chmod(_DB_MODE)
                tar.add(copy, arcname="hall.db")
    return archive


def restore_backup(archive: Path, hub_dir: Path, database: Path | None) -> dict[str, object]:
    """Put the hub (and the database, if asked) back from `archive`; refuses to overwrite a hub."""
    if (hub_dir / "hub.json").exists():
        raise ProvisioningError(f"{hub_dir} already holds a hub; move it away before restoring")
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive, mode="r:gz") as tar:
        _extract_safely(tar, Path(tmp))
        root = Path(tmp)
        try:
            manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ProvisioningError(f"{archive} is not a hall backup") from exc
        if manifest.get("format") != FORMAT:
            raise ProvisioningError(f"{archive} has backup format {manifest.get('format')}, not {FORMAT}")
        hub_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(root / "hub", hub_dir, dirs_exist_ok=True)
        hub_dir.chmod(0o700)
        if database is not None and (root / "hall.db").exists():
            if database.exists():
                raise ProvisioningError(f"{database} exists; move it away before restoring")
            database.parent.mkdir(parents=True, exist_ok=True)
            _restore_database(root / "hall.db", database)
    return dict(manifest)


def _restore_database(source: Path, database: Path) -> None:
    """Copy the database into a file created owner-only (never world-readable, not even briefly)."""
    fd = os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _DB_MODE)
    with os.fdopen(fd, "wb") as out, source.open("rb") as src:
        shutil.copyfileobj(src, out)
    database.chmod(_DB_MODE)
    for suffix in ("-wal", "-shm"):
        companion = database.with_name(database.name + suffix)
        if companion.exists():
            companion.chmod(_DB_MODE)


def _extract_safely(tar: tarfile.TarFile, destination: Path) -> None:
    # Python 3.11.2 (Raspberry Pi OS bookworm) may lack tarfile's extraction filters: check by hand.
    for member in tar.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise ProvisioningError(f"refusing an unsafe entry in a backup: {member.name}")
    tar.extractall(destination)


def _consistent_copy(database: Path, copy: Path) -> None:
    # SQLite's online backup copies a consistent snapshot even while the controller writes (WAL).
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    target = sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _skip_runtime_files(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
    runtime = any(d in f"/{info.name}" for d in _RUNTIME_DIRS)
    return None if Path(info.name).name in _SKIPPED and runtime else info


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o600
    tar.addfile(info, io.BytesIO(data))
