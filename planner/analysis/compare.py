"""Several solved scenarios side by side (the `compare` command's tables).

``compare(entries)`` takes one :class:`Entry` per scenario file (already loaded and solved by
:func:`planner.api.compare`) and returns ``(table, paths)``:

table — one row per scenario file, in the order given; a scenario that cannot be solved is
kept, with its status and reason:
    scenario, file, status ("optimal", "infeasible" or "failed"), reason, reference (True for
    the BAU scenario: one without any target), reference_name (what the cost column is
    measured against: "the no-target plan (<scenario>)" when a BAU scenario is compared, its
    optimised plan; else "BAU inputs (baseline.csv)", the baseline without any project, NPV 0),
    peak_year, peak_emissions_t, final_emissions_t, cumulative_emissions_t, objective_cny,
    cost_vs_reference_cny (objective_cny − the reference's objective, start-year CNY),
    target_cost_cny (against the scenario's own no-target plan), marginal_cost_tighten_cny_per_t,
    marginal_cost_loosen_cny_per_t (per discounted tonne), uniform_price_cny_per_t (the uniform
    carbon price that would deliver the target), target_year (the scenario's own target peak
    year, else the last year), carbon_price_cny_per_t (the shadow price in its own target year,
    a detail), carbon_price_low_cny_per_t and carbon_price_high_cny_per_t (its one-sided values
    where the dual is not unique, else equal to it; NaN when not computed), total_investment_cny,
    indicator_year (ONE year for every scenario: the latest
    target year among the scenarios with a target, else the last year),
    co2_per_10k_cny_gdp_base (start year), co2_per_10k_cny_gdp_target (indicator_year),
    co2_per_10k_cny_gdp_final (last year), intensity_change_target (indicator_year against the
    start year, a fraction), so2_avoided_t, nox_avoided_t, pm25_avoided_t (over the horizon)

paths — long: scenario, year, emissions_t, reference. The reference path is the BAU
scenario's plan when one is compared; otherwise the dataset's BAU (baseline.csv) is added as
"BAU inputs (baseline.csv)" when every solved scenario shares the same baseline and horizon.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from planner.analysis.indicators import co_benefits_by_year, indicators
from planner.results import Result

BASELINE_NAME = "BAU inputs (baseline.csv)"
NO_TARGET_NAME = "the no-target plan ({name})"
TABLE_COLUMNS = [
    "scenario", "file", "status", "reason", "reference", "reference_name", "peak_year",
    "peak_emissions_t", "final_emissions_t", "cumulative_emissions_t", "objective_cny",
    "cost_vs_reference_cny", "target_cost_cny", "marginal_cost_tighten_cny_per_t",
    "marginal_cost_loosen_cny_per_t", "uniform_price_cny_per_t", "target_year",
    "carbon_price_cny_per_t", "carbon_price_low_cny_per_t", "carbon_price_high_cny_per_t",
    "total_investment_cny", "indicator_year",
    "co2_per_10k_cny_gdp_base", "co2_per_10k_cny_gdp_target", "co2_per_10k_cny_gdp_final",
    "intensity_change_target", "so2_avoided_t", "nox_avoided_t", "pm25_avoided_t",
]
PATH_COLUMNS = ["scenario", "year", "emissions_t", "reference"]


@dataclass
class Entry:
    """One scenario file of a comparison: its name (the scenario's, else the file's stem), the
    result when it was solved (optimal or infeasible), else the reason it failed, and whether
    it is a BAU scenario (no target; None when it could not be read)."""

    file: str
    scenario: str
    result: Result | None = None
    reason: str = ""
    is_bau: bool | None = None


def _has_target(res: Result) -> bool:
    return not res.scenario.target.is_bau


def indicator_year(results: list[Result]) -> int | None:
    """The one year of the indicator columns: the latest target year among the scenarios with
    a target, else the last reported year (None without any result)."""
    if not results:
        return None
    with_target = [r.target_year() for r in results if _has_target(r)]
    return max(with_target) if with_target else max(r.inputs.report_end for r in results)


def _row(res: Result, year: int | None) -> dict:
    """The table row of one solved (optimal or infeasible) result."""
    sc = res.scenario
    r: dict = {"scenario": sc.name, "status": res.status, "reason": "",
               "reference": sc.target.is_bau, "target_year": res.target_year(),
               "indicator_year": year}
    if not res.optimal:
        d = res.diagnosis
        r["reason"] = d.message if d is not None else "the target cannot be met"
        return r
    inp = res.inputs
    em = res.emissions["emissions_t"]
    h = res.headlines
    mc = h.get("marginal_cost_cny_per_t") or {}
    r |= {
        "peak_year": res.peak_year, "peak_emissions_t": res.peak_emissions_t,
        "final_emissions_t": float(em.iloc[-1]), "cumulative_emissions_t": float(em.sum()),
        "objective_cny": res.objective_cny, "carbon_price_cny_per_t":
            res.price_in(res.target_year()),
        "target_cost_cny": h.get("target_cost_cny", math.nan),
        "marginal_cost_tighten_cny_per_t": mc.get("tighten", math.nan),
        "marginal_cost_loosen_cny_per_t": mc.get("loosen", math.nan),
        "uniform_price_cny_per_t": h.get("uniform_price_cny_per_t", math.nan),
        "total_investment_cny": res.total_investment_cny,
    }
    cp = res.carbon_price.set_index("year")
    ty = res.target_year()
    known = ty in cp.index and not pd.isna(cp.loc[ty, "dual_unique"])
    for side in ("low", "high"):
        r[f"carbon_price_{side}_cny_per_t"] = (float(cp.loc[ty, f"price_{side}_cny_per_t"])
                                               if known else math.nan)
    if inp.indicators is not None:
        ind = indicators(res).set_index("year")
        r["co2_per_10k_cny_gdp_base"] = float(ind.loc[inp.start, "co2_per_10k_cny_gdp"])
        r["co2_per_10k_cny_gdp_final"] = float(ind.loc[inp.report_end, "co2_per_10k_cny_gdp"])
        if year is not None and year in ind.index:
            r["co2_per_10k_cny_gdp_target"] = float(ind.loc[year, "co2_per_10k_cny_gdp"])
            r["intensity_change_target"] = float(ind.loc[year,
                                                         "intensity_change_vs_base_year"])
    cb = co_benefits_by_year(res)
    for k in ("so2", "nox", "pm25"):
        r[f"{k}_avoided_t"] = float(cb[f"{k}_t"].sum())
    return r


def _unique_names(rows: list[dict]) -> None:
    """Scenarios are keyed by name in the chart: make repeated names unique with the file."""
    seen: dict[str, int] = {}
    for r in rows:
        seen[r["scenario"]] = seen.get(r["scenario"], 0) + 1
    for r in rows:
        if seen[r["scenario"]] > 1:
            r["scenario"] = f"{r['scenario']} ({Path(r['file']).name})"
    names = [r["scenario"] for r in rows]
    for i, r in enumerate(rows):  # the same file given twice
        if names.count(r["scenario"]) > 1:
            r["scenario"] = f"{r['scenario']} #{i + 1}"


def _same_baseline(solved: list[Result]) -> bool:
    first = solved[0]
    return all(res.inputs.years == first.inputs.years
               and np.allclose(res.inputs.bau_scope.to_numpy(), first.inputs.bau_scope.to_numpy())
               for res in solved)


def compare(entries: list[Entry]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The comparison of solved scenarios: (table, paths) as described in the module."""
    results = [e.result for e in entries]
    year = indicator_year([r for r in results if r is not None and r.optimal])
    rows: list[dict] = []
    for e in entries:
        if e.result is None:
            rows.append({"scenario": e.scenario, "status": "failed", "reason": e.reason,
                         "reference": e.is_bau})
        else:
            rows.append(_row(e.result, year))
        rows[-1]["file"] = e.file
    _unique_names(rows)
    table = pd.DataFrame(rows).reindex(columns=TABLE_COLUMNS)
    table["reference"] = [r.get("reference") is True for r in rows]
    table["reason"] = table["reason"].fillna("")

    solved = [(r["scenario"], res) for r, res in zip(rows, results, strict=True)
              if res is not None and res.optimal]
    frames = []
    for name, res in solved:
        e = res.emissions
        frames.append(pd.DataFrame({"scenario": name, "year": e["year"].to_numpy(),
                                    "emissions_t": e["emissions_t"].to_numpy(),
                                    "reference": res.scenario.target.is_bau}))
    # the reference: the first BAU scenario's plan (the no-target plan), else the BAU inputs
    bau = [(name, res) for name, res in solved if res.scenario.target.is_bau]
    ref_name, ref_cost = "", math.nan
    if bau:
        ref_name, ref_cost = NO_TARGET_NAME.format(name=bau[0][0]), bau[0][1].objective_cny
    elif solved and _same_baseline([res for _, res in solved]):
        first = solved[0][1]
        frames.insert(0, pd.DataFrame({"scenario": BASELINE_NAME, "year": first.inputs.years,
                                       "emissions_t": first.inputs.bau_scope.to_numpy(),
                                       "reference": True}))
        ref_name, ref_cost = BASELINE_NAME, 0.0  # no project: no cost
    table["reference_name"] = ref_name
    table["cost_vs_reference_cny"] = table["objective_cny"] - ref_cost
    if frames:
        path_df = pd.concat(frames, ignore_index=True)[PATH_COLUMNS]
    else:
        path_df = pd.DataFrame(columns=PATH_COLUMNS)
    return table, path_df


def reference_of(path_df: pd.DataFrame) -> str | None:
    """The scenario drawn as the reference (the first BAU one), if any."""
    ref = path_df.loc[path_df["reference"].astype(bool), "scenario"]
    return str(ref.iloc[0]) if len(ref) else None
