"""`hall notice push|list|retract`: a hall manager's notices from the command line."""
from __future__ import annotations

import argparse
import sys
import threading
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from hall.config import MqttSettings
from hall.device_client import DeviceClient, RequestTimeout
from hall.protocol import messages as m
from hall.terminal_text import for_terminal

CONNECT_TIMEOUT_S = 10.0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("notice", help="push, list or retract notices on the walls (managers)")
    actions = p.add_subparsers(required=True, metavar="ACTION")
    push = actions.add_parser("push", help="publish a notice")
    push.add_argument("--text-zh", required=True)
    push.add_argument("--text-en", default="")
    push.add_argument("--urgent", action="store_true", help="take the walls' banner")
    push.add_argument("--start", help="when to show it: HH:MM today or an ISO time")
    push.add_argument("--expires", help="when to take it down: HH:MM today or an ISO time")
    push.set_defaults(handler=_push)
    listing = actions.add_parser("list", help="show the notices in force")
    listing.set_defaults(handler=_list)
    retract = actions.add_parser("retract", help="take a notice down")
    retract.add_argument("notice_id")
    retract.set_defaults(handler=_retract)
    for action in (push, listing, retract):
        action.add_argument("--hall-id", required=True)
        action.add_argument("--host", default="127.0.0.1")
        action.add_argument("--port", type=int, default=1883)
        action.add_argument("--user", default="manager")
        action.add_argument("--password-file", type=Path, required=True)
        action.add_argument("--device-id", default="console-cli")
        action.add_argument("--timezone", default="Asia/Shanghai")


def parse_when(text: str | None, tz: ZoneInfo, now: datetime) -> datetime | None:
    """`HH:MM` means today in the hall's time zone; otherwise an ISO 8601 time."""
    if not text:
        return None
    if len(text) <= 5 and ":" in text:
        return datetime.combine(now.date(), time.fromisoformat(text), tzinfo=tz)
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _client(args: argparse.Namespace, subscriptions: tuple[str, ...] = (),
            on_message: object = None) -> DeviceClient:
    password = args.password_file.read_text(encoding="utf-8").strip()
    client = DeviceClient(MqttSettings(host=args.host, port=args.port, username=args.user,
                                       password=password),
                          args.hall_id, args.device_id, m.Role.CONSOLE,
                          subscriptions=subscriptions, on_message=on_message)  # type: ignore[arg-type]
    client.start()
    if not client.wait_connected(CONNECT_TIMEOUT_S):
        client.stop()
        raise RequestTimeout(f"cannot reach the hall's broker at {args.host}:{args.port}")
    return client


def _answered(answer: m.Answer) -> int:
    if isinstance(answer, m.Rejected):
        print(f"refused: {answer.code}: {for_terminal(answer.message)}", file=sys.stderr)
        return 1
    return 0


def _push(args: argparse.Namespace) -> int:
    tz = ZoneInfo(args.timezone)
    now = datetime.now(tz)
    try:
        starts, expires = parse_when(args.start, tz, now), parse_when(args.expires, tz, now)
    except ValueError as exc:
        print(f"hall notice: {exc}", file=sys.stderr)
        return 2
    client = _client(args)
    try:
        answer = client.request(m.PushNotice, text_zh=args.text_zh, text_en=args.text_en,
                                urgent=args.urgent, starts_at=starts, expires_at=expires)
    finally:
        client.stop()
    if isinstance(answer, m.Accepted):
        print(f"notice {answer.notice_id} published")
    return _answered(answer)


def _retract(args: argparse.Namespace) -> int:
    client = _client(args)
    try:
        answer = client.request(m.RetractNotice, notice_id=args.notice_id)
    finally:
        client.stop()
    if isinstance(answer, m.Accepted):
        print(f"notice {args.notice_id} retracted")
    return _answered(answer)


def _list(args: argparse.Namespace) -> int:
    got = threading.Event()
    board: list[m.Notices] = []

    def receive(topic: str, message: m.Message) -> None:
        if isinstance(message, m.Notices):
            board.append(message)
            got.set()

    client = _client(args, (f"hall/{args.hall_id}/state/notices",), receive)
    try:
        if not got.wait(CONNECT_TIMEOUT_S):
            print("no notice list from the controller (is it running?)", file=sys.stderr)
            return 1
    finally:
        client.stop()
    notices = board[-1].notices
    if not notices:
        print("no notices in force")
    for n in notices:
        when = f"{n.starts_at:%m-%d %H:%M}" if n.starts_at else "now"
        until = f"{n.expires_at:%m-%d %H:%M}" if n.expires_at else "until retracted"
        # A notice's text is a manager's (a console's) text: printed, never interpreted.
        print(f"{for_terminal(n.notice_id)}  {'URGENT ' if n.urgent else ''}{when} → {until}  "
              f"{for_terminal(n.text_zh, 500)}")
    return 0
