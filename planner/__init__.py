"""planner: least-cost carbon-peak pathways for cities (Pyomo + HiGHS).

    scenario = planner.load_scenario("scenarios/zhuzhou_peak2025.yaml")
    result = planner.solve(scenario)
    result.emissions, result.deployment, result.carbon_price, result.summary

The public names are imported on first use (PEP 562), so that ``import planner`` — and the
command line's ``--help`` — does not pay for pandas, Pyomo and HiGHS until they are needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from planner.errors import InputError, PlannerError, SolverError
from planner.version import __version__

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from planner.api import compare, solve
    from planner.model.inputs import bind
    from planner.results import Result
    from planner.scenario import Scenario, load_scenario

#: public name -> module that defines it (imported on first access)
_LAZY = {
    "bind": "planner.model.inputs",
    "compare": "planner.api",
    "solve": "planner.api",
    "Result": "planner.results",
    "Scenario": "planner.scenario",
    "load_scenario": "planner.scenario",
}

__all__ = ["__version__", "InputError", "PlannerError", "Result", "Scenario", "SolverError", "bind",
           "compare", "load_scenario", "solve"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'planner' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
