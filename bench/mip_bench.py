"""Benchmark: MIP time against LP time with 9, 90 and 360 lumpy projects.

Synthetic cases from bench/synth.py (seeded). In each, a share of the projects is made lumpy:
half of them `integer` and half `all_or_nothing` (min_share 0.5, a fixed cost of one year's
capex of a tenth of the potential). Times, on the same built model: the LP (the same case with
every project continuous), the MIP (HiGHS branch and bound, default gap 1e-4, one thread) and
the fixed-integer LP used for prices. Writes bench/out/mip_bench.json.

    python -m bench.mip_bench [--lumpy 9,90,360] [--projects 400] [--years 21]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import planner
from planner.model.lumpy import fixed_integer_model
from planner.model.persistent import PlanningModel

try:  # python -m bench.mip_bench, or REPO on sys.path
    from bench.synth import write_case
except ImportError:  # python bench/mip_bench.py
    from synth import write_case

REPO = Path(__file__).resolve().parents[1]


def make_lumpy(folder: Path, n_lumpy: int, seed: int = 0) -> None:
    """Mark `n_lumpy` projects of folder/projects.csv lumpy (seeded)."""
    p = folder / "projects.csv"
    proj = pd.read_csv(p)
    rng = np.random.default_rng(seed)
    pick = rng.choice(len(proj), size=n_lumpy, replace=False)
    proj["lumpy"] = "continuous"
    proj["min_share"] = np.nan
    proj["fixed_cost_cny"] = np.nan
    integer, aon = pick[: n_lumpy // 2], pick[n_lumpy // 2:]
    proj.loc[integer, "lumpy"] = "integer"
    proj.loc[aon, "lumpy"] = "all_or_nothing"
    proj.loc[aon, "min_share"] = 0.5
    proj.loc[aon, "fixed_cost_cny"] = np.round(
        0.1 * proj.loc[aon, "max_units"] * proj.loc[aon, "capex_cny_per_unit"], 0)
    # a whole unit must fit the roll-out limit, and min_share the years to the target
    proj.loc[integer, "max_build_per_year"] = np.maximum(proj.loc[integer,
                                                                 "max_build_per_year"], 1.0)
    proj.to_csv(p, index=False, lineterminator="\n")


def timed(pm: PlanningModel) -> tuple[float, object]:
    t0 = time.perf_counter()
    sol = pm.solve()
    return time.perf_counter() - t0, sol


def case(n_lumpy: int, n_projects: int, n_years: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_case(tmp, n_projects, n_years=n_years, seed=0)
        sc = planner.load_scenario(path)
        lp_inp = planner.bind(sc)
        pm_lp = PlanningModel(lp_inp, pyomo=False)
        _ = pm_lp.no_target
        lp_s, lp_sol = timed(pm_lp)
        make_lumpy(Path(tmp), n_lumpy)
        inp = planner.bind(planner.load_scenario(path))
        t0 = time.perf_counter()
        pm = PlanningModel(inp, pyomo=False)
        nt_s = time.perf_counter() - t0  # build + the no-target MIP (two solves)
        mip_s, sol = timed(pm)
        relax_s0 = time.perf_counter()
        relax = pm.session.solve_relaxation()
        relax_s = time.perf_counter() - relax_s0
        t0 = time.perf_counter()
        fixed = fixed_integer_model(pm, sol)
        fix_s, fsol = timed(fixed)
        fix_build_s = time.perf_counter() - t0
        return {
            "lumpy_projects": n_lumpy, "projects": n_projects, "years": n_years,
            "rows": pm.layout.n_rows, "cols": pm.layout.n_cols,
            "integer_cols": int(np.count_nonzero(pm.lp.integrality)),
            "lp_s": round(lp_s, 4), "mip_s": round(mip_s, 4),
            "mip_over_lp": round(mip_s / lp_s, 1) if lp_s > 0 else None,
            "mip_status": sol.status, "mip_gap": sol.mip_gap,
            "build_and_no_target_mip_s": round(nt_s, 4),
            "relaxation_s": round(relax_s, 4), "fixed_lp_s": round(fix_s, 4),
            "fixed_lp_with_build_s": round(fix_build_s, 4),
            "lp_objective_cny": lp_sol.objective, "mip_objective_cny": sol.objective,
            "relaxation_objective_cny": relax, "fixed_lp_objective_cny": fsol.objective,
        }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lumpy", default="9,90,360")
    ap.add_argument("--projects", type=int, default=400)
    ap.add_argument("--years", type=int, default=21)
    args = ap.parse_args()
    rows = [case(int(k), args.projects, args.years) for k in args.lumpy.split(",")]
    for r in rows:
        print(f"{r['lumpy_projects']:4d} lumpy of {r['projects']}: LP {r['lp_s']:.3f} s, "
              f"MIP {r['mip_s']:.3f} s ({r['mip_over_lp']}x, {r['mip_status']}, gap "
              f"{r['mip_gap']:.2g}), fixed LP {r['fixed_lp_s']:.3f} s, "
              f"no-target MIP + build {r['build_and_no_target_mip_s']:.3f} s")
    out = REPO / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "mip_bench.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
