"""Discrete entry costs of lumpy projects: what including a whole project costs per tonne.

A lumpy project (integer builds or all_or_nothing) has no useful marginal price: it enters in
a lump. For each one, two mixed-integer plans under the scenario's target (the same target
levels, from the same no-target plan) are compared, every other choice left free:

- with it: the plan itself if it uses the project, else the plan with the project forced in
  (all_or_nothing: choose = 1; integer: at least one unit built in its first allowed year);
- without it: the plan itself if it does not use the project, else the plan with the project
  forced out (no build).

discrete_entry_npv_cny = NPV(with) − NPV(without) (start-year CNY; < 0: the project lowers the
plan's cost); discrete_entry_abatement_t = the project's own discounted abatement in the plan
with it, Σ_t a[p,t]·stock[p,t]·w(t) (under a binding target the two plans emit the same, and
its tonnes displace other projects'); discrete_entry_cost_cny_per_t = their ratio.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from planner.model.highs import Solution
from planner.model.persistent import PlanningModel
from planner.results import Result

USED_TOL = 1e-6  # share of a project's potential below which it counts as unused
COLUMNS = ["discrete_entry_npv_with_cny", "discrete_entry_npv_without_cny",
           "discrete_entry_npv_cny", "discrete_entry_abatement_t",
           "discrete_entry_cost_cny_per_t", "discrete_entry_note"]


def _abatement(pm: PlanningModel, sol: Solution, p: int) -> float:
    inp = pm.inp
    stock = pm.array(sol, "stock")[p]
    return float(np.dot(stock * inp.abatement.to_numpy(float)[p], inp.weights))


def discrete_entry_costs(res: Result) -> pd.DataFrame:
    """One row per lumpy project (index project id), columns COLUMNS; empty without lumpy
    projects. Each row costs one extra MIP solve."""
    inp = res.unfixed_inputs
    if inp is None or not res.optimal:
        return pd.DataFrame(columns=COLUMNS)
    if res.status == "time_limit":  # two incumbents short of optimal say nothing reliable
        ids = inp.projects.index[inp.lumpy != "continuous"]
        return pd.DataFrame([_row(math.nan, math.nan, math.nan, "not computed: the search "
                                  "stopped at its time limit")] * len(ids),
                            index=ids, columns=COLUMNS)
    pm = PlanningModel(inp, pyomo=False)
    base = pm.solve()
    proj = inp.projects
    years = np.asarray(inp.years)
    U = proj["max_units"].to_numpy(float)
    R = proj["max_build_per_year"].to_numpy(float)
    first = np.maximum(proj["earliest_year"].to_numpy(int), inp.start)
    aon_pos = {int(p): k for k, p in enumerate(inp.all_or_nothing)}
    build_cols = pm.project_columns("build")
    rows = {}
    for p in np.flatnonzero(inp.lumpy != "continuous"):
        stock = pm.array(base, "stock")[p]
        used = bool(stock.max(initial=0.0) > USED_TOL * U[p])
        if p in aon_pos:
            cols = np.array([pm.layout.cols("choose").start + aon_pos[p]])
            lo = hi = np.array([0.0 if used else 1.0])
        elif used:  # integer project in the plan: force it out
            cols = build_cols[p]
            lo = hi = np.zeros(len(cols))
        else:  # integer project not in the plan: one unit in its first allowed year
            t0 = int(np.searchsorted(years, first[p]))
            if t0 >= len(years) or R[p] < 1:
                rows[proj.index[p]] = _row(math.nan, math.nan, math.nan,
                                           "cannot build one whole unit in the horizon")
                continue
            cols = build_cols[p, t0:t0 + 1]
            lo, hi = np.ones(1), np.array([pm.session.lp.col_ub[cols[0]]])
        saved_lo = pm.session.lp.col_lb[cols] * pm.lp.col_scale[cols]
        saved_hi = pm.session.lp.col_ub[cols] * pm.lp.col_scale[cols]
        pm.session.set_col_bounds(cols, lo, hi)
        try:
            other = pm.solve()
        finally:
            pm.session.set_col_bounds(cols, saved_lo, saved_hi)
        with_sol, without_sol = (base, other) if used else (other, base)
        ok = other.status in ("optimal", "time_limit")
        if not ok:
            note = ("no plan without it meets the target" if used
                    else "no plan with it meets the target")
            rows[proj.index[p]] = _row(base.objective if used else math.nan,
                                       math.nan if used else base.objective,
                                       _abatement(pm, base, p) if used else math.nan, note)
            continue
        rows[proj.index[p]] = _row(with_sol.objective, without_sol.objective,
                                   _abatement(pm, with_sol, p), "")
    out = pd.DataFrame.from_dict(rows, orient="index", columns=COLUMNS)
    return out


def _row(with_cny: float, without_cny: float, abatement_t: float, note: str) -> list:
    d = with_cny - without_cny
    cost = d / abatement_t if abatement_t > 0 and math.isfinite(d) else math.nan
    return [with_cny, without_cny, d, abatement_t, cost, note]


__all__ = ["COLUMNS", "discrete_entry_costs"]
