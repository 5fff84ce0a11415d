"""Upper bounds on relief from duals: the Lagrangian bound, with a project's own multipliers
re-optimised where needed.

For any multipliers y (sign-feasible on inequality rows, free on equalities) the Lagrangian
bound g(y) = Σ_rows y·(active row bound) + Σ_cols min over the column's box of (c − Aᵀy)·x is
below the minimum of the problem, whatever its bounds or matrix. At the phase-1 duals y* it
equals the phase-1 minimum; so for the problem with one project's limits relaxed,
relief ≤ g(y*) − g_relaxed(y) for any y that agrees with y* outside a set of rows R — only the
terms of R and of the columns in R change:

- `upper_bounds`: y = y*, R = the project's own rows (its build and stock columns, its group's
  rows; a longer lifetime moves each build's retirement coefficient, changing its reduced cost
  by y[row t+L] − y[row t+L′]); one vectorised pass over every project;
- `block_upper_bounds`: R = the stock-balance rows of the project and of its exclusive-group
  partners, and their group's rows, with the multipliers of R re-optimised — the duals of the
  block's own small LP (min Σ (c − Aᵀy*)·x over the block's builds and stocks, with R as its
  only rows, the project's limits relaxed), solved for many projects at once. The duals are
  put into the same formula (group multipliers clipped at ≤ 0), so HiGHS's accuracy on that LP
  can weaken the bound but never make it wrong.

At a degenerate phase-1 optimum, y* may charge a limit the project does not really hit (its
stock at potential read as a roll-out or lifetime limit, a group partner's limit read as its
own): the block LP repairs that. What it cannot see is another project's change, nor a year's
shortfall running out; the relief module re-solves what stays undecided.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.model.blocks import Layout, RowBlock, Term, VarBlock
from planner.model.formulation import stock_recursion
from planner.model.highs import solve_once


def _box_min(d: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """min of d·x over lo ≤ x ≤ hi, elementwise (-inf where unbounded that way)."""
    with np.errstate(invalid="ignore"):
        out = np.where(d > 0, d * lo, np.where(d < 0, d * hi, 0.0))
    return np.where(np.isnan(out), -np.inf, out)


def _retire_duals(y_sb: np.ndarray, life: np.ndarray) -> np.ndarray:
    """(P, T): the multiplier of the row in which build s retires (row s + life; 0 after the
    horizon)."""
    T = y_sb.shape[1]
    t_ret = np.arange(T)[None, :] + life[:, None]
    return np.where(t_ret < T, np.take_along_axis(y_sb, np.minimum(t_ret, T - 1), axis=1), 0.0)


def _next(y_sb: np.ndarray) -> np.ndarray:
    """(P, T): the multiplier of the next year's row (0 after the last)."""
    return np.concatenate([y_sb[:, 1:], np.zeros((len(y_sb), 1))], axis=1)


def own_costs(rx, y: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(c̃_build, c̃_stock), (P, T): each project's reduced costs without its own
    stock-balance rows, c − Aᵀy* over every other row (`y` row duals, `d` = c − Aᵀy*)."""
    y_sb = rx.stock_duals(y)
    cb = d[rx.bcol] - y_sb + _retire_duals(y_sb, rx.L)
    cs = d[rx.scol] + y_sb - _next(y_sb)
    return cb, cs


def upper_bounds(rx, f: dict[str, np.ndarray], y: np.ndarray, d: np.ndarray) -> np.ndarray:
    """(P,) upper bounds on each project's relief (t) with the kinds in `f` relaxed
    (`rx` a planner.analysis.relief.Relaxer): the phase-1 minimum minus the Lagrangian bound
    of the relaxed problem at the phase-1 duals (`y` row duals, `d` reduced costs, original
    units); +inf where the bound proves nothing."""
    cb, cs = own_costs(rx, y, d)
    y_sb = rx.stock_duals(y)
    life = rx.relaxed_life(f)
    db = cb + y_sb - _retire_duals(y_sb, life)  # c̃ − A′ᵀy, relaxed lifetime
    ds = cs - y_sb + _next(y_sb)
    z = np.zeros_like(ds)
    with np.errstate(invalid="ignore"):
        new = (_box_min(db, rx.b_lb, rx.relaxed_build_ub(f)).sum(axis=1)
               + _box_min(ds, z, rx.relaxed_stock_ub(f)).sum(axis=1))
        old = (_box_min(d[rx.bcol], rx.b_lb, rx.b_ub).sum(axis=1)
               + _box_min(d[rx.scol], z, rx.s_ub).sum(axis=1))
        total = new - old
    grp = np.array([float(np.minimum(y[r], 0.0).sum()) for r in rx.own_rows])
    total = total + np.where(f["group"], grp * rx.share, 0.0)
    return np.where(np.isfinite(total), -total, np.inf)


def block_upper_bounds(rx, f: dict[str, np.ndarray], y: np.ndarray, d: np.ndarray,
                       idx: np.ndarray) -> np.ndarray:
    """(len(idx),) upper bounds on the relief (t) of the projects `idx` with the kinds in `f`
    relaxed, the multipliers of the stock-balance rows of the project and of its exclusive-
    group partners, and of their group's rows, re-optimised: from the duals of their own LP
    (module docstring), its group's rows included. The plain bound where that LP has no
    optimum."""
    plain = upper_bounds(rx, f, y, d)[idx]
    if len(idx) == 0:
        return plain
    T = rx.T
    cb, cs = own_costs(rx, y, d)
    b_ub_f, s_ub_f, life_f = rx.relaxed_build_ub(f), rx.relaxed_stock_ub(f), rx.relaxed_life(f)
    blk, mem, own = [], [], []
    for k, p in enumerate(idx):
        m = rx.members(p)
        blk.append(np.full(len(m), k))
        mem.append(m)
        own.append(m == p)
    blk, mem, own = np.concatenate(blk), np.concatenate(mem), np.concatenate(own)
    n = len(mem)
    U = np.maximum(rx.s_ub[mem, 0], 1e-12)
    p_of = idx[blk]
    lo = rx.b_lb[mem]
    hi = np.where(own[:, None], b_ub_f[p_of], rx.b_ub[mem])
    shi = np.where(own[:, None], s_ub_f[p_of], rx.s_ub[mem])
    life = np.where(own, life_f[p_of], rx.L[mem])
    grouped = np.array([len(rx.own_rows[p]) > 0 for p in idx])
    y_g0 = np.zeros((len(idx), T))
    y_g0[grouped] = np.array([y[rx.own_rows[p]] for p in idx[grouped]]).reshape(-1, T)
    gub = np.where(f["group"][idx], 1.0 + rx.share, 1.0)
    cs_m = cs[mem] + y_g0[blk] / U[:, None]  # the group rows' part added back
    pidx = pd.RangeIndex(n * T)
    scale = np.repeat(U, T)
    variables = {"build": VarBlock("build", pidx, lo.ravel(), hi.ravel(), scale),
                 "stock": VarBlock("stock", pidx, np.zeros(n * T), shi.ravel(), scale.copy())}
    rows = {"stock_balance": stock_recursion("stock_balance", "stock", "build", life, T, pidx)}
    gblk = np.flatnonzero(grouped)
    if len(gblk):
        gpos = np.full(len(idx), -1)
        gpos[gblk] = np.arange(len(gblk))
        in_g = grouped[blk]
        j = np.flatnonzero(in_g)
        r = (gpos[blk[j]][:, None] * T + np.arange(T)[None, :]).ravel()
        c = (j[:, None] * T + np.arange(T)[None, :]).ravel()
        rows["group"] = RowBlock("group", pd.RangeIndex(len(gblk) * T),
                                 [Term("stock", r, c, np.repeat(1.0 / U[j], T))],
                                 np.full(len(gblk) * T, -np.inf), np.repeat(gub[gblk], T))
    layout = Layout(variables, rows)
    layout.objectives = {"own": {"build": cb[mem].ravel(), "stock": cs_m.ravel()}}
    sol = solve_once(layout, "own")
    if sol is None:
        return plain
    y_sb = sol.row_dual[:n * T].reshape(n, T)
    y_g = np.zeros((len(idx), T))
    if len(gblk):
        y_g[gblk] = np.minimum(sol.row_dual[n * T:].reshape(len(gblk), T), 0.0)
    z = np.zeros((n, T))
    d_b = cb[mem] + y_sb - _retire_duals(y_sb, life)
    d_s = cs_m - y_sb + _next(y_sb) - y_g[blk] / U[:, None]
    with np.errstate(invalid="ignore"):
        new = _box_min(d_b, lo, hi).sum(axis=1) + _box_min(d_s, z, shi).sum(axis=1)
        old = (_box_min(d[rx.bcol[mem]], lo, rx.b_ub[mem]).sum(axis=1)
               + _box_min(d[rx.scol[mem]], z, rx.s_ub[mem]).sum(axis=1))
    change = np.zeros(len(idx))
    np.add.at(change, blk, new - old)
    change += (y_g * gub[:, None]).sum(axis=1) - y_g0.sum(axis=1)
    bound = np.where(np.isfinite(change), -change, np.inf)
    return np.minimum(plain, bound)


__all__ = ["block_upper_bounds", "own_costs", "upper_bounds"]
