"""`hall demo` as a new user meets it: any day of the week, a real X server, and a clean exit."""
from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from hall.config import SAMPLE_HALL, load_config
from hall.simulation import arrival_shape, demo_day, mean_handle_s, peak_arrivals_per_hour
from hall_cli.demo import day_note, human_windows, run_demo
from hall_cli.demo_screens import Place, demo_places
from tests.support import SHANGHAI

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = load_config(SAMPLE_HALL, env={"HALL_MQTT_PASSWORD": "x"}).catalogue
SUNDAY = date(2026, 11, 29)
FRIDAY = date(2026, 11, 27)
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 60


@pytest.mark.parametrize(("today", "simulated"), [
    (date(2026, 11, 24), date(2026, 11, 24)),  # a Tuesday is simulated as itself
    (SUNDAY, FRIDAY),
    (date(2026, 11, 28), FRIDAY),
    (date(2026, 11, 30), date(2026, 11, 30)),
])
def test_a_day_the_hall_is_closed_becomes_the_working_day_before_it(today, simulated):
    assert demo_day(today, CATALOGUE.hours) == simulated


def test_a_public_holiday_is_skipped_too():
    from dataclasses import replace

    hours = replace(CATALOGUE.hours, closed_dates=frozenset({FRIDAY}))
    assert demo_day(SUNDAY, hours) == date(2026, 11, 26)


def test_the_demo_says_which_day_it_simulates_and_why():
    zh, en = day_note(SUNDAY, FRIDAY, 30)
    assert "今天（星期日）大厅不办公" in zh and "2026-11-27 星期五" in zh and "30 倍" in zh
    assert "Sunday" in en and "Friday 2026-11-27" in en
    zh, _ = day_note(FRIDAY, FRIDAY, 30)
    assert "不办公" not in zh


def test_the_demo_day_peaks_just_below_what_its_clerks_can_serve():
    windows = len(CATALOGUE.windows)
    capacity_per_hour = windows * 3600 / mean_handle_s(CATALOGUE)
    peak = peak_arrivals_per_hour(CATALOGUE, windows)
    day = datetime(2026, 11, 24, tzinfo=SHANGHAI)
    minutes = [day + timedelta(minutes=k) for k in range(24 * 60)]
    rates = [arrival_shape(t) * peak for t in minutes]
    assert 0.8 * capacity_per_hour < max(rates) < capacity_per_hour
    # A morning that climbs to its peak before lunch, nobody at lunch or after hours.
    at = {t.strftime("%H:%M"): r for t, r in zip(minutes, rates, strict=True)}
    assert at["09:05"] < at["10:00"] < at["11:00"]
    assert at["12:30"] == at["08:30"] == at["17:30"] == 0
    assert at["14:30"] > at["16:30"]
    served_in_a_day = capacity_per_hour * 6.5
    assert sum(rates) / 60 < 0.8 * served_in_a_day


def test_the_windows_left_to_you_leave_every_business_a_simulated_clerk():
    yours = human_windows(CATALOGUE, 2)
    assert len(yours) == 2 and 8 in yours  # the 综合窗口, whose queue list shows everything
    others = [w for w in CATALOGUE.windows if w.number not in yours]
    assert all(any(b.code in w.businesses for w in others) for b in CATALOGUE.businesses)


@pytest.mark.parametrize("screen", [Place(0, 0, 1920, 1080), Place(0, 27, 1366, 741),
                                    Place(0, 0, 3840, 2160)], ids=str)
def test_every_demo_window_has_its_own_place_and_nothing_covers_the_wall_or_the_kiosk(screen):
    places = demo_places(screen, [6, 8])
    assert set(places) == {"wall", "kiosk", "terminal-6", "pad-6", "screen-6", "terminal-8",
                           "pad-8", "screen-8"}
    corners = [(p.x, p.y) for p in places.values()]
    assert len(set(corners)) == len(corners)
    for p in places.values():
        assert screen.x <= p.x and p.x + p.width <= screen.x + screen.width
        assert screen.y <= p.y and p.y + p.height <= screen.y + screen.height
    wall, kiosk = places["wall"], places["kiosk"]
    assert kiosk.height <= screen.height and kiosk.height > kiosk.width
    assert wall.x + wall.width <= kiosk.x  # the wall and the kiosk side by side
    assert kiosk.width == min(720, screen.width // 2)
    # Stacked bottom first: nothing lies over the wall or the kiosk.
    assert list(places)[-2:] == ["wall", "kiosk"]
    # The window screens share the strip under the wall, over no one's important part.
    strips = [places["screen-6"], places["screen-8"]]
    for strip in strips:
        assert strip.y >= wall.y + wall.height and strip.x + strip.width <= kiosk.x
    assert strips[0].x + strips[0].width <= strips[1].x
    assert abs(wall.width / wall.height - 16 / 9) < 0.02


def _demo(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "hall", "demo", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})


def _wait_for_line(process: subprocess.Popen[str], marker: str
                   ) -> tuple[list[str], threading.Thread]:
    """The demo's output until a line holds `marker`, and the thread reading on to its end."""
    seen: list[str] = []
    found = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            seen.append(line)
            if marker in line:
                found.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert found.wait(START_TIMEOUT_S), "".join(seen)
    return seen, reader


def _brokers_under(folder: Path) -> list[int]:
    """Mosquitto processes whose config lies under `folder`."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "mosquitto" in command and str(folder) in command:
            found.append(int(proc.name))
    return found


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_the_demo_stopped_by_a_signal_leaves_no_broker_or_folder_behind(tmp_path, sig):
    demo = _demo("--headless", "--date", "2026-11-24", env={"TMPDIR": str(tmp_path)})
    try:
        _, reader = _wait_for_line(demo, "Demo hall")
        assert _brokers_under(tmp_path)
        demo.send_signal(sig)
        assert demo.wait(STOP_TIMEOUT_S) == 0
        reader.join(STOP_TIMEOUT_S)
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
    assert _brokers_under(tmp_path) == []
    assert list(tmp_path.glob("hall-demo-*")) == []
    assert list(tmp_path.glob("hall-wall-voice-*")) == []
    assert list(tmp_path.glob("hall-kiosk-voice-*")) == []


class BrokenTerminal(io.StringIO):
    """A terminal that fails at the first summary, as a closed pipe would."""

    def write(self, text: str) -> int:
        if "hall time" in text:
            raise BrokenPipeError("the terminal went away")
        return super().write(text)


def test_the_demo_failing_halfway_leaves_no_broker_or_folder_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    handler = signal.getsignal(signal.SIGINT)
    with pytest.raises(BrokenPipeError):
        run_demo(headless=True, duration_s=30, speed=60, seed=1, out=BrokenTerminal(),
                 today=date(2026, 11, 24))
    assert _brokers_under(tmp_path) == []
    assert list(tmp_path.glob("hall-demo-*")) == []
    assert list(tmp_path.glob("hall-wall-voice-*")) == []
    assert list(tmp_path.glob("hall-kiosk-voice-*")) == []
    assert signal.getsignal(signal.SIGINT) is handler


def test_on_a_sunday_the_demo_runs_the_friday_before_and_says_so():
    result = subprocess.run([sys.executable, "-m", "hall", "demo", "--headless", "--duration",
                             "8", "--speed", "180", "--date", SUNDAY.isoformat()], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "今天（星期日）大厅不办公。演示：模拟 2026-11-27 星期五的办公日" in result.stdout
    assert "Today (Sunday) the hall is closed" in result.stdout
    issued = int(result.stdout.split("Demo finished: ")[1].split(" tickets issued")[0])
    assert issued > 0


SHOT = ROOT / "tests" / "output" / "demo" / "demo-1920x1080.png"


def _nothing_covers_the_wall_or_the_kiosk(shot: Path) -> None:
    """On the screenshot: the wall's navy across its top left (its name bar and now-calling
    panel), the kiosk's light page down the right, the window screens' navy under the wall."""
    from PIL import Image

    image = Image.open(shot).convert("RGB")
    assert image.size == (1920, 1080)
    places = demo_places(Place(0, 0, 1920, 1080), [4, 8])
    wall, kiosk = places["wall"], places["kiosk"]
    for x, y in ((wall.x + 5, wall.y + 5), (wall.x + wall.width - 5, wall.y + 5),
                 (wall.x + 5, wall.y + wall.height - 5)):
        assert sum(image.getpixel((x, y))) < 200, (x, y)  # the wall's dark background
    for x, y in ((kiosk.x + 5, kiosk.y + 5), (kiosk.x + kiosk.width - 5, kiosk.y + 5)):
        assert sum(image.getpixel((x, y))) > 600, (x, y)  # the kiosk's light page
    strip = places["screen-4"]
    assert sum(image.getpixel((strip.x + 5, strip.y + strip.height - 5))) < 200


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb (scripts/setup --dev)")
def test_the_demo_opens_its_windows_on_a_real_x_server_and_closes_cleanly(tmp_path):
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0",
                             "1920x1080x24", "-nolisten", "tcp"], pass_fds=(write_end,),
                            stderr=subprocess.DEVNULL)
    os.close(write_end)
    try:
        with os.fdopen(read_end) as displays:
            display = displays.readline().strip()
        assert display, "Xvfb did not start"
        env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
        env.update(DISPLAY=f":{display}", QT_DEBUG_PLUGINS="1", TMPDIR=str(tmp_path),
                   HALL_DEMO_SCREENSHOT=str(SHOT))
        # Qt's plugin debugging says a lot: into a file, so a full pipe never stalls the demo.
        errors_file = tmp_path / "stderr.txt"
        with errors_file.open("w") as stderr:
            demo = subprocess.Popen(
                [sys.executable, "-m", "hall", "demo", "--date", "2026-11-24"], cwd=ROOT,
                text=True, stdout=subprocess.PIPE, stderr=stderr,
                env={**env, "PYTHONUNBUFFERED": "1"})
        try:
            seen, reader = _wait_for_line(demo, "Screenshot")
            assert "No screen found" not in "".join(seen)
            assert "Qt cannot open this screen" not in "".join(seen)
            _nothing_covers_the_wall_or_the_kiosk(SHOT)
            demo.send_signal(signal.SIGTERM)
            assert demo.wait(STOP_TIMEOUT_S) == 0
            reader.join(STOP_TIMEOUT_S)
        finally:
            if demo.poll() is None:
                demo.kill()
            demo.wait()
        errors = errors_file.read_text()
        assert "Could not load the Qt platform plugin" not in errors
        assert "cannot open shared object file" not in errors
    finally:
        xvfb.terminate()
        xvfb.wait()
    assert _brokers_under(tmp_path) == []
    assert list(tmp_path.glob("hall-demo-*")) == []
    assert list(tmp_path.glob("hall-wall-voice-*")) == []
    assert list(tmp_path.glob("hall-kiosk-voice-*")) == []
