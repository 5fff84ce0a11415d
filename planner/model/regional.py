"""The built joint model of a region scenario: :class:`RegionalModel`, re-solvable under any
allocation rule, transfer setting or coalition by changing bounds only, and :class:`CityView`,
one region of it seen as a single-city model.

The stacked formulation is in :mod:`planner.model.regional_blocks`, the bound inputs in
:mod:`planner.model.regional_inputs` (both re-exported here).
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from planner.errors import EXIT_NUMERICAL, SolverError
from planner.model.blocks import INF, Layout, to_pyomo
from planner.model.catalogue import TARGET_ROWS
from planner.model.formulation import formulate, needs_no_target_plan, target_bounds
from planner.model.highs import HighsSession, Solution, scale_layout
from planner.model.inputs import ModelInputs
from planner.model.persistent import COST_HOLD, NoTargetPlan, PlanningModel
from planner.model.regional_blocks import (
    JOINT_ROWS,
    OBLIGATION_ROWS,
    joint_bounds,
    joint_level,
    regional_layout,
    stack,
)
from planner.model.regional_check import PlanTables, RegionBounds, region_violations
from planner.model.regional_inputs import RegionalInputs, SharedInputs, bind_regions
from planner.scenario import Target

# ---------------------------------------------------------------- the built model

class CityView(PlanningModel):
    """One region of a solved joint model, seen as a single-city PlanningModel (its own layout,
    target bounds and no-target plan) so that the single-city result tables can be built from
    the region's slice of the joint solution. It cannot solve."""

    def __init__(self, inp: ModelInputs, layout: Layout, ub: dict[str, np.ndarray],
                 no_target: NoTargetPlan, target: Target) -> None:  # noqa: D107
        self.inp = inp
        self.layout = layout
        self._ub = ub
        self._no_target = no_target
        self.target = target
        self.level_scale = 1.0
        self._pyomo = None
        self._indices = {}

    def solve(self) -> Solution:
        """Always raises NotImplementedError: a region is solved with the joint model."""
        raise NotImplementedError("a region of a joint model is solved with the joint model")


class _RegionRows:
    """The part of a joint layout a price view reads: global rows of one region's family."""

    def __init__(self, rm: RegionalModel, r: str) -> None:  # noqa: D107
        self.rm, self.r = rm, r
        self.rows = rm.parts[r].rows

    def rows_of(self, name: str) -> np.ndarray:
        return self.rm.region_rows(self.r, name)


class RegionPriceView:
    """One region of a built joint model as far as :func:`planner.results.carbon_prices`
    needs it: its inputs, its emissions_balance rows' duals in a joint solution, and ± δ
    shifts of its BAU re-solved in the joint model (a tonne more or less in this region, every
    other region and the joint rows as they are)."""

    def __init__(self, rm: RegionalModel, r: str) -> None:  # noqa: D107
        self.rm, self.r = rm, r
        self.inp = rm.rin.cities[r]
        self.session = rm.session
        self.lp = rm.lp
        self.layout = _RegionRows(rm, r)

    def duals(self, sol: Solution, name: str) -> pd.Series:
        """Duals of the region's rows of family `name` in a joint solution."""
        return pd.Series(sol.row_dual[self.rm.region_rows(self.r, name)],
                         index=self.rm.parts[self.r].rows[name].index)

    def bau_row(self, year: int) -> tuple[int, float, float]:
        """(global row number, lower, upper bound in tCO2) of the region's emissions_balance
        row of `year` in the joint model."""
        i = self.inp.years.index(year)
        rb = self.rm.layout.rows["emissions_balance"]
        k = self.rm.row_base[(self.r, "emissions_balance")] + i
        return (self.rm.layout.row_offset["emissions_balance"] + k, float(rb.lb[k]),
                float(rb.ub[k]))

    def solve(self) -> Solution:
        """Re-solve the joint model (unchecked: only the objective is read)."""
        return self.rm.solve(check=False)  # perturbed: only the objective is read


class RegionalModel:
    """The joint LP of a region scenario, built once, re-solvable under any allocation rule,
    transfer setting or coalition (bounds only)."""

    def __init__(self, rin: RegionalInputs) -> None:
        self.rin = rin
        self.parts = {r: formulate(inp) for r, inp in rin.cities.items()}
        self.layout, self.col_base, self.row_base = regional_layout(rin, self.parts)
        self.lp = scale_layout(self.layout)
        self.session = HighsSession(self.lp, "obj_cost", rin.scenario.solver.time_limit_s)
        self._ub = {name: np.full(len(self.layout.rows[name]), INF)
                    for name in (*TARGET_ROWS, *JOINT_ROWS, *OBLIGATION_ROWS)}
        self._no_target: NoTargetPlan | None = None
        self.e0: np.ndarray | None = None
        R, T = len(rin.names), len(rin.years)
        self._q = (np.zeros((R, T)), np.zeros((R, T)))  # transfer bounds (fixed at 0)

    @property
    def names(self) -> list[str]:
        """The region names, in scenario order."""
        return self.rin.names

    def pyomo(self):
        """The Pyomo model of the joint LP (components named as the blocks)."""
        return to_pyomo(self.layout, self.rin.scenario.name)

    # ---------------------------------------------------------------- maps
    def region_cols(self, r: str, name: str) -> np.ndarray:
        """Global column numbers of region r's part of variable family `name`."""
        start = self.layout.col_offset[name] + self.col_base[(r, name)]
        return start + np.arange(len(self.parts[r].variables[name]))

    def region_rows(self, r: str, name: str) -> np.ndarray:
        """Global row numbers of region r's part of row family `name`."""
        start = self.layout.row_offset[name] + self.row_base[(r, name)]
        return start + np.arange(len(self.parts[r].rows[name]))

    @cached_property
    def col_map(self) -> dict[str, np.ndarray]:
        """Per region: the joint column of each column of its own single-city layout."""
        return {r: np.concatenate([self.region_cols(r, n) for n in self.parts[r].variables])
                for r in self.names}

    @cached_property
    def row_map(self) -> dict[str, np.ndarray]:
        """Per region: the joint row of each row of its own single-city layout."""
        return {r: np.concatenate([self.region_rows(r, n) for n in self.parts[r].rows])
                for r in self.names}

    # ---------------------------------------------------------------- bounds
    def _set_ub(self, name: str, new: np.ndarray) -> None:
        new = np.asarray(new, float)
        changed = np.flatnonzero(new != self._ub[name])
        if len(changed):
            rows = self.layout.row_offset[name] + changed
            self.session.set_row_bounds(rows, np.full(len(changed), -INF), new[changed])
            self._ub[name] = new.copy()

    def set_city_targets(self, r: str, ubs: dict[str, np.ndarray]) -> None:
        """Region r's own target rows (upper bounds from target_bounds)."""
        for name in TARGET_ROWS:
            full = self._ub[name].copy()
            base = self.row_base[(r, name)]
            full[base:base + len(ubs[name])] = ubs[name]
            self._set_ub(name, full)

    def city_ub(self, r: str) -> dict[str, np.ndarray]:
        """Copies of region r's current target-row upper bounds, by row family."""
        out = {}
        for name in TARGET_ROWS:
            base = self.row_base[(r, name)]
            out[name] = self._ub[name][base:base + len(self.parts[r].rows[name])].copy()
        return out

    def set_joint(self, bounds: dict[str, np.ndarray] | None) -> None:
        """Joint target rows on (bounds from :func:`joint_bounds`) or off (None)."""
        for name in JOINT_ROWS:
            self._set_ub(name, bounds[name] if bounds is not None
                         else np.full(len(self._ub[name]), INF))

    def set_obligations(self, A: np.ndarray | None, B: np.ndarray | None = None) -> None:
        """Obligations A[r,t] (R, T) and budget obligations B[r] (R,), tCO2; None: off."""
        R, T = len(self.names), len(self.rin.years)
        self._set_ub("regional_obligation", np.full(R * T, INF) if A is None
                     else np.asarray(A, float).ravel())
        self._set_ub("regional_budget_obligation", np.full(R, INF) if B is None
                     else np.asarray(B, float))

    def set_transfers(self, free: np.ndarray | None, limit: np.ndarray | None = None) -> None:
        """Bounds of transfer[r,t]: free (R,) bool per region may trade; `limit` (R, T)
        tonnes bounds |q| (None: unlimited). free=None: no transfers at all."""
        R, T = len(self.names), len(self.rin.years)
        lo, hi = np.zeros((R, T)), np.zeros((R, T))
        if free is not None:
            cap = np.full((R, T), INF) if limit is None else np.abs(np.asarray(limit, float))
            hi = np.where(np.asarray(free, bool)[:, None], cap, 0.0)
            lo = -hi
        sl = self.layout.cols("transfer")
        self.session.set_col_bounds(np.arange(sl.start, sl.stop), lo.ravel(), hi.ravel())
        self._q = (lo, hi)

    def set_elastic(self, on: bool) -> None:
        """Free (on) or fix at zero (off) every shortfall column: each region's own target
        rows' and the joint and obligation rows'."""
        for name in ("shortfall", "joint_shortfall"):
            sl = self.layout.cols(name)
            n = sl.stop - sl.start
            self.session.set_col_bounds(np.arange(sl.start, sl.stop), np.zeros(n),
                                        np.full(n, INF if on else 0.0))

    def bounds(self) -> RegionBounds:
        """The bounds as currently set (what a solve is re-checked against)."""
        R, T = len(self.names), len(self.rin.years)
        on = [any(np.isfinite(v).any() for v in self.city_ub(r).values()) for r in self.names]
        return RegionBounds(on, {k: self._ub[k].copy() for k in JOINT_ROWS},
                            self._ub["regional_obligation"].reshape(R, T).copy(),
                            self._ub["regional_budget_obligation"].copy(),
                            self._q[0].copy(), self._q[1].copy())

    # ---------------------------------------------------------------- solves
    def solve(self, check: bool = True) -> Solution:
        """Solve under the current bounds. An optimal plan is re-checked from its tables
        (:mod:`planner.model.regional_check`) unless `check` is False (perturbed solves whose
        objective alone is read); a violated constraint raises SolverError (exit 5)."""
        sol = self.session.solve()
        if check and sol.status == "optimal":
            bounds = self.bounds()
            e0 = self.no_target.emissions_t if any(bounds.city_targets) else None
            bad = region_violations(self.rin, self.plan_tables(sol), bounds, e0)
            if bad:
                raise SolverError("HiGHS reported an optimum of the joint model that violates "
                                  f"constraints when re-checked ({len(bad)}; first: {bad[0]}); "
                                  "no result is reported", EXIT_NUMERICAL)
        return sol

    def plan_tables(self, sol: Solution) -> PlanTables:
        """The plan of a joint solution as tables: each region's deployment, the shared
        projects' and the transfers."""
        dep = {}
        for r in self.names:
            inp = self.rin.cities[r]
            idx = pd.MultiIndex.from_product([inp.projects.index, inp.years],
                                             names=["project", "year"])
            dep[r] = pd.DataFrame({"build_units": sol.x[self.region_cols(r, "build")],
                                   "stock_units": sol.x[self.region_cols(r, "stock")]},
                                  index=idx).reset_index()
        shared = None
        if self.rin.shared is not None:
            idx = self.layout.variables["shared_build"].index
            shared = pd.DataFrame({"build_units": sol.x[self.layout.cols("shared_build")],
                                   "stock_units": sol.x[self.layout.cols("shared_stock")]},
                                  index=idx).reset_index()
        return PlanTables(dep, shared, self.transfers(sol).copy())

    def free_all(self) -> dict[str, np.ndarray]:
        """Free every target and obligation row; return the saved bounds."""
        saved = {k: v.copy() for k, v in self._ub.items()}
        for name in self._ub:
            self._set_ub(name, np.full(len(self._ub[name]), INF))
        return saved

    def restore(self, saved: dict[str, np.ndarray]) -> None:
        """Put back target and obligation bounds saved by :meth:`free_all`."""
        for name, ub in saved.items():
            self._set_ub(name, ub)

    @property
    def no_target(self) -> NoTargetPlan:
        """The joint no-target plan: every target and obligation row removed, least cost, and
        among least-cost plans the lowest Σ_r Σ_t emissions. emissions_t is (R, T)."""
        if self._no_target is None:
            saved = self.free_all()
            sol = self.solve()
            R, T = len(self.names), len(self.rin.years)
            if sol.status != "optimal":
                self._no_target = NoTargetPlan(float("nan"), np.full((R, T), INF), sol.x)
            else:
                row = self.layout.row_offset["joint_cost_limit"]
                gross = float(np.abs(self.layout.objective("obj_cost")
                                     * self.layout.bounds()[1].clip(max=1e12)).sum())
                tol = COST_HOLD * max(1.0, abs(sol.objective), gross)
                self.session.set_row_bounds([row], [-INF], [sol.objective + tol])
                self.session.set_objective("obj_emissions")
                try:
                    sol2 = self.solve()
                finally:
                    self.session.set_row_bounds([row], [-INF], [INF])
                    self.session.set_objective("obj_cost")
                self._no_target = NoTargetPlan(sol.objective, self.emissions(sol2), sol2.x)
            self.restore(saved)
        return self._no_target

    def apply_city_targets(self) -> None:
        """Each region's own targets, with the levels its no-target plan fixes (the region's
        part of the joint no-target plan)."""
        e0 = self.no_target.emissions_t
        for j, (r, inp) in enumerate(self.rin.cities.items()):
            target = inp.scenario.target
            self.set_city_targets(r, target_bounds(
                inp, target, e0[j] if needs_no_target_plan(target) else None))

    # ---------------------------------------------------------------- read
    def emissions(self, sol: Solution) -> np.ndarray:
        """(R, T) emissions in each region's target scope, tCO2."""
        return np.vstack([sol.x[self.region_cols(r, "emissions")] for r in self.names])

    def transfers(self, sol: Solution) -> np.ndarray:
        """(R, T) transfer[r,t] (> 0 bought), tCO2."""
        sl = self.layout.cols("transfer")
        return sol.x[sl].reshape(len(self.names), len(self.rin.years))

    def transfer_price(self, sol: Solution) -> np.ndarray:
        """(T,) the joint price: −dual of transfer_balance[t], CNY at the start of the start
        year per tonne (Σ_t price·q[r,t] is a city's transfer payment, NPV)."""
        return -sol.row_dual[self.layout.rows_of("transfer_balance")] + 0.0

    def city_costs(self, sol: Solution) -> np.ndarray:
        """(R,) NPV cost of each region: its own projects plus its cost-key share of the
        shared projects, CNY at the start of the start year."""
        c = self.layout.objective("obj_cost") * sol.x
        own = np.array([c[self.region_cols(r, "build")].sum() + c[self.region_cols(r, "stock")]
                        .sum() for r in self.names])
        if self.rin.shared is not None:
            sh = self.rin.shared
            T = len(self.rin.years)
            per = (c[self.layout.cols("shared_build")] + c[self.layout.cols("shared_stock")]
                   ).reshape(len(sh.projects), T).sum(axis=1)
            own = own + per @ sh.cost_key
        return own

    def shared_abatement(self, sol: Solution) -> np.ndarray:
        """(R, T) tonnes each region gets from the shared projects (all sectors)."""
        R, T = len(self.names), len(self.rin.years)
        if self.rin.shared is None:
            return np.zeros((R, T))
        sh = self.rin.shared
        stock = sol.x[self.layout.cols("shared_stock")].reshape(len(sh.projects), T)
        ab = stock * sh.abatement
        return sh.ab_key.T @ ab

    def city_solution(self, sol: Solution, r: str, objective: float) -> Solution:
        """Region r's slice of a joint solution, in its own single-city column/row order."""
        cm, rm = self.col_map[r], self.row_map[r]
        return Solution(sol.status, objective, sol.x[cm], sol.row_dual[rm], sol.col_dual[cm],
                        sol.seconds, sol.iterations)

    def city_view(self, r: str) -> CityView:
        """Region r of the solved joint model as a single-city, non-solving CityView."""
        j = self.names.index(r)
        nt = self.no_target
        inp = self.rin.cities[r]
        return CityView(inp, self.parts[r], self.city_ub(r),
                        NoTargetPlan(float("nan"), nt.emissions_t[j], nt.x[self.col_map[r]]),
                        inp.scenario.target)


__all__ = ["JOINT_ROWS", "OBLIGATION_ROWS", "CityView", "RegionPriceView", "RegionalInputs",
           "RegionalModel",
           "SharedInputs", "bind_regions", "joint_bounds", "joint_level", "regional_layout",
           "stack"]
