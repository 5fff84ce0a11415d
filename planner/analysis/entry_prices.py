"""Entry prices in the target year: the constant real carbon price at which the least-cost
plan without a target first uses each project in the target year.

The no-target model (every target row free; potentials, roll-out, groups, sector floors and
budgets stay) gets p·Σ_t w(t)·emissions[t] added to its objective, w from
:func:`planner.analysis.prices.carbon_price_weights`. Its optimal value V(p) is concave and
piecewise linear in p with slope D(p) (the plan's discounted tonnes), so the prices at which
the plan changes are V's breakpoints; :mod:`planner.analysis.parametric` finds them exactly
(no grid, no bisection). Only the breakpoints where the target-year use of some project
changes are searched: an interval whose two evaluated plans use the same projects in the
target year is not refined (a project that would enter and leave again inside it is not
seen). Each switch is located exactly, within a budget of solves that shrinks with the
model's size; a switch the budget leaves unlocated is reported as the bracket
entry_price_low/high between two evaluated prices. Use need not be monotone in p (a member of
an exclusive group can give way to a deeper option at a higher price): `monotone` says
whether it is, among the switches found.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from planner.analysis.parametric import Point, Search, breakpoints, solve_budget
from planner.analysis.prices import carbon_price_weights, target_year
from planner.errors import SolverError
from planner.model.inputs import ModelInputs
from planner.model.persistent import PlanningModel
from planner.scenario import Target

USED_TOL = 1e-6  # share of a project's potential below which it counts as unused
MAX_PRICE = 100_000.0  # CNY/t: prices above are not searched
#: solves of the search on a model of up to 1,000 columns (fewer on larger ones: 728 at 100
#: projects over 41 years, 73 at 1,000)
SOLVES = 6_000


@dataclass
class EntryPrices:
    """table: project, entry_price_cny_per_t (0: used without a price; NaN: not used up to
    max_price, or not located, see the bracket), entry_price_low/high_cny_per_t (the bracket:
    equal to the entry price when it is located; else the two evaluated prices between which
    the project starts being used), exit_price_cny_per_t (first price above entry where it
    stops being used, NaN if never or not located), used_without_price, monotone;
    breakpoints: the prices (CNY/t) at which some project's target-year use changes;
    plans: one row per price evaluated inside a piece (price_cny_per_t, the plan's
    discounted_emissions_t and the target-year share of each project's potential); solves:
    LP solves made; complete: every switch located."""

    table: pd.DataFrame
    breakpoints: list[float]
    plans: pd.DataFrame
    max_price: float
    solves: int = 0
    complete: bool = True


def no_target_inputs(inp: ModelInputs) -> ModelInputs:
    """The same inputs with every target removed."""
    return replace(inp, scenario=inp.scenario.model_copy(update={"target": Target()}))


def entry_prices(inp: ModelInputs, year: int | None = None, max_price: float = MAX_PRICE,
                 max_solves: int | None = None) -> EntryPrices:
    """Entry prices (CNY/t, constant real) in `year` (default: the target year), with at most
    `max_solves` LP solves (default: :func:`solve_budget` of SOLVES for the model's size)."""
    ty = target_year(inp) if year is None else year
    pm = PlanningModel(no_target_inputs(inp), pyomo=False)
    years = inp.years
    w = carbon_price_weights(inp)
    proj = inp.projects
    U = proj["max_units"].to_numpy(float)
    stock_cols = pm.project_columns("stock")[:, years.index(ty)]
    emis_cols = pm.columns("emissions")
    budget = max_solves if max_solves is not None else solve_budget(pm.layout.n_cols, SOLVES)

    def oracle(p: float) -> Point:
        pm.set_emission_price(p)
        sol = pm.solve()
        if sol.status != "optimal":
            raise SolverError(f"the no-target plan at a carbon price of {p:,.6g} CNY/t is "
                              f"{sol.status.replace('_', ' ')}, not optimal")
        share = sol.x[stock_cols] / U
        return Point(p, sol.objective, float(w @ sol.x[emis_cols]), share)

    def differ(a: Point, b: Point) -> bool:
        return bool(((a.data > USED_TOL) != (b.data > USED_TOL)).any())

    def widest_brackets_first(a: Point, b: Point) -> float:
        # the sum over the projects that switch between a and b of their bracket's width
        return -(b.x - a.x) * float(((a.data > USED_TOL) != (b.data > USED_TOL)).sum())

    try:
        s = breakpoints(oracle, 0.0, max_price, max_calls=budget, refine=differ,
                        priority=widest_brackets_first)
    finally:
        pm.set_emission_price(0.0)
    return _tabulate(s, proj.index, max_price)


def _switches(s: Search) -> tuple[list[Point], list[tuple[float, float]]]:
    """The plans inside the pieces (evaluated points not found to lie on a breakpoint),
    sorted, and for each consecutive pair where (low, high) the plan changes between them:
    exact (low == high) where the search located the breakpoint, the pair's prices where the
    budget left it open, else the left one (both on one line: a tie, both plans optimal in
    between; or not refined: the same use)."""
    inner = [p for p in s.points if p.x not in s.at_breakpoint]
    opened = {(a.x, b.x) for a, b in s.open}
    where = []
    for a, b in zip(inner[:-1], inner[1:], strict=True):
        key = (a.x, b.x)
        if key in s.located:
            where.append((s.located[key], s.located[key]))
        elif key in opened:
            where.append(key)
        else:
            where.append((a.x, a.x))
    return inner, where


def _tabulate(s: Search, projects: pd.Index, max_price: float) -> EntryPrices:
    """The entry-price table from a (possibly budget-limited) search up to `max_price`."""
    inner, where = _switches(s)
    use = np.array([p.data > USED_TOL for p in inner])  # points x projects
    n = len(projects)
    entry = np.full(n, np.nan)
    low, high = np.full(n, np.nan), np.full(n, np.nan)
    exit_ = np.full(n, np.nan)
    monotone = np.ones(n, dtype=bool)
    used0 = use[0]
    low[used0] = high[used0] = entry[used0] = 0.0
    for k, (lo_x, hi_x) in enumerate(where):
        on = ~use[k] & use[k + 1]
        off = use[k] & ~use[k + 1]
        for j in np.flatnonzero(on & np.isnan(low)):
            low[j], high[j] = lo_x, hi_x
            if lo_x == hi_x:
                entry[j] = lo_x
        for j in np.flatnonzero(off & ~np.isnan(low)):
            if monotone[j]:
                monotone[j] = False
                if lo_x == hi_x:
                    exit_[j] = lo_x
    plans = pd.concat([pd.DataFrame({"price_cny_per_t": [p.x for p in inner],
                                     "discounted_emissions_t": [p.slope for p in inner]}),
                       pd.DataFrame(np.array([p.data for p in inner]),
                                    columns=[f"share_{p}" for p in projects])], axis=1)
    table = pd.DataFrame({"project": projects, "entry_price_cny_per_t": entry,
                          "entry_price_low_cny_per_t": low, "entry_price_high_cny_per_t": high,
                          "exit_price_cny_per_t": exit_, "used_without_price": used0,
                          "monotone": monotone}, index=projects.rename(None))
    changes = sorted({lo_x for lo_x, hi_x in where if lo_x == hi_x})
    return EntryPrices(table, changes, plans, max_price, s.calls, s.complete)
