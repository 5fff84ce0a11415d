"""A built, persistent planning model: the object that ranking, sweeps, diagnosis and sampling
re-solve under changed targets, prices or data without rebuilding.

It holds the formulation's blocks (:mod:`planner.model.formulation`), the Pyomo model built from
them, the scaled matrix and a persistent HiGHS session. Target rows are re-bounded, never
rebuilt; the no-target plan (every target row free) is solved once and kept, because the level
and strict peak forms and intensity targets take fixed numbers from it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.model.blocks import INF, to_pyomo
from planner.model.catalogue import TARGET_ROWS
from planner.model.formulation import (
    emission_scale,
    formulate,
    needs_no_target_plan,
    target_bounds,
    target_indices,
)
from planner.model.highs import HighsSession, Solution, scale_layout
from planner.model.inputs import ModelInputs
from planner.scenario import Target

#: relative tolerance with which the cost is held at its optimum in lexicographic solves
COST_HOLD = 1e-9


class StructureChanged(ValueError):
    """New inputs that change the model's structure (a rebuild is needed)."""


@dataclass(frozen=True)
class NoTargetPlan:
    """The least-cost plan with every target row removed; among those, the lowest Σ_t e[t].

    objective_cny: its NPV (CNY, start of the start year); emissions_t: per optimised year;
    x: the full solution vector."""

    objective_cny: float
    emissions_t: np.ndarray
    x: np.ndarray


class PlanningModel:
    """Formulation + Pyomo model + scaled LP + persistent HiGHS session for one scenario."""

    def __init__(self, inp: ModelInputs, objective: str = "obj_cost", *,
                 target: Target | None = None, pyomo: bool = False,
                 no_target: NoTargetPlan | None = None) -> None:
        """`no_target`: a no-target plan to use instead of solving one (the fixed-integer LP of
        a mixed-integer plan keeps the MIP's own, so its target levels are the MIP's).
        `pyomo`: build the Pyomo model now; by default it is built on first use of `.m` (solves
        go to HiGHS from the blocks and never need it, nor the import of Pyomo)."""
        self.inp = inp
        self.layout = formulate(inp)
        self.A = self.layout.matrix()
        self.lp = scale_layout(self.layout)
        solver = inp.scenario.solver
        self.session = HighsSession(self.lp, objective, solver.time_limit_s, solver.mip_gap)
        self._pyomo = to_pyomo(self.layout, inp.scenario.name) if pyomo else None
        self._indices = target_indices(inp)
        self._no_target: NoTargetPlan | None = no_target
        self._ub = {name: np.full(len(self.layout.rows[name]), INF) for name in TARGET_ROWS}
        self.target: Target | None = None
        self.level_scale = 1.0
        self.set_target(target or inp.scenario.target)

    # ---------------------------------------------------------------- the Pyomo model
    @property
    def m(self):
        """The Pyomo model, with every row's bounds as currently set (built on demand)."""
        if self._pyomo is None:
            self._pyomo = to_pyomo(self.layout, self.inp.scenario.name)
        self._sync_pyomo()
        return self._pyomo

    def _sync_pyomo(self) -> None:
        for name in TARGET_ROWS:
            param = self._pyomo.component(f"{name}_ub")
            if param is None:
                continue
            for idx, v in zip(self.layout.rows[name].index, self._ub[name].tolist(),
                              strict=True):
                param[idx] = v

    # ---------------------------------------------------------------- the no-target plan
    @property
    def no_target(self) -> NoTargetPlan:
        """The no-target plan (solved once, on this model, with every target row freed)."""
        if self._no_target is None:
            saved = {k: v.copy() for k, v in self._ub.items()}
            self._set_target_ubs({k: np.full_like(v, INF) for k, v in saved.items()})
            obj = self.session.objective
            self.session.set_objective("obj_cost")
            sol = self.solve()
            if sol.status not in ("optimal", "time_limit"):  # time_limit: a MIP's incumbent
                # only fixed builds (actuals) can make the plan without targets infeasible;
                # targets built on it are then left free, and the plan itself is infeasible
                n = len(self.inp.years)
                self._no_target = NoTargetPlan(float("nan"), np.full(n, INF), sol.x)
            else:
                sol2 = self.solve_holding_cost(sol.objective, "obj_emissions")
                self._no_target = NoTargetPlan(sol.objective,
                                               self.values(sol2, "emissions").to_numpy(),
                                               sol2.x)
            self.session.set_objective(obj)
            self._set_target_ubs(saved)
        return self._no_target

    def solve_holding_cost(self, cost: float, objective: str) -> Solution:
        """Minimise `objective` among plans whose obj_cost is at most `cost` (+ tolerance)."""
        row = self.layout.row_offset["cost_limit"]
        tol = COST_HOLD * max(1.0, abs(cost), self._gross_cost_scale())
        self.session.set_row_bounds([row], [-INF], [cost + tol])
        self.session.set_objective(objective)
        try:
            return self.solve()
        finally:
            self.session.set_row_bounds([row], [-INF], [INF])
            self.session.set_objective("obj_cost")

    def _gross_cost_scale(self) -> float:
        """A typical magnitude of the cost (CNY): Σ |capex_coeff|·R over one year of builds."""
        return float(np.abs(self.inp.capex_coeff).max(initial=0.0)
                     * self.inp.projects["max_units"].sum())

    # ---------------------------------------------------------------- targets
    def set_target(self, target: Target, scale: float = 1.0) -> None:
        """Re-bound the target rows for `target` (levels multiplied by `scale`). Intensity
        targets and sector caps are part of the structure and must not change."""
        if self.target is not None and (
                target.intensity != self.target.intensity
                or target.sector_cap_t != self.target.sector_cap_t):
            raise ValueError("intensity targets and sector caps cannot change on a built model "
                             "(nor the scope, which the model's inputs fix)")
        e0 = self.no_target.emissions_t if needs_no_target_plan(target) else None
        self._set_target_ubs(target_bounds(self.inp, target, e0, scale))
        self.target = target
        self.level_scale = scale

    def _set_target_ubs(self, ubs: dict[str, np.ndarray]) -> None:
        rows, lo, hi = [], [], []
        for name in TARGET_ROWS:
            new = np.asarray(ubs[name], float)
            changed = np.flatnonzero(new != self._ub[name])
            if len(changed):
                rows.append(self.layout.row_offset[name] + changed)
                hi.append(new[changed])
                lo.append(np.full(len(changed), -INF))
                self._ub[name] = new
        if rows:
            self.session.set_row_bounds(np.concatenate(rows), np.concatenate(lo),
                                        np.concatenate(hi))

    def target_ub(self, name: str) -> pd.Series:
        """Current upper bounds of a target row family (tCO2; +∞: no target)."""
        return pd.Series(self._ub[name], index=self.layout.rows[name].index)

    # ---------------------------------------------------------------- new data, same structure
    def update_inputs(self, inp: ModelInputs, basis=None) -> None:
        """Re-solve-ready for `inp`, inputs of the same structure (same projects, years,
        sectors, groups and target rows; other values of costs, abatement, BAU, discount rate,
        limits): changed matrix coefficients, costs and bounds are passed to the persistent
        HiGHS model, whose scaling is kept; the no-target plan and the target rows are
        recomputed. `basis` (a highspy HighsBasis) is set before each of those solves, so that the
        result does not depend on what was solved before. Raises StructureChanged otherwise."""
        layout = formulate(inp)
        A = layout.matrix()
        same = (layout.n_rows == self.layout.n_rows and layout.n_cols == self.layout.n_cols
                and list(layout.rows) == list(self.layout.rows)
                and np.array_equal(A.indptr, self.A.indptr)
                and np.array_equal(A.indices, self.A.indices))
        if not same:
            raise StructureChanged("the inputs change the model's structure: rebuild it")
        session, lp = self.session, self.lp
        diff = np.flatnonzero(A.data != self.A.data)
        if len(diff):
            rows = np.repeat(np.arange(A.shape[0]), np.diff(A.indptr))[diff]
            for r, c, v in zip(rows.tolist(), A.indices[diff].tolist(), A.data[diff].tolist(),
                               strict=True):
                session.set_coeff(r, c, v)
        for name in layout.objectives:
            lp.costs[name] = layout.objective(name) * lp.col_scale / lp.money[name]
        c = lp.costs[session.objective]
        session.h.changeColsCost(len(c), np.arange(len(c), dtype=np.int32), c)
        cl, cu, rl, ru = layout.bounds()
        session.set_col_bounds(np.arange(len(cl)), cl, cu)
        session.set_row_bounds(np.arange(len(rl)), rl, ru)
        self.inp, self.layout, self.A = inp, layout, A
        self._pyomo = None  # built again on demand
        self._ub = {name: np.full(len(layout.rows[name]), INF) for name in TARGET_ROWS}
        self._no_target = None
        if basis is not None:
            session.h.setBasis(basis)
        target, self.target = self.target, None
        self.set_target(target, self.level_scale)
        if basis is not None:
            session.h.setBasis(basis)

    # ---------------------------------------------------------------- other changes
    def set_elastic(self, on: bool) -> None:
        """Free (on) or fix at zero (off) the shortfall columns of every target row."""
        cols = np.arange(self.layout.cols("shortfall").start, self.layout.cols("shortfall").stop)
        n = len(cols)
        self.session.set_col_bounds(cols, np.zeros(n), np.full(n, INF if on else 0.0))

    def set_emission_price(self, price: float | np.ndarray) -> None:
        """Add price[t]·w(t)·emissions[t] to obj_cost (price in CNY of year t per tonne), and to
        the cost_limit row, so that lexicographic solves hold the priced cost."""
        cols = np.arange(self.layout.cols("emissions").start, self.layout.cols("emissions").stop)
        coef = np.broadcast_to(np.asarray(price, float), cols.shape) * self.inp.weights
        if self.session.objective != "obj_cost":
            raise ValueError("set the price while obj_cost is the objective")
        self.session.set_costs(cols, coef)
        self.session.lp.costs["obj_cost"][cols] = (coef * self.lp.col_scale[cols]
                                                   / self.lp.money["obj_cost"])
        row = self.layout.row_offset["cost_limit"]
        for j, c in zip(cols, coef, strict=True):
            self.session.set_coeff(row, int(j), float(c))

    def shift_bau(self, year: int, delta_t: float) -> None:
        """Add `delta_t` tonnes to the scope's BAU total of `year` (one-sided marginal costs)."""
        i = self.inp.years.index(year)
        row = self.layout.row_offset["emissions_balance"] + i
        rb = self.layout.rows["emissions_balance"]
        rb.lb[i] += delta_t
        rb.ub[i] += delta_t
        self.session.set_row_bounds([row], [rb.lb[i]], [rb.ub[i]])

    # ---------------------------------------------------------------- column and row maps
    def columns(self, name: str) -> np.ndarray:
        """Global column numbers of a variable family, in its index order."""
        sl = self.layout.cols(name)
        return np.arange(sl.start, sl.stop)

    def project_columns(self, name: str) -> np.ndarray:
        """(P, T) global column numbers of `build` or `stock`."""
        return self.columns(name).reshape(len(self.inp.projects), len(self.inp.years))

    def row_names(self) -> np.ndarray:
        """The family name of every row, in row order."""
        return np.concatenate([np.full(len(rb), name, dtype=object)
                               for name, rb in self.layout.rows.items()])

    def row_years(self) -> np.ndarray:
        """The year of every row (NaN where its index has no year), in row order."""
        out = []
        for rb in self.layout.rows.values():
            idx = rb.index
            if "year" in (idx.names or []):
                out.append(np.asarray(idx.get_level_values("year"), dtype=float))
            else:
                out.append(np.full(len(idx), np.nan))
        return np.concatenate(out) if out else np.zeros(0)

    # ---------------------------------------------------------------- solve and read
    def solve(self) -> Solution:
        return self.session.solve()

    @property
    def is_mip(self) -> bool:
        """True when the model has integer columns (lumpy projects): solve() runs the MIP."""
        return self.session.is_mip

    def values(self, sol: Solution, name: str) -> pd.Series:
        """Solution values of a variable family, as a Series over its index."""
        return pd.Series(sol.x[self.layout.cols(name)], index=self.layout.variables[name].index)

    def array(self, sol: Solution, name: str) -> np.ndarray:
        """A project variable family as a (P, T) array (emissions: a (T,) array)."""
        v = sol.x[self.layout.cols(name)]
        if name in ("build", "stock"):
            return v.reshape(len(self.inp.projects), len(self.inp.years))
        return v

    def duals(self, sol: Solution, name: str) -> pd.Series:
        """Duals (∂objective/∂bound, start-year CNY per row unit) of a row family."""
        return pd.Series(sol.row_dual[self.layout.rows_of(name)],
                         index=self.layout.rows[name].index)

    def reduced_costs(self, sol: Solution, name: str) -> pd.Series:
        """Reduced costs (start-year CNY per unit of the variable)."""
        return pd.Series(sol.col_dual[self.layout.cols(name)],
                         index=self.layout.variables[name].index)

    def discounted_tonnes(self, emissions_t: np.ndarray) -> float:
        """D = Σ_t e[t]·w(t): discounted tonnes (same weights as operating flows)."""
        return float(np.dot(np.asarray(emissions_t, float), self.inp.weights))

    @property
    def emission_scale(self) -> float:
        return emission_scale(self.inp)


__all__ = ["NoTargetPlan", "PlanningModel", "StructureChanged"]
