"""The hub's provisioning directory: CA, broker config, inventory, secrets; enroll and revoke."""
from __future__ import annotations

import getpass
import json
import logging
import os
import secrets
import shutil
import signal
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from broker_config.local_broker import TEMPLATES, password_line
from hall.config import MqttSettings
from hall.protocol.topics import is_valid_id
from provisioning.acl import (
    BRIDGE_USER,
    CONTROLLER_USER,
    PROVISIONER_USER,
    render_acl,
    render_pairing_acl,
    render_pairing_provisioner_acl,
)
from provisioning.bundle import DeviceBundle
from provisioning.ca import (
    KeyPair,
    broker_server_name,
    create_ca,
    fingerprint,
    issue_server_certificate,
    write_secret,
)
from provisioning.firewall import RULESET_FILE, render_ruleset
from provisioning.inventory import (
    Device,
    DeviceRole,
    Inventory,
    ProvisioningError,
    is_pad,
    load_inventory,
    save_inventory,
)

logger = logging.getLogger(__name__)

DEFAULT_HUB_DIR = Path("/var/lib/hall/hub")
LAN_PORT = 8883
LOCAL_PORT = 1883
PAIRING_PORT = 8884
# The pairing broker's loopback listener, for `hall provision approve`.
PAIRING_LOCAL_PORT = 18884
# The pairing broker's limits (broker_config/README.md). A sealed bundle answer is about 1 KiB.
PAIRING_MAX_PACKET_BYTES = 16 * 1024
PAIRING_MEMORY_LIMIT_BYTES = 16 * 1024 * 1024
# The LAN listener's slots: more than a /24 LAN's addresses can fill at the firewall's per-source
# limit (provisioning/firewall.py), so an attacker without an account cannot take them all.
LAN_MAX_CONNECTIONS = 2000
# Per client: what the broker queues for one that does not read, and keeps unacknowledged.
MAX_QUEUED_BYTES = 8 * 1024 * 1024
MAX_INFLIGHT_BYTES = 2 * 1024 * 1024
# The hall broker's whole heap (a hub board has 1-4 GiB).
BROKER_MEMORY_LIMIT_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class HubSettings:
    hall_id: str
    hostnames: tuple[str, ...]
    addresses: tuple[str, ...]
    lan_port: int = LAN_PORT
    local_port: int = LOCAL_PORT
    pairing_port: int = PAIRING_PORT
    # Empty: the LAN and pairing listeners listen on every interface.
    lan_address: str = ""
    # Added later: a hub.json without it gets the default.
    pairing_local_port: int = PAIRING_LOCAL_PORT
    lan_max_connections: int = LAN_MAX_CONNECTIONS

    @property
    def advertised_host(self) -> str:
        return (self.addresses or self.hostnames or ("127.0.0.1",))[0]


class Hub:
    """One hub's provisioning state on disk; every change rewrites the broker config and reloads it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    # -- layout ------------------------------------------------------------------------------
    @property
    def settings_file(self) -> Path:
        return self.root / "hub.json"

    @property
    def inventory_file(self) -> Path:
        return self.root / "inventory.json"

    @property
    def ca_cert(self) -> Path:
        return self.root / "ca" / "ca.crt"

    @property
    def ca_key(self) -> Path:
        return self.root / "ca" / "ca.key"

    @property
    def broker_dir(self) -> Path:
        return self.root / "broker"

    @property
    def broker_config(self) -> Path:
        return self.broker_dir / "mosquitto.conf"

    @property
    def bridge_config(self) -> Path:
        return self.broker_dir / "bridge.conf"

    @property
    def pid_file(self) -> Path:
        return self.broker_dir / "mosquitto.pid"

    @property
    def firewall_ruleset(self) -> Path:
        """The nftables rules of the LAN ports (provisioning/firewall.py), loaded by hall-firewall."""
        return self.broker_dir / RULESET_FILE

    @property
    def local_password_file(self) -> Path:
        """The service accounts (controller, provisioner, bridge): the loopback listener only."""
        return self.broker_dir / "local.passwords"

    @property
    def lan_password_file(self) -> Path:
        """The enrolled devices' accounts: the LAN listener only."""
        return self.broker_dir / "lan.passwords"

    @property
    def pairing_dir(self) -> Path:
        """The pairing broker's own config, accounts and pid file (a separate Mosquitto)."""
        return self.root / "pairing"

    @property
    def pairing_config(self) -> Path:
        return self.pairing_dir / "mosquitto.conf"

    @property
    def pairing_pid_file(self) -> Path:
        return self.pairing_dir / "mosquitto.pid"

    @property
    def secrets_dir(self) -> Path:
        return self.root / "secrets"

    @property
    def bundles_dir(self) -> Path:
        return self.root / "bundles"

    def secret_file(self, user: str) -> Path:
        return self.secrets_dir / f"{user}.secret"

    # -- creation ----------------------------------------------------------------------------
    @classmethod
    def init(cls, root: Path, settings: HubSettings, now: datetime) -> Hub:
        """A new hall: its CA, the broker's certificate, service accounts and an empty inventory."""
        if not is_valid_id(settings.hall_id):
            raise ProvisioningError(f"hall id {settings.hall_id!r} must be lowercase letters, digits and -")
        hub = cls(root)
        if hub.settings_file.exists():
            raise ProvisioningError(f"{root} already holds hall {hub.settings().hall_id}; "
                                    "restore a backup or choose another directory")
        root.mkdir(parents=True, exist_ok=True)
        root.chmod(0o700)
        ca = create_ca(settings.hall_id, now)
        ca.write(hub.ca_cert, hub.ca_key)
        hub._write_settings(settings)
        hub.issue_server_certificate(now)
        for user in (CONTROLLER_USER, PROVISIONER_USER):
            write_secret(hub.secret_file(user), (secrets.token_urlsafe(24) + "\n").encode())
        save_inventory(Inventory(settings.hall_id), hub.inventory_file)
        hub.write_broker_config()
        return hub

    def issue_server_certificate(self, now: datetime) -> None:
        settings = self.settings()
        ca = KeyPair(self.ca_cert.read_bytes(), self.ca_key.read_bytes())
        issue_server_certificate(ca, settings.hall_id, settings.hostnames, settings.addresses, now).write(
            self.broker_dir / "server.crt", self.broker_dir / "server.key")

    def _write_settings(self, settings: HubSettings) -> None:
        self.settings_file.write_text(json.dumps(asdict(settings), indent=2) + "\n", encoding="utf-8")

    # -- reading -----------------------------------------------------------------------------
    def settings(self) -> HubSettings:
        try:
            raw = json.loads(self.settings_file.read_text(encoding="utf-8"))
            return HubSettings(**{**raw, "hostnames": tuple(raw["hostnames"]),
                                  "addresses": tuple(raw["addresses"])})
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ProvisioningError(f"{self.root} is not an initialised hub ({exc}); "
                                    "run `hall provision init` first") from exc

    def inventory(self) -> Inventory:
        return load_inventory(self.inventory_file)

    @property
    def ca_fingerprint(self) -> str:
        return fingerprint(self.ca_cert.read_bytes())

    def secret(self, user: str) -> str:
        return self.secret_file(user).read_text(encoding="utf-8").strip()

    def local_settings(self, user: str) -> MqttSettings:
        """A service account on the hub's loopback listener (the controller, `hall provision`)."""
        settings = self.settings()
        return MqttSettings(host="127.0.0.1", port=settings.local_port, username=user,
                            password=self.secret(user))

    def pairing_local_settings(self) -> MqttSettings:
        """The provisioner on the pairing broker's loopback listener."""
        settings = self.settings()
        return MqttSettings(host="127.0.0.1", port=settings.pairing_local_port, username=PROVISIONER_USER,
                            password=self.secret(PROVISIONER_USER))

    # -- devices -----------------------------------------------------------------------------
    def enroll(self, role: DeviceRole, window: int, now: datetime, device_id: str = "", *,
               on_counter_board: bool = False) -> DeviceBundle:
        """Give a device its account, ACL entry and bundle (also written under bundles/<id>).

        A rating pad is a board of its own unless `on_counter_board`: the site's explicit choice to
        put its password on the clerk's board, recorded and shown by `list`.
        """
        self._check_owner()
        settings = self.settings()
        inventory = self.inventory()
        device_id = inventory.new_device_id(role, window if role is DeviceRole.COUNTER else 0, device_id)
        if on_counter_board and not is_pad(device_id):
            raise ProvisioningError("only a rating pad (pad-N) can be put on its counter's board")
        password = secrets.token_urlsafe(24)
        device = Device(device_id=device_id, role=role, window=window if role is DeviceRole.COUNTER else 0,
                        enrolled_at=now, password_hash=password_line(device_id, password).split(":", 1)[1],
                        on_counter_board=on_counter_board)
        save_inventory(inventory.with_device(device), self.inventory_file)
        self.write_broker_config()
        self.reload_broker()
        bundle = DeviceBundle(hall_id=settings.hall_id, device_id=device_id, role=role, window=device.window,
                              password=password, ca_pem=self.ca_cert.read_bytes(),
                              ca_fingerprint=self.ca_fingerprint,
                              server_name=broker_server_name(settings.hall_id),
                              host=settings.advertised_host, port=settings.lan_port)
        bundle.write(self.bundles_dir / device_id)
        return bundle

    def revoke(self, device_id: str, now: datetime) -> bool:
        """Remove the device's account, ACL entry and bundle; the running broker drops it at once.

        False if no running broker was signalled: the revoked password then works until it reloads.
        """
        self._check_owner()
        save_inventory(self.inventory().revoke(device_id, now), self.inventory_file)
        self.write_broker_config()
        # The bundle holds the device's password in plain text: it must not outlive the account
        # (nor end up in the next backup).
        if is_valid_id(device_id):
            shutil.rmtree(self.bundles_dir / device_id, ignore_errors=True)
        return self.reload_broker()

    # -- broker ------------------------------------------------------------------------------
    def write_broker_config(self) -> Path:
        self._check_owner()
        settings = self.settings()
        inventory = self.inventory()
        with_bridge = self.bridge_config.exists()
        # One password file per listener: the service accounts cannot log in on the LAN port, and
        # no device account on the loopback one.
        accounts = [CONTROLLER_USER, PROVISIONER_USER] + ([BRIDGE_USER] if with_bridge else [])
        service_lines = [password_line(user, self.secret(user)) for user in accounts]
        device_lines = [f"{d.device_id}:{d.password_hash}"
                        for d in sorted(inventory.active, key=lambda d: d.device_id)]
        write_secret(self.local_password_file, ("\n".join(service_lines) + "\n").encode())
        write_secret(self.lan_password_file, "".join(f"{line}\n" for line in device_lines).encode())
        (self.broker_dir / "passwords").unlink(missing_ok=True)  # the one shared file of before
        write_secret(self.broker_dir / "acl", render_acl(inventory, with_bridge=with_bridge).encode())
        (self.broker_dir / "pairing.acl").unlink(missing_ok=True)  # from before the pairing broker
        (self.broker_dir / "data").mkdir(exist_ok=True)
        bridge = self.bridge_config.read_text(encoding="utf-8") if with_bridge else ""
        text = (TEMPLATES / "hub.conf.template").read_text(encoding="utf-8").format(
            local_port=settings.local_port, lan_port=settings.lan_port,
            lan_max_connections=settings.lan_max_connections, max_queued_bytes=MAX_QUEUED_BYTES,
            max_inflight_bytes=MAX_INFLIGHT_BYTES, memory_limit=BROKER_MEMORY_LIMIT_BYTES,
            lan_address=f" {settings.lan_address}" if settings.lan_address else "",
            local_password_file=self.local_password_file, lan_password_file=self.lan_password_file,
            acl_file=self.broker_dir / "acl",
            ca_file=self.ca_cert,
            server_cert_file=self.broker_dir / "server.crt", server_key_file=self.broker_dir / "server.key",
            data_dir=self.broker_dir / "data", pid_file=self.pid_file,
            log_file=self.broker_dir / "mosquitto.log", run_as_user=getpass.getuser(), bridge=bridge)
        write_secret(self.broker_config, text.encode())
        self.firewall_ruleset.write_text(
            render_ruleset(settings.lan_port, settings.pairing_port, settings.lan_max_connections),
            encoding="utf-8")
        self.write_pairing_config()
        return self.broker_config

    def write_pairing_config(self) -> Path:
        """The pairing broker's config: a Mosquitto of its own, so it shares no client ids with the hall's."""
        self._check_owner()
        settings = self.settings()
        self.pairing_dir.mkdir(mode=0o700, exist_ok=True)
        write_secret(self.pairing_dir / "passwords",
                     (password_line(PROVISIONER_USER, self.secret(PROVISIONER_USER)) + "\n").encode())
        write_secret(self.pairing_dir / "provisioner.acl",
                     render_pairing_provisioner_acl(settings.hall_id).encode())
        write_secret(self.pairing_dir / "anonymous.acl", render_pairing_acl(settings.hall_id).encode())
        text = (TEMPLATES / "pairing.conf.template").read_text(encoding="utf-8").format(
            pairing_local_port=settings.pairing_local_port, pairing_port=settings.pairing_port,
            lan_address=f" {settings.lan_address}" if settings.lan_address else "",
            password_file=self.pairing_dir / "passwords",
            provisioner_acl_file=self.pairing_dir / "provisioner.acl",
            anonymous_acl_file=self.pairing_dir / "anonymous.acl",
            max_packet_size=PAIRING_MAX_PACKET_BYTES,
            memory_limit=PAIRING_MEMORY_LIMIT_BYTES, pid_file=self.pairing_pid_file,
            log_file=self.pairing_dir / "mosquitto.log", run_as_user=getpass.getuser())
        write_secret(self.pairing_config, text.encode())
        return self.pairing_config

    def _check_owner(self) -> None:
        # Files written by another account (root, say) are unreadable by the broker, which runs as
        # the hub's owner and would then fail at its next reload.
        owner = self.root.stat().st_uid
        if os.geteuid() != owner:
            raise ProvisioningError(f"{self.root} belongs to uid {owner}: run this as its owner "
                                    "(sudo -u hall hall provision ...)")

    def reload_broker(self) -> bool:
        """SIGHUP the hub's Mosquitto, if it runs: it rereads passwords and ACLs."""
        try:
            pid = int(self.pid_file.read_text(encoding="utf-8").strip())
            # A stale pid file may name another process by now: signal only a Mosquitto.
            if Path(f"/proc/{pid}/comm").read_text(encoding="utf-8").strip() != "mosquitto":
                raise ValueError(f"process {pid} is not mosquitto")
            os.kill(pid, signal.SIGHUP)
        except (OSError, ValueError):
            logger.info("no running broker for %s; the new config applies at its next start", self.root)
            return False
        return True
