from __future__ import annotations

import math
import struct
import wave

import pytest

from display_wall.announcer import Announcement, AnnouncementQueue, synthesize, window_zh


@pytest.mark.parametrize(("number", "spoken"), [
    (1, "一"), (2, "二"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五"),
])
def test_window_numbers_are_read_as_a_person_reads_them(number, spoken):
    assert window_zh(number) == spoken


def test_the_call_reads_the_ticket_digit_by_digit_with_the_standard_phrase():
    call = Announcement("A005", 2)
    assert call.text_zh == "请 A005 号到 2 号窗口办理"
    assert call.spoken_zh == "请 A 零 零 五 号，到 二 号窗口办理"


def test_calls_arriving_together_are_announced_in_order_and_none_is_dropped():
    queue = AnnouncementQueue()
    calls = [Announcement(f"A{i:03d}", i % 8 + 1) for i in range(20)]
    calls.append(Announcement("A003", 4, is_recall=True))
    for call in calls:
        queue.push(call)
    said = []
    while (next_call := queue.pop()) is not None:
        said.append(next_call)
    assert said == calls


def test_the_voice_call_is_a_non_silent_wav_of_the_expected_length(tmp_path):
    path = synthesize(Announcement("A005", 2), tmp_path / "call.wav", repeat=2)
    once = synthesize(Announcement("A005", 2), tmp_path / "once.wav", repeat=1)
    with wave.open(str(path)) as w:
        frames = w.readframes(w.getnframes())
        seconds = w.getnframes() / w.getframerate()
    with wave.open(str(once)) as w:
        seconds_once = w.getnframes() / w.getframerate()
    samples = struct.unpack(f"<{len(frames) // 2}h", frames)
    rms = math.sqrt(sum(s * s for s in samples) / len(samples))
    assert rms > 500
    assert 3 < seconds_once < 15
    # A second repetition adds one more spoken call and its pause.
    assert seconds > seconds_once + 1.5
