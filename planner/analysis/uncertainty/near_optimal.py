"""Near-optimal alternatives (modelling to generate alternatives).

For each project p: the least and the most of its stock in the target year Y among plans whose
cost is within a slack of the optimum:

    total_cost ≤ NPV* + slack,   slack = share × gross cost of the optimal plan, or CNY,

where the gross cost is the capex and fixed O&M part of the objective, not net of savings or
co-benefit credits: Σ capex_coeff[p,t]·build[p,t] + Σ df(t)·fixed_om_p·stock[p,t] (start-year
CNY). The slack is never ε·NPV: for a city whose optimal NPV is negative (savings exceed costs,
as for the bundled scenarios) (1+ε)·NPV would lie *below* the optimum and tighten the problem.
The cost row is added to the built model and each bound found by re-solving with the objective
±stock[p,Y] (the basis reset to the optimum's before each solve, so results do not depend on
the order of projects). The cost row carries a tolerance of 1e-11 × max(1 CNY, |NPV*|, gross
cost) so that slack 0 stays feasible under rounding.

Classes (tolerance: 1e-6 of a project's potential):
- must-have: min > 0 — every near-optimal plan has it;
- unused: max = 0 — no near-optimal plan has it;
- interchangeable: min = 0 < max and it can replace (or be replaced by) another project: a
  member of an exclusive group with another member whose max > 0, or a project whose
  maximising plan holds another project below that project's optimal stock (trades_with);
- optional: min = 0 < max otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.analysis.uncertainty.engine import USED_TOL, target_year
from planner.model.inputs import ModelInputs
from planner.model.persistent import PlanningModel

COLUMNS = ["project", "name", "measure", "exclusive_group", "unit", "optimum_stock_units",
           "min_stock_units", "max_stock_units", "class", "trades_with"]


@dataclass
class NearOptimal:
    """table: COLUMNS; money in start-year CNY."""

    status: str
    table: pd.DataFrame
    target_year: int
    npv_optimum_cny: float = math.nan
    gross_cost_cny: float = math.nan
    slack_cny: float = math.nan
    cost_limit_cny: float = math.nan

    def facts(self) -> dict:
        """The headline numbers as a dict (money in start-year CNY)."""
        return {"status": self.status, "target_year": self.target_year,
                "npv_optimum_cny": self.npv_optimum_cny, "gross_cost_cny": self.gross_cost_cny,
                "slack_cny": self.slack_cny, "cost_limit_cny": self.cost_limit_cny}


def parse_slack(text: str) -> tuple[float | None, float | None]:
    """'5%' or '0.05' -> (share 0.05, None); '2e8CNY' / '2e8 cny' -> (None, 2e8 CNY)."""
    s = text.strip().lower().replace(" ", "")
    try:
        if s.endswith("cny"):
            v = float(s[:-3])
            if not math.isfinite(v) or v < 0:
                raise ValueError
            return None, v
        v = float(s[:-1]) / 100 if s.endswith("%") else float(s)
    except ValueError:
        raise ValueError(f"found {text!r}; expected a share of the gross cost such as 0.05 "
                         "or 5%, or an amount such as 2e8cny") from None
    if not math.isfinite(v) or v < 0:
        raise ValueError(f"found {text!r}; expected a slack >= 0")
    return v, None


def near_optimal(inp: ModelInputs, share: float | None = None, cny: float | None = None
                 ) -> NearOptimal:
    """Min and max target-year stock of every project within the cost slack (docstring)."""
    if (share is None) == (cny is None):
        raise ValueError("give the slack as a share of the gross cost or in CNY (one of them)")
    Y = target_year(inp)
    k = inp.years.index(Y)
    proj = inp.projects
    pm = PlanningModel(inp)
    sol = pm.solve()
    if sol.status != "optimal":
        return NearOptimal(sol.status, pd.DataFrame(columns=COLUMNS), Y)
    h = pm.session.h
    P = list(proj.index)
    build_col = pm.project_columns("build")
    stock_col = pm.project_columns("stock")
    capex_c = inp.capex_coeff
    om_c = inp.weights[None, :] * proj["fixed_om_cny_per_unit_year"].to_numpy(dtype=float)[:, None]
    gross = float((capex_c * sol.x[build_col]).sum() + (om_c * sol.x[stock_col]).sum())
    npv = sol.objective
    slack = share * gross if share is not None else float(cny)
    limit = npv + slack
    tol = 1e-11 * max(1.0, abs(npv), abs(gross))
    row = pm.layout.row_offset["cost_limit"]  # the catalogue's row holding the cost
    pm.session.set_row_bounds([row], [-math.inf], [limit + tol])
    base = h.getBasis()

    umax = proj["max_units"].to_numpy(dtype=float)
    opt = sol.x[stock_col[:, k]]
    lo, hi = np.empty(len(P)), np.empty(len(P))
    hi_plans = np.empty((len(P), len(P)))
    n = pm.layout.n_cols
    for j in range(len(P)):
        col = int(stock_col[j, k])
        for sign, store in ((1.0, lo), (-1.0, hi)):
            cost = np.zeros(n)
            cost[col] = sign
            h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
            h.setBasis(base)
            s = pm.session.solve()
            if s.status != "optimal":  # pragma: no cover - the optimum itself is feasible
                raise RuntimeError(f"near-optimal bound of {P[j]} not found ({s.status})")
            store[j] = s.x[col]
            if sign < 0:
                hi_plans[j] = s.x[stock_col[:, k]]
    small = 1e-9 * umax
    lo = np.where(np.abs(lo) > small, lo, 0.0)
    hi = np.where(np.abs(hi) > small, hi, 0.0)
    opt = np.where(np.abs(opt) > small, opt, 0.0)
    used_tol = USED_TOL * umax
    groups = proj["exclusive_group"].fillna("").astype(str).to_numpy()
    classes, trades = [], []
    for j in range(len(P)):
        optional = lo[j] <= used_tol[j] < hi[j]
        down = [P[q] for q in range(len(P)) if q != j and optional
                and hi_plans[j, q] < opt[q] - used_tol[q]]
        partners = [P[q] for q in range(len(P)) if q != j and groups[j]
                    and groups[q] == groups[j] and hi[q] > used_tol[q]]
        trades.append(" ".join(sorted(set(down) | set(partners))) if optional else "")
        if lo[j] > used_tol[j]:
            classes.append("must-have")
        elif hi[j] <= used_tol[j]:
            classes.append("unused")
        elif down or partners:
            classes.append("interchangeable")
        else:
            classes.append("optional")
    table = pd.DataFrame({
        "project": P, "name": proj["name"].to_numpy(), "measure": proj["measure"].to_numpy(),
        "exclusive_group": groups, "unit": proj["unit"].to_numpy(),
        "optimum_stock_units": opt, "min_stock_units": lo, "max_stock_units": hi,
        "class": classes, "trades_with": trades})
    return NearOptimal("optimal", table[COLUMNS], Y, npv, gross, slack, limit)


__all__ = ["COLUMNS", "NearOptimal", "near_optimal", "parse_slack"]
