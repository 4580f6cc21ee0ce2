"""The citizen kiosk: tickets, 绿色通道, appointment check-in by camera, guides, hall status,
好差评 and complaints, built for a citizen of 75 (large text, voice, idle reset)."""
from __future__ import annotations

from kiosk.screen_state import KioskState, Purpose, Screen

__all__ = ["KioskState", "Purpose", "Screen"]
