"""Independent re-check of a solution: every constraint of docs/formulation.md re-evaluated
from the result tables with numpy, outside Pyomo and HiGHS.

Used by :func:`planner.solve` as a guard (a violated constraint is a solver fault, never an
"optimal" result) and by the tests. It reads the deployment table, not the model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.model.finance import capex_coefficients, flow_weights
from planner.model.formulation import intensity_ratio, needs_no_target_plan, target_bounds
from planner.model.inputs import ModelInputs
from planner.scenario import Target


def plan_arrays(inp: ModelInputs, deployment: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(build, stock) as (P, T) arrays over the projects and optimised years of `inp`."""
    d = deployment.pivot(index="project", columns="year")
    build = d["build_units"].reindex(index=inp.projects.index, columns=inp.years)
    stock = d["stock_units"].reindex(index=inp.projects.index, columns=inp.years)
    return build.to_numpy(float), stock.to_numpy(float)


def _first(mask: np.ndarray, labels: list[str]) -> list[str]:
    return [labels[i] for i in np.flatnonzero(mask.ravel())[:3]]


def violations(inp: ModelInputs, deployment: pd.DataFrame, target: Target | None = None,
               e0: np.ndarray | None = None, rel_tol: float = 1e-6) -> list[str]:
    """Every constraint violated by the plan in `deployment` (empty list: all hold).

    `e0`: the no-target plan's emissions per optimised year, needed when the target's bounds
    depend on it (peak forms, intensity base 'no_target'). Tolerances: `rel_tol` of each
    constraint's natural scale (a project's potential, the largest BAU total, the budget)."""
    target = target or inp.scenario.target
    if e0 is None and needs_no_target_plan(target):
        raise ValueError("this target's bounds need the no-target plan's emissions (e0)")
    proj = inp.projects
    years = inp.years
    T = len(years)
    build, stock = plan_arrays(inp, deployment)
    out: list[str] = []
    if np.isnan(build).any() or np.isnan(stock).any():
        return ["deployment: missing (project, year) rows"]
    ids = [f"{p},{t}" for p in proj.index for t in years]
    U = proj["max_units"].to_numpy(float)[:, None]
    R = proj["max_build_per_year"].to_numpy(float)[:, None]
    L = proj["lifetime_years"].to_numpy(int)
    utol = rel_tol * np.maximum(U, 1e-12)

    def check(name: str, bad: np.ndarray, labels: list[str]) -> None:
        if bad.any():
            out.append(f"{name}: violated at {', '.join(_first(bad, labels))}"
                       + (f" (+{int(bad.sum()) - 3} more)" if bad.sum() > 3 else ""))

    free = np.ones_like(build, dtype=bool)
    if inp.fixed_build is not None:  # a build fixed to actuals is data, not bounded by limits
        free = np.isnan(inp.fixed_build.reindex(index=proj.index, columns=years)
                        .to_numpy(float))
    check("build >= 0", build < -utol, ids)
    check("build_rate_limit", free & (build > R + utol), ids)
    early = np.asarray(years)[None, :] < proj["earliest_year"].to_numpy(int)[:, None]
    check("no_build_before_earliest_year", free & early & (build > utol), ids)
    cum = np.concatenate([np.zeros((len(proj), 1)), np.cumsum(build, axis=1)], axis=1)
    idx = np.arange(1, T + 1)
    lo = np.maximum(idx[None, :] - L[:, None], 0)
    want = cum[:, 1:] - np.take_along_axis(cum, lo, axis=1)
    check("stock_balance", np.abs(stock - want) > utol, ids)
    check("potential", stock > U + utol, ids)
    check("stock >= 0", stock < -utol, ids)
    if inp.fixed_build is not None:
        fixed = inp.fixed_build.reindex(index=proj.index, columns=years).to_numpy(float)
        check("fixed_build", ~np.isnan(fixed) & (np.abs(build - np.nan_to_num(fixed)) > utol),
              ids)

    groups = proj["exclusive_group"]
    for g in sorted({g for g in groups if g}):
        share = (stock[(groups == g).to_numpy()] / U[(groups == g).to_numpy()]).sum(axis=0)
        check(f"exclusive_group_limit[{g}]", share > 1 + rel_tol, [str(t) for t in years])

    E = max(1.0, float(inp.bau_total.abs().max()))
    etol = rel_tol * E
    abatement = stock * inp.abatement.to_numpy(float)
    sectors = proj["sector"].to_numpy()
    bau = inp.bau.reindex(columns=years)
    for s in inp.sectors:
        ab = abatement[sectors == s].sum(axis=0)
        b = bau.loc[s].to_numpy(float)
        check(f"sector_floor[{s}]", (b > 0) & (ab > b + etol), [str(t) for t in years])

    inv_cap = inp.scenario.budget.max_investment_cny_per_year
    if inv_cap is not None:
        spend = (build * inp.capex.to_numpy(float)).sum(axis=0)
        check("investment_budget", spend > inv_cap * (1 + rel_tol) + rel_tol,
              [str(t) for t in years])

    scope = proj["sector"].isin(inp.scope_sectors).to_numpy()
    emissions = (bau.loc[inp.scope_sectors].to_numpy(float).sum(axis=0)
                 - abatement[scope].sum(axis=0))
    ub = target_bounds(inp, target, e0)
    ylab = [str(t) for t in years]
    for name in ("emissions_cap", "cap_path", "per_capita_cap", "peak_level", "no_target_guard"):
        check(name, emissions > ub[name] + etol, ylab)
    check("non_increasing_after_peak",
          emissions[1:] - emissions[:-1] > ub["non_increasing_after_peak"] + etol, ylab[:-1])
    check("carbon_budget", np.array([emissions.sum() > ub["carbon_budget"][0] + etol * T]),
          ["total"])
    for k, it in enumerate(target.intensity):
        lhs = emissions[years.index(it.year)]
        if it.base == "plan":
            lhs -= intensity_ratio(inp, k) * emissions[years.index(it.base_year)]
        check(f"intensity_target[{k}]", np.array([lhs > ub["intensity_target"][k] + etol]),
              [str(k)])
    pairs = [(s, t) for s, caps in target.sector_cap_t.items() for t in caps]
    for k, (s, t) in enumerate(pairs):
        own = abatement[sectors == s, years.index(t)].sum()
        check(f"sector_cap[{s},{t}]", np.array([-own > ub["sector_cap"][k] + etol]), [str(t)])
    return out


def objective_from_plan(inp: ModelInputs, deployment: pd.DataFrame) -> float:
    """The objective recomputed from the plan with the formula of docs/formulation.md:
    Σ build·capex·CRF·Σ_u w(u) + Σ w(t)·stock·(fixed_om − savings − credit), start-year CNY,
    w(t) = (1+r)^−(t−start)/(1+r). Computed from the input tables, not the model's
    coefficients."""
    build, stock = plan_arrays(inp, deployment)
    proj = inp.projects
    capex = capex_coefficients(inp.rate, inp.years, inp.start, inp.capex.to_numpy(float),
                               proj["lifetime_years"].to_numpy(int))
    w = flow_weights(inp.rate, inp.years, inp.start)
    running = (proj["fixed_om_cny_per_unit_year"].to_numpy(float)[:, None]
               - inp.savings.to_numpy(float)
               - inp.cobenefit_credit().to_numpy(float)[:, None])
    return float((build * capex).sum() + (stock * running * w[None, :]).sum())
