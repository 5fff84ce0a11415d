"""What the strict peak form holds back: a strict-form plan against the level-form plan of the
same scenario.

The strict form (no rise after the peak year, no year above the no-target plan) ties every
year after the peak to the peak year's own emissions, so a plan gains by keeping those high:
it holds back abatement up to the peak year (the ratchet). Its premium
(``ratchet_premium_cny``) is what that costs. Both plans are solved elsewhere (planner.api);
this module compares them. Tonnes in t, money in CNY at the start of the start year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.results import Result

#: a year counts as held back when the strict plan emits this share of a tonne less (relative)
HELD_TOL = 1e-6


@dataclass
class HeldBack:
    """by_year: year, strict_t, level_t, held_back_t (strict − level, t; > 0 where the strict
    form holds abatement back, i.e. emits more); years: those years; total_t: Σ of the
    positive differences (t); lower_years / lower_t: the years where the strict form emits less
    and by how much in total (t); premium_cny: strict NPV − level NPV (CNY); projects: project,
    strict_units, level_units, held_back_units (level − strict target-year stock, > 0 only,
    largest first)."""

    by_year: pd.DataFrame
    years: list[int]
    total_t: float
    lower_years: list[int]
    lower_t: float
    premium_cny: float
    projects: pd.DataFrame


def held_back(strict: Result, level: Result) -> HeldBack:
    """Compare the optimal strict-form plan `strict` with the level-form plan `level` of the
    same scenario (both optimal)."""
    if not (strict.optimal and level.optimal):
        raise ValueError("both plans must be optimal")
    es = strict.emissions.set_index("year")["emissions_t"]
    el = level.emissions.set_index("year")["emissions_t"].reindex(es.index)
    diff = (es - el).to_numpy(float)
    scale = max(1.0, float(np.abs(es.to_numpy(float)).max()))
    diff = np.where(np.abs(diff) <= HELD_TOL * scale, 0.0, diff)
    years = [int(y) for y in es.index]
    ty = strict.target_year()

    def stock(res: Result) -> pd.Series:
        d = res.deployment
        return d[d["year"] == ty].set_index("project")["stock_units"]

    ss = stock(strict)
    sl = stock(level).reindex(ss.index).fillna(0.0)
    held = sl - ss
    U = strict.inputs.projects["max_units"].reindex(held.index).to_numpy(float)
    keep = held.to_numpy(float) > HELD_TOL * np.maximum(U, 1.0)
    projects = pd.DataFrame({"project": held.index[keep], "strict_units": ss[keep].to_numpy(),
                             "level_units": sl[keep].to_numpy(),
                             "held_back_units": held[keep].to_numpy()})
    projects = projects.sort_values("held_back_units", ascending=False, kind="stable")
    return HeldBack(
        by_year=pd.DataFrame({"year": years, "strict_t": es.to_numpy(float),
                              "level_t": el.to_numpy(float), "held_back_t": diff}),
        years=[y for y, d in zip(years, diff, strict=True) if d > 0],
        total_t=float(diff[diff > 0].sum()),
        lower_years=[y for y, d in zip(years, diff, strict=True) if d < 0],
        lower_t=float(-diff[diff < 0].sum()),
        premium_cny=float(strict.objective_cny - level.objective_cny),
        projects=projects.reset_index(drop=True),
    )


__all__ = ["HeldBack", "held_back"]
