"""`hall staff pin|list|unlock`: clerks' sign-in PINs, set by the hall manager on the hub."""
from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from hall.config import load_config
from hall.core.catalogue import Catalogue
from hall.core.errors import ConfigError, HallError
from hall.core.staff_auth import check_pin_strength, hash_pin, random_pin, staff_key, window_key
from hall.store import SqliteStore


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("staff", help="clerks' sign-in PINs (set, list, unlock)")
    actions = p.add_subparsers(required=True, metavar="ACTION")
    pin = actions.add_parser("pin", help="set a clerk's PIN (asked twice, or --random)")
    pin.add_argument("staff_id", nargs="+", help="工号, or several with --random")
    pin.add_argument("--config", type=Path, required=True, help="the hall configuration")
    pin.add_argument("--random", action="store_true",
                     help="make a random 6-digit PIN for each and print it once")
    pin.set_defaults(handler=_set_pin)
    listing = actions.add_parser("list", help="the staff directory and who has a PIN")
    listing.add_argument("--config", type=Path, required=True)
    listing.set_defaults(handler=_list)
    unlock = actions.add_parser("unlock", help="lift a sign-in lock after wrong PINs")
    unlock.add_argument("staff_id", help="工号")
    unlock.add_argument("--window", type=int, action="append", default=[],
                        help="also unlock this window's terminal (repeatable)")
    unlock.add_argument("--config", type=Path, required=True)
    unlock.set_defaults(handler=_unlock)


def assign_random_pins(store_path: Path, catalogue: Catalogue, staff_ids: Iterable[str],
                       now: datetime) -> dict[str, str]:
    """New random PINs, stored hashed; the plain PINs are returned once, to be handed out."""
    pins = {}
    store = SqliteStore(store_path)
    try:
        for staff_id in staff_ids:
            catalogue.staff_member(staff_id)
            pins[staff_id] = random_pin()
            store.set_pin_hash(staff_id, hash_pin(pins[staff_id]), now)
            store.clear_sign_in_attempts(_staff_keys(catalogue, staff_id))
    finally:
        store.close()
    return pins


def _staff_keys(catalogue: Catalogue, staff_id: str) -> list[str]:
    """The clerk's wrong-PIN counts at every window."""
    return [staff_key(staff_id, window.number) for window in catalogue.windows]


def _set_pin(args: argparse.Namespace) -> int:
    try:
        config = load_config(args.config)
        for staff_id in args.staff_id:
            config.catalogue.staff_member(staff_id)
        now = datetime.now(config.timezone)
        if args.random:
            pins = assign_random_pins(config.store_path, config.catalogue, args.staff_id, now)
            for staff_id, pin in pins.items():
                print(f"{staff_id} {config.catalogue.staff_member(staff_id).name}: {pin}")
            return 0
        if len(args.staff_id) != 1:
            raise HallError("give one 工号 at a time, or use --random for several")
        pin = getpass.getpass(f"PIN for {args.staff_id[0]}: ")
        check_pin_strength(pin)
        if getpass.getpass("again: ") != pin:
            raise HallError("the two PINs differ; nothing was changed")
    except (ConfigError, HallError) as exc:
        print(f"hall staff: {exc}", file=sys.stderr)
        return 4
    store = SqliteStore(config.store_path)
    try:
        store.set_pin_hash(args.staff_id[0], hash_pin(pin), now)
        store.clear_sign_in_attempts(_staff_keys(config.catalogue, args.staff_id[0]))
    finally:
        store.close()
    print(f"PIN of {args.staff_id[0]} set; any sign-in lock on this 工号 is lifted")
    return 0


def _list(args: argparse.Namespace) -> int:
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"hall staff: {exc}", file=sys.stderr)
        return 4
    store = SqliteStore(config.store_path)
    try:
        with_pins = store.staff_with_pins()
    finally:
        store.close()
    for member in config.catalogue.staff:
        state = "PIN set" if member.staff_id in with_pins else "no PIN: cannot sign in"
        print(f"{member.staff_id}  {member.name}  {state}")
    return 0


def _unlock(args: argparse.Namespace) -> int:
    try:
        config = load_config(args.config)
        config.catalogue.staff_member(args.staff_id)
    except (ConfigError, HallError) as exc:
        print(f"hall staff: {exc}", file=sys.stderr)
        return 4
    store = SqliteStore(config.store_path)
    try:
        store.clear_sign_in_attempts([*_staff_keys(config.catalogue, args.staff_id),
                                      *(window_key(w) for w in args.window)])
    finally:
        store.close()
    print(f"sign-in of {args.staff_id} unlocked")
    return 0
