"""报表: the hall's month in figures (满意率 by staff, window, service item or business type by
day, week, month or year; the closed loop; complaints; the queue; the staff assessment sheet),
with charts and downloads (XLSX, CSV per table, printable A4), each download audited."""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from console.context import ConsoleContext
from console.pages import Page
from console.roles import Action
from hall.core.report_sheets import MonthlyReport
from hall.core.reports import (
    DIMENSION_ZH,
    GRAIN_ZH,
    SATISFACTION_FORMULA_ZH,
    Dimension,
    Grain,
    SatisfactionRow,
    Table,
)
from hall.reports_export import (
    cell_text,
    csv_bytes,
    month_report,
    period_of,
    render_html,
    satisfaction_report,
    write_xlsx,
)
from hall.store.report_queries import ReportQueries

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True, slots=True)
class Choice:
    """What the page shows: a month, the period a 满意率 row covers, and its dimension."""

    month: date
    grain: Grain
    dimension: Dimension

    @property
    def query(self) -> str:
        return f"month={self.month:%Y-%m}&grain={self.grain.value}&dim={self.dimension.value}"


def choice_of(request: Request, today: date) -> Choice:
    """The choice in the address, anything unreadable falling back to this month by staff."""
    params = request.query_params
    try:
        month = datetime.strptime(params.get("month", "")[:7], "%Y-%m").date()
    except ValueError:
        month = today.replace(day=1)
    grain = params.get("grain", Grain.MONTH.value)
    dimension = params.get("dim", Dimension.STAFF.value)
    return Choice(month=month,
                  grain=Grain(grain) if grain in Grain.__members__.values() else Grain.MONTH,
                  dimension=Dimension(dimension) if dimension in Dimension.__members__.values()
                  else Dimension.STAFF)


@dataclass(frozen=True, slots=True)
class ReportView:
    choice: Choice
    report: MonthlyReport
    rows: list[SatisfactionRow]
    selected: Table
    period: tuple[date, date]

    def tables(self) -> dict[str, Table]:
        return {self.selected.name: self.selected, **{t.name: t for t in self.report.tables}}

    def table(self, name: str) -> Table | None:
        return self.tables().get(name)


def build_view(ctx: ConsoleContext, choice: Choice) -> ReportView:
    queries = ReportQueries.open_read_only(ctx.config.hall.store_path)
    try:
        catalogue = ctx.config.hall.catalogue
        report = month_report(queries, catalogue, choice.month, ctx.clock())
        rows, selected = satisfaction_report(queries, catalogue, choice.month, choice.dimension,
                                             choice.grain)
    finally:
        queries.close()
    return ReportView(choice, report, rows, selected, period_of(choice.month, choice.grain))


def chart_data(view: ReportView) -> dict[str, str]:
    """The charts' series as JSON for data attributes (console/static/reports.js draws them)."""
    def table(name: str) -> Table:
        found = view.table(name)
        assert found is not None
        return found

    selected = view.selected
    labels = [f"{r[0]:%m-%d} {_short(r[1])}" if view.choice.grain is not Grain.MONTH
              and view.choice.grain is not Grain.YEAR else _short(r[1]) for r in selected.rows]
    rates = [round(r.rate * 100, 1) if r.rate is not None else None for r in view.rows]
    per_hour = table("tickets_per_hour")
    hours = [c.title_zh for c in per_hour.columns[1:-1]]
    waits = table("waits")
    by_category = table("complaints_by_category")
    categories: dict[str, int] = {}
    for category, _, count in by_category.rows:
        categories[str(category)] = categories.get(str(category), 0) + int(str(count))
    charts = {
        "satisfaction": {"kind": "bar", "x": labels, "unit": "%", "mark": 90,
                         "series": [{"name": "满意率（%）", "data": rates}]},
        "hours": {"kind": "bar", "x": hours, "stack": True,
                  "series": [{"name": _short(r[0]), "data": list(r[1:-1])}
                             for r in per_hour.rows]},
        "waits": {"kind": "bar", "x": [_short(r[0]) for r in waits.rows], "unit": "分钟",
                  "series": [{"name": "平均等候（分钟）", "data": [_round(r[2]) for r in waits.rows]},
                             {"name": "P90等候（分钟）", "data": [_round(r[3]) for r in waits.rows]}]},
        "complaints": {"kind": "bar", "x": list(categories),
                       "series": [{"name": "投诉件数", "data": list(categories.values())}]},
    }
    return {name: json.dumps(spec, ensure_ascii=False) for name, spec in charts.items()}


def _short(label: object) -> str:
    """A chart label: the Chinese name without its code (the tables keep both)."""
    return str(label).split("（")[0]


def _round(value: object) -> float | None:
    return round(value, 1) if isinstance(value, float) else None


def routes(ctx: ConsoleContext) -> list[BaseRoute]:
    from console.security import guarded

    def choice(request: Request) -> Choice:
        return choice_of(request, ctx.clock().date())

    async def show(request: Request) -> Response:
        picked = choice(request)
        view = await run_in_threadpool(build_view, ctx, picked)
        return ctx.render(request, "reports.html", view=view, charts=chart_data(view),
                          cell=cell_text, formula=SATISFACTION_FORMULA_ZH, grains=GRAIN_ZH,
                          dimensions=DIMENSION_ZH)

    async def xlsx(request: Request) -> Response:
        picked = choice(request)
        view = await run_in_threadpool(build_view, ctx, picked)
        data = await run_in_threadpool(_xlsx_bytes, view.report)
        ctx.audit(request, "download_report_xlsx", f"{picked.month:%Y-%m}")
        return Response(data, media_type=XLSX_TYPE, headers=_attachment(
            f"report-{picked.month:%Y-%m}.xlsx"))

    async def csv(request: Request) -> Response:
        picked = choice(request)
        name = request.path_params["name"]
        view = await run_in_threadpool(build_view, ctx, picked)
        table = view.table(name)
        if table is None:
            return HTMLResponse("没有这张表 · No such table", status_code=404)
        ctx.audit(request, "download_report_csv", f"{picked.month:%Y-%m} {name}")
        return Response(csv_bytes(table), media_type="text/csv; charset=utf-8",
                        headers=_attachment(f"{name}-{picked.month:%Y-%m}.csv"))

    async def printable(request: Request) -> Response:
        picked = choice(request)
        view = await run_in_threadpool(build_view, ctx, picked)
        ctx.audit(request, "print_report", f"{picked.month:%Y-%m}")
        return HTMLResponse(render_html(view.report))

    return [
        Route("/reports", guarded(ctx, Action.VIEW_REPORTS, show)),
        Route("/reports/xlsx", guarded(ctx, Action.VIEW_REPORTS, xlsx)),
        Route("/reports/csv/{name:str}", guarded(ctx, Action.VIEW_REPORTS, csv)),
        Route("/reports/print", guarded(ctx, Action.VIEW_REPORTS, printable)),
    ]


def _xlsx_bytes(report: MonthlyReport) -> bytes:
    with tempfile.TemporaryDirectory(prefix="hall-report-") as folder:
        path = Path(folder) / "report.xlsx"
        write_xlsx(report, path)
        return path.read_bytes()


def _attachment(filename: str) -> dict[str, str]:
    return {"content-disposition": f'attachment; filename="{filename}"'}


PAGE = Page(path="/reports", title_zh="报表", title_en="Reports", action=Action.VIEW_REPORTS,
            routes=routes)
