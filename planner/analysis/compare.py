"""`planner compare A.yaml B.yaml …`: several scenarios side by side (issue 5).

``compare(paths)`` solves each scenario and returns ``(table, paths)``:

table — one row per scenario file, in the order given; a scenario that cannot be solved is
kept, with its status and reason:
    scenario, file, status ("optimal", "infeasible" or "failed"), reason, reference (True for
    the BAU scenario: one without any target), peak_year, peak_emissions_t, final_emissions_t,
    cumulative_emissions_t, objective_cny, target_year (the target's peak year, else the last
    year), carbon_price_cny_per_t (in the target year), total_investment_cny,
    co2_per_10k_cny_gdp_base (start year), co2_per_10k_cny_gdp_target (target year),
    co2_per_10k_cny_gdp_final (last year), intensity_change_target (target year against the
    start year, a fraction), so2_avoided_t, nox_avoided_t, pm25_avoided_t (over the horizon)

paths — long: scenario, year, emissions_t, reference. The reference path is the BAU
scenario's plan when one is compared; otherwise the dataset's BAU (baseline.csv) is added as
"BAU (baseline.csv)" when every solved scenario shares the same baseline and horizon.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from planner.analysis.indicators import co_benefits_by_year, indicators
from planner.errors import EXIT_INFEASIBLE, EXIT_OK, PlannerError
from planner.results import Result
from planner.text import markdown_table
from planner.units import fmt_num, fmt_pct

BASELINE_NAME = "BAU (baseline.csv)"
TABLE_COLUMNS = [
    "scenario", "file", "status", "reason", "reference", "peak_year", "peak_emissions_t",
    "final_emissions_t", "cumulative_emissions_t", "objective_cny", "target_year",
    "carbon_price_cny_per_t", "total_investment_cny", "co2_per_10k_cny_gdp_base",
    "co2_per_10k_cny_gdp_target", "co2_per_10k_cny_gdp_final", "intensity_change_target",
    "so2_avoided_t", "nox_avoided_t", "pm25_avoided_t",
]
PATH_COLUMNS = ["scenario", "year", "emissions_t", "reference"]


def _row(res: Result) -> dict:
    """The table row of one solved (optimal or infeasible) result."""
    sc = res.scenario
    r: dict = {"scenario": sc.name, "status": res.status, "reason": "",
               "reference": sc.target.is_bau, "target_year": res.target_year()}
    if not res.optimal:
        d = res.diagnosis
        r["reason"] = d.message if d is not None else "the target cannot be met"
        return r
    inp = res.inputs
    em = res.emissions["emissions_t"]
    ty = res.target_year()
    r |= {
        "peak_year": res.peak_year, "peak_emissions_t": res.peak_emissions_t,
        "final_emissions_t": float(em.iloc[-1]), "cumulative_emissions_t": float(em.sum()),
        "objective_cny": res.objective_cny, "carbon_price_cny_per_t": res.price_in(ty),
        "total_investment_cny": res.total_investment_cny,
    }
    if inp.indicators is not None:
        ind = indicators(res).set_index("year")
        r |= {
            "co2_per_10k_cny_gdp_base": float(ind.loc[inp.start, "co2_per_10k_cny_gdp"]),
            "co2_per_10k_cny_gdp_target": float(ind.loc[ty, "co2_per_10k_cny_gdp"]),
            "co2_per_10k_cny_gdp_final": float(ind.loc[inp.end, "co2_per_10k_cny_gdp"]),
            "intensity_change_target": float(ind.loc[ty, "intensity_change_vs_base_year"]),
        }
    cb = co_benefits_by_year(res)
    for k in ("so2", "nox", "pm25"):
        r[f"{k}_avoided_t"] = float(cb[f"{k}_t"].sum())
    return r


def solve_one(path: Path) -> tuple[dict, Result | None]:
    """Load and solve one scenario; never raises a PlannerError (it becomes status "failed")."""
    from planner.api import solve
    from planner.scenario import load_scenario

    path = Path(path)
    try:
        sc = load_scenario(path)
    except PlannerError as exc:
        return {"scenario": path.stem, "file": str(path), "status": "failed",
                "reason": str(exc)}, None
    try:
        res = solve(sc, one_sided_prices=False)
    except PlannerError as exc:
        return {"scenario": sc.name, "file": str(path), "status": "failed",
                "reason": str(exc), "reference": sc.target.is_bau}, None
    return {**_row(res), "file": str(path)}, res


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


def compare(paths: list[Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Solve every scenario of `paths`; return (table, paths) as described in the module."""
    rows: list[dict] = []
    results: list[Result | None] = []
    for p in paths:
        row, res = solve_one(Path(p))
        rows.append(row)
        results.append(res)
    _unique_names(rows)
    table = pd.DataFrame(rows).reindex(columns=TABLE_COLUMNS)
    table["reference"] = [r.get("reference") is True for r in rows]
    table["reason"] = table["reason"].fillna("")

    frames = []
    solved = [(r["scenario"], res) for r, res in zip(rows, results, strict=True)
              if res is not None and res.optimal]
    for name, res in solved:
        e = res.emissions
        frames.append(pd.DataFrame({"scenario": name, "year": e["year"].to_numpy(),
                                    "emissions_t": e["emissions_t"].to_numpy(),
                                    "reference": res.scenario.target.is_bau}))
    if solved and not any(res.scenario.target.is_bau for _, res in solved):
        first = solved[0][1]
        same = all(res.inputs.years == first.inputs.years
                   and np.allclose(res.inputs.bau_total.to_numpy(),
                                   first.inputs.bau_total.to_numpy())
                   for _, res in solved)
        if same:
            frames.insert(0, pd.DataFrame({"scenario": BASELINE_NAME, "year": first.inputs.years,
                                           "emissions_t": first.inputs.bau_total.to_numpy(),
                                           "reference": True}))
    if frames:
        path_df = pd.concat(frames, ignore_index=True)[PATH_COLUMNS]
    else:
        path_df = pd.DataFrame(columns=PATH_COLUMNS)
    return table, path_df


def reference_of(table: pd.DataFrame, path_df: pd.DataFrame) -> str | None:
    """The scenario drawn as the reference (the first BAU one), if any."""
    ref = path_df.loc[path_df["reference"].astype(bool), "scenario"]
    return str(ref.iloc[0]) if len(ref) else None


def exit_code(table: pd.DataFrame) -> int:
    return EXIT_OK if (table["status"] == "optimal").all() else EXIT_INFEASIBLE


# ---------------------------------------------------------------- rendering --------------

def _display_rows(table: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    headers = ["Scenario", "Status", "Peak year", "Peak (Mt)", "Cost (亿元)",
               "Carbon price (CNY/t)", "Investment (亿元)", "CO2/GDP target yr (t/万元)",
               "vs base year", "CO2/GDP final (t/万元)", "SO2 avoided (kt)", "NOx avoided (kt)",
               "PM2.5 avoided (kt)"]
    rows = []
    for r in table.itertuples(index=False):
        name = f"{r.scenario} (reference)" if r.reference else r.scenario
        price = ("" if pd.isna(r.carbon_price_cny_per_t)
                 else f"{fmt_num(r.carbon_price_cny_per_t, 1, 0)} ({int(r.target_year)})")
        rows.append([
            name, r.status, "" if pd.isna(r.peak_year) else str(int(r.peak_year)),
            fmt_num(r.peak_emissions_t, 1e6), fmt_num(r.objective_cny, 1e8), price,
            fmt_num(r.total_investment_cny, 1e8), fmt_num(r.co2_per_10k_cny_gdp_target, 1, 3),
            fmt_pct(r.intensity_change_target), fmt_num(r.co2_per_10k_cny_gdp_final, 1, 3),
            fmt_num(r.so2_avoided_t, 1e3), fmt_num(r.nox_avoided_t, 1e3),
            fmt_num(r.pm25_avoided_t, 1e3)])
    return headers, rows


def _reasons(table: pd.DataFrame) -> list[str]:
    return [f"- {r.scenario} ({r.status}): {r.reason}" for r in table.itertuples(index=False)
            if r.status != "optimal"]


def to_markdown(table: pd.DataFrame) -> str:
    """compare.md: the table in display units, then the reasons of scenarios that failed."""
    headers, rows = _display_rows(table)
    align = ["l", "l"] + ["r"] * (len(headers) - 2)
    out = ["# Scenario comparison", "",
           "Peak and emissions in Mt CO2; cost = net present cost in 亿元 (100 million CNY) of "
           "the start year; investment undiscounted; carbon price in the target year (the "
           "target's peak year, else the last year), CNY per t CO2; CO2/GDP in t per 10,000 "
           "CNY (万元), change against the start year; pollutants avoided over the horizon.",
           "", markdown_table(headers, rows, align), ""]
    reasons = _reasons(table)
    if reasons:
        out += ["## Not solved", "", *reasons, ""]
    return "\n".join(out)


def render(table: pd.DataFrame) -> str:
    """A plain-text table for the terminal (columns padded; CJK counted as double width)."""
    headers, rows = _display_rows(table)

    def width(s: str) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)

    cols = list(zip(headers, *rows, strict=True))
    widths = [max(width(c) for c in col) for col in cols]

    def line(cells: list[str]) -> str:
        parts = []
        for i, (c, w) in enumerate(zip(cells, widths, strict=True)):
            pad = " " * (w - width(c))
            parts.append(c + pad if i < 2 else pad + c)
        return "  ".join(parts).rstrip()

    out = [line(headers), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    reasons = _reasons(table)
    if reasons:
        out += ["", "Not solved:", *reasons]
    return "\n".join(out)


def writers(table: pd.DataFrame, path_df: pd.DataFrame, lang: str = "en") -> dict:
    """compare.csv, compare_paths.csv, compare.md and compare.png/.svg (the chart)."""
    from planner.outputs.run import csv_writer
    from planner.plot.compare import compare_chart
    from planner.plot.save import save_figure

    md = to_markdown(table)

    def write_md(path: Path) -> None:
        path.write_text(md, encoding="utf-8")

    def write_chart(path: Path) -> None:  # writes compare.png and compare.svg
        fig = compare_chart(table, path_df, lang, reference=reference_of(table, path_df))
        save_figure(fig, path.parent, path.stem)

    return {"compare.csv": csv_writer(table), "compare_paths.csv": csv_writer(path_df),
            "compare.md": write_md, "compare.png": write_chart}


# ---------------------------------------------------------------- command line -----------

def cmd_compare(args) -> int:
    from planner.outputs.folder import check_target, write_folder

    check_target(args.out)
    table, path_df = compare(args.scenarios)
    write_folder(args.out, writers(table, path_df, args.lang))
    print(render(table))
    print(f"\nResults written to {args.out}/")
    return exit_code(table)
