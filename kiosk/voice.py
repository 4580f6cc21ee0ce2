"""Voice guidance: reads the current screen aloud in Mandarin (or English) with espeak-ng."""
from __future__ import annotations

import logging
import queue
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from display_wall.announcer import SpeechUnavailable, play, synthesize_text

logger = logging.getLogger(__name__)


class VoiceGuide(threading.Thread):
    """Speaks the latest request; a newer tap replaces what has not been spoken yet."""

    def __init__(self) -> None:
        super().__init__(name="kiosk-voice", daemon=True)
        self._texts: queue.Queue[str | None] = queue.Queue()
        self._dir = Path(tempfile.mkdtemp(prefix="hall-kiosk-voice-"))
        self.spoken: list[Path] = []

    def say(self, text: str) -> None:
        while not self._texts.empty():
            try:
                self._texts.get_nowait()
            except queue.Empty:
                break
        self._texts.put(text)

    def stop(self) -> None:
        """Ends the thread; its folder of spoken files goes with it (also when never started)."""
        self._texts.put(None)
        if not self.is_alive():
            shutil.rmtree(self._dir, ignore_errors=True)

    def run(self) -> None:
        try:
            while (text := self._texts.get()) is not None:
                voice = "cmn" if any("\u4e00" <= c <= "\u9fff" for c in text) else "en"
                try:
                    wav = synthesize_text(text, self._dir / "guide.wav", voice=voice)
                    self.spoken.append(wav)
                    play(wav)
                except (SpeechUnavailable, OSError, subprocess.SubprocessError) as exc:
                    logger.warning("voice guidance not spoken: %s", exc)
        finally:
            shutil.rmtree(self._dir, ignore_errors=True)
