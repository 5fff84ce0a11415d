"""Which projects' own limits hold a shortfall: relief by relaxing them, computed exactly.

A project "lowers the shortfall" when phase 1 (the least total shortfall of the elastic form,
:mod:`planner.analysis.diagnosis`), with that project's own limits relaxed — potential,
roll-out, exclusive group and lifetime by RELAX_SHARE, the earliest year by a year — has a
minimum more than the shortfall tolerance (SHORT_TOL × the emission scale) below phase 1's;
`limiting` names the limits that do so on their own ("together" when only all at once do).
Both are exactly what re-solving every project gives (`relief(..., screen=False)`, the brute
force the tests compare with); most are proven without a re-solve, by two bounds on the
relief (base − relaxed minimum, clipped at 0):

- upper bounds from duals (:mod:`planner.analysis.relief_duals`): the Lagrangian bound of the
  phase-1 duals is below the minimum of any problem with the same costs, whatever its bounds
  or matrix, so the relaxed minimum is at least phase 1's plus the change of the terms the
  relaxation touches; where that does not decide, the multipliers of the project's (and its
  exclusive-group partners') own rows are re-optimised by a small LP;
- lower bounds from plans of the relaxed problem (:mod:`planner.analysis.relief_plans`):
  every other project keeps its phase-1 plan while the project (greedily; where that does not
  decide, by a small LP with its group partners) uses its relaxed limits; every row of the
  model is checked on the plan, whose total shortfall is at least the relaxed minimum.

A relaxation whose upper bound is at most SCREEN_SHARE × the tolerance does not lower the
shortfall; one whose lower bound exceeds the tolerance does; the rest (and any whose bounds
disagree) are re-solved, each from the phase-1 basis. The same for each limit alone.

The columns (RELIEF_COLUMNS): `relief_min_t` ≤ relief ≤ `relief_max_t` are proven bounds;
`relief_t` is the relief to within the shortfall tolerance where that is known — re-solved, or
the two bounds closer than the tolerance (then relief_min_t) — and NaN elsewhere. With
`exact_top` = k (the diagnosis uses the number of projects the narrator names), the k largest
reliefs among the projects that lower the shortfall are made known and proven the largest:
the bounds of the candidates are sharpened by the small LPs, then the one with the largest
upper bound is re-solved until no unknown upper bound exceeds the k-th known relief. Without
it every project that lowers the shortfall has its relief known. A relaxed problem that is
infeasible (a longer lifetime against fixed builds) has relief 0; one HiGHS cannot solve leaves
the project undecided (NaN, not said to lower it). A mixed-integer model has no duals: there
every project is re-solved.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from planner.analysis.relief_duals import block_upper_bounds, upper_bounds
from planner.analysis.relief_plans import PlanCheck, Relaxed
from planner.analysis.shortfall import RELIEF_COLUMNS, SHORT_TOL
from planner.errors import PlannerError
from planner.model.blocks import INF
from planner.model.highs import Solution
from planner.model.persistent import PlanningModel

#: a project's own limits that a relief re-solve relaxes, in the order they are named
RELAXABLE = ("potential", "rollout", "group", "lifetime", "earliest")
#: the step of a relief re-solve: potential, roll-out rate, group bound and lifetime are
#: raised by this share (the lifetime by at least a year), the earliest year moved a year
RELAX_SHARE = 0.1
#: a relaxation whose Lagrangian bound says the shortfall falls by at most this share of the
#: shortfall tolerance is not re-solved: its relief is 0
SCREEN_SHARE = 1e-3


class Relaxer:
    """One project's own limits relaxed on `pm` (in its elastic form) by a step: potential,
    roll-out rate and the exclusive group's bound by RELAX_SHARE, the lifetime by RELAX_SHARE
    (at least one year), the earliest year by one year — as arrays over all projects (for
    the bounds) and as a re-solve of one project (and put back)."""

    def __init__(self, pm: PlanningModel) -> None:
        self.pm = pm
        inp = pm.inp
        lp = pm.lp
        self.bcol = pm.project_columns("build")
        self.scol = pm.project_columns("stock")
        s = lp.col_scale
        self.b_lb = lp.col_lb[self.bcol] * s[self.bcol]
        self.b_ub = lp.col_ub[self.bcol] * s[self.bcol]
        self.s_ub = lp.col_ub[self.scol] * s[self.scol]
        years = np.asarray(inp.years)
        proj = inp.projects
        first = proj["earliest_year"].to_numpy(int)
        self.early = years[None, :] < first[:, None]
        self.year_before = years[None, :] == first[:, None] - 1
        self.fixed = self.b_lb >= self.b_ub - 1e-12 * np.maximum(1.0, self.b_ub)
        self.fixed &= ~(self.early & (self.b_ub == 0))  # the earliest-year zeros are limits
        self.R = proj["max_build_per_year"].to_numpy(float)
        self.L = proj["lifetime_years"].to_numpy(int)
        self.groups = proj["exclusive_group"].fillna("").astype(str).to_numpy()
        self.P, self.T = len(proj), len(years)
        if "exclusive_group_limit" in pm.layout.rows:
            gidx = pm.layout.rows["exclusive_group_limit"].index
            self.g_rows = {g: pm.layout.row_offset["exclusive_group_limit"]
                           + np.flatnonzero(gidx.get_level_values("group") == g)
                           for g in dict.fromkeys(gidx.get_level_values("group"))}
        else:
            self.g_rows = {}
        none = np.zeros(0, dtype=int)
        self.own_rows = [self.g_rows.get(g, none) if g else none for g in self.groups]
        self.longer_L = self.L + np.maximum(1, np.ceil(RELAX_SHARE * self.L).astype(int))
        self.has = {"potential": np.ones(self.P, dtype=bool),
                    "rollout": np.ones(self.P, dtype=bool),
                    "group": np.array([len(r) > 0 for r in self.own_rows], dtype=bool),
                    "lifetime": self.L < self.T,
                    "earliest": self.year_before.any(axis=1)}
        self.share = RELAX_SHARE
        self.basis = None  # the phase-1 basis, when set: each re-solve starts from it

    def members(self, i: int) -> np.ndarray:
        """Project i and its exclusive-group partners (project numbers, i first)."""
        g = self.groups[i]
        if not g:
            return np.array([i])
        others = np.flatnonzero(self.groups == g)
        return np.concatenate([[i], others[others != i]])

    def kinds(self, i: int) -> list[str]:
        """The relaxable limits project `i` has."""
        return [k for k in RELAXABLE if self.has[k][i]]

    def flags(self, kinds: tuple[str, ...] | None) -> dict[str, np.ndarray]:
        """Per kind, the projects (P,) relaxing it: every kind a project has (`kinds` None)
        or only `kinds`."""
        return {k: self.has[k] & (kinds is None or k in kinds) for k in RELAXABLE}

    # ------------------------------------------------------------------ relaxed limits
    def relaxed_build_ub(self, f: dict[str, np.ndarray]) -> np.ndarray:
        """(P, T) build upper bounds (units per year) with the kinds in `f` relaxed."""
        rate = self.R * np.where(f["rollout"], 1.0 + RELAX_SHARE, 1.0)
        free = ~self.fixed
        ub = np.where(f["rollout"][:, None] & free & ~self.early, rate[:, None], self.b_ub)
        return np.where(f["earliest"][:, None] & free & self.year_before, rate[:, None], ub)

    def relaxed_stock_ub(self, f: dict[str, np.ndarray]) -> np.ndarray:
        """(P, T) stock upper bounds (units) with the kinds in `f` relaxed."""
        return self.s_ub * np.where(f["potential"], 1.0 + RELAX_SHARE, 1.0)[:, None]

    def relaxed_life(self, f: dict[str, np.ndarray]) -> np.ndarray:
        """(P,) lifetimes (years) with the kinds in `f` relaxed."""
        return np.where(f["lifetime"], self.longer_L, self.L)

    def stock_duals(self, y: np.ndarray) -> np.ndarray:
        """(P, T) the row duals `y` of the projects' stock-balance rows."""
        r0 = self.pm.layout.row_offset["stock_balance"]
        return y[r0:r0 + self.P * self.T].reshape(self.P, self.T)

    # ------------------------------------------------------------------ one re-solve
    def _retire(self, i: int, lifetime: int, value: float) -> None:
        """Set project i's retirement coefficients for `lifetime` to `value` (1: on, 0: off)."""
        pm, T = self.pm, self.T
        r0 = pm.layout.row_offset["stock_balance"] + i * T
        c0 = pm.layout.col_offset["build"] + i * T
        for t in range(lifetime, T):
            pm.session.set_coeff(r0 + t, c0 + t - lifetime, value)

    def build_ub(self, i: int, kinds: list[str]) -> np.ndarray:
        """Project i's build upper bounds (T,) with `kinds` relaxed."""
        f = {k: np.arange(self.P) == i if k in kinds else np.zeros(self.P, dtype=bool)
             for k in RELAXABLE}
        return self.relaxed_build_ub(f)[i]

    def solve(self, i: int, kinds: list[str]) -> float:
        """The minimum total shortfall (obj_shortfall, t) with `kinds` of project i relaxed."""
        ses = self.pm.session
        bc, sc = self.bcol[i], self.scol[i]
        ub = self.build_ub(i, kinds)
        rows = self.own_rows[i] if "group" in kinds else np.zeros(0, dtype=int)
        n = len(rows)
        L, longer = int(self.L[i]), int(self.longer_L[i])
        if self.basis is not None:  # warm start from the phase-1 optimum
            ses.h.setBasis(self.basis)
        try:
            ses.set_col_bounds(bc, self.b_lb[i], ub)
            if "potential" in kinds:
                ses.set_col_bounds(sc, np.zeros(len(sc)), self.s_ub[i] * (1.0 + RELAX_SHARE))
            if n:
                ses.set_row_bounds(rows, np.full(n, -INF), np.full(n, 1.0 + RELAX_SHARE))
            if "lifetime" in kinds:
                self._retire(i, L, 0.0)
                self._retire(i, longer, 1.0)
            sol = self.pm.solve(duals=False)
            return sol.objective if sol.status == "optimal" else math.nan
        finally:
            ses.set_col_bounds(bc, self.b_lb[i], self.b_ub[i])
            ses.set_col_bounds(sc, np.zeros(len(sc)), self.s_ub[i])
            if n:
                ses.set_row_bounds(rows, np.full(n, -INF), np.ones(n))
            if "lifetime" in kinds:
                self._retire(i, longer, 0.0)
                self._retire(i, L, 1.0)


def relief(pm: PlanningModel, base_t: float, phase1: Solution | None = None, *,
           screen: bool = True, exact_top: int | None = None) -> pd.DataFrame:
    """For each project: how much the minimum shortfall (`base_t`, the elastic phase-1
    objective) falls when its own limits are relaxed, and which of them lower it on their own
    (RELIEF_COLUMNS; see the module docstring). `pm` must be in its elastic form with
    obj_shortfall as objective, just solved to `phase1`; with it and `screen`, the bounds
    decide what they can and the rest is re-solved; without, every project and limit is
    re-solved. `exact_top`: make only the largest reliefs known (default: all)."""
    rx = Relaxer(pm)
    ses = pm.session
    tol = SHORT_TOL * pm.emission_scale
    if not (screen and phase1 is not None and phase1.status == "optimal" and not ses.is_mip):
        return _table(pm, *_every(rx, base_t, tol))
    rx.basis = ses.h.getBasis()
    try:
        return _table(pm, *_bounded(rx, base_t, phase1, tol, exact_top))
    finally:  # leave the session at the phase-1 basis
        ses.h.setBasis(rx.basis)


def _relief_of(rx: Relaxer, base_t: float, i: int, kinds: list[str]) -> float:
    """base_t − the relaxed minimum (t; −inf when the relaxed problem is infeasible, NaN
    when HiGHS gives no trustworthy optimum)."""
    try:
        low = rx.solve(i, kinds)
    except PlannerError:
        return math.nan
    return -math.inf if math.isnan(low) else base_t - low


def _every(rx: Relaxer, base_t: float, tol: float):
    """Re-solve every project with all its limits relaxed, and each limit alone where that
    lowers the shortfall."""
    P = rx.P
    rel, lowers, limiting = np.full(P, math.nan), np.zeros(P, dtype=bool), [""] * P
    for i in range(P):
        kinds = rx.kinds(i)
        r = _relief_of(rx, base_t, i, kinds)
        if r > tol:
            alone = [_relief_of(rx, base_t, i, [k]) for k in kinds]
            if any(math.isnan(a) for a in alone):
                continue
            lowers[i] = True
            limiting[i] = " ".join(k for k, a in zip(kinds, alone, strict=True) if a > tol) \
                or "together"
        if not math.isnan(r):
            rel[i] = max(0.0, r)
    return rel, rel.copy(), rel.copy(), lowers, limiting


def _bounded(rx: Relaxer, base_t: float, phase1: Solution, tol: float,
             exact_top: int | None):
    """Decide from the bounds where they can, re-solve the rest (module docstring)."""
    P = rx.P
    eps = SCREEN_SHARE * tol
    y, d = phase1.row_dual, phase1.col_dual
    check = PlanCheck(rx, phase1)

    def bounds(kinds: tuple[str, ...] | None, need: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
        """(lower, upper) bounds on the relief of every project with `kinds` relaxed (all
        it has: None); where `need` and undecided, sharpened by the block LPs."""
        f = rx.flags(kinds)
        hi = upper_bounds(rx, f, y, d)
        lo = check.greedy_bounds(base_t, Relaxed.of(rx, f, np.arange(P)))
        open_ = np.flatnonzero(need & (hi > eps) & (lo <= tol))
        if len(open_):
            hi[open_] = block_upper_bounds(rx, f, y, d, open_)
            open_ = open_[hi[open_] > eps]
        if len(open_):
            lo[open_] = np.maximum(lo[open_],
                                   check.block_bounds(base_t, Relaxed.of(rx, f, open_)))
        return lo, hi

    lo, hi = bounds(None, np.ones(P, dtype=bool))
    rmin, rmax = np.maximum(lo, 0.0), np.maximum(hi, 0.0)
    known = np.full(P, math.nan)
    lowers, failed, limiting = np.zeros(P, dtype=bool), np.zeros(P, dtype=bool), [""] * P

    def resolve(i: int) -> None:
        r = _relief_of(rx, base_t, i, rx.kinds(i))
        if math.isnan(r):
            failed[i] = True
        else:
            known[i] = rmin[i] = rmax[i] = max(0.0, r)

    for i in range(P):
        if lo[i] > hi[i] + tol:  # bounds that disagree (numerically): re-solve
            resolve(i)
        elif hi[i] <= eps:
            continue
        elif lo[i] <= tol:
            resolve(i)
        lowers[i] = not failed[i] and (known[i] > tol if known[i] == known[i] else lo[i] > tol)
    alone = {k: bounds((k,), lowers & rx.has[k]) for k in RELAXABLE}
    for i in np.flatnonzero(lowers):
        kinds, which = rx.kinds(i), []
        for k in kinds:
            lo_k, hi_k = alone[k][0][i], alone[k][1][i]
            if hi_k <= eps and lo_k <= hi_k + tol:
                continue
            r = lo_k if tol < lo_k <= hi_k + tol else _relief_of(rx, base_t, i, [k])
            if math.isnan(r):
                failed[i] = True
                break
            if r > tol:
                which.append(k)
        limiting[i] = " ".join(which) or "together"
    lowers &= ~failed
    # the candidates for the largest reliefs: their bounds sharpened by the block LPs
    best = np.where(np.isnan(known), rmin, known)[lowers]
    floor = (np.sort(best)[::-1][exact_top - 1] if exact_top is not None
             and 0 < exact_top <= len(best) else -math.inf)
    cand = np.flatnonzero(lowers & np.isnan(known) & (rmax > floor) & (rmax - rmin > tol))
    if len(cand):
        f = rx.flags(None)
        rmax[cand] = np.maximum(np.minimum(rmax[cand], block_upper_bounds(rx, f, y, d, cand)),
                                0.0)
        rmin[cand] = np.maximum(rmin[cand], check.block_bounds(base_t, Relaxed.of(rx, f, cand)))
    # known where the bounds pin it within the tolerance
    pinned = np.isnan(known) & ~failed & (rmax - rmin <= tol)
    known[pinned] = rmin[pinned]
    while True:  # the largest reliefs, largest upper bound first
        open_ = lowers & np.isnan(known)
        if not open_.any():
            break
        if exact_top is not None:
            vals = np.sort(known[lowers & ~np.isnan(known)])[::-1]
            kth = vals[exact_top - 1] if len(vals) >= exact_top else -math.inf
            if exact_top <= 0 or rmax[open_].max() <= kth:
                break
        j = int(np.flatnonzero(open_)[np.argmax(rmax[open_])])
        resolve(j)
        if failed[j]:
            lowers[j] = False
    for arr in (known, rmin, rmax):
        arr[failed] = math.nan
    return known, rmin, rmax, lowers, [s if not f else "" for s, f in zip(limiting, failed,
                                                                          strict=True)]


def _table(pm: PlanningModel, rel, rmin, rmax, lowers, limiting) -> pd.DataFrame:
    """The relief table (RELIEF_COLUMNS)."""
    proj = pm.inp.projects
    return pd.DataFrame({"project": proj.index.to_numpy(), "name": proj["name"].to_numpy(),
                         "relief_t": rel, "relief_min_t": rmin, "relief_max_t": rmax,
                         "lowers_shortfall": lowers, "limiting": limiting},
                        columns=RELIEF_COLUMNS)


__all__ = ["RELAXABLE", "RELAX_SHARE", "SCREEN_SHARE", "Relaxer", "relief"]
