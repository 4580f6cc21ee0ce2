"""The kiosk camera: a live device or a list of image files, and QR decoding with OpenCV.

Frames are numpy BGR arrays as OpenCV gives them. OpenCV is imported when a camera is first used,
not at start: it would add a tenth of a second before the first screen. A camera that fails to open or stops
giving frames reports `is_ok() == False`; the kiosk then offers the keypad only and says so
in its presence.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Frame = NDArray[np.uint8]
else:
    Frame = Any

logger = logging.getLogger(__name__)

# A Pi decodes a 640-pixel-wide frame in a few tens of milliseconds; larger ones are scaled down.
DECODE_WIDTH_PX = 800
# A camera that gave this many empty reads in a row is taken as gone.
FAILED_READS_MAX = 30


class CameraSource(Protocol):
    def read(self) -> Frame | None: ...

    def is_ok(self) -> bool: ...

    def close(self) -> None: ...


class DeviceCamera:
    """A V4L2 camera through cv2.VideoCapture, opened lazily and reopened after a failure."""

    def __init__(self, index: int, width: int = 640, height: int = 480) -> None:
        self.index, self.width, self.height = index, width, height
        self._capture: Any = None
        self._failed_reads = 0

    def _open(self) -> Any:
        import cv2

        if self._capture is None:
            capture = cv2.VideoCapture(self.index)
            if not capture.isOpened():
                capture.release()
                self._failed_reads = FAILED_READS_MAX
                return None
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
            self._capture = capture
        return self._capture

    def read(self) -> Frame | None:
        import numpy as np

        capture = self._open()
        if capture is None:
            return None
        ok, frame = capture.read()
        if not ok or frame is None:
            self._failed_reads += 1
            if self._failed_reads >= FAILED_READS_MAX:
                logger.warning("camera %d gives no frames; reopening", self.index)
                self.close()
            return None
        self._failed_reads = 0
        return np.asarray(frame, dtype=np.uint8)

    def is_ok(self) -> bool:
        return self._failed_reads < FAILED_READS_MAX

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class ImageCamera:
    """Frames from image files, each shown `repeat` times in turn (tests, demos)."""

    def __init__(self, paths: Sequence[Path], repeat: int = 1) -> None:
        import cv2
        import numpy as np

        self._frames: list[Frame] = []
        for path in paths:
            image = cv2.imread(str(path))
            if image is None:
                raise ValueError(f"not an image: {path}")
            self._frames += [np.asarray(image, dtype=np.uint8)] * repeat
        self._next = 0

    @classmethod
    def from_folder(cls, folder: Path) -> ImageCamera:
        return cls(sorted(p for p in folder.iterdir()
                          if p.suffix.lower() in (".png", ".jpg", ".jpeg")))

    def show(self, paths: Sequence[Path]) -> None:
        """Replace what the camera sees (a test holding up another code)."""
        import cv2
        import numpy as np

        self._frames = [np.asarray(cv2.imread(str(p)), dtype=np.uint8) for p in paths]
        self._next = 0

    def read(self) -> Frame | None:
        if not self._frames:
            return None
        frame = self._frames[self._next % len(self._frames)]
        self._next += 1
        return frame

    def is_ok(self) -> bool:
        return bool(self._frames)

    def close(self) -> None:
        pass


class NoCamera:
    def read(self) -> Frame | None:
        return None

    def is_ok(self) -> bool:
        return False

    def close(self) -> None:
        pass


def open_camera(spec: str) -> CameraSource:
    """`none`, a device index (`0`), an image file or a folder of images."""
    if spec in ("", "none"):
        return NoCamera()
    if spec.isdigit():
        return DeviceCamera(int(spec))
    path = Path(spec)
    return ImageCamera.from_folder(path) if path.is_dir() else ImageCamera([path])


class QrReader:
    """Decodes the QR code in a frame, tolerating rotation, blur and a small code."""

    def __init__(self) -> None:
        import cv2

        # The ArUco-based detector (OpenCV 4.8+) finds codes the classic one misses, and the
        # other way round: both are asked.
        self._detectors: list[Any] = [cv2.QRCodeDetector()]
        if hasattr(cv2, "QRCodeDetectorAruco"):
            self._detectors.append(cv2.QRCodeDetectorAruco())

    def decode(self, frame: Frame) -> str:
        """The text of the QR code in the frame, or "" when none is readable."""
        import cv2
        import numpy as np

        if frame.shape[1] > DECODE_WIDTH_PX:
            scale = DECODE_WIDTH_PX / frame.shape[1]
            frame = np.asarray(cv2.resize(frame, None, fx=scale, fy=scale,
                                          interpolation=cv2.INTER_AREA), dtype=np.uint8)
        gray = np.asarray(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame,
                          dtype=np.uint8)
        for candidate in (gray, _binarized(gray)):
            for detector in self._detectors:
                try:
                    text, _, _ = detector.detectAndDecode(candidate)
                except cv2.error:
                    continue
                if text:
                    return str(text)
        return ""


def _binarized(gray: Frame) -> Frame:
    """Otsu's threshold: a slightly blurred or dim code often decodes once sharpened this way."""
    import cv2
    import numpy as np

    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return np.asarray(binary, dtype=np.uint8)
