"""planner: least-cost carbon-peak pathways for cities (Pyomo + HiGHS).

    scenario = planner.load_scenario("scenarios/zhuzhou_peak2025.yaml")
    result = planner.solve(scenario)
    result.emissions, result.deployment, result.carbon_price, result.summary
    planner.rank(result).table                 # ranking.csv
    planner.recommend(result)                  # recommendations
    planner.sweep(scenario, caps=[4.0e7, 3.9e7], peak_years=[2025, 2026]).table   # sweep.csv
    planner.frontier(scenario)                 # frontier.csv
    planner.compare(["a.yaml", "b.yaml"])      # (compare.csv, paths)
    planner.build_report(result, "zh")         # what report.html/.xlsx show
    planner.track(scenario, "actuals/"), planner.uncertainty(scenario, "uq.yaml"),
    planner.solve_regions("regions.yaml")

The public names are imported on first use (PEP 562), so that ``import planner`` — and the
command line's ``--help`` — does not pay for pandas, Pyomo and HiGHS until they are needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from planner.errors import InputError, PlannerError, SolverError
from planner.version import __version__

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from planner.api import (
        compare,
        frontier,
        near_optimal,
        rank,
        recommend,
        solve,
        solve_regions,
        sweep,
        track,
        uncertainty,
    )
    from planner.model.inputs import bind
    from planner.report.content import build as build_report
    from planner.results import Result
    from planner.scenario import Scenario, load_scenario

#: public name -> "module" or "module:attribute" that defines it (imported on first access)
_LAZY = {
    "bind": "planner.model.inputs",
    "compare": "planner.api",
    "frontier": "planner.api",
    "near_optimal": "planner.api",
    "rank": "planner.api",
    "recommend": "planner.api",
    "solve": "planner.api",
    "solve_regions": "planner.api",
    "sweep": "planner.api",
    "track": "planner.api",
    "uncertainty": "planner.api",
    # the report's content (charts and tables as data); `planner.report` is the package
    # that renders it, so the function has its own name
    "build_report": "planner.report.content:build",
    "Result": "planner.results",
    "Scenario": "planner.scenario",
    "load_scenario": "planner.scenario",
}

__all__ = ["__version__", "InputError", "PlannerError", "Result", "Scenario", "SolverError", "bind",
           "build_report", "compare", "frontier", "load_scenario", "near_optimal", "rank",
           "recommend", "solve", "solve_regions", "sweep", "track", "uncertainty"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'planner' has no attribute {name!r}")
    module, _, attr = module.partition(":")
    value = getattr(importlib.import_module(module), attr or name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
