"""bench/perf.py's verdicts on the performance issue's targets: each is the measured ratio
against its limit, and a missing measurement is said, not counted as met."""

from __future__ import annotations

import pytest

from bench.perf import TOLERANCE, targets, targets_table


def _size(n: int, **kw) -> dict:
    base = {"size": n, "build_s": 0.5, "highs_s": 1.0, "core_s": 2.0, "ref_total_s": 1.2,
            "infeasible_s": 4.0, "rel_diff": 1e-15, "core_rel_diff": 2e-15,
            "ref_rss_mb": 400.0, "build_rss_mb": 600.0, "solve_rss_mb": 900.0}
    return {**base, **kw}


def _verdicts(rows) -> dict[tuple[str, str], str]:
    table = targets_table(rows)
    out = {}
    for what, at, _, _ in rows:
        line = next(x for x in table.splitlines() if x.startswith(f"| {what} | {at} |"))
        out[(what, at)] = line.rsplit("|", 2)[-2].strip()
    return out


def test_ratios_and_verdicts():
    results = [_size(1000), _size(3000, infeasible_s=31.0, core_s=10.0)]
    start = {"run_over_bare": 1.84}
    sweep = {"warm_s": 0.0003, "rebuild_s": 0.03}
    rows = targets(results, start, sweep)
    got = {(w, a): v for w, a, v, _ in rows}
    assert got[("Pyomo build / HiGHS solve", "1000")] == pytest.approx(0.5)
    assert got[("planner.solve economics=False / straight-highspy reference", "1000")] == \
        pytest.approx(2.0 / 1.2)
    assert got[("infeasible + explanation / feasible economics=False solve", "3000")] == \
        pytest.approx(3.1)
    assert got[("peak memory, MB", "3000")] == 900.0
    assert got[("sweep: warm re-solve / rebuild and solve, per point", "city")] == \
        pytest.approx(0.01)
    v = _verdicts(rows)
    assert v[("infeasible + explanation / feasible economics=False solve", "3000")] == \
        "**NOT MET**"
    assert v[("infeasible + explanation / feasible economics=False solve", "1000")] == "met"
    assert v[("`planner run` CPU / bare import", "city")] == "met"
    assert v[("objective: relative difference from the reference", "1000")] == "met"


def test_missing_measurements_are_not_met():
    rows = targets([_size(100, rel_diff=10 * TOLERANCE)], None, None)
    v = _verdicts(rows)
    assert v[("planner.solve economics=False / HiGHS solve", "1000")] == "not measured"
    assert v[("`planner run` CPU / bare import", "city")] == "not measured"
    assert v[("sweep: warm re-solve / rebuild and solve, per point", "city")] == "not measured"
    assert v[("objective: relative difference from the reference", "100")] == \
        "**NOT MET**"
    assert not any(w == "peak memory, MB" for w, *_ in rows)  # no 3,000 case in the run
