"""`hall console`: run the console; `hall console user add|passwd|disable|enable|list`."""
from __future__ import annotations

import argparse
import getpass
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from console.accounts import Accounts
    from console.config import ConsoleConfig

EXIT_CONFIG = 4
EXIT_MISSING_PACKAGE = 5


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("console", help="the manager console web app and the phone rating page")
    p.add_argument("--config", type=Path, required=True, help="hall configuration (TOML)")
    p.add_argument("--listen", help="HOST:PORT to serve on (default: [console] listen)")
    p.set_defaults(handler=_run)
    actions = p.add_subparsers(metavar="ACTION")
    user = actions.add_parser("user", help="console accounts (managers, supervisors, IT)")
    users = user.add_subparsers(required=True, metavar="ACTION")
    add = users.add_parser("add", help="make an account; the password is asked twice")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=["manager", "supervisor", "it"])
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from standard input (scripts)")
    add.set_defaults(handler=_add)
    passwd = users.add_parser("passwd", help="set a new password (ends the user's sessions)")
    passwd.add_argument("username")
    passwd.add_argument("--password-stdin", action="store_true")
    passwd.set_defaults(handler=_passwd)
    for name, handler in (("disable", _disable), ("enable", _enable)):
        q = users.add_parser(name, help=f"{name} an account")
        q.add_argument("username")
        q.set_defaults(handler=handler)
    users.add_parser("list", help="accounts with role and state").set_defaults(handler=_list)


def _store(args: argparse.Namespace) -> tuple[ConsoleConfig, Accounts]:
    from console.accounts import Accounts
    from console.config import load_console_config
    from hall.store.console_store import ConsoleStore

    config = load_console_config(args.config)
    store = ConsoleStore(config.db_path)
    return config, Accounts(store, idle_timeout_s=config.idle_timeout_s,
                            failures_before_lock=config.login_failures_before_lock,
                            lock_s=config.login_lock_s)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise ValueError("the two passwords differ; nothing was changed")
    return first


def _run(args: argparse.Namespace) -> int:
    try:
        from console.server import run_console
    except ImportError as exc:
        print(f"hall console: {exc.name} is missing: .venv/bin/pip install -e '.[console]'",
              file=sys.stderr)
        return EXIT_MISSING_PACKAGE
    from console.config import load_console_config
    from hall.core.errors import ConfigError

    try:
        config = load_console_config(args.config)
        if args.listen:
            host, _, port = args.listen.rpartition(":")
            config = config.with_listen(host.strip("[]"), int(port))
        config.check_listen_rule()
    except (ConfigError, ValueError) as exc:
        print(f"hall console: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    return run_console(config)


def _account_action(args: argparse.Namespace, action: str) -> int:
    from console.accounts import AccountError
    from hall.core.errors import ConfigError

    try:
        config, accounts = _store(args)
    except ConfigError as exc:
        print(f"hall console: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    now = datetime.now(config.hall.timezone)
    try:
        if action == "add":
            accounts.add_user(args.username, args.role, _password(args), now)
            print(f"user {args.username} ({args.role}) added")
        elif action == "passwd":
            accounts.set_password(args.username, _password(args), now)
            print(f"password of {args.username} set; their sessions ended")
        elif action in ("disable", "enable"):
            accounts.set_disabled(args.username, action == "disable")
            print(f"user {args.username} {action}d")
        else:
            for user in accounts.store.users():
                state = "disabled" if user.disabled else "active"
                print(f"{user.username}  {user.role}  {state}  password set "
                      f"{user.password_set_at:%Y-%m-%d %H:%M}")
    except (AccountError, ValueError) as exc:
        print(f"hall console user: {exc}", file=sys.stderr)
        return 1
    finally:
        accounts.store.close()
    return 0


def _add(args: argparse.Namespace) -> int:
    return _account_action(args, "add")


def _passwd(args: argparse.Namespace) -> int:
    return _account_action(args, "passwd")


def _disable(args: argparse.Namespace) -> int:
    return _account_action(args, "disable")


def _enable(args: argparse.Namespace) -> int:
    return _account_action(args, "enable")


def _list(args: argparse.Namespace) -> int:
    return _account_action(args, "list")
