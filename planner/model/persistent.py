"""A built, compiled, persistent planning model: the object that ranking, sweeps and
diagnosis re-solve under changed targets without rebuilding."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from planner.model.inputs import ModelInputs
from planner.model.formulation import Mode, build_model, target_rhs
from planner.scenario import Target
from planner.model.highs import HighsSession, Solution, compile_lp

#: target rows whose right-hand sides :meth:`PlanningModel.set_target` can change, with the
#: mutable parameter that holds each
RESOLVABLE = {
    "emissions_cap": "cap",
    "cap_path": "cap_path_rhs",
    "per_capita_cap": "per_capita_rhs",
    "non_increasing_after_peak": "peak_rhs",
    "carbon_budget": "carbon_budget_rhs",
}


class PlanningModel:
    """Pyomo model + compiled LP + persistent HiGHS session for one scenario's inputs."""

    def __init__(self, inp: ModelInputs, mode: Mode | None = None,
                 objective: str | None = None):
        mode = mode or Mode()
        self.inp = inp
        self.mode = mode
        self.m = build_model(inp, mode)
        self.lp = compile_lp(self.m)
        obj = objective or ("obj_peak" if mode.min_peak else "obj_cost")
        self.session = HighsSession(self.lp, obj, inp.scenario.solver.time_limit_s)
        self.target = inp.scenario.target

    # ---------------------------------------------------------------- changes
    def set_target(self, target: Target) -> None:
        """Re-bound the target rows for `target` (caps, cap path, per capita, peak, budget).
        Intensity and sector caps are part of the model's structure and must not change."""
        cur = self.target
        if (target.intensity != cur.intensity) or (target.sector_cap_t != cur.sector_cap_t):
            raise ValueError("intensity and sector caps cannot change on a built model")
        rhs = target_rhs(self.inp, target)
        changed = []
        for con_name, param_name in RESOLVABLE.items():
            param = self.m.component(param_name)
            con = self.m.component(con_name)
            for idx, v in rhs[con_name].items():
                key = idx if param.is_indexed() else None
                if pyo.value(param[key]) != v:
                    param[key] = v
                    changed.append(con[idx] if con.is_indexed() else con)
        self.session.refresh_rows(changed)
        self.target = target

    def shift_bau(self, year: int, delta_t: float) -> None:
        """Add `delta_t` tonnes to the BAU total of `year` (for one-sided marginal costs)."""
        self.m.bau_total[year] = pyo.value(self.m.bau_total[year]) + delta_t
        self.session.refresh_rows([self.m.emissions_balance[year]])

    def refresh(self, constraints: Iterable) -> None:
        self.session.refresh_rows(constraints)

    # ---------------------------------------------------------------- solve and read
    def solve(self) -> Solution:
        return self.session.solve()

    def _gather(self, name: str, vector: np.ndarray, where: dict) -> pd.Series:
        """Entries of a solution vector for every index of component `name` (0 if absent)."""
        comp = self.m.component(name)
        idx = list(comp.keys())
        vals = np.array([vector[where[id(comp[i])]] if id(comp[i]) in where else 0.0
                         for i in idx], dtype=float)
        return pd.Series(vals, index=_index(idx))

    def values(self, sol: Solution, var_name: str) -> pd.Series:
        """Solution values of an indexed variable, as a Series over its index."""
        return self._gather(var_name, sol.x, self.lp.col_of)

    def duals(self, sol: Solution, con_name: str) -> pd.Series:
        """Duals (∂objective/∂bound, start-year CNY per row unit) of an indexed constraint."""
        return self._gather(con_name, sol.row_dual, self.lp.row_of)

    def reduced_costs(self, sol: Solution, var_name: str) -> pd.Series:
        """Reduced costs (start-year CNY per unit of the variable)."""
        return self._gather(var_name, sol.col_dual, self.lp.col_of)


def _index(keys: list) -> pd.Index:
    if keys and isinstance(keys[0], tuple):
        return pd.MultiIndex.from_tuples(keys)
    return pd.Index(keys)
