"""Why a target is out of reach: the elastic model.

Phase 1 minimises the total shortfall (tCO2) on the target rows; phase 2 minimises cost with
the shortfall held at its minimum. The shortfall per row says which target group and which
year fall short and by how much; the phase-2 plan says which project limits bind there.
Shortfall duals are never reported as carbon prices.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from planner.inputs import ModelInputs
from planner.model import TARGET_CONSTRAINTS, Mode
from planner.plan import PlanningModel
from planner.results import tables

#: human names of the target groups
GROUP_NAMES = {
    "emissions_cap": "the cap (target.cap_t)",
    "cap_path": "the cap path (target.cap_path_t)",
    "per_capita_cap": "the per-capita cap (target.per_capita_t)",
    "non_increasing_after_peak": "the peak rule (target.peak_year: no increase after it)",
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
    if name in ("emissions_cap", "cap_path", "per_capita_cap"):
        return int(idx)
    if name == "non_increasing_after_peak":
        return int(idx) + 1  # the later year is the one that rises
    if name == "sector_cap":
        return int(idx[1])
    if name == "intensity_target":
        return inp.scenario.target.intensity[int(idx)].year
    return None


def project_limits(inp: ModelInputs, deployment: pd.DataFrame, year: int,
                   budget_binding_years: set[int]) -> pd.DataFrame:
    """For each project, what stops it abating more in `year` under the given plan."""
    d = deployment.set_index(["project", "year"])
    rows = []
    for p, row in inp.projects.iterrows():
        U, R = float(row["max_units"]), float(row["max_build_per_year"])
        L, first = int(row["lifetime_years"]), int(row["earliest_year"])
        stock = float(d.loc[(p, year), "stock_units"])
        window = [u for u in inp.years if max(first, year - L + 1) <= u <= year]
        at_rate = all(float(d.loc[(p, u), "build_units"]) >= R * (1 - 1e-6) for u in window)
        if first > year:
            why = f"not yet available (earliest year {first})"
        elif stock >= U * (1 - 1e-6):
            why = f"potential used up ({U:g} {row['unit']})"
        elif at_rate:
            why = f"roll-out limit reached ({R:g} {row['unit']}/yr since {window[0]})"
        elif any(y <= year for y in budget_binding_years):
            why = "investment budget spent"
        else:
            why = "not at a limit"
        rows.append({"year": year, "project": p, "name": row["name"], "limit": why})
    return pd.DataFrame(rows, columns=["year", "project", "name", "limit"])


def diagnose(inp: ModelInputs) -> Diagnosis:
    """Run the elastic model for `inp`'s target and explain the shortfall."""
    pm = PlanningModel(inp, Mode(elastic=True), objective="obj_shortfall")
    s1 = pm.solve()
    total = s1.objective
    E = max(1.0, float(inp.bau_total.abs().max()))
    pm.m.shortfall_max = total + 1e-7 * E
    pm.refresh([pm.m.shortfall_limit])
    pm.session.set_objective("obj_cost")
    s2 = pm.solve()
    sol = s2 if s2.status == "optimal" else s1
    recs = []
    for name in TARGET_CONSTRAINTS:
        var = pm.m.component(f"shortfall_{name}")
        if var is None:
            continue
        vals = pm.values(sol, var.name) if var.is_indexed() else pd.Series(
            [pm.session.value(sol, var)], index=[None])
        for idx, v in vals.items():
            if v > 1e-6 * E:
                recs.append({"constraint": name, "index": str(idx),
                             "year": _row_year(name, idx, inp), "shortfall_t": float(v)})
    short = pd.DataFrame(recs, columns=["constraint", "index", "year", "shortfall_t"])
    groups = list(dict.fromkeys(short["constraint"]))
    plan = tables(pm, sol)["deployment"]
    budget_years = set()
    if inp.scenario.budget.max_investment_cny_per_year is not None:
        spend = plan.groupby("year")["investment_cny"].sum()
        cap = inp.scenario.budget.max_investment_cny_per_year
        budget_years = {int(y) for y, v in spend.items() if v >= cap * (1 - 1e-6)}
    years = sorted({int(y) for y in short["year"].dropna()})
    limits = pd.concat([project_limits(inp, plan, y, budget_years) for y in years],
                       ignore_index=True) if years else pd.DataFrame(
        columns=["year", "project", "name", "limit"])
    diag = Diagnosis(short, limits, groups, float(short["shortfall_t"].sum()))
    diag.message = explain(inp, diag)
    return diag


def explain(inp: ModelInputs, diag: Diagnosis) -> str:
    """Plain-language account of a diagnosis."""
    t = inp.scenario.target
    what = []
    if t.cap_t is not None:
        what.append(f"a cap of {t.cap_t:.4g} t")
    if t.peak_year is not None:
        what.append(f"a peak by {t.peak_year}")
    head = " and ".join(what) if what else "the target"
    lines = [f"{head[0].upper()}{head[1:]} is out of reach."]
    if diag.shortfall.empty:
        lines.append("The elastic model found no shortfall; the infeasibility lies elsewhere.")
        return " ".join(lines)
    by_year = diag.shortfall.dropna(subset=["year"]).groupby("year")
    for year, g in list(by_year)[:5]:
        parts = ", ".join(f"{r.shortfall_t / 1e6:.3g} Mt on {GROUP_NAMES[r.constraint]}"
                          for r in g.itertuples())
        lim = diag.limits[diag.limits["year"] == year]
        blocked = lim[lim["limit"] != "not at a limit"]
        if len(lim) and len(blocked) == len(lim):
            kinds = sorted({x.split(" (")[0] for x in blocked["limit"]})
            tail = "every project at a limit: " + "; ".join(kinds)
        else:
            free = ", ".join(lim.loc[lim["limit"] == "not at a limit", "project"])
            tail = f"projects not at a limit: {free}" if free else ""
        lines.append(f"{int(year)} is short by {parts}" + (f" ({tail})." if tail else "."))
    other = diag.shortfall[diag.shortfall["year"].isna()]
    for r in other.itertuples():
        lines.append(f"{GROUP_NAMES[r.constraint]} is short by {r.shortfall_t / 1e6:.3g} Mt.")
    if by_year.ngroups > 5:
        lines.append(f"({by_year.ngroups - 5} more years fall short; see diagnosis.csv.)")
    return " ".join(lines)


__all__ = ["Diagnosis", "diagnose", "explain", "GROUP_NAMES"]
