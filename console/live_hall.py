"""What the console knows live: the controller's retained state, devices' presence and alerts.

Fed by MQTT on paho's thread; read by the web's handlers; every change wakes the SSE streams.
Alerts are kept in the console's own file until a manager acknowledges them, so a restart (kill -9
included) shows them again; the console's MQTT session is persistent, so the broker keeps the
alerts raised while it was down. Each alert has a stable id: a redelivery or the same alert
raised again after a restart is recognised and shown once.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, TypeVar

from hall.config import MqttSettings
from hall.device_client import DeviceClient
from hall.protocol import TopicKind, Topics
from hall.protocol import messages as m
from hall.protocol.errors import MessageDecodeError
from hall.store.console_store import ConsoleStore, StoredAlert

logger = logging.getLogger(__name__)

IntentT = TypeVar("IntentT", bound=m.Intent)
MAX_ALERTS = 200
# How often the watcher looks at the broker connection and at devices away too long.
WATCH_EVERY_S = 0.5
CONTROLLER_ID = "controller"


@dataclass(frozen=True, slots=True)
class DeviceHealth:
    presence: m.Presence
    # When the console saw it enter its current status (or the presence's own time, if older).
    since: datetime
    last_seen: datetime


@dataclass(frozen=True, slots=True)
class HallAlertItem:
    alert_id: str
    kind: str
    at: datetime
    message_zh: str
    source: str = ""
    acknowledged_by: str = ""


@dataclass
class Snapshot:
    """A consistent copy for one page render."""

    queue: m.QueueSnapshot | None = None
    hall: m.HallInfo | None = None
    windows: dict[int, m.WindowState] = field(default_factory=dict)
    notices: m.Notices | None = None
    figures: m.DayFigures | None = None
    calls: m.RecentCalls | None = None
    devices: dict[str, DeviceHealth] = field(default_factory=dict)
    alerts: list[HallAlertItem] = field(default_factory=list)
    is_connected: bool = False
    controller_online: bool = False
    version: int = 0

    @property
    def is_stale(self) -> bool:
        return not (self.is_connected and self.controller_online)


class LiveHall:
    def __init__(self, settings: MqttSettings, hall_id: str, device_id: str, *,
                 clock: Callable[[], datetime], device_alert_after: timedelta,
                 alert_store: ConsoleStore | None = None) -> None:
        self.topics = Topics(hall_id)
        self._clock = clock
        self._device_alert_after = device_alert_after
        self._lock = threading.Lock()
        self._state = Snapshot()
        self._alert_store = alert_store
        if alert_store is not None:
            self._state.alerts = [HallAlertItem(a.alert_id, a.kind, a.at, a.message_zh, a.source,
                                                a.acknowledged_by)
                                  for a in alert_store.alerts(MAX_ALERTS)]
        self._device_alerted: set[str] = set()
        self._listeners: list[Callable[[int], None]] = []
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None
        self.client = DeviceClient(
            settings, hall_id, device_id, m.Role.CONSOLE, on_message=self._receive,
            subscriptions=(self.topics.all_state, self.topics.all_events,
                           self.topics.all_presence),
            # The broker keeps the alerts (QoS 1) raised while the console is down.
            persistent_session=True)

    # -- life --------------------------------------------------------------------------------

    def start(self) -> None:
        self.client.start()
        self._watcher = threading.Thread(target=self._watch, name="console-watch", daemon=True)
        self._watcher.start()

    def stop(self) -> None:
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(timeout=5)
        self.client.stop()

    def wait_connected(self, timeout_s: float) -> bool:
        return self.client.wait_connected(timeout_s)

    # -- reading -----------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        with self._lock:
            s = self._state
            return replace(s, windows=dict(s.windows), devices=dict(s.devices),
                           alerts=list(s.alerts))

    def add_listener(self, listener: Callable[[int], None]) -> None:
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[int], None]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    # -- acting ------------------------------------------------------------------------------

    def request(self, intent_type: type[IntentT], timeout_s: float = 5.0,
                **fields: Any) -> m.Answer:
        """Send an intent to the controller and wait for its answer (RequestTimeout if none)."""
        return self.client.request(intent_type, timeout_s=timeout_s, **fields)

    def raise_alert(self, kind: str, message_zh: str, source: str = "") -> None:
        """An alert of the console's own (a login lock), beside the controller's."""
        now = self._clock()
        self._add_alert(HallAlertItem(f"{kind}:{source}:{now.isoformat()}", kind, now,
                                      message_zh, source))

    def acknowledge(self, alert_id: str, username: str) -> bool:
        """Mark an alert dealt with (kept so across restarts); False if unknown or done already."""
        with self._lock:
            found = False
            for i, alert in enumerate(self._state.alerts):
                if alert.alert_id == alert_id and not alert.acknowledged_by:
                    self._state.alerts[i] = replace(alert, acknowledged_by=username)
                    found = True
            if found and self._alert_store is not None:
                found = self._alert_store.acknowledge_alert(alert_id, username, self._clock())
        self._changed()
        return found

    # -- feeding -----------------------------------------------------------------------------

    def _receive(self, topic: str, message: m.Message) -> None:
        try:
            where = self.topics.parse(topic)
        except MessageDecodeError:
            return
        now = self._clock()
        with self._lock:
            s = self._state
            if isinstance(message, m.QueueSnapshot):
                s.queue = message
            elif isinstance(message, m.HallInfo):
                s.hall = message
            elif isinstance(message, m.WindowState):
                s.windows[message.window] = message
            elif isinstance(message, m.Notices):
                s.notices = message
            elif isinstance(message, m.DayFigures):
                s.figures = message
            elif isinstance(message, m.RecentCalls):
                s.calls = message
            elif isinstance(message, m.Presence) and where.kind is TopicKind.PRESENCE:
                self._presence(where.device_id, message, now)
        if isinstance(message, m.HallAlert):
            self._add_alert(HallAlertItem(
                message.alert_id or f"{message.alert}:{message.business}:{message.at.isoformat()}",
                message.alert, message.at, message.message_zh, message.business))
        self._changed()

    def _presence(self, device_id: str, presence: m.Presence, now: datetime) -> None:
        s = self._state
        old = s.devices.get(device_id)
        if old is not None and old.presence.status == presence.status:
            since = old.since
        else:
            since = min(presence.at, now) if presence.at is not None and old is None else now
            self._device_alerted.discard(device_id)
        s.devices[device_id] = DeviceHealth(presence, since, now)
        if device_id == CONTROLLER_ID:
            s.controller_online = presence.status is not m.DeviceStatus.OFFLINE
        if (presence.status is m.DeviceStatus.ALERT
                and (old is None or old.presence.status is not m.DeviceStatus.ALERT)):
            # Named by the device's own report, so the retained copy after a restart is the same.
            self._add_alert_locked(HallAlertItem(
                f"device_alert:{device_id}:{_iso(presence.at or now)}", "device_alert", now,
                f"设备 {device_id} 需要处理：{presence.detail or '告警'}", device_id))

    def _add_alert(self, alert: HallAlertItem) -> None:
        with self._lock:
            self._add_alert_locked(alert)
        self._changed()

    def _add_alert_locked(self, alert: HallAlertItem) -> None:
        if any(a.alert_id == alert.alert_id for a in self._state.alerts):
            return  # a retained or redelivered copy
        if self._alert_store is not None and not self._alert_store.record_alert(StoredAlert(
                alert.alert_id, alert.kind, alert.at, alert.message_zh, alert.source),
                self._clock()):
            return  # known already: raised again after a restart, or dealt with long ago
        self._state.alerts.insert(0, alert)
        del self._state.alerts[MAX_ALERTS:]

    def _changed(self) -> None:
        with self._lock:
            self._state.version += 1
            version = self._state.version
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(version)
            except Exception:
                logger.exception("a live listener failed")

    def _watch(self) -> None:
        while not self._stop.wait(WATCH_EVERY_S):
            changed = False
            now = self._clock()
            with self._lock:
                connected = self.client.is_connected
                if connected != self._state.is_connected:
                    self._state.is_connected = connected
                    changed = True
                for device_id, health in self._state.devices.items():
                    if (health.presence.status is not m.DeviceStatus.ONLINE
                            and device_id not in self._device_alerted
                            and now - health.since >= self._device_alert_after):
                        self._device_alerted.add(device_id)
                        minutes = int((now - health.since).total_seconds() // 60)
                        what = "离线" if health.presence.status is m.DeviceStatus.OFFLINE else "告警"
                        self._add_alert_locked(HallAlertItem(
                            _away_id(device_id, health), "device_away",
                            now, f"设备 {device_id} 已{what} {minutes} 分钟", device_id))
                        changed = True
            if changed:
                self._changed()


def _away_id(device_id: str, health: DeviceHealth) -> str:
    """Named by the device's own (retained) report, so a console restart does not raise it anew."""
    presence = health.presence
    return f"device_away:{device_id}:{presence.status}:{_iso(presence.at or health.since)}"


def _iso(moment: datetime) -> str:
    return moment.isoformat()
