"""The public facade: `planner.solve` and friends, returning objects the CLI writes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from planner.analysis.compare import Entry
from planner.analysis.compare import compare as compare_entries
from planner.analysis.diagnosis import diagnose
from planner.analysis.economics import achieved_peak_year, headlines
from planner.errors import EXIT_INFEASIBLE, EXIT_NUMERICAL, PlannerError, SolverError
from planner.model.check import violations
from planner.model.highs import solver_version
from planner.model.inputs import ModelInputs, bind
from planner.model.lumpy import fixed_integer_model
from planner.model.persistent import PlanningModel
from planner.results import (
    Result,
    carbon_prices,
    cut_to_reported,
    dual_table,
    reduced_cost_table,
    tables,
)
from planner.scenario import Scenario, load_scenario


def solve(scenario: Scenario | ModelInputs, *, one_sided_prices: bool = True,
          explain_infeasible: bool = True, economics: bool = True) -> Result:
    """Solve a scenario. Returns a Result whose status is "optimal" or "infeasible".

    `economics`: also compute the headlines (the target's cost against the no-target plan, its
    marginal cost, the uniform carbon price). Raises InputError for bad input and SolverError
    when HiGHS gives no trustworthy optimum. An optimal plan is re-checked against every
    constraint outside Pyomo before it is returned.
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
        res.no_target_objective_cny = pm.no_target.objective_cny
        if explain_infeasible:
            res.diagnosis = diagnose(inp, pm)
        return res
    res.objective_cny = sol.objective
    # while HiGHS still holds this plan's basis: its ranging decides which one-sided prices
    # need re-solves, and those start warm from it
    prices = carbon_prices(pm, sol, one_sided=one_sided_prices)
    res.duals = dual_table(pm, sol)
    res.reduced_costs = reduced_cost_table(pm, sol)
    # the no-target plan (solved once on pm, unless the target's levels already needed it)
    res.no_target_objective_cny = pm.no_target.objective_cny
    full = tables(pm, sol)
    bad = violations(inp, full["deployment"], pm.target, pm.no_target.emissions_t)
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
            entries.append(Entry(str(p), sc.name, solve(sc, one_sided_prices=False),
                                 is_bau=sc.target.is_bau))
        except PlannerError as exc:
            entries.append(Entry(str(p), sc.name, reason=str(exc), is_bau=sc.target.is_bau))
    return compare_entries(entries)


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
        start=inp.start, end=inp.end, as_of=as_of)
    how = rebase if rebase in REBASE_MODES else load_rebase(
        rebase, sectors=inp.sectors, as_of=act.as_of, end=inp.end)
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
