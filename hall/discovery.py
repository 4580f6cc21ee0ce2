"""Zeroconf: the hub advertises its broker (`_secure-mqtt._tcp`), devices find and follow it."""
from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ifaddr
from zeroconf import (
    InterfaceChoice,
    IPVersion,
    ServiceBrowser,
    ServiceInfo,
    ServiceListener,
    Zeroconf,
)

logger = logging.getLogger(__name__)

SERVICE_TYPE = "_secure-mqtt._tcp.local."
# Bumped when what devices expect of the hub's topics or TXT records changes incompatibly.
PROTOCOL_VERSION = "1"
# A board's address changes (DHCP, a second network card) rarely; looking every few seconds is plenty.
INTERFACE_CHECK_S = 5.0
RESOLVE_TIMEOUT_MS = 3000

Interfaces = Sequence[str] | InterfaceChoice


@dataclass(frozen=True, slots=True)
class HubEndpoint:
    """One advertised hub broker, as a device sees it."""

    name: str
    hall_id: str
    host: str
    port: int
    ca_fingerprint: str
    protocol: str
    pairing_port: int = 0


def hub_properties(hall_id: str, ca_fingerprint: str, pairing_port: int) -> dict[str, str]:
    return {"hall_id": hall_id, "proto": PROTOCOL_VERSION, "ca": ca_fingerprint,
            "pairing_port": str(pairing_port)}


def endpoint_from(info: ServiceInfo) -> HubEndpoint | None:
    """The hub behind a resolved service, or None when its records are incomplete or foreign."""
    props = {k.decode(errors="replace"): (v or b"").decode(errors="replace")
             for k, v in info.properties.items()}
    addresses = info.parsed_addresses(IPVersion.V4Only) or info.parsed_addresses()
    if not addresses or not info.port or not props.get("hall_id") or not props.get("ca"):
        return None
    try:
        pairing_port = int(props.get("pairing_port", "0"))
    except ValueError:
        pairing_port = 0
    return HubEndpoint(name=info.name, hall_id=props["hall_id"], host=addresses[0], port=info.port,
                       ca_fingerprint=props["ca"].lower(), protocol=props.get("proto", ""),
                       pairing_port=pairing_port)


def current_addresses(interfaces: Interfaces) -> tuple[str, ...]:
    """The IPv4 addresses the hub has now on the chosen interfaces (loopback only if asked for)."""
    if isinstance(interfaces, InterfaceChoice):
        found = {str(ip.ip) for adapter in ifaddr.get_adapters() for ip in adapter.ips if ip.is_IPv4}
        return tuple(sorted(a for a in found if not a.startswith("127.")))
    return tuple(sorted(a for a in interfaces if ":" not in a))


class HubAdvertiser:
    """Advertises the hub until stopped; follows its addresses and interfaces as they change."""

    def __init__(self, hall_id: str, port: int, ca_fingerprint: str, *, pairing_port: int = 0,
                 interfaces: Interfaces = InterfaceChoice.All, instance: str = "",
                 check_interval_s: float = INTERFACE_CHECK_S) -> None:
        self.hall_id = hall_id
        self.port = port
        self._properties = hub_properties(hall_id, ca_fingerprint, pairing_port)
        self._interfaces = interfaces
        self._instance = instance or f"hall-{hall_id}"
        self._check_interval_s = check_interval_s
        self._zeroconf: Zeroconf | None = None
        self._info: ServiceInfo | None = None
        self._addresses: tuple[str, ...] = ()
        self._stop = threading.Event()
        self._watch: threading.Thread | None = None

    @property
    def name(self) -> str:
        """The registered instance name; another hub with the same name makes ours `name (2)`."""
        return self._info.name if self._info else ""

    def start(self) -> None:
        self._register(current_addresses(self._interfaces))
        self._watch = threading.Thread(target=self._follow_interfaces, name="hub-advertiser", daemon=True)
        self._watch.start()

    def stop(self) -> None:
        self._stop.set()
        if self._watch is not None:
            self._watch.join()
        self._unregister()

    def move_to(self, addresses: tuple[str, ...]) -> None:
        """Advertise other addresses (tests, or a hub whose addresses are configured by hand)."""
        if self._zeroconf is None or self._info is None:
            return
        self._addresses = addresses
        self._info = self._service_info(addresses, self._info.name)
        self._zeroconf.update_service(self._info)
        logger.info("advertising hub %s at %s", self.hall_id, ", ".join(addresses))

    def _service_info(self, addresses: tuple[str, ...], name: str) -> ServiceInfo:
        return ServiceInfo(SERVICE_TYPE, name, port=self.port, properties=self._properties,
                           addresses=[socket.inet_aton(a) for a in addresses],
                           server=f"hall-{self.hall_id}-hub.local.")

    def _register(self, addresses: tuple[str, ...]) -> None:
        self._addresses = addresses
        self._zeroconf = Zeroconf(interfaces=self._interfaces, ip_version=IPVersion.V4Only)
        self._info = self._service_info(addresses, f"{self._instance}.{SERVICE_TYPE}")
        self._zeroconf.register_service(self._info, allow_name_change=True)
        logger.info("advertising hub %s as %r at %s", self.hall_id, self._info.name, ", ".join(addresses))

    def _unregister(self) -> None:
        if self._zeroconf is None:
            return
        try:
            if self._info is not None:
                self._zeroconf.unregister_service(self._info)
        finally:
            self._zeroconf.close()
            self._zeroconf = None

    def _follow_interfaces(self) -> None:
        while not self._stop.wait(self._check_interval_s):
            now = current_addresses(self._interfaces)
            if now == self._addresses:
                continue
            # Zeroconf joins the multicast group per interface when it starts, so an interface
            # that appeared since is only served by a new instance.
            logger.info("hub addresses changed from %s to %s; advertising again", self._addresses, now)
            try:
                self._unregister()
                self._register(now)
            except OSError:
                logger.exception("cannot advertise the hub on %s; trying again", now)


class _Listener(ServiceListener):
    def __init__(self, browser: HubBrowser) -> None:
        self._browser = browser

    def add_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        self._browser._resolve(zc, type_, name)

    def update_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        self._browser._resolve(zc, type_, name)

    def remove_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        logger.info("hub %s is no longer advertised", name)


class HubBrowser:
    """Finds the hub of a hall whose CA fingerprint matches the pinned one; reports every move."""

    def __init__(self, on_hub: Callable[[HubEndpoint], None] | None = None, *, hall_id: str = "",
                 ca_fingerprint: str = "", interfaces: Interfaces = InterfaceChoice.All) -> None:
        self._on_hub = on_hub
        self._hall_id = hall_id
        self._ca_fingerprint = ca_fingerprint.lower()
        self._interfaces = interfaces
        self._zeroconf: Zeroconf | None = None
        self._browser: ServiceBrowser | None = None
        self._latest: HubEndpoint | None = None
        self._found = threading.Condition()

    def start(self) -> None:
        self._zeroconf = Zeroconf(interfaces=self._interfaces, ip_version=IPVersion.V4Only)
        self._browser = ServiceBrowser(self._zeroconf, SERVICE_TYPE, _Listener(self))

    def stop(self) -> None:
        try:
            if self._browser is not None:
                self._browser.cancel()
        finally:
            if self._zeroconf is not None:
                self._zeroconf.close()
            self._zeroconf = self._browser = None

    def wait_for_hub(self, timeout_s: float, *, other_than: HubEndpoint | None = None) -> HubEndpoint | None:
        with self._found:
            self._found.wait_for(lambda: self._latest is not None and self._latest != other_than,
                                 timeout=timeout_s)
            return self._latest if self._latest != other_than else None

    def is_acceptable(self, hub: HubEndpoint) -> bool:
        if hub.protocol != PROTOCOL_VERSION:
            return False
        if self._hall_id and hub.hall_id != self._hall_id:
            return False
        return not self._ca_fingerprint or hub.ca_fingerprint == self._ca_fingerprint

    def _resolve(self, zc: Zeroconf, type_: str, name: str) -> None:
        info = zc.get_service_info(type_, name, timeout=RESOLVE_TIMEOUT_MS)
        hub = endpoint_from(info) if info is not None else None
        if hub is None:
            return
        if not self.is_acceptable(hub):
            logger.warning("ignoring hub %s of hall %s: not the pinned hall or CA", name, hub.hall_id)
            return
        with self._found:
            changed = hub != self._latest
            self._latest = hub
            self._found.notify_all()
        if changed and self._on_hub is not None:
            try:
                self._on_hub(hub)
            except Exception:
                logger.exception("handler of hub %s failed", name)
