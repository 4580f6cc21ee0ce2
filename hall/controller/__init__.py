"""The hall controller service."""
from __future__ import annotations

from hall.controller.hall_publisher import CONTROLLER_DEVICE_ID
from hall.controller.service import ControllerService

__all__ = ["CONTROLLER_DEVICE_ID", "ControllerService"]
