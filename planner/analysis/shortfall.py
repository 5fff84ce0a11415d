"""The minimum shortfall of a target out of reach: the elastic form's phase 1.

Every target row has a shortfall column (tCO2), fixed at zero except in the elastic form. Rows
of one year (a cap row and a peak-level row, say) measure the same tonnes of that year, so the
shortfall is reported per year once: the largest of its rows. Rows without a year (the carbon
budget over the horizon) are reported apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.model.catalogue import TARGET_ROWS
from planner.model.highs import Solution
from planner.model.inputs import ModelInputs
from planner.model.persistent import PlanningModel

#: a row's shortfall below this share of the emission scale counts as met (4 t at 40 Mt)
SHORT_TOL = 1e-7

ROW_COLUMNS = ["constraint", "index", "year", "shortfall_t"]
YEAR_COLUMNS = ["year", "shortfall_t", "constraints"]


@dataclass
class Shortfall:
    """rows: constraint, index, year, shortfall_t (rows short by more than the tolerance);
    by_year: year, shortfall_t (the largest row of that year), constraints (the row families
    short that year, space-separated); horizon: the rows without a year; total_t: the yearly
    shortfalls summed, or a horizon-wide one when larger (they may count the same tonnes)."""

    rows: pd.DataFrame
    by_year: pd.DataFrame
    horizon: pd.DataFrame
    total_t: float

    @property
    def groups(self) -> list[str]:
        """The row families that fall short, in model order."""
        return list(dict.fromkeys(self.rows["constraint"]))

    @property
    def years(self) -> list[int]:
        """The years with a shortfall, in order."""
        return [int(y) for y in self.by_year["year"]]


def row_year(name: str, idx, inp: ModelInputs) -> int | None:
    """The year a target row measures (None for rows over the horizon)."""
    if name in ("emissions_cap", "cap_path", "per_capita_cap", "peak_level", "no_target_guard"):
        return int(idx)
    if name == "non_increasing_after_peak":
        return int(idx) + 1  # the later year is the one that rises
    if name == "sector_cap":
        return int(idx[1])
    if name == "intensity_target":
        return inp.scenario.target.intensity[int(idx)].year
    return None


def shortfall_of(pm: PlanningModel, x: np.ndarray) -> Shortfall:
    """The shortfall of a solution vector `x` of `pm`'s elastic form."""
    inp = pm.inp
    E = pm.emission_scale
    values = x[pm.layout.cols("shortfall")]
    recs = []
    k = 0
    for name in TARGET_ROWS:
        for idx in pm.layout.rows[name].index:
            v = float(values[k])
            k += 1
            if v > SHORT_TOL * E:
                recs.append({"constraint": name, "index": str(idx),
                             "year": row_year(name, idx, inp), "shortfall_t": v})
    return from_rows(pd.DataFrame(recs, columns=ROW_COLUMNS))


def from_rows(rows: pd.DataFrame) -> Shortfall:
    """A :class:`Shortfall` from its rows (constraint, index, year, shortfall_t; year NaN
    for rows over the horizon): per year the largest row, the horizon rows apart."""
    rows = rows.reset_index(drop=True)
    dated = rows.dropna(subset=["year"])
    if len(dated):
        g = dated.groupby(dated["year"].astype(int), sort=True)
        by_year = pd.DataFrame({
            "year": list(g.groups),
            "shortfall_t": g["shortfall_t"].max().to_numpy(),
            "constraints": g["constraint"].agg(lambda s: " ".join(dict.fromkeys(s))).to_numpy(),
        })
    else:
        by_year = pd.DataFrame(columns=YEAR_COLUMNS)
    horizon = rows[rows["year"].isna()].reset_index(drop=True)
    total = max([float(by_year["shortfall_t"].sum()),
                 *horizon["shortfall_t"].astype(float).tolist()])
    return Shortfall(rows, by_year, horizon, total)


def min_shortfall(pm: PlanningModel) -> tuple[Solution, Shortfall | None]:
    """Solve `pm`'s elastic form for the least total shortfall; the model is left as found
    (shortfall columns fixed at zero, its objective restored). Shortfall None when even the
    elastic form is infeasible (fixed builds that cannot be met)."""
    obj = pm.session.objective
    pm.set_elastic(True)
    try:
        pm.session.set_objective("obj_shortfall")
        sol = pm.solve()
    finally:
        pm.set_elastic(False)
        pm.session.set_objective(obj)
    if sol.status != "optimal":
        return sol, None
    return sol, shortfall_of(pm, sol.x)


RELIEF_COLUMNS = ["project", "name", "relief_t", "relief_min_t", "relief_max_t",
                  "lowers_shortfall", "limiting"]


@dataclass
class Diagnosis:
    """shortfall: constraint, index, year, shortfall_t (rows with a shortfall only)
    by_year: year, shortfall_t, constraints — the shortfall per year, counted once
    limits: year, project, name, kind, value, unit, since, group, limit — what holds each
        project in the phase-2 plan in each short year
    relief: project, name, relief_t (how much the minimum shortfall falls when the project's
        own limits are relaxed by RELAX_SHARE), lowers_shortfall, limiting (the relaxable
        limits that lower it on their own, space-separated; "together" when only all at once do)
    total_shortfall_t: the yearly shortfalls summed (or a horizon-wide one when larger)
    message: the diagnosis in English words (planner.analysis.narrator)
    """

    shortfall: pd.DataFrame
    limits: pd.DataFrame
    groups: list[str]
    total_shortfall_t: float
    message: str = ""
    facts: dict = field(default_factory=dict)
    by_year: pd.DataFrame = field(default_factory=pd.DataFrame)
    relief: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=RELIEF_COLUMNS))


@dataclass
class RegionDiagnosis:
    """Why a region scenario's run is infeasible, from the joint model's elastic form.

    joint: the shortfall of the joint target rows (on the sum of the cities' emissions);
    cities: per region, the shortfall of its obligation rows and its own target rows;
    limits: region, year, project, name, kind, value, unit, since, group — what holds each
        city's projects in the phase-2 plan in the short years (planner.analysis.limits);
    total_shortfall_t: the minimum total shortfall (phase 1), tCO2;
    message: the diagnosis in English words (planner.analysis.narrator)."""

    joint: Shortfall
    cities: dict[str, Shortfall]
    limits: pd.DataFrame
    total_shortfall_t: float
    message: str = ""

    @property
    def years(self) -> list[int]:
        """Every short year, joint or of a city."""
        ys = set(self.joint.years)
        for sh in self.cities.values():
            ys |= set(sh.years)
        return sorted(ys)

    @property
    def short_cities(self) -> list[str]:
        """The cities with some row short of its target."""
        return [r for r, sh in self.cities.items() if len(sh.rows)]

    def table(self) -> pd.DataFrame:
        """Every short row: region ('' for joint rows), constraint, index, year, shortfall_t."""
        frames = [self.joint.rows.assign(region="")] + [
            sh.rows.assign(region=r) for r, sh in self.cities.items()]
        df = pd.concat([f for f in frames if len(f)] or [pd.DataFrame(columns=ROW_COLUMNS)],
                       ignore_index=True)
        return df.reindex(columns=["region", *ROW_COLUMNS])
