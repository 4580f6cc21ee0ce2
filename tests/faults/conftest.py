"""The fault suite: each test runs its own broker, so a flood or a restart disturbs no one."""
from __future__ import annotations
