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
        # The urgent notice has its own banner under the hall's name and status, not over them.
        rects = view._rects()
        assert image.getpixel((5, int(rects["urgent"].center().y()))) == accent
        assert any(d.text == "市医疗保障服务大厅" for d in view.drawn)
    texts = {d.text for d in view.drawn}
    assert "11月24日 星期二" in texts
    assert ("正在取号 Open" in texts) and any(t.startswith("服务时间 ") for t in texts)
    assert_readable_and_inside(view, width, height)


def assert_readable_and_inside(view: WallView, width: int, height: int) -> None:
    """Every text inside its box and the screen, and none below the 5 m reading size."""
    floor = int(min(width, height) * 0.026)
    for d in view.drawn:
        assert d.width <= d.box.width() + 1, d
        assert d.box.left() >= 0 and d.box.right() <= width + 1, d
        assert d.box.top() >= 0 and d.box.bottom() <= height + 1, d
        assert d.px >= floor, d



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


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_waits_keep_one_size_per_column_however_large_the_numbers_grow(qtbot, width, height):
    from dataclasses import replace

    def sizes(waiting: int, minutes: int) -> dict[str, int]:
        model = WallModel()
        for message in busy_morning():
            model.apply(message, NOW)
        model.queue = replace(model.queue, businesses=tuple(
            replace(b, waiting=waiting if i % 2 else 0, est_wait_min=minutes)
            for i, b in enumerate(model.queue.businesses)))
        view = WallView()
        qtbot.addWidget(view)
        view.resize(width, height)
        view.render_state(model.state(NOW, connected=True))
        assert view.grab().save(str(OUTPUT / f"wall-{width}x{height}-waits-{waiting}.png"))
        assert_readable_and_inside(view, width, height)
        texts = [b.wait_zh for b in model.state(NOW, connected=True).businesses]
        assert "约2471分钟" not in texts
        return {d.text: d.px for d in view.drawn}

    OUTPUT.mkdir(parents=True, exist_ok=True)
    few, many = sizes(3, 12), sizes(400, 2471)
    assert "约12分钟" in few and "超过2小时" in many and "无需等待" in many
    assert few["3人"] == many["400人"] == many["0人"]
    assert few["约12分钟"] == many["超过2小时"] == many["无需等待"]
    assert few["A 参保登记"] == many["A 参保登记"] == many["B 参保信息变更"]


def test_the_window_table_header_stands_over_its_columns(qtbot):
    model = WallModel()
    for message in busy_morning():
        model.apply(message, NOW)
    view = WallView()
    qtbot.addWidget(view)
    view.resize(1920, 1080)
    view.render_state(model.state(NOW, connected=True))
    view.grab()
    left = {d.text: d.box.left() for d in view.drawn}
    assert left["窗口"] == left["1号"]
    assert left["当前号"] == left["A031"]
    assert left["工作人员 工号"] == left["王晓燕 YB0101"]
    assert abs(left["状态"] - left["服务中"]) < 1


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_four_digit_numbers_show_whole_in_the_call_the_window_table_and_the_recent_calls(
        qtbot, width, height):
    from dataclasses import replace

    from hall.protocol import messages as m

    def four_digits(number: str) -> str:
        return f"{number[0]}1{number[1:]}" if number else number  # H044 -> H1044

    model = WallModel()
    for message in busy_morning():
        if isinstance(message, m.RecentCalls):
            message = replace(message, calls=tuple(replace(c, number=four_digits(c.number))
                                                   for c in message.calls))
        elif isinstance(message, m.WindowState):
            message = replace(message, ticket_number=four_digits(message.ticket_number))
        model.apply(message, NOW)
    view = WallView()
    qtbot.addWidget(view)
    view.resize(width, height)
    view.render_state(model.state(NOW, connected=True))
    OUTPUT.mkdir(parents=True, exist_ok=True)
    assert view.grab().save(str(OUTPUT / f"wall-{width}x{height}-four-digits.png"))
    assert view.overflows == []
    assert_readable_and_inside(view, width, height)
    drawn = " ".join(d.text for d in view.drawn)
    for number in ("C1012", "A1031", "H1044", "E1007", "D1003"):
        assert number in drawn


def test_the_charts_start_at_zero_when_the_day_has_hardly_begun(qtbot):
    from display_wall.charts import ChartsPanel
    from hall.protocol import messages as m

    charts = ChartsPanel()
    qtbot.addWidget(charts)
    charts.resize(1200, 400)
    charts.show_figures(m.DayFigures(
        updated_at=NOW, issued_per_hour=(m.HourCount(hour=9, issued=1),),
        waiting_over_day=(m.WaitingSample(at="09:00", waiting=0),),
        avg_wait=(m.BusinessWait(code="enrollment", avg_wait_min=0.0),)), {})
    charts.draw_now()
    for plot in charts.plots:
        low, high = plot.viewRange()[1]
        assert low == 0 and high >= 1


def test_the_quiet_walls_service_list_has_full_width_brackets():
    model = WallModel()
    for message in quiet_hall():
        model.apply(message, NOW)
    entries = model.state(NOW, connected=True).catalogue_page
    assert any("（零星）" in entry for entry in entries) or not any("零星" in e for e in entries)
    assert not any("(零星)" in entry for entry in entries)
