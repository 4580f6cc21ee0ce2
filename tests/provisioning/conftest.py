"""Fixtures of a hub broker rendered from the templates, shared with tests/broker_config."""
from __future__ import annotations

from tests.provisioning.hub_support import hub, hub_broker, make_client, pairing_broker

__all__ = ["hub", "hub_broker", "make_client", "pairing_broker"]
