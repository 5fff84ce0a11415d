"""A smaller LP for many re-solves near an optimum: the projects out of play left out.

At an optimum, a project with nothing built, one more unit of which would cost more than it
brings in every year it may be built (the reduced cost of each unit direction is positive), is
out of play for small changes of the target. Holding such projects at zero and leaving them out
with their own ``stock_balance`` rows gives an LP of the projects in play, often a fraction of
the model; HiGHS's work per re-solve grows with the size of the LP, so the one-sided carbon
prices (a re-solve per side, each with one row shifted) run on the smaller LP.

Exactness:

- **The start.** The optimal basis cut to what remains is a basis of the smaller LP when the
  basic variables left out are as many as the rows left out (each left-out project's own rows
  then hold a block of the basis of their own). :func:`restrict` checks the counts, and the
  first solve of the smaller LP must take no pivot and reach the full model's objective;
  otherwise there is no smaller LP.
- **Each answer.** A re-solve's optimum is the full model's when the projects left out stay
  out of play at its prices. With the re-solve's row duals on the rows kept and the full
  optimum's on the rows left out, the reduced cost of every unit direction of every project
  left out must be ≥ −τ per unit of each column the direction moves (τ: HiGHS's dual
  feasibility tolerance, in the scaled LP). By LP duality of each such project's own LP, whose
  feasible directions from zero are its unit directions, its own rows then have duals that make
  the whole solution dual feasible (:meth:`Restriction.certified`). A re-solve that fails the
  check, or is infeasible (a project left out might make it feasible), is not used: the caller
  re-solves it on the full model.

A unit direction ("one more unit built in year t") raises build[p,t] and stock[p,u] for the
unit's operating years u = t .. min(t+L_p−1, end) together, so ``stock_balance`` stays
satisfied (:func:`unit_direction_costs`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from planner.model.highs import HighsSession, Solution, basic_masks

if TYPE_CHECKING:
    from planner.model.persistent import PlanningModel

#: a smaller LP only for models of at least this many columns ...
MIN_COLS = 20_000
#: ... and only when it leaves out at least this share of them
MIN_LEFT_OUT = 0.3
#: left out only if, per unit direction, its reduced cost exceeds this share of the gross cost
#: of the columns it moves: a margin for the prices of the re-solves, which differ a little
#: from the optimum's (a project too close to its break-even would fail their checks)
MARGIN = 0.05


def unit_direction_costs(rc_build: np.ndarray, rc_stock: np.ndarray,
                         lifetimes: np.ndarray) -> np.ndarray:
    """(P, T): rc_build[p,t] + Σ_{u=t}^{min(t+L_p−1, T−1)} rc_stock[p,u], the reduced cost of
    one more unit built in year t (in the units of the inputs, per unit built)."""
    P, T = rc_build.shape
    cum = np.concatenate([np.zeros((P, 1)), np.cumsum(rc_stock, axis=1)], axis=1)
    last = np.minimum(np.arange(T)[None, :] + np.asarray(lifetimes, int)[:, None], T)
    return rc_build + (np.take_along_axis(cum, last, axis=1) - cum[:, :T])


@dataclass
class Restriction:
    """The smaller LP of a model at an optimum: `session` (rows `rows`, global numbers;
    `local[global row]` is its row there, −1 when left out), and what checking an answer
    needs about the projects left out (scaled LP units)."""

    session: HighsSession
    rows: np.ndarray
    local: np.ndarray
    out_projects: np.ndarray  # positions (in inp.projects) of the projects left out
    _at: sparse.csr_array  # left-out columns × kept rows: their coefficients
    _d0: np.ndarray  # reduced costs of the left-out columns at the full optimum
    _y0: np.ndarray  # duals of the kept rows at the full optimum
    _inv_scale: np.ndarray  # 1 / column scale of the left-out columns
    _allowed: np.ndarray  # (P_out, T): a unit may be built in year t
    _lifetimes: np.ndarray  # (P_out,)
    tol: float  # τ

    def certified(self, session: HighsSession) -> bool:
        """True when the optimum `session` holds now (this smaller LP, or a clone of it with
        changed bounds) is an optimum of the full model: no project left out would enter."""
        y = np.asarray(session.h.getSolution().row_dual)
        return self._out_of_play(self._d0 - self._at @ (y - self._y0))

    def _out_of_play(self, d: np.ndarray) -> bool:
        """Every allowed unit direction of the left-out projects costs ≥ −τ per column unit,
        at reduced costs `d` of the left-out columns (build block, then stock block)."""
        return bool(np.all(_direction_costs(d + self.tol, self._inv_scale, self._lifetimes)
                           [self._allowed] >= 0))


def _direction_costs(d: np.ndarray, inv_scale: np.ndarray, lifetimes: np.ndarray) -> np.ndarray:
    """Unit direction costs (scaled money) from per-column values `d` (per scaled unit) of
    stacked (build, stock) column blocks."""
    w = d * inv_scale
    P = len(lifetimes)
    T = len(w) // (2 * P) if P else 0
    return unit_direction_costs(w[:P * T].reshape(P, T), w[P * T:].reshape(P, T), lifetimes)


def restrict(pm: PlanningModel, sol: Solution) -> Restriction | None:
    """The smaller LP of `pm` at the optimum its session holds (`sol`), or None when it would
    not pay (a small model, few projects out of play), the model is not a city's LP of build
    and stock (integer choices, an extra row held) or the cut is not exact."""
    session, lp = pm.session, pm.lp
    n, m = len(lp.col_lb), len(lp.row_lb)
    h = session.h
    if (n < MIN_COLS or session.is_mip or "choose" in pm.layout.variables
            or h.getNumRow() != m or sol.status != "optimal"):
        return None
    inp = pm.inp
    P, T = len(inp.projects), len(inp.years)
    build, stock = pm.project_columns("build"), pm.project_columns("stock")
    own = np.arange(m)[pm.layout.rows_of("stock_balance")]
    if len(own) != P * T:
        return None
    own = own.reshape(P, T)
    hs = h.getSolution()
    x, d, y = (np.asarray(hs.col_value), np.asarray(hs.col_dual), np.asarray(hs.row_dual))
    tol = float(h.getOptionValue("dual_feasibility_tolerance")[1])
    primal_tol = float(h.getOptionValue("primal_feasibility_tolerance")[1])
    col_basic, row_basic = basic_masks(h)

    unused = (np.abs(x[build]).max(axis=1) <= primal_tol) & (np.abs(x[stock]).max(axis=1)
                                                              <= primal_tol)
    L = inp.projects["lifetime_years"].to_numpy(int)
    cols = np.concatenate([build, stock], axis=1)  # (P, 2T)
    inv = 1.0 / lp.col_scale[cols]
    cost = np.asarray(h.getLp().col_cost_)
    rc = unit_direction_costs(d[build] * inv[:, :T], d[stock] * inv[:, T:], L)
    gross = unit_direction_costs(np.abs(cost[build]) * inv[:, :T],
                                 np.abs(cost[stock]) * inv[:, T:], L)
    width = unit_direction_costs(inv[:, :T], inv[:, T:], L)  # Σ 1/scale over a direction
    allowed = lp.col_ub[build] > 0
    clear = np.where(allowed, rc - MARGIN * gross - tol * width, np.inf).min(axis=1) > 0
    square = (col_basic[cols].sum(axis=1) + row_basic[own].sum(axis=1)) == T
    out = np.flatnonzero(unused & clear & square)
    if len(out) * 2 * T < MIN_LEFT_OUT * n:
        return None

    out_cols = np.concatenate([build[out].ravel(), stock[out].ravel()])
    keep_col = np.ones(n, dtype=bool)
    keep_col[out_cols] = False
    A = lp.A
    out_nnz = np.bincount(A[:, out_cols].indices, minlength=m)
    free = ~np.isfinite(lp.row_lb) & ~np.isfinite(lp.row_ub) & row_basic
    keep_row = (np.bincount(A.indices, minlength=m) > out_nnz) & ~free
    kept_cols, kept_rows = np.flatnonzero(keep_col), np.flatnonzero(keep_row)
    if col_basic[kept_cols].sum() + row_basic[kept_rows].sum() != len(kept_rows):
        return None
    small = session.restricted(kept_cols, kept_rows)
    first = small.solve(duals=False, values=False)
    if (first.status != "optimal" or first.iterations != 0
            or abs(first.objective - sol.objective) > 1e-9 * max(1.0, abs(sol.objective))):
        return None
    local = np.full(m, -1)
    local[kept_rows] = np.arange(len(kept_rows))
    return Restriction(session=small, rows=kept_rows, local=local, out_projects=out,
                       _at=sparse.csr_array(A[:, out_cols][kept_rows, :].T),
                       _d0=d[out_cols], _y0=y[kept_rows], _inv_scale=1.0 / lp.col_scale[out_cols],
                       _allowed=allowed[out], _lifetimes=L[out], tol=tol)


__all__ = ["MARGIN", "MIN_COLS", "MIN_LEFT_OUT", "Restriction", "restrict",
           "unit_direction_costs"]
