"""Lower bounds on relief without a re-solve: plans of the relaxed problem, checked.

Relaxing one project's own limits (:mod:`planner.analysis.relief`) lowers the minimum
shortfall by at least what any plan of the relaxed problem saves. Such plans come from the
phase-1 plan, changing the builds of a few projects only (everyone else keeps theirs):

- `greedy_builds`, for every project at once (numpy over projects × years): the project
  builds, year by year from the first, as much as its relaxed limits and the room left in
  every row it shares with others (exclusive group, sector floor, investment budget, …)
  allow over the whole life of that build — where more stock lowers the shortfall; elsewhere
  it keeps its phase-1 build, cut to the room left;
- `block_builds`, for a few projects: the least-shortfall builds of the project and its
  exclusive-group partners, everyone else fixed — a small LP per project, solved together.

Nothing about a plan is assumed (`PlanCheck.evaluate`): from its builds, the stock follows by
the stock recursion (relaxed lifetime for the relaxed project), emissions by the emissions
balance, every target row's shortfall as the least its row allows, the peak variable as the
largest emissions; then every other row and every column bound of the model is evaluated
from the constraint matrix. A plan that puts any of them further outside its bounds than the
phase-1 optimum is, beyond HiGHS's own feasibility tolerance, gives no bound. For the others,
base − Σ shortfall of the plan is a proven lower bound on the relief.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from planner.model.blocks import Layout, RowBlock, Term, VarBlock
from planner.model.catalogue import TARGET_ROWS
from planner.model.formulation import stock_recursion
from planner.model.highs import Solution, solve_once

#: HiGHS's primal feasibility tolerance in the model's scaled units (planner.model.highs)
FEAS_TOL = 1e-9
#: rows whose values follow from a plan's builds rather than being checked: the stock
#: recursion, the emissions balance (defines emissions), max_emissions_bound (the free peak
#: variable is set to the largest emissions); target rows set their shortfall
DERIVED_ROWS = ("stock_balance", "emissions_balance", "max_emissions_bound")


@dataclass
class Relaxed:
    """The relaxed limits of the relaxed project of each of B candidate plans: `proj` (B,),
    build bounds `b_lb`, `b_ub` and stock bounds `s_ub` (B, T), lifetime `life` (B,), and
    whether its exclusive group's bound is raised by `share` (`group`, (B,))."""

    proj: np.ndarray
    b_lb: np.ndarray
    b_ub: np.ndarray
    s_ub: np.ndarray
    life: np.ndarray
    group: np.ndarray
    share: float

    @classmethod
    def of(cls, rx, f: dict[str, np.ndarray], idx: np.ndarray) -> Relaxed:
        """Projects `idx` with the kinds in flags `f` relaxed (`rx` a relief.Relaxer)."""
        return cls(idx, rx.b_lb[idx], rx.relaxed_build_ub(f)[idx],
                   rx.relaxed_stock_ub(f)[idx], rx.relaxed_life(f)[idx], f["group"][idx],
                   rx.share)


def stock_of(builds: np.ndarray, life: np.ndarray) -> np.ndarray:
    """(n, T) stock from builds (n, T) and lifetimes (n,): stock[t] = Σ builds of the last
    `life` years up to t (the stock recursion from no stock before the first year)."""
    n, T = builds.shape
    cs = np.concatenate([np.zeros((n, 1)), np.cumsum(builds, axis=1)], axis=1)  # cs[t] = Σ_<t
    t = np.arange(T)[None, :]
    start = np.maximum(t + 1 - life[:, None], 0)
    return cs[:, 1:] - np.take_along_axis(cs, start, axis=1)


class PlanCheck:
    """The phase-1 solution `phase1` of `rx.pm` (elastic form, obj_shortfall) as the base of
    relaxed plans, and their evaluation."""

    def __init__(self, rx, phase1: Solution) -> None:
        pm = rx.pm
        lp, lay = pm.lp, pm.layout
        self.rx = rx
        self.P, self.T = rx.P, rx.T
        bcol, scol = rx.bcol, rx.scol
        A = sparse.csr_array(pm.A)
        self.A = A
        x = phase1.x
        self.x = x
        self.act = A @ x
        self.rl = lp.row_lb * lp.row_scale
        self.ru = lp.row_ub * lp.row_scale
        self.cl = lp.col_lb * lp.col_scale
        self.cu = lp.col_ub * lp.col_scale
        self.rtol = FEAS_TOL * lp.row_scale
        self.ctol = FEAS_TOL * lp.col_scale
        m, n = A.shape
        derived = np.zeros(m, dtype=bool)
        for name in DERIVED_ROWS:
            if name in lay.rows:
                derived[lay.rows_of(name)] = True
        trows = np.concatenate([np.arange(m)[lay.rows_of(t)] for t in TARGET_ROWS])
        derived[trows] = True
        self.checked = np.flatnonzero(~derived)
        self.trows = trows
        self.ebrows = np.arange(m)[lay.rows_of("emissions_balance")]
        self.ecol = np.arange(n)[lay.cols("emissions")]
        self.shcol = np.arange(n)[lay.cols("shortfall")]
        self.mcol = np.arange(n)[lay.cols("max_emissions")]
        # emissions[t] = (rhs_t − Σ_p C[p,t]·stock[p,t]) / c_e[t]
        self.c_e = A[self.ebrows][:, self.ecol].diagonal()
        Ceb = sparse.coo_array(A[self.ebrows][:, scol.ravel()])
        if np.any(Ceb.row != Ceb.col % self.T):
            raise ValueError("the emissions balance of year t holds stock of other years")
        self.C = np.zeros(self.P * self.T)
        np.add.at(self.C, Ceb.col, Ceb.data)
        self.C = self.C.reshape(self.P, self.T)
        # target rows: activity without their shortfall column (coefficient −1), bound
        self.s = x[self.shcol]
        self.t_act = self.act[trows] + self.s
        self.t_ub = self.ru[trows]
        self.A_te = A[trows][:, self.ecol].toarray()  # (target rows, T)
        self.A_ts = sparse.csr_array(A[trows][:, scol.ravel()])  # sector caps: stock terms
        self.A_cb = sparse.csr_array(A[self.checked][:, bcol.ravel()])
        self.A_cs = sparse.csr_array(A[self.checked][:, scol.ravel()])
        self.b = x[bcol]
        self.S = x[scol]
        # a project's stock is in the rows of its own exclusive group only
        self.group_row = np.zeros(m, dtype=bool)
        if "exclusive_group_limit" in lay.rows:
            self.group_row[lay.rows_of("exclusive_group_limit")] = True
        # where one more unit of stock lowers the total shortfall (rows short at phase 1)
        short = self.s > FEAS_TOL * np.maximum(1.0, np.abs(self.t_ub))
        w = self.A_te[short].sum(axis=0)  # d(Σ shortfall)/d emissions[t]
        self.gain = self.C * (w / self.c_e)[None, :]

    # ------------------------------------------------------------------ evaluation
    def evaluate(self, base_t: float, rel: Relaxed, block: np.ndarray, proj: np.ndarray,
                 builds: np.ndarray) -> np.ndarray:
        """(B,) proven lower bounds on the relief (t) of B plans: plan k relaxes the limits
        `rel` (entry k) and changes the builds of the projects `proj[j]` for which
        `block[j]` = k to `builds[j]` (T,); -inf where the plan fails the check."""
        B, P, T = len(rel.proj), self.P, self.T
        own = proj == rel.proj[block]
        life = np.where(own, rel.life[block], self.rx.L[proj])
        stock = stock_of(builds, life)
        db, dS = builds - self.b[proj], stock - self.S[proj]
        bad = np.zeros(B, dtype=bool)
        rx = self.rx
        lo_b = np.where(own[:, None], rel.b_lb[block], rx.b_lb[proj])
        hi_b = np.where(own[:, None], rel.b_ub[block], rx.b_ub[proj])
        hi_s = np.where(own[:, None], rel.s_ub[block], rx.s_ub[proj])
        ctb, cts = self.ctol[rx.bcol[proj]], self.ctol[rx.scol[proj]]
        b0, S0 = self.b[proj], self.S[proj]
        out_col = ((builds < np.minimum(lo_b, b0) - ctb) | (builds > np.maximum(hi_b, b0) + ctb)
                   | (stock < np.minimum(0.0, S0) - cts) | (stock > np.maximum(hi_s, S0) + cts))
        bad[block[out_col.any(axis=1)]] = True
        # every checked row
        cols = (proj[:, None] * T + np.arange(T)[None, :]).ravel()
        rows = np.repeat(block, T)
        Db = sparse.csr_array((db.ravel(), (rows, cols)), shape=(B, P * T))
        Ds = sparse.csr_array((dS.ravel(), (rows, cols)), shape=(B, P * T))
        d_act = sparse.coo_array(Db @ self.A_cb.T + Ds @ self.A_cs.T)
        g = self.checked[d_act.col]
        new = self.act[g] + d_act.data
        raised = self.group_row[g] & rel.group[d_act.row]
        ru = np.where(raised, self.ru[g] * (1.0 + rel.share), self.ru[g])
        over = new > np.maximum(ru, self.act[g]) + self.rtol[g]
        under = new < np.minimum(self.rl[g], self.act[g]) - self.rtol[g]
        bad[d_act.row[over | under]] = True
        # emissions, then each target row's least shortfall, then the peak variable
        d_e = np.zeros((B, T))
        np.add.at(d_e, block, -(dS * self.C[proj]) / self.c_e[None, :])
        t_act = self.t_act[None, :] + d_e @ self.A_te.T + (Ds @ self.A_ts.T).toarray()
        short = np.maximum(t_act - self.t_ub[None, :], 0.0)
        sh_hi = self.cu[self.shcol] + self.ctol[self.shcol]
        bad |= np.any(short > sh_hi[None, :], axis=1)
        e_new = self.x[self.ecol][None, :] + d_e
        et = self.ctol[self.ecol]
        bad |= np.any((e_new < self.cl[self.ecol] - et) | (e_new > self.cu[self.ecol] + et),
                      axis=1)
        peak = e_new.max(axis=1)
        bad |= (peak < self.cl[self.mcol][0]) | (peak > self.cu[self.mcol][0])
        total = short.sum(axis=1)
        return np.where(bad, -np.inf, min(base_t, float(self.s.sum())) - total)

    # ------------------------------------------------------------------ greedy plans
    def _caps(self, A_c: sparse.csr_array, rel: Relaxed) -> np.ndarray:
        """(P, T) largest increase of each column of `A_c` ((P, T) row-major, project k =
        plan k) that keeps every checked row within bounds, everything else fixed."""
        P, T = self.P, self.T
        Ac = sparse.coo_array(A_c)
        cols, a = Ac.col, Ac.data
        g = self.checked[Ac.row]
        act = self.act[g]
        raised = self.group_row[g] & rel.group[cols // T]
        ru = np.where(raised, self.ru[g] * (1.0 + rel.share), self.ru[g])
        with np.errstate(invalid="ignore", divide="ignore"):
            up = np.where(a > 0, np.maximum(ru - act, 0.0) / a,
                          np.where(a < 0, np.maximum(act - self.rl[g], 0.0) / -a, np.inf))
        up = np.where(np.isnan(up), np.inf, up)
        out = np.full(P * T, np.inf)
        np.minimum.at(out, cols, up)
        return out.reshape(P, T)

    def greedy_builds(self, rel: Relaxed) -> np.ndarray:
        """(P, T) every project's builds under its relaxed limits `rel` (plan k = project k;
        the module docstring)."""
        P, T = self.P, self.T
        cap_b = np.minimum(rel.b_ub, self.b + self._caps(self.A_cb, rel))
        cap_s = np.minimum(rel.s_ub, self.S + self._caps(self.A_cs, rel))
        u = np.arange(T)
        builds = np.zeros((P, T))
        stock = np.zeros((P, T))
        for t in range(T):
            alive = (u[None, :] >= t) & (u[None, :] < t + rel.life[:, None])
            room = np.where(alive, cap_s - stock, np.inf).min(axis=1)
            want = np.where(alive, self.gain, 0.0).sum(axis=1) > 0
            top = np.minimum(cap_b[:, t], room)
            bt = np.where(want, top, np.minimum(self.b[:, t], top))
            bt = np.maximum(bt, rel.b_lb[:, t])  # a fixed build stays; the check rejects a clash
            builds[:, t] = bt
            stock += bt[:, None] * alive
        return builds

    def greedy_bounds(self, base_t: float, rel: Relaxed) -> np.ndarray:
        """(P,) lower bounds on every project's relief from its greedy plan."""
        idx = np.arange(self.P)
        return self.evaluate(base_t, rel, idx, idx, self.greedy_builds(rel))

    # ------------------------------------------------------------------ block LPs
    def block_bounds(self, base_t: float, rel: Relaxed) -> np.ndarray:
        """(B,) lower bounds on the relief of the projects `rel.proj` from the least-shortfall
        builds of each project and its exclusive-group partners, everyone else fixed."""
        B = len(rel.proj)
        if B == 0:
            return np.zeros(0)
        got = self._block_lp(rel)
        if got is None:
            return np.full(B, -np.inf)
        block, proj, builds = got
        return self.evaluate(base_t, rel, block, proj, builds)

    def _block_lp(self, rel: Relaxed):
        """(block, project, builds) of the blocks' least-shortfall plans (one LP, the blocks
        side by side), or None when HiGHS finds no optimum."""
        rx, T, x = self.rx, self.T, self.x
        A_cb, A_cs = sparse.csc_array(self.A_cb), sparse.csc_array(self.A_cs)
        lo, hi, scale, cost = [], [], [], []
        rr, cc, vv, row_lb, row_ub = [], [], [], [], []
        p_block, p_proj, p_bpos, p_spos, p_life = [], [], [], [], []
        n_col = n_row = 0
        for k, p in enumerate(rel.proj):
            mem = rx.members(p)
            nm = len(mem)
            own = mem == p
            bc, sc = rx.bcol[mem].ravel(), rx.scol[mem].ravel()
            cols = np.concatenate([bc, sc, self.ecol, self.shcol])
            lo.append(np.concatenate([np.where(own[:, None], rel.b_lb[k], rx.b_lb[mem]).ravel(),
                                      np.zeros(nm * T), self.cl[self.ecol], self.cl[self.shcol]]))
            hi.append(np.concatenate([np.where(own[:, None], rel.b_ub[k], rx.b_ub[mem]).ravel(),
                                      np.where(own[:, None], rel.s_ub[k], rx.s_ub[mem]).ravel(),
                                      self.cu[self.ecol], self.cu[self.shcol]]))
            scale.append(rx.pm.lp.col_scale[cols])
            cost.append(np.concatenate([np.zeros(2 * nm * T + len(self.ecol)),
                                        np.ones(len(self.shcol))]))
            # rows: the checked rows the members touch, the emissions balance, target rows,
            # everything else moved to the right-hand side at its phase-1 value
            local = (mem[:, None] * T + np.arange(T)[None, :]).ravel()
            touched = np.unique(np.concatenate([A_cb[:, local].tocoo().row,
                                                A_cs[:, local].tocoo().row]))
            rows = np.concatenate([self.checked[touched], self.ebrows, self.trows])
            sub = sparse.coo_array(self.A[rows][:, cols])
            others = self.act[rows] - sub @ x[cols]
            raised = self.group_row[rows] & bool(rel.group[k])
            ru = np.where(raised, self.ru[rows] * (1.0 + rel.share), self.ru[rows])
            rr.append(sub.row + n_row)
            cc.append(sub.col + n_col)
            vv.append(sub.data)
            row_lb.append(self.rl[rows] - others)
            row_ub.append(ru - others)
            n_row += len(rows)
            p_block.append(np.full(nm, k))
            p_proj.append(mem)
            p_bpos.append(n_col + np.arange(nm * T).reshape(nm, T))
            p_spos.append(n_col + nm * T + np.arange(nm * T).reshape(nm, T))
            p_life.append(np.where(own, rel.life[k], rx.L[mem]))
            n_col += len(cols)
        bpos, spos = np.concatenate(p_bpos), np.concatenate(p_spos)
        n_pairs = len(bpos)
        # the members' own stock recursions (relaxed lifetime for the relaxed project)
        sb = stock_recursion("stock_balance", "stock", "build", np.concatenate(p_life), T,
                             pd.RangeIndex(n_pairs * T))
        for term in sb.terms:
            rr.append(term.row + n_row)
            cc.append((bpos if term.var == "build" else spos).ravel()[term.col])
            vv.append(term.coef)
        row_lb.append(sb.lb)
        row_ub.append(sb.ub)
        n_row += len(sb)
        idx = pd.RangeIndex(n_col)
        layout = Layout({"x": VarBlock("x", idx, np.concatenate(lo), np.concatenate(hi),
                                       np.concatenate(scale))},
                        {"r": RowBlock("r", pd.RangeIndex(n_row),
                                       [Term("x", np.concatenate(rr), np.concatenate(cc),
                                             np.concatenate(vv))],
                                       np.concatenate(row_lb), np.concatenate(row_ub))})
        layout.objectives = {"shortfall": {"x": np.concatenate(cost)}}
        sol = solve_once(layout, "shortfall")
        if sol is None:
            return None
        return np.concatenate(p_block), np.concatenate(p_proj), sol.x[bpos]


__all__ = ["PlanCheck", "Relaxed", "stock_of"]
