"""Report timings for a year of a busy hall: 300,000 tickets, 100,000 ratings, some 2,000
bad-rating cases and 500 complaints, with the database's size.

    python -m bench.report_bench [--json out.json] [--runs 5] [--keep path.db]

Each report is timed `runs` times (p50, p99, mean); the floor beside them is a bare
`count(*)` over the year's tickets in the same database, the least any report must pay.
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
from hall.reports_export import month_report_from_store, render_html, write_xlsx
from hall.store import SqliteStore
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
    october = date(2026, 10, 1)

    def year_by(dimension: rp.Dimension, grain: rp.Grain) -> Callable[[], object]:
        return lambda: rp.satisfaction(queries.rating_cells(YEAR_START, YEAR_END, dimension,
                                                            grain))

    report = month_report_from_store(store, config.catalogue, october, now)
    out = folder / "monthly.xlsx"
    figures = [
        _time("floor: count(*) of the year's tickets", runs, lambda: store.connection.execute(
            "SELECT count(*) FROM tickets WHERE service_day >= ? AND service_day < ?",
            (YEAR_START.isoformat(), YEAR_END.isoformat())).fetchone()),
        _time("monthly report (every table), October", runs,
              lambda: month_report_from_store(store, config.catalogue, october, now)),
        _time("满意率 per staff by day, whole year", runs,
              year_by(rp.Dimension.STAFF, rp.Grain.DAY)),
        _time("满意率 per service item by week, whole year", runs,
              year_by(rp.Dimension.ITEM, rp.Grain.WEEK)),
        _time("满意率 per business by month, whole year", runs,
              year_by(rp.Dimension.BUSINESS, rp.Grain.MONTH)),
        _time("满意率 per window by year", runs, year_by(rp.Dimension.WINDOW, rp.Grain.YEAR)),
        _time("queue figures, whole year", runs, lambda: rp.queue_figures(
            queries.ticket_tallies(YEAR_START, YEAR_END), queries.waits(YEAR_START, YEAR_END),
            queries.handles(YEAR_START, YEAR_END))),
        _time("XLSX export of the monthly report", runs, lambda: write_xlsx(report, out)),
        _time("A4 HTML of the monthly report", runs, lambda: render_html(report)),
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
        print(f"  {f['name']:<48} p50 {f['p50_ms']:8.1f} ms  p99 {f['p99_ms']:8.1f} ms  "
              f"mean {f['mean_ms']:8.1f} ms  (n={f['count']})")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
