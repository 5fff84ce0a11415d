"""Policy recommendations that follow from the plan: which instrument each project (and each
measure) needs, and why — classes and evidence only; the words are in
:mod:`planner.analysis.recommendation_text`, the rules in docs/recommendations.md.

Every number is computed for the scenario at hand: the vintage-levelised cost
(:mod:`planner.analysis.lcoa`) of the project's *vintage* (its first build year in the plan,
or the target year when it is not built), the exact reasons (:mod:`planner.analysis.reasons`),
entry prices in the target year (:mod:`planner.analysis.entry_prices`), the target's headlines
(:mod:`planner.analysis.economics`), the frontier's lowest peaks
(:mod:`planner.analysis.frontier`), and a few re-solves of the scenario's own model: starting a
project one year later (the cost of a year's delay) and the plan without co-benefit values.

Classes, first match wins (PRECEDENCE): none, not_a_priority, co_benefit_led, finance_gap,
long_lead_time, needs_price_signal, no_regret_capacity_limited, pays_unconstrained; every
other class that also applies is listed in ``other_classes``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from planner.analysis.frontier import lowest_peaks
from planner.analysis.lcoa import vintage_lcoa
from planner.analysis.ranking import rank
from planner.model.inputs import ModelInputs
from planner.model.persistent import PlanningModel
from planner.model.perturb import Bound, shifted_objectives
from planner.results import Result
from planner.scenario import CobenefitValue

CLASSES = ("no_regret_capacity_limited", "finance_gap", "needs_price_signal", "long_lead_time",
           "not_a_priority", "co_benefit_led", "pays_unconstrained", "none")
#: the class of a project is the first of these that applies
PRECEDENCE = ("none", "not_a_priority", "co_benefit_led", "finance_gap", "long_lead_time",
              "needs_price_signal", "no_regret_capacity_limited", "pays_unconstrained")
USED_TOL = 1e-6  # share of a project's potential below which a build counts as none
SHADOW_TOL = 1e-6  # CNY/t: a shadow value above this holds the project back
#: a project is co-benefit led when the plan without co-benefit values uses at least this
#: share less of it (discounted abatement over the horizon)
COBENEFIT_SHARE = 0.5
#: the highest rate searched for the break-even (concessional) rate
RATE_CEILING = 1.0


@dataclass
class Recommendations:
    """projects: one row per project (index project id): class, other_classes and the
    evidence (columns documented in docs/recommendations.md); measures: one row per measure
    (index measure id); target: the target-level numbers (dict); tracking: the planned value
    of each indicator `planner track` rates, per reported year; private_rate: the investor's
    rate used (None: not given)."""

    projects: pd.DataFrame
    measures: pd.DataFrame
    target: dict[str, Any]
    tracking: pd.DataFrame
    private_rate: float | None = None
    tracked: list[str] = field(default_factory=list)


def breakeven_rate(inp: ModelInputs, project: int, vintage: int, lo: float,
                   hi: float = RATE_CEILING) -> float:
    """The highest discount rate in [lo, hi] at which the project's vintage LCOA is ≤ 0
    (bisection to 1e-6; NaN when it is positive already at `lo`)."""
    def cost(r: float) -> float:
        return float(vintage_lcoa(inp, vintage, r)[project])

    if not cost(lo) <= 0:
        return math.nan
    if cost(hi) <= 0:
        return hi
    a, b = lo, hi
    while b - a > 1e-6:
        m = 0.5 * (a + b)
        if cost(m) <= 0:
            a = m
        else:
            b = m
    return a


def _restore_bounds(pm: PlanningModel, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s = pm.lp.col_scale[cols]
    return pm.lp.col_lb[cols] * s, pm.lp.col_ub[cols] * s


def delay_costs(pm: PlanningModel, base_cny: float, first: dict[int, int]) -> dict[int, float]:
    """Cost (CNY, NPV at the start of the start year) of starting project i one year later:
    its builds in its first build year fixed at zero, everything else re-optimised; inf when
    the target then becomes infeasible. `first` maps project position -> first build year.
    The re-solves run as :func:`planner.model.perturb.shifted_objectives` jobs (two chains on
    a large model)."""
    years = pm.inp.years
    bcol = pm.project_columns("build")
    jobs, who = [], []
    for i, y in first.items():
        cols = bcol[i, years.index(y):years.index(y) + 1]
        cols = cols[cols >= 0]
        if not len(cols):
            continue
        lo, hi = _restore_bounds(pm, cols)
        zero = (0.0,) * len(cols)
        jobs.append(Bound(tuple(map(int, cols)), zero, zero, tuple(map(float, lo)),
                          tuple(map(float, hi))))
        who.append(i)
    out = {}
    for i, res in zip(who, shifted_objectives(pm.session, jobs), strict=True):
        if res.error is not None:
            raise res.error
        out[i] = res.objective - base_cny if res.status == "optimal" else math.inf
    pm.solve()
    return out


def without_cobenefits(inp: ModelInputs) -> ModelInputs:
    """The same inputs with every co-benefit value set to zero."""
    return replace(inp, scenario=inp.scenario.model_copy(
        update={"cobenefit_value_cny_per_t": CobenefitValue()}))


def has_cobenefit_values(inp: ModelInputs) -> bool:
    """True when the scenario values pollutants and some project earns a co-benefit credit."""
    v = inp.scenario.cobenefit_value_cny_per_t
    return bool(v.so2 or v.nox or v.pm25) and float(inp.cobenefit_credit().abs().sum()) > 0


def _discounted_abatement(inp: ModelInputs, stock: np.ndarray) -> np.ndarray:
    return (stock * inp.abatement.to_numpy(float)) @ np.asarray(inp.weights, float)


def earliest_peak(inp: ModelInputs, pm: PlanningModel) -> dict[str, Any]:
    """The earliest peak year (not after the scenario's) whose lowest achievable peak (the
    frontier's, under every other target) meets the scenario's cap, and the target cost
    (CNY) of peaking then under the scenario's target; {} without a peak year."""
    tg = inp.scenario.target
    if tg.peak_year is None:
        return {}
    cands = [y for y in inp.years if y <= tg.peak_year]
    mins = lowest_peaks(inp, cands)
    tol = 1e-7 * max(1.0, float(np.abs(inp.bau_total).max()))
    out: dict[str, Any] = {"earliest_peak_year": None}
    try:
        for y in cands:
            m = mins[y]
            if not math.isfinite(m) or (tg.cap_t is not None and m > tg.cap_t + tol):
                continue
            pm.set_target(tg.model_copy(update={"peak_year": y}))
            sol = pm.solve()
            if sol.status != "optimal":
                continue
            out = {"earliest_peak_year": y, "earliest_peak_min_t": m,
                   "earliest_peak_objective_cny": sol.objective,
                   "earliest_peak_target_cost_cny": sol.objective - pm.no_target.objective_cny}
            break
    finally:
        pm.set_target(tg)
        pm.solve()
    return out


def tracked_indicators(res: Result) -> list[str]:
    """The outcome indicators `planner track` rates for this scenario (same names)."""
    inp = res.inputs
    out = ["emissions_vs_plan"]
    if res.emissions["cap_t"].notna().any():
        out.append("headroom_to_cap")
    if inp.indicators is not None:
        out += ["co2_per_gdp", "co2_per_capita", "decoupling"]
    out.append("project_rollout")
    return out


def tracking_plan(res: Result) -> pd.DataFrame:
    """Per reported year, the planned value of what `planner track` compares: emissions_t,
    cap_t, headroom_t (cap − emissions), co2_per_10k_cny_gdp, per_capita_t (NaN without
    indicators.csv), projects_building (how many projects the plan builds that year)."""
    inp = res.inputs
    em = res.emissions.set_index("year")
    years = list(em.index)
    out = pd.DataFrame({"year": years, "emissions_t": em["emissions_t"].to_numpy(float),
                        "cap_t": em["cap_t"].to_numpy(float)})
    out["headroom_t"] = out["cap_t"] - out["emissions_t"]
    if inp.indicators is not None:
        ind = inp.indicators.reindex(years)
        gdp = ind["gdp_cny"].to_numpy(float)
        pop = ind["population"].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            out["co2_per_10k_cny_gdp"] = np.where(gdp > 0, out["emissions_t"] / (gdp / 1e4),
                                                  np.nan)
            out["per_capita_t"] = np.where(pop > 0, out["emissions_t"] / pop, np.nan)
    else:
        out["co2_per_10k_cny_gdp"] = np.nan
        out["per_capita_t"] = np.nan
    d = res.deployment
    U = inp.projects["max_units"].reindex(d["project"]).to_numpy(float)
    building = d[d["build_units"].to_numpy(float) > USED_TOL * U].groupby("year")["project"]
    out["projects_building"] = building.nunique().reindex(years, fill_value=0).to_numpy(int)
    return out


def classify(row: pd.Series) -> list[str]:
    """Every class that applies to a project's evidence row, in PRECEDENCE order."""
    found = []
    lcoa = row["lcoa_cny_per_t"]
    if not row["available"] or not np.isfinite(lcoa):
        return ["none"]
    used = bool(row["used"])
    if not used:
        found.append("not_a_priority")
    if used and row["cobenefit_dependent_share"] >= COBENEFIT_SHARE:
        found.append("co_benefit_led")
    private = row["lcoa_private_cny_per_t"]
    if used and ((lcoa < 0 < private) or row["shadow_budget_cny_per_t"] > SHADOW_TOL):
        found.append("finance_gap")
    rollout_holds = (not pd.isna(row["rollout_binds_from"])
                     and row["rollout_shadow_max_cny_per_t"] > SHADOW_TOL)
    if (used and lcoa > 0 and rollout_holds and row["reason_cost_cny_per_t"] > 0
            and not pd.isna(row["carbon_main_year"])
            and int(row["carbon_main_year"]) > int(row["first_build_year"])
            and int(row["rollout_binds_from"]) <= int(row["first_build_year"])):
        found.append("long_lead_time")
    if used and lcoa > 0:
        found.append("needs_price_signal")
    if used and lcoa < 0 and rollout_holds:
        found.append("no_regret_capacity_limited")
    if used and lcoa <= 0 and not found:
        found.append("pays_unconstrained")
    if not found:
        found.append("none")
    return sorted(found, key=PRECEDENCE.index)


def project_evidence(res: Result, private_rate: float | None = None,
                     table: pd.DataFrame | None = None,
                     pm: PlanningModel | None = None) -> pd.DataFrame:
    """Per project (index project id) the numbers behind its recommendation (see
    docs/recommendations.md), its class and other_classes. `table`: a rank() table with the
    same private rate (computed when None)."""
    inp = res.inputs
    proj = inp.projects
    P = list(proj.index)
    ty = res.target_year()
    t = (table if table is not None else rank(res, private_rate)).set_index("project")
    t = t.reindex(P)
    used = t["first_build_year"].notna().to_numpy()
    first = t["first_build_year"]
    vintage = np.array([int(first[p]) if used[i] else ty for i, p in enumerate(P)])
    r = inp.rate
    lcoa = vintage_lcoa(inp, vintage, r)
    priv = (vintage_lcoa(inp, vintage, private_rate) if private_rate is not None
            else np.full(len(P), np.nan))
    d = res.deployment
    inv = (d.pivot(index="project", columns="year", values="investment_cny")
           .reindex(index=P).to_numpy(float))
    build = (d.pivot(index="project", columns="year", values="build_units")
             .reindex(index=P).to_numpy(float))
    n_build_years = (build > USED_TOL * proj["max_units"].to_numpy(float)[:, None]).sum(axis=1)
    years = np.array(sorted(d["year"].unique()))
    built = build > USED_TOL * proj["max_units"].to_numpy(float)[:, None]
    last_build = np.where(built.any(axis=1), years[len(years) - 1 - np.argmax(built[:, ::-1],
                                                                               axis=1)], -1)
    out = pd.DataFrame({
        "name": proj["name"].to_numpy(), "measure": proj["measure"].to_numpy(),
        "sector": proj["sector"].to_numpy(), "unit": proj["unit"].to_numpy(),
        "available": t["reason_kind"].ne("unavailable").to_numpy(),
        "used": used, "first_build_year": t["first_build_year"].to_numpy(),
        "last_build_year": pd.array([int(v) if v >= 0 else None for v in last_build],
                                    dtype="Int64"),
        "vintage_year": vintage, "lcoa_cny_per_t": lcoa,
        "lcoa_target_year_cny_per_t": t["lcoa_cny_per_t"].to_numpy(float),
        "discount_rate": r,
        "private_discount_rate": private_rate if private_rate is not None else math.nan,
        "lcoa_private_cny_per_t": priv,
        "share_deployed_target_year": t["share_deployed_target_year"].to_numpy(float),
        "abatement_target_year_t": t["abatement_target_year_t"].to_numpy(float),
        "abatement_horizon_t": t["abatement_horizon_t"].to_numpy(float),
        "investment_cny": np.nansum(inv, axis=1),
        "investment_per_build_year_cny": np.where(n_build_years > 0, np.nansum(inv, axis=1)
                                                  / np.maximum(n_build_years, 1), 0.0),
        "rollout_units_per_year": proj["max_build_per_year"].to_numpy(float),
        "rollout_binds_from": t["rollout_binds_from"].to_numpy(),
        "rollout_binds_to": t["rollout_binds_to"].to_numpy(),
        "rollout_shadow_max_cny_per_t": t["rollout_shadow_max_cny_per_t"].fillna(0.0)
        .to_numpy(float),
        "shadow_budget_cny_per_t": t["shadow_budget_cny_per_t"].fillna(0.0).to_numpy(float),
        "budget_year": t["budget_year"].to_numpy(),
        "reason_cost_cny_per_t": t["cost_cny_per_t"].to_numpy(float),
        "carbon_value_cny_per_t": t["carbon_value_cny_per_t"].to_numpy(float),
        "carbon_main_year": t["carbon_main_year"].to_numpy(),
        "entry_price_cny_per_t": t["entry_price_cny_per_t"].to_numpy(float)
        if "entry_price_cny_per_t" in t else np.nan,
        "exit_price_cny_per_t": t["exit_price_cny_per_t"].to_numpy(float)
        if "exit_price_cny_per_t" in t else np.nan,
        "entry_price_note": t["entry_price_note"].to_numpy(object)
        if "entry_price_note" in t else "",
        "entry_price_low_cny_per_t": t["entry_price_low_cny_per_t"].to_numpy(float)
        if "entry_price_low_cny_per_t" in t else np.nan,
        "entry_price_high_cny_per_t": t["entry_price_high_cny_per_t"].to_numpy(float)
        if "entry_price_high_cny_per_t" in t else np.nan,
    }, index=pd.Index(P))
    for c in ("first_build_year", "rollout_binds_from", "rollout_binds_to", "budget_year",
              "carbon_main_year"):
        out[c] = pd.array(out[c].to_numpy(), dtype="Int64")
    # co-benefits: the same target without co-benefit values
    out["lcoa_with_cobenefits_cny_per_t"] = vintage_lcoa(inp, vintage, r, True)
    out["abatement_without_cobenefits_t"] = np.nan
    out["cobenefit_dependent_share"] = 0.0
    pm = pm or PlanningModel(inp)
    base = pm.solve()
    if has_cobenefit_values(inp):
        pm0 = PlanningModel(without_cobenefits(inp))
        s0 = pm0.solve()
        if s0.status == "optimal":
            with_ = _discounted_abatement(inp, pm.array(base, "stock"))
            wo = _discounted_abatement(inp, pm0.array(s0, "stock"))
            out["abatement_without_cobenefits_t"] = (pm0.array(s0, "stock")
                                                     * inp.abatement.to_numpy(float)).sum(axis=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                share = np.where(with_ > 0, 1.0 - wo / np.where(with_ > 0, with_, 1.0), 0.0)
            out["cobenefit_dependent_share"] = np.clip(share, 0.0, 1.0)
    # the class, then what a delay and a concessional rate would be where they matter
    classes = [classify(row) for _, row in out.iterrows()]
    out["class"] = [c[0] for c in classes]
    out["other_classes"] = [";".join(c[1:]) for c in classes]
    need_delay = {i: int(out["first_build_year"].iloc[i]) for i, c in enumerate(classes)
                  if {"no_regret_capacity_limited", "long_lead_time"} & set(c)}
    delays = delay_costs(pm, base.objective, need_delay)
    out["delay_cost_cny"] = [delays.get(i, math.nan) for i in range(len(P))]
    out["delay_infeasible"] = np.isinf(out["delay_cost_cny"].to_numpy(float))
    out.loc[out["delay_infeasible"], "delay_cost_cny"] = math.nan
    be = np.full(len(P), np.nan)
    if private_rate is not None:
        for i, c in enumerate(classes):
            if "finance_gap" in c and lcoa[i] < 0 < priv[i]:
                be[i] = breakeven_rate(inp, i, int(vintage[i]), r, private_rate)
    out["breakeven_rate"] = be
    # the subsidy per tonne that makes a used positive-cost unit break even: its vintage LCOA
    out["support_cny_per_t"] = np.where(used & (lcoa > 0), lcoa, np.nan)
    out.index.name = None
    return out


def measure_rows(projects: pd.DataFrame) -> pd.DataFrame:
    """Per measure (index measure id): n_projects, n_used, abatement_horizon_t,
    abatement_target_year_t, investment_cny, class (the class of its used projects with the
    most abatement over the horizon; not_a_priority when none is used, none when none is
    available), class_abatement_share (that class's share of the measure's abatement),
    projects (ids of that class, ';'), classes ('class:n;…' over every project)."""
    rows = []
    for m, g in projects.groupby("measure", sort=False):
        used = g[g["used"]]
        ab = used.groupby("class")["abatement_horizon_t"].sum()
        if len(used) and ab.sum() > 0:
            cls = str(ab.idxmax())
            share = float(ab.max() / ab.sum())
        elif len(used):
            cls, share = str(used["class"].iloc[0]), 1.0
        else:
            cls = "not_a_priority" if g["available"].any() else "none"
            share = math.nan
        counts = g["class"].value_counts()
        rows.append({"measure": m, "n_projects": len(g), "n_used": int(g["used"].sum()),
                     "abatement_horizon_t": float(g["abatement_horizon_t"].sum()),
                     "abatement_target_year_t": float(g["abatement_target_year_t"].sum()),
                     "investment_cny": float(g["investment_cny"].sum()), "class": cls,
                     "class_abatement_share": share,
                     "projects": ";".join(g.index[g["class"] == cls]),
                     "classes": ";".join(f"{k}:{v}" for k, v in counts.items())})
    return pd.DataFrame(rows).set_index("measure", drop=False).rename_axis(None)


def target_facts(res: Result, pm: PlanningModel, frontier: bool = True) -> dict[str, Any]:
    """The target-level numbers: target cost, average and marginal cost, uniform price (from
    res.headlines), the earliest feasible peak and its cost (frontier), the indicators to
    track."""
    h = res.headlines or {}
    mc = h.get("marginal_cost_cny_per_t") or {}
    out: dict[str, Any] = {
        "has_target": not res.scenario.target.is_bau,
        "peak_year": res.scenario.target.peak_year, "target_year": res.target_year(),
        "cap_t": res.scenario.target.cap_t,
        "target_cost_cny": h.get("target_cost_cny"),
        "average_cost_cny_per_t": h.get("average_cost_cny_per_t"),
        "marginal_cost_tighten_cny_per_t": mc.get("tighten"),
        "marginal_cost_loosen_cny_per_t": mc.get("loosen"),
        "marginal_cost_note": h.get("marginal_cost_note", ""),
        "uniform_price_cny_per_t": h.get("uniform_price_cny_per_t"),
        "uniform_price_note": h.get("uniform_price_note", ""),
        "achieved_peak_year": h.get("achieved_peak_year", res.peak_year),
        "objective_cny": res.objective_cny,
    }
    if frontier and out["has_target"]:
        out |= earliest_peak(res.inputs, pm)
    return out


def recommendations(res: Result, private_rate: float | None = None,
                    table: pd.DataFrame | None = None, frontier: bool = True
                    ) -> Recommendations:
    """Every recommendation of an optimal result (raises ValueError otherwise). `table`: a
    rank() table at the same private rate, reused when given."""
    if not res.optimal:
        raise ValueError("recommendations need an optimal plan")
    pm = PlanningModel(res.inputs)
    projects = project_evidence(res, private_rate, table, pm)
    target = target_facts(res, pm, frontier)
    tracked = tracked_indicators(res)
    target["tracked_indicators"] = tracked
    return Recommendations(projects, measure_rows(projects), target, tracking_plan(res),
                           private_rate, tracked)
