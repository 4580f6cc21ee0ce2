from __future__ import annotations

from dataclasses import replace

import pytest

from display_wall.screen_state import WallModel
from hall.protocol import messages as m
from tests.display_wall.wall_sample import NOW, busy_morning


def model() -> WallModel:
    wall = WallModel()
    for message in busy_morning():
        wall.apply(message, NOW)
    return wall


def test_the_newest_call_is_the_one_shown_large_and_the_rest_are_recent():
    state = model().state(NOW, connected=True)
    assert (state.now_calling.number, state.now_calling.window) == ("C012", 3)
    assert [c.number for c in state.recent][:2] == ["A031", "H044"]
    assert len(state.recent) == 8


def test_every_window_shows_its_clerk_and_status_with_the_pause_reason():
    windows = {w.window: w for w in model().state(NOW, connected=True).windows}
    assert windows[1].staff == "王晓燕 YB0101" and windows[1].status_zh == "服务中"
    assert windows[4].status_zh == "临时离开"
    assert windows[7].status_zh == "系统故障"
    assert windows[8].status_zh == "暂停服务" and windows[8].staff == ""


@pytest.mark.parametrize(("waiting", "minutes", "text"), [
    (0, 0, "无需等待"), (3, 12, "约 12 分钟"), (2, None, "暂无窗口"), (0, None, "-"),
])
def test_the_wait_per_business_is_said_plainly(waiting, minutes, text):
    wall = model()
    row = replace(wall.queue.businesses[0], waiting=waiting, est_wait_min=minutes,
                  est_wait_low_min=None, est_wait_high_min=None)
    wall.queue = replace(wall.queue, businesses=(row,))
    assert wall.state(NOW, connected=True).businesses[0].wait_zh == text


@pytest.mark.parametrize(("low", "high", "cut_off", "text"), [
    (15, 25, "", "约 15–25 分钟"), (95, 140, "", "约 95 分钟以上"), (130, 170, "", "超过 2 小时"),
    (15, 25, "预计今日无法办理，建议预约或网上办理", "预计今日无法办理，建议预约或网上办理"),
])
def test_the_wait_is_shown_as_a_range_or_the_cut_off(low, high, cut_off, text):
    wall = model()
    row = replace(wall.queue.businesses[0], waiting=9, est_wait_min=20, est_wait_low_min=low,
                  est_wait_high_min=high, cut_off="auto" if cut_off else "", cut_off_zh=cut_off)
    wall.queue = replace(wall.queue, businesses=(row,))
    assert wall.state(NOW, connected=True).businesses[0].wait_zh == text


@pytest.mark.parametrize(("connected", "controller", "stale"), [
    (True, m.DeviceStatus.ONLINE, False),
    (False, m.DeviceStatus.ONLINE, True),
    (True, m.DeviceStatus.OFFLINE, True),
])
def test_the_wall_marks_its_data_stale_when_the_broker_or_controller_is_gone(
        connected, controller, stale):
    wall = model()
    wall.apply(m.Presence(device_id="controller", role=m.Role.CONTROLLER, status=controller), NOW)
    state = wall.state(NOW, connected=connected)
    assert state.is_stale is stale
    assert state.last_update == NOW
    assert state.now_calling is not None  # the last state stays on screen


def test_notices_follow_their_schedule_on_the_walls_own_clock():
    from datetime import timedelta

    from tests.display_wall.wall_sample import notices

    wall = model()
    wall.apply(notices(), NOW)
    now = wall.state(NOW, connected=True)
    assert now.urgent_notice.startswith("今日 16:00 起系统升级")
    assert now.ticker == ("即日起门诊慢特病认定可在定点医院直接申请",)
    later = wall.state(NOW + timedelta(hours=3, minutes=1), connected=True)
    assert "下午 14:00 起开放 9 号窗口" in later.ticker
    expired = wall.state(NOW + timedelta(hours=7), connected=True)
    assert expired.urgent_notice == ""


def test_a_congested_business_gets_guidance_on_the_ticker():
    wall = model()
    row = replace(wall.queue.businesses[3], est_wait_min=60, congested=True)
    wall.queue = replace(wall.queue, businesses=(row,))
    state = wall.state(NOW, connected=True)
    assert state.businesses[0].congested
    assert any("门诊慢特病待遇认定等候人数较多" in t for t in state.ticker)


def test_when_nobody_waits_the_wall_pages_through_the_service_catalogue():
    from datetime import timedelta

    from tests.display_wall.wall_sample import quiet_hall

    wall = WallModel()
    for message in quiet_hall():
        wall.apply(message, NOW)
    first = wall.state(NOW.replace(second=0), connected=True).catalogue_page
    second = wall.state(NOW.replace(second=0) + timedelta(seconds=10), connected=True)
    assert first[0] == "A 参保登记 · 1、2、8 号窗口"
    assert len(first) == 5 and second.catalogue_page != first
    assert not model().state(NOW, connected=True).catalogue_page  # people waiting: no paging
