"""A built, persistent planning model: the object that ranking, sweeps, diagnosis and sampling
re-solve under changed targets, prices or data without rebuilding.

It holds the formulation's blocks (:mod:`planner.model.formulation`), the Pyomo model built from
them, the scaled matrix and a persistent HiGHS session. Target rows are re-bounded, never
rebuilt; the no-target plan (every target row free) is solved once and kept, because the level
and strict peak forms and intensity targets take fixed numbers from it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import sparse

from planner.errors import SolverError
from planner.model.blocks import INF, Layout, RowBlock, Term, to_pyomo
from planner.model.catalogue import TARGET_ROWS
from planner.model.finance import capex_coefficients, flow_weights
from planner.model.formulation import (
    emission_scale,
    fixed_cost_coeff,
    formulate,
    needs_no_target_plan,
    target_bounds,
    target_indices,
)
from planner.model.highs import HighsSession, Solution, highspy, scale_layout
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

    @property
    def no_target_if_solved(self) -> NoTargetPlan | None:
        """The no-target plan if it has been solved already, else None (nothing is solved)."""
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
    _values: _ValueMap | bool | None = None  # sampled-values map (False: not applicable)
    _csc: tuple | None = None  # CSR -> scaled CSC map of the matrix (update_inputs)

    def update_inputs(self, inp: ModelInputs, basis=None, *, no_target_basis=None) -> None:
        """Re-solve-ready for `inp`, inputs of the same structure (same projects, years,
        sectors, groups and target rows; other values of costs, abatement, BAU, discount rate,
        limits): the new matrix coefficients, costs and bounds are passed to the persistent
        HiGHS model in one call, in the model's kept scaling; the no-target plan and the target
        rows are recomputed. Raises StructureChanged otherwise.

        When only capex, savings, abatement, BAU values and the discount rate differ from the
        built inputs (what Monte Carlo samples change), only the arrays they enter are
        recomputed (a map checked once against the full formulation); anything else is
        formulated in full. `no_target_basis` (a highspy HighsBasis; default `basis`) is set
        before the no-target plan's solve and `basis` before the target solve, so that the
        result does not depend on what was solved before."""
        if self._values is None:
            self._values = _ValueMap.build(self)
        got = self._values.layout(inp) if self._values else None
        if got is not None:
            layout, A = got
        else:
            layout = formulate(inp)
            A = layout.matrix()
            same = (layout.n_rows == self.layout.n_rows and layout.n_cols == self.layout.n_cols
                    and list(layout.rows) == list(self.layout.rows)
                    and np.array_equal(A.indptr, self.A.indptr)
                    and np.array_equal(A.indices, self.A.indices))
            if not same:
                raise StructureChanged("the inputs change the model's structure: rebuild it")
        self._pass_layout(layout, A)
        self.inp, self.layout, self.A = inp, layout, A
        self._pyomo = None  # built again on demand
        self._ub = {name: np.full(len(layout.rows[name]), INF) for name in TARGET_ROWS}
        self._no_target = None
        first = no_target_basis if no_target_basis is not None else basis
        if first is not None:
            self.session.h.setBasis(first)
        target, self.target = self.target, None
        self.set_target(target, self.level_scale)
        if basis is not None:
            self.session.h.setBasis(basis)

    def _pass_layout(self, layout: Layout, A: sparse.csr_array) -> None:
        """Give HiGHS the whole LP of `layout` (same structure as the built one) in the kept
        scaling, with one passModel call: matrix, the current objective's costs, bounds."""
        lp, session = self.lp, self.session
        if self._csc is None:  # CSR entry -> CSC position, and each entry's scale factor
            rows = np.repeat(np.arange(A.shape[0]), np.diff(A.indptr))
            order = np.lexsort((rows, A.indices))
            indptr = np.searchsorted(A.indices[order], np.arange(A.shape[1] + 1))
            self._csc = (order, rows[order].astype(np.int32), indptr.astype(np.int32),
                         lp.col_scale[A.indices[order]] / lp.row_scale[rows[order]])
        order, index, indptr, factor = self._csc
        for name, terms in layout.objectives.items():
            if terms is not self.layout.objectives.get(name):
                lp.costs[name] = layout.objective(name) * lp.col_scale / lp.money[name]
        cl, cu, rl, ru = layout.bounds()
        lp.col_lb[:], lp.col_ub[:] = cl / lp.col_scale, cu / lp.col_scale
        lp.row_lb[:], lp.row_ub[:] = rl / lp.row_scale, ru / lp.row_scale
        data = A.data[order] * factor
        lp.A = sparse.csc_array((data, index, indptr), shape=A.shape)
        n, m = A.shape[1], A.shape[0]
        integrality = (np.zeros(n, np.int32) if lp.integrality is None
                       else lp.integrality.astype(np.int32))
        status = session.h.passModel(n, m, len(data), 1, 1, 0.0, lp.costs[session.objective],
                                     lp.col_lb, lp.col_ub, lp.row_lb, lp.row_ub, indptr, index,
                                     data, integrality)
        if status == highspy.HighsStatus.kError:
            raise SolverError("HiGHS refused the model (numerical trouble in the matrix)")

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
    def solve(self) -> Solution:
        """Solve under the current target, objective and data; a Solution in original units."""
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
        """E: the largest |BAU total| of the inputs, t (the emission variables' scale)."""
        return emission_scale(self.inp)


# ------------------------------------------------------------------ sampled values (update_inputs)
#: matrix terms whose coefficients are sampled input arrays: (row family, variable) ->
#: (source array, sign); the map is checked against the full formulation before it is used
_SAMPLED_TERMS = {
    ("emissions_balance", "stock"): ("abatement", 1.0),
    ("sector_floor", "stock"): ("abatement", 1.0),
    ("sector_cap", "stock"): ("abatement", -1.0),
    ("investment_budget", "build"): ("capex", 1.0),
    ("cost_limit", "build"): ("capex_coeff", 1.0),
    ("cost_limit", "stock"): ("opex_coeff", 1.0),
    ("cost_limit", "choose"): ("fixed_cost", 1.0),
}
_SAMPLED_TABLES = ("capex", "savings", "abatement", "bau")
_SAME_OBJECTS = ("projects", "dataset", "indicators", "fixed_build", "fixed_choice")
_STATIC_PROPERTIES = ("lumpy", "all_or_nothing", "free_choice", "integer_build", "gross_sectors",
                      "scope_sectors", "in_scope")


class _ValueMap:
    """Where capex, savings, abatement, BAU and the discount rate enter a built model's layout:
    the matrix entries (CSR positions) of the terms in _SAMPLED_TERMS, the obj_cost vector, the
    right-hand sides of emissions_balance and sector_floor. :meth:`layout` makes the layout of
    new inputs that differ only in those, without formulating the rest again."""

    def __init__(self, pm: PlanningModel) -> None:
        inp, lay, A = pm.inp, pm.layout, pm.A
        self.base, self.base_layout, self.A = inp, lay, A
        self.years = list(inp.years)
        cols = list(inp.bau.columns)
        self.bau_years = np.array([cols.index(y) for y in self.years])
        self.scope_rows = np.array([list(inp.bau.index).index(s) for s in inp.scope_sectors],
                                   dtype=int)
        self.positive = inp.bau.to_numpy(float) > 0
        self.lifetimes = inp.projects["lifetime_years"].to_numpy(int)
        om = inp.projects["fixed_om_cny_per_unit_year"].to_numpy(float)
        self.running = om - inp.cobenefit_credit().to_numpy(float)
        sec = list(inp.bau.index)
        fl = lay.rows["sector_floor"].index
        self.floor_at = (np.array([sec.index(s) for s in fl.get_level_values(0)], dtype=int),
                         np.array([cols.index(y) for y in fl.get_level_values(1)], dtype=int))
        keys = np.repeat(np.arange(A.shape[0]), np.diff(A.indptr)) * A.shape[1] + A.indices
        self.terms: list[tuple[str, int, str, float, np.ndarray]] = []
        for name, rb in lay.rows.items():
            for k, term in enumerate(rb.terms):
                src = _SAMPLED_TERMS.get((name, term.var))
                if src is None:
                    continue
                key = ((term.row + lay.row_offset[name]) * A.shape[1]
                       + term.col + lay.col_offset[term.var])
                pos = np.searchsorted(keys, key)
                self.terms.append((name, k, src[0], src[1], pos))

    @classmethod
    def build(cls, pm: PlanningModel) -> _ValueMap | bool:
        """The map of `pm`, or False when the model is not one it covers (a MIP, sector caps on
        sectors without projects) or the map does not reproduce the full formulation of
        perturbed inputs (the formulation changed: every update then formulates in full)."""
        inp = pm.inp
        tg = inp.scenario.target
        if pm.is_mip or set(tg.sector_cap_t) - set(inp.projects["sector"]):
            return False
        try:
            vm = cls(pm)
        except (KeyError, ValueError):  # a year or sector the tables do not have
            return False
        rng = np.random.default_rng(0)

        def shake(df: pd.DataFrame, w: float) -> pd.DataFrame:
            return df * (1.0 + w * rng.uniform(-1.0, 1.0, size=df.shape))

        probe = replace(inp, capex=shake(inp.capex, 0.2), savings=shake(inp.savings, 0.2),
                        abatement=shake(inp.abatement, 0.2), bau=shake(inp.bau, 0.01),
                        scenario=inp.scenario.model_copy(
                            update={"discount_rate": inp.rate * 1.3 + 0.01}))
        got, ref = vm.layout(probe), formulate(probe)
        if got is None:
            return False
        lay, A = got
        B = ref.matrix()

        def close(a: np.ndarray, b: np.ndarray) -> bool:
            return a.shape == b.shape and np.allclose(a, b, rtol=1e-12, atol=0.0)

        ok = (np.array_equal(A.indptr, B.indptr) and np.array_equal(A.indices, B.indices)
              and close(A.data, B.data)
              and all(close(x, y) for x, y in zip(lay.bounds(), ref.bounds(), strict=True))
              and list(lay.objectives) == list(ref.objectives)
              and all(close(lay.objective(k), ref.objective(k)) for k in ref.objectives))
        return vm if ok else False

    def _same_static(self, inp: ModelInputs) -> bool:
        base = self.base
        if any(getattr(inp, k) is not getattr(base, k) for k in _SAME_OBJECTS):
            return False
        a, b = dict(inp.scenario.__dict__), dict(base.scenario.__dict__)
        a.pop("discount_rate", None)
        b.pop("discount_rate", None)
        if a != b:
            return False
        for k in _SAMPLED_TABLES:
            new, old = getattr(inp, k), getattr(base, k)
            for x, y in ((new.index, old.index), (new.columns, old.columns)):
                if x is not y and not x.equals(y):
                    return False
        return True

    def layout(self, inp: ModelInputs) -> tuple[Layout, sparse.csr_array] | None:
        """The layout and matrix of `inp`, or None when `inp` differs from the built inputs in
        more than the sampled values (or BAU changes sign somewhere: another structure)."""
        if not self._same_static(inp):
            return None
        bau = inp.bau.to_numpy(float)
        if not np.array_equal(bau > 0, self.positive):
            return None
        rate, start = inp.rate, inp.start
        capex = inp.capex.to_numpy(float)
        capex_coeff = capex_coefficients(rate, self.years, start, capex, self.lifetimes)
        weights = flow_weights(rate, self.years, start)
        opex = (self.running[:, None] - inp.savings.to_numpy(float)) * weights[None, :]
        # the inputs' own cached properties, from the same formulas or (those that only
        # projects, fixed builds and the sign of BAU decide) the built inputs': not computed again
        for key, value in (("capex_coeff", capex_coeff), ("weights", weights),
                           ("opex_coeff", opex),
                           *((k, self.base.__dict__[k]) for k in _STATIC_PROPERTIES
                             if k in self.base.__dict__)):
            inp.__dict__.setdefault(key, value)
        src = {"abatement": inp.abatement.to_numpy(float).ravel(), "capex": capex.ravel(),
               "capex_coeff": capex_coeff.ravel(), "opex_coeff": opex.ravel()}
        if len(inp.all_or_nothing):
            src["fixed_cost"] = fixed_cost_coeff(inp)
        data = self.A.data.copy()
        rows = dict(self.base_layout.rows)
        for name, k, source, sign, pos in self.terms:
            rb = rows[name]
            if rb is self.base_layout.rows[name]:  # a new block, with its own term list
                rb = rows[name] = RowBlock(rb.name, rb.index, list(rb.terms), rb.lb, rb.ub,
                                           rb.doc)
            t = rb.terms[k]
            coef = sign * src[source][t.col]
            data[pos] = coef
            rb.terms[k] = Term(t.var, t.row, t.col, coef)
        rhs = bau[self.scope_rows][:, self.bau_years].sum(axis=0)
        for name, lb, ub in (("emissions_balance", rhs, rhs.copy()),
                             ("sector_floor", rows["sector_floor"].lb, bau[self.floor_at])):
            rb = rows[name]
            rows[name] = RowBlock(rb.name, rb.index, rb.terms, lb, ub, rb.doc)
        lay = Layout(self.base_layout.variables, rows)
        cost = {"build": capex_coeff.ravel(), "stock": opex.ravel()}
        if "fixed_cost" in src:
            cost["choose"] = src["fixed_cost"]
        lay.objectives = {**self.base_layout.objectives, "obj_cost": cost}
        A = sparse.csr_array((data, self.A.indices, self.A.indptr), shape=self.A.shape)
        return lay, A


__all__ = ["NoTargetPlan", "PlanningModel", "StructureChanged"]
