"""A kiosk's reprints survive its power cut: the day's tickets and their reprint counts on disk."""
from __future__ import annotations

from datetime import datetime

from hall.protocol import messages as m
from kiosk.issued_tickets import REPRINTS_PER_TICKET, IssuedTickets
from kiosk.screen_state import Screen
from tests.kiosk.conftest import tap, type_keys, wait_screen
from tests.support import SHANGHAI

ISSUED = datetime(2026, 11, 24, 9, 30, tzinfo=SHANGHAI)


def _answer(number: str, issued: datetime = ISSUED) -> m.TicketAnswer:
    return m.TicketAnswer(request_id="r1", ticket=m.TicketView(
        ticket_id=f"{issued.date()}-{number}", number=number, business="cross_region_filing",
        business_zh="异地就医备案", business_en="Filing", kind=m.TicketKind.NORMAL,
        issued_at=issued), people_ahead=2, rating_token="r1.h.x.1.sig")


def test_the_days_tickets_and_their_reprints_are_read_back_after_a_restart(tmp_path):
    path = tmp_path / "state" / "issued-tickets.json"
    before = IssuedTickets(path)
    before.remember(_answer("C001"))
    before.remember(_answer("C002"))
    before.reprinted(ISSUED.date(), "C001")
    after = IssuedTickets(path)  # the kiosk came back from a power cut
    assert after.for_reprint(ISSUED.date(), "C001") is None  # its one reprint is used
    assert after.for_reprint(ISSUED.date(), "C002") == _answer("C002")
    assert not path.with_suffix(".tmp").exists()


def test_yesterdays_tickets_are_not_reprinted_and_a_damaged_file_costs_only_the_reprints(
        tmp_path):
    path = tmp_path / "issued-tickets.json"
    IssuedTickets(path).remember(_answer("C001"))
    assert IssuedTickets(path).for_reprint(ISSUED.date().replace(day=25), "C001") is None
    path.write_text("{not json", encoding="utf-8")
    damaged = IssuedTickets(path)
    assert damaged.for_reprint(ISSUED.date(), "C001") is None
    damaged.remember(_answer("C003"))
    assert IssuedTickets(path).for_reprint(ISSUED.date(), "C003") is not None


def test_a_kiosk_restarted_after_a_power_cut_still_reprints_its_ticket_once(
        qtbot, tmp_path, broker, controller, make_kiosk, kiosk_printer, virtual_printer):
    state = tmp_path / "kiosk-state"
    kiosk = make_kiosk(broker, printer=kiosk_printer, state_dir=state)
    tap(qtbot, kiosk, "取号")
    tap(qtbot, kiosk, "异地就医备案")
    wait_screen(qtbot, kiosk, Screen.TICKET)
    number = kiosk.view_model.state.ticket.number
    kiosk.stop()  # the power cut
    again = make_kiosk(broker, printer=kiosk_printer, state_dir=state)
    for attempt in range(REPRINTS_PER_TICKET + 1):
        tap(qtbot, again, "补打号票")
        wait_screen(qtbot, again, Screen.REPRINT)
        type_keys(qtbot, again, number)
        tap(qtbot, again, "确认")
        wait_screen(qtbot, again, Screen.MESSAGE)
        expected = "reprint_done" if attempt < REPRINTS_PER_TICKET else "reprint_unknown"
        assert again.view_model.state.notice.key == expected
        tap(qtbot, again, "好的")
    qtbot.waitUntil(lambda: sum("（补打 Reprint）" in r.lines for r in virtual_printer.receipts)
                    == REPRINTS_PER_TICKET, timeout=20000)
