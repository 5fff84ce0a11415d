"""`planner run` on a region scenario: the files of the whole agglomeration and of each city.

Top level: summary.json, emissions.csv (the sum of the cities), emissions_by_region.csv,
deployment.csv (every city, with a region column), carbon_price.csv (the joint price),
region_summary.csv, transfers.csv, coordination_gains.csv, coalitions.csv, rules.csv (the
allocation rules side by side), agglomeration.md and the small-multiples chart. One subfolder
per city with the single-city core tables of its part of the joint plan.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.analysis.agglomeration import (
    Agglomeration,
    city_results,
    coalition_table,
    compare_rules,
    coordination_gains,
    region_summary,
    transfers_table,
    whole_emissions,
)
from planner.outputs.folder import write_folder
from planner.outputs.run import csv_writer, indicator_writers, json_writer
from planner.report.agglomeration import agglomeration_markdown
from planner.results import CONVENTIONS, Result

Writers = dict[str, Callable[[Path], None]]


def _in_subfolder(writer: Callable[[Path], None]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        writer(path)
    return write


def city_writers(res: Result) -> Writers:
    """The single-city files of one city's part of the joint plan (no ranking: a city's
    projects are ranked against the joint price, see the agglomeration report)."""
    w: Writers = {"summary.json": json_writer(res.summary)}
    if res.optimal:
        w |= {"emissions.csv": csv_writer(res.emissions),
              "emissions_by_sector.csv": csv_writer(res.emissions_by_sector),
              "deployment.csv": csv_writer(res.deployment),
              "carbon_price.csv": csv_writer(res.carbon_price),
              "duals.csv": csv_writer(res.duals)}
        w |= indicator_writers(res)
    return w


def _num(v: Any) -> Any:
    if isinstance(v, np.generic):
        v = v.item()
    return None if isinstance(v, float) and not np.isfinite(v) else v


def summary(ag: Agglomeration) -> dict[str, Any]:
    """summary.json of the whole agglomeration."""
    rs = ag.rin.scenario
    run = ag.scenario_run
    aut = ag.autarky.get(rs.allocation)
    gains = coordination_gains(ag)
    mine = gains[gains["rule"] == rs.allocation]
    out: dict[str, Any] = {
        "scenario": rs.name, "scenario_file": rs.path.name if rs.path else None,
        "regions": ag.names, "status": run.status, "allocation": rs.allocation,
        "transfers": rs.transfers if isinstance(rs.transfers, str)
        else {"limit": rs.transfer_limit},
        "target": rs.target.model_dump(exclude_defaults=True, mode="json"),
        "target_year": ag.target_year,
        "joint_least_cost_cny": _num(ag.joint.total_cost_cny),
        "joint_status": ag.joint.status,
        "total_cost_cny": _num(run.total_cost_cny),
        "autarky_cost_cny": _num(aut.total_cost_cny) if aut is not None else None,
        "no_target_cost_cny": _num(float(np.sum(ag.no_target_cost_cny)))
        if ag.no_target_cost_cny is not None else None,
        "coordination_gain_cny": _num(float(mine["coordination_gain_cny"].iloc[0]))
        if len(mine) else None,
        "shapley_in_core": bool(mine["in_core"].iloc[0]) if len(mine) else None,
        "cities": {},
        "conventions": CONVENTIONS,
        "years": {"start": rs.years.start, "end": rs.years.end},
        "discount_rate": rs.discount_rate,
    }
    if run.optimal:
        iy = ag.rin.years.index(ag.target_year)
        for j, r in enumerate(ag.names):
            out["cities"][r] = {
                "cost_cny": _num(run.cost_cny[j]),
                "transfer_payment_cny": _num(run.payment_cny[j]),
                "net_cost_cny": _num(run.net_cost_cny[j]),
                "emissions_target_year_t": _num(run.emissions_t[j, iy]),
                "transfers_target_year_t": _num(run.transfer_t[j, iy]),
            }
        if run.price is not None and np.isfinite(run.price[iy]):
            out["joint_price_target_year_cny_per_t"] = _num(run.price[iy]
                                                            / ag.rin.weights[iy])
    return out


def _whole_tables(ag: Agglomeration, cities: dict[str, Result]) -> dict[str, pd.DataFrame]:
    ok = {r: res for r, res in cities.items() if res.optimal}
    out: dict[str, pd.DataFrame] = {"emissions.csv": whole_emissions(ag)}
    if ok:
        out["emissions_by_region.csv"] = pd.concat(
            [res.emissions.assign(region=r) for r, res in ok.items()], ignore_index=True)
        out["emissions_by_sector.csv"] = pd.concat(
            [res.emissions_by_sector.assign(region=r) for r, res in ok.items()],
            ignore_index=True)
        out["deployment.csv"] = pd.concat(
            [res.deployment.assign(region=r) for r, res in ok.items()], ignore_index=True)
    tr = transfers_table(ag)
    if len(tr):
        out["carbon_price.csv"] = (tr.groupby("year", as_index=False)["price_cny_per_t"].first()
                                   .rename(columns={"price_cny_per_t": "joint_price_cny_per_t"}))
    for name, df in out.items():
        if "region" in df.columns:
            out[name] = df[["region", *[c for c in df.columns if c != "region"]]]
    return out


def region_writers(ag: Agglomeration, lang: str = "en") -> Writers:
    """Every file of a region run."""
    cities = city_results(ag)
    w: Writers = {"summary.json": json_writer(summary(ag))}
    for name, df in _whole_tables(ag, cities).items():
        w[name] = csv_writer(df)
    w |= {"region_summary.csv": csv_writer(region_summary(ag)),
          "transfers.csv": csv_writer(transfers_table(ag)),
          "coordination_gains.csv": csv_writer(coordination_gains(ag)),
          "coalitions.csv": csv_writer(coalition_table(ag)),
          "rules.csv": csv_writer(compare_rules(ag))}
    if ag.diagnosis is not None:
        d = ag.diagnosis
        w |= {"diagnosis.json": json_writer({
                  "message": d.message, "total_shortfall_t": _num(d.total_shortfall_t),
                  "short_years": d.years, "short_cities": d.short_cities,
                  "joint_constraints": d.joint.groups,
                  "constraints_by_city": {r: sh.groups for r, sh in d.cities.items()
                                          if len(sh.rows)}}),
              "diagnosis.csv": csv_writer(d.table()),
              "diagnosis_limits.csv": csv_writer(d.limits)}
    md = agglomeration_markdown(ag, lang)
    w["agglomeration.md"] = lambda p: p.write_text(md, encoding="utf-8")
    if ag.scenario_run.optimal:
        w["agglomeration.png"] = _chart(ag, lang)
    for r, res in cities.items():
        for name, writer in city_writers(res).items():
            w[f"{r}/{name}"] = _in_subfolder(writer)
    return w


def _chart(ag: Agglomeration, lang: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        # matplotlib: imported only when the chart is written
        from planner.plot.regions import cities_small_multiples
        from planner.plot.save import save_figure

        save_figure(cities_small_multiples(ag, lang), path.parent, path.stem)
    return write


def write_regions(ag: Agglomeration, out: Path, lang: str = "en") -> Path:
    """Write the region outputs (see :func:`region_writers`) into `out`; returns its path."""
    return write_folder(out, region_writers(ag, lang))


__all__ = ["city_writers", "region_writers", "summary", "write_regions"]
