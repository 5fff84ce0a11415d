"""Benchmark: 100-point cap sweep on the Zhuzhou peak-2025 scenario.

Compares, in the same run and on the same points:
- warm: one persistent model, target rows re-bounded per point (what `planner sweep` does);
- rebuild: build the Pyomo model, compile, pass to HiGHS and solve, per point;
- highs: HiGHS's own solve time inside the warm re-solves (the floor any wrapper can reach).
Prints per-point medians and the ratios; writes bench/out/sweep_bench.json.

    python bench/sweep_bench.py [--points 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np

import planner
from planner.model.persistent import PlanningModel

REPO = Path(__file__).resolve().parents[1]


def run(points: int) -> dict:
    inp = planner.bind(planner.load_scenario(REPO / "scenarios" / "zhuzhou_peak2025.yaml"))
    base = inp.scenario.target
    caps = np.linspace(float(inp.bau_total.max()), 0.9 * float(inp.bau_total.max()), points)

    pm = PlanningModel(inp)
    warm, highs, objs_w = [], [], []
    for cap in caps:
        t0 = time.perf_counter()
        pm.set_target(base.model_copy(update={"cap_t": float(cap)}))
        sol = pm.solve()
        warm.append(time.perf_counter() - t0)
        highs.append(sol.seconds)
        objs_w.append(sol.objective if sol.status == "optimal" else None)

    from planner.analysis.sweep import _point

    pm2 = PlanningModel(inp)
    full = []
    for cap in caps:
        t0 = time.perf_counter()
        _point(pm2, float(cap), base.peak_year)
        full.append(time.perf_counter() - t0)

    rebuild, objs_r = [], []
    for cap in caps:
        t0 = time.perf_counter()
        sc = inp.scenario.model_copy(update={"target": base.model_copy(
            update={"cap_t": float(cap)})})
        sol = PlanningModel(planner.bind(sc, inp.dataset)).solve()
        rebuild.append(time.perf_counter() - t0)
        objs_r.append(sol.objective if sol.status == "optimal" else None)

    same = all((a is None and b is None) or (a is not None and b is not None
                                             and abs(a - b) <= 1e-7 * max(1, abs(b)))
               for a, b in zip(objs_w, objs_r, strict=True))
    return {"warm_s": statistics.median(warm), "rebuild_s": statistics.median(rebuild),
            "sweep_point_s": statistics.median(full),
            "highs_s": statistics.median(highs), "same_objectives": same,
            "feasible_points": sum(o is not None for o in objs_w)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    runs = [run(args.points) for _ in range(args.repeat)]
    med = {k: statistics.median(r[k] for r in runs) for k in ("warm_s", "rebuild_s", "highs_s",
                                                           "sweep_point_s")}
    out = {"points": args.points, "repeat": args.repeat, **{f"median_{k}": v for k, v in
                                                            med.items()},
           "rebuild_over_warm": med["rebuild_s"] / med["warm_s"],
           "warm_over_highs": med["warm_s"] / med["highs_s"],
           "same_objectives": all(r["same_objectives"] for r in runs),
           "feasible_points": runs[0]["feasible_points"]}
    (REPO / "bench" / "out").mkdir(exist_ok=True)
    (REPO / "bench" / "out" / "sweep_bench.json").write_text(json.dumps(out, indent=2))
    print(f"{args.points} points x {args.repeat} runs (medians per point):")
    print(f"  warm re-solve      {med['warm_s'] * 1e3:8.2f} ms")
    print(f"  rebuild and solve  {med['rebuild_s'] * 1e3:8.2f} ms   "
          f"({out['rebuild_over_warm']:.1f}x the warm re-solve)")
    print(f"  sweep point        {med['sweep_point_s'] * 1e3:8.2f} ms   (warm re-solve plus the "
          f"result tables `planner sweep` records; rebuild = "
          f"{med['rebuild_s'] / med['sweep_point_s']:.1f}x this)")
    print(f"  HiGHS alone        {med['highs_s'] * 1e3:8.2f} ms   "
          f"(warm re-solve = {out['warm_over_highs']:.1f}x HiGHS)")
    print(f"  same objectives: {out['same_objectives']}; feasible points: "
          f"{out['feasible_points']}/{args.points}")


if __name__ == "__main__":
    main()
