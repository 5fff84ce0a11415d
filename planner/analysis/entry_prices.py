"""Entry prices in the target year: the constant real carbon price at which the least-cost
plan without a target first uses each project in the target year.

The no-target model (every target row free; potentials, roll-out, groups, sector floors and
budgets stay) gets p·Σ_t w(t)·emissions[t] added to its objective, w from
:func:`planner.analysis.prices.carbon_price_weights`. Its optimal value V(p) is concave and
piecewise linear in p with slope D(p) (the plan's discounted tonnes), so the prices at which
the plan changes are V's breakpoints; :mod:`planner.analysis.parametric` finds them exactly
(no grid, no bisection). One solve inside each interval between breakpoints gives the plan
there; a project's entry price is the left end of the first interval where it operates in
the target year. Use need not be monotone in p (a member of an exclusive group can give way
to a deeper option at a higher price): `monotone` says whether it is.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from planner.analysis.parametric import Point, breakpoints
from planner.analysis.prices import carbon_price_weights, target_year
from planner.errors import SolverError
from planner.model.inputs import ModelInputs
from planner.model.persistent import PlanningModel
from planner.scenario import Target

USED_TOL = 1e-6  # share of a project's potential below which it counts as unused
MAX_PRICE = 100_000.0  # CNY/t: prices above are not searched


@dataclass
class EntryPrices:
    """table: project, entry_price_cny_per_t (0: used without a price; NaN: not used up to
    max_price), exit_price_cny_per_t (first price above entry where it stops being used, NaN
    if never), used_without_price, monotone; breakpoints: every price (CNY/t) at which the
    no-target plan changes; intervals: one row per interval (price_from/to_cny_per_t,
    discounted_emissions_t, and the target-year share of each project's potential)."""

    table: pd.DataFrame
    breakpoints: list[float]
    intervals: pd.DataFrame
    max_price: float


def no_target_inputs(inp: ModelInputs) -> ModelInputs:
    """The same inputs with every target removed."""
    return replace(inp, scenario=inp.scenario.model_copy(update={"target": Target()}))


def entry_prices(inp: ModelInputs, year: int | None = None,
                 max_price: float = MAX_PRICE) -> EntryPrices:
    """Entry prices (CNY/t, constant real) in `year` (default: the target year)."""
    ty = target_year(inp) if year is None else year
    pm = PlanningModel(no_target_inputs(inp), pyomo=False)
    years = inp.years
    w = carbon_price_weights(inp)
    proj = inp.projects
    U = proj["max_units"].to_numpy(float)
    stock_cols = pm.project_columns("stock")[:, years.index(ty)]
    emis_cols = pm.columns("emissions")

    def solve_at(p: float):
        pm.set_emission_price(p)
        sol = pm.solve()
        if sol.status != "optimal":
            raise SolverError(f"the no-target plan at a carbon price of {p:,.6g} CNY/t is "
                              f"{sol.status.replace('_', ' ')}, not optimal")
        return sol

    def oracle(p: float) -> Point:
        sol = solve_at(p)
        return Point(p, sol.objective, float(w @ sol.x[emis_cols]))

    try:
        found, _ = breakpoints(oracle, 0.0, max_price)
        edges = [0.0, *found, max_price]
        rows, shares = [], []
        for a, b in zip(edges[:-1], edges[1:], strict=True):
            sol = solve_at(0.5 * (a + b))
            share = sol.x[stock_cols] / U
            shares.append(share)
            rows.append({"price_from_cny_per_t": a, "price_to_cny_per_t": b,
                         "discounted_emissions_t": float(w @ sol.x[emis_cols])})
        base = solve_at(0.0).x[stock_cols] / U
    finally:
        pm.set_emission_price(0.0)
    use = np.array(shares) > USED_TOL  # intervals x projects
    used0 = base > USED_TOL
    entry = np.full(len(U), np.nan)
    exit_ = np.full(len(U), np.nan)
    monotone = np.ones(len(U), dtype=bool)
    for j in range(len(U)):
        on = np.flatnonzero(use[:, j])
        if used0[j]:
            entry[j] = 0.0
        elif len(on):
            entry[j] = edges[on[0]]
        if len(on):
            off = np.flatnonzero(~use[on[0]:, j])
            if len(off):
                exit_[j] = edges[on[0] + off[0]]
                monotone[j] = False
    intervals = pd.DataFrame(rows)
    for j, p in enumerate(proj.index):
        intervals[f"share_{p}"] = [s[j] for s in shares]
    table = pd.DataFrame({"project": proj.index, "entry_price_cny_per_t": entry,
                          "exit_price_cny_per_t": exit_, "used_without_price": used0,
                          "monotone": monotone}, index=proj.index.rename(None))
    return EntryPrices(table, found, intervals, max_price)
