"""The hub's device inventory, read for the devices page: enrolled boards that never reported."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

logger = logging.getLogger(__name__)

INVENTORY_FILE = "inventory.json"


@dataclass(frozen=True, slots=True)
class EnrolledDevice:
    device_id: str
    role: str
    window: int
    enrolled_at: datetime


class EnrolledDevices:
    """Active devices of `hub_dir`'s inventory, read again whenever the file changes."""

    def __init__(self, hub_dir: Path | None) -> None:
        self._path = hub_dir / INVENTORY_FILE if hub_dir else None
        self._mtime = 0.0
        self._devices: tuple[EnrolledDevice, ...] = ()

    def devices(self) -> tuple[EnrolledDevice, ...]:
        if self._path is None:
            return ()
        try:
            mtime = self._path.stat().st_mtime
        except OSError:
            return ()
        if mtime != self._mtime:
            from provisioning.inventory import ProvisioningError, load_inventory

            try:
                inventory = load_inventory(self._path)
            except ProvisioningError as exc:
                logger.warning("devices page without the inventory: %s", exc)
                return self._devices
            self._devices = tuple(
                EnrolledDevice(d.device_id, str(d.role), d.window, d.enrolled_at)
                for d in inventory.devices if not d.is_revoked)
            self._mtime = mtime
        return self._devices
