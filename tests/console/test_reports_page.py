"""报表 in the real headless Chromium over a real controller: a generated October (the National
Day holiday, its 调休 Saturday, exclusions upheld on appeal) shows figures equal to the stored
records; the XLSX, CSV and A4 downloads come back as real files, each one audited."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from bench.loop_data import Scale, generate
from broker_config import LocalBroker
from console.server import ConsoleServer
from hall.config import HallConfig
from hall.controller import ControllerService
from hall.core.ratings import SUB_INDICATORS_ZH
from hall.core.reports import LEVEL_SCORE, LEVELS
from hall.store import SqliteStore
from tests.console.browser_steps import WAIT_S, log_in
from tests.console.conftest import OUTPUT, log_in_http, screenshot, set_viewport
from tests.loop.test_reports import exclude_three_october_bad_ratings

GOOD = ("very_satisfied", "satisfied", "basically_satisfied")
SCORE = {level.value: score for level, score in LEVEL_SCORE.items()}
OCTOBER = "month=2026-10&grain=month&dim=staff"


@pytest.fixture
def reports_console(broker: LocalBroker, make_config: Callable[[LocalBroker], HallConfig],
                    make_controller: Callable[..., ControllerService],
                    make_console: Callable[..., ConsoleServer]) -> Iterator[ConsoleServer]:
    """A hall whose store holds October and November up to the test clock's day."""
    config = make_config(broker)
    store = SqliteStore(config.store_path)
    generate(store, config, date(2026, 9, 28), date(2026, 11, 24),
             Scale(tickets=2400, ratings=1000, complaints=40), seed=5)
    exclude_three_october_bad_ratings(store, config)
    store.close()
    yield make_console(make_controller(broker))


def staff_figures(path: Path) -> dict[str, tuple[int, list[int], float, int]]:
    """Per 工号 in October, counted from the stored ratings alone: valid ratings, the count of
    each level, 满意率 and the ratings excluded on appeal."""
    return {staff: figures[:4] for staff, figures in staff_scores(path).items()}  # type: ignore[misc]


def staff_scores(path: Path) -> dict[str, tuple[object, ...]]:
    """As `staff_figures`, then the mean score (5…1) and each sub-indicator's mean."""
    raw = sqlite3.connect(path)
    try:
        excluded = {r[0] for r in raw.execute("SELECT rating_id FROM rating_exclusions")}
        rows = list(raw.execute("SELECT rating_id, staff_id, level, sub_scores FROM ratings "
                                "WHERE service_day >= '2026-10-01' AND service_day < '2026-11-01'"))
    finally:
        raw.close()
    levels: dict[str, Counter[str]] = {}
    subs: dict[str, dict[str, list[int]]] = {}
    dropped: Counter[str] = Counter()
    for rating_id, staff, level, sub_scores in rows:
        if rating_id in excluded:
            dropped[staff] += 1
            continue
        levels.setdefault(staff, Counter())[level] += 1
        for name, sub_level in json.loads(sub_scores).items():
            subs.setdefault(staff, {}).setdefault(name, []).append(SCORE[sub_level])
    result: dict[str, tuple[object, ...]] = {}
    for staff, c in levels.items():
        valid = sum(c.values())
        result[staff] = (valid, [c[lv.value] for lv in LEVELS],
                         sum(c[g] for g in GOOD) / valid, dropped[staff],
                         sum(SCORE[lv] * n for lv, n in c.items()) / valid,
                         [mean(subs.get(staff, {}).get(name, [])) for name in SUB_INDICATORS_ZH])
    return result


def mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def charts_drawn(driver: WebDriver) -> None:
    WebDriverWait(driver, WAIT_S, poll_frequency=0.05).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-charts-drawn") == "1")


def full_page_screenshot(driver: WebDriver, name: str) -> Path:
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    set_viewport(driver, 1920, min(height, 6000))
    try:
        return screenshot(driver, name)
    finally:
        set_viewport(driver, 1920, 1080)


def test_the_report_page_shows_octobers_figures_equal_to_the_stored_records(
        browser: WebDriver, reports_console: ConsoleServer) -> None:
    console = reports_console
    expected = staff_figures(console.config.hall.store_path)
    log_in(browser, console, "wang.manager")
    browser.get(f"{console.url}/reports?{OCTOBER}")
    charts_drawn(browser)
    assert "满意率 =（非常满意 + 满意 + 基本满意）÷ 有效评价数 × 100%" in \
        browser.find_element(By.ID, "formula").text
    seen = {}
    for row in browser.find_elements(By.CSS_SELECTOR, "#table-satisfaction_staff_month tbody tr"):
        cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
        staff = cells[1].split("（")[-1].rstrip("）")
        seen[staff] = (int(cells[2]), [int(c) for c in cells[3:8]], cells[8], int(cells[10]))
    assert seen == {staff: (valid, levels, f"{rate * 100:.1f}%", dropped)
                    for staff, (valid, levels, rate, dropped) in expected.items()}
    assert sum(v[3] for v in seen.values()) >= 3  # the exclusions upheld on appeal are out
    valid = sum(v[0] for v in expected.values())
    good = sum(round(v[2] * v[0]) for v in expected.values())
    assert f"{good / valid:.1%}" in browser.find_element(By.ID, "report-headline").text
    callback = next(r for r in browser.find_elements(By.CSS_SELECTOR, "#table-closed_loop tr")
                    if r.text.startswith("回访率"))
    below = not callback.text.endswith("100.0%")  # 回访率 must be 100%
    assert ("flagged" in (callback.get_attribute("class") or "")) == below
    assert ("未达标" in callback.text) == below
    # ECharts' simple build draws on a canvas.
    assert browser.find_elements(By.CSS_SELECTOR, "#satisfaction .chart canvas")
    full_page_screenshot(browser, "reports-month-staff")


def test_rows_under_ninety_percent_stand_out_in_colour_and_in_words(
        browser: WebDriver, reports_console: ConsoleServer) -> None:
    log_in(browser, reports_console, "li.supervisor")  # 督查 may read the reports
    browser.get(f"{reports_console.url}/reports?month=2026-10&grain=day&dim=window")
    charts_drawn(browser)
    rows = browser.find_elements(By.CSS_SELECTOR, "#table-satisfaction_window_day tbody tr")
    assert rows
    flagged = 0
    for row in rows:
        cells = row.find_elements(By.TAG_NAME, "td")
        rate = float(cells[8].text.rstrip("%"))
        marked = "flagged" in (row.get_attribute("class") or "")
        assert marked == (rate < 90) and (("低于90%" in cells[9].text) == marked)
        flagged += marked
    assert flagged > 0, "a generated month has some window-days under 90%"
    background = browser.execute_script(
        "return getComputedStyle(document.querySelector('tr.flagged td')).backgroundColor")
    assert background == "rgb(255, 224, 230)"
    full_page_screenshot(browser, "reports-day-window")


def test_the_downloads_are_real_files_and_each_is_audited(
        browser: WebDriver, reports_console: ConsoleServer) -> None:
    console = reports_console
    client, _ = log_in_http(console)
    answer = client.get(f"/reports/xlsx?{OCTOBER}")
    assert answer.status_code == 200 and answer.content.startswith(b"PK")
    path = OUTPUT / "report-2026-10.xlsx"
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path.write_bytes(answer.content)
    book = load_workbook(path)
    sheet = book["满意率（按工作人员、月）"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[:10] == ["统计期（月）", "工作人员", "有效评价数", "非常满意", "满意", "基本满意",
                           "不满意", "非常不满意", "满意率", "低于90%"]
    expected = staff_scores(console.config.hall.store_path)
    names = {s.staff_id: s.name for s in console.config.hall.catalogue.staff}
    body = [row for row in sheet.iter_rows(min_row=2) if row[0].value is not None
            and isinstance(row[0].value, datetime)]
    assert len(body) == len(expected)
    for row in body:
        staff = str(row[1].value).split("（")[-1].rstrip("）")
        valid, levels, rate, dropped, score, sub_means = expected[staff]
        assert len(row) == 16  # every cell of the row is checked below
        assert row[0].value == datetime(2026, 10, 1) and row[0].number_format == "yyyy-mm-dd"
        assert row[1].value == f"{names[staff]}（{staff}）"
        assert [c.value for c in row[2:8]] == [valid, *levels]  # type: ignore[list-item]
        assert all(c.number_format == "0" for c in row[2:8])
        assert row[8].value == pytest.approx(rate) and row[8].number_format == "0.0%"
        assert row[9].value == ("是" if rate < 0.9 else None)  # type: ignore[operator]
        assert row[10].value == dropped and row[10].number_format == "0"
        assert row[11].value == pytest.approx(score) and row[11].number_format == "0.00"
        for cell, sub_mean in zip(row[12:16], sub_means, strict=True):  # type: ignore[call-overload]
            assert cell.value == (pytest.approx(sub_mean) if sub_mean is not None else None)
            assert cell.number_format == "0.00"
    assert str(sheet.cell(sheet.max_row, 1).value).startswith("口径：满意率")

    data = client.get(f"/reports/csv/staff_assessment?{OCTOBER}")
    assert data.status_code == 200 and data.content.startswith(b"\xef\xbb\xbf")
    assert "attachment" in data.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(data.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["工作人员", "办件量", "有效评价数"]
    assert client.get(f"/reports/csv/no_such_table?{OCTOBER}").status_code == 404

    printed = client.get(f"/reports/print?{OCTOBER}")
    assert printed.status_code == 200 and "size: A4" in printed.text
    audited = [(e.action, e.detail) for e in console.store.audit()]
    assert ("download_report_xlsx", "2026-10") in audited
    assert ("download_report_csv", "2026-10 staff_assessment") in audited
    assert ("print_report", "2026-10") in audited

    log_in(browser, console, "wang.manager")
    browser.get(f"{console.url}/reports/print?{OCTOBER}")
    full_page_screenshot(browser, "reports-print-a4")
    render_sheet(browser, console, book["工作人员月度考核表"], "report-xlsx-staff-assessment")


def render_sheet(driver: WebDriver, console: ConsoleServer, sheet: object, name: str) -> None:
    """The XLSX sheet as read back by openpyxl, shown cell by cell with its number formats, so
    its screenshot shows what the spreadsheet holds (LibreOffice is not installed)."""
    rows = []
    for row in sheet.iter_rows():  # type: ignore[attr-defined]
        cells = []
        for c in row:
            value = c.value
            if value is None:
                text = ""
            elif c.number_format == "0.0%" and isinstance(value, int | float):
                text = f"{value:.1%}"  # a 100% is read back as the int 1
            elif c.number_format == "0.00" and isinstance(value, float):
                text = f"{value:.2f}"
            elif isinstance(value, datetime):
                text = value.strftime("%Y-%m-%d")
            else:
                text = str(value)
            fill = c.fill.fgColor.rgb if c.fill and c.fill.fill_type == "solid" else None
            style = f"background:#{str(fill)[-6:]}" if fill else ""
            cells.append(f"<td style='{style}'>{text}</td>")
        if row[0].value and all(c.value is None for c in row[1:]):
            cells = [f"<td colspan='{len(row)}'>{row[0].value}</td>"]  # the 口径 note
        rows.append("<tr>" + "".join(cells) + "</tr>")
    html = ("<html><head><meta charset='utf-8'><style>body{font-family:sans-serif;margin:16px}"
            "td{border:1px solid #c8ced6;padding:4px 8px;font-size:15px;white-space:nowrap}"
            "tr:first-child td{font-weight:bold;background:#eef2f7}</style></head><body>"
            f"<h3>XLSX · {sheet.title}（openpyxl 读回）</h3><table>"  # type: ignore[attr-defined]
            + "".join(rows) + "</table></body></html>")
    page = OUTPUT / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    driver.get(page.as_uri())
    screenshot(driver, name)


def test_it_staff_may_not_read_the_reports(reports_console: ConsoleServer) -> None:
    client, _ = log_in_http(reports_console, "zhao.it")
    assert client.get(f"/reports?{OCTOBER}").status_code == 403
    assert client.get(f"/reports/xlsx?{OCTOBER}").status_code == 403
    anonymous = httpx.Client(base_url=reports_console.url, follow_redirects=False, timeout=10)
    assert anonymous.get(f"/reports/xlsx?{OCTOBER}").status_code == 303


def test_an_unreadable_choice_falls_back_to_this_month_by_staff(
        reports_console: ConsoleServer) -> None:
    client, _ = log_in_http(reports_console, "li.supervisor")
    page = client.get("/reports?month=2026-13&grain=hour&dim=%3Cscript%3E")
    assert page.status_code == 200
    assert 'value="2026-11"' in page.text and "按工作人员、按月" in page.text
    assert "<script>" not in page.text.split("</head>")[1].replace("<script src", "")
