"""`hall wall`: composition root of the display wall (bus, view-model, view, voice)."""
from __future__ import annotations

import logging
import queue
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QApplication

from display_wall.announcer import Announcement, SpeechUnavailable, play, synthesize
from display_wall.view import WallView
from display_wall.view_model import WallViewModel
from hall.config import MqttSettings
from hall.device_client import DeviceClient
from hall.protocol import Topics
from hall.protocol import messages as m
from hall.qt_service import run_qt_service

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class WallConfig:
    hall_id: str
    device_id: str
    mqtt: MqttSettings
    width: int = 1920
    height: int = 1080
    full_screen: bool = True
    sound: bool = True
    repeat: int = 2
    english: bool = False
    timezone: str = "Asia/Shanghai"


class Voice(threading.Thread):
    """Speaks queued calls one after another, so none is dropped or cut short."""

    def __init__(self, repeat: int, english: bool) -> None:
        super().__init__(name="wall-voice", daemon=True)
        self._calls: queue.Queue[Announcement | None] = queue.Queue()
        self.repeat, self.english = repeat, english
        self._dir = Path(tempfile.mkdtemp(prefix="hall-wall-voice-"))

    def say(self, call: Announcement) -> None:
        self._calls.put(call)

    def stop(self) -> None:
        """Drop the calls not yet spoken (the wall is closing) and end after the current one."""
        while True:
            try:
                self._calls.get_nowait()
            except queue.Empty:
                break
        self._calls.put(None)

    def remove_files(self) -> None:
        """The folder of spoken calls goes with the wall, even if a call is still playing."""
        shutil.rmtree(self._dir, ignore_errors=True)

    def run(self) -> None:
        try:
            while (call := self._calls.get()) is not None:
                try:
                    play(synthesize(call, self._dir / "call.wav", repeat=self.repeat,
                                    english=self.english))
                except (SpeechUnavailable, OSError) as exc:
                    logger.warning("voice call %s not spoken: %s", call.number, exc)
        finally:
            self.remove_files()


class WallApp:
    """Everything the wall needs, wired; `run()` blocks in the Qt event loop."""

    def __init__(self, config: WallConfig, clock: Callable[[], datetime] | None = None) -> None:
        self.config = config
        tz = ZoneInfo(config.timezone)
        topics = Topics(config.hall_id)
        self.view_model = WallViewModel(clock or (lambda: datetime.now(tz)),
                                        lambda: self.client.is_connected, repeat=config.repeat)
        self.client = DeviceClient(
            config.mqtt, config.hall_id, config.device_id, m.Role.WALL,
            on_message=lambda topic, msg: self.view_model.message_arrived.emit(topic, msg),
            subscriptions=(topics.all_state, topics.all_events, topics.presence("controller")))
        self.view = WallView()
        self.view.resize(config.width, config.height)
        self.view_model.state_changed.connect(self.view.render_state)
        self.voice: Voice | None = None
        if config.sound:
            self.voice = Voice(config.repeat, config.english)
            self.view_model.announcement_requested.connect(self.voice.say)

    def start(self) -> None:
        if self.voice is not None:
            self.voice.start()
        self.client.start()
        if self.config.full_screen:
            self.view.showFullScreen()
        else:
            self.view.show()

    def stop(self) -> None:
        self.view_model.stop()
        self.client.stop()
        if self.voice is not None:
            self.voice.stop()
            self.voice.join(timeout=5)
            self.voice.remove_files()
        self.view.close()


def run_wall(config: WallConfig) -> int:
    QApplication.instance() or QApplication([])
    app = WallApp(config)
    return run_qt_service(app.start, app.stop, config.device_id)
