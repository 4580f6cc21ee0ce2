"""`hall provision list`: the inventory beside what each device last said of itself (presence)."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime

from hall.bus import MqttBus
from hall.config import MqttSettings
from hall.protocol import MessageDecodeError, Topics, decode
from hall.protocol import messages as m
from hall.terminal_text import for_terminal
from provisioning.inventory import Device, Inventory

# Retained presences follow the subscription's ack at once; this much silence means all are in.
QUIET_S = 0.3
CONNECT_TIMEOUT_S = 5.0
# What a device says of itself is shown, bounded: a version string and a one-line detail.
VERSION_LIMIT = 40
DETAIL_LIMIT = 120


@dataclass(frozen=True, slots=True)
class DeviceRow:
    device_id: str
    role: str
    window: int
    status: str
    last_seen: datetime | None
    app_version: str
    detail: str


def device_rows(inventory: Inventory, presences: dict[str, m.Presence]) -> list[DeviceRow]:
    """One row per enrolled device (revoked ones say so), in device id order.

    `presences` is keyed by the device id of the topic each came on (the broker lets a device write
    only its own); the text a device sent is made safe to print.
    """
    rows = []
    for device in sorted(inventory.devices, key=lambda d: d.device_id):
        presence = presences.get(device.device_id)
        if device.is_revoked:
            status = "revoked"
        elif presence is None:
            status = "never seen"
        else:
            status = str(presence.status)
        rows.append(DeviceRow(device.device_id, str(device.role), device.window, status,
                              presence.at if presence else None,
                              for_terminal(presence.app_version, VERSION_LIMIT) if presence else "",
                              _board_note(device) + (for_terminal(presence.detail, DETAIL_LIMIT)
                                                     if presence else "")))
    return rows


def _board_note(device: Device) -> str:
    if not device.on_counter_board:
        return ""
    return f"[on counter-{device.window}'s board: the clerk can rate] "


def format_rows(rows: list[DeviceRow]) -> str:
    # A presence is stamped when the device (re)connects or stops in order; a last will carries
    # the stamp of its connection, so this is when the device last said something of itself.
    header = ("DEVICE", "ROLE", "WINDOW", "STATUS", "PRESENCE AT (UTC)", "VERSION", "DETAIL")
    table = [header] + [(r.device_id, r.role, str(r.window or ""), r.status,
                         r.last_seen.strftime("%Y-%m-%d %H:%M:%S") if r.last_seen else "",
                         r.app_version, r.detail) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                     for row in table)


def fetch_presences(settings: MqttSettings, hall_id: str, client_id: str) -> dict[str, m.Presence]:
    """Every device's retained presence, keyed by the device of its topic, not the id it claims."""
    topics = Topics(hall_id)
    found: dict[str, m.Presence] = {}
    changed = threading.Condition()
    last_at = [time.monotonic()]

    def receive(topic: str, payload: bytes) -> None:
        try:
            message = decode(topic, payload)
            sender = topics.parse(topic).device_id
        except MessageDecodeError:
            return
        if isinstance(message, m.Presence) and sender:
            with changed:
                found[sender] = message
                last_at[0] = time.monotonic()
                changed.notify_all()

    bus = MqttBus(client_id, settings, on_message=receive, subscriptions=((topics.all_presence, 1),))
    bus.start()
    try:
        if not (bus.wait_connected(CONNECT_TIMEOUT_S) and bus.wait_subscribed(CONNECT_TIMEOUT_S)):
            raise ConnectionError(f"cannot reach the hub's broker at {settings.host}:{settings.port}")
        last_at[0] = time.monotonic()
        with changed:
            while (idle_s := time.monotonic() - last_at[0]) < QUIET_S:
                changed.wait(QUIET_S - idle_s)
        return dict(found)
    finally:
        bus.stop()
