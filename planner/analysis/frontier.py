"""The feasibility frontier: for each candidate peak year, the lowest achievable peak and the
cost of going 90 %, 95 %, 100 % of the way there from the BAU peak."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from planner.analysis.sweep import infeasible_reason, with_target
from planner.model.formulation import emission_scale
from planner.model.inputs import ModelInputs
from planner.model.persistent import PlanningModel

SHARES = (0.90, 0.95, 1.00)
#: the 100 % point is solved at the lowest peak plus this share of the emission scale, so
#: that solver tolerances cannot turn the frontier itself infeasible
EDGE = 1e-7


def lowest_peaks(inp: ModelInputs, peak_years: Sequence[int | None]) -> dict:
    """Lowest achievable peak (tCO2) per peak year: min peak_level s.t. all other targets
    (the scenario's cap_t is dropped). NaN where even that is infeasible."""
    free = with_target(inp, cap_t=None)
    pm = PlanningModel(free, "obj_peak")
    out = {}
    for y in peak_years:
        pm.set_target(free.scenario.target.model_copy(update={"peak_year": y}))
        sol = pm.solve()
        out[y] = sol.objective if sol.status == "optimal" else math.nan
    return out


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
