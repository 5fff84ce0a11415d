"""`planner.solve`: the least-cost pathway of one scenario."""

from __future__ import annotations

from planner.analysis.diagnosis import diagnose
from planner.errors import EXIT_NUMERICAL, SolverError
from planner.model.inputs import ModelInputs, bind
from planner.model.persistent import PlanningModel
from planner.results import Result, carbon_prices, dual_table, reduced_cost_table, tables
from planner.scenario import Scenario
from planner.model.highs import solver_version


def solve(scenario: Scenario | ModelInputs, *, one_sided_prices: bool = True,
          explain_infeasible: bool = True) -> Result:
    """Solve a scenario. Returns a Result whose status is "optimal" or "infeasible".

    Raises InputError for bad input and SolverError when HiGHS gives no trustworthy optimum.
    An optimal plan is re-checked against every constraint outside Pyomo before it is returned.
    """
    inp = scenario if isinstance(scenario, ModelInputs) else bind(scenario)
    pm = PlanningModel(inp)
    return result_of(pm, one_sided_prices=one_sided_prices,
                     explain_infeasible=explain_infeasible)


def result_of(pm: PlanningModel, *, one_sided_prices: bool = True,
              explain_infeasible: bool = True) -> Result:
    """Solve `pm` under its current target and package the outcome."""
    from planner.model.check import violations

    inp = pm.inp
    if pm.target is not inp.scenario.target:
        inp = _with_target(inp, pm.target)
    sol = pm.solve()
    res = Result(inputs=inp, status=sol.status, solve_seconds=sol.seconds,
                 solver=solver_version())
    if sol.status != "optimal":
        if explain_infeasible:
            res.diagnosis = diagnose(inp, pm)
        return res
    res.objective_cny = sol.objective
    for name, df in tables(pm, sol).items():
        setattr(res, name, df)
    bad = violations(inp, res.deployment, pm.target)
    if bad:
        raise SolverError("HiGHS reported an optimum that violates constraints when "
                          f"re-checked ({len(bad)}; first: {bad[0]}); no result is reported",
                          EXIT_NUMERICAL)
    res.duals = dual_table(pm, sol)
    res.reduced_costs = reduced_cost_table(pm, sol)
    res.carbon_price = carbon_prices(pm, sol, one_sided=one_sided_prices)
    return res


def _with_target(inp: ModelInputs, target) -> ModelInputs:
    from dataclasses import replace

    return replace(inp, scenario=inp.scenario.model_copy(update={"target": target}))


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
