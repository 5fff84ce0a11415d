"""The public facade: `planner.solve` and friends, returning objects the CLI writes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from planner.analysis.compare import Entry
from planner.analysis.compare import compare as compare_entries
from planner.analysis.diagnosis import diagnose
from planner.analysis.economics import achieved_peak_year, headlines
from planner.analysis.frontier import frontier as frontier_table
from planner.analysis.ranking import Ranking, ranking
from planner.analysis.recommendations import Recommendations, recommendations
from planner.analysis.sweep import project_entry
from planner.analysis.sweep import sweep as sweep_table
from planner.errors import EXIT_INFEASIBLE, EXIT_NUMERICAL, PlannerError, SolverError
from planner.model.check import violations
from planner.model.formulation import needs_no_target_plan
from planner.model.highs import solver_version
from planner.model.inputs import ModelInputs, bind
from planner.model.lumpy import fixed_integer_model
from planner.model.persistent import PlanningModel
from planner.results import (
    Result,
    carbon_prices,
    cut_to_reported,
    dual_table,
    price_range,
    reduced_cost_table,
    tables,
)
from planner.scenario import Scenario, load_scenario


def solve(scenario: Scenario | ModelInputs, *, one_sided_prices: bool = True,
          explain_infeasible: bool = True, economics: bool = True) -> Result:
    """Solve a scenario. Returns a Result whose status is "optimal" or "infeasible".

    `economics`: also compute the headlines (the target's cost against the no-target plan, its
    marginal cost, the uniform carbon price). Without them the no-target plan is solved only
    when the target's bounds depend on it (peak forms, an intensity base of the no-target
    plan); otherwise `no_target_objective_cny` and emissions.no_target_t are NaN. Raises
    InputError for bad input and SolverError when HiGHS gives no trustworthy optimum. An
    optimal plan is re-checked against every constraint outside Pyomo before it is returned.
    """
    inp = scenario if isinstance(scenario, ModelInputs) else bind(scenario)
    # solves go straight to HiGHS from the formulation's blocks; the Pyomo model of the same
    # blocks is built on demand (PlanningModel.m), never on the solve path
    pm = PlanningModel(inp, pyomo=False)
    return result_of(pm, one_sided_prices=one_sided_prices,
                     explain_infeasible=explain_infeasible, economics=economics)


def result_of(pm: PlanningModel, *, one_sided_prices: bool = True,
              explain_infeasible: bool = True, economics: bool = True) -> Result:
    """Solve `pm` under its current target and package the outcome. With lumpy projects the
    plan is the MIP's; prices and headlines come from the LP with its choices fixed."""
    if pm.is_mip:
        return _mip_result(pm, one_sided_prices=one_sided_prices,
                           explain_infeasible=explain_infeasible, economics=economics)
    inp = pm.inp
    if pm.target is not inp.scenario.target:
        inp = replace(inp, scenario=inp.scenario.model_copy(update={"target": pm.target}))
    sol = pm.solve()
    res = Result(inputs=inp, status=sol.status, solve_seconds=sol.seconds,
                 solver=solver_version())
    for it in pm.target.intensity:
        if it.base == "plan":
            res.warnings.append(
                f"intensity target {it.base_year}→{it.year} uses base: plan — the base year's "
                "emissions are a decision, so the plan gains by emitting more in the base year")
    if sol.status != "optimal":
        if explain_infeasible:  # first: from the infeasible basis it takes fewer pivots
            res.diagnosis = diagnose(inp, pm)
        # then warm from the diagnosis' plan (bench/perf.py at 1,000 projects: 4.0–4.1 s in all,
        # against 6.3 s with the no-target plan first)
        res.no_target_objective_cny = pm.no_target.objective_cny
        return res
    res.objective_cny = sol.objective
    # while HiGHS still holds this plan's basis: its ranging decides which one-sided prices
    # need re-solves, and those start warm from it
    prices = carbon_prices(pm, sol, one_sided=one_sided_prices)
    res.duals = dual_table(pm, sol)
    res.reduced_costs = reduced_cost_table(pm, sol)
    # the no-target plan (solved once on pm, unless the target's levels already needed it);
    # without the headlines it is solved only when the target's bounds depend on it
    nt = (pm.no_target if economics or needs_no_target_plan(pm.target)
          else pm.no_target_if_solved)
    res.no_target_objective_cny = nt.objective_cny if nt is not None else math.nan
    full = tables(pm, sol, no_target=nt is not None)
    bad = violations(inp, full["deployment"], pm.target,
                     nt.emissions_t if nt is not None else None)
    if bad:
        raise SolverError("HiGHS reported an optimum that violates constraints when "
                          f"re-checked ({len(bad)}; first: {bad[0]}); no result is reported",
                          EXIT_NUMERICAL)
    if economics:
        res.headlines = headlines(pm, sol)
    reported = cut_to_reported(inp, {**full, "carbon_price": prices,
                                     "reduced_costs": res.reduced_costs})
    for name, df in reported.items():
        setattr(res, name, df)
    em = res.emissions
    res.headlines["achieved_peak_year"] = achieved_peak_year(em["year"].tolist(),
                                                             em["emissions_t"].to_numpy())
    return res


def _mip_result(pm: PlanningModel, *, one_sided_prices: bool, explain_infeasible: bool,
                economics: bool) -> Result:
    """The MIP's plan; prices, duals, reduced costs and headlines from the fixed-integer LP;
    the MIP's gap, LP relaxation and integrality gap in `Result.mip`."""
    inp = pm.inp
    sol = pm.solve()
    if sol.status == "infeasible":
        res = Result(inputs=inp, status="infeasible", solve_seconds=sol.seconds,
                     solver=solver_version())
        res.no_target_objective_cny = pm.no_target.objective_cny
        res.mip = {"mip_gap": None, "relaxation_objective_cny": pm.session.solve_relaxation(),
                   "integrality_gap": None}
        if explain_infeasible:
            res.diagnosis = diagnose(inp, pm)
        return res
    relaxation = pm.session.solve_relaxation()
    fixed = fixed_integer_model(pm, sol)
    res = result_of(fixed, one_sided_prices=one_sided_prices,
                    explain_infeasible=False, economics=economics)
    if not res.optimal:
        raise SolverError("the LP with the MIP's integer choices fixed is infeasible "
                          "(numerical trouble); no result is reported", EXIT_NUMERICAL)
    res.status = sol.status
    res.solve_seconds += sol.seconds
    res.unfixed_inputs = inp
    res.carbon_price["basis"] = "fixed_integer_lp"
    obj = sol.objective
    res.mip = {
        "mip_gap": sol.mip_gap,
        "mip_objective_cny": obj,
        "relaxation_objective_cny": relaxation,
        "integrality_gap": (obj - relaxation) / abs(obj) if obj else None,
        "lumpy_projects": int((inp.lumpy != "continuous").sum()),
        "prices_basis": "fixed_integer_lp",
    }
    if sol.status == "time_limit":
        res.warnings.append(
            f"the mixed-integer search stopped at its time limit "
            f"({inp.scenario.solver.time_limit_s:g} s): the plan is the best found, within "
            f"{100 * sol.mip_gap:.3g} % of the optimum (relative gap)")
    return res


def compare(paths) -> tuple:
    """Load and solve every scenario file of `paths` and compare them: (table, paths) as in
    planner.analysis.compare. A file that cannot be read or solved is kept with its reason
    (status "failed"); nothing is raised for it."""
    entries = []
    for p in map(Path, paths):
        try:
            sc = load_scenario(p)
        except PlannerError as exc:
            entries.append(Entry(str(p), p.stem, reason=str(exc)))
            continue
        try:
            entries.append(Entry(str(p), sc.name, _solve_for_compare(sc),
                                 is_bau=sc.target.is_bau))
        except PlannerError as exc:
            entries.append(Entry(str(p), sc.name, reason=str(exc), is_bau=sc.target.is_bau))
    return compare_entries(entries)


def _solve_for_compare(sc: Scenario) -> Result:
    """Solve `sc` with the one-sided prices of its target year only (cheap: one year). With
    lumpy projects the target year's price stays as solved, its one-sided values unknown."""
    pm = PlanningModel(bind(sc))
    res = result_of(pm, one_sided_prices=False)
    if not res.optimal or pm.is_mip:
        return res
    ty = res.target_year()
    cp = res.carbon_price
    row = cp.index[cp["year"] == ty]
    try:
        _, low, high, unique = price_range(pm, ty)
    except SolverError as exc:  # a side analysis fails soft: the plan stands
        res.warnings.append(f"one-sided prices in {ty} not computed: {exc}")
        return res
    cp.loc[row, ["price_low_cny_per_t", "price_high_cny_per_t"]] = low, high
    cp["dual_unique"] = cp["dual_unique"].astype(object)
    cp.loc[row, "dual_unique"] = unique
    return res


def track(scenario: Scenario | ModelInputs, actuals, *, as_of: int | None = None,
          rebase: str = "level", marginal: bool = True):
    """Track a scenario's plan against actuals (a folder, or planner.actuals.Actuals):
    solve the plan, re-plan the years after as-of with the past fixed, and assess the gap.
    `rebase`: 'level', 'ratio' or the path of a re-projected BAU CSV.
    Returns planner.analysis.tracking.Tracking."""
    from planner.actuals import Actuals, load_actuals, load_rebase
    from planner.analysis.tracking import REBASE_MODES, assess, replan_inputs

    inp = scenario if isinstance(scenario, ModelInputs) else bind(scenario)
    act = actuals if isinstance(actuals, Actuals) else load_actuals(
        Path(actuals), projects=list(inp.projects.index), sectors=inp.sectors,
        start=inp.start, end=inp.report_end, as_of=as_of)
    how = rebase if rebase in REBASE_MODES else load_rebase(
        rebase, sectors=inp.sectors, as_of=act.as_of, end=inp.report_end)
    plan = solve(inp)
    if not plan.optimal:
        raise SolverError("the original plan itself is infeasible; fix the scenario before "
                          "tracking it:\n" + (plan.diagnosis.message if plan.diagnosis else ""),
                          EXIT_INFEASIBLE)
    replan = solve(replan_inputs(inp, act, how))
    label = rebase if rebase in REBASE_MODES else f"file {rebase}"
    return assess(plan, replan, act, label, marginal=marginal)


# ---------------------------------------------------------------- several regions
def solve_regions(regions, *, coalitions: bool = True):
    """Solve a region scenario (a path, planner.regions.Regions or RegionalInputs): the joint
    least-cost plan, every allocation rule in autarky and with the scenario's transfers, and
    the coalition game. Returns planner.analysis.agglomeration.Agglomeration."""
    from pathlib import Path

    from planner.analysis.agglomeration import agglomeration
    from planner.model.regional import RegionalInputs, bind_regions
    from planner.regions import Regions, load_regions

    if isinstance(regions, str | Path):
        regions = load_regions(regions)
    rin = regions if isinstance(regions, RegionalInputs) else bind_regions(
        regions if isinstance(regions, Regions) else load_regions(regions))
    return agglomeration(rin, coalitions=coalitions)


# ---------------------------------------------------------------- uncertainty
def uncertainty(scenario: Scenario | ModelInputs, spec, samples: int = 1000, seed: int = 1, *,
                workers: int | None = None, scheduler: str | None = None,
                progress: bool = False):
    """Monte Carlo over the distributions of `spec` (a planner.uqspec.UQSpec or a path to
    uq.yaml); returns planner.analysis.uncertainty.montecarlo.MonteCarlo."""
    from planner.analysis.uncertainty.montecarlo import monte_carlo
    from planner.uqspec import UQSpec, load_spec

    inp = scenario if isinstance(scenario, ModelInputs) else bind(scenario)
    spec = spec if isinstance(spec, UQSpec) else load_spec(spec)
    return monte_carlo(inp, spec, samples, seed, workers=workers, scheduler=scheduler,
                       progress=progress)


def near_optimal(scenario: Scenario | ModelInputs, share: float | None = None,
                 cny: float | None = None):
    """Near-optimal ranges of every project (planner.analysis.uncertainty.near_optimal)."""
    from planner.analysis.uncertainty.near_optimal import near_optimal as mga

    inp = scenario if isinstance(scenario, ModelInputs) else bind(scenario)
    return mga(inp, share, cny)


# ---------------------------------------------------------------- the plan's side analyses
def _solved(subject: Result | Scenario | ModelInputs) -> Result:
    """An optimal Result: `subject` itself, or the solved scenario; an infeasible target is
    a SolverError (exit 3) carrying the diagnosis."""
    res = subject if isinstance(subject, Result) else solve(subject)
    if not res.optimal:
        raise SolverError("the target is infeasible, so there is no plan to analyse:\n"
                          + (res.diagnosis.message if res.diagnosis else ""), EXIT_INFEASIBLE)
    return res


def rank(subject: Result | Scenario | ModelInputs, private_discount_rate: float | None = None,
         *, curve: bool = True) -> Ranking:
    """The ranked project list beside the optimal plan (`table` is ranking.csv) and, with
    `curve`, the model-derived MAC curve (mac_model.csv). `subject`: a solved Result or a
    scenario to solve. Entry prices or the curve that cannot be computed are NaN/None with
    the reason in `Ranking.notes` (and the table's `entry_price_note`)."""
    return ranking(_solved(subject), private_discount_rate, with_curve=curve)


def recommend(subject: Result | Scenario | ModelInputs,
              private_discount_rate: float | None = None, *,
              ranking_table: pd.DataFrame | None = None) -> Recommendations:
    """Policy recommendations of the optimal plan (recommendations.csv is their table in
    words): which instrument each project and measure needs, and why. `ranking_table`: a
    rank() table at the same private rate, reused when given."""
    return recommendations(_solved(subject), private_discount_rate, ranking_table)


@dataclass
class SideAnalyses:
    """What `planner run` adds to the plan: the ranking and the recommendations (None when
    skipped or not computed) and notes — every side analysis that could not be computed,
    with the reason. The plan and every other output stand either way."""

    ranking: Ranking | None = None
    recommendations: Recommendations | None = None
    notes: list[str] = field(default_factory=list)


def side_analyses(res: Result, private_discount_rate: float | None = None, *,
                  with_ranking: bool = True) -> SideAnalyses:
    """The ranking and recommendations of an optimal `res`, failing soft: a PlannerError in
    either (e.g. a re-solve without a trustworthy optimum) becomes a note, not an error.
    Without `with_ranking` both are skipped (the recommendations need the ranking)."""
    out = SideAnalyses()
    if not res.optimal:
        return out
    out.notes += [n for n in res.carbon_price.get("price_note", pd.Series(dtype=object))
                  .drop_duplicates() if n]
    if not with_ranking:
        return out
    try:
        out.ranking = ranking(res, private_discount_rate)
        out.notes += out.ranking.notes
    except PlannerError as exc:
        out.notes.append(f"ranking not computed: {exc}")
        return out
    try:
        out.recommendations = recommendations(res, private_discount_rate, out.ranking.table)
    except PlannerError as exc:
        out.notes.append(f"recommendations not computed: {exc}")
    return out


# ---------------------------------------------------------------- stringency
@dataclass
class Sweep:
    """A stringency sweep: table (sweep.csv, one row per peak year × cap) and entry
    (project_entry.csv, the loosest cap at which each project is first used)."""

    table: pd.DataFrame
    entry: pd.DataFrame


def sweep(scenario: Scenario | ModelInputs, caps: Sequence[float | None] | None = None,
          peak_years: Sequence[int | None] | None = None, *, jobs: int = 1,
          progress: bool = False) -> Sweep:
    """Solve `scenario` over a grid of caps (tCO2) and peak years (default: the scenario's
    own); points that cannot be met or solved are rows with their reason."""
    inp = scenario if isinstance(scenario, ModelInputs) else bind(scenario)
    tg = inp.scenario.target
    caps = list(caps) if caps is not None else [tg.cap_t]
    peak_years = list(peak_years) if peak_years is not None else [tg.peak_year]
    table = sweep_table(inp, caps, peak_years, jobs=jobs, progress=progress)
    return Sweep(table, project_entry(table, inp))


def frontier(scenario: Scenario | ModelInputs,
             peak_years: Sequence[int] | None = None) -> pd.DataFrame:
    """frontier.csv: per candidate peak year (default every year of the horizon) the lowest
    achievable peak and the cost of going 90/95/100 % of the way there from the BAU peak."""
    inp = scenario if isinstance(scenario, ModelInputs) else bind(scenario)
    return frontier_table(inp, list(peak_years) if peak_years is not None
                          else list(inp.reported_years))
