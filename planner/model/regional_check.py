"""Independent re-check of a joint solution of several regions, from its plan tables.

Per region: the single-city check (:func:`planner.model.check.violations`) of the region's
deployment table, with its own targets (when they are on) and its part of the joint no-target
plan; the shared projects' abatement is taken off the region's BAU first (it enters the
region's ``emissions_balance`` and ``sector_floor`` rows). Then the shared projects' own limits
and the joint rows, with each region's emissions recomputed from the deployment tables (never
the solver's emission columns): joint cap / cap path / peak level / budget on Σ_r e[r,t],
obligations e[r,t] − q[r,t] ≤ A[r,t] and Σ_t (e − q) ≤ B_r, Σ_r q[r,t] = 0 and q within the
transfer setting's bounds (|q| ≤ limit·A, 0 under ``transfers: none``).

A violation is a solver fault: :class:`planner.model.regional.RegionalModel` raises
SolverError (exit 5) rather than report the plan.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from planner.model.check import violations
from planner.model.regional_inputs import RegionalInputs
from planner.scenario import Target

#: the joint rows with one row per year
ANNUAL_JOINT = ("joint_emissions_cap", "joint_cap_path", "joint_peak_level")


@dataclass(frozen=True)
class RegionBounds:
    """The bounds a joint solve had (as set on the model). city_targets: per region, whether
    its own target rows were on; joint: upper bounds of the joint rows (tCO2, +∞: off);
    A (R, T) and B (R,): obligations (+∞: off); q_lo, q_hi (R, T): transfer bounds, t."""

    city_targets: list[bool]
    joint: dict[str, np.ndarray]
    A: np.ndarray
    B: np.ndarray
    q_lo: np.ndarray
    q_hi: np.ndarray


@dataclass(frozen=True)
class PlanTables:
    """A joint solution as tables: deployment per region (project, year, build_units,
    stock_units), the shared projects' (shared, year, build_units, stock_units) or None, and
    transfer_t (R, T) (> 0 bought)."""

    deployment: dict[str, pd.DataFrame]
    shared: pd.DataFrame | None
    transfer_t: np.ndarray


def _first(bad: np.ndarray, labels: list[str]) -> str:
    idx = np.flatnonzero(bad.ravel())
    more = f" (+{len(idx) - 3} more)" if len(idx) > 3 else ""
    return ", ".join(labels[i] for i in idx[:3]) + more


def arrays(table: pd.DataFrame, key: str, ids: pd.Index, years: list[int]
           ) -> tuple[np.ndarray, np.ndarray]:
    """(build, stock) as (P, T) arrays from a table with columns `key`, year, build_units,
    stock_units (NaN where a row is missing). A table already in (id, year) order is read
    as it is; any other is pivoted."""
    P, T = len(ids), len(years)
    k = table[key].to_numpy()
    y = table["year"].to_numpy()
    if (len(table) == P * T and np.array_equal(k, np.repeat(np.asarray(ids, dtype=object), T))
            and np.array_equal(y, np.tile(np.asarray(years), P))):
        return (table["build_units"].to_numpy(float).reshape(P, T),
                table["stock_units"].to_numpy(float).reshape(P, T))
    d = table.pivot(index=key, columns="year")
    return (d["build_units"].reindex(index=ids, columns=years).to_numpy(float),
            d["stock_units"].reindex(index=ids, columns=years).to_numpy(float))


def shared_arrays(rin: RegionalInputs, shared: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(build, stock) of the shared projects as (S, T) arrays."""
    assert rin.shared is not None
    return arrays(shared, "shared", rin.shared.projects.index, rin.years)


def shared_abatement(rin: RegionalInputs, shared: pd.DataFrame | None) -> np.ndarray:
    """(R, K, T) tonnes each region gets from the shared projects, per sector K of
    :func:`sector_list`."""
    R, T = len(rin.names), len(rin.years)
    if rin.shared is None or shared is None:
        return np.zeros((R, 0, T))
    sh = rin.shared
    _, stock = shared_arrays(rin, shared)
    ab = np.nan_to_num(stock) * sh.abatement  # (S, T)
    secs = sector_list(rin)
    sec = sh.projects["sector"].to_numpy()
    out = np.zeros((R, len(secs), T))
    for k, s in enumerate(secs):
        out[:, k, :] = sh.ab_key[sec == s].T @ ab[sec == s]
    return out


def sector_list(rin: RegionalInputs) -> list[str]:
    """The sectors the shared projects reduce."""
    if rin.shared is None:
        return []
    return list(dict.fromkeys(rin.shared.projects["sector"]))


def _shared_violations(rin: RegionalInputs, shared: pd.DataFrame, rel_tol: float) -> list[str]:
    sh = rin.shared
    assert sh is not None
    proj = sh.projects
    build, stock = shared_arrays(rin, shared)
    if np.isnan(build).any() or np.isnan(stock).any():
        return ["shared deployment: missing (project, year) rows"]
    T = len(rin.years)
    ids = [f"{p},{t}" for p in proj.index for t in rin.years]
    U = proj["max_units"].to_numpy(float)[:, None]
    R = proj["max_build_per_year"].to_numpy(float)[:, None]
    L = proj["lifetime_years"].to_numpy(int)
    tol = rel_tol * np.maximum(U, 1e-12)
    early = np.asarray(rin.years)[None, :] < proj["earliest_year"].to_numpy(int)[:, None]
    cum = np.concatenate([np.zeros((len(proj), 1)), np.cumsum(build, axis=1)], axis=1)
    lo = np.maximum(np.arange(1, T + 1)[None, :] - L[:, None], 0)
    want = cum[:, 1:] - np.take_along_axis(cum, lo, axis=1)
    checks = {"shared_build >= 0": build < -tol, "shared_build <= R": build > R + tol,
              "shared_build before earliest year": early & (build > tol),
              "shared_stock_balance": np.abs(stock - want) > tol,
              "shared_stock <= U": stock > U + tol, "shared_stock >= 0": stock < -tol}
    return [f"{name}: violated at {_first(bad, ids)}" for name, bad in checks.items()
            if bad.any()]


def region_emissions(rin: RegionalInputs, tables: PlanTables) -> np.ndarray:
    """(R, T) emissions in each region's scope recomputed from the tables: BAU of the scope −
    own abatement − the region's key share of the shared abatement (sectors in scope), t."""
    secs = sector_list(rin)
    sh_ab = shared_abatement(rin, tables.shared)
    out = []
    for j, (r, inp) in enumerate(rin.cities.items()):
        _, stock = arrays(tables.deployment[r], "project", inp.projects.index, inp.years)
        own = (np.nan_to_num(stock) * inp.abatement.to_numpy(float))[inp.in_scope].sum(axis=0)
        shared = sum((sh_ab[j, k] for k, s in enumerate(secs) if s in inp.scope_sectors),
                     np.zeros(len(inp.years)))
        out.append(inp.bau_scope.reindex(inp.years).to_numpy(float) - own - shared)
    return np.vstack(out)


def region_violations(rin: RegionalInputs, tables: PlanTables, bounds: RegionBounds,
                      e0: np.ndarray | None, rel_tol: float = 1e-6) -> list[str]:
    """Every constraint of the joint LP the plan in `tables` violates (empty: all hold).
    `e0` (R, T): the joint no-target plan's emissions, needed when a region's own targets
    are on and depend on it."""
    out: list[str] = []
    secs = sector_list(rin)
    sh_ab = shared_abatement(rin, tables.shared)
    for j, (r, inp) in enumerate(rin.cities.items()):
        own = inp
        if secs and sh_ab[j].any():  # the shared abatement comes off the region's BAU
            b = np.array(inp.bau.reindex(columns=inp.years).to_numpy(float))  # a copy
            for k, s in enumerate(secs):
                if s in inp.bau.index:
                    b[inp.bau.index.get_loc(s)] -= sh_ab[j, k]
            own = replace(inp, bau=pd.DataFrame(b, index=inp.bau.index, columns=inp.years))
        target = inp.scenario.target if bounds.city_targets[j] else Target(scope=inp.scope)
        for v in violations(own, tables.deployment[r], target,
                            None if e0 is None else e0[j], rel_tol):
            out.append(f"region {r!r}: {v}")
    if rin.shared is not None and tables.shared is not None:
        out += _shared_violations(rin, tables.shared, rel_tol)
    e = region_emissions(rin, tables)
    q = tables.transfer_t
    years = [str(y) for y in rin.years]
    rt = [f"{r},{y}" for r in rin.names for y in rin.years]
    E = max(1.0, float(np.abs(rin.bau_scope.sum(axis=0)).max()))
    tol = rel_tol * E
    joint = e.sum(axis=0)
    checks: dict[str, tuple[np.ndarray, list[str]]] = {}
    for name in ANNUAL_JOINT:
        checks[name] = (joint > bounds.joint[name] + tol, years)
    checks["joint_carbon_budget"] = (
        np.array([joint.sum() > bounds.joint["joint_carbon_budget"][0] + tol * len(years)]),
        ["total"])
    checks["regional_obligation"] = (e - q > bounds.A + tol, rt)
    checks["regional_budget_obligation"] = ((e - q).sum(axis=1) > bounds.B + tol * len(years),
                                            list(rin.names))
    checks["transfer_balance"] = (np.abs(q.sum(axis=0)) > tol, years)
    checks["transfer bounds"] = ((q > bounds.q_hi + tol) | (q < bounds.q_lo - tol), rt)
    for name, (bad, labels) in checks.items():
        if bad.any():
            out.append(f"{name}: violated at {_first(bad, labels)}")
    return out


__all__ = ["PlanTables", "RegionBounds", "region_emissions", "region_violations"]
