"""Benchmark: Monte Carlo of the bundled Zhuzhou peak-2025 scenario (scenarios/zhuzhou_uq.yaml).

Measures, in one run on the same 1,000 Latin-hypercube samples:
- serial: every sample in this process (one persistent model, coefficients changed per sample);
- warm re-solve: HiGHS's own time for one sample's re-solve from the base basis (median), the
  floor any wrapper can reach; a sample also solves its no-target plan (for the target cost) or,
  when infeasible, its shortfall — both counted separately;
- local: the same samples on a 2-worker Dask LocalCluster (with and without cluster start-up).
Prints the ratios of issue targets and writes bench/out/uq_bench.json.

    python bench/uq_bench.py [--samples 1000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    import planner
    from planner.analysis.uncertainty.engine import run
    from planner.analysis.uncertainty.sampling import dimensions, draw
    from planner.uqspec import load_spec

    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=1000)
    n = ap.parse_args().samples
    inp = planner.bind(planner.load_scenario(REPO / "scenarios" / "zhuzhou_peak2025.yaml"))
    dims = dimensions(load_spec(REPO / "scenarios" / "zhuzhou_uq.yaml"), inp)
    values = draw(dims, n, 1)

    run(inp, dims, values[:5])  # warm imports
    t0 = time.perf_counter()
    serial = run(inp, dims, values)
    t_serial = time.perf_counter() - t0
    warm = statistics.median(o.solve_seconds for o in serial)
    highs = float(np.mean([o.solve_seconds + o.extra_solve_seconds for o in serial]))

    from dask.distributed import Client, LocalCluster

    t0 = time.perf_counter()
    local = run(inp, dims, values, workers=2)
    t_local = time.perf_counter() - t0
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.run(lambda: __import__("planner.analysis.uncertainty.engine"))
        t0 = time.perf_counter()
        warm_cluster = run(inp, dims, values, scheduler=cluster.scheduler_address)
        t_running = time.perf_counter() - t0
    same = all(a.npv_cny == b.npv_cny or (np.isnan(a.npv_cny) and np.isnan(b.npv_cny))
               for a, b in zip(serial, local, strict=True))
    same &= all(a.npv_cny == b.npv_cny or (np.isnan(a.npv_cny) and np.isnan(b.npv_cny))
                for a, b in zip(serial, warm_cluster, strict=True))
    ideal = n * warm / 2
    out = {
        "samples": n, "optimal": sum(o.status == "optimal" for o in serial),
        "warm_resolve_ms": warm * 1e3, "highs_per_sample_ms": highs * 1e3,
        "serial_per_sample_ms": t_serial / n * 1e3,
        "local_2_workers_s": t_local, "running_cluster_2_workers_s": t_running,
        "ideal_s": ideal,
        "ratio_local_vs_ideal": t_local / ideal,
        "ratio_running_cluster_vs_ideal": t_running / ideal,
        "overhead_per_sample_vs_warm_resolve": (t_serial / n) / warm,
        "overhead_per_sample_vs_highs_time": (t_serial / n) / highs,
        "identical_across_engines": bool(same),
    }
    for k, v in out.items():
        print(f"{k:40s} {v:.4g}" if isinstance(v, float) else f"{k:40s} {v}")
    (REPO / "bench" / "out").mkdir(exist_ok=True)
    (REPO / "bench" / "out" / "uq_bench.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":  # the guard Dask's spawned workers need
    main()
