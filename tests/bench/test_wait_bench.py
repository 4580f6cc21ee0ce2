"""A smoke run of the accuracy benchmark on a few days: it runs and prints its table.

Accuracy itself is the benchmark's job (`hall bench wait`), not this test's.
"""
from __future__ import annotations

from bench.wait_bench import evaluate, format_report, run_wait_bench
from bench.wait_profiles import county


def test_the_wait_benchmark_scores_the_estimator_beside_the_best_baseline(capsys) -> None:
    report = evaluate(county(), train_days=2, test_days=1)
    text = format_report(report)
    print(text)
    assert report.tickets > 50
    assert report.overall.best_name
    assert "overall" in text and "lunch peak" in text and "best baseline" in text
    for business in ("enrollment", "reimbursement", "inquiry"):
        assert business in text
    assert "80% interval covers" in capsys.readouterr().out


def test_an_unknown_profile_is_named(capsys) -> None:
    assert run_wait_bench(["nowhere"]) == 2
    assert "unknown profile nowhere" in capsys.readouterr().err
