"""Lumpy projects: fixing the integer choices of a mixed-integer plan.

A MIP has no duals. As GenX does, prices, the marginal cost of the target and the ranking come
from the LP with the integer choices fixed at the MIP's values and integrality removed:
integer builds go into ``ModelInputs.fixed_build``, all_or_nothing choices into
``ModelInputs.fixed_choice``. The fixed model has the same rows and columns as the MIP (the
choices are fixed by bounds), so solution vectors are interchangeable, and it keeps the MIP's
own no-target plan, so the target levels (e.g. the peak level L) are the MIP's.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from planner.model.highs import Solution
from planner.model.inputs import ModelInputs
from planner.model.persistent import PlanningModel


def fixed_choice_inputs(pm: PlanningModel, sol: Solution) -> ModelInputs:
    """`pm.inp` with every integer choice of `sol` fixed (integer builds in whole units,
    all_or_nothing choices 0/1); continuous decisions stay free."""
    inp = pm.inp
    whole = inp.lumpy == "integer"
    fixed_build = inp.fixed_build
    if whole.any():
        build = np.round(pm.array(sol, "build"))
        base = (inp.fixed_build.reindex(index=inp.projects.index, columns=inp.years)
                .to_numpy(float) if inp.fixed_build is not None
                else np.full(build.shape, np.nan))
        base[whole] = np.where(np.isnan(base[whole]), build[whole], base[whole])
        fixed_build = pd.DataFrame(base, index=inp.projects.index, columns=inp.years)
    fixed_choice = inp.fixed_choice
    if len(inp.all_or_nothing):
        fixed_choice = pd.Series(np.round(sol.x[pm.layout.cols("choose")]),
                                 index=inp.projects.index[inp.all_or_nothing], dtype=float)
    return replace(inp, fixed_build=fixed_build, fixed_choice=fixed_choice)


def fixed_integer_model(pm: PlanningModel, sol: Solution, *,
                        pyomo: bool = False) -> PlanningModel:
    """The LP of `pm` with the integer choices of `sol` fixed, under `pm`'s current target and
    with `pm`'s no-target plan."""
    fixed = PlanningModel(fixed_choice_inputs(pm, sol), pm.session.objective, target=pm.target,
                          pyomo=pyomo, no_target=pm.no_target)
    if pm.level_scale != 1.0:
        fixed.set_target(pm.target, pm.level_scale)
    return fixed


def chosen(inp: ModelInputs, x: np.ndarray, pm: PlanningModel) -> pd.Series:
    """The 0/1 choice of every all_or_nothing project in solution vector `x`."""
    return pd.Series(np.round(x[pm.layout.cols("choose")]),
                     index=inp.projects.index[inp.all_or_nothing], dtype=float)


__all__ = ["chosen", "fixed_choice_inputs", "fixed_integer_model"]
