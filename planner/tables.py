"""Tables for people (presentation): the Markdown and terminal tables of the comparison of
scenarios and of the target decomposition. Files keep t and CNY; these show Mt, 亿元 and
CNY/t."""

from __future__ import annotations

import pandas as pd

from planner.text import ljust, markdown_table, rjust
from planner.units import fmt_num, fmt_pct, text_width

# ---------------------------------------------------------------- comparison ----------------


def _year_of(table: pd.DataFrame) -> str:
    years = table["indicator_year"].dropna()
    return str(int(years.iloc[0])) if len(years) else "–"


def _compare_rows(table: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    y = _year_of(table)
    headers = ["Scenario", "Status", "Peak year", "Peak (Mt)", "Cost (亿元)",
               "Cost vs reference (亿元)", "Target cost (亿元)", "Marginal tighten (CNY/t)",
               "Marginal loosen (CNY/t)", "Uniform price (CNY/t)", "Investment (亿元)",
               f"CO2/GDP {y} (t/万元)", f"vs base year ({y})", "CO2/GDP final (t/万元)",
               "SO2 avoided (kt)", "NOx avoided (kt)", "PM2.5 avoided (kt)"]
    rows = []
    for r in table.itertuples(index=False):
        name = f"{r.scenario} (reference: the no-target plan)" if r.reference else r.scenario
        rows.append([
            name, r.status, "" if pd.isna(r.peak_year) else str(int(r.peak_year)),
            fmt_num(r.peak_emissions_t, 1e6), fmt_num(r.objective_cny, 1e8),
            fmt_num(r.cost_vs_reference_cny, 1e8), fmt_num(r.target_cost_cny, 1e8),
            fmt_num(r.marginal_cost_tighten_cny_per_t, 1, 1),
            fmt_num(r.marginal_cost_loosen_cny_per_t, 1, 1),
            fmt_num(r.uniform_price_cny_per_t, 1, 1),
            fmt_num(r.total_investment_cny, 1e8), fmt_num(r.co2_per_10k_cny_gdp_target, 1, 3),
            fmt_pct(r.intensity_change_target), fmt_num(r.co2_per_10k_cny_gdp_final, 1, 3),
            fmt_num(r.so2_avoided_t, 1e3), fmt_num(r.nox_avoided_t, 1e3),
            fmt_num(r.pm25_avoided_t, 1e3)])
    return headers, rows


def _reasons(table: pd.DataFrame) -> list[str]:
    return [f"- {r.scenario} ({r.status}): {r.reason}" for r in table.itertuples(index=False)
            if r.status != "optimal"]


def _reference_note(table: pd.DataFrame) -> str:
    ref = table["reference_name"].dropna()
    ref = str(ref.iloc[0]) if len(ref) and str(ref.iloc[0]) else ""
    return (f"Cost vs reference: against {ref}." if ref
            else "Cost vs reference: no common reference (no BAU scenario, and the scenarios "
                 "do not share one baseline).")


def compare_markdown(table: pd.DataFrame) -> str:
    """compare.md: the table in display units, then the reasons of scenarios that failed."""
    headers, rows = _compare_rows(table)
    align = ["l", "l"] + ["r"] * (len(headers) - 2)
    y = _year_of(table)
    out = ["# Scenario comparison", "",
           "Peak and emissions in Mt CO2; cost = net present cost in 亿元 (100 million CNY) of "
           "the start year. " + _reference_note(table) + " Target cost against each "
           "scenario's own no-target plan; marginal costs (to tighten, saved by loosening) and "
           "the uniform carbon price that would deliver the target in CNY per discounted t "
           f"CO2; investment undiscounted; CO2/GDP in t per 10,000 CNY (万元) in {y} for every "
           "scenario (the latest target year among them), change against the start year; "
           "pollutants avoided over the horizon.",
           "", markdown_table(headers, rows, align), ""]
    reasons = _reasons(table)
    if reasons:
        out += ["## Not solved", "", *reasons, ""]
    return "\n".join(out)


def compare_terminal(table: pd.DataFrame) -> str:
    """A plain-text table for the terminal (columns padded; CJK counted as double width)."""
    headers, rows = _compare_rows(table)
    cols = list(zip(headers, *rows, strict=True))
    widths = [max(text_width(c) for c in col) for col in cols]

    def line(cells: list[str]) -> str:
        return "  ".join(ljust(c, w) if i < 2 else rjust(c, w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    out = [line(headers), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    out += ["", _reference_note(table) + f" CO2/GDP in {_year_of(table)} for every scenario."]
    reasons = _reasons(table)
    if reasons:
        out += ["", "Not solved:", *reasons]
    return "\n".join(out)


# ---------------------------------------------------------------- decomposition -------------


def decomposition_markdown(df: pd.DataFrame) -> str:
    """Markdown tables of a decomposition frame: sectors, then measures, each closed by the
    city total. Emissions in Mt CO2, money in 亿元 (100 million CNY); files keep t and CNY."""
    if df.empty:
        return "# Target decomposition\n\nNo optimal plan: nothing to decompose.\n"
    first = df.iloc[0]
    b, p, f = int(first["base_year"]), int(first["peak_year"]), int(first["final_year"])
    city = df[df["level"] == "city"]
    out = ["# Target decomposition", "",
           f"Base year {b}, plan peak year {p}, final year {f}. Emissions and reductions against "
           "BAU in Mt CO2; investment (undiscounted) and net present cost in 亿元 "
           "(100 million CNY). Each table's rows add up to the city total.", ""]
    red_head = [f"Reduction {b} (base)", f"Reduction {p} (peak)", f"Reduction {f} (final)",
                "Reduction, all years"]
    tail_head = [f"Share of reduction {p} (peak)", "Share, all years", "Investment (亿元)",
                 "Net present cost (亿元)", "Key projects"]

    def tail(r) -> list[str]:
        return [fmt_num(r.reduction_base_t, 1e6), fmt_num(r.reduction_peak_t, 1e6),
                fmt_num(r.reduction_final_t, 1e6), fmt_num(r.reduction_total_t, 1e6),
                fmt_pct(r.share_of_reduction_peak), fmt_pct(r.share_of_reduction_total),
                fmt_num(r.investment_cny, 1e8), fmt_num(r.net_present_cost_cny, 1e8),
                r.key_projects]

    for level, title, with_em in (("sector", "By sector", True), ("measure", "By measure", False)):
        part = pd.concat([df[df["level"] == level], city])
        em_head = ([f"Emissions {b} (base)", f"Emissions {p} (peak)", f"Emissions {f} (final)"]
                   if with_em else [])
        headers = [level.capitalize(), *em_head, *red_head, *tail_head]
        rows = []
        for r in part.itertuples(index=False):
            name = "**City total**" if r.level == "city" else r.name
            em = ([fmt_num(r.emissions_base_t, 1e6), fmt_num(r.emissions_peak_t, 1e6),
                   fmt_num(r.emissions_final_t, 1e6)] if with_em else [])
            rows.append([name, *em, *tail(r)])
        align = ["l"] + ["r"] * (len(headers) - 2) + ["l"]
        out += [f"## {title}", "", markdown_table(headers, rows, align), ""]
    return "\n".join(out)
