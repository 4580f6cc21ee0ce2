from __future__ import annotations

from datetime import timedelta

import pytest

from hall.protocol import encode
from hall.protocol import messages as m
from tests.support import STAFF_PIN


@pytest.fixture
def manager(broker, controller, make_device):
    client, _ = make_device(broker, "console-1", m.Role.CONSOLE, user="manager")
    return client


def test_a_pushed_notice_is_retained_for_the_walls_and_can_be_retracted(
        broker, controller, manager, make_device, clock):
    pushed = manager.request(m.PushNotice, text_zh="今日下午系统升级，16:00 停止取号",
                             text_en="System upgrade this afternoon", urgent=True,
                             expires_at=clock() + timedelta(hours=8))
    assert isinstance(pushed, m.Accepted) and pushed.notice_id
    wall, inbox = make_device(broker, "wall-1", m.Role.WALL,
                              subscriptions=(controller.topics.notices,))
    board = inbox.wait_for(lambda t, msg: isinstance(msg, m.Notices) and bool(msg.notices))[1]
    assert board.notices[0].text_zh == "今日下午系统升级，16:00 停止取号"
    assert board.notices[0].urgent
    assert isinstance(manager.request(m.RetractNotice, notice_id=pushed.notice_id), m.Accepted)
    inbox.wait_for(lambda t, msg: isinstance(msg, m.Notices) and not msg.notices)
    again = manager.request(m.RetractNotice, notice_id=pushed.notice_id)
    assert isinstance(again, m.Rejected) and again.code == "unknown_notice"


@pytest.mark.parametrize(("fields", "code"), [
    ({"text_zh": "   "}, "invalid_notice"),
    ({"text_zh": "长" * 201}, "invalid_notice"),
    ({"text_zh": "过期", "expires_at_offset_h": -1}, "invalid_notice"),
])
def test_a_bad_notice_is_refused_with_a_reason(manager, clock, fields, code):
    fields = dict(fields)
    offset = fields.pop("expires_at_offset_h", None)
    if offset is not None:
        fields["expires_at"] = clock() + timedelta(hours=offset)
    answer = manager.request(m.PushNotice, **fields)
    assert isinstance(answer, m.Rejected) and answer.code == code


def test_an_expired_notice_leaves_the_retained_list_by_itself(
        broker, controller, manager, make_device, clock):
    manager.request(m.PushNotice, text_zh="午间休息 12:00-13:30",
                    expires_at=clock() + timedelta(minutes=5))
    wall, inbox = make_device(broker, "wall-1", m.Role.WALL,
                              subscriptions=(controller.topics.notices,))
    inbox.wait_for(lambda t, msg: isinstance(msg, m.Notices) and bool(msg.notices))
    clock.advance(minutes=6)
    inbox.wait_for(lambda t, msg: isinstance(msg, m.Notices) and not msg.notices)


def test_only_the_manager_account_can_open_the_hall_or_push_notices(
        broker, controller, make_device):
    kiosk, _ = make_device(broker, "kiosk-1")
    # On its own intent topic the codec refuses it; the manager topic is closed by the ACL.
    forged = m.PushNotice(request_id="n1", reply_to=controller.topics.reply("kiosk-1"),
                          text_zh="假通知")
    kiosk.publish_raw(controller.topics.intent("kiosk-1"), encode(forged))
    kiosk.publish_raw(controller.topics.manager_intent("kiosk-1"), encode(forged))
    later = kiosk.answer(kiosk.send(m.TakeTicket, business="enrollment"), timeout_s=5)
    assert isinstance(later, m.TicketAnswer)
    assert controller.store.notices_in_force() == []


def test_congestion_raises_one_alert_and_marks_the_business_on_the_snapshot(
        broker, controller, make_device):
    manager, alerts = make_device(broker, "console-1", m.Role.CONSOLE, user="manager",
                                  subscriptions=(controller.topics.alert, controller.topics.queue))
    kiosk, _ = make_device(broker, "kiosk-1")
    counter, _ = make_device(broker, "counter-5", m.Role.COUNTER)
    counter.request(m.SignIn, window=5, staff_id="YB0105", pin=STAFF_PIN)
    for _ in range(5):  # 门诊慢特病: 15 min each, one window: 5 waiting is over 45 min
        kiosk.request(m.TakeTicket, business="chronic_disease")
    alert = alerts.wait_for(lambda t, msg: isinstance(msg, m.HallAlert))[1]
    assert (alert.alert, alert.business) == ("congestion", "chronic_disease")
    assert "门诊慢特病待遇认定" in alert.message_zh
    snapshot = alerts.wait_for(lambda t, msg: isinstance(msg, m.QueueSnapshot) and any(
        b.congested for b in msg.businesses))[1]
    assert [b.code for b in snapshot.businesses if b.congested] == ["chronic_disease"]
    kiosk.request(m.TakeTicket, business="chronic_disease")
    assert len(alerts.all(m.HallAlert)) == 1


def test_the_days_figures_are_retained_for_the_walls_charts(broker, controller, make_device,
                                                             clock):
    kiosk, _ = make_device(broker, "kiosk-1")
    kiosk.request(m.TakeTicket, business="enrollment")
    kiosk.request(m.TakeTicket, business="enrollment")
    clock.advance(seconds=61)
    wall, inbox = make_device(broker, "wall-1", m.Role.WALL,
                              subscriptions=(controller.topics.figures,))
    figures = inbox.wait_for(lambda t, msg: isinstance(msg, m.DayFigures)
                             and bool(msg.issued_per_hour))[1]
    assert figures.issued_per_hour[0].issued == 2
