"""Independent re-check of a solution: every constraint of docs/formulation.md re-evaluated
from the result tables with pandas, outside Pyomo and HiGHS.

Used by :func:`planner.solve` as a guard (a violated constraint is a solver fault, never an
"optimal" result) and by the tests.
"""

from __future__ import annotations

import math

import pandas as pd

from planner.model.finance import annuity_discount_sum
from planner.model.inputs import ModelInputs
from planner.model.formulation import target_rhs
from planner.scenario import Target


def violations(inp: ModelInputs, deployment: pd.DataFrame, target: Target | None = None,
               rel_tol: float = 1e-6) -> list[str]:
    """Every constraint violated by the plan in `deployment` (empty list: all hold).

    Tolerances: `rel_tol` of each constraint's natural scale (a project's potential, the
    largest BAU total, the investment budget)."""
    target = target or inp.scenario.target
    years = inp.years
    proj = inp.projects
    out: list[str] = []
    d = deployment.set_index(["project", "year"])
    build = d["build_units"].unstack().reindex(index=proj.index, columns=years)
    stock = d["stock_units"].unstack().reindex(index=proj.index, columns=years)
    E = max(1.0, float(inp.bau_total.abs().max()))
    etol = rel_tol * E

    fixed = (inp.fixed_build.reindex(index=proj.index, columns=years)
             if inp.fixed_build is not None else None)
    for p in proj.index:
        row = proj.loc[p]
        U, L = float(row["max_units"]), int(row["lifetime_years"])
        utol = rel_tol * U
        for t in years:
            b, s = float(build.loc[p, t]), float(stock.loc[p, t])
            if fixed is not None and not pd.isna(fixed.at[p, t]):
                if abs(b - float(fixed.at[p, t])) > utol:  # fixed_build replaces the limits
                    out.append(f"fixed_build[{p},{t}]: {b} != {fixed.at[p, t]}")
                b_free = False
            else:
                b_free = True
            if b < -utol:
                out.append(f"build[{p},{t}] = {b} < 0")
            if b_free and b > float(row["max_build_per_year"]) + utol:
                out.append(f"build_rate_limit[{p},{t}]: {b} > {row['max_build_per_year']}")
            if b_free and t < int(row["earliest_year"]) and b > utol:
                out.append(f"no_build_before_earliest_year[{p},{t}]: {b}")
            want = sum(float(build.loc[p, u]) for u in years if t - L < u <= t)
            if abs(s - want) > utol:
                out.append(f"stock_balance[{p},{t}]: stock {s} != Σ build {want}")
            if s > U + utol:
                out.append(f"potential[{p},{t}]: {s} > {U}")

    for g in sorted({g for g in proj["exclusive_group"] if g}):
        members = proj.index[proj["exclusive_group"] == g]
        for t in years:
            share = sum(float(stock.loc[p, t]) / float(proj.loc[p, "max_units"])
                        for p in members)
            if share > 1 + rel_tol:
                out.append(f"exclusive_group_limit[{g},{t}]: {share} > 1")

    abatement = stock * inp.abatement
    by_sector = abatement.groupby(proj["sector"]).sum()
    for s in by_sector.index:
        for t in years:
            bau = float(inp.bau.loc[s, t])
            if bau > 0 and float(by_sector.loc[s, t]) > bau + etol:
                out.append(f"sector_floor[{s},{t}]: abatement {by_sector.loc[s, t]} > BAU {bau}")

    inv_cap = inp.scenario.budget.max_investment_cny_per_year
    if inv_cap is not None:
        spend = (build * inp.capex).sum(axis=0)
        for t in years:
            if float(spend[t]) > inv_cap * (1 + rel_tol) + rel_tol:
                out.append(f"investment_budget[{t}]: {spend[t]} > {inv_cap}")

    emissions = inp.bau_total - abatement.sum(axis=0)
    rhs = target_rhs(inp, target)
    for name in ("emissions_cap", "cap_path", "per_capita_cap"):
        for t, cap in rhs[name].items():
            if math.isfinite(cap) and float(emissions[t]) > cap + etol:
                out.append(f"{name}[{t}]: emissions {emissions[t]} > {cap}")
    for t, r in rhs["non_increasing_after_peak"].items():
        if math.isfinite(r) and float(emissions[t + 1]) > float(emissions[t]) + r + etol:
            out.append(f"non_increasing_after_peak[{t}]: {emissions[t + 1]} > {emissions[t]}")
    budget = rhs["carbon_budget"][None]
    if math.isfinite(budget) and float(emissions.sum()) > budget + etol * len(years):
        out.append(f"carbon_budget: {emissions.sum()} > {budget}")
    if inp.indicators is not None:
        gdp = inp.indicators["gdp_cny"]
        for k, it in enumerate(target.intensity):
            lim = ((1 - it.reduction) * float(gdp[it.year]) / float(gdp[it.base_year])
                   * float(emissions[it.base_year]))
            if float(emissions[it.year]) > lim + etol:
                out.append(f"intensity_target[{k}]: {emissions[it.year]} > {lim}")
    for s, caps in target.sector_cap_t.items():
        for t, cap in caps.items():
            sector_em = float(inp.bau.loc[s, t]) - (float(by_sector.loc[s, t])
                                                    if s in by_sector.index else 0.0)
            if sector_em > cap + etol:
                out.append(f"sector_cap[{s},{t}]: {sector_em} > {cap}")
    return out


def objective_from_plan(inp: ModelInputs, deployment: pd.DataFrame) -> float:
    """The objective recomputed from the plan with the formula of docs/formulation.md:
    Σ build·capex·CRF·Σ df + Σ df·stock·(fixed_om − savings − credit), start-year CNY."""
    proj = inp.projects
    credit = inp.cobenefit_credit()
    total = 0.0
    for r in deployment.itertuples(index=False):
        p, t = r.project, int(r.year)
        L = int(proj.loc[p, "lifetime_years"])
        total += (r.build_units * float(inp.capex.loc[p, t]) * float(inp.crf[p])
                  * annuity_discount_sum(inp.rate, t, L, inp.end, inp.start))
        total += float(inp.discount[t]) * r.stock_units * (
            float(proj.loc[p, "fixed_om_cny_per_unit_year"]) - float(inp.savings.loc[p, t])
            - float(credit[p]))
    return total
