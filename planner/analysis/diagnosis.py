"""Why a target is out of reach: the elastic model.

Phase 1 minimises the total shortfall (tCO2) on the target rows; phase 2 minimises cost with
the shortfall held at its minimum. The shortfall is reported per year once
(:mod:`planner.analysis.shortfall`); the phase-2 plan says which project limits bind in the
short years (:mod:`planner.analysis.limits`). Whether a project could lower the shortfall is
computed, not guessed: phase 1 is re-solved with that project's own limits relaxed (potential,
roll-out, exclusive group and lifetime by 10 %, the earliest year by a year), and the project
counts only if the minimum shortfall falls. Shortfall duals are never reported as carbon prices.

A re-solve is skipped only where it provably cannot lower the shortfall. The phase-1 duals y
(row duals, reduced costs d = c − Aᵀy) give the Lagrangian lower bound
g(y) = Σ_rows y·(active row bound) + Σ_cols min over the column's box of d·x, which is below the
minimum shortfall of ANY problem with the same costs, whatever its bounds or matrix. A
relaxation changes only a few bounds (build/stock columns of the project, its group's rows)
and, for a longer lifetime, the retirement coefficients of its build columns (which changes
their d by y[row t+L] − y[row t+L′]); the bound after the relaxation is phase 1's minimum plus
the change of those few terms. When that change is ≥ −SCREEN_SHARE·tolerance, the relaxed
minimum cannot fall below phase 1's by more than that, and the relief is 0 without a re-solve
(for the limits tried alone: "does not lower it on its own"). The bound holds for every
dual-feasible y, so a degenerate phase-1 optimum cannot make it wrong: degeneracy only means
a nonzero dual need not mean relief, and such candidates are re-solved (each from the phase-1
basis). A mixed-integer model has no duals: there every project is re-solved.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from planner.analysis.frontier import lowest_peaks
from planner.analysis.limits import project_limits
from planner.analysis.narrator import diagnosis_text, limit_text
from planner.analysis.shortfall import RELIEF_COLUMNS, SHORT_TOL, Diagnosis, shortfall_of
from planner.errors import PlannerError
from planner.model.blocks import INF
from planner.model.highs import Solution
from planner.model.inputs import ModelInputs
from planner.model.persistent import PlanningModel
from planner.results import tables

#: a project's own limits that a relief re-solve relaxes, in the order they are named
RELAXABLE = ("potential", "rollout", "group", "lifetime", "earliest")
#: the step of a relief re-solve: potential, roll-out rate, group bound and lifetime are
#: raised by this share (the lifetime by at least a year), the earliest year moved a year
RELAX_SHARE = 0.1
#: a relaxation whose Lagrangian bound says the shortfall falls by at most this share of the
#: shortfall tolerance is not re-solved: its relief is 0
SCREEN_SHARE = 1e-3

def _box_min(d: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """min of d·x over lo ≤ x ≤ hi, per column (-inf where unbounded that way)."""
    with np.errstate(invalid="ignore"):
        out = np.where(d > 0, d * lo, np.where(d < 0, d * hi, 0.0))
    return np.where(np.isnan(out), -np.inf, out)


class _Relaxer:
    """Relaxes one project's own limits on `pm` (in its elastic form) by a step and puts them
    back: potential, roll-out rate and the exclusive group's bound by RELAX_SHARE, the
    lifetime by RELAX_SHARE (at least one year), the earliest year by one year."""

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
        self.T = len(years)
        if "exclusive_group_limit" in pm.layout.rows:
            gidx = pm.layout.rows["exclusive_group_limit"].index
            self.g_rows = {g: pm.layout.row_offset["exclusive_group_limit"]
                           + np.flatnonzero(gidx.get_level_values("group") == g)
                           for g in dict.fromkeys(gidx.get_level_values("group"))}
        else:
            self.g_rows = {}
        self.basis = None  # the phase-1 basis, when set: each re-solve starts from it

    def kinds(self, i: int) -> list[str]:
        """The relaxable limits project `i` has."""
        out = ["potential", "rollout"]
        if self.groups[i] and self.groups[i] in self.g_rows:
            out.append("group")
        if self.L[i] < self.T:
            out.append("lifetime")
        if self.year_before[i].any():
            out.append("earliest")
        return out

    def _retire(self, i: int, lifetime: int, value: float) -> None:
        """Set project i's retirement coefficients for `lifetime` to `value` (1: on, 0: off)."""
        pm, T = self.pm, self.T
        r0 = pm.layout.row_offset["stock_balance"] + i * T
        c0 = pm.layout.col_offset["build"] + i * T
        for t in range(lifetime, T):
            pm.session.set_coeff(r0 + t, c0 + t - lifetime, value)

    def build_ub(self, i: int, kinds: list[str]) -> np.ndarray:
        """Project i's build upper bounds (units per year) with `kinds` relaxed."""
        free = ~self.fixed[i]
        rate = self.R[i] * ((1.0 + RELAX_SHARE) if "rollout" in kinds else 1.0)
        ub = self.b_ub[i].copy()
        if "rollout" in kinds:
            ub = np.where(free & ~self.early[i], rate, ub)
        if "earliest" in kinds:
            ub = np.where(free & self.year_before[i], rate, ub)
        return ub

    def longer(self, i: int) -> int:
        """Project i's relaxed lifetime (years)."""
        L = int(self.L[i])
        return L + max(1, math.ceil(RELAX_SHARE * L))

    def bound_change(self, i: int, kinds: list[str], y: np.ndarray, d: np.ndarray) -> float:
        """How much the Lagrangian lower bound of the phase-1 duals (`y` row duals, `d`
        reduced costs, original units) changes (t, ≤ 0) when `kinds` of project i are
        relaxed: a lower bound on minus the relief. -inf when it proves nothing."""
        step = 1.0 + RELAX_SHARE
        bc, sc = self.bcol[i], self.scol[i]
        db = d[bc]
        dnew = db
        if "lifetime" in kinds:
            T = self.T
            r0 = self.pm.layout.row_offset["stock_balance"] + i * T
            yb = y[r0:r0 + T]
            s_ = np.arange(T)
            delta = np.zeros(T)
            for life, sign in ((int(self.L[i]), 1.0), (self.longer(i), -1.0)):
                on = s_ + life < T  # build s retires in row s + life (coefficient +1)
                delta[on] += sign * yb[s_[on] + life]
            dnew = db + delta
        change = _box_min(dnew, self.b_lb[i], self.build_ub(i, kinds)) \
            - _box_min(db, self.b_lb[i], self.b_ub[i])
        if "potential" in kinds:
            ds = d[sc]
            z = np.zeros(len(sc))
            change = change + _box_min(ds, z, self.s_ub[i] * step) - _box_min(ds, z, self.s_ub[i])
        total = float(np.sum(change))
        if "group" in kinds:
            rows = self.g_rows.get(self.groups[i], np.zeros(0, dtype=int))
            total += float(np.sum(np.minimum(y[rows], 0.0))) * (step - 1.0)
        return total if math.isfinite(total) else -math.inf

    def solve(self, i: int, kinds: list[str]) -> float:
        """The minimum total shortfall (obj_shortfall, t) with `kinds` of project i relaxed."""
        ses = self.pm.session
        bc, sc = self.bcol[i], self.scol[i]
        step = 1.0 + RELAX_SHARE
        ub = self.build_ub(i, kinds)
        rows = self.g_rows.get(self.groups[i], np.zeros(0, dtype=int))
        n = len(rows)
        L = int(self.L[i])
        longer = self.longer(i)
        if self.basis is not None:  # warm start from the phase-1 optimum
            ses.h.setBasis(self.basis)
        try:
            ses.set_col_bounds(bc, self.b_lb[i], ub)
            if "potential" in kinds:
                ses.set_col_bounds(sc, np.zeros(len(sc)), self.s_ub[i] * step)
            if "group" in kinds:
                ses.set_row_bounds(rows, np.full(n, -INF), np.full(n, step))
            if "lifetime" in kinds:
                self._retire(i, L, 0.0)
                self._retire(i, longer, 1.0)
            sol = self.pm.solve()
            return sol.objective if sol.status == "optimal" else math.nan
        finally:
            ses.set_col_bounds(bc, self.b_lb[i], self.b_ub[i])
            ses.set_col_bounds(sc, np.zeros(len(sc)), self.s_ub[i])
            if "group" in kinds:
                ses.set_row_bounds(rows, np.full(n, -INF), np.ones(n))
            if "lifetime" in kinds:
                self._retire(i, longer, 0.0)
                self._retire(i, L, 1.0)


def relief(pm: PlanningModel, base_t: float, phase1: Solution | None = None, *,
           screen: bool = True) -> pd.DataFrame:
    """For each project: how much the minimum shortfall (`base_t`, the elastic phase-1
    objective) falls when its own limits are relaxed, and which of them lower it on their own.
    `pm` must be in its elastic form with obj_shortfall as objective, just solved to `phase1`
    (with it and `screen`, relaxations that provably cannot lower the shortfall are not
    re-solved; without, every project is re-solved)."""
    inp = pm.inp
    tol = SHORT_TOL * pm.emission_scale
    rx = _Relaxer(pm)
    ses = pm.session
    use_duals = screen and phase1 is not None and phase1.status == "optimal" and not ses.is_mip
    if use_duals:
        rx.basis = ses.h.getBasis()
        y, d = phase1.row_dual, phase1.col_dual
    eps = SCREEN_SHARE * tol

    def low_of(i: int, kinds: list[str]) -> float:
        """The relaxed minimum shortfall, or base_t where the bound proves no relief."""
        if use_duals and rx.bound_change(i, kinds, y, d) >= -eps:
            return base_t
        return rx.solve(i, kinds)

    rows = []
    try:
        for i, p in enumerate(inp.projects.index):
            kinds = rx.kinds(i)
            rec = {"project": p, "name": inp.projects["name"].iat[i], "relief_t": math.nan,
                   "lowers_shortfall": False, "limiting": ""}
            try:
                low = low_of(i, kinds)
                rec["relief_t"] = max(0.0, base_t - low)
                if base_t - low > tol:
                    rec["lowers_shortfall"] = True
                    alone = [k for k in kinds if base_t - low_of(i, [k]) > tol]
                    rec["limiting"] = " ".join(alone) if alone else "together"
            except PlannerError:  # a re-solve without a trustworthy optimum: relief unknown
                pass
            rows.append(rec)
    finally:
        if rx.basis is not None:  # leave the session at the phase-1 basis
            ses.h.setBasis(rx.basis)
    return pd.DataFrame(rows, columns=RELIEF_COLUMNS)


def diagnose(inp: ModelInputs, cost_model: PlanningModel | None = None) -> Diagnosis:
    """Run the elastic form of `inp`'s model and explain the shortfall. `cost_model`, the
    already built (infeasible) model of `inp`, is re-solved rather than rebuilt."""
    pm = cost_model or PlanningModel(inp)
    sl = pm.layout.cols("shortfall")
    cols = np.arange(sl.start, sl.stop)
    pm.set_elastic(True)
    try:
        pm.session.set_objective("obj_shortfall")
        s1 = pm.solve()
        base = s1.objective
        rel = relief(pm, base, s1) if s1.status == "optimal" else pd.DataFrame(
            columns=RELIEF_COLUMNS)
        pm.session.set_objective("obj_cost")
        # phase 2: least cost with each row's shortfall held at its phase-1 value (within the
        # solver's tolerance: a slack would be used up by the cheaper plan and reported)
        held = np.maximum(s1.x[sl], 0.0)
        pm.session.set_col_bounds(cols, np.zeros(len(cols)), held)
        s2 = pm.solve()
        sol = s2 if s2.status == "optimal" else s1
        plan = tables(pm, sol)["deployment"]
    finally:
        pm.set_elastic(False)
        pm.session.set_objective("obj_cost")
    short = shortfall_of(pm, sol.x)
    budget_years: set[int] = set()
    if inp.scenario.budget.max_investment_cny_per_year is not None:
        spend = plan.groupby("year")["investment_cny"].sum()
        cap = inp.scenario.budget.max_investment_cny_per_year
        budget_years = {int(y) for y, v in spend.items() if v >= cap * (1 - 1e-6)}
    limits = project_limits(inp, pm.array(sol, "build"), pm.array(sol, "stock"),
                            short.years, budget_years)
    diag = Diagnosis(short.rows, limits, short.groups, short.total_t, by_year=short.by_year,
                     relief=rel)
    diag.facts = nearest_feasible(inp, pm)
    diag.message = diagnosis_text(inp, diag, "en")
    # the limit in English words (the `limit` column of diagnosis.json)
    diag.limits["limit"] = [limit_text(r, "en") for r in diag.limits.itertuples(index=False)]
    return diag


def nearest_feasible(inp: ModelInputs, pm: PlanningModel | None = None) -> dict:
    """What would be feasible instead: the earliest feasible peak year at this cap, and the
    lowest feasible peak by the target's peak year (or over the horizon)."""
    t = inp.scenario.target
    facts: dict = {}
    if t.peak_year is not None and t.cap_t is not None:
        pm = pm or PlanningModel(inp)
        facts["earliest_feasible_peak_year_at_cap"] = None
        try:
            for y in range(t.peak_year + 1, inp.report_end + 1):
                pm.set_target(t.model_copy(update={"peak_year": y}))
                if pm.solve().status == "optimal":
                    facts["earliest_feasible_peak_year_at_cap"] = y
                    break
        finally:
            pm.set_target(t)
    low = lowest_peaks(inp, [t.peak_year])[t.peak_year]
    facts["lowest_feasible_peak_t"] = None if math.isnan(low) else low
    return facts


__all__ = ["Diagnosis", "diagnose", "relief", "nearest_feasible"]
