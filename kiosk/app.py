"""`hall kiosk`: composition root of the citizen kiosk (bus, printer, camera, voice, screens)."""
from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from hall import __version__
from kiosk.camera import CameraSource, NoCamera
from kiosk.camera_feed import CameraFeed
from kiosk.guide_index import GuideIndex
from kiosk.request_worker import Unreachable
from kiosk.screen_state import KioskState
from kiosk.texts import DEFAULT_PRIORITY_REASONS
from kiosk.view import KioskView
from kiosk.view_model import KioskViewModel
from kiosk.voice import VoiceGuide

if TYPE_CHECKING:
    from hall.core.guides import ServiceGuide
    from hall.device_client import DeviceClient
    from hall.mqtt_settings import MqttSettings
    from hall.protocol import messages as m
    from kiosk.receipts import KioskPrinterRunner

# The hall's service guides, read and checked against its catalogue.
GuidesLoader = Callable[[], tuple["ServiceGuide", ...]]
SettingsLoader = Callable[[], "MqttSettings"]

logger = logging.getLogger(__name__)


FIRST_PAINT_WAIT_MS = 2000
EXIT_CONFIG = 4


@dataclass(frozen=True, slots=True)
class KioskConfig:
    hall_id: str
    device_id: str
    # None when the app is given a loader instead (a provisioned board's bundle, read and checked
    # after the first paint: the provisioning package takes ~0.14 s to import).
    mqtt: MqttSettings | None
    # Empty when the app is given a loader instead (`hall kiosk` loads them after the first paint).
    guides: tuple[ServiceGuide, ...] = ()
    hall_name_zh: str = ""
    priority_reasons: tuple[tuple[str, str], ...] = DEFAULT_PRIORITY_REASONS
    width: int = 1080
    height: int = 1920
    full_screen: bool = True
    sound: bool = True
    idle_timeout_s: float = 60.0
    # First try, then one resend with the same request id (answered once by the controller).
    request_timeout_s: float = 4.0
    timezone: str = "Asia/Shanghai"
    # Where the kiosk keeps what must survive a power cut (the day's tickets, for reprints).
    state_dir: Path | None = None


class KioskApp:
    """Everything the kiosk needs, wired; `start()` shows the first touchable screen.

    What the first screen does not need (the MQTT client, the wire schema, the domain core with
    the guides when `load_guides` is given, the camera's OpenCV) is loaded once it is painted.
    """

    def __init__(self, config: KioskConfig, *, camera: CameraSource | None = None,
                 printer: KioskPrinterRunner | None = None,
                 clock: Callable[[], datetime] | None = None,
                 load_guides: GuidesLoader | None = None,
                 load_mqtt: SettingsLoader | None = None) -> None:
        self.config = config
        tz = ZoneInfo(config.timezone)
        self.clock = clock or (lambda: datetime.now(tz))
        self.printer = printer
        self._load_guides = load_guides
        self._load_mqtt = load_mqtt
        self.client: DeviceClient | None = None
        self.view_model = KioskViewModel(
            hall_id=config.hall_id, guides=GuideIndex(config.guides), requester=self._request,
            printer=printer.printer if printer else None, clock=self.clock,
            priority_reasons=config.priority_reasons, hall_name_zh=config.hall_name_zh,
            is_connected=lambda: self.client is not None and self.client.is_connected,
            idle_timeout_s=config.idle_timeout_s,
            issued_path=config.state_dir / "issued-tickets.json" if config.state_dir else None)
        self.camera = CameraFeed(camera or NoCamera(), on_health=lambda ok: self.report_status())
        self.view = KioskView(self.view_model)
        self.view.resize(config.width, config.height)
        self.camera.frame_ready.connect(self.view.show_frame)
        self.camera.camera_lost.connect(self.view.show_no_camera)
        self.camera.code_scanned.connect(self.view_model.qr_scanned)
        self.view_model.state_changed.connect(self._follow_screen)
        self.voice: VoiceGuide | None = None
        if config.sound:
            self.voice = VoiceGuide()
            self.view_model.speak_requested.connect(self.voice.say)
        self._status_lock = threading.Lock()
        self.has_camera = camera is not None and not isinstance(camera, NoCamera)
        self.view_model.has_camera = self.has_camera
        if printer is not None:
            self.attach_printer(printer)

    def attach_printer(self, printer: KioskPrinterRunner) -> None:
        self.printer = printer
        self.view_model.printer = printer.printer
        printer.on_change = self._printer_changed
        self.report_status()

    def _printer_changed(self) -> None:
        """From the printer's worker thread: presence, and the screen (queued to the GUI)."""
        self.report_status()
        if self.printer is not None:
            self.view_model.printer_changed.emit(self.printer.needs_a_human())

    def _request(self, intent_type: type[m.Intent], fields: dict[str, Any]) -> m.Answer:
        from hall.device_client import RequestTimeout

        client = self.client
        if client is None:
            raise Unreachable("not connected yet")
        intent = client.send(intent_type, **fields)
        try:
            return client.answer(intent, self.config.request_timeout_s)
        except RequestTimeout:
            # The answer may have been lost with a restarting controller: ask again, same id.
            client.resend(intent)
        try:
            return client.answer(intent, self.config.request_timeout_s)
        except RequestTimeout:
            raise Unreachable(f"no answer to {intent_type.KIND}") from None

    def _connect(self, mqtt: MqttSettings) -> None:
        from hall.device_client import DeviceClient
        from hall.protocol import Topics
        from hall.protocol import messages as m

        topics = Topics(self.config.hall_id)
        self.client = DeviceClient(
            mqtt, self.config.hall_id, self.config.device_id, m.Role.KIOSK,
            on_message=lambda topic, msg: self.view_model.message_arrived.emit(topic, msg),
            subscriptions=(topics.all_state, topics.presence("controller")),
            app_version=__version__)
        self.client.start()

    def _follow_screen(self, state: KioskState) -> None:
        self.camera.set_active(self.view_model.is_scanning)

    def presence_detail(self) -> str:
        camera = "camera ok" if self.camera.is_ok else "no camera"
        printer = self.printer.status_text() if self.printer else "no printer"
        return f"app {__version__}; {camera}; {printer}"

    def report_status(self, *_: object) -> None:
        """Publish the kiosk's presence: alert when the printer or a fitted camera needs a human."""
        from hall.protocol import messages as m

        printer_alert = self.printer is not None and self.printer.needs_a_human()
        camera_alert = self.has_camera and not self.camera.is_ok
        status = m.DeviceStatus.ALERT if printer_alert or camera_alert else m.DeviceStatus.ONLINE
        with self._status_lock:
            if self.client is not None:
                self.client.set_status(status, self.presence_detail())

    def start(self) -> None:
        if self.voice is not None:
            self.voice.start()
        self.view.render_state(self.view_model.state)
        if self.config.full_screen:
            self.view.showFullScreen()
        else:
            self.view.show()
        self.view_model.touched()
        # Queued: the first screen finishes painting before the bus and the camera start; and
        # should no paint come (a screen switched off), they start anyway.
        self.view.first_painted.connect(lambda: QTimer.singleShot(0, self._after_first_screen))
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, self._after_first_screen)

    def _after_first_screen(self) -> None:
        """Load the guides, connect and try the camera once the first screen can be touched."""
        if self.client is not None:
            return
        from hall.core.errors import HallError

        try:
            if self._load_guides is not None:
                self.view_model.guides = GuideIndex(self._load_guides())
            mqtt = self.config.mqtt or (self._load_mqtt() if self._load_mqtt else None)
        except (HallError, ValueError) as exc:
            print(f"hall kiosk: {exc}", file=sys.stderr)
            QApplication.exit(EXIT_CONFIG)
            return
        if mqtt is None:
            raise ValueError("a kiosk needs MQTT settings or a loader for them")
        self._connect(mqtt)
        if self.has_camera:
            self.camera.tick()
        self.report_status()

    def stop(self) -> None:
        self.camera.stop()
        self.view_model.stop()
        if self.client is not None:
            self.client.stop()
        if self.voice is not None:
            self.voice.stop()
            self.voice.join(timeout=5)
        self.view.close()


def run_kiosk(config: KioskConfig, camera: CameraSource, printer_spec: str, spool: Path,
              rating_base_url: str, load_guides: GuidesLoader | None = None,
              load_mqtt: SettingsLoader | None = None) -> int:
    """Run the kiosk as a service (READY, watchdog, SIGTERM) until it is stopped."""
    from hall.qt_service import run_qt_service

    QApplication.instance() or QApplication(sys.argv[:1])
    app = KioskApp(config, camera=camera, load_guides=load_guides, load_mqtt=load_mqtt)
    runners: list[KioskPrinterRunner] = []
    attached: list[bool] = []

    def attach_printer() -> None:
        # python-escpos loads its printer database on import (~0.15 s on a PC): after the first
        # screen is up, not before.
        if attached:
            return
        attached.append(True)
        from kiosk.receipts import open_kiosk_printer

        opened = open_kiosk_printer(printer_spec, spool, config.hall_name_zh, rating_base_url)
        if opened is not None:
            runners.append(opened)
            opened.start()
            app.attach_printer(opened)

    def start() -> None:
        app.start()
        app.view.first_painted.connect(lambda: QTimer.singleShot(0, attach_printer))
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, attach_printer)

    def stop() -> None:
        app.stop()
        for runner in runners:
            runner.stop()

    return run_qt_service(start, stop, config.device_id)


class DemoKiosk:
    """`hall demo`'s kiosk: a window beside the wall, printing into a virtual printer."""

    def __init__(self, hall_id: str, mqtt: MqttSettings, workdir: Path,
                 rating_base_url: str = "http://hall.local",
                 clock: Callable[[], datetime] | None = None) -> None:
        """`clock` is the demo's hall clock: the kiosk's day, closing times and reprints follow
        the simulated day (its idle countdown stays in real seconds: it is for the person)."""
        from hall.config import SAMPLE_GUIDES, SAMPLE_HALL, load_config, load_guides
        from kiosk.camera import open_camera
        from kiosk.receipts import open_kiosk_printer
        from printer.virtual import VirtualPrinter

        hall = load_config(SAMPLE_HALL, env={"HALL_MQTT_PASSWORD": "not-used-by-the-kiosk"})
        self.virtual = VirtualPrinter(workdir / "receipts").start()
        self.printer = open_kiosk_printer(f"127.0.0.1:{self.virtual.port}", workdir / "spool",
                                          hall.catalogue.name_zh, rating_base_url)
        camera = open_camera("0" if Path("/dev/video0").exists() else "none")
        self.app = KioskApp(KioskConfig(
            hall_id=hall_id, device_id="kiosk-9", mqtt=mqtt,
            guides=tuple(load_guides(SAMPLE_GUIDES, hall.catalogue).values()),
            hall_name_zh=hall.catalogue.name_zh, width=720, height=1280, full_screen=False,
            state_dir=workdir / "kiosk-state"),
            camera=camera, printer=self.printer, clock=clock)
        if self.printer is not None:
            self.printer.start()
        self.app.start()

    def stop(self) -> None:
        self.app.stop()
        if self.printer is not None:
            self.printer.stop()
        self.virtual.stop()
