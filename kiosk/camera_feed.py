"""Feeds camera frames to the preview and decoded QR codes to the view-model, only while a
scanning screen is shown."""
from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QImage

from kiosk.camera import CameraSource, Frame, QrReader

logger = logging.getLogger(__name__)

# Eight frames a second is a smooth enough preview and leaves a Pi's cores for the rest.
FRAME_INTERVAL_MS = 125


class CameraFeed(QObject):
    frame_ready = Signal(QImage)
    camera_lost = Signal()
    code_scanned = Signal(str)
    health_changed = Signal(bool)

    def __init__(self, source: CameraSource, on_health: Callable[[bool], None] | None = None
                 ) -> None:
        super().__init__()
        self.source = source
        self._reader: QrReader | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_INTERVAL_MS)
        self._timer.timeout.connect(self.tick)
        self.is_ok = source.is_ok()
        if on_health is not None:
            self.health_changed.connect(on_health)

    def set_active(self, active: bool) -> None:
        if active and not self._timer.isActive():
            self._timer.start()
            self.tick()
        elif not active and self._timer.isActive():
            self._timer.stop()

    @property
    def is_active(self) -> bool:
        return self._timer.isActive()

    @Slot()
    def tick(self) -> None:
        try:
            frame = self.source.read()
            self._report(self.source.is_ok())
            if frame is None:
                self.camera_lost.emit()
                return
            self.frame_ready.emit(to_qimage(frame))
            if self._reader is None:
                self._reader = QrReader()
            code = self._reader.decode(frame)
            if code:
                self.code_scanned.emit(code)
        except Exception:  # a camera driver fault must not take the kiosk down
            logger.exception("reading the camera failed")
            self._report(False)

    def _report(self, ok: bool) -> None:
        if ok != self.is_ok:
            self.is_ok = ok
            self.health_changed.emit(ok)

    def stop(self) -> None:
        self._timer.stop()
        self.source.close()


def to_qimage(frame: Frame) -> QImage:
    import cv2

    rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB) if frame.ndim == 3 else cv2.cvtColor(
        frame, cv2.COLOR_GRAY2RGB)
    height, width, _ = rgb.shape
    # copy(): the QImage must own its pixels once the numpy array is gone.
    return QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
