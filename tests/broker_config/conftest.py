"""Fixtures of a hub broker rendered from the templates, as in tests/provisioning."""
from __future__ import annotations

from tests.provisioning.hub_support import hub, hub_broker, make_client

__all__ = ["hub", "hub_broker", "make_client"]
