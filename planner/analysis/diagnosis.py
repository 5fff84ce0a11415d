"""Why a target is out of reach: the elastic model.

Phase 1 minimises the total shortfall (tCO2) on the target rows; phase 2 minimises cost with
the shortfall held at its minimum. The shortfall per row says which target group and which
year fall short and by how much; the phase-2 plan says which project limits bind there.
Shortfall duals are never reported as carbon prices.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.i18n import t as tr
from planner.model.catalogue import TARGET_ROWS
from planner.model.inputs import ModelInputs
from planner.model.persistent import PlanningModel
from planner.results import tables

#: human names of the target groups
GROUP_NAMES = {
    "emissions_cap": "the cap (target.cap_t)",
    "cap_path": "the cap path (target.cap_path_t)",
    "per_capita_cap": "the per-capita cap (target.per_capita_t)",
    "peak_level": "the peak level (target.peak_year: no year above the peak level after it)",
    "non_increasing_after_peak": "the peak rule (target.peak_year: no increase after it)",
    "no_target_guard": "the guard of the strict peak form (no year above the no-target plan)",
    "carbon_budget": "the carbon budget (target.carbon_budget_t)",
    "intensity_target": "the intensity target (target.intensity)",
    "sector_cap": "the sector cap (target.sector_cap_t)",
}


@dataclass
class Diagnosis:
    """shortfall: constraint, index, year, shortfall_t (rows with a shortfall only)
    limits: year, project, name, limit — what stops each project doing more in a short year
    """

    shortfall: pd.DataFrame
    limits: pd.DataFrame
    groups: list[str]
    total_shortfall_t: float
    message: str = ""
    facts: dict = field(default_factory=dict)


def _row_year(name: str, idx, inp: ModelInputs) -> int | None:
    if name in ("emissions_cap", "cap_path", "per_capita_cap", "peak_level", "no_target_guard"):
        return int(idx)
    if name == "non_increasing_after_peak":
        return int(idx) + 1  # the later year is the one that rises
    if name == "sector_cap":
        return int(idx[1])
    if name == "intensity_target":
        return inp.scenario.target.intensity[int(idx)].year
    return None


def describe_limit(kind: str, lang: str = "en", **params) -> str:
    """A project limit in words (`kind`: not_yet, potential, rollout, budget, none)."""
    return tr(f"limit.{kind}", lang, **params)


def project_limits(inp: ModelInputs, deployment: pd.DataFrame, year: int,
                   budget_binding_years: set[int]) -> pd.DataFrame:
    """For each project, what stops it abating more in `year` under the given plan:
    year, project, name, kind, value, unit, since, limit (in words)."""
    d = deployment.set_index(["project", "year"])
    rows = []
    for p, row in inp.projects.iterrows():
        U, R = float(row["max_units"]), float(row["max_build_per_year"])
        L, first = int(row["lifetime_years"]), int(row["earliest_year"])
        stock = float(d.loc[(p, year), "stock_units"])
        window = [u for u in inp.years if max(first, year - L + 1) <= u <= year]
        at_rate = all(float(d.loc[(p, u), "build_units"]) >= R * (1 - 1e-6) for u in window)
        params: dict = {}
        if first > year:
            kind, params = "not_yet", {"year": first}
        elif stock >= U * (1 - 1e-6):
            kind, params = "potential", {"value": f"{U:g}", "unit": row["unit"]}
        elif at_rate:
            kind, params = "rollout", {"value": f"{R:g}", "unit": row["unit"],
                                       "year": window[0]}
        elif any(y <= year for y in budget_binding_years):
            kind = "budget"
        else:
            kind = "none"
        rows.append({"year": year, "project": p, "name": row["name"], "kind": kind,
                     "value": params.get("value"), "unit": params.get("unit"),
                     "since": params.get("year"),
                     "limit": describe_limit(kind, **params)})
    return pd.DataFrame(rows, columns=["year", "project", "name", "kind", "value", "unit",
                                       "since", "limit"])


def diagnose(inp: ModelInputs, cost_model: PlanningModel | None = None) -> Diagnosis:
    """Run the elastic form of `inp`'s model and explain the shortfall. `cost_model`, the
    already built (infeasible) model of `inp`, is re-solved rather than rebuilt."""
    pm = cost_model or PlanningModel(inp)
    E = max(1.0, float(inp.bau_total.abs().max()))
    sl = pm.layout.cols("shortfall")
    cols = np.arange(sl.start, sl.stop)
    pm.set_elastic(True)
    try:
        pm.session.set_objective("obj_shortfall")
        s1 = pm.solve()
        pm.session.set_objective("obj_cost")
        # phase 2: least cost with each row's shortfall held at its phase-1 value
        held = s1.x[sl] + 1e-7 * E / max(1, len(cols))
        pm.session.set_col_bounds(cols, np.zeros(len(cols)), held)
        s2 = pm.solve()
        sol = s2 if s2.status == "optimal" else s1
        plan = tables(pm, sol)["deployment"]
    finally:
        pm.set_elastic(False)
        pm.session.set_objective("obj_cost")
    recs = []
    values = sol.x[sl]
    k = 0
    for name in TARGET_ROWS:
        for idx in pm.layout.rows[name].index:
            v = float(values[k])
            k += 1
            if v > 1e-6 * E:
                recs.append({"constraint": name, "index": str(idx),
                             "year": _row_year(name, idx, inp), "shortfall_t": v})
    short = pd.DataFrame(recs, columns=["constraint", "index", "year", "shortfall_t"])
    groups = list(dict.fromkeys(short["constraint"]))
    budget_years = set()
    if inp.scenario.budget.max_investment_cny_per_year is not None:
        spend = plan.groupby("year")["investment_cny"].sum()
        cap = inp.scenario.budget.max_investment_cny_per_year
        budget_years = {int(y) for y, v in spend.items() if v >= cap * (1 - 1e-6)}
    years = sorted({int(y) for y in short["year"].dropna()})
    limits = pd.concat([project_limits(inp, plan, y, budget_years) for y in years],
                       ignore_index=True) if years else pd.DataFrame(
        columns=["year", "project", "name", "kind", "limit"])
    diag = Diagnosis(short, limits, groups, float(short["shortfall_t"].sum()))
    diag.facts = nearest_feasible(inp, pm)
    diag.message = explain(inp, diag)
    return diag


def nearest_feasible(inp: ModelInputs, pm: PlanningModel | None = None) -> dict:
    """What would be feasible instead: the earliest feasible peak year at this cap, and the
    lowest feasible peak by the target's peak year (or over the horizon)."""
    from planner.analysis.frontier import lowest_peaks

    t = inp.scenario.target
    facts: dict = {}
    if t.peak_year is not None and t.cap_t is not None:
        pm = pm or PlanningModel(inp)
        facts["earliest_feasible_peak_year_at_cap"] = None
        try:
            for y in range(t.peak_year + 1, inp.end + 1):
                pm.set_target(t.model_copy(update={"peak_year": y}))
                if pm.solve().status == "optimal":
                    facts["earliest_feasible_peak_year_at_cap"] = y
                    break
        finally:
            pm.set_target(t)
    low = lowest_peaks(inp, [t.peak_year])[t.peak_year]
    facts["lowest_feasible_peak_t"] = None if math.isnan(low) else low
    return facts


def explain(inp: ModelInputs, diag: Diagnosis) -> str:
    """Plain-language account of a diagnosis."""
    t = inp.scenario.target
    what = []
    if t.cap_t is not None:
        what.append(f"a cap of {t.cap_t:.4g} t")
    if t.peak_year is not None:
        what.append(f"a peak by {t.peak_year}")
    for key, label in (("cap_path_t", "a cap path"), ("carbon_budget_t", "a carbon budget"),
                       ("intensity", "an intensity target"),
                       ("per_capita_t", "a per-capita cap"), ("sector_cap_t", "sector caps")):
        if getattr(t, key) not in (None, {}, []):
            what.append(label)
    head = (", ".join(what[:-1]) + " and " + what[-1] if len(what) > 1 else
            what[0] if what else "the target")
    verb = "are" if len(what) > 1 else "is"
    lines = [f"{head[0].upper()}{head[1:]} {verb} out of reach together."
             if len(what) > 1 else f"{head[0].upper()}{head[1:]} {verb} out of reach."]
    short = diag.shortfall
    if short.empty:
        lines.append("The elastic model found no shortfall; the infeasibility lies elsewhere.")
        return " ".join(lines)
    for name, g in short.groupby("constraint", sort=False):
        if g["year"].isna().all():
            lines.append(f"{GROUP_NAMES[name].capitalize()} is short by "
                         f"{g['shortfall_t'].sum() / 1e6:.3g} Mt.")
            continue
        g = g.sort_values("year")
        top = g.loc[g["shortfall_t"].idxmax()]
        first = g.iloc[0]
        span = (f"in {int(first.year)}" if len(g) == 1
                else f"in {len(g)} years from {int(first.year)}")
        lines.append(f"{GROUP_NAMES[name].capitalize()} falls short {span}: "
                     f"{first.shortfall_t / 1e6:.3g} Mt in {int(first.year)}"
                     + (f", up to {top.shortfall_t / 1e6:.3g} Mt in {int(top.year)}"
                        if len(g) > 1 else "") + ".")
    years = sorted(short["year"].dropna().astype(int).unique())
    if years:
        y0 = years[0]
        lim = diag.limits[diag.limits["year"] == y0]
        kinds: dict[str, list[str]] = {}
        for r in lim.itertuples():
            kinds.setdefault(r.kind, []).append(r.project)
        spare = kinds.pop("none", [])
        parts = [f"{tr(f'limit.kind.{k}', 'en')}: {', '.join(v)}" for k, v in kinds.items()]
        if parts:
            lines.append(f"In {y0} the projects are held by their limits ({'; '.join(parts)})"
                         + (f"; {', '.join(spare)} would not lower the shortfall" if spare
                            else "") + ".")
    f = diag.facts
    if "earliest_feasible_peak_year_at_cap" in f:
        y = f["earliest_feasible_peak_year_at_cap"]
        lines.append(f"At this cap the earliest feasible peak year is {y}." if y else
                     f"At this cap no peak year up to {inp.end} is feasible.")
    if "lowest_feasible_peak_t" in f:
        low = f["lowest_feasible_peak_t"]
        if low is not None:
            by = f"by {t.peak_year} " if t.peak_year is not None else ""
            lines.append(f"The lowest feasible peak {by}is {low:.4g} t.")
        elif t.peak_year is not None:
            lines.append(f"No plan peaks by {t.peak_year} at any cap.")
        else:
            lines.append("Even without the cap the other targets cannot all be met.")
    return " ".join(lines)


__all__ = ["Diagnosis", "diagnose", "explain", "GROUP_NAMES"]
