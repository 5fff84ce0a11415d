"""Lower bounds on relief without a re-solve: a plan of the relaxed problem, checked.

Relaxing one project's own limits (:mod:`planner.analysis.relief`) lowers the minimum
shortfall by at least what any plan of the relaxed problem saves. Here such a plan is built
for every project at once (numpy over projects × years): every other project keeps its
phase-1 plan, and the project builds, year by year from the first, as much as its relaxed
limits and the room left in every row it shares with others (exclusive group, sector floor,
investment budget, …) allow over the whole life of that build — where more stock lowers the
shortfall; elsewhere it keeps its phase-1 build, cut to the room left. The stock follows from
the builds and the (relaxed) lifetime; emissions, shortfalls and the peak variable are then
set to the least values the rows allow.

Nothing about the plan is assumed: every row of the model is re-evaluated on it from the
constraint matrix. A plan that puts any row (or column) further outside its bounds than the
phase-1 optimum is, beyond HiGHS's own feasibility tolerance, is discarded (no bound). For
the others, base − Σ shortfall of the plan is a proven lower bound on the relief.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from planner.model.catalogue import TARGET_ROWS
from planner.model.highs import Solution
from planner.model.persistent import PlanningModel

#: HiGHS's primal feasibility tolerance in the model's scaled units (planner.model.highs)
FEAS_TOL = 1e-9
#: rows whose values the plan sets rather than checks: the stock recursion (built from the
#: builds), the emissions balance (defines emissions), max_emissions_bound (the free peak
#: variable is set to the largest emissions); target rows set their shortfall
DERIVED_ROWS = ("stock_balance", "emissions_balance", "max_emissions_bound")


class OwnPlans:
    """Relaxed-problem plans of every project from the phase-1 solution `phase1` of `pm`
    (in its elastic form with obj_shortfall as objective)."""

    def __init__(self, pm: PlanningModel, phase1: Solution, bcol: np.ndarray,
                 scol: np.ndarray) -> None:
        """`bcol`, `scol`: (P, T) build and stock columns."""
        lp, lay = pm.lp, pm.layout
        self.P, self.T = bcol.shape
        self.bcol, self.scol = bcol, scol
        A = sparse.csr_array(pm.A)
        x = phase1.x
        self.x = x
        self.act = A @ x
        self.rl = lp.row_lb * lp.row_scale
        self.ru = lp.row_ub * lp.row_scale
        self.cl = lp.col_lb * lp.col_scale
        self.cu = lp.col_ub * lp.col_scale
        self.rtol = FEAS_TOL * lp.row_scale
        self.ctol = FEAS_TOL * lp.col_scale
        m = A.shape[0]
        derived = np.zeros(m, dtype=bool)
        for name in DERIVED_ROWS:
            if name in lay.rows:
                derived[lay.rows_of(name)] = True
        trows = np.concatenate([np.arange(m)[lay.rows_of(n)] for n in TARGET_ROWS])
        derived[trows] = True
        self.checked = np.flatnonzero(~derived)
        self.trows = trows
        self.ecol = np.arange(A.shape[1])[lay.cols("emissions")]
        self.shcol = np.arange(A.shape[1])[lay.cols("shortfall")]
        self.mcol = np.arange(A.shape[1])[lay.cols("max_emissions")]
        ebrows = np.arange(m)[lay.rows_of("emissions_balance")]
        # emissions[t] = (rhs_t − Σ_p C[p,t]·stock[p,t]) / c_e[t]
        self.c_e = A[ebrows][:, self.ecol].diagonal()
        Ceb = sparse.coo_array(A[ebrows][:, scol.ravel()])
        self.C = np.zeros(self.P * self.T)
        np.add.at(self.C, Ceb.col, Ceb.data)
        self.C = self.C.reshape(self.P, self.T)
        if np.any(Ceb.row != Ceb.col % self.T):  # stock of year t only in the balance of t
            raise ValueError("unexpected emissions balance")
        # target rows: activity without their shortfall column, and its upper bound
        s = x[self.shcol]
        self.s = s
        self.t_act = self.act[trows] + s  # each target row has its shortfall with −1
        self.t_ub = self.ru[trows]
        self.A_te = A[trows][:, self.ecol].toarray()  # (rows, T)
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
        short = s > FEAS_TOL * np.maximum(1.0, np.abs(self.t_ub))
        w = self.A_te[short].sum(axis=0)  # d(Σ shortfall)/d emissions[t]
        self.gain = self.C * (w / self.c_e)[None, :]

    # ------------------------------------------------------------------ caps from rows
    def _caps(self, A_c: sparse.csr_array, relax_group: np.ndarray, share: float) -> np.ndarray:
        """(P, T) largest increase of each column (of `A_c`'s columns, (P, T) row-major)
        that keeps every checked row within bounds, others fixed; rows of a project's own
        exclusive group at (1 + share) × their bound where `relax_group`."""
        P, T = self.P, self.T
        Ac = sparse.coo_array(A_c)
        rows, cols, a = Ac.row, Ac.col, Ac.data
        g = self.checked[rows]
        act, ru, rl = self.act[g], self.ru[g], self.rl[g]
        own = self.group_row[g] & relax_group[cols // T]
        ru = np.where(own, ru * (1.0 + share), ru)
        with np.errstate(invalid="ignore", divide="ignore"):
            up = np.where(a > 0, np.maximum(ru - act, 0.0) / a,
                          np.where(a < 0, np.maximum(act - rl, 0.0) / -a, np.inf))
        up = np.where(np.isnan(up), np.inf, up)
        out = np.full(P * T, np.inf)
        np.minimum.at(out, cols, up)
        return out.reshape(P, T)

    # ------------------------------------------------------------------ the plans
    def plans(self, b_lb: np.ndarray, b_ub: np.ndarray, s_ub: np.ndarray, life: np.ndarray,
              relax_group: np.ndarray, share: float) -> tuple[np.ndarray, np.ndarray]:
        """(b', S'): each project's own relaxed plan, (P, T) — build bounds `b_lb`, `b_ub`
        and stock bounds `s_ub` (P, T), lifetimes `life` (P,), its exclusive group's bound
        × (1 + share) where `relax_group` (P,)."""
        P, T = self.P, self.T
        cap_b = np.minimum(b_ub, self.b + self._caps(self.A_cb, relax_group, share))
        cap_s = np.minimum(s_ub, self.S + self._caps(self.A_cs, relax_group, share))
        u = np.arange(T)
        b_new = np.zeros((P, T))
        S_new = np.zeros((P, T))
        for t in range(T):
            alive = (u[None, :] >= t) & (u[None, :] < t + life[:, None])  # (P, T)
            room = np.where(alive, cap_s - S_new, np.inf).min(axis=1)
            want = np.where(alive, self.gain, 0.0).sum(axis=1) > 0
            top = np.minimum(cap_b[:, t], room)
            bt = np.where(want, top, np.minimum(self.b[:, t], top))
            bt = np.maximum(bt, b_lb[:, t])  # a fixed build stays; the check rejects a clash
            b_new[:, t] = bt
            S_new += bt[:, None] * alive
        return b_new, S_new

    def lower_bounds(self, base_t: float, b_lb: np.ndarray, b_ub: np.ndarray,
                     s_ub: np.ndarray, life: np.ndarray, relax_group: np.ndarray,
                     share: float) -> np.ndarray:
        """(P,) proven lower bounds on each project's relief (t) under the relaxed limits
        given (see `plans`); -inf where the plan fails the check."""
        P, T = self.P, self.T
        b2, S2 = self.plans(b_lb, b_ub, s_ub, life, relax_group, share)
        db, dS = b2 - self.b, S2 - self.S
        ok = np.ones(P, dtype=bool)
        # column bounds: builds in their relaxed box, stock in [0, relaxed potential]
        ctb, cts = self.ctol[self.bcol], self.ctol[self.scol]
        ok &= np.all(b2 >= np.minimum(b_lb, self.b) - ctb, axis=1)
        ok &= np.all(b2 <= np.maximum(b_ub, self.b) + ctb, axis=1)
        ok &= np.all(S2 >= np.minimum(0.0, self.S) - cts, axis=1)
        ok &= np.all(S2 <= np.maximum(s_ub, self.S) + cts, axis=1)
        # every checked row, each project's change alone
        pi = np.repeat(np.arange(P), T)
        k = np.arange(P * T)
        Db = sparse.csr_array((db.ravel(), (pi, k)), shape=(P, P * T))
        Ds = sparse.csr_array((dS.ravel(), (pi, k)), shape=(P, P * T))
        d_act = sparse.coo_array(Db @ self.A_cb.T + Ds @ self.A_cs.T)
        g = self.checked[d_act.col]
        new = self.act[g] + d_act.data
        own = self.group_row[g] & relax_group[d_act.row]
        ru = np.where(own, self.ru[g] * (1.0 + share), self.ru[g])
        over = new > np.maximum(ru, self.act[g]) + self.rtol[g]
        under = new < np.minimum(self.rl[g], self.act[g]) - self.rtol[g]
        bad = np.zeros(P, dtype=bool)
        bad[d_act.row[over | under]] = True
        ok &= ~bad
        # emissions, then each target row's least shortfall
        d_e = -(dS * self.C) / self.c_e[None, :]
        t_act = self.t_act[None, :] + d_e @ self.A_te.T + (Ds @ self.A_ts.T).toarray()
        short = np.maximum(t_act - self.t_ub[None, :], 0.0)
        ok &= np.all(short <= self.cu[self.shcol][None, :] + self.ctol[self.shcol], axis=1)
        e_new = self.x[self.ecol][None, :] + d_e
        ok &= np.all((e_new >= self.cl[self.ecol] - self.ctol[self.ecol])
                     & (e_new <= self.cu[self.ecol] + self.ctol[self.ecol]), axis=1)
        peak = e_new.max(axis=1)
        ok &= (peak >= self.cl[self.mcol][0]) & (peak <= self.cu[self.mcol][0])
        total = short.sum(axis=1)
        return np.where(ok, min(base_t, float(self.s.sum())) - total, -np.inf)


__all__ = ["OwnPlans"]
