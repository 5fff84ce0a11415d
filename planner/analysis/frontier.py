"""The feasibility frontier: for each candidate peak year, the lowest achievable peak and the
cost of going 90 %, 95 %, 100 % of the way there from the BAU peak."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from planner.analysis.sweep import infeasible_reason, with_target
from planner.model.blocks import INF
from planner.model.formulation import emission_scale
from planner.model.inputs import ModelInputs
from planner.model.persistent import PlanningModel

SHARES = (0.90, 0.95, 1.00)
#: the 100 % point is solved at the lowest peak plus this share of the emission scale, so
#: that solver tolerances cannot turn the frontier itself infeasible
EDGE = 1e-7


def lowest_peaks(inp: ModelInputs, peak_years: Sequence[int | None],
                 pm: PlanningModel | None = None, hint: np.ndarray | None = None) -> dict:
    """Lowest achievable peak (tCO2) per peak year: min over plans of the largest emissions of
    the optimised years, subject to all other targets (the scenario's cap_t is dropped). NaN
    where even that is infeasible. `pm`: a built model of `inp` to re-solve (left as found)
    instead of building one. `hint`: emissions per optimised year of some plan, whose highest
    year is tried first (a guess: it changes the work, not the answer). Each value is proven
    to within 2·PEAK_HOLD (`_lowest_peak`)."""
    free = with_target(inp, cap_t=None)
    if pm is None:
        pm = PlanningModel(free, "obj_peak")
    target, objective = pm.target, pm.session.objective
    out = {}
    try:
        for y in peak_years:
            pm.set_target(free.scenario.target.model_copy(update={"peak_year": y}))
            out[y] = _lowest_peak(pm, hint)
    finally:
        pm.set_target(target)
        pm.session.set_objective(objective)
    return out


#: the lowest peak is proven to within twice this share: no plan peaks below the value
#: reported, and some plan peaks at most 2·PEAK_HOLD (relative) above it
PEAK_HOLD = 1e-9


def _lowest_peak(pm: PlanningModel, hint: np.ndarray | None = None) -> float:
    """min over plans of max_t emissions[t] under pm's current target rows (NaN: infeasible).

    The min-max LP over every year is slow for the simplex at a thousand projects (a long,
    highly degenerate plateau of years at the peak), so years are added as needed: the least
    peak m over a set S of years is a lower bound on the answer; among the plans that hold every
    year of S at m (+ PEAK_HOLD), the one with the least total emissions is checked in every
    year, and the years above m (+ 2·PEAK_HOLD) join S. S starts from the highest year of
    `hint` or else of the plan with the least total emissions; at worst it grows to every year
    (the min-max LP)."""
    ses = pm.session
    sl = pm.layout.rows_of("max_emissions_bound")
    rows = np.arange(sl.start, sl.stop)
    peak = pm.columns("max_emissions")
    T = len(rows)
    inside = np.zeros(T, dtype=bool)

    def hold(cap: float) -> None:
        """max_emissions ≥ emissions[t] for t in S only, and max_emissions ≤ cap."""
        ses.set_row_bounds(rows, np.full(T, -INF), np.where(inside, 0.0, INF))
        ses.set_col_bounds(peak, [-INF], [cap])

    try:
        if hint is None:
            hold(INF)
            ses.set_objective("obj_emissions")
            sol = pm.solve(duals=False)
            hint = pm.array(sol, "emissions") if sol.status == "optimal" else None
        if hint is None:
            inside[:] = True
        else:
            inside[int(np.argmax(hint))] = True
        while True:
            hold(INF)
            ses.set_objective("obj_peak")
            low = pm.solve(duals=False)
            if low.status != "optimal":
                if inside.all():
                    return math.nan
                # a relaxation cannot be infeasible unless the whole problem is; at the edge
                # of HiGHS's tolerance it can be said so: the min-max LP decides
                inside[:] = True
                continue
            m = low.objective
            if inside.all():
                return m
            step = PEAK_HOLD * max(1.0, abs(m))
            hold(m + step)
            ses.set_objective("obj_emissions")
            sol = pm.solve(duals=False)
            if sol.status != "optimal":  # only numerically: fall back to every year
                inside[:] = True
                continue
            over = pm.array(sol, "emissions") > m + 2.0 * step
            if not over.any():
                return m
            inside |= over
    finally:
        ses.set_row_bounds(rows, np.full(T, -INF), np.zeros(T))
        ses.set_col_bounds(peak, [-INF], [INF])


def frontier(inp: ModelInputs, peak_years: Sequence[int]) -> pd.DataFrame:
    """frontier.csv: peak_year, status, bau_peak_t, min_peak_t, reduction_from_bau_t, reason
    (why no plan peaks by that year: the minimum shortfall without a cap), and per share: cap
    and cost."""
    bau_peak = float(inp.bau_scope.max())
    mins = lowest_peaks(inp, peak_years)
    E = emission_scale(inp)
    cost_pm = PlanningModel(with_target(inp, cap_t=None))
    rows = []
    for y in peak_years:
        m = mins[y]
        row = {"peak_year": y, "status": "infeasible" if math.isnan(m) else "feasible",
               "bau_peak_t": bau_peak, "min_peak_t": m,
               "reduction_from_bau_t": bau_peak - m, "reason": ""}
        if math.isnan(m):  # even without a cap: the other targets' shortfall
            cost_pm.set_target(cost_pm.inp.scenario.target.model_copy(
                update={"cap_t": None, "peak_year": y}))
            row["reason"] = infeasible_reason(cost_pm)
        for f in SHARES:
            key = f"{round(f * 100)}"
            if math.isnan(m):
                row[f"cap_{key}_t"] = row[f"cost_{key}_cny"] = math.nan
                continue
            cap = bau_peak - f * (bau_peak - m) + (EDGE * E if f == 1.0 else 0.0)
            cost_pm.set_target(cost_pm.inp.scenario.target.model_copy(
                update={"cap_t": cap, "peak_year": y}))
            sol = cost_pm.solve()
            row[f"cap_{key}_t"] = cap
            row[f"cost_{key}_cny"] = sol.objective if sol.status == "optimal" else math.nan
        rows.append(row)
    return pd.DataFrame(rows)
