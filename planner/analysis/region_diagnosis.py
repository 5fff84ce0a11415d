"""Why a region scenario is out of reach: the joint model's elastic form.

As for one city (:mod:`planner.analysis.diagnosis`): phase 1 minimises the total shortfall
(tCO2) of every target row — each city's own target rows (``shortfall``) and the joint and
obligation rows (``joint_shortfall``); phase 2 minimises cost with the shortfalls held at
their minimum. Each city's shortfall is read with its own single-city row names
(:func:`planner.analysis.shortfall.shortfall_of` on its slice of the solution) plus its
obligation rows; the joint rows are reported apart. The phase-2 plan says which project
limits bind in each city in the short years (:mod:`planner.analysis.limits`); the words are
the narrator's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.analysis.limits import project_limits
from planner.analysis.narrator import limit_text, region_diagnosis_text
from planner.analysis.shortfall import (
    ROW_COLUMNS,
    SHORT_TOL,
    RegionDiagnosis,
    Shortfall,
    from_rows,
    shortfall_of,
)
from planner.model.regional import JOINT_ROWS, OBLIGATION_ROWS, RegionalModel

LIMIT_COLUMNS = ["region", "year", "project", "name", "kind", "value", "unit", "since",
                 "group", "limit"]


def _joint_rows(rm: RegionalModel, x: np.ndarray) -> tuple[pd.DataFrame, dict[str, list]]:
    """(the joint rows short, per region its obligation rows short) from `x`."""
    E = float(np.abs(rm.rin.bau_scope.sum(axis=0)).max()) or 1.0
    values = x[rm.layout.cols("joint_shortfall")]
    joint, cities = [], {r: [] for r in rm.names}
    k = 0
    for name in (*JOINT_ROWS, *OBLIGATION_ROWS):
        for idx in rm.layout.rows[name].index:
            v = float(values[k])
            k += 1
            if v <= SHORT_TOL * E:
                continue
            if name == "regional_obligation":
                r, year = idx
                cities[r].append({"constraint": name, "index": str(year), "year": int(year),
                                  "shortfall_t": v})
            elif name == "regional_budget_obligation":
                cities[idx].append({"constraint": name, "index": "total", "year": None,
                                    "shortfall_t": v})
            else:
                joint.append({"constraint": name, "index": str(idx),
                              "year": None if name == "joint_carbon_budget" else int(idx),
                              "shortfall_t": v})
    return pd.DataFrame(joint, columns=ROW_COLUMNS), cities


def diagnose_regions(rm: RegionalModel) -> RegionDiagnosis:
    """Run the elastic form of `rm` under its current bounds (the infeasible run's) and
    explain the shortfall. The model is left as found (shortfalls fixed at zero, obj_cost)."""
    ses = rm.session
    cols = np.concatenate([np.arange(rm.layout.cols(n).start, rm.layout.cols(n).stop)
                           for n in ("shortfall", "joint_shortfall")])
    rm.set_elastic(True)
    try:
        ses.set_objective("obj_shortfall")
        s1 = rm.solve(check=False)
        ses.set_objective("obj_cost")
        sol = s1
        if s1.status == "optimal":  # phase 2: least cost at the least shortfall
            ses.set_col_bounds(cols, np.zeros(len(cols)), np.maximum(s1.x[cols], 0.0))
            s2 = rm.solve(check=False)
            sol = s2 if s2.status == "optimal" else s1
    finally:
        rm.set_elastic(False)
        ses.set_objective("obj_cost")
    if sol.status != "optimal":
        empty = from_rows(pd.DataFrame(columns=ROW_COLUMNS))
        rd = RegionDiagnosis(empty, {r: empty for r in rm.names},
                             pd.DataFrame(columns=LIMIT_COLUMNS), float("nan"))
        rd.message = region_diagnosis_text(rm.rin.scenario, rd, "en")
        return rd
    joint_rows, obligation_rows = _joint_rows(rm, sol.x)
    joint = from_rows(joint_rows)
    cities: dict[str, Shortfall] = {}
    for r in rm.names:
        own = shortfall_of(rm.city_view(r), sol.x[rm.col_map[r]]).rows
        extra = pd.DataFrame(obligation_rows[r], columns=ROW_COLUMNS)
        cities[r] = from_rows(pd.concat([f for f in (extra, own) if len(f)]
                                        or [extra], ignore_index=True))
    rd = RegionDiagnosis(joint, cities, pd.DataFrame(columns=LIMIT_COLUMNS), s1.objective)
    years = rd.years
    frames = []
    for r in rm.names:
        inp = rm.rin.cities[r]
        build = sol.x[rm.region_cols(r, "build")].reshape(len(inp.projects), len(inp.years))
        stock = sol.x[rm.region_cols(r, "stock")].reshape(build.shape)
        budget_years: set[int] = set()
        cap = inp.scenario.budget.max_investment_cny_per_year
        if cap is not None:
            spend = (build * inp.capex.to_numpy(float)).sum(axis=0)
            budget_years = {y for y, v in zip(inp.years, spend, strict=True)
                            if v >= cap * (1 - 1e-6)}
        lim = project_limits(inp, build, stock, years, budget_years)
        if len(lim):
            lim["limit"] = [limit_text(row, "en") for row in lim.itertuples(index=False)]
            frames.append(lim.assign(region=r))
    if frames:
        rd.limits = pd.concat(frames, ignore_index=True).reindex(columns=LIMIT_COLUMNS)
    rd.message = region_diagnosis_text(rm.rin.scenario, rd, "en")
    return rd


__all__ = ["LIMIT_COLUMNS", "diagnose_regions"]
