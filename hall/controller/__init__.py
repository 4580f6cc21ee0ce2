"""The hall controller service."""
from __future__ import annotations

from hall.controller.service import CONTROLLER_DEVICE_ID, ControllerService

__all__ = ["CONTROLLER_DEVICE_ID", "ControllerService"]
