"""The simulated hall days the wait benchmark scores on: real engine, believable days."""
from __future__ import annotations

from bench.wait_profiles import PROFILES, busy, county
from bench.wait_sim import calibration_table, run_day
from hall.core import PauseReason, TicketKind


def test_a_day_has_a_morning_ramp_a_lunch_peak_and_serves_everyone() -> None:
    results = [run_day(county(), d) for d in range(3)]
    per_hour: dict[int, int] = {}
    for r in results:
        for t in r.state.tickets.values():
            per_hour[t.issued_at.hour] = per_hour.get(t.issued_at.hour, 0) + 1
        assert all(t.first_called_at is not None for t in r.state.tickets.values())
    assert per_hour[8] < per_hour[10]
    assert per_hour[12] > per_hour[15]
    assert per_hour.get(17, 0) == 0  # closed at 17:00


def test_a_day_has_priority_appointments_no_shows_lunch_and_breaks() -> None:
    result = run_day(county(), 1)
    tickets = list(result.state.tickets.values())
    kinds = {t.kind for t in tickets}
    assert {TicketKind.NORMAL, TicketKind.PRIORITY, TicketKind.APPOINTMENT} <= kinds
    assert any(t.status.value == "no_show" for t in tickets)
    assert {p.reason for p in result.pauses} >= {PauseReason.LUNCH}


def test_a_seed_fixes_a_day_and_another_seed_gives_another() -> None:
    first, again, other = run_day(county(), 4), run_day(county(), 4), run_day(county(), 5)
    numbers = [sorted(str(t.number) for t in r.state.tickets.values())
               for r in (first, again, other)]
    assert numbers[0] == numbers[1] != numbers[2]


def test_the_busy_hall_issues_more_than_999_tickets_of_one_business() -> None:
    result = run_day(busy(), 0)
    inquiries = [t for t in result.state.tickets.values() if t.business == "account_inquiry"]
    assert len(inquiries) > 999
    assert any(str(t.number) == "H1000" for t in inquiries)


def test_the_lunch_closed_hall_issues_nothing_between_its_sessions() -> None:
    result = run_day(PROFILES["lunch_closed"](), 0)
    clocks = [t.issued_at.time() for t in result.state.tickets.values()]
    assert not any(c.hour == 12 or (c.hour == 13 and c.minute < 30) for c in clocks)


def test_the_calibration_table_shows_arrivals_and_waits_per_hour(capsys) -> None:
    table = calibration_table([run_day(county(), 0)])
    print(table)
    lines = table.splitlines()
    assert lines[0].startswith("hour") and any(line.startswith("12:00") for line in lines)
    assert "12:00" in capsys.readouterr().out
