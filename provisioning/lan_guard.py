"""The hub's LAN guard: counts the LAN listener's connections and tells managers when they near the limit.

Mosquitto's $SYS counts only clients that logged in; connections that never do (the way to lock
boards out) show only in the kernel's socket table, so that is what is read here.
"""
from __future__ import annotations

import ipaddress
import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from hall.bus import MqttBus
from hall.config import MqttSettings
from hall.protocol import Topics, encode
from hall.protocol import messages as m

logger = logging.getLogger(__name__)

PROC_NET = Path("/proc/net")
_ESTABLISHED = "01"
# Managers hear of it while a fifth of the slots is still free: enough to act before boards fail.
ALERT_AT_FRACTION = 0.8
CHECK_EVERY_S = 10.0
# While the load stays high the alert is repeated this often, not at every check.
REPEAT_ALERT_S = 300.0
ALERT_KIND = "lan_connections"
TOP_SOURCES = 3


@dataclass(frozen=True, slots=True)
class LanLoad:
    connected: int
    limit: int
    # The addresses holding the most connections, most first: where an attack comes from.
    top_sources: tuple[tuple[str, int], ...]

    @property
    def is_near_limit(self) -> bool:
        return self.connected >= self.limit * ALERT_AT_FRACTION


def _address(hex_address: str) -> str:
    raw = bytes.fromhex(hex_address)
    if len(raw) == 4:
        return str(ipaddress.IPv4Address(raw[::-1]))
    # /proc/net/tcp6 writes each 32-bit word of the address in host (little-endian) order.
    words = b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))
    address = ipaddress.IPv6Address(words)
    return str(address.ipv4_mapped or address)


def lan_connections(tables: Iterable[str], port: int) -> Counter[str]:
    """Established TCP connections to local `port`, per remote address, from /proc/net/tcp{,6} text."""
    sources: Counter[str] = Counter()
    for table in tables:
        for line in table.splitlines()[1:]:
            fields = line.split()
            if len(fields) < 4 or fields[3] != _ESTABLISHED:
                continue
            local, remote = fields[1], fields[2]
            if int(local.rsplit(":", 1)[1], 16) == port:
                sources[_address(remote.rsplit(":", 1)[0])] += 1
    return sources


def read_lan_load(port: int, limit: int, proc_net: Path = PROC_NET) -> LanLoad:
    tables = [(proc_net / name).read_text(encoding="ascii")
              for name in ("tcp", "tcp6") if (proc_net / name).exists()]
    sources = lan_connections(tables, port)
    return LanLoad(sum(sources.values()), limit, tuple(sources.most_common(TOP_SOURCES)))


def alert_for(load: LanLoad, now: datetime) -> m.HallAlert:
    top = "，".join(f"{address}（{count} 个）" for address, count in load.top_sources)
    return m.HallAlert(alert=ALERT_KIND, at=now, message_zh=(
        f"大厅网络的设备连接数已达 {load.connected}/{load.limit}，接近上限：可能有人占用连接，"
        f"设备重启后将无法连上。请通知信息技术人员检查。连接最多的地址：{top}"))


class LanGuard:
    """Checks the LAN listener's load every `check_every_s`; publishes a HallAlert near the limit."""

    def __init__(self, settings: MqttSettings, hall_id: str, client_id: str, port: int, limit: int,
                 clock: Callable[[], datetime], *, proc_net: Path = PROC_NET) -> None:
        self._topics = Topics(hall_id)
        self._port, self._limit, self._clock, self._proc_net = port, limit, clock, proc_net
        self._last_alert_at: datetime | None = None
        self.bus = MqttBus(client_id, settings, on_message=lambda topic, payload: None)

    def check(self) -> LanLoad:
        """One look at the socket table; alert if near the limit and not alerted lately."""
        load = read_lan_load(self._port, self._limit, self._proc_net)
        now = self._clock()
        if not load.is_near_limit:
            if self._last_alert_at is not None:
                logger.info("LAN connections back to %d of %d", load.connected, load.limit)
            self._last_alert_at = None
            return load
        if self._last_alert_at is None or (now - self._last_alert_at).total_seconds() >= REPEAT_ALERT_S:
            logger.warning("LAN connections %d of %d; most from %s", load.connected, load.limit,
                           load.top_sources)
            if self.bus.publish(self._topics.alert, encode(alert_for(load, now)), qos=1):
                self._last_alert_at = now
        return load

    def run(self, stop: threading.Event, on_round: Callable[[], object] = lambda: None,
            check_every_s: float = CHECK_EVERY_S) -> None:
        self.bus.start()
        try:
            while True:
                self.check()
                on_round()
                if stop.wait(check_every_s):
                    return
        finally:
            self.bus.stop()
