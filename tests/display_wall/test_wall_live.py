"""The wall driven by the real controller over the real broker."""
from __future__ import annotations

import pytest

from display_wall.app import WallApp, WallConfig
from hall.protocol import messages as m
from tests.conftest import device_settings


@pytest.fixture
def make_wall(qtbot, hall_id):
    apps: list[WallApp] = []

    def make(broker) -> WallApp:
        app = WallApp(WallConfig(hall_id=hall_id, device_id="wall-1",
                                 mqtt=device_settings(broker), width=1920, height=1080,
                                 full_screen=False, sound=False))
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
    counter.request(m.SignIn, window=1, staff_id="YB0101")
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
    kiosk, _ = make_device(broker, "kiosk-1")
    counter, _ = make_device(broker, "counter-8", m.Role.COUNTER)
    counter.request(m.SignIn, window=8, staff_id="YB0108")
    for _ in range(20):
        kiosk.request(m.TakeTicket, business="account_inquiry")
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
