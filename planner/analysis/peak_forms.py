"""What the strict peak form holds back: a strict-form plan against the level-form plan of the
same scenario.

The strict form (no rise after the peak year, never above the no-target plan) can only hold
emissions at or below what the level form allows; its premium (``ratchet_premium_cny``) buys
the tonnes it holds back. Both plans are solved elsewhere (planner.api); this module compares
them. Tonnes in t, money in CNY at the start of the start year, discounted tonnes weighted
like operating flows (w(t) = df(t)/(1+r)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.results import Result

#: a year counts as held back when the strict plan emits this share of a tonne less (relative)
HELD_TOL = 1e-6


@dataclass
class HeldBack:
    """by_year: year, strict_t, level_t, held_back_t (level − strict, t; > 0 where the strict
    form holds emissions back); years: the years held back; total_t: Σ of the positive
    differences (t); discounted_t: Σ_t w(t)·(level − strict) (t); premium_cny: strict NPV −
    level NPV (CNY); premium_cny_per_t: premium / discounted tonnes (None when nothing is held
    back); projects: project, strict_units, level_units, change_units (target-year stock, the
    largest changes first, non-zero only)."""

    by_year: pd.DataFrame
    years: list[int]
    total_t: float
    discounted_t: float
    premium_cny: float
    premium_cny_per_t: float | None
    projects: pd.DataFrame


def held_back(strict: Result, level: Result) -> HeldBack:
    """Compare the optimal strict-form plan `strict` with the level-form plan `level` of the
    same scenario (both optimal)."""
    if not (strict.optimal and level.optimal):
        raise ValueError("both plans must be optimal")
    es = strict.emissions.set_index("year")["emissions_t"]
    el = level.emissions.set_index("year")["emissions_t"].reindex(es.index)
    diff = (el - es).to_numpy(float)
    scale = max(1.0, float(np.abs(es.to_numpy(float)).max()))
    diff = np.where(np.abs(diff) <= HELD_TOL * scale, 0.0, diff)
    years = [int(y) for y in es.index]
    inp = strict.inputs
    w = pd.Series(inp.weights, index=inp.years).reindex(years).to_numpy(float)
    disc = float(diff @ w)
    premium = float(strict.objective_cny - level.objective_cny)
    ty = strict.target_year()

    def stock(res: Result) -> pd.Series:
        d = res.deployment
        return d[d["year"] == ty].set_index("project")["stock_units"]

    ss, sl = stock(strict), stock(level).reindex(stock(strict).index).fillna(0.0)
    change = ss - sl
    U = inp.projects["max_units"].reindex(change.index).to_numpy(float)
    keep = np.abs(change.to_numpy(float)) > HELD_TOL * np.maximum(U, 1.0)
    projects = pd.DataFrame({"project": change.index[keep], "strict_units": ss[keep].to_numpy(),
                             "level_units": sl[keep].to_numpy(),
                             "change_units": change[keep].to_numpy()})
    projects = projects.reindex(projects["change_units"].abs()
                                .sort_values(ascending=False, kind="stable").index)
    return HeldBack(
        by_year=pd.DataFrame({"year": years, "strict_t": es.to_numpy(float),
                              "level_t": el.to_numpy(float), "held_back_t": diff}),
        years=[y for y, d in zip(years, diff, strict=True) if d > 0],
        total_t=float(diff[diff > 0].sum()),
        discounted_t=disc,
        premium_cny=premium,
        premium_cny_per_t=(premium / disc if disc > HELD_TOL * scale
                           and math.isfinite(premium) else None),
        projects=projects.reset_index(drop=True),
    )


__all__ = ["HeldBack", "held_back"]
