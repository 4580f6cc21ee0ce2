"""A broker restart or crash: everyone reconnects by themselves and retained state is right."""
from __future__ import annotations

import pytest

from hall.protocol import messages as m
from tests.support import CONNECT_TIMEOUT_S, STAFF_PIN


def reconnected(*clients) -> None:
    for client in clients:
        assert client.wait_connected(CONNECT_TIMEOUT_S), f"{client} did not reconnect"


@pytest.mark.parametrize("hard", [False, True], ids=["restart", "crash"])
def test_after_a_broker_restart_devices_reconnect_and_retained_state_is_correct(
        private_broker, make_controller, make_device, hard):
    controller = make_controller(private_broker)
    topics = controller.topics
    kiosk, _ = make_device(private_broker, "kiosk-1")
    counter, _ = make_device(private_broker, "counter-1", m.Role.COUNTER)
    counter.request(m.SignIn, window=1, staff_id="YB0101", pin=STAFF_PIN)
    for _ in range(3):
        kiosk.request(m.TakeTicket, business="enrollment")
    counter.request(m.CallNext, window=1)

    private_broker.stop(hard=hard)
    private_broker.start()
    reconnected(controller.bus, kiosk.bus, counter.bus)

    wall, inbox = make_device(private_broker, "wall-1", m.Role.WALL,
                              subscriptions=(topics.all_state,))
    snapshot = inbox.wait_for(lambda t, msg: isinstance(msg, m.QueueSnapshot)
                              and msg.businesses[0].waiting == 2)[1]
    assert snapshot.is_open
    window = inbox.wait_for(lambda t, msg: isinstance(msg, m.WindowState) and msg.window == 1
                            and msg.ticket_number == "A001")[1]
    assert window.staff_name == "王晓燕"
    assert kiosk.request(m.TakeTicket, business="enrollment").ticket.number == "A004"
    assert counter.request(m.CallNext, window=1).number == "A002"


def test_a_request_sent_while_the_broker_is_down_is_answered_after_it_returns(
        private_broker, make_controller, make_device):
    make_controller(private_broker)
    kiosk, _ = make_device(private_broker, "kiosk-1")
    private_broker.stop()
    intent = kiosk.send(m.TakeTicket, business="enrollment")
    private_broker.start()
    answer = kiosk.answer(intent, timeout_s=CONNECT_TIMEOUT_S + 5)
    assert answer.ticket.number == "A001"


def test_controller_presence_is_republished_after_a_broker_crash(
        private_broker, make_controller, make_device):
    make_controller(private_broker)
    private_broker.stop(hard=True)
    private_broker.start()
    watcher, inbox = make_device(private_broker, "console-1", m.Role.CONSOLE, user="manager",
                                 subscriptions=("hall/+/device/controller/presence",))
    presence = inbox.wait_for(lambda t, msg: isinstance(msg, m.Presence)
                              and msg.status is m.DeviceStatus.ONLINE, timeout_s=15)[1]
    assert presence.role is m.Role.CONTROLLER
