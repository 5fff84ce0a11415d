"""planner: least-cost carbon-peak pathways for cities (Pyomo + HiGHS).

    scenario = planner.load_scenario("scenarios/zhuzhou_peak2025.yaml")
    result = planner.solve(scenario)
    result.emissions, result.deployment, result.carbon_price, result.summary
"""

from planner.errors import InputError, PlannerError, SolverError
from planner.model.inputs import bind
from planner.api import solve
from planner.results import Result
from planner.scenario import Scenario, load_scenario

__all__ = ["InputError", "PlannerError", "Result", "Scenario", "SolverError", "bind",
           "load_scenario", "solve"]
__version__ = "0.1.0"
