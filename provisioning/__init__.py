"""Device enrollment, credentials, certificates, systemd units and inventory for IT staff."""
from __future__ import annotations

from provisioning.bundle import DeviceBundle, load_bundle
from provisioning.hub import Hub, HubSettings
from provisioning.inventory import Device, DeviceRole, Inventory, ProvisioningError
from provisioning.pairing import PairingError, PairingKey

__all__ = ["Device", "DeviceBundle", "DeviceRole", "Hub", "HubSettings", "Inventory", "PairingError",
           "PairingKey", "ProvisioningError", "load_bundle"]
