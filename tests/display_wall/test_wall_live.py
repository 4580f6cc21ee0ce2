"""The wall driven by the real controller over the real broker."""
from __future__ import annotations

import pytest

from display_wall.app import WallApp, WallConfig
from hall.protocol import messages as m
from tests.conftest import device_settings
from tests.support import STAFF_PIN


@pytest.fixture
def make_wall(qtbot, hall_id, clock):
    apps: list[WallApp] = []

    def make(broker) -> WallApp:
        app = WallApp(WallConfig(hall_id=hall_id, device_id="wall-1",
                                 mqtt=device_settings(broker), width=1920, height=1080,
                                 full_screen=False, sound=False), clock=clock)
        qtbot.addWidget(app.view)
        app.start()
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.stop()


def test_a_call_at_the_counter_appears_on_the_wall_and_is_queued_for_the_voice(
        qtbot, broker, controller, make_device, make_wall):
    wall = make_wall(broker)
    kiosk, _ = make_device(broker, "kiosk-1")
    counter, _ = make_device(broker, "counter-1", m.Role.COUNTER)
    counter.request(m.SignIn, window=1, staff_id="YB0101", pin=STAFF_PIN)
    kiosk.request(m.TakeTicket, business="enrollment")
    with qtbot.waitSignal(wall.view_model.announcement_requested, timeout=5000) as call:
        counter.request(m.CallNext, window=1)
    assert (call.args[0].number, call.args[0].window) == ("A001", 1)
    qtbot.waitUntil(lambda: wall.view_model.state.now_calling is not None, timeout=5000)
    state = wall.view_model.state
    assert state.now_calling.number == "A001"
    assert next(w for w in state.windows if w.window == 1).staff == "王晓燕 YB0101"
    assert not state.is_stale


def test_a_burst_of_twenty_calls_is_announced_in_order_with_none_dropped(
        qtbot, broker, controller, make_device, make_wall):
    wall = make_wall(broker)
    # Four kiosks: one alone may issue only a few tickets a second (the controller's limits).
    kiosks = [make_device(broker, f"kiosk-{k}")[0] for k in range(1, 5)]
    counter, _ = make_device(broker, "counter-8", m.Role.COUNTER)
    counter.request(m.SignIn, window=8, staff_id="YB0108", pin=STAFF_PIN)
    for i in range(20):
        answer = kiosks[i % 4].request(m.TakeTicket, business="account_inquiry")
        assert isinstance(answer, m.TicketAnswer), answer
    heard: list[str] = []
    wall.view_model.announcement_requested.connect(lambda a: heard.append(a.number))
    for intent in [counter.send(m.CallNext, window=8) for _ in range(20)]:
        counter.answer(intent, timeout_s=5)
    qtbot.waitUntil(lambda: len(heard) == 20, timeout=10000)
    assert heard == [f"H{i:03d}" for i in range(1, 21)]
    assert len(wall.view_model.announcements) == 20


def test_the_wall_marks_itself_stale_while_the_broker_is_down_and_recovers(
        qtbot, private_broker, make_controller, make_device, make_wall):
    make_controller(private_broker)
    wall = make_wall(private_broker)
    qtbot.waitUntil(lambda: not wall.view_model.state.is_stale, timeout=5000)
    private_broker.stop()
    qtbot.waitUntil(lambda: wall.view_model.state.is_stale, timeout=5000)
    assert wall.view_model.state.hall_name_zh == "市医疗保障服务大厅"  # last state kept
    private_broker.start()
    qtbot.waitUntil(lambda: not wall.view_model.state.is_stale, timeout=20000)


def test_recalls_pauses_notices_and_congestion_reach_the_wall(
        qtbot, broker, controller, make_device, make_wall, clock):
    from datetime import timedelta

    wall = make_wall(broker)
    manager, _ = make_device(broker, "console-1", m.Role.CONSOLE, user="manager")
    kiosk, _ = make_device(broker, "kiosk-1")
    counter, _ = make_device(broker, "counter-5", m.Role.COUNTER)
    counter.request(m.SignIn, window=5, staff_id="YB0105", pin=STAFF_PIN)
    for _ in range(5):
        kiosk.request(m.TakeTicket, business="chronic_disease")
    qtbot.waitUntil(lambda: any("等候人数较多" in t for t in wall.view_model.state.ticker),
                    timeout=5000)
    assert any(b.congested for b in wall.view_model.state.businesses)
    counter.request(m.CallNext, window=5)
    heard: list[tuple[str, bool]] = []
    wall.view_model.announcement_requested.connect(lambda a: heard.append((a.number, a.is_recall)))
    counter.request(m.Recall, window=5)
    qtbot.waitUntil(lambda: ("D001", True) in heard, timeout=5000)
    counter.request(m.Park, window=5)
    counter.request(m.Pause, window=5, reason=m.PauseReason.LUNCH)
    qtbot.waitUntil(lambda: any(w.window == 5 and w.status_zh == "午休"
                                for w in wall.view_model.state.windows), timeout=5000)
    manager.request(m.PushNotice, text_zh="下午 14:00 起增开 9 号窗口",
                    expires_at=clock() + timedelta(hours=1))
    qtbot.waitUntil(lambda: "下午 14:00 起增开 9 号窗口" in wall.view_model.state.ticker,
                    timeout=5000)
    clock.advance(hours=2)
    qtbot.waitUntil(lambda: "下午 14:00 起增开 9 号窗口" not in wall.view_model.state.ticker,
                    timeout=5000)


def test_a_new_call_blinks_then_stays_lit_in_the_accent_colour(qtbot):
    from display_wall.screen_state import CallLine, WallState
    from display_wall.view import WallView

    view = WallView()
    qtbot.addWidget(view)
    view.resize(1920, 1080)
    view.render_state(WallState(now_calling=CallLine("A005", 2)))
    lit: list[bool] = []
    qtbot.waitUntil(lambda: lit.append(view.is_highlighted) or not view._blink_timer.isActive(),
                    timeout=5000)
    assert True in lit and False in lit
    assert not view.is_highlighted
