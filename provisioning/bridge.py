"""The hub's uplink to a central cluster: a Mosquitto bridge rendered from broker_config's template."""
from __future__ import annotations

import secrets
from pathlib import Path

from broker_config.local_broker import TEMPLATES
from provisioning.acl import BRIDGE_USER
from provisioning.ca import write_secret
from provisioning.hub import Hub


def configure_bridge(hub: Hub, *, central_host: str, central_port: int, central_ca_file: Path,
                     remote_username: str, remote_password: str) -> Path:
    """Write the bridge section and its local account, then rewrite and reload the broker config."""
    hall_id = hub.settings().hall_id
    central_ca = hub.broker_dir / "central-ca.crt"
    central_ca.write_bytes(central_ca_file.read_bytes())
    if not hub.secret_file(BRIDGE_USER).exists():
        write_secret(hub.secret_file(BRIDGE_USER), (secrets.token_urlsafe(24) + "\n").encode())
    text = (TEMPLATES / "bridge.conf.template").read_text(encoding="utf-8").format(
        hall_id=hall_id, central_host=central_host, central_port=central_port,
        central_ca_file=central_ca, remote_username=remote_username, remote_password=remote_password,
        local_password=hub.secret(BRIDGE_USER))
    write_secret(hub.bridge_config, text.encode())
    hub.write_broker_config()
    return hub.bridge_config


def remove_bridge(hub: Hub) -> None:
    hub.bridge_config.unlink(missing_ok=True)
    hub.write_broker_config()
