"""Report timings for a year of a busy hall: 300,000 tickets, 100,000 ratings, some 2,000
bad-rating cases and 500 complaints, with the database's size.

    python -m bench.report_bench [--json out.json] [--runs 5] [--keep path.db]

Closed days are first rolled up the way the controller's keeper does it (each day timed);
then each report is timed `runs` times (p50, p99, mean): the monthly report, a month with
today read live, every 满意率 dimension by every period over the whole year, the year's queue
figures and the exports. The floor beside them is a bare `count(*)` over the year's tickets
in the same database, the least any report must pay; for comparison, the year's queue figures
and the monthly report are also timed once from the raw records alone.
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.figures import Figure, figure
from bench.loop_data import YEAR_OF_A_BUSY_HALL, generate
from hall.config import SAMPLE_HALL, load_config
from hall.core import reports as rp
from hall.reports_export import (
    month_report,
    month_report_from_store,
    render_html,
    satisfaction_report,
    write_xlsx,
)
from hall.store import SqliteStore
from hall.store.report_live import LiveReportQueries
from hall.store.report_queries import ReportQueries

YEAR_START, YEAR_END = date(2026, 1, 1), date(2027, 1, 1)


def _time(name: str, runs: int, work: Callable[[], object]) -> Figure:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return figure(name, samples)


def run(runs: int, keep: Path | None) -> dict[str, object]:
    config = load_config(SAMPLE_HALL, env={"HALL_MQTT_PASSWORD": "bench"})
    folder = Path(tempfile.mkdtemp(prefix="report-bench-"))
    path = keep or folder / "hall.db"
    reuse = path.exists()
    store = SqliteStore(path)
    started = time.perf_counter()
    made = {"reused": 1} if reuse else generate(store, config, YEAR_START, YEAR_END,
                                                 YEAR_OF_A_BUSY_HALL)
    generated_s = time.perf_counter() - started
    now = datetime(2026, 12, 31, 18, tzinfo=ZoneInfo("Asia/Shanghai"))
    queries = ReportQueries(store)
    rollup_samples = []
    for day in queries.rollup.days_due(now.date()):
        started = time.perf_counter()
        queries.rollup.roll_up(day, now)
        rollup_samples.append(time.perf_counter() - started)
    october, december = date(2026, 10, 1), date(2026, 12, 1)

    def year_by(dimension: rp.Dimension, grain: rp.Grain) -> Callable[[], object]:
        return lambda: rp.satisfaction(queries.rating_cells(YEAR_START, YEAR_END, dimension,
                                                            grain))

    def year_queue(source: ReportQueries | LiveReportQueries) -> Callable[[], object]:
        return lambda: rp.queue_figures(source.ticket_tallies(YEAR_START, YEAR_END),
                                        source.waits(YEAR_START, YEAR_END),
                                        source.handles(YEAR_START, YEAR_END))

    report = month_report_from_store(store, config.catalogue, october, now)
    out = folder / "monthly.xlsx"
    figures = [
        _time("floor: count(*) of the year's tickets", runs, lambda: store.connection.execute(
            "SELECT count(*) FROM tickets WHERE service_day >= ? AND service_day < ?",
            (YEAR_START.isoformat(), YEAR_END.isoformat())).fetchone()),
        *([figure("roll-up of one closed day (once per day)", rollup_samples)]
          if rollup_samples else []),
        _time("monthly report (every table), October", runs,
              lambda: month_report_from_store(store, config.catalogue, october, now)),
        _time("报表 page data: October's report + 满意率 per item by day", runs,
              lambda: (month_report(queries, config.catalogue, october, now),
                       satisfaction_report(queries, config.catalogue, october, rp.Dimension.ITEM,
                                           rp.Grain.DAY))),
        _time("monthly report, December (today read live)", runs,
              lambda: month_report_from_store(store, config.catalogue, december, now)),
        *(_time(f"满意率 per {d.value} by {g.value}, whole year", runs, year_by(d, g))
          for d in rp.Dimension for g in rp.Grain),
        _time("queue figures, whole year", runs, year_queue(queries)),
        _time("XLSX export of the monthly report", runs, lambda: write_xlsx(report, out)),
        _time("A4 HTML of the monthly report", runs, lambda: render_html(report)),
        _time("without roll-up: queue figures, whole year", 1, year_queue(queries.live)),
    ]
    store.close()
    size = sum(os.path.getsize(p) for p in path.parent.glob(path.name + "*"))
    return {"generated": made, "generate_s": round(generated_s, 1),
            "database_mb": round(size / 1e6, 1), "cpu_count": os.cpu_count(),
            "load_average": os.getloadavg()[0], "figures": [asdict(f) for f in figures]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", type=Path,
                        help="keep the generated database here (an existing one is reused)")
    args = parser.parse_args()
    result = run(args.runs, args.keep)
    print(f"generated {result['generated']} in {result['generate_s']} s; "
          f"database {result['database_mb']} MB; load average {result['load_average']:.1f}")
    for f in result["figures"]:  # type: ignore[attr-defined]
        print(f"  {f['name']:<52} p50 {f['p50_ms']:8.1f} ms  p99 {f['p99_ms']:8.1f} ms  "
              f"mean {f['mean_ms']:8.1f} ms  (n={f['count']})")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
