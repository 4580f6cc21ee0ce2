"""`hall appointments import`: load the day's bookings (预约) so kiosks can check them in."""
from __future__ import annotations

import argparse
import csv
import sys
from datetime import date, datetime, time, tzinfo
from pathlib import Path

from hall.config import load_config
from hall.core.appointments import Appointment
from hall.core.errors import ConfigError, HallError
from hall.store import SqliteStore

COLUMNS = ("code", "business", "date", "start", "end")
# Optional: the phone the booking was made with; only its last four digits are kept, and the
# kiosk asks for them at check-in (a second factor against guessed codes).
PHONE_COLUMN = "phone"


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("appointments", help="import bookings for check-in at the kiosk")
    actions = p.add_subparsers(required=True, metavar="ACTION")
    load = actions.add_parser("import", help=f"import a CSV with columns {', '.join(COLUMNS)} "
                                                       f"(and optionally {PHONE_COLUMN})")
    load.add_argument("file", type=Path)
    load.add_argument("--config", type=Path, required=True, help="the hall configuration")
    load.set_defaults(handler=_import)


def read_appointments(path: Path, businesses: set[str], tz: tzinfo) -> list[Appointment]:
    """Every row, checked; a bad row stops the import with its line number."""
    found = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = set(COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise HallError(f"{path}: missing columns {sorted(missing)}")
        for line, row in enumerate(reader, start=2):
            try:
                day = date.fromisoformat(row["date"].strip())
                start = datetime.combine(day, time.fromisoformat(row["start"].strip()), tzinfo=tz)
                end = datetime.combine(day, time.fromisoformat(row["end"].strip()), tzinfo=tz)
            except ValueError as exc:
                raise HallError(f"{path}:{line}: {exc}") from None
            business = row["business"].strip()
            if business not in businesses:
                raise HallError(f"{path}:{line}: unknown business {business!r}")
            if end <= start or not row["code"].strip():
                raise HallError(f"{path}:{line}: needs a code and an end after the start")
            digits = "".join(c for c in (row.get(PHONE_COLUMN) or "") if c.isdigit())
            if digits and len(digits) < 4:
                raise HallError(f"{path}:{line}: a phone needs at least four digits")
            found.append(Appointment(row["code"].strip(), business, start, end,
                                     phone_last4=digits[-4:]))
    return found


def _import(args: argparse.Namespace) -> int:
    try:
        config = load_config(args.config)
        appointments = read_appointments(args.file, {b.code for b in config.catalogue.businesses},
                                         config.timezone)
    except (ConfigError, HallError, OSError) as exc:
        print(f"hall appointments: {exc}", file=sys.stderr)
        return 4
    store = SqliteStore(config.store_path)
    try:
        store.add_appointments(appointments)
    finally:
        store.close()
    print(f"imported {len(appointments)} appointments into {config.store_path}")
    return 0
