"""The service-hall system for 医保 offices: the shared brain of every device."""
from __future__ import annotations

__version__ = "0.1.0"
