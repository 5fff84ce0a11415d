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
from scipy import sparse

from planner.errors import SolverError
from planner.model.blocks import INF, Layout, to_pyomo
from planner.model.catalogue import TARGET_ROWS
from planner.model.formulation import (
    emission_scale,
    formulate,
    needs_no_target_plan,
    target_bounds,
    target_indices,
)
from planner.model.highs import HighsSession, Solution, highspy, scale_layout
from planner.model.inputs import ModelInputs
from planner.model.resample import Sample, SampledValues, ValueMap
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
        self._inp = inp
        self._layout = self._frame = formulate(inp)
        self._A = self._layout.matrix()
        self._passed = dict(self._layout.objectives)  # objective -> terms whose costs HiGHS has
        self.lp = scale_layout(self._layout, self._A)
        solver = inp.scenario.solver
        self.session = HighsSession(self.lp, objective, solver.time_limit_s, solver.mip_gap)
        self._pyomo = to_pyomo(self._layout, inp.scenario.name) if pyomo else None
        self._indices = target_indices(inp)
        self._no_target: NoTargetPlan | None = no_target
        self._ub = {name: np.full(len(self._frame.rows[name]), INF) for name in TARGET_ROWS}
        self.target: Target | None = None
        self.level_scale = 1.0
        self.set_target(target or inp.scenario.target)

    # ---------------------------------------------------------------- inputs, layout, matrix
    #: (value map, sample) whose inputs, layout and matrix are made on first use (resample)
    _pending: tuple[ValueMap, Sample] | None = None
    #: the layout the model was built with: row offsets, column slices and block lengths, which
    #: every later layout (inputs of the same structure) shares
    _frame: Layout | None = None
    _units: tuple | None = None  # (projects table, Σ max_units)
    _target_rows: np.ndarray | None = None  # global rows of TARGET_ROWS, in family order

    @property
    def inp(self) -> ModelInputs:
        """The inputs the model holds."""
        if self._pending is not None:
            self._materialise()
        return self._inp

    @inp.setter
    def inp(self, value: ModelInputs) -> None:
        self._inp = value

    @property
    def layout(self) -> Layout:
        """The formulation's blocks for the current inputs."""
        if self._pending is not None:
            self._materialise()
        return self._layout

    @layout.setter
    def layout(self, value: Layout) -> None:
        self._layout = value

    @property
    def A(self) -> sparse.csr_array:  # noqa: N802 - the matrix
        """The constraint matrix (original units) of the current inputs."""
        if self._pending is not None:
            self._materialise()
        return self._A

    def _materialise(self) -> None:
        vm, s = self._pending
        self._pending = None
        self._inp = vm.inputs_of(s)
        self._layout, self._A = vm.layout_of(s)

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
            self._no_target = self._solve_no_target(self._gross_cost_scale())
            self.session.set_objective(obj)
            self._set_target_ubs(saved)
        return self._no_target

    @property
    def no_target_if_solved(self) -> NoTargetPlan | None:
        """The no-target plan if it has been solved already, else None (nothing is solved)."""
        return self._no_target

    def _solve_no_target(self, gross: float, duals: bool = True) -> NoTargetPlan:
        """Solve the no-target plan (target rows free, obj_cost set): least cost, then the
        lowest Σ_t e[t] at that cost (`gross`: the cost scale of the hold's tolerance;
        `duals=False`: solves that do not read them, the plan needs none)."""
        sol = self._solve(duals)
        if sol.status not in ("optimal", "time_limit"):  # time_limit: a MIP's incumbent
            # only fixed builds (actuals) can make the plan without targets infeasible;
            # targets built on it are then left free, and the plan itself is infeasible
            n = len(self._frame.variables["emissions"])
            return NoTargetPlan(float("nan"), np.full(n, INF), sol.x)
        sol2 = self._solve_holding(sol.objective, "obj_emissions", gross, duals)
        return NoTargetPlan(sol.objective, sol2.x[self._frame.cols("emissions")], sol2.x)

    def solve_holding_cost(self, cost: float, objective: str) -> Solution:
        """Minimise `objective` among plans whose obj_cost is at most `cost` (+ tolerance)."""
        return self._solve_holding(cost, objective, self._gross_cost_scale())

    def _solve_holding(self, cost: float, objective: str, gross: float,
                       duals: bool = True) -> Solution:
        row = self._frame.row_offset["cost_limit"]
        tol = COST_HOLD * max(1.0, abs(cost), gross)
        self.session.set_row_bounds([row], [-INF], [cost + tol])
        self.session.set_objective(objective)
        try:
            return self._solve(duals)
        finally:
            self.session.set_row_bounds([row], [-INF], [INF])
            self.session.set_objective("obj_cost")

    def solve_holding_shortfall(self, total_t: float) -> Solution:
        """Minimise obj_cost among plans of the elastic form whose total shortfall is at most
        `total_t` (+ 1e-9 relative): phase 2 of the diagnosis. The hold is a row of this
        solve only (HighsSession.extra_row), not a row of the model."""
        cols = self.columns("shortfall")
        tol = COST_HOLD * max(1.0, abs(total_t))
        obj = self.session.objective
        self.session.set_objective("obj_cost")
        try:
            with self.session.extra_row(cols, np.ones(len(cols)), total_t + tol):
                return self.solve()
        finally:
            self.session.set_objective(obj)

    def _gross_cost_scale(self, capex_coeff: np.ndarray | None = None) -> float:
        """A typical magnitude of the cost (CNY): Σ |capex_coeff|·R over one year of builds
        (`capex_coeff`: the current inputs' by default)."""
        projects = self._pending[0].base.projects if self._pending else self._inp.projects
        if self._units is None or self._units[0] is not projects:
            self._units = (projects, projects["max_units"].sum())
        cc = self.inp.capex_coeff if capex_coeff is None else capex_coeff
        return float(np.abs(cc).max(initial=0.0) * self._units[1])

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
        """New upper bounds of the target rows (tCO2): those that differ go to HiGHS in one
        call, in row-family order."""
        if self._target_rows is None:
            f = self._frame
            self._target_rows = np.concatenate([f.row_offset[name] + np.arange(len(f.rows[name]))
                                                for name in TARGET_ROWS])
        new = {name: np.asarray(ubs[name], float) for name in TARGET_ROWS}
        every = np.concatenate(list(new.values()))
        changed = np.flatnonzero(every != np.concatenate([self._ub[k] for k in TARGET_ROWS]))
        if len(changed):
            self._ub = new
            self.session.set_row_bounds(self._target_rows[changed],
                                        np.full(len(changed), -INF), every[changed])

    def target_ub(self, name: str) -> pd.Series:
        """Current upper bounds of a target row family (tCO2; +∞: no target)."""
        return pd.Series(self._ub[name], index=self.layout.rows[name].index)

    # ---------------------------------------------------------------- new data, same structure
    _values: ValueMap | bool | None = None  # sampled-values map (False: not applicable)
    _csc: tuple | None = None  # CSR -> scaled CSC map of the matrix (update_inputs)
    _csc_A: sparse.csc_array | None = None  # lp.A as _pass made it

    def update_inputs(self, inp: ModelInputs, basis=None, *, no_target_basis=None) -> None:
        """Re-solve-ready for `inp`, inputs of the same structure (same projects, years,
        sectors, groups and target rows; other values of costs, abatement, BAU, discount rate,
        limits): the new matrix coefficients, costs and bounds are passed to the persistent
        HiGHS model in one call, in the model's kept scaling; the no-target plan and the target
        rows are recomputed. Raises StructureChanged otherwise.

        When only capex, savings, abatement, BAU values and the discount rate differ from the
        built inputs (what Monte Carlo samples change), only the arrays they enter are
        recomputed (:class:`~planner.model.resample.ValueMap`, checked once against the full
        formulation); anything else is formulated in full. `no_target_basis` (a highspy
        HighsBasis; default `basis`) is set before the no-target plan's solve and `basis` before
        the target solve, so that the result does not depend on what was solved before."""
        if self._values is None:
            self._values = ValueMap.build(self.inp, self.layout, self.A, self.is_mip)
        got = self._values.layout(inp) if self._values else None
        if got is not None:
            layout, A = got
        else:
            layout = formulate(inp)
            A = layout.matrix()
            frame = self._frame
            same = (layout.n_rows == frame.n_rows and layout.n_cols == frame.n_cols
                    and list(layout.rows) == list(frame.rows)
                    and np.array_equal(A.indptr, self.A.indptr)
                    and np.array_equal(A.indices, self.A.indices))
            if not same:
                raise StructureChanged("the inputs change the model's structure: rebuild it")
        self._pass({name: layout.objective(name) for name, terms in layout.objectives.items()
                    if terms is not self._passed.get(name)}, *layout.bounds(), A.data, A)
        self._passed = dict(layout.objectives)
        self._pending = None
        self.inp, self.layout, self._A = inp, layout, A
        self._reset()
        first = no_target_basis if no_target_basis is not None else basis
        if first is not None:
            self.session.h.setBasis(first)
        target, self.target = self.target, None
        self.set_target(target, self.level_scale)
        if basis is not None:
            self.session.h.setBasis(basis)

    def _reset(self) -> None:
        """Forget what the previous inputs decided: Pyomo model, target bounds, no-target plan."""
        self._pyomo = None  # built again on demand
        self._ub = {name: np.full(len(self._frame.rows[name]), INF) for name in TARGET_ROWS}
        self._no_target = None

    def resample(self, values: SampledValues, *, basis=None, no_target_basis=None) -> None:
        """:meth:`update_inputs` for sampled values of the built inputs (Monte Carlo), in
        less time and with the same HiGHS calls wherever they decide a result (the same model,
        bases and solves, in the same order, so the same solutions to the last bit): the
        model's arrays come straight from the value map, the sample's inputs, layout and matrix
        are made only on first use of `inp`, `layout` or `A`, no pandas object is made, and the
        objective is not sent again where HiGHS has it. Raises StructureChanged as
        update_inputs does."""
        if self._values is None:
            self._values = ValueMap.build(self.inp, self.layout, self.A, self.is_mip)
        vm = self._values
        s = (vm.compute(values) if vm and values.base is vm.base
             and self.session.objective == "obj_cost" else None)
        if s is None:  # not covered by the map: the general path
            self.update_inputs(values.inputs(), basis, no_target_basis=no_target_basis)
            return
        target = self.target
        frame = self._frame
        cost = np.zeros(frame.n_cols)
        for var, coef in s.cost.items():
            cost[frame.cols(var)] = coef
        objectives = {**vm.base_layout.objectives, "obj_cost": s.cost}
        costs = {name: (cost if name == "obj_cost" else vm.base_layout.objective(name))
                 for name, terms in objectives.items() if terms is not self._passed.get(name)}
        self._pass(costs, vm.bounds[0], vm.bounds[1], *vm.row_bounds(s), s.data, vm.A)
        self._passed = objectives
        self._pending = (vm, s)
        self._reset()
        first = no_target_basis if no_target_basis is not None else basis
        if first is not None:
            self.session.h.setBasis(first)
        e0 = None
        if needs_no_target_plan(target):  # obj_cost is set: passed with the model
            self._no_target = self._solve_no_target(self._gross_cost_scale(s.capex_coeff),
                                                    duals=False)
            e0 = self._no_target.emissions_t
        # the bounds read the sampled BAU only for sector caps, and intensity targets read the
        # inputs: without them the built inputs give the same bounds, and no inputs are made
        inp = vm.base if not (target.sector_cap_t or target.intensity) else self.inp
        self._set_target_ubs(target_bounds(inp, target, e0, self.level_scale))
        if basis is not None:
            self.session.h.setBasis(basis)

    def _pass(self, costs: dict[str, np.ndarray], cl: np.ndarray, cu: np.ndarray,
              rl: np.ndarray, ru: np.ndarray, data: np.ndarray, A: sparse.csr_array) -> None:
        """Give HiGHS the whole LP (same structure as the built one) in the kept scaling, with
        one passModel call: the matrix (CSR `data` on the structure of `A`), the current
        objective's costs, bounds; `costs`: new cost vectors of objectives, original units."""
        lp, session = self.lp, self.session
        if self._csc is None:  # CSR entry -> CSC position, and each entry's scale factor
            rows = np.repeat(np.arange(A.shape[0]), np.diff(A.indptr))
            order = np.lexsort((rows, A.indices))
            indptr = np.searchsorted(A.indices[order], np.arange(A.shape[1] + 1))
            integrality = (np.zeros(A.shape[1], np.int32) if lp.integrality is None
                           else lp.integrality.astype(np.int32))
            self._csc = (order, rows[order].astype(np.int32), indptr.astype(np.int32),
                         lp.col_scale[A.indices[order]] / lp.row_scale[rows[order]], integrality)
        order, index, indptr, factor, integrality = self._csc
        for name, c in costs.items():
            lp.costs[name] = c * lp.col_scale / lp.money[name]
        lp.col_lb[:], lp.col_ub[:] = cl / lp.col_scale, cu / lp.col_scale
        lp.row_lb[:], lp.row_ub[:] = rl / lp.row_scale, ru / lp.row_scale
        data = data[order] * factor
        if lp.A is self._csc_A:  # the structure made below: only the values are new
            lp.A.data[:] = data
        else:
            lp.A = self._csc_A = sparse.csc_array((data.copy(), index, indptr), shape=A.shape)
        n, m = A.shape[1], A.shape[0]
        status = session.h.passModel(n, m, len(data), 1, 1, 0.0, lp.costs[session.objective],
                                     lp.col_lb, lp.col_ub, lp.row_lb, lp.row_ub, indptr, index,
                                     data, integrality)
        if status == highspy.HighsStatus.kError:
            raise SolverError("HiGHS refused the model (numerical trouble in the matrix)")

    # ---------------------------------------------------------------- other changes
    def set_elastic(self, on: bool) -> None:
        """Free (on) or fix at zero (off) the shortfall columns of every target row."""
        cols = np.arange(self._frame.cols("shortfall").start, self._frame.cols("shortfall").stop)
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

    def bau_row(self, year: int) -> tuple[int, float, float]:
        """(global row number, lower, upper bound in tCO2) of the emissions_balance row of
        `year`: the row a one-sided carbon price shifts."""
        i = self.inp.years.index(year)
        rb = self.layout.rows["emissions_balance"]
        return self.layout.row_offset["emissions_balance"] + i, float(rb.lb[i]), float(rb.ub[i])

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
    def solve(self, duals: bool = True) -> Solution:
        """Solve under the current target, objective and data; a Solution in original units
        (without duals: row_dual and col_dual are empty)."""
        return self.session.solve() if duals else self.session.solve(duals=False)

    def _solve(self, duals: bool) -> Solution:
        """solve(), called as callers (and tests that replace it) know it when duals are read."""
        return self.solve() if duals else self.solve(duals=False)

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
        """E: the largest |BAU total| of the inputs, t (the emission variables' scale)."""
        return emission_scale(self.inp)


__all__ = ["NoTargetPlan", "PlanningModel", "StructureChanged"]
