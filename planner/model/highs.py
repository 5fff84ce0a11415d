"""The hand-over to HiGHS: scale the model's matrix, solve, re-solve.

The matrix comes from the same variable and row blocks as the Pyomo model
(:mod:`planner.model.blocks`); we scale it, pass it to a persistent ``highspy.Highs`` object
and map the solution, duals and reduced costs back in original units. Re-solving under another
target only changes row bounds, so HiGHS starts from its previous basis.

Scaling (all factors come from the data, so the LP HiGHS sees does not depend on the units of
the inputs):
- columns: x = s_j · x̃: project variables in units of their potential, emissions in units of
  the largest BAU total;
- rows: each row divided by its largest |coefficient| after column scaling;
- objective: divided by its largest |coefficient| after column scaling.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import time
from dataclasses import dataclass, replace

import numpy as np
from scipy import sparse

from planner.errors import (
    EXIT_NUMERICAL,
    EXIT_SOLVER_MISSING,
    EXIT_TIME_LIMIT,
    PlannerError,
    SolverError,
)
from planner.model.blocks import Layout

try:  # HiGHS missing is a solver fault with its own exit code, not a traceback
    import highspy
except ImportError:  # pragma: no cover - exercised by monkeypatching in tests
    highspy = None

INF = math.inf


@dataclass
class ScaledLP:
    """The scaled matrix form of a :class:`~planner.model.blocks.Layout`:
    min c̃ᵀx̃ s.t. row_lb ≤ Ãx̃ ≤ row_ub, col_lb ≤ x̃ ≤ col_ub, with x = col_scale·x̃ and each row
    divided by row_scale."""

    A: sparse.csc_array
    col_lb: np.ndarray
    col_ub: np.ndarray
    row_lb: np.ndarray
    row_ub: np.ndarray
    costs: dict[str, np.ndarray]  # objective -> scaled cost vector
    money: dict[str, float]  # objective -> scale (original = scale x scaled)
    col_scale: np.ndarray
    row_scale: np.ndarray
    integrality: np.ndarray | None = None


def scale_layout(layout: Layout, A: sparse.csr_array | None = None) -> ScaledLP:
    """Scale columns by their typical magnitude, rows by their largest |coefficient| after
    that, each objective by its largest |coefficient|. `A`: the layout's matrix, when the
    caller has built it already (``layout.matrix()``)."""
    A = layout.matrix() if A is None else A
    s = layout.col_scale()
    A1 = sparse.csr_array(A @ sparse.diags_array(s)) if A.shape[0] else A
    r = np.abs(A1).max(axis=1).toarray().ravel() if A1.shape[0] else np.zeros(0)
    r[r == 0] = 1.0
    A_s = sparse.csc_array(sparse.diags_array(1.0 / r) @ A1) if A1.shape[0] else A1.tocsc()
    cl, cu, rl, ru = layout.bounds()
    costs, money = {}, {}
    for name in layout.objectives:
        c1 = layout.objective(name) * s
        scale = float(np.abs(c1).max()) or 1.0
        costs[name] = c1 / scale
        money[name] = scale
    return ScaledLP(A=A_s, col_lb=cl / s, col_ub=cu / s, row_lb=rl / r, row_ub=ru / r,
                    costs=costs, money=money, col_scale=s, row_scale=r,
                    integrality=layout.integrality())


@dataclass
class Solution:
    """One solve, in original units. status: optimal | infeasible | time_limit (a MIP stopped
    by its time limit with an incumbent: x is the incumbent, mip_gap its relative gap).
    A MIP solution has no duals (row_dual and col_dual are zeros)."""

    status: str
    objective: float
    x: np.ndarray  # per column
    row_dual: np.ndarray  # ∂objective/∂(row bound), per row
    col_dual: np.ndarray  # reduced cost per column (objective units per variable unit)
    seconds: float
    iterations: int
    mip_gap: float | None = None  # relative gap of a MIP solve (None for an LP)


@contextlib.contextmanager
def _quiet_stdout():
    """Silence C-level stdout (HiGHS prints a banner on its first construction)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    sys.stdout.flush()
    saved = os.dup(fd)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
        yield
    finally:
        os.dup2(saved, fd)
        os.close(devnull)
        os.close(saved)


def _configured(time_limit_s: float | None = None, mip_gap: float | None = None):
    """A new highspy.Highs with planner's options: silent, seeded, one thread, tight
    tolerances (the scaled LP is well conditioned, and one-sided marginal costs are found by
    re-solving with perturbations of 1e-4 of the emission scale)."""
    if highspy is None:
        raise SolverError("the HiGHS solver is not available: install it with "
                          "'pip install highspy'", EXIT_SOLVER_MISSING)
    with _quiet_stdout():
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("threads", 1)
    h.setOptionValue("primal_feasibility_tolerance", 1e-9)
    h.setOptionValue("dual_feasibility_tolerance", 1e-9)
    if time_limit_s is not None:
        h.setOptionValue("time_limit", float(time_limit_s))
    if mip_gap is not None:
        h.setOptionValue("mip_rel_gap", float(mip_gap))
    return h


def solver_version() -> str:
    """'HiGHS x.y.z', or 'unavailable' without highspy."""
    if highspy is None:
        return "unavailable"
    with _quiet_stdout():
        h = highspy.Highs()
    return f"HiGHS {h.version()}"


class HighsSession:
    """A persistent HiGHS model of a compiled LP, re-solvable after bound or objective changes."""

    _all_cols: np.ndarray | None = None  # 0 .. n-1 (int32), every column
    _coeffs_changed: bool = False  # set_coeff has changed HiGHS's matrix since the build

    def __init__(self, lp: ScaledLP, objective: str = "obj_cost",
                 time_limit_s: float | None = None, mip_gap: float | None = None) -> None:
        self.lp = lp
        self.h = _configured(time_limit_s, mip_gap)
        h = self.h
        self.objective = objective
        self.time_limit_s = time_limit_s
        self.mip_gap = mip_gap
        A = lp.A
        n, mrows = len(lp.col_lb), len(lp.row_lb)
        hlp = highspy.HighsLp()
        hlp.num_col_ = n
        hlp.num_row_ = mrows
        hlp.col_cost_ = lp.costs[objective]
        hlp.col_lower_ = lp.col_lb
        hlp.col_upper_ = lp.col_ub
        hlp.row_lower_ = lp.row_lb
        hlp.row_upper_ = lp.row_ub
        hlp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        hlp.a_matrix_.start_ = A.indptr.astype(np.int32)
        hlp.a_matrix_.index_ = A.indices.astype(np.int32)
        hlp.a_matrix_.value_ = A.data.astype(float)
        hlp.a_matrix_.num_col_ = n
        hlp.a_matrix_.num_row_ = mrows
        self.is_mip = lp.integrality is not None
        if self.is_mip:  # only then: an LP is passed exactly as before
            hlp.integrality_ = [highspy.HighsVarType.kInteger if v else
                                highspy.HighsVarType.kContinuous for v in lp.integrality]
        status = h.passModel(hlp)
        if status == highspy.HighsStatus.kError:
            raise SolverError("HiGHS refused the model (numerical trouble in the matrix)")

    def clone(self) -> HighsSession:
        """An independent session of the model exactly as HiGHS holds it now (costs, bounds,
        matrix), started from this session's basis: re-solves on the clone leave this session
        untouched, and the two may run in two threads (highspy releases the GIL in run)."""
        new = object.__new__(HighsSession)
        lp = self.lp
        new.lp = replace(lp, col_lb=lp.col_lb.copy(), col_ub=lp.col_ub.copy(),
                         row_lb=lp.row_lb.copy(), row_ub=lp.row_ub.copy())
        new.h = _configured(self.time_limit_s, self.mip_gap)
        new.objective, new.time_limit_s, new.mip_gap = (self.objective, self.time_limit_s,
                                                        self.mip_gap)
        new.is_mip = self.is_mip
        if new.h.passModel(self.h.getLp()) == highspy.HighsStatus.kError:
            raise SolverError("HiGHS refused a copy of the model")
        new.h.setBasis(self.h.getBasis())
        return new

    def restricted(self, cols: np.ndarray, rows: np.ndarray) -> HighsSession:
        """A session of the LP as HiGHS holds it now (costs, bounds, matrix) cut to the
        columns `cols` and rows `rows` (sorted global numbers), started from this session's
        basis cut likewise: for many re-solves of a smaller LP near this session's optimum
        (:mod:`planner.model.restricted`). Only the current objective comes along. Whether the
        cut basis is an optimal basis of the smaller LP is the caller's to check (restrict
        requires its first solve to take no pivot)."""
        h = self.h
        hl = h.getLp()
        if self._coeffs_changed:  # set_coeff changed HiGHS's matrix, not lp.A
            m = hl.a_matrix_
            A = sparse.csc_array((np.asarray(m.value_, float), np.asarray(m.index_, np.int32),
                                  np.asarray(m.start_, np.int32)), shape=self.lp.A.shape)
        else:
            A = self.lp.A
        lp = self.lp
        cl, cu = np.asarray(hl.col_lower_)[cols], np.asarray(hl.col_upper_)[cols]
        rl, ru = np.asarray(hl.row_lower_)[rows], np.asarray(hl.row_upper_)[rows]
        sub = ScaledLP(A=sparse.csc_array(A[:, cols][rows, :]), col_lb=cl, col_ub=cu,
                       row_lb=rl, row_ub=ru,
                       costs={self.objective: np.asarray(hl.col_cost_)[cols]},
                       money={self.objective: lp.money[self.objective]},
                       col_scale=lp.col_scale[cols], row_scale=lp.row_scale[rows])
        new = HighsSession(sub, self.objective, self.time_limit_s, self.mip_gap)
        new.h.setBasis(_cut_basis(h, hl, cols, rows))
        return new

    # -- changes
    def set_objective(self, name: str) -> None:
        """Minimise another of the model's objectives next time."""
        self.objective = name
        c = self.lp.costs[name]
        if self._all_cols is None or len(self._all_cols) != len(c):
            self._all_cols = np.arange(len(c), dtype=np.int32)
        self.h.changeColsCost(len(c), self._all_cols, c)

    def set_row_bounds(self, rows: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
        """New bounds (original units) for rows `rows` (global row numbers)."""
        self._set_bounds(rows, lo, hi, self.lp.row_scale, self.lp.row_lb, self.lp.row_ub,
                         self.h.changeRowsBounds)

    def set_col_bounds(self, cols: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
        """New bounds (original units) for columns `cols`."""
        self._set_bounds(cols, lo, hi, self.lp.col_scale, self.lp.col_lb, self.lp.col_ub,
                         self.h.changeColsBounds)

    @staticmethod
    def _set_bounds(idx, lo, hi, scale, lbs, ubs, change) -> None:
        """Scale bounds, keep the stored copies in step, pass them to HiGHS."""
        idx = np.asarray(idx, dtype=np.int32)
        if len(idx) == 0:
            return
        lo_s, hi_s = np.asarray(lo, float) / scale[idx], np.asarray(hi, float) / scale[idx]
        lbs[idx], ubs[idx] = lo_s, hi_s
        change(len(idx), idx, lo_s, hi_s)

    def set_costs(self, cols: np.ndarray, costs: np.ndarray) -> None:
        """Set the current objective's coefficients of `cols` (original units: objective money
        per variable unit); the stored base objective is not changed."""
        cols = np.asarray(cols, dtype=np.int32)
        money = self.lp.money[self.objective]
        c = np.asarray(costs, float) * self.lp.col_scale[cols] / money
        self.h.changeColsCost(len(cols), cols, c)

    def base_costs(self, cols: np.ndarray) -> np.ndarray:
        """The current objective's stored coefficients of `cols`, original units."""
        cols = np.asarray(cols, dtype=int)
        return (self.lp.costs[self.objective][cols] * self.lp.money[self.objective]
                / self.lp.col_scale[cols])

    def set_coeff(self, row: int, col: int, value: float) -> None:
        """Change one matrix coefficient (original units) in HiGHS (`lp.A` keeps the built
        one)."""
        v = value * self.lp.col_scale[col] / self.lp.row_scale[row]
        self.h.changeCoeff(int(row), int(col), float(v))
        self._coeffs_changed = True

    @contextlib.contextmanager
    def extra_row(self, cols: np.ndarray, coef: np.ndarray, upper: float):
        """Hold Σ coef·x[cols] ≤ upper (original units) in HiGHS while the block runs: a row
        appended after the model's own (scaled like them) and deleted afterwards — for a
        single lexicographic solve, so that every other solve sees the model unchanged."""
        h, lp = self.h, self.lp
        cols = np.asarray(cols, dtype=np.int32)
        a = np.asarray(coef, float) * lp.col_scale[cols]
        r = float(np.abs(a).max()) or 1.0
        m = len(lp.row_lb)
        h.addRow(-INF, float(upper) / r, len(cols), cols, a / r)
        try:
            yield
        finally:
            h.deleteRows(1, np.array([m], dtype=np.int32))

    # -- solve
    def _retry(self):
        """A status other than optimal/infeasible/time limit (e.g. Unknown after a warm start):
        solve again from a fresh basis, then with the primal simplex, before giving up."""
        h = self.h
        for strategy in (None, 4):
            h.clearSolver()
            if strategy is not None:
                h.setOptionValue("simplex_strategy", strategy)
            h.run()
            if strategy is not None:
                h.setOptionValue("simplex_strategy", 1)
            status = h.getModelStatus()
            if status in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kInfeasible):
                return status
        return status

    def solve_relaxation(self) -> float:
        """The objective (original units) of the LP relaxation: integrality removed for one
        solve, then restored. NaN when the relaxation is infeasible."""
        if not self.is_mip:
            raise ValueError("the model has no integer columns")
        h = self.h
        ints = np.flatnonzero(self.lp.integrality).astype(np.int32)
        cont = highspy.HighsVarType.kContinuous
        h.changeColsIntegrality(len(ints), ints, np.array([cont] * len(ints)))
        self.is_mip = False
        try:
            sol = self.solve()
        finally:
            kint = highspy.HighsVarType.kInteger
            h.changeColsIntegrality(len(ints), ints, np.array([kint] * len(ints)))
            self.is_mip = True
        return sol.objective

    def _arm_time_limit(self) -> None:
        """HiGHS checks an LP's time limit against the session's cumulative run time (its MIP
        solver against the run's own): give every solve the full `time_limit_s`."""
        if self.time_limit_s is None:
            return
        extra = 0.0 if self.is_mip else float(self.h.getRunTime())
        self.h.setOptionValue("time_limit", float(self.time_limit_s) + extra)

    def solve(self, duals: bool = True, values: bool = True) -> Solution:
        """Run HiGHS from the current basis; a Solution in original units (or infeasible).
        `duals=False`: row_dual and col_dual are left empty (not read from HiGHS);
        `values=False`: x too (only the status and objective are read)."""
        self._arm_time_limit()
        if self.is_mip:
            return self._solve_mip()
        h = self.h
        t0 = time.perf_counter()
        h.run()
        status = h.getModelStatus()
        S = highspy.HighsModelStatus
        if status == S.kUnboundedOrInfeasible:  # decide which, without presolve
            h.setOptionValue("presolve", "off")
            h.run()
            h.setOptionValue("presolve", "choose")
            status = h.getModelStatus()
        if status not in (S.kOptimal, S.kInfeasible, S.kTimeLimit):
            status = self._retry()
        seconds = time.perf_counter() - t0
        iters = int(h.getInfoValue("simplex_iteration_count")[1])  # getInfo() copies them all
        lp = self.lp
        if status == S.kInfeasible:
            n, mrows = len(lp.col_lb), len(lp.row_lb)
            return Solution("infeasible", math.nan, np.full(n, math.nan),
                            np.zeros(mrows), np.zeros(n), seconds, iters)
        if status == S.kTimeLimit:
            raise SolverError(f"HiGHS hit the time limit ({self.time_limit_s:g} s) "
                              "before proving optimality; no result is reported "
                              "(raise solver.time_limit_s in the scenario)", EXIT_TIME_LIMIT)
        if status != S.kOptimal:
            raise SolverError(f"HiGHS did not find a trustworthy optimum "
                              f"(model status: {h.modelStatusToString(status)}); "
                              "no result is reported", EXIT_NUMERICAL)
        money = lp.money[self.objective]
        obj = float(h.getInfoValue("objective_function_value")[1]) * money
        if not values:
            return Solution("optimal", obj, np.zeros(0), np.zeros(0), np.zeros(0), seconds, iters)
        sol = h.getSolution()
        x = np.asarray(sol.col_value) * lp.col_scale
        if duals:
            mrows = len(lp.row_lb)  # an extra_row's dual is not the model's
            y = np.asarray(sol.row_dual)[:mrows] * money / lp.row_scale
            d = np.asarray(sol.col_dual) * money / lp.col_scale
        else:
            y = d = np.zeros(0)
        return Solution("optimal", obj, x, y, d, seconds, iters)

    def _solve_mip(self) -> Solution:
        """Branch and bound; on the time limit, the incumbent (status time_limit) if any."""
        h = self.h
        t0 = time.perf_counter()
        h.run()
        status = h.getModelStatus()
        S = highspy.HighsModelStatus
        seconds = time.perf_counter() - t0
        info = h.getInfo()
        lp = self.lp
        n, mrows = len(lp.col_lb), len(lp.row_lb)
        iters = int(info.simplex_iteration_count)
        if status in (S.kInfeasible, S.kUnboundedOrInfeasible):
            return Solution("infeasible", math.nan, np.full(n, math.nan), np.zeros(mrows),
                            np.zeros(n), seconds, iters)
        has_incumbent = int(info.primal_solution_status) == 2
        if status == S.kTimeLimit and not has_incumbent:
            raise SolverError(f"HiGHS hit the time limit ({self.time_limit_s:g} s) before "
                              "finding any plan that satisfies the integer choices; no result "
                              "is reported (raise solver.time_limit_s in the scenario)",
                              EXIT_TIME_LIMIT)
        if status not in (S.kOptimal, S.kTimeLimit):
            raise SolverError(f"HiGHS did not find a trustworthy optimum of the mixed-integer "
                              f"programme (model status: {h.modelStatusToString(status)}); "
                              "no result is reported", EXIT_NUMERICAL)
        sol = h.getSolution()
        x = np.asarray(sol.col_value) * lp.col_scale
        ints = np.flatnonzero(lp.integrality)
        x[ints] = np.round(x[ints])  # whole numbers (scale 1 on integer columns)
        obj = float(info.objective_function_value) * lp.money[self.objective]
        gap = float(info.mip_gap) if math.isfinite(float(info.mip_gap)) else math.inf
        return Solution("optimal" if status == S.kOptimal else "time_limit", obj, x,
                        np.zeros(mrows), np.zeros(n), seconds, iters, gap)


def basic_masks(h) -> tuple[np.ndarray, np.ndarray]:
    """(columns, rows) of the basis the highspy.Highs `h` holds: True where basic."""
    _, basic = h.getBasicVariables()
    basic = np.asarray(basic)  # a column's number, or −1 − a row's
    col_basic = np.zeros(h.getNumCol(), dtype=bool)
    col_basic[basic[basic >= 0]] = True
    row_basic = np.zeros(h.getNumRow(), dtype=bool)
    row_basic[-1 - basic[basic < 0]] = True
    return col_basic, row_basic


def _cut_basis(h, lp, cols: np.ndarray, rows: np.ndarray):
    """The basis `h` holds (its LP: `lp`), cut to columns `cols` and rows `rows`. Statuses are
    read from HiGHS's basic variables and its values (nonbasic at the lower or upper bound, or
    zero when free): reading them as enum lists costs more than the rest of the cut."""
    S = highspy.HighsBasisStatus
    sol = h.getSolution()
    codes = []
    for lo, up, val, k in ((lp.col_lower_, lp.col_upper_, sol.col_value, cols),
                           (lp.row_lower_, lp.row_upper_, sol.row_value, rows)):
        lo, up, val = np.asarray(lo)[k], np.asarray(up)[k], np.asarray(val)[k]
        at_lo, at_up = np.isfinite(lo) & (val <= lo), np.isfinite(up) & (val >= up)
        codes.append(np.select([at_lo, at_up, np.isfinite(lo), np.isfinite(up)], [0, 2, 0, 2], 3))
    col_basic, row_basic = basic_masks(h)
    codes[0][col_basic[cols]] = 1
    codes[1][row_basic[rows]] = 1
    table = np.array([S.kLower, S.kBasic, S.kUpper, S.kZero], dtype=object)
    b = highspy.HighsBasis()
    b.col_status = table[codes[0]]
    b.row_status = table[codes[1]]
    b.valid = True
    return b


def solve_once(layout: Layout, objective: str) -> Solution | None:
    """Scale `layout`, solve it once for `objective` in a fresh session; None when the optimum
    is not found (infeasible, or no trustworthy optimum): for small auxiliary LPs whose
    failure only means a bound is not sharpened."""
    try:
        sol = HighsSession(scale_layout(layout), objective).solve()
    except PlannerError:
        return None
    return sol if sol.status == "optimal" else None


__all__ = ["HighsSession", "ScaledLP", "Solution", "basic_masks", "scale_layout", "solve_once",
           "solver_version"]
