"""Tracking a plan against what happened: re-plan the rest, explain the gap, rate progress.

Notation (all tCO2 unless said): for a project p and year t, a_plan[p,t] is the planned
abatement per unit-year (ModelInputs.abatement), a_obs[p,t] the measured one (a_plan where not
measured), stock_plan / stock_obs the units in operation under the plan / as built.

* implied BAU[s,t] = observed emissions[s,t] + Σ_{p∈s} a_obs[p,t]·stock_obs[p,t] for observed
  years (when the actuals give city totals only, the total drift implied − planned BAU is
  allotted to the sectors with positive BAU in proportion to their BAU that year);
* future BAU (t > as-of), from the last observed year Lo: ``level`` BAU[s,t] + (implied −
  planned)[s,Lo]; ``ratio`` BAU[s,t]·implied[s,Lo]/BAU[s,Lo]; or a user re-projection;
* gap = observed − planned = baseline_drift − deployment − performance, where
  baseline_drift = implied BAU − planned BAU, deployment = Σ_p a_plan·(stock_obs − stock_plan)
  (negative when behind schedule: it *adds* to the gap), performance = Σ_p (a_obs −
  a_plan)·stock_obs (negative when projects under-perform). The contributions to the gap are
  baseline_drift, −deployment and −performance; they add up to the gap exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from planner.actuals import TOTAL, Actuals
from planner.analysis.economics import marginal_cost as shared_marginal_cost
from planner.analysis.frontier import lowest_peaks
from planner.model.inputs import ModelInputs
from planner.model.persistent import PlanningModel
from planner.results import Result

REBASE_MODES = ("level", "ratio")
#: sector label of city-total rows in the gap tables
ALL = "total"

#: rating thresholds (documented in docs/tracking.md)
ON_TRACK, AT_RISK, OFF_TRACK = "on_track", "at_risk", "off_track"
#: emissions, intensity, per capita above the plan (or target) by at most this share: on track
EXCESS_ON_TRACK = 0.01
#: ... by at most this share: at risk; above it: off track
EXCESS_AT_RISK = 0.03
#: headroom below the cap as a share of the cap: at least this much is on track; 0..this at risk
HEADROOM_ON_TRACK = 0.02
#: share of the planned cumulative units built by the as-of year: on track / at risk above
BUILT_ON_TRACK = 0.95
BUILT_AT_RISK = 0.80
#: decoupling index (%ΔCO2 / %ΔGDP) above the plan's by at most this: on track / at risk
DECOUPLING_ON_TRACK = 0.10
DECOUPLING_AT_RISK = 0.30
#: relative change of the targets for the marginal cost of the target


# ---------------------------------------------------------------- observed tables ---------

def _window_sum(build: np.ndarray, life: np.ndarray) -> np.ndarray:
    """stock[p,t] = Σ_{t−L_p < τ ≤ t} build[p,τ] (columns consecutive years)."""
    n = build.shape[1]
    cum = np.concatenate([np.zeros((build.shape[0], 1)), np.cumsum(build, axis=1)], axis=1)
    idx = np.arange(1, n + 1)
    lo = np.maximum(idx[None, :] - life[:, None], 0)
    return cum[:, 1:] - np.take_along_axis(cum, lo, axis=1)


def past_years(inp: ModelInputs, act: Actuals) -> list[int]:
    """The horizon's years up to and including the as-of year."""
    return [y for y in inp.years if y <= act.as_of]


def observed_builds(inp: ModelInputs, act: Actuals) -> pd.DataFrame:
    """Units built, project × years start..as-of (0 where actual_deployment.csv has no row)."""
    years = past_years(inp, act)
    d = act.deployment
    table = d.pivot(index="project", columns="year", values="build_units")
    return table.reindex(index=inp.projects.index, columns=years).fillna(0.0).astype(float)


def observed_stock(inp: ModelInputs, act: Actuals) -> pd.DataFrame:
    """Units in operation as built, project × years start..as-of."""
    b = observed_builds(inp, act)
    life = inp.projects["lifetime_years"].to_numpy(int)
    return pd.DataFrame(_window_sum(b.to_numpy(), life), index=b.index, columns=b.columns)


def observed_abatement_rate(inp: ModelInputs, act: Actuals) -> pd.DataFrame:
    """a_obs: measured tCO2 per unit-year where given, else planned; project × start..as-of."""
    years = past_years(inp, act)
    planned = inp.abatement[years]
    measured = act.deployment.pivot(index="project", columns="year",
                                    values="abatement_t_per_unit_year")
    measured = measured.reindex(index=planned.index, columns=years)
    return measured.where(measured.notna(), planned).astype(float)


def _sector_sum(inp: ModelInputs, table: pd.DataFrame) -> pd.DataFrame:
    """Project rows summed by sector, every sector of the BAU present (sector × year)."""
    return table.groupby(inp.projects["sector"]).sum().reindex(inp.sectors, fill_value=0.0)


def _allot_weights(bau: pd.DataFrame) -> pd.DataFrame:
    """Shares of each sector with positive BAU in its year's positive total (sector × year)."""
    pos = bau.clip(lower=0.0)
    tot = pos.sum(axis=0).replace(0.0, np.nan)
    return (pos / tot).fillna(0.0)


def observed_emissions(inp: ModelInputs, act: Actuals) -> pd.DataFrame:
    """Observed emissions sector × observed year (by_sector), or one row TOTAL × year."""
    e = act.emissions.pivot(index="sector", columns="year", values="emissions_t")
    return e.reindex(index=inp.sectors if act.by_sector else [TOTAL], columns=act.years)


def implied_bau(inp: ModelInputs, act: Actuals) -> pd.DataFrame:
    """Implied BAU, sector × observed year: observed emissions + abatement of what was built
    (measured rate where given). City totals are allotted to sectors (see module doc)."""
    years = act.years
    abated = _sector_sum(inp, observed_stock(inp, act)[years]
                         * observed_abatement_rate(inp, act)[years])
    obs = observed_emissions(inp, act)
    if act.by_sector:
        return obs + abated
    total = obs.loc[TOTAL] + abated.sum(axis=0)
    drift = total - inp.bau[years].sum(axis=0)
    return inp.bau[years] + _allot_weights(inp.bau[years]) * drift


def rebased_bau(inp: ModelInputs, act: Actuals, rebase: str | pd.DataFrame = "level"
                ) -> pd.DataFrame:
    """The BAU of the re-plan, sector × horizon year: implied for observed years, planned for
    unobserved years up to as-of, re-based after as-of by `rebase` ('level', 'ratio' or a
    re-projection table year, sector, emissions_t from planner.actuals.load_rebase)."""
    bau = inp.bau.copy()
    imp = implied_bau(inp, act)
    bau[imp.columns] = imp
    future = [y for y in inp.years if y > act.as_of]
    last = act.years[-1]
    if isinstance(rebase, pd.DataFrame):
        if (rebase["sector"] != TOTAL).all():
            new = rebase.pivot(index="sector", columns="year", values="emissions_t")
            bau[future] = new.reindex(index=inp.sectors, columns=future).fillna(
                inp.bau[future])
        else:
            tot = rebase.set_index("year")["emissions_t"].reindex(future)
            drift = tot - inp.bau[future].sum(axis=0)
            bau[future] = inp.bau[future] + _allot_weights(inp.bau[future]) * drift
        return bau
    shift = imp[last] - inp.bau[last]
    if rebase == "level":
        bau[future] = inp.bau[future].add(shift, axis=0)
    elif rebase == "ratio":
        base = inp.bau[last]
        ratio = (imp[last] / base.where(base != 0.0)).fillna(1.0)
        level = inp.bau[future].add(shift, axis=0)
        scaled = inp.bau[future].mul(ratio, axis=0)
        nonzero = np.repeat((base != 0.0).to_numpy()[:, None], len(future), axis=1)
        bau[future] = scaled.where(nonzero, level)
    else:
        raise ValueError(f"rebase must be one of {REBASE_MODES} or a table, not {rebase!r}")
    return bau


def replan_inputs(inp: ModelInputs, act: Actuals, rebase: str | pd.DataFrame = "level"
                  ) -> ModelInputs:
    """The re-plan's inputs: builds up to as-of fixed to the actuals, the BAU re-based,
    measured abatement in the observed years, and the capex actually spent per unit built
    (capex_cny / build_units) as the capital of those builds. The target is unchanged."""
    years = past_years(inp, act)
    builds = observed_builds(inp, act)
    fixed = pd.DataFrame(np.nan, index=inp.projects.index, columns=inp.years)
    fixed[years] = builds
    abatement = inp.abatement.copy()
    abatement[years] = observed_abatement_rate(inp, act)
    capex = inp.capex.copy()
    d = act.deployment
    spent = d[d["capex_cny"].notna() & (d["build_units"] > 0)]
    if not spent.empty:
        per_unit = (spent["capex_cny"] / spent["build_units"]).to_numpy()
        rows = capex.index.get_indexer(spent["project"])
        cols = capex.columns.get_indexer(spent["year"])
        values = capex.to_numpy(copy=True)
        values[rows, cols] = per_unit
        capex = pd.DataFrame(values, index=capex.index, columns=capex.columns)
    return replace(inp, bau=rebased_bau(inp, act, rebase), fixed_build=fixed,
                   abatement=abatement, capex=capex)


# ---------------------------------------------------------------- the gap ------------------

def gap_decomposition(plan: Result, act: Actuals) -> pd.DataFrame:
    """Per observed year and sector (and the city total, sector 'total'): observed_t,
    planned_t, gap_t = observed − planned, baseline_drift_t, deployment_t, performance_t with
    gap = baseline_drift − deployment − performance (see the module doc for signs)."""
    inp = plan.inputs
    years = act.years
    dep = plan.deployment
    stock_plan = (dep.pivot(index="project", columns="year", values="stock_units")
                  .reindex(index=inp.projects.index, columns=years))
    stock_obs = observed_stock(inp, act)[years]
    a_plan = inp.abatement[years]
    a_obs = observed_abatement_rate(inp, act)[years]
    deployment = _sector_sum(inp, a_plan * (stock_obs - stock_plan))
    performance = _sector_sum(inp, (a_obs - a_plan) * stock_obs)
    planned = inp.bau[years] - _sector_sum(inp, a_plan * stock_plan)
    drift = implied_bau(inp, act) - inp.bau[years]
    parts = {"planned_t": planned, "baseline_drift_t": drift, "deployment_t": deployment,
             "performance_t": performance}
    if act.by_sector:
        obs = observed_emissions(inp, act)
        tables = {ALL: {k: v.sum(axis=0) for k, v in parts.items()} | {
            "observed_t": obs.sum(axis=0)}}
        for s in inp.sectors:
            tables[s] = {k: v.loc[s] for k, v in parts.items()} | {"observed_t": obs.loc[s]}
    else:
        tables = {ALL: {k: v.sum(axis=0) for k, v in parts.items()} | {
            "observed_t": observed_emissions(inp, act).loc[TOTAL]}}
    frames = []
    for s, cols in tables.items():
        f = pd.DataFrame(cols)
        f.index.name = "year"
        f = f.reset_index()
        f.insert(1, "sector", s)
        frames.append(f)
    out = pd.concat(frames, ignore_index=True)
    out["gap_t"] = out["observed_t"] - out["planned_t"]
    out["from_baseline_t"] = out["baseline_drift_t"]
    out["from_deployment_t"] = -out["deployment_t"]
    out["from_performance_t"] = -out["performance_t"]
    out["year"] = out["year"].astype(int)
    cols = ["year", "sector", "observed_t", "planned_t", "gap_t", "baseline_drift_t",
            "deployment_t", "performance_t", "from_baseline_t", "from_deployment_t",
            "from_performance_t"]
    return out[cols].sort_values("year", kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------- money --------------------

def npv_of_years(res: Result, years: list[int]) -> float:
    """NPV (start-year CNY) of the plan's costs paid in `years`: Σ_t df(t)·Σ_p annual cost[p,t]
    (capital as annuities by operating year, plus O&M − savings). Over every year of the
    horizon this is the objective; the one place to change with the time base."""
    dep = res.deployment
    cost = dep[dep["year"].isin(years)].groupby("year")["annual_cost_cny"].sum()
    w = pd.Series(res.inputs.weights, index=res.inputs.years)
    return float((cost * w.reindex(cost.index)).sum())


def discounted_tonnes(inp: ModelInputs, emissions: pd.Series) -> float:
    """D = Σ_t e[t]·w(t), tCO2, on the same time base as :func:`npv_of_years`."""
    return float((emissions.reindex(inp.years).to_numpy(float) * inp.weights).sum())


def marginal_cost(inp: ModelInputs) -> dict[str, float | None]:
    """Marginal cost of the target, CNY per discounted tonne: {tighten, loosen} — the shared
    headline computation (:func:`planner.analysis.economics.marginal_cost`)."""
    pm = PlanningModel(inp, pyomo=False)
    sol = pm.solve()
    if sol.status != "optimal":
        return {"tighten": None, "loosen": None}
    mc = shared_marginal_cost(pm, sol)
    return {"tighten": mc.tighten, "loosen": mc.loosen}


def _rate_excess(share: float) -> str:
    if share <= EXCESS_ON_TRACK:
        return ON_TRACK
    return AT_RISK if share <= EXCESS_AT_RISK else OFF_TRACK




def project_progress(plan: Result, act: Actuals) -> pd.DataFrame:
    """Per project up to as-of: planned_units, built_units (cumulative), built_share,
    slip_years (how many years behind the plan's cumulative schedule), rating."""
    inp = plan.inputs
    years = past_years(inp, act)
    b_obs = observed_builds(inp, act).to_numpy()
    b_plan = (plan.deployment.pivot(index="project", columns="year", values="build_units")
              .reindex(index=inp.projects.index, columns=years).to_numpy())
    cum_plan = np.cumsum(b_plan, axis=1)
    planned = cum_plan[:, -1]
    built = b_obs.sum(axis=1)
    tol = 1e-9 * inp.projects["max_units"].to_numpy()
    # the last year whose planned cumulative units the actual units reach
    reached = cum_plan <= built[:, None] + tol[:, None]
    last_ok = np.where(reached.any(axis=1),
                       len(years) - 1 - np.argmax(reached[:, ::-1], axis=1), -1)
    slip = np.where(built + tol >= planned, 0, len(years) - 1 - last_ok)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(planned > tol, built / np.where(planned > tol, planned, 1.0), np.nan)
    rating = np.where(np.isnan(share) | (share >= BUILT_ON_TRACK), ON_TRACK,
                      np.where(share >= BUILT_AT_RISK, AT_RISK, OFF_TRACK))
    return pd.DataFrame({"project": inp.projects.index, "name": inp.projects["name"].to_numpy(),
                         "unit": inp.projects["unit"].to_numpy(), "planned_units": planned,
                         "built_units": built, "built_share": share, "slip_years": slip,
                         "rating": rating})


def indicator_ratings(plan: Result, act: Actuals, gap: pd.DataFrame) -> pd.DataFrame:
    """One row per outcome indicator in the as-of (last observed) year: indicator, year,
    observed, reference, reference_kind (plan / cap / target), difference, rating."""
    inp = plan.inputs
    y = act.years[-1]
    tot = gap[gap["sector"] == ALL].set_index("year")
    obs, pl = float(tot.at[y, "observed_t"]), float(tot.at[y, "planned_t"])
    rows = [{"indicator": "emissions_vs_plan", "year": y, "observed": obs, "reference": pl,
             "reference_kind": "plan", "difference": obs - pl,
             "rating": _rate_excess((obs - pl) / abs(pl) if pl else math.inf)}]
    cap = plan.emissions.set_index("year")["cap_t"]  # the effective bound the plan met
    c = float(cap.get(y, math.nan))
    if math.isfinite(c):
        head = c - obs
        rows.append({"indicator": "headroom_to_cap", "year": y, "observed": obs,
                     "reference": c, "reference_kind": "cap", "difference": head,
                     "rating": ON_TRACK if head >= HEADROOM_ON_TRACK * abs(c) else
                     AT_RISK if head >= 0 else OFF_TRACK})
    ind = act.indicators
    plan_ind = inp.indicators
    if ind is not None and plan_ind is not None:
        o = ind.set_index("year")
        gdp, pop = o["gdp_cny"].get(y, math.nan), o["population"].get(y, math.nan)
        if math.isfinite(gdp):
            ref = pl / float(plan_ind.at[y, "gdp_cny"])
            val = obs / gdp
            rows.append({"indicator": "co2_per_gdp", "year": y, "observed": val,
                         "reference": ref, "reference_kind": "plan", "difference": val - ref,
                         "rating": _rate_excess((val - ref) / abs(ref))})
        if math.isfinite(pop):
            target = inp.scenario.target.per_capita_t.get(y)
            ref = (float(target) if target is not None
                   else pl / float(plan_ind.at[y, "population"]))
            val = obs / pop
            rows.append({"indicator": "co2_per_capita", "year": y, "observed": val,
                         "reference": ref,
                         "reference_kind": "target" if target is not None else "plan",
                         "difference": val - ref, "rating": _rate_excess((val - ref) / abs(ref))})
        dec = decoupling(plan, act, gap)
        if dec is not None:
            rows.append(dec)
    return pd.DataFrame(rows, columns=["indicator", "year", "observed", "reference",
                                       "reference_kind", "difference", "rating"])


def decoupling(plan: Result, act: Actuals, gap: pd.DataFrame) -> dict | None:
    """Decoupling index %ΔCO2 / %ΔGDP from the first to the last observed year with GDP,
    observed against the plan's over the same years (None with fewer than two such years)."""
    inp = plan.inputs
    if act.indicators is None or inp.indicators is None:
        return None
    g = act.indicators.dropna(subset=["gdp_cny"]).set_index("year")["gdp_cny"]
    g = g[g.index.isin(act.years)]
    if len(g) < 2:
        return None
    y0, y1 = int(g.index[0]), int(g.index[-1])
    tot = gap[gap["sector"] == ALL].set_index("year")

    def index(e0: float, e1: float, g0: float, g1: float) -> float:
        dg = g1 / g0 - 1.0
        return (e1 / e0 - 1.0) / dg if dg != 0 else math.nan

    obs = index(tot.at[y0, "observed_t"], tot.at[y1, "observed_t"], g[y0], g[y1])
    gp = inp.indicators["gdp_cny"]
    ref = index(tot.at[y0, "planned_t"], tot.at[y1, "planned_t"], float(gp[y0]), float(gp[y1]))
    diff = obs - ref
    rating = (ON_TRACK if diff <= DECOUPLING_ON_TRACK else
              AT_RISK if diff <= DECOUPLING_AT_RISK else OFF_TRACK)
    return {"indicator": "decoupling", "year": y1, "observed": obs, "reference": ref,
            "reference_kind": "plan", "difference": diff, "rating": rating}


def future_path(plan: Result, replan: Result, as_of: int) -> pd.DataFrame:
    """Years after as-of: bau, abatement and emissions of the plan and the re-plan, the cap,
    and extra_abatement_t = re-planned − planned abatement (the extra effort needed)."""
    p = plan.emissions.set_index("year")
    out = pd.DataFrame({"bau_plan_t": p["bau_t"], "abatement_plan_t": p["abatement_t"],
                        "emissions_plan_t": p["emissions_t"], "cap_t": p["cap_t"]})
    if replan.optimal:
        r = replan.emissions.set_index("year")
        out["bau_replan_t"] = r["bau_t"]
        out["abatement_replan_t"] = r["abatement_t"]
        out["emissions_replan_t"] = r["emissions_t"]
        out["extra_abatement_t"] = r["abatement_t"] - p["abatement_t"]
    else:
        bau = replan.inputs.bau_scope
        out["bau_replan_t"] = bau.reindex(out.index)
        for c in ("abatement_replan_t", "emissions_replan_t", "extra_abatement_t"):
            out[c] = np.nan
    out.index.name = "year"
    return out[out.index > as_of].reset_index()


@dataclass
class Tracking:
    """Everything `planner track` reports.

    gap: :func:`gap_decomposition`; indicators: :func:`indicator_ratings`;
    projects: :func:`project_progress`; future: :func:`future_path`;
    headlines: cost of delay, marginal costs, feasibility facts (a dict)
    """

    actuals: Actuals
    plan: Result
    replan: Result
    rebase: str
    gap: pd.DataFrame
    indicators: pd.DataFrame
    projects: pd.DataFrame
    future: pd.DataFrame
    headlines: dict = field(default_factory=dict)

    @property
    def feasible(self) -> bool:
        """True when the re-plan from the actuals found an optimum."""
        return self.replan.optimal

    @property
    def overall(self) -> str:
        """The worst rating of any indicator, project or the re-plan's feasibility."""
        ratings = [*self.indicators["rating"], *self.projects["rating"]]
        if not self.feasible:
            return OFF_TRACK
        for r in (OFF_TRACK, AT_RISK):
            if r in ratings:
                return r
        return ON_TRACK


def infeasible_facts(replan: Result) -> dict:
    """When the re-plan is infeasible, given the fixed past: the earliest feasible peak year
    (at the target's cap where there is one), the lowest feasible peak by the target's peak
    year, and lowest_feasible_cap_t, the lowest peak level reachable by the earliest feasible
    peak year (or by the target's peak year when that is still reachable at a higher cap)
    (from the re-plan's diagnosis and :func:`lowest_peaks`)."""
    inp = replan.inputs
    diag = replan.diagnosis
    facts = dict(diag.facts) if diag is not None else {}
    t = inp.scenario.target
    if "earliest_feasible_peak_year_at_cap" not in facts and t.peak_year is not None:
        later = [y for y in inp.years if y > t.peak_year]
        lows = lowest_peaks(inp, later) if later else {}
        facts["earliest_feasible_peak_year"] = next(
            (y for y in later if not math.isnan(lows[y])), None)
    else:
        facts["earliest_feasible_peak_year"] = facts.get("earliest_feasible_peak_year_at_cap")
    if "lowest_feasible_peak_t" not in facts:
        low = lowest_peaks(inp, [t.peak_year])[t.peak_year]
        facts["lowest_feasible_peak_t"] = None if math.isnan(low) else low
    # the lowest cap that can still be held from the earliest feasible peak year on
    y = facts["earliest_feasible_peak_year"]
    if y is None and facts.get("lowest_feasible_peak_t") is not None:
        facts["lowest_feasible_cap_t"] = facts["lowest_feasible_peak_t"]
        facts["lowest_feasible_cap_peak_year"] = t.peak_year
    elif y is not None:
        low = lowest_peaks(inp, [y])[y]
        facts["lowest_feasible_cap_t"] = None if math.isnan(low) else low
        facts["lowest_feasible_cap_peak_year"] = y
    return facts


def assess(plan: Result, replan: Result, act: Actuals, rebase: str,
           marginal: bool = True) -> Tracking:
    """Compare the actuals with the plan and the re-plan (both solved by the caller)."""
    inp = plan.inputs
    gap = gap_decomposition(plan, act)
    future_years = [y for y in inp.years if y > act.as_of]
    head: dict = {"as_of": act.as_of, "observed_years": act.years, "rebase": rebase,
                  "replan_status": replan.status,
                  "plan_npv_remaining_cny": npv_of_years(plan, future_years),
                  "plan_objective_cny": plan.objective_cny}
    last = gap[(gap["sector"] == ALL) & (gap["year"] == act.years[-1])].iloc[0]
    head |= {"gap_t": float(last["gap_t"]), "from_baseline_t": float(last["from_baseline_t"]),
             "from_deployment_t": float(last["from_deployment_t"]),
             "from_performance_t": float(last["from_performance_t"])}
    if marginal:
        head["marginal_cost_plan_cny_per_t"] = marginal_cost(inp)
    if replan.optimal:
        rem = npv_of_years(replan, future_years)
        head |= {"replan_npv_remaining_cny": rem,
                 "cost_of_delay_cny": rem - head["plan_npv_remaining_cny"],
                 "replan_objective_cny": replan.objective_cny}
        if marginal:
            head["marginal_cost_replan_cny_per_t"] = marginal_cost(replan.inputs)
    else:
        head |= infeasible_facts(replan)
        if replan.diagnosis is not None:
            head["diagnosis"] = replan.diagnosis.message
    future = future_path(plan, replan, act.as_of)
    if replan.optimal:
        head["extra_abatement_total_t"] = float(future["extra_abatement_t"].sum())
    tr = Tracking(actuals=act, plan=plan, replan=replan, rebase=rebase, gap=gap,
                  indicators=indicator_ratings(plan, act, gap),
                  projects=project_progress(plan, act), future=future, headlines=head)
    head["overall_rating"] = tr.overall
    return tr
