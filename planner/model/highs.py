"""The hand-over to HiGHS: compile the Pyomo model to matrices, scale, solve, re-solve.

Pyomo's ``compile_standard_form`` writer turns the model into sparse matrices; we scale them,
pass them to a persistent ``highspy.Highs`` object and map the solution, duals and reduced
costs back to Pyomo components in original units. Re-solving under another target only
changes row bounds, so HiGHS starts from its previous basis.

Scaling (all factors come from the data, so the LP HiGHS sees does not depend on the units of
the inputs):
- columns: x = s_j · x̃, with s_j = 1 / scaling_factor (the model's Suffix): project variables
  in units of their potential, emissions in units of the largest BAU total;
- rows: each row divided by its largest |coefficient| after column scaling;
- objective: divided by its largest |coefficient| after column scaling.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo
from pyomo.repn import generate_standard_repn
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler
from scipy import sparse

from planner.errors import EXIT_NUMERICAL, EXIT_SOLVER_MISSING, EXIT_TIME_LIMIT, SolverError

try:  # HiGHS missing is a solver fault with its own exit code, not a traceback
    import highspy
except ImportError:  # pragma: no cover - exercised by monkeypatching in tests
    highspy = None

INF = math.inf


def _inf(v: float) -> float:
    return INF if v is None or v >= 1e30 else (-INF if v <= -1e30 else float(v))


@dataclass
class CompiledLP:
    """The scaled matrix form of a Pyomo model: min c̃ᵀx̃ s.t. row_lb ≤ Ãx̃ ≤ row_ub,
    col_lb ≤ x̃ ≤ col_ub."""

    A: sparse.csc_array
    col_lb: np.ndarray
    col_ub: np.ndarray
    row_lb: np.ndarray
    row_ub: np.ndarray
    costs: dict[str, np.ndarray]  # objective name -> scaled cost vector
    offsets: dict[str, float]  # objective name -> constant, original units
    money: dict[str, float]  # objective name -> scale (original = scale x scaled)
    col_scale: np.ndarray
    row_scale: np.ndarray
    columns: list  # VarData per column
    rows: list  # ConstraintData per row
    col_of: dict  # id(VarData) -> column
    row_of: dict  # id(ConstraintData) -> row


def compile_lp(m: pyo.ConcreteModel) -> CompiledLP:
    """Compile every active objective and constraint of `m` to a scaled matrix form."""
    info = LinearStandardFormCompiler().write(m, mixed_form=True)
    A = sparse.csr_array(info.A)
    # merge the rows of one constraint (a ranged row comes as two) into one ranged row
    first: dict[int, int] = {}
    keep, lb, ub, cons = [], [], [], []
    for k, (con, mult) in enumerate(info.rows):
        i = first.get(id(con))
        if i is None:
            i = first[id(con)] = len(cons)
            keep.append(k)
            cons.append(con)
            lb.append(-INF)
            ub.append(INF)
        rhs = float(info.rhs[k])
        if mult >= 0:
            ub[i] = min(ub[i], rhs)
        if mult <= 0:
            lb[i] = max(lb[i], rhs)
    A = A[keep, :] if keep else sparse.csr_array((0, len(info.columns)))
    columns = list(info.columns)
    sf = m.component("scaling_factor")
    s = np.array([1.0 / sf[v] if sf is not None and v in sf else 1.0 for v in columns])
    A1 = sparse.csr_array(A @ sparse.diags_array(s)) if A.shape[0] else A
    r = np.abs(A1).max(axis=1).toarray().ravel() if A1.shape[0] else np.zeros(0)
    r[r == 0] = 1.0
    A_s = sparse.csc_array(sparse.diags_array(1.0 / r) @ A1) if A1.shape[0] else A1.tocsc()
    col_lb = np.array([_inf(v.lb) if v.lb is not None else -INF for v in columns]) / s
    col_ub = np.array([_inf(v.ub) if v.ub is not None else INF for v in columns]) / s
    for j, v in enumerate(columns):
        if v.fixed:
            col_lb[j] = col_ub[j] = float(v.value) / s[j]
    C = sparse.csr_array(info.c)
    costs, offsets, money = {}, {}, {}
    for k, obj in enumerate(info.objectives):
        c1 = C[[k], :].toarray().ravel() * s
        scale = float(np.abs(c1).max()) or 1.0
        costs[obj.local_name] = c1 / scale
        offsets[obj.local_name] = float(info.c_offset[k])
        money[obj.local_name] = scale
    return CompiledLP(
        A=A_s, col_lb=col_lb, col_ub=col_ub,
        row_lb=np.array(lb) / r, row_ub=np.array(ub) / r,
        costs=costs, offsets=offsets, money=money, col_scale=s, row_scale=r,
        columns=columns, rows=cons,
        col_of={id(v): j for j, v in enumerate(columns)},
        row_of={id(c): i for i, c in enumerate(cons)},
    )


@dataclass
class Solution:
    """One solve, in original units. status: optimal | infeasible."""

    status: str
    objective: float
    x: np.ndarray  # per column
    row_dual: np.ndarray  # ∂objective/∂(row bound), per row
    col_dual: np.ndarray  # reduced cost per column (objective units per variable unit)
    seconds: float
    iterations: int


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


def solver_version() -> str:
    if highspy is None:
        return "unavailable"
    with _quiet_stdout():
        h = highspy.Highs()
    return f"HiGHS {h.version()}"


class HighsSession:
    """A persistent HiGHS model of a compiled LP, re-solvable after bound or objective changes."""

    def __init__(self, lp: CompiledLP, objective: str = "obj_cost",
                 time_limit_s: float | None = None) -> None:
        if highspy is None:
            raise SolverError("the HiGHS solver is not available: install it with "
                              "'pip install highspy'", EXIT_SOLVER_MISSING)
        self.lp = lp
        with _quiet_stdout():
            self.h = highspy.Highs()
        h = self.h
        h.setOptionValue("output_flag", False)
        h.setOptionValue("random_seed", 0)
        h.setOptionValue("threads", 1)
        # tight tolerances: the scaled LP is well conditioned, and one-sided marginal costs
        # are found by re-solving with perturbations of 1e-4 of the emission scale
        h.setOptionValue("primal_feasibility_tolerance", 1e-9)
        h.setOptionValue("dual_feasibility_tolerance", 1e-9)
        if time_limit_s is not None:
            h.setOptionValue("time_limit", float(time_limit_s))
        self.objective = objective
        self.time_limit_s = time_limit_s
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
        status = h.passModel(hlp)
        if status == highspy.HighsStatus.kError:
            raise SolverError("HiGHS refused the model (numerical trouble in the matrix)")

    # -- changes
    def set_objective(self, name: str) -> None:
        """Minimise another of the model's objectives next time."""
        self.objective = name
        c = self.lp.costs[name]
        self.h.changeColsCost(len(c), np.arange(len(c), dtype=np.int32), c)

    def refresh_rows(self, constraints: Iterable) -> None:
        """Re-read the bounds of these Pyomo constraints (after their Params changed)."""
        idx, lo, hi = [], [], []
        for con in constraints:
            i = self.lp.row_of[id(con)]
            const = generate_standard_repn(con.body, compute_values=True).constant
            lower = pyo.value(con.lower) if con.lower is not None else -INF
            upper = pyo.value(con.upper) if con.upper is not None else INF
            r = self.lp.row_scale[i]
            idx.append(i)
            lo.append((lower - const) / r)
            hi.append((upper - const) / r)
        if idx:
            self.h.changeRowsBounds(len(idx), np.array(idx, dtype=np.int32),
                                    np.array(lo, dtype=float), np.array(hi, dtype=float))

    def set_extra_costs(self, variables: list, costs) -> None:
        """Set the objective coefficients of `variables` to their base value plus `costs`
        (original units, objective money per variable unit), e.g. a carbon price on emissions."""
        lp = self.lp
        idx = np.array([lp.col_of[id(v)] for v in variables], dtype=np.int32)
        money = lp.money[self.objective]
        c = lp.costs[self.objective][idx] + np.asarray(costs, float) * lp.col_scale[idx] / money
        self.h.changeColsCost(len(idx), idx, c)

    # -- solve
    def solve(self) -> Solution:
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
        seconds = time.perf_counter() - t0
        info = h.getInfo()
        iters = int(info.simplex_iteration_count)
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
        sol = h.getSolution()
        money = lp.money[self.objective]
        x = np.asarray(sol.col_value) * lp.col_scale
        y = np.asarray(sol.row_dual) * money / lp.row_scale
        d = np.asarray(sol.col_dual) * money / lp.col_scale
        obj = float(info.objective_function_value) * money + lp.offsets[self.objective]
        return Solution("optimal", obj, x, y, d, seconds, iters)


__all__ = ["CompiledLP", "HighsSession", "Solution", "compile_lp", "solver_version"]
