"""Mandarin voice calls: the announcement queue (pure) and offline speech with espeak-ng."""
from __future__ import annotations

import logging
import math
import shutil
import struct
import subprocess
import tempfile
import wave
from collections import deque
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

DIGITS_ZH = "零一二三四五六七八九"
SAMPLE_RATE = 22050


@dataclass(frozen=True, slots=True)
class Announcement:
    number: str
    window: int
    is_recall: bool = False

    @property
    def text_zh(self) -> str:
        return f"请 {self.number} 号到 {self.window} 号窗口办理"

    @property
    def spoken_zh(self) -> str:
        """How a hall reads it aloud: letters by name, the digits of the number one by one."""
        letters = " ".join(c if c.isalpha() else DIGITS_ZH[int(c)] for c in self.number)
        return f"请 {letters} 号，到 {window_zh(self.window)} 号窗口办理"

    @property
    def spoken_en(self) -> str:
        return f"Number {' '.join(self.number)}, please go to window {self.window}."


def window_zh(number: int) -> str:
    """1..99 as read aloud: 2 -> 二, 10 -> 十, 12 -> 十二, 20 -> 二十."""
    if number < 10:
        return DIGITS_ZH[number]
    tens, ones = divmod(number, 10)
    head = "十" if tens == 1 else DIGITS_ZH[tens] + "十"
    return head + (DIGITS_ZH[ones] if ones else "") if number < 100 else str(number)


class AnnouncementQueue:
    """Calls in the order they came, none dropped; each said `repeat` times when its turn comes."""

    def __init__(self, repeat: int = 2) -> None:
        self.repeat = repeat
        self._queue: deque[Announcement] = deque()

    def push(self, announcement: Announcement) -> None:
        self._queue.append(announcement)

    def pop(self) -> Announcement | None:
        return self._queue.popleft() if self._queue else None

    def __len__(self) -> int:
        return len(self._queue)


class SpeechUnavailable(Exception):
    """espeak-ng is not installed (Debian package espeak-ng; scripts/setup installs it)."""


def synthesize(announcement: Announcement, out: Path, *, repeat: int = 2,
               english: bool = False) -> Path:
    """One WAV: a chime, then the call `repeat` times (and in English if asked)."""
    binary = shutil.which("espeak-ng")
    if binary is None:
        raise SpeechUnavailable("espeak-ng is missing: install it (scripts/setup does)")
    with tempfile.TemporaryDirectory() as tmp:
        parts = [_chime()]
        zh = Path(tmp) / "zh.wav"
        _speak(binary, "cmn", announcement.spoken_zh, zh)
        spoken = _frames(zh)
        pause = b"\x00\x00" * (SAMPLE_RATE // 2)
        for _ in range(repeat):
            parts += [spoken, pause]
        if english:
            en = Path(tmp) / "en.wav"
            _speak(binary, "en", announcement.spoken_en, en)
            parts.append(_frames(en))
        with wave.open(str(out), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(SAMPLE_RATE)
            w.writeframes(b"".join(parts))
    return out


def synthesize_text(text: str, out: Path, *, voice: str = "cmn") -> Path:
    """One WAV of `text` read by espeak-ng (`cmn`: Mandarin); the kiosk's voice guidance."""
    binary = shutil.which("espeak-ng")
    if binary is None:
        raise SpeechUnavailable("espeak-ng is missing: install it (scripts/setup does)")
    _speak(binary, voice, text, out)
    return out


def _speak(binary: str, voice: str, text: str, out: Path) -> None:
    subprocess.run([binary, "-v", voice, "-s", "140", "-w", str(out), text], check=True,
                   capture_output=True, timeout=30)


def _frames(path: Path) -> bytes:
    with wave.open(str(path), "rb") as w:
        if w.getframerate() != SAMPLE_RATE or w.getsampwidth() != 2 or w.getnchannels() != 1:
            raise SpeechUnavailable(f"unexpected speech format in {path}")
        return w.readframes(w.getnframes())


def _chime() -> bytes:
    """Two soft tones (叮咚), 0.6 s."""
    frames = bytearray()
    for freq, length_s in ((880.0, 0.3), (660.0, 0.3)):
        count = int(SAMPLE_RATE * length_s)
        for i in range(count):
            envelope = min(1.0, i / 400) * (1 - i / count)
            value = int(9000 * envelope * math.sin(2 * math.pi * freq * i / SAMPLE_RATE))
            frames += struct.pack("<h", value)
    return bytes(frames)


def play(path: Path) -> None:
    """Play a WAV on the board's sound output; silently skipped where there is none."""
    player = shutil.which("aplay") or shutil.which("paplay")
    if player is None:
        logger.info("no audio player; the call is shown but not heard")
        return
    subprocess.run([player, str(path)], capture_output=True, timeout=60, check=False)
