"""Client ids for the hub's own short-lived connections (approve, list, revoke, the guard, pairing)."""
from __future__ import annotations

import secrets


def unguessable_client_id(prefix: str) -> str:
    """A client id nobody can derive from what they read on the broker.

    All listeners of one Mosquitto share one client-id namespace, and a client that connects with
    a taken id drops the one that had it: an id derived from something public (the pairing request
    id is on the answer topic) would let an anonymous client drop `approve` or a waiting board.
    """
    return f"{prefix}-{secrets.token_hex(16)}"
