"""Why a target is out of reach: the elastic model.

Phase 1 minimises the total shortfall (tCO2) on the target rows; phase 2 minimises cost with
the total shortfall held at its minimum (phase 1's split between rows is one of many: the
cheapest plan's is reported). The shortfall is reported per year once
(:mod:`planner.analysis.shortfall`); the phase-2 plan says which project limits bind in the
short years (:mod:`planner.analysis.limits`). Whether a project could lower the shortfall is
computed, not guessed (:mod:`planner.analysis.relief`): phase 1 with that project's own limits
relaxed (potential, roll-out, exclusive group and lifetime by 10 %, the earliest year by a
year) has a lower minimum — proven by bounds, or re-solved where they do not decide.
Shortfall duals are never reported as carbon prices.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd

from planner.analysis.frontier import lowest_peaks
from planner.analysis.limits import project_limits
from planner.analysis.narrator import NAMES_SHOWN, diagnosis_text, limit_text
from planner.analysis.relief import relief
from planner.analysis.shortfall import RELIEF_COLUMNS, Diagnosis, shortfall_of
from planner.model.inputs import ModelInputs
from planner.model.persistent import PlanningModel
from planner.results import tables


def diagnose(inp: ModelInputs, cost_model: PlanningModel | None = None) -> Diagnosis:
    """Run the elastic form of `inp`'s model and explain the shortfall. `cost_model`, the
    already built (infeasible) model of `inp`, is re-solved rather than rebuilt."""
    pm = cost_model or PlanningModel(inp)
    pm.set_elastic(True)
    try:
        pm.session.set_objective("obj_shortfall")
        s1 = pm.solve()
        base = s1.objective
        # the narrator names the NAMES_SHOWN largest reliefs: those are made exact
        rel = (relief(pm, base, s1, exact_top=NAMES_SHOWN) if s1.status == "optimal"
               else pd.DataFrame(columns=RELIEF_COLUMNS))
        # phase 2: least cost with the total shortfall held at its minimum
        s2 = pm.solve_holding_shortfall(base) if s1.status == "optimal" else s1
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
    diag.facts = nearest_feasible(inp, pm, pm.array(sol, "emissions"))
    diag.message = diagnosis_text(inp, diag, "en")
    # the limit in English words (the `limit` column of diagnosis.json)
    diag.limits["limit"] = _limit_words(diag.limits)
    return diag


def _limit_words(limits: pd.DataFrame) -> list[str]:
    """Every limits row in English words, worded once per distinct limit (a thousand projects
    over forty years repeat a few hundred)."""
    cols = [c for c in ("kind", "value", "unit", "group", "since") if c in limits]
    keys = limits[cols].astype(object).where(limits[cols].notna(), None)
    rows = list(keys.itertuples(index=False, name=None))
    words = {k: limit_text(SimpleNamespace(**dict(zip(cols, k, strict=True))), "en")
             for k in dict.fromkeys(rows)}
    return [words[k] for k in rows]


def nearest_feasible(inp: ModelInputs, pm: PlanningModel | None = None,
                     hint: np.ndarray | None = None) -> dict:
    """What would be feasible instead: the earliest feasible peak year at this cap, and the
    lowest feasible peak by the target's peak year (or over the horizon). `pm`: the built
    model of `inp` (its target as in `inp`), re-solved rather than rebuilt; `hint`: a plan's
    emissions per year (frontier.lowest_peaks).

    The peak years are tried in order: feasibility need not be monotone in the peak year (the
    level L = min(cap, e0[Y]) follows the no-target plan, which may fall), so a bisection would
    not be exact; each try is a warm re-solve."""
    t = inp.scenario.target
    pm = pm or PlanningModel(inp)
    facts: dict = {}
    if t.peak_year is not None and t.cap_t is not None:
        facts["earliest_feasible_peak_year_at_cap"] = None
        try:
            for y in range(t.peak_year + 1, inp.report_end + 1):
                pm.set_target(t.model_copy(update={"peak_year": y}))
                if pm.solve().status == "optimal":
                    facts["earliest_feasible_peak_year_at_cap"] = y
                    break
        finally:
            pm.set_target(t)
    low = lowest_peaks(inp, [t.peak_year], pm, hint)[t.peak_year]
    facts["lowest_feasible_peak_t"] = None if math.isnan(low) else low
    return facts


__all__ = ["Diagnosis", "diagnose", "nearest_feasible", "relief"]
