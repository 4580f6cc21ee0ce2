"""The wall's screen at its three sizes, rendered to PNG and looked at by the tests too."""
from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from display_wall.screen_state import WallModel
from display_wall.view import ACCENT, WallView
from tests.display_wall.wall_sample import NOW, busy_morning, figures, notices, quiet_hall

OUTPUT = Path(__file__).resolve().parents[1] / "output" / "wall"
SIZES = [(1920, 1080), (3840, 2160), (1080, 1920)]


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("variant", ["live", "stale", "notices", "quiet"])
def test_the_wall_renders_every_part_without_clipping_at_each_size(qtbot, width, height,
                                                                   variant):
    stale = variant == "stale"
    model = WallModel()
    for message in (quiet_hall() if variant == "quiet" else busy_morning()):
        model.apply(message, NOW)
    if variant == "notices":
        model.apply(notices(), NOW)
    view = WallView()
    qtbot.addWidget(view)
    view.resize(width, height)
    view.render_state(model.state(NOW, connected=not stale))
    OUTPUT.mkdir(parents=True, exist_ok=True)
    png = OUTPUT / f"wall-{width}x{height}-{variant}.png"
    assert view.grab().save(str(png))
    assert view.overflows == []
    # Pixels are read back with Pillow: reading 100,000 of them through PySide6 6.12 corrupts
    # a reference count and crashes the interpreter at exit.
    image = Image.open(png).convert("RGB")
    accent = (ACCENT.red(), ACCENT.green(), ACCENT.blue())
    calling_panel = image.crop((0, 0, width if height > width else width // 2, height))
    mask = Image.eval(calling_panel, lambda v: v)
    rows = [y for y in range(0, mask.height, 2)
            if any(mask.getpixel((x, y)) == accent for x in range(0, mask.width, 3))]
    # The called number is readable from 10 m: its glyphs are at least a tenth of the height.
    assert rows and max(rows) - min(rows) >= height // 10
    if stale:
        assert image.getpixel((width // 2, height - 5))[0] > 200
    if variant == "notices":
        assert image.getpixel((5, 5)) == accent  # the urgent notice takes the top banner



@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_days_charts_take_the_waits_panel_in_turn(qtbot, width, height):
    from datetime import timedelta

    model = WallModel()
    for message in busy_morning():
        model.apply(message, NOW)
    model.apply(figures(), NOW)
    view = WallView()
    qtbot.addWidget(view)
    view.resize(width, height)
    at_charts = NOW.replace(second=25)
    state = model.state(at_charts, connected=True)
    assert state.show_charts
    view.render_state(state)
    view.charts.draw_now()
    assert view.charts.drawn is state.figures
    OUTPUT.mkdir(parents=True, exist_ok=True)
    assert view.grab().save(str(OUTPUT / f"wall-{width}x{height}-charts.png"))
    assert view.overflows == []
    view.render_state(model.state(at_charts + timedelta(seconds=10), connected=True))
    assert not view.charts.isVisible()
