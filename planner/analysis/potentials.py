"""Abatement potentials for the ranked list: full, deliverable by the target year, and shared
within exclusive groups (each physical potential counted once).

Shared potentials: the members of an exclusive group replace the same base (e.g. two
conversions of the same coal boilers). With full potential A_p (t/yr in the target year) and
levelised annual cost C_p = LCOA_p·A_p, the bars are the lower convex hull of the points
(A_p, C_p) from the origin: the cheapest-per-tonne member is the base bar (width A, height
LCOA), each next hull member an incremental bar over the previous one, width ΔA and height
ΔC/ΔA. Members off the hull (never worth choosing over a mix of the others) get no width.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.model.inputs import ModelInputs


def full_potential(inp: ModelInputs, year: int) -> np.ndarray:
    """max_units·a[p, year], tCO2/yr per project."""
    return inp.projects["max_units"].to_numpy(float) * inp.abatement[year].to_numpy(float)


def deliverable_units(inp: ModelInputs, year: int) -> np.ndarray:
    """The most units of each project that can operate in `year`: min(max_units, R·n), n the
    build years u with max(earliest, start) ≤ u ≤ year and u > year − lifetime."""
    proj = inp.projects
    first = np.maximum(proj["earliest_year"].to_numpy(int), inp.start)
    first = np.maximum(first, year - proj["lifetime_years"].to_numpy(int) + 1)
    n = np.clip(year - first + 1, 0, None)
    return np.minimum(proj["max_units"].to_numpy(float),
                      proj["max_build_per_year"].to_numpy(float) * n)


def deliverable_potential(inp: ModelInputs, year: int) -> np.ndarray:
    """Abatement each project alone can deliver in `year` given its earliest year, roll-out
    limit and lifetime, tCO2/yr (exclusive groups and sector floors not applied)."""
    return deliverable_units(inp, year) * inp.abatement[year].to_numpy(float)


def shared_bars(inp: ModelInputs, lcoa: np.ndarray, year: int) -> pd.DataFrame:
    """MAC-curve bars with each physical potential once (index project id): group_role
    (alone | base | increment | dominated), incremental_over (project or ""), bar_width_t_per_year
    and bar_cost_cny_per_t (the incremental ΔC/ΔA for an increment, NaN when dominated)."""
    proj = inp.projects
    A = full_potential(inp, year)
    lc = np.asarray(lcoa, dtype=float)
    role = np.array(["alone"] * len(proj), dtype=object)
    over = np.array([""] * len(proj), dtype=object)
    width = A.copy()
    cost = lc.copy()
    groups = proj["exclusive_group"].fillna("").astype(str).to_numpy()
    for g in sorted(set(groups) - {""}):
        idx = np.flatnonzero((groups == g) & np.isfinite(lc) & (A > 0))
        rest = set(np.flatnonzero(groups == g)) - set(idx)
        for i in rest:
            role[i], width[i], cost[i] = "dominated", 0.0, np.nan
        cur_a, cur_c, prev = 0.0, 0.0, None
        left = list(idx)
        while left:
            slopes = [((lc[i] * A[i] - cur_c) / (A[i] - cur_a), proj.index[i], i)
                      for i in left if A[i] > cur_a + 1e-12 * max(A[i], 1.0)]
            if not slopes:
                break
            s, _, j = min(slopes)
            role[j] = "base" if prev is None else "increment"
            over[j] = "" if prev is None else proj.index[prev]
            width[j], cost[j] = A[j] - cur_a, s
            cur_a, cur_c, prev = A[j], lc[j] * A[j], j
            left = [i for i in left if i != j and A[i] > cur_a]
            for i in set(idx) - set(left) - {k for k in idx if role[k] in ("base", "increment")}:
                role[i], width[i], cost[i] = "dominated", 0.0, np.nan
        for i in idx:
            if role[i] == "alone":
                role[i], width[i], cost[i] = "dominated", 0.0, np.nan
    return pd.DataFrame({"group_role": role, "incremental_over": over,
                         "bar_width_t_per_year": width, "bar_cost_cny_per_t": cost},
                        index=proj.index.rename(None))
