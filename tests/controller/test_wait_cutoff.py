"""Wait ranges on the wire, per-ticket waits, and the issuing cut-off a manager can override."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from hall.config import SAMPLE_HALL, load_config
from hall.controller.wait_desk import WaitDesk
from hall.core.cutoff import CutoffMode
from hall.core.wait_estimate import TwinEstimator
from hall.protocol import messages as m
from hall.store import SqliteStore
from tests.support import ANSWER_TIMEOUT_S, STAFF_PIN


def take(kiosk, business="chronic_disease", **fields) -> m.Answer:
    return kiosk.request(m.TakeTicket, business=business, timeout_s=ANSWER_TIMEOUT_S, **fields)


def _row(snapshot: m.QueueSnapshot, code: str) -> m.BusinessQueue:
    return next(b for b in snapshot.businesses if b.code == code)


def test_a_ticket_answer_carries_its_range_and_a_priority_ticket_its_own(broker, controller,
                                                                         make_device) -> None:
    kiosk, _ = make_device(broker, "kiosk-1")
    counter, _ = make_device(broker, "counter-5", m.Role.COUNTER)
    counter.request(m.SignIn, window=5, staff_id="YB0105", pin=STAFF_PIN)
    answers = [take(kiosk) for _ in range(4)]
    priority = take(kiosk, priority=True, priority_reason="老年人")
    last = answers[-1]
    assert isinstance(last, m.TicketAnswer) and isinstance(priority, m.TicketAnswer)
    assert last.est_wait_low_min is not None and last.est_wait_high_min is not None
    assert last.est_wait_low_min <= last.est_wait_min <= last.est_wait_high_min
    assert priority.est_wait_min is not None and priority.est_wait_min < last.est_wait_min


def test_waiting_tickets_hear_their_remaining_wait_as_the_queue_moves(broker, controller,
                                                                      make_device,
                                                                      clock) -> None:
    kiosk, _ = make_device(broker, "kiosk-1")
    phone, inbox = make_device(broker, "console-9", m.Role.CONSOLE,
                               subscriptions=(controller.topics.waits,))
    counter, _ = make_device(broker, "counter-5", m.Role.COUNTER)
    counter.request(m.SignIn, window=5, staff_id="YB0105", pin=STAFF_PIN)
    tickets = [take(kiosk).ticket for _ in range(3)]
    clock.advance(seconds=6)  # per-ticket waits go out at most every 5 s; the tick sends them
    message = inbox.wait_for(lambda t, msg: isinstance(msg, m.TicketWaits) and any(
        w.ticket_id == tickets[-1].ticket_id for w in msg.waits))[1]
    mine = next(w for w in message.waits if w.ticket_id == tickets[-1].ticket_id)
    assert mine.number == tickets[-1].number and mine.low_min is not None


def test_a_manager_stops_issuing_for_one_business_and_kiosks_are_told_why(broker, controller,
                                                                          make_device) -> None:
    kiosk, _ = make_device(broker, "kiosk-1")
    manager, _ = make_device(broker, "console-1", m.Role.CONSOLE, user="manager")
    wall, inbox = make_device(broker, "wall-1", m.Role.WALL,
                              subscriptions=(controller.topics.queue,))
    assert isinstance(manager.request(m.SetIssuingCutoff, business="chronic_disease",
                                      mode=m.CutoffMode.STOP), m.Accepted)
    refused = take(kiosk)
    assert isinstance(refused, m.Rejected) and refused.code == "cut_off"
    assert refused.detail is not None and refused.detail["message_zh"] == "今日号源已满"
    assert refused.detail["reason"] == "manager" and refused.detail["next_opening"]
    snapshot = inbox.wait_for(lambda t, msg: isinstance(msg, m.QueueSnapshot)
                              and _row(msg, "chronic_disease").cut_off == "manager")[1]
    assert _row(snapshot, "chronic_disease").cut_off_zh == "今日号源已满"
    assert _row(snapshot, "enrollment").cut_off == ""
    assert isinstance(take(kiosk, "enrollment"), m.TicketAnswer)
    assert isinstance(manager.request(m.SetIssuingCutoff, business="chronic_disease",
                                      mode=m.CutoffMode.OPEN), m.Accepted)
    assert isinstance(take(kiosk), m.TicketAnswer)


def test_a_ticket_that_would_be_called_after_closing_is_refused_with_advice(
        broker, controller, make_device) -> None:
    # Four kiosks: one kiosk's limit (30 tickets at once) must not be what refuses them.
    kiosks = [make_device(broker, f"kiosk-{n}")[0] for n in range(1, 5)]
    counter, _ = make_device(broker, "counter-5", m.Role.COUNTER)
    counter.request(m.SignIn, window=5, staff_id="YB0105", pin=STAFF_PIN)
    # 15-minute services at one window from 09:30: the day (to 17:00) holds about 30 of them.
    answers = [take(kiosks[i % 4]) for i in range(40)]
    refused = [a for a in answers if isinstance(a, m.Rejected)]
    assert refused and all(a.code == "cut_off" for a in refused)
    assert refused[0].detail is not None
    assert refused[0].detail["message_zh"] == "预计今日无法办理，建议预约或网上办理"
    issued = [a for a in answers if isinstance(a, m.TicketAnswer)]
    assert 20 <= len(issued) <= 35


def test_a_managers_override_is_stored_for_its_service_day_and_forgotten_the_next(
        tmp_path) -> None:
    catalogue = load_config(SAMPLE_HALL, env={"HALL_MQTT_PASSWORD": "x"}).catalogue
    day = date(2026, 3, 2)
    now = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    store = SqliteStore(tmp_path / "hall.db")
    try:
        desk = WaitDesk(catalogue, TwinEstimator(catalogue))
        desk.refresh(store, day)
        desk.set_mode(store, m.SetIssuingCutoff(request_id="r1", business="chronic_disease",
                                                mode=m.CutoffMode.STOP), now, "console-1")
        restarted = WaitDesk(catalogue, TwinEstimator(catalogue))
        restarted.refresh(store, day)
        assert restarted.modes == {"chronic_disease": CutoffMode.STOP}
        restarted.refresh(store, date(2026, 3, 3))
        assert restarted.modes == {}
    finally:
        store.close()
