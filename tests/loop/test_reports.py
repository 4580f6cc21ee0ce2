"""The reports against independent counts of the stored records: three generated months around
the 2026 National Day holiday, with appeals and exclusions; the XLSX and CSV read back."""
from __future__ import annotations

import csv
import io
import json
import math
import sqlite3
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bench.loop_data import Scale, generate
from hall.config import SAMPLE_HALL, load_config
from hall.core import appeals as ap
from hall.core import reports as rp
from hall.core.ratings import RatingLevel
from hall.reports_export import csv_bytes, month_report_from_store, render_html, write_xlsx
from hall.store import SqliteStore
from hall.store.case_store import CaseStore
from hall.store.report_queries import ReportQueries
from hall.store.report_rollup import ReportRollup
from tests.support import SHANGHAI

OCTOBER, NOVEMBER = date(2026, 10, 1), date(2026, 11, 1)
NOW = datetime(2026, 11, 29, 10, tzinfo=SHANGHAI)
OUTPUT = Path(__file__).resolve().parents[1] / "output" / "reports"
GOOD = ("very_satisfied", "satisfied", "basically_satisfied")


ROLL_UPS = ("live", "rolled-up-then-excluded", "excluded-and-rolled-up-again")


@pytest.fixture(scope="module", params=ROLL_UPS)
def hall(request, tmp_path_factory):
    """Every figure is checked three ways: from the raw records; from the daily roll-up with
    the exclusions upheld after their days were rolled up (those days then read live); and
    from a roll-up made again after the exclusions."""
    config = load_config(SAMPLE_HALL, env={"HALL_MQTT_PASSWORD": "x"})
    path = tmp_path_factory.mktemp("reports") / "hall.db"
    store = SqliteStore(path)
    made = generate(store, config, date(2026, 9, 1), date(2026, 12, 1),
                    Scale(tickets=6000, ratings=2400, complaints=90), seed=7)
    rollup = ReportRollup(store.connection)
    if request.param != "live":
        assert all(rollup.roll_up(day, NOW) for day in rollup.days_due(NOW.date()))
    exclude_three_october_bad_ratings(store, config)
    if request.param == "excluded-and-rolled-up-again":
        assert all(rollup.roll_up(day, NOW) for day in rollup.days_due(NOW.date()))
    report = month_report_from_store(store, config.catalogue, OCTOBER, NOW)
    raw = sqlite3.connect(path)
    yield config, store, report, raw, made
    raw.close()
    store.close()


def exclude_three_october_bad_ratings(store, config):
    """Appeals upheld the way the controller does it, by a supervisor, with a reason."""
    cases = CaseStore(store)
    october = [c for c in cases.cases(since=OCTOBER, until=date(2026, 10, 31))
               if not cases.appeals(c.rating_id)][:3]
    for n, case in enumerate(october):
        rating = cases.rating(case.rating_id)
        filed_at = rating.rated_at + timedelta(hours=2)
        appeal = ap.file_appeal(rating, appeal_id=f"T{n}", filed_by=rating.staff_id,
                                reason="误触评价器", pending_or_upheld=False,
                                window_working_days=5, calendar=config.calendar, now=filed_at)
        cases.save_appeal(appeal, None, filed_at)
        decided = ap.decide_appeal(appeal, decided_by="zhao", role=ap.DeciderRole.SUPERVISOR,
                                   case_owner=case.owner, upheld=True,
                                   exclusion=ap.ExclusionKind.MIS_RATING, reason="监控核实",
                                   now=filed_at + timedelta(days=1))
        cases.save_appeal(decided, None, filed_at + timedelta(days=1))
    assert len(october) == 3


def table(report, name):
    return next(t for t in report.tables if t.name == name)


def october_ratings(raw):
    rows = raw.execute("SELECT r.rating_id, r.staff_id, r.window, r.items, r.level, t.business, "
                       "r.service_day, r.reasons FROM ratings r JOIN tickets t USING (ticket_id) "
                       "WHERE r.service_day >= '2026-10-01' AND r.service_day < '2026-11-01'")
    excluded = {r[0] for r in raw.execute("SELECT rating_id FROM rating_exclusions")}
    return list(rows), excluded


def test_the_generated_months_have_appeals_exclusions_and_no_holiday_tickets(hall):
    _, _, _, raw, made = hall
    assert made["cases"] > 20
    assert raw.execute("SELECT count(*) FROM rating_exclusions").fetchone()[0] > 0
    holiday = raw.execute("SELECT count(*) FROM tickets WHERE service_day BETWEEN '2026-10-01' "
                          "AND '2026-10-07'").fetchone()[0]
    make_up_saturday = raw.execute("SELECT count(*) FROM tickets WHERE service_day = "
                                   "'2026-10-10'").fetchone()[0]
    assert holiday == 0 and make_up_saturday > 0


@pytest.mark.parametrize("name, key_of", [
    ("satisfaction_staff_month", lambda row: [row[1]]),
    ("satisfaction_window_month", lambda row: [str(row[2])]),
    ("satisfaction_item_month", lambda row: json.loads(row[3])),
    ("satisfaction_business_month", lambda row: [row[5]]),
])
def test_satisfaction_per_key_equals_a_count_of_the_stored_ratings(hall, name, key_of):
    config, _, report, raw, _ = hall
    rows, excluded = october_ratings(raw)
    valid, good, dropped = Counter(), Counter(), Counter()
    for row in rows:
        for key in key_of(row):
            if row[0] in excluded:
                dropped[key] += 1
            else:
                valid[key] += 1
                good[key] += row[4] in GOOD
    names = {s.staff_id: s.name for s in config.catalogue.staff}
    names.update({b.code: b.name_zh for b in config.catalogue.businesses})
    seen = {}
    for r in table(report, name).rows:
        key = r[1].split("（")[-1].rstrip("）") if "（" in r[1] else r[1]
        seen[key] = (r[2], r[8], r[10])
    assert seen == {k: (valid[k], good[k] / valid[k] if valid[k] else None, dropped[k])
                    for k in set(valid) | set(dropped)}
    assert sum(dropped.values()) >= 3


def test_daily_rows_exist_on_the_make_up_saturday_and_not_in_the_holiday(hall):
    _, _, report, _, _ = hall
    days = {r[0] for r in table(report, "satisfaction_business_day").rows}
    assert date(2026, 10, 10) in days
    assert not days & {date(2026, 10, d) for d in range(1, 8)}


def test_every_level_count_and_the_headline_rate(hall):
    _, _, report, raw, _ = hall
    rows, excluded = october_ratings(raw)
    levels = Counter(r[4] for r in rows if r[0] not in excluded)
    totals = [sum(r[3 + i] for r in table(report, "satisfaction_window_month").rows)
              for i in range(5)]
    assert totals == [levels[lv.value] for lv in rp.LEVELS]
    valid = sum(levels.values())
    assert report.headline["满意率"] == f"{sum(levels[g] for g in GOOD) / valid:.1%}"
    assert report.headline["剔除评价数"] == str(sum(1 for r in rows if r[0] in excluded))


def test_bad_reasons_are_ranked_by_an_independent_count(hall):
    _, _, report, raw, _ = hall
    rows, excluded = october_ratings(raw)
    tally = Counter(reason for r in rows if r[0] not in excluded
                    and r[4] in ("dissatisfied", "very_dissatisfied")
                    for reason in json.loads(r[7]))
    counts = [n for _, n in table(report, "bad_reasons").rows]
    assert counts == sorted(tally.values(), reverse=True)


def test_queue_figures_equal_the_ticket_records(hall):
    config, _, report, raw, _ = hall
    tickets = list(raw.execute(
        "SELECT business, kind, status, issued_at, first_called_at FROM tickets "
        "WHERE service_day >= '2026-10-01' AND service_day < '2026-11-01'"))
    name = {b.code: b.name_zh for b in config.catalogue.businesses}
    waits_table = {r[0]: r for r in table(report, "waits").rows}
    for business in {t[0] for t in tickets}:
        mine = [t for t in tickets if t[0] == business]
        waits = sorted((datetime.fromisoformat(t[4]) - datetime.fromisoformat(t[3]))
                       .total_seconds() / 60 for t in mine if t[4])
        called = sum(1 for t in mine if t[4])
        row = waits_table[f"{name[business]}（{business}）"]
        assert row[1] == len(mine)
        assert row[2] == pytest.approx(sum(waits) / len(waits), abs=1e-3)
        nearest_rank = waits[math.ceil(0.9 * len(waits)) - 1]
        assert row[3] == pytest.approx(nearest_rank, abs=1 / 60)  # to the second
        assert row[4] == pytest.approx(sum(t[2] == "no_show" for t in mine) / called)
        assert row[5] == sum(1 for t in mine if t[1] == "priority")
    handled = Counter(w for (w,) in raw.execute(
        "SELECT window FROM tickets WHERE status = 'finished' AND service_day >= '2026-10-01' "
        "AND service_day < '2026-11-01'"))
    assert {r[0]: r[1] for r in table(report, "windows").rows} == dict(handled)
    per_hour = sum(r[-1] for r in table(report, "tickets_per_hour").rows)
    assert per_hour == len(tickets) == int(report.headline["取号数"])


def test_the_closed_loop_and_complaint_figures_equal_the_records(hall):
    _, _, report, raw, _ = hall
    excluded = {r[0] for r in raw.execute("SELECT rating_id FROM rating_exclusions")}
    cases = [c for c in raw.execute(
        "SELECT rating_id, real_name, callback_attempts FROM cases WHERE opened_at >= "
        "'2026-10-01' AND opened_at < '2026-11-01'") if c[0] not in excluded]
    real = [c for c in cases if c[1]]
    loop = dict(table(report, "closed_loop").rows)
    assert loop["差评件数"] == len(cases) and loop["实名差评件数"] == len(real)
    assert loop["回访率"] == pytest.approx(sum(1 for c in real if c[2] > 0) / len(real))
    by = Counter(raw.execute("SELECT category, channel FROM complaints WHERE registered_at >= "
                             "'2026-10-01' AND registered_at < '2026-11-01'"))
    assert sum(r[2] for r in table(report, "complaints_by_category").rows) == sum(by.values())
    appeals = raw.execute("SELECT count(*) FROM rating_appeals WHERE filed_at >= '2026-10-01' "
                          "AND filed_at < '2026-11-01'").fetchone()[0]
    assert len(table(report, "appeals").rows) == appeals


def test_the_grouped_sql_cells_equal_the_cells_of_single_ratings(hall):
    _, store, _, _, _ = hall
    queries = ReportQueries(store)
    facts = queries.ratings(OCTOBER, NOVEMBER)
    excluded = queries.excluded()
    for dimension in rp.Dimension:
        for grain in (rp.Grain.DAY, rp.Grain.WEEK):
            grouped = rp.satisfaction(queries.rating_cells(OCTOBER, NOVEMBER, dimension, grain))
            single = rp.satisfaction(rp.cells_of(facts, excluded, dimension, grain))
            assert grouped == single


def test_a_key_under_ninety_percent_is_flagged():
    day = date(2026, 10, 12)
    facts = [rp.RatingFact(f"r{n}", day, 3, "YB0103", "enrollment", ("enrollment",),
                           RatingLevel.DISSATISFIED if n < 2 else RatingLevel.SATISFIED, {}, ())
             for n in range(12)]
    facts.append(rp.RatingFact("r-x", day, 3, "YB0103", "enrollment", ("enrollment",),
                               RatingLevel.VERY_DISSATISFIED, {}, ("attitude",)))
    rows = rp.satisfaction(rp.cells_of(facts, {"r-x"}, rp.Dimension.STAFF, rp.Grain.WEEK))
    assert rows[0].period == date(2026, 10, 12) and rows[0].excluded == 1
    assert rows[0].rate == pytest.approx(10 / 12) and rows[0].flagged
    sheet = rp.satisfaction_table(rows, rp.Dimension.STAFF, rp.Grain.WEEK)
    assert sheet.flagged_rows == frozenset({0}) and sheet.rows[0][9] == "是"


def test_the_xlsx_reads_back_cell_for_cell_with_formats_and_a_frozen_header(hall):
    _, _, report, _, _ = hall
    path = OUTPUT / "monthly-2026-10.xlsx"
    write_xlsx(report, path)
    book = load_workbook(path)
    assert book.sheetnames[0] == "说明"
    about = {row[0].value: row[1].value for row in book["说明"].iter_rows(min_row=2)
             if len(row) > 1}
    assert about["口径"].startswith("满意率 =（非常满意 + 满意 + 基本满意）")
    assert about["统计截至"] == datetime(2026, 11, 1)
    for sheet_name, t in zip(book.sheetnames[1:], report.tables, strict=True):
        sheet = book[sheet_name]
        assert sheet.freeze_panes == "A2"
        assert [c.value for c in sheet[1]] == [c.title_zh for c in t.columns]
        for index, row in enumerate(t.rows, start=2):
            cells = sheet[index]
            for value, cell, column in zip(row, cells, t.columns, strict=True):
                expected = value.replace(tzinfo=None) if isinstance(value, datetime) else value
                expected = None if expected == "" else expected  # an empty cell reads as None
                if isinstance(expected, date) and not isinstance(expected, datetime):
                    expected = datetime.combine(expected, datetime.min.time())
                if isinstance(expected, float):
                    assert cell.value == pytest.approx(expected)
                else:
                    assert cell.value == expected
                if column.kind == "percent":
                    assert cell.number_format == "0.0%"
                if column.kind == "date":
                    assert cell.number_format == "yyyy-mm-dd"


def test_the_csv_has_a_bom_and_the_chinese_headers(hall):
    _, _, report, _, _ = hall
    data = csv_bytes(table(report, "staff_assessment"))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["工作人员", "办件量", "有效评价数"]
    assert rows[-1][0].startswith("口径：满意率")
    (OUTPUT / "staff-2026-10.csv").write_bytes(data)


def test_the_printable_report_is_a4_and_states_the_formula(hall):
    _, _, report, _, _ = hall
    html = render_html(report)
    assert "size: A4" in html and "满意率 =（非常满意 + 满意 + 基本满意）÷ 有效评价数" in html
    assert "工作人员月度考核表" in html and "<script" not in html
    assert "满意率（按业务类型、日）" not in html  # the daily table is in the XLSX only
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "monthly-2026-10.html").write_text(html, encoding="utf-8")


def test_the_monthly_report_counts_deadlines_as_of_the_months_end():
    from hall.core.report_sheets import as_of_end, month_end
    assert month_end(date(2026, 2, 1)) == date(2026, 3, 1)
    assert month_end(date(2026, 12, 1)) == date(2027, 1, 1)
    assert as_of_end(date(2026, 11, 1), NOW) == NOW.date()
    assert as_of_end(date(2026, 10, 1), NOW) == date(2026, 11, 1)
    assert timedelta(0) == timedelta(0)
