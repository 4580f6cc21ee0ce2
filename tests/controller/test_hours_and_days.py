"""The controller follows the calendar by itself: service hours and the new day."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from hall.controller import ControllerService
from hall.protocol import messages as m
from tests.support import CONNECT_TIMEOUT_S, SHANGHAI, FakeClock


def test_ticket_issuing_opens_and_closes_at_the_edges_of_the_service_hours(
        broker, make_config, make_device):
    clock = FakeClock(datetime(2026, 11, 24, 8, 59, 30, tzinfo=SHANGHAI))
    config = replace(make_config(broker), auto_hours=True)
    service = ControllerService(config, clock=clock)
    service.start()
    try:
        assert service.wait_ready(CONNECT_TIMEOUT_S)
        kiosk, _ = make_device(broker, "kiosk-1")
        wall, inbox = make_device(broker, "wall-1", m.Role.WALL,
                                  subscriptions=(service.topics.queue,))
        assert kiosk.request(m.TakeTicket, business="enrollment").code == "hall_closed"
        clock.set(datetime(2026, 11, 24, 9, 0, 0, tzinfo=SHANGHAI))
        inbox.wait_for(lambda t, msg: isinstance(msg, m.QueueSnapshot) and msg.is_open)
        assert kiosk.request(m.TakeTicket, business="enrollment").ticket.number == "A001"
        clock.set(datetime(2026, 11, 24, 12, 0, 0, tzinfo=SHANGHAI))
        inbox.wait_for(lambda t, msg: isinstance(msg, m.QueueSnapshot) and not msg.is_open
                       and msg.updated_at >= clock())
        assert kiosk.request(m.TakeTicket, business="enrollment").code == "hall_closed"
    finally:
        service.stop()


def test_at_midnight_the_walls_see_a_new_empty_day_without_anyone_asking(
        broker, controller, make_device, clock):
    kiosk, _ = make_device(broker, "kiosk-1")
    kiosk.request(m.TakeTicket, business="enrollment")
    wall, inbox = make_device(broker, "wall-1", m.Role.WALL,
                              subscriptions=(controller.topics.queue,))
    inbox.wait_for(lambda t, msg: isinstance(msg, m.QueueSnapshot)
                   and msg.businesses[0].waiting == 1)
    clock.set(datetime(2026, 11, 25, 0, 0, 1, tzinfo=SHANGHAI))
    fresh = inbox.wait_for(lambda t, msg: isinstance(msg, m.QueueSnapshot)
                           and str(msg.service_day) == "2026-11-25")[1]
    assert all(b.waiting == 0 for b in fresh.businesses)
    assert not fresh.is_open


def test_the_broker_keeps_retained_state_across_its_own_restart(private_broker, make_device,
                                                                hall_id):
    from hall.protocol import Topics, encode

    topics = Topics(hall_id)
    snapshot = m.QueueSnapshot(service_day=datetime(2026, 11, 24).date(), is_open=True,
                               updated_at=datetime(2026, 11, 24, 9, 0, tzinfo=SHANGHAI))
    publisher, _ = make_device(private_broker, "controller", m.Role.CONTROLLER, user="controller")
    assert publisher.bus.publish(topics.queue, encode(snapshot), retain=True, wait_s=5)
    publisher.stop()
    private_broker.stop()
    private_broker.start()
    reader, inbox = make_device(private_broker, "wall-1", m.Role.WALL,
                                subscriptions=(topics.queue,))
    assert inbox.latest(topics.queue) == snapshot
