"""The pure parts of bench/http.py: percentiles, the report line, arguments and the guard that
keeps it off any database not named for benchmarking. The load itself (gunicorn, load processes)
is not run here: it needs a seeded PostgreSQL database and minutes of two shared cores."""

import pytest

from bench import http as bench_http


def test_percentile_is_nearest_rank_in_milliseconds():
    values = [i / 1000 for i in range(1, 101)]  # 1..100 ms
    assert bench_http._percentile(values, 0.50) == pytest.approx(51)  # round(49.5) = 50 -> 51 ms
    assert bench_http._percentile(values, 0.95) == pytest.approx(95)
    assert bench_http._percentile(values, 0.99) == pytest.approx(99)
    assert bench_http._percentile(list(reversed(values)), 0.0) == pytest.approx(1)
    assert bench_http._percentile(values, 1.0) == pytest.approx(100)


def test_percentile_of_no_samples_is_zero_not_an_error():
    assert bench_http._percentile([], 0.99) == 0.0


def _result(rps, p50, n=100, errors=0):
    return {"rps": rps, "p50": p50, "p95": p50 * 2, "p99": p50 * 3, "n": n, "errors": errors}


def test_line_prints_figures_and_ratios_to_the_baseline():
    base = _result(400.0, 5.0)
    line = bench_http._line("manager dashboard", _result(50.0, 40.0, n=500, errors=2), base)
    fields = line.split()
    assert fields[:2] == ["manager", "dashboard"]
    assert fields[2:9] == ["50.0", "40.0", "80.0", "120.0", "500", "2", "8.0x"]
    assert fields[9] == "8.0x"  # baseline serves 8 times as many requests per second


def test_line_without_baseline_or_answers_has_no_ratio():
    assert "x" not in bench_http._line("  baseline /healthz", _result(400.0, 5.0), None)
    # Every request failed: zero throughput must not divide by zero.
    line = bench_http._line("case view", _result(0.0, 0.0, n=0, errors=0), _result(400.0, 5.0))
    assert not line.rstrip().endswith("x")


def test_arguments_default_and_reject_non_positive():
    args = bench_http._parse([])
    assert (args.seconds, args.concurrency, args.clients, args.workers) == (10.0, 8, 2, 4)
    assert bench_http._parse(["--seconds", "3", "--only", "dash"]).only == "dash"
    for bad in (["--seconds", "0"], ["--concurrency", "-1"], ["--workers", "0"]):
        with pytest.raises(SystemExit):
            bench_http._parse(bad)


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("um_scale2_bench", True),
        ("bench", True),
        ("bench-http", True),
        ("um_portal", False),
        ("um_benchmark_prod", False),  # "bench" must be a whole part, not a substring
        ("test_um_portal", False),
        ("", False),
    ],
)
def test_refuses_databases_not_named_for_benchmarking(name, ok):
    assert bench_http.is_bench_database(name) is ok
