"""The linear programme — the one place for the maths.

Each component below carries the equation it implements; docs/formulation.md writes the same
model with the same names. Units: build and stock in project units, emissions in tCO2, money in
CNY of the start year (objective) or of the year named (coefficients).

Target rows (emissions_cap, cap_path, per_capita_cap, non_increasing_after_peak, carbon_budget)
exist for every year whether a target applies or not; their right-hand sides are mutable
parameters, +inf where no target applies, so one built model can be re-solved under other
targets by changing row bounds (see :func:`target_rhs` and :mod:`planner.model.highs`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from planner.errors import InputError
from planner.model.finance import annuity_discount_sum
from planner.model.inputs import ModelInputs
from planner.scenario import Target

INF = math.inf

#: constraints that express the emission target; their duals make up carbon prices and they
#: receive shortfall variables in the elastic model
TARGET_CONSTRAINTS = (
    "emissions_cap",
    "cap_path",
    "per_capita_cap",
    "non_increasing_after_peak",
    "carbon_budget",
    "intensity_target",
    "sector_cap",
)


@dataclass(frozen=True)
class Mode:
    """Which objective(s) the model carries.

    elastic: add shortfall variables to every target row, objective `total_shortfall` first,
        then `total_cost` under `shortfall_limit` (infeasibility diagnosis)
    min_peak: add `peak_level` >= emissions[t] and the objective `peak_level` (frontier)
    """

    elastic: bool = False
    min_peak: bool = False


def target_rhs(inp: ModelInputs, target: Target) -> dict[str, dict]:
    """Right-hand sides of the re-solvable target rows for `target` (inf = no target).

    emissions_cap[t] = cap_t; cap_path[t] = cap_path_t[t];
    per_capita_cap[t] = per_capita_t[t] x population[t];
    non_increasing_after_peak[t] = 0 for t >= peak_year (else inf); carbon_budget = budget.
    """
    years = inp.years
    cap = target.cap_t if target.cap_t is not None else INF
    pop = inp.indicators["population"] if inp.indicators is not None else None
    per_capita = {t: (target.per_capita_t[t] * float(pop[t]) if t in target.per_capita_t
                      else INF) for t in years}
    peak = target.peak_year
    return {
        "emissions_cap": {t: cap for t in years},
        "cap_path": {t: target.cap_path_t.get(t, INF) for t in years},
        "per_capita_cap": per_capita,
        "non_increasing_after_peak": {t: (0.0 if peak is not None and t >= peak else INF)
                                      for t in years[:-1]},
        "carbon_budget": {None: (target.carbon_budget_t if target.carbon_budget_t is not None
                                 else INF)},
    }


def cost_coefficients(inp: ModelInputs) -> tuple[dict, dict]:
    """(capex_coeff[p,t], opex_coeff[p,t]) in start-year CNY per unit.

    capex_coeff[p,t] = capex[p,t] · CRF_p · Σ_{u=t}^{min(t+L_p-1, end)} df(u)   (per unit built)
    opex_coeff[p,t]  = df(t) · (fixed_om_p − savings[p,t] − credit_p)           (per unit in stock)
    where credit_p values avoided pollutants when the scenario sets cobenefit_value_cny_per_t.
    """
    years, r, start, end = inp.years, inp.rate, inp.start, inp.end
    credit = inp.cobenefit_credit()
    capex_c, opex_c = {}, {}
    for p, row in inp.projects.iterrows():
        L = int(row["lifetime_years"])
        for t in years:
            capex_c[p, t] = (float(inp.capex.loc[p, t]) * float(inp.crf[p])
                             * annuity_discount_sum(r, t, L, end, start))
            opex_c[p, t] = float(inp.discount[t]) * (
                float(row["fixed_om_cny_per_unit_year"]) - float(inp.savings.loc[p, t])
                - float(credit[p]))
    return capex_c, opex_c


def emission_scale(inp: ModelInputs) -> float:
    """E: the largest |BAU total| over the horizon (tCO2), used to scale emission variables."""
    e = float(inp.bau_total.abs().max())
    return e if e > 0 else 1.0


def build_model(inp: ModelInputs, mode: Mode | None = None) -> pyo.ConcreteModel:
    """Build the Pyomo model for `inp` (targets from `inp.scenario.target`)."""
    with PauseGC():
        return _build(inp, mode or Mode())


def _build(inp: ModelInputs, mode: Mode) -> pyo.ConcreteModel:
    sc = inp.scenario
    years = inp.years
    P = list(inp.projects.index)
    proj = inp.projects
    m = pyo.ConcreteModel(name=sc.name)
    m.mode = mode

    # ---- sets
    m.T = pyo.Set(initialize=years, ordered=True, doc="years of the horizon")
    m.T_not_last = pyo.Set(initialize=years[:-1], ordered=True)
    m.P = pyo.Set(initialize=P, ordered=True, doc="projects")
    m.S = pyo.Set(initialize=inp.sectors, ordered=True, doc="sectors")
    groups = sorted({g for g in proj["exclusive_group"] if g})
    m.G = pyo.Set(initialize=groups, ordered=True, doc="exclusive groups")

    a = {(p, t): float(inp.abatement.loc[p, t]) for p in P for t in years}
    L = {p: int(proj.loc[p, "lifetime_years"]) for p in P}
    capex = {(p, t): float(inp.capex.loc[p, t]) for p in P for t in years}
    max_units = {p: float(proj.loc[p, "max_units"]) for p in P}

    fixed = (inp.fixed_build.reindex(index=P, columns=years)
             if inp.fixed_build is not None else None)

    # ---- variables
    def build_bounds(m, p, t):
        if fixed is not None and not pd.isna(fixed.at[p, t]):
            return (float(fixed.at[p, t]),) * 2  # fixed_build: what was actually built
        if t < int(proj.loc[p, "earliest_year"]):
            return (0.0, 0.0)  # no_build_before_earliest_year
        return (0.0, float(proj.loc[p, "max_build_per_year"]))  # build_rate_limit

    m.build = pyo.Var(m.P, m.T, bounds=build_bounds,
                      doc="units added in year t, operating from t for L_p years [unit]")
    m.stock = pyo.Var(m.P, m.T, bounds=lambda m, p, t: (0.0, max_units[p]),  # potential
                      doc="units operating in year t [unit]")
    m.emissions = pyo.Var(m.T, domain=pyo.Reals, doc="net city emissions in year t [tCO2]")

    # ---- parameters that re-solves change
    m.bau_total = pyo.Param(m.T, mutable=True, initialize=inp.bau_total.to_dict(),
                            doc="Σ_s BAU[s,t] [tCO2]")
    rhs = target_rhs(inp, sc.target)
    m.cap = pyo.Param(m.T, mutable=True, initialize=rhs["emissions_cap"])
    m.cap_path_rhs = pyo.Param(m.T, mutable=True, initialize=rhs["cap_path"])
    m.per_capita_rhs = pyo.Param(m.T, mutable=True, initialize=rhs["per_capita_cap"])
    m.peak_rhs = pyo.Param(m.T_not_last, mutable=True,
                           initialize=rhs["non_increasing_after_peak"])
    m.carbon_budget_rhs = pyo.Param(mutable=True, initialize=rhs["carbon_budget"][None])
    inv = sc.budget.max_investment_cny_per_year
    m.investment_budget_rhs = pyo.Param(mutable=True, initialize=INF if inv is None else inv)

    # ---- stock and project limits
    def stock_balance(m, p, t):
        """stock[p,t] = Σ_{τ ∈ T, t−L_p < τ ≤ t} build[p,τ]"""
        return m.stock[p, t] == sum(m.build[p, u] for u in years if t - L[p] < u <= t)

    m.stock_balance = pyo.Constraint(m.P, m.T, rule=stock_balance)

    def exclusive_group_limit(m, g, t):
        """Σ_{p ∈ g} stock[p,t] / max_units_p ≤ 1"""
        members = [p for p in P if proj.loc[p, "exclusive_group"] == g]
        return sum(m.stock[p, t] / max_units[p] for p in members) <= 1.0

    m.exclusive_group_limit = pyo.Constraint(m.G, m.T, rule=exclusive_group_limit)

    floor_idx = [(s, t) for s in inp.sectors for t in years
                 if inp.bau.loc[s, t] > 0 and (proj["sector"] == s).any()]
    m.sector_floor = pyo.Constraint(
        floor_idx,
        rule=lambda m, s, t: sum(a[p, t] * m.stock[p, t] for p in P
                                 if proj.loc[p, "sector"] == s) <= float(inp.bau.loc[s, t]),
        doc="Σ_{p ∈ s} a[p,t]·stock[p,t] ≤ BAU[s,t] where BAU[s,t] > 0")

    m.investment_budget = pyo.Constraint(
        m.T, rule=lambda m, t: sum(capex[p, t] * m.build[p, t] for p in P)
        <= m.investment_budget_rhs,
        doc="Σ_p capex[p,t]·build[p,t] ≤ max_investment_cny_per_year")

    # ---- emissions
    m.emissions_balance = pyo.Constraint(
        m.T, rule=lambda m, t: m.emissions[t] + sum(a[p, t] * m.stock[p, t] for p in P)
        == m.bau_total[t],
        doc="emissions[t] = Σ_s BAU[s,t] − Σ_p a[p,t]·stock[p,t]; its dual is the carbon price")

    # ---- targets (each row may receive a shortfall variable in the elastic model)
    def slack(name, idx):
        return m.find_component(f"shortfall_{name}")[idx] if mode.elastic else 0.0

    if mode.elastic:
        m.shortfall_emissions_cap = pyo.Var(m.T, bounds=(0, None))
        m.shortfall_cap_path = pyo.Var(m.T, bounds=(0, None))
        m.shortfall_per_capita_cap = pyo.Var(m.T, bounds=(0, None))
        m.shortfall_non_increasing_after_peak = pyo.Var(m.T_not_last, bounds=(0, None))
        m.shortfall_carbon_budget = pyo.Var(bounds=(0, None))

    m.emissions_cap = pyo.Constraint(
        m.T, rule=lambda m, t: m.emissions[t] - slack("emissions_cap", t) <= m.cap[t],
        doc="emissions[t] ≤ cap_t")
    m.cap_path = pyo.Constraint(
        m.T, rule=lambda m, t: m.emissions[t] - slack("cap_path", t) <= m.cap_path_rhs[t],
        doc="emissions[y] ≤ cap_path_t[y]")
    m.per_capita_cap = pyo.Constraint(
        m.T, rule=lambda m, t: m.emissions[t] - slack("per_capita_cap", t)
        <= m.per_capita_rhs[t],
        doc="emissions[y] ≤ per_capita_t[y]·population[y]")
    m.non_increasing_after_peak = pyo.Constraint(
        m.T_not_last,
        rule=lambda m, t: m.emissions[m.T.next(t)] - m.emissions[t]
        - slack("non_increasing_after_peak", t) <= m.peak_rhs[t],
        doc="emissions[t+1] ≤ emissions[t] for t ≥ peak_year")
    m.carbon_budget = pyo.Constraint(
        rule=lambda m: sum(m.emissions[t] for t in m.T)
        - slack("carbon_budget", None) <= m.carbon_budget_rhs,
        doc="Σ_t emissions[t] ≤ carbon_budget_t")

    intensity = sc.target.intensity
    K = list(range(len(intensity)))
    if mode.elastic:
        m.shortfall_intensity_target = pyo.Var(K, bounds=(0, None))
        sec_idx = [(s, t) for s, caps in sc.target.sector_cap_t.items() for t in caps]
        m.shortfall_sector_cap = pyo.Var(sec_idx, bounds=(0, None))

    def intensity_target(m, k):
        """emissions[y] ≤ (1 − reduction)·GDP[y]/GDP[b]·emissions[b]"""
        it = intensity[k]
        gdp = inp.indicators["gdp_cny"]
        ratio = (1.0 - it.reduction) * float(gdp[it.year]) / float(gdp[it.base_year])
        return (m.emissions[it.year] - ratio * m.emissions[it.base_year]
                - slack("intensity_target", k) <= 0.0)

    m.intensity_target = pyo.Constraint(K, rule=intensity_target)

    sector_caps = [(s, t, v) for s, caps in sc.target.sector_cap_t.items() for t, v in caps.items()]

    def sector_cap(m, s, t):
        """BAU[s,t] − Σ_{p ∈ s} a[p,t]·stock[p,t] ≤ sector_cap_t[s][t]"""
        cap_v = sc.target.sector_cap_t[s][t]
        own = sum(a[p, t] * m.stock[p, t] for p in P if proj.loc[p, "sector"] == s)
        if isinstance(own, int) and not mode.elastic:  # no project reduces this sector
            if float(inp.bau.loc[s, t]) <= cap_v:
                return pyo.Constraint.Skip
            raise InputError(sc.path, f"key 'target.sector_cap_t.{s}.{t}'",
                             f"cap {cap_v:.6g} t is below the sector's BAU "
                             f"{float(inp.bau.loc[s, t]):.6g} t and no project reduces "
                             f"sector {s!r}", "a cap the sector's projects can reach")
        return float(inp.bau.loc[s, t]) - own - slack("sector_cap", (s, t)) <= cap_v

    m.sector_cap = pyo.Constraint([(s, t) for s, t, _ in sector_caps], rule=sector_cap)

    # ---- objective(s)
    capex_c, opex_c = cost_coefficients(inp)
    m.total_cost = pyo.Expression(
        expr=sum(capex_c[p, t] * m.build[p, t] + opex_c[p, t] * m.stock[p, t]
                 for p in P for t in years),
        doc="net present cost, start-year CNY")
    m.obj_cost = pyo.Objective(expr=m.total_cost, sense=pyo.minimize)

    if mode.elastic:
        shortfalls = [v for v in m.component_objects(pyo.Var)
                      if v.name.startswith("shortfall_")]
        m.total_shortfall = pyo.Expression(expr=sum(v[i] for v in shortfalls for i in v))
        m.shortfall_max = pyo.Param(mutable=True, initialize=INF)
        m.shortfall_limit = pyo.Constraint(expr=m.total_shortfall <= m.shortfall_max)
        m.obj_shortfall = pyo.Objective(expr=m.total_shortfall, sense=pyo.minimize)
    if mode.min_peak:
        m.peak_level = pyo.Var(domain=pyo.Reals, doc="the highest emissions of the horizon")
        m.peak_level_bound = pyo.Constraint(m.T, rule=lambda m, t: m.emissions[t]
                                            <= m.peak_level)
        m.obj_peak = pyo.Objective(expr=m.peak_level, sense=pyo.minimize)

    # ---- scaling hints (Pyomo convention: scaled value = factor × value)
    E = emission_scale(inp)
    m.scaling_factor = pyo.Suffix(direction=pyo.Suffix.LOCAL)
    for p in P:
        for t in years:
            m.scaling_factor[m.build[p, t]] = 1.0 / max_units[p]
            m.scaling_factor[m.stock[p, t]] = 1.0 / max_units[p]
    for v in m.component_objects(pyo.Var):
        if v.name == "emissions" or v.name.startswith("shortfall_") or v.name == "peak_level":
            for i in v:
                m.scaling_factor[v[i]] = 1.0 / E
    return m
