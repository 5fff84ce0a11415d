"""Why a target is out of reach: the elastic model.

Phase 1 minimises the total shortfall (tCO2) on the target rows; phase 2 minimises cost with
the shortfall held at its minimum. The shortfall is reported per year once
(:mod:`planner.analysis.shortfall`); the phase-2 plan says which project limits bind in the
short years (:mod:`planner.analysis.limits`). Whether a project could lower the shortfall is
computed, not guessed: phase 1 is re-solved with that project's own limits relaxed (potential,
roll-out, exclusive group and lifetime by 10 %, the earliest year by a year), and the project
counts only if the minimum shortfall falls. Shortfall duals are never reported as carbon prices.
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
from planner.model.inputs import ModelInputs
from planner.model.persistent import PlanningModel
from planner.results import tables

#: a project's own limits that a relief re-solve relaxes, in the order they are named
RELAXABLE = ("potential", "rollout", "group", "lifetime", "earliest")
#: the step of a relief re-solve: potential, roll-out rate, group bound and lifetime are
#: raised by this share (the lifetime by at least a year), the earliest year moved a year
RELAX_SHARE = 0.1

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

    def solve(self, i: int, kinds: list[str]) -> float:
        """The minimum total shortfall (obj_shortfall, t) with `kinds` of project i relaxed."""
        ses = self.pm.session
        bc, sc = self.bcol[i], self.scol[i]
        free = ~self.fixed[i]
        step = 1.0 + RELAX_SHARE
        rate = self.R[i] * (step if "rollout" in kinds else 1.0)
        ub = self.b_ub[i].copy()
        if "rollout" in kinds:
            ub = np.where(free & ~self.early[i], rate, ub)
        if "earliest" in kinds:
            ub = np.where(free & self.year_before[i], rate, ub)
        rows = self.g_rows.get(self.groups[i], np.zeros(0, dtype=int))
        n = len(rows)
        L = int(self.L[i])
        longer = L + max(1, math.ceil(RELAX_SHARE * L))
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


def relief(pm: PlanningModel, base_t: float) -> pd.DataFrame:
    """For each project: how much the minimum shortfall (`base_t`, the elastic phase-1
    objective) falls when its own limits are relaxed, and which of them lower it on their own.
    `pm` must be in its elastic form with obj_shortfall as objective."""
    inp = pm.inp
    tol = SHORT_TOL * pm.emission_scale
    rx = _Relaxer(pm)
    rows = []
    for i, p in enumerate(inp.projects.index):
        kinds = rx.kinds(i)
        rec = {"project": p, "name": inp.projects["name"].iat[i], "relief_t": math.nan,
               "lowers_shortfall": False, "limiting": ""}
        try:
            low = rx.solve(i, kinds)
            rec["relief_t"] = max(0.0, base_t - low)
            if base_t - low > tol:
                rec["lowers_shortfall"] = True
                alone = [k for k in kinds if base_t - rx.solve(i, [k]) > tol]
                rec["limiting"] = " ".join(alone) if alone else "together"
        except PlannerError:  # a re-solve without a trustworthy optimum: relief unknown
            pass
        rows.append(rec)
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
        rel = relief(pm, base) if s1.status == "optimal" else pd.DataFrame(
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
