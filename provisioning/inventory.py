"""The hub's device inventory: who may connect, in which role, for which window."""
from __future__ import annotations

import enum
import json
import re
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path

from hall.protocol.topics import is_valid_id


class ProvisioningError(Exception):
    """A provisioning request cannot be done as asked (unknown device, bad role or window, ...)."""


@enum.unique
class DeviceRole(enum.StrEnum):
    KIOSK = "kiosk"
    COUNTER = "counter"
    WALL = "wall"
    CONSOLE = "console"


# Window-bound devices are named after their window: the controller checks counter-N acts on N.
_WINDOW_BOUND = re.compile(r"(counter|pad)-(\d+)")
_NUMBERED = {DeviceRole.KIOSK: "kiosk", DeviceRole.WALL: "wall", DeviceRole.CONSOLE: "console"}
# The controller reads a device's role from its id's first word (hall/controller/authority.py)
# and the broker from the inventory: the two must agree, so the id's first word is its role's.
_ROLE_PREFIXES = {DeviceRole.KIOSK: ("kiosk",), DeviceRole.WALL: ("wall",),
                  DeviceRole.CONSOLE: ("console",), DeviceRole.COUNTER: ("counter", "pad")}
RESERVED_IDS = frozenset({"controller", "provisioner", "bridge", "central", "manager", "device"})


@dataclass(frozen=True, slots=True)
class Device:
    device_id: str
    role: DeviceRole
    window: int
    enrolled_at: datetime
    # The Mosquitto password-file hash of its password; the password itself is only in its bundle.
    password_hash: str
    revoked_at: datetime | None = None
    # A rating pad whose password the site chose to put on its clerk's board (one board for both):
    # the clerk could then rate their own services, so `list` flags it (docs/security.md).
    on_counter_board: bool = False

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


@dataclass(frozen=True, slots=True)
class Inventory:
    hall_id: str
    devices: tuple[Device, ...] = ()

    def get(self, device_id: str) -> Device:
        for device in self.devices:
            if device.device_id == device_id:
                return device
        raise ProvisioningError(f"no device {device_id!r} in the inventory of hall {self.hall_id}")

    @property
    def active(self) -> tuple[Device, ...]:
        return tuple(d for d in self.devices if not d.is_revoked)

    def new_device_id(self, role: DeviceRole, window: int, requested: str = "") -> str:
        """The id a new device of this role gets: counter-N for window N, else the next free number."""
        taken = {d.device_id for d in self.active}
        if requested:
            device_id = requested
        elif role is DeviceRole.COUNTER:
            device_id = f"counter-{window}"
        else:
            prefix = _NUMBERED[role]
            n = 1
            while f"{prefix}-{n}" in {d.device_id for d in self.devices}:
                n += 1
            device_id = f"{prefix}-{n}"
        check_device_id(device_id, role, window)
        if device_id in taken:
            raise ProvisioningError(f"{device_id} is already enrolled; revoke it first")
        return device_id

    def with_device(self, device: Device) -> Inventory:
        others = tuple(d for d in self.devices if d.device_id != device.device_id)
        return replace(self, devices=(*others, device))

    def revoke(self, device_id: str, now: datetime) -> Inventory:
        device = self.get(device_id)
        if device.is_revoked:
            raise ProvisioningError(f"{device_id} is already revoked")
        return self.with_device(replace(device, revoked_at=now))


def check_device_id(device_id: str, role: DeviceRole, window: int) -> None:
    """Refuse an id that names a service, another role, or another window.

    A device's id is also its client id on the hall's broker: `controller-<hall>` or
    `provisioner-...` would knock that service off, and `kiosk-7` enrolled as a console would
    get a console's topics from the broker but a kiosk's permissions from the controller.
    """
    if not is_valid_id(device_id) or device_id in RESERVED_IDS:
        raise ProvisioningError(f"{device_id!r} cannot be a device id")
    prefix, _, rest = device_id.partition("-")
    if prefix not in _ROLE_PREFIXES[role] or not rest:
        names = " or ".join(f"{p}-..." for p in _ROLE_PREFIXES[role])
        raise ProvisioningError(f"a {role}'s id is {names}, not {device_id!r}: the first word of a "
                                "device id is its role (and never a service's name)")
    bound = _WINDOW_BOUND.fullmatch(device_id)
    if role is DeviceRole.COUNTER:
        if window < 1:
            raise ProvisioningError("a counter needs --window N (N >= 1)")
        if bound is None or int(bound.group(2)) != window:
            raise ProvisioningError(f"a counter of window {window} is counter-{window} or pad-{window}")


def is_pad(device_id: str) -> bool:
    bound = _WINDOW_BOUND.fullmatch(device_id)
    return bound is not None and bound.group(1) == "pad"


def load_inventory(path: Path) -> Inventory:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Inventory(hall_id=raw["hall_id"], devices=tuple(
            Device(device_id=d["device_id"], role=DeviceRole(d["role"]), window=int(d["window"]),
                   enrolled_at=datetime.fromisoformat(d["enrolled_at"]),
                   password_hash=d["password_hash"],
                   revoked_at=datetime.fromisoformat(d["revoked_at"]) if d.get("revoked_at") else None,
                   on_counter_board=bool(d.get("on_counter_board", False)))
            for d in raw["devices"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ProvisioningError(f"cannot read the inventory {path}: {exc}") from exc


def save_inventory(inventory: Inventory, path: Path) -> None:
    devices = []
    for device in sorted(inventory.devices, key=lambda d: d.device_id):
        raw = asdict(device)
        raw["enrolled_at"] = device.enrolled_at.isoformat()
        raw["revoked_at"] = device.revoked_at.isoformat() if device.revoked_at else None
        devices.append(raw)
    tmp = path.with_suffix(".tmp")
    tmp.touch(mode=0o600, exist_ok=True)
    tmp.write_text(json.dumps({"hall_id": inventory.hall_id, "devices": devices},
                              ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
