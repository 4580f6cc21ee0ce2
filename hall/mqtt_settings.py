"""How a device or the controller reaches the broker; light, so apps import it before their first paint."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MqttSettings:
    host: str = "127.0.0.1"
    port: int = 1883
    username: str = ""
    password: str = ""
    # A TLS listener's CA file; empty for the loopback listener on the hub itself. Only this CA
    # is trusted (a device's bundle pins its hall's CA), never the system's.
    ca_file: str = ""
    # The name checked in the broker's certificate when it differs from `host`: devices reach the
    # hub at whatever address discovery found, and the certificate names the broker, not the address.
    tls_server_name: str = ""
    # From a device bundle: browse for this hall's hub (zeroconf) and follow it if it moves,
    # accepting only a hub that advertises this CA fingerprint. Empty: stay at host:port.
    follow_hall_id: str = ""
    follow_ca_fingerprint: str = ""
