"""The month's report from the store, and its exports: XLSX, CSV (UTF-8 with BOM), A4 HTML."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import jinja2
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from hall.core.catalogue import Catalogue
from hall.core.report_sheets import MonthlyReport, as_of_end, month_end, monthly_report
from hall.core.reports import (
    SATISFACTION_FORMULA_ZH,
    Dimension,
    Grain,
    SatisfactionRow,
    Table,
    satisfaction,
    satisfaction_table,
)
from hall.store import SqliteStore
from hall.store.report_queries import ReportQueries

TEMPLATES = Path(__file__).parent / "data" / "templates"
_FORMATS = {"int": "0", "float": "0.00", "percent": "0.0%", "date": "yyyy-mm-dd",
            "datetime": "yyyy-mm-dd hh:mm"}
_FLAG_FILL = PatternFill("solid", fgColor="FFE0E0")


def month_report_from_store(store: SqliteStore, catalogue: Catalogue, month: date,
                            now: datetime) -> MonthlyReport:
    """The report of the month that starts on `month` (the 1st), as of `now`."""
    return month_report(ReportQueries(store), catalogue, month, now)


def month_report(queries: ReportQueries, catalogue: Catalogue, month: date,
                 now: datetime) -> MonthlyReport:
    start, end = month.replace(day=1), month_end(month)
    return monthly_report(hall_name_zh=catalogue.name_zh, month=start,
                          as_of=as_of_end(start, now),
                          inputs=queries.month_inputs(start, end), names=names_of(catalogue))


def names_of(catalogue: Catalogue) -> dict[str, str]:
    """Chinese names of 工号 and business codes, for the reports' labels."""
    names = {s.staff_id: s.name for s in catalogue.staff}
    names.update({b.code: b.name_zh for b in catalogue.businesses})
    return names


def period_of(month: date, grain: Grain) -> tuple[date, date]:
    """The span a 满意率 table covers: the chosen month, or its whole year by year."""
    if grain is Grain.YEAR:
        return month.replace(month=1, day=1), month.replace(year=month.year + 1, month=1, day=1)
    return month.replace(day=1), month_end(month)


def satisfaction_report(queries: ReportQueries, catalogue: Catalogue, month: date,
                        dimension: Dimension, grain: Grain) -> tuple[list[SatisfactionRow], Table]:
    """满意率 per `dimension` by `grain` over `period_of(month, grain)`: rows and their table."""
    start, end = period_of(month, grain)
    rows = satisfaction(queries.rating_cells(start, end, dimension, grain))
    names = names_of(catalogue)

    def label(key: str) -> str:
        return f"{names[key]}（{key}）" if key in names else key

    return rows, satisfaction_table(rows, dimension, grain, label)


def _cell_value(value: object) -> object:
    # Excel has no time zones: local wall-clock time is what the hall reads.
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def write_xlsx(report: MonthlyReport, path: Path) -> None:
    book = Workbook()
    about = book.active
    assert about is not None
    about.title = "说明"
    about.append([f"{report.hall_name_zh} {report.month:%Y年%m月} 服务情况月报"])
    about.append(["统计截至", report.as_of])
    about.cell(2, 2).number_format = _FORMATS["date"]
    for key, value in report.headline.items():
        about.append([key, value])
    about.append([])
    about.append(["口径", SATISFACTION_FORMULA_ZH])
    for table in report.tables:
        if table.note_zh and table.note_zh != SATISFACTION_FORMULA_ZH:
            about.append([table.title_zh, table.note_zh])
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 100
    about["A1"].font = Font(bold=True, size=14)
    used: set[str] = {"说明"}
    for table in report.tables:
        _sheet(book, table, used)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def _sheet(book: Workbook, table: Table, used: set[str]) -> None:
    title = table.title_zh.replace("/", "、")[:28]
    while title in used:
        title = title[:26] + str(len(used))
    used.add(title)
    sheet = book.create_sheet(title)
    sheet.append([c.title_zh for c in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for index, row in enumerate(table.rows):
        sheet.append([_cell_value(v) for v in row])
        for column, cell in zip(table.columns, sheet[sheet.max_row], strict=True):
            if column.kind in _FORMATS:
                cell.number_format = _FORMATS[column.kind]
            if index in table.flagged_rows:
                cell.fill = _FLAG_FILL
    sheet.freeze_panes = "A2"
    for number, column in enumerate(table.columns, start=1):
        width = max(10, min(40, len(column.title_zh) * 2 + 2))
        sheet.column_dimensions[get_column_letter(number)].width = width
    if table.note_zh:
        sheet.append([])
        sheet.append([f"口径：{table.note_zh}"])


def csv_bytes(table: Table) -> bytes:
    """One table as CSV in UTF-8 with a BOM, so that Excel opens the Chinese right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.title_zh for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_value(v, c.kind) for v, c in zip(row, table.columns, strict=True)])
    if table.note_zh:
        writer.writerow([])
        writer.writerow([f"口径：{table.note_zh}"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def cell_text(value: object, kind: str) -> str:
    """A cell as the CSV, the A4 report and the console show it (empty for no value)."""
    return _csv_value(value, kind)


def _csv_value(value: object, kind: str) -> str:
    if value is None:
        return ""
    if kind == "percent" and isinstance(value, float):
        return f"{value * 100:.1f}%"
    if kind == "float" and isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def render_html(report: MonthlyReport) -> str:
    """The printable A4 monthly report (print CSS), for the console to serve or a browser to print."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                             autoescape=jinja2.select_autoescape(["html"]))
    env.filters["cell"] = lambda value, kind: _csv_value(value, kind) or "—"
    return env.get_template("monthly_report.html").render(report=report)
