"""What holds a project back in a plan: the one classifier of project limits.

From a plan's builds and stocks ((P, T) arrays, units) this module says, per project and year,
which of its limits binds: not yet available (earliest year), potential used up, its exclusive
group full, roll-out at its rate over its whole lifetime window (roll-out × lifetime), the
investment budget spent, or none. The diagnosis of an infeasible target and the ranking's
reasons both read their primal limits from here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.model.inputs import ModelInputs

BIND_TOL = 1e-6  # relative distance to a bound that counts as binding
#: the kinds, in the order they are tested (the first that holds is the kind)
KINDS = ("not_yet", "potential", "group", "rollout", "budget", "none")


@dataclass(frozen=True)
class Binding:
    """(P, T) booleans of a plan: build at its roll-out rate, stock at its potential, the
    project's exclusive group full, and roll-out at rate in every year of the lifetime window
    ending in that year (so that no more stock can stand in that year)."""

    at_rollout: np.ndarray
    at_potential: np.ndarray
    group_full: np.ndarray
    rollout_window: np.ndarray


def binding(inp: ModelInputs, build: np.ndarray, stock: np.ndarray) -> Binding:
    """The binding limits of a plan (`build`, `stock`: (P, T) units over inp.years)."""
    proj = inp.projects
    U = proj["max_units"].to_numpy(float)
    R = proj["max_build_per_year"].to_numpy(float)
    L = proj["lifetime_years"].to_numpy(int)
    first = proj["earliest_year"].to_numpy(int)
    years = np.asarray(inp.years)
    P, T = build.shape
    at_rollout = build >= R[:, None] * (1 - BIND_TOL)
    at_potential = stock >= U[:, None] * (1 - BIND_TOL)
    groups = proj["exclusive_group"].fillna("").astype(str).to_numpy()
    share = stock / np.maximum(U, 1e-300)[:, None]
    group_full = np.zeros((P, T), dtype=bool)
    for g in {g for g in groups if g}:
        members = groups == g
        group_full[members] = share[members].sum(axis=0) >= 1 - BIND_TOL
    # roll-out window of (p, t): the years max(first, year − L + 1) .. year, all at rate
    short = (~at_rollout) & (years[None, :] >= first[:, None])
    cum = np.concatenate([np.zeros((P, 1), dtype=int), np.cumsum(short, axis=1)], axis=1)
    t = np.arange(T)
    lo = np.maximum(t[None, :] - L[:, None] + 1, np.searchsorted(years, first)[:, None])
    lo = np.clip(lo, 0, T)
    misses = cum[:, 1:] - np.take_along_axis(cum, lo, axis=1)
    rollout_window = (misses == 0) & (lo <= t[None, :]) & (R[:, None] > 0)
    return Binding(at_rollout, at_potential, group_full, rollout_window)


def classify(inp: ModelInputs, build: np.ndarray, stock: np.ndarray,
             budget_years: set[int] | None = None) -> np.ndarray:
    """(P, T) array of kinds (see KINDS): what stops each project abating more in each year.
    `budget_years`: years whose investment budget is spent (a spent budget holds every later
    year too)."""
    b = binding(inp, build, stock)
    years = np.asarray(inp.years)
    first = inp.projects["earliest_year"].to_numpy(int)
    spent = np.zeros(len(years), dtype=bool)
    if budget_years:
        spent = years >= min(budget_years)
    out = np.full(build.shape, "none", dtype=object)
    # assign from the last kind to the first, so that the first that holds wins
    out[np.broadcast_to(spent[None, :], out.shape)] = "budget"
    out[b.rollout_window] = "rollout"
    out[b.group_full] = "group"
    out[b.at_potential] = "potential"
    out[years[None, :] < first[:, None]] = "not_yet"
    return out


def project_limits(inp: ModelInputs, build: np.ndarray, stock: np.ndarray,
                   years: list[int], budget_years: set[int] | None = None) -> pd.DataFrame:
    """One row per project and year of `years`: year, project, name, kind, value, unit, since
    (the numbers the kind's words need: the potential or roll-out rate and its unit, the
    earliest year or the first year of the roll-out window), group."""
    kinds = classify(inp, build, stock, budget_years)
    proj = inp.projects
    ys = list(inp.years)
    L = proj["lifetime_years"].to_numpy(int)
    first = proj["earliest_year"].to_numpy(int)
    names = proj["name"].to_numpy(object)
    units = proj["unit"].to_numpy(object)
    groups = [g or None for g in proj["exclusive_group"].to_numpy(object)]
    potential = [f"{v:g}" for v in proj["max_units"].to_numpy(float)]
    rate = [f"{v:g}" for v in proj["max_build_per_year"].to_numpy(float)]
    ids = list(proj.index)
    rows = []
    for y in years:
        j = ys.index(y)
        for i, p in enumerate(ids):
            kind = kinds[i, j]
            value = since = None
            if kind == "not_yet":
                since = int(first[i])
            elif kind == "potential":
                value = potential[i]
            elif kind == "rollout":
                value = rate[i]
                since = max(int(first[i]), y - int(L[i]) + 1, ys[0])
            rows.append({"year": y, "project": p, "name": names[i], "kind": kind,
                         "value": value, "unit": units[i] if value is not None else None,
                         "since": since, "group": groups[i]})
    return pd.DataFrame(rows, columns=["year", "project", "name", "kind", "value", "unit",
                                       "since", "group"])
