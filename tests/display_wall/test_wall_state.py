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
    assert windows[8].status_zh == "未开放" and windows[8].staff == ""


def test_idle_paused_away_and_unstaffed_windows_each_have_their_own_word_and_tone():
    from display_wall.screen_state import Tone

    wall = model()
    wall.apply(m.WindowState(window=9, status=m.WindowStatus.PAUSED, updated_at=NOW,
                             staff_id="YB0109", staff_name="周婷"), NOW)
    lines = {w.window: w for w in wall.state(NOW, connected=True).windows}
    seen = {(lines[n].status_zh, lines[n].tone) for n in (1, 4, 6, 7, 8, 9)}
    assert seen == {("服务中", Tone.SERVING), ("临时离开", Tone.AWAY), ("空闲", Tone.IDLE),
                    ("系统故障", Tone.PAUSED), ("未开放", Tone.UNSTAFFED),
                    ("暂停服务", Tone.PAUSED)}


@pytest.mark.parametrize(("waiting", "minutes", "text"), [
    (0, 0, "无需等待"), (3, 12, "约12分钟"), (2, None, "暂无窗口"), (0, None, "无需等待"),
    (1, 3, "5分钟内"), (0, 25, "无需等待"), (40, 60, "约60分钟"), (90, 130, "超过2小时"),
    (400, 2471, "超过2小时"),
])
def test_the_wait_per_business_is_said_plainly(waiting, minutes, text):
    wall = model()
    row = replace(wall.queue.businesses[0], waiting=waiting, est_wait_min=minutes,
                  est_wait_low_min=None, est_wait_high_min=None)
    wall.queue = replace(wall.queue, businesses=(row,))
    assert wall.state(NOW, connected=True).businesses[0].wait_zh == text


@pytest.mark.parametrize(("low", "high", "cut_off", "text"), [
    (15, 25, "", "约15–25分钟"), (40, 75, "", "约40–75分钟"), (95, 140, "", "约95分钟以上"),
    (130, 170, "", "超过2小时"),
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


@pytest.mark.parametrize(("low", "high", "text"), [
    (15, 25, "约15–25分钟"), (0, 4, "5分钟内"), (50, 80, "约50–80分钟"), (110, 150, "约110分钟以上"),
])
def test_a_range_of_minutes_is_shown_as_a_citizen_reads_it(low, high, text):
    from display_wall.screen_state import wait_text

    assert wait_text(5, (low + high) // 2, low, high) == text


def test_a_recall_is_not_listed_twice_and_the_number_being_called_is_not_listed_again():
    wall = model()
    calls = (("A032", 1, False), ("C012", 3, True), ("A031", 1, False), ("C012", 3, False),
             ("A032", 1, False), ("H044", 2, False))
    wall.calls = m.RecentCalls(updated_at=NOW, calls=tuple(
        m.CallView(number=n, window=w, business="enrollment", at=NOW, is_recall=r)
        for n, w, r in calls))
    state = wall.state(NOW, connected=True)
    assert state.now_calling.number == "A032"
    assert [(c.number, c.window) for c in state.recent] == [("C012", 3), ("A031", 1),
                                                             ("H044", 2)]


def test_the_wall_shows_the_date_and_weekday():
    assert model().state(NOW, connected=True).date_line == "11月24日 星期二"


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
