"""Target decomposition: what each sector and each measure delivers in the optimal plan.

``decomposition(res)`` — one row per sector (level "sector"), per measure (level "measure")
and one city row (level "city", name "total"); within each of the levels "sector" and
"measure" the rows add up to the city row. Columns:

    level, name, base_year, peak_year, final_year
    emissions_base_t, emissions_peak_t, emissions_final_t   net emissions in those years (sectors
        and city; NaN for measures, which have abatement only)
    reduction_base_t, reduction_peak_t, reduction_final_t   reduction against BAU in those years
        (for a sector: its projects' abatement; for a measure: its projects' abatement)
    reduction_total_t        reduction summed over the horizon
    share_of_reduction_peak  reduction_peak_t / the city's reduction in the peak year
    share_of_reduction_total reduction_total_t / the city's reduction over the horizon
    investment_cny           undiscounted Σ capex·build over the horizon
    net_present_cost_cny     the group's part of the objective (start-year CNY; the city row
        equals objective_cny)
    key_projects             up to three projects with the largest reduction over the horizon
        (display names, joined by "、" when any is Chinese, else ", ")

The peak year is the plan's peak year (the first year of maximum net emissions), the base year
the first and the final year the last year of the horizon. A share is NaN when the city
reduction is 0.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import pandas as pd

from planner.results import Result

KEY_PROJECTS = 3
COLUMNS = [
    "level", "name", "base_year", "peak_year", "final_year",
    "emissions_base_t", "emissions_peak_t", "emissions_final_t",
    "reduction_base_t", "reduction_peak_t", "reduction_final_t", "reduction_total_t",
    "share_of_reduction_peak", "share_of_reduction_total",
    "investment_cny", "net_present_cost_cny", "key_projects",
]
_CJK = re.compile(r"[\u3000-\u9fff\uf900-\ufaff]")


def _project_cost(res: Result) -> pd.Series:
    """Each project's part of the objective, start-year CNY."""
    inp = res.inputs
    d = res.deployment
    build = d.pivot(index="project", columns="year", values="build_units")
    stock = d.pivot(index="project", columns="year", values="stock_units")
    cols = [inp.years.index(y) for y in build.columns]
    build = build.reindex(index=inp.projects.index).to_numpy(float)
    stock = stock.reindex(index=inp.projects.index).to_numpy(float)
    cost = (build * inp.capex_coeff[:, cols] + stock * inp.opex_coeff[:, cols]).sum(axis=1)
    return pd.Series(cost, index=inp.projects.index)


def _join_names(names: Sequence[str]) -> str:
    sep = "、" if any(_CJK.search(n) for n in names) else ", "
    return sep.join(names)


def _key_projects(projects: pd.DataFrame, totals: pd.Series, members: Sequence[str]) -> str:
    """Display names of the members with the largest reduction over the horizon (> 0)."""
    t = totals.reindex(list(members)).fillna(0.0)
    tiny = 1e-9 * max(1.0, float(totals.abs().max()) if len(totals) else 1.0)
    t = t[t > tiny]
    if t.empty:
        return ""
    # largest first; ties in project order
    order = sorted(t.index, key=lambda p: (-t[p], list(projects.index).index(p)))
    names = [str(projects.loc[p, "name"]).strip() or str(p) for p in order[:KEY_PROJECTS]]
    return _join_names(names)


def decomposition(res: Result) -> pd.DataFrame:
    """The decomposition table (see the module docstring); empty unless the plan is optimal."""
    if not res.optimal:
        return pd.DataFrame(columns=COLUMNS)
    inp = res.inputs
    proj = inp.projects
    base, peak, final = inp.start, int(res.peak_year), inp.report_end  # reported years
    yrs = {"base": base, "peak": peak, "final": final}

    d = res.deployment
    ab = d.pivot(index="project", columns="year", values="abatement_t").reindex(
        index=proj.index, columns=inp.years).fillna(0.0)
    invest = d.groupby("project")["investment_cny"].sum().reindex(proj.index, fill_value=0.0)
    npc = _project_cost(res).reindex(proj.index, fill_value=0.0)
    ab_total = ab.sum(axis=1)
    sec_em = res.emissions_by_sector.pivot(index="sector", columns="year",
                                           values="emissions_t").reindex(index=inp.sectors)
    # every sector, sinks included (the net city total): the rows below add up to it
    city_em = res.emissions.set_index("year")["emissions_net_t"]
    city_red = ab.sum(axis=0)
    city_red_total = float(ab_total.sum())

    def share(x: float, whole: float) -> float:
        return x / whole if abs(whole) > 1e-9 else math.nan

    def row(level: str, name: str, members: list[str], emissions) -> dict:
        r: dict = {"level": level, "name": name, "base_year": base, "peak_year": peak,
                   "final_year": final}
        for k, y in yrs.items():
            r[f"emissions_{k}_t"] = float(emissions[y]) if emissions is not None else math.nan
        for k, y in yrs.items():
            r[f"reduction_{k}_t"] = float(ab.loc[members, y].sum())
        r["reduction_total_t"] = float(ab_total[members].sum())
        r["share_of_reduction_peak"] = share(r["reduction_peak_t"], float(city_red[peak]))
        r["share_of_reduction_total"] = share(r["reduction_total_t"], city_red_total)
        r["investment_cny"] = float(invest[members].sum())
        r["net_present_cost_cny"] = float(npc[members].sum())
        r["key_projects"] = _key_projects(proj, ab_total, members)
        return r

    rows = []
    for s in inp.sectors:
        members = list(proj.index[proj["sector"] == s])
        rows.append(row("sector", s, members, sec_em.loc[s]))
    for m_ in dict.fromkeys(proj["measure"]):
        members = list(proj.index[proj["measure"] == m_])
        rows.append(row("measure", str(m_), members, None))
    rows.append(row("city", "total", list(proj.index), city_em))
    return pd.DataFrame(rows, columns=COLUMNS)
