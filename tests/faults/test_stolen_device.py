"""Issue 11, finding 3: one stolen device cannot exhaust what the hall shares."""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hall.core.appointments import Appointment
from hall.protocol import messages as m
from hall.store import SqliteStore
from tests.faults.support import hub, report


def answers_to_a_burst(client, count: int, intent_type, **fields) -> list[m.Answer]:
    sent = [client.send(intent_type, **fields) for _ in range(count)]
    return [client.answer(intent, timeout_s=30) for intent in sent]


def test_a_stolen_kiosk_cannot_take_every_number_and_managers_are_told(
        private_broker, hall_id, tmp_path):
    with hub(private_broker, hall_id, tmp_path) as (controller, device):
        stolen, _ = device("kiosk-1")
        # 150: below the flood gate (which drops unanswered); the ticket limit answers each.
        answers = answers_to_a_burst(stolen, 150, m.TakeTicket, business="enrollment")
        issued = [a for a in answers if isinstance(a, m.TicketAnswer)]
        limited = [a for a in answers if isinstance(a, m.Rejected) and a.code == "rate_limited"]
        honest, _ = device("kiosk-2")
        answer = honest.request(m.TakeTicket, business="enrollment", timeout_s=30)
        alert = controller.watch_inbox.wait_for(
            lambda t, msg: isinstance(msg, m.HallAlert) and msg.alert == "rate_limited")[1]
        report("stolen kiosk takes tickets", sent=150, issued=len(issued),
               rate_limited=len(limited), honest_kiosk=getattr(answer.ticket, "number", answer))
        assert len(issued) <= 40 and len(issued) + len(limited) == 150
        assert isinstance(answer, m.TicketAnswer)
        assert "kiosk-1" in alert.message_zh


def test_a_stolen_kiosk_cannot_file_hundreds_of_complaints(private_broker, hall_id, tmp_path):
    with hub(private_broker, hall_id, tmp_path) as (controller, device):
        stolen, _ = device("kiosk-1")
        answers = answers_to_a_burst(stolen, 100, m.FileComplaint, category="suggestion",
                                     text="请增加座椅")
        filed = [a for a in answers if isinstance(a, m.ComplaintAnswer)]
        report("stolen kiosk files complaints", sent=100, filed=len(filed))
        assert 1 <= len(filed) <= 5


def add_bookings(store_path, now: datetime) -> None:
    store = SqliteStore(store_path)
    try:
        store.add_appointments([
            Appointment("482913", "cross_region_filing", now - timedelta(minutes=5),
                        now + timedelta(minutes=25), phone_last4="5678"),
            Appointment("771204", "cross_region_filing", now - timedelta(minutes=5),
                        now + timedelta(minutes=25)),
        ])
    finally:
        store.close()


def test_guessing_appointment_codes_is_useless(private_broker, hall_id, tmp_path):
    with hub(private_broker, hall_id, tmp_path) as (controller, device):
        add_bookings(controller.store, datetime.now(ZoneInfo("Asia/Shanghai")))
        guesser, _ = device("kiosk-1")
        rng = random.Random(7)
        guesses = [f"{rng.randrange(10**6):06d}" for _ in range(40)]
        answers = [guesser.request(m.CheckInAppointment, code=code, timeout_s=30)
                   for code in guesses]
        codes = [a.code for a in answers if isinstance(a, m.Rejected)]
        # Locked: even the right code and digits are refused at this kiosk now.
        locked = guesser.request(m.CheckInAppointment, code="482913", phone_last4="5678",
                                 timeout_s=30)
        alert = controller.watch_inbox.wait_for(
            lambda t, msg: isinstance(msg, m.HallAlert) and msg.alert == "check_in_locked")[1]
        citizen, _ = device("kiosk-2")
        wrong_digits = citizen.request(m.CheckInAppointment, code="482913", phone_last4="0000")
        unknown = citizen.request(m.CheckInAppointment, code="000001")
        asks = citizen.request(m.CheckInAppointment, code="482913")
        right = citizen.request(m.CheckInAppointment, code="482913", phone_last4="5678")
        no_phone = citizen.request(m.CheckInAppointment, code="771204")
        used = citizen.request(m.CheckInAppointment, code="771204")
        report("appointment code guessing", guesses=len(guesses),
               invalid=codes.count("invalid_appointment"), locked=codes.count("check_in_locked"),
               rate_limited=codes.count("rate_limited"))
        # Five wrong codes lock the kiosk; the ticket rate limit stops the rest even sooner.
        assert codes.count("invalid_appointment") == 5 and codes.count("check_in_locked") >= 1
        assert set(codes) == {"invalid_appointment", "check_in_locked", "rate_limited"}
        assert isinstance(locked, m.Rejected)
        assert locked.code in ("check_in_locked", "rate_limited")
        assert "kiosk-1" in alert.message_zh
        same = (wrong_digits.code, wrong_digits.message, wrong_digits.detail["reason"])
        assert same == (unknown.code, unknown.message, unknown.detail["reason"])
        assert same == (used.code, used.message, used.detail["reason"])
        assert asks.detail["reason"] == "phone_needed"
        assert isinstance(right, m.TicketAnswer) and isinstance(no_phone, m.TicketAnswer)
