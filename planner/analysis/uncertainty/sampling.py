"""Seeded Latin hypercube samples of an uncertainty specification.

:func:`dimensions` turns a :class:`planner.uqspec.UQSpec` into the sampled dimensions (one per
correlated group, one per project of an uncorrelated group), checked against the scenario's
inputs; :func:`draw` returns an n x d matrix of values: a Latin hypercube on [0, 1)^d
(``scipy.stats.qmc.LatinHypercube``, seeded) mapped through each distribution's inverse CDF.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np

from planner.errors import InputError
from planner.model.inputs import ModelInputs
from planner.uqspec import Discrete, Lognormal, Normal, Triangular, Uniform, UQSpec

#: samples.csv column prefix per (target, mode): the column's unit
PREFIX = {
    ("capex", "factor"): "capex_factor",
    ("capex", "absolute"): "capex_cny_per_unit",
    ("savings", "factor"): "savings_factor",
    ("savings", "absolute"): "savings_cny_per_unit_year",
    ("abatement", "factor"): "abatement_factor",
    ("abatement", "absolute"): "abatement_t_per_unit_year",
    ("bau_growth", "factor"): "bau_growth_factor",
    ("bau_growth", "absolute"): "bau_growth_rate",
    ("discount_rate", "factor"): "discount_rate_factor",
    ("discount_rate", "absolute"): "discount_rate",
    ("grid_factor", "factor"): "grid_factor",
}


@dataclass(frozen=True)
class Dimension:
    """One sampled quantity. members: project ids (capex/savings/abatement/grid_factor) or
    sectors (bau_growth) it acts on; empty for discount_rate."""

    column: str
    target: str
    mode: str
    members: tuple[str, ...]
    dist: object
    ramp_from: int | None = None

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF of the distribution at quantiles `u` in [0, 1)."""
        return inverse_cdf(self.dist, u)


def inverse_cdf(d, u: np.ndarray) -> np.ndarray:
    """Values of distribution `d` at quantiles `u` in [0, 1) (its inverse CDF)."""
    # deferred on purpose: scipy.stats takes about a second to import, and the processes that
    # only solve samples (Dask workers unpickling Dimension objects) never draw
    from scipy import stats

    u = np.asarray(u, dtype=float)
    if isinstance(d, Uniform):
        return d.low + u * (d.high - d.low)
    if isinstance(d, Triangular):
        w = d.high - d.low
        if w == 0:
            return np.full_like(u, d.low)
        return stats.triang.ppf(u, (d.mode - d.low) / w, loc=d.low, scale=w)
    if isinstance(d, Normal):
        if d.sd == 0:
            return np.full_like(u, d.mean)
        lo = 0.0 if d.low is None else stats.norm.cdf((d.low - d.mean) / d.sd)
        hi = 1.0 if d.high is None else stats.norm.cdf((d.high - d.mean) / d.sd)
        x = d.mean + d.sd * stats.norm.ppf(lo + u * (hi - lo))
        return np.clip(x, -np.inf if d.low is None else d.low,
                       np.inf if d.high is None else d.high)
    if isinstance(d, Lognormal):
        return d.median * np.exp(d.sigma * stats.norm.ppf(u))
    if isinstance(d, Discrete):
        cum = np.cumsum(d.probabilities)
        idx = np.minimum(np.searchsorted(cum, u, side="right"), len(d.values) - 1)
        return np.asarray(d.values, dtype=float)[idx]
    raise TypeError(f"unknown distribution {type(d).__name__}")


def _unknown(spec: UQSpec, key: str, value: str, allowed: list[str], what: str) -> InputError:
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.6)
    return InputError(spec.path or "uq.yaml", f"key '{key}'", f"unknown {what} {value!r}",
                      f"a {what} of the scenario ({', '.join(allowed)})",
                      f"did you mean {close[0]!r}?" if close else None)


def dimensions(spec: UQSpec, inp: ModelInputs) -> list[Dimension]:
    """The sampled dimensions of `spec` for the scenario `inp` (ids checked)."""
    proj = inp.projects
    ids = list(proj.index)
    measures = sorted(set(proj["measure"]))
    sectors = list(inp.sectors)
    dims: list[Dimension] = []

    for key in ("capex", "savings", "abatement"):
        for i, e in enumerate(getattr(spec, key)):
            if e.projects is not None:
                for j, p in enumerate(e.projects):
                    if p not in ids:
                        raise _unknown(spec, f"{key}.{i}.projects.{j}", p, ids, "project")
                members, label = tuple(e.projects), "+".join(e.projects)
            elif e.measures is not None:
                for j, m in enumerate(e.measures):
                    if m not in measures:
                        raise _unknown(spec, f"{key}.{i}.measures.{j}", m, measures, "measure")
                members = tuple(p for p in ids if proj.loc[p, "measure"] in e.measures)
                label = "measure=" + "+".join(e.measures)
            else:
                members, label = tuple(ids), "all"
            prefix = PREFIX[key, e.mode]
            if e.correlated:
                dims.append(Dimension(f"{prefix}[{e.name or label}]", key, e.mode, members,
                                      e.dist))
            else:
                dims += [Dimension(f"{prefix}[{e.name + ':' if e.name else ''}{p}]", key, e.mode,
                                   (p,), e.dist) for p in members]
    for i, e in enumerate(spec.bau_growth):
        for j, s in enumerate(e.sectors or []):
            if s not in sectors:
                raise _unknown(spec, f"bau_growth.{i}.sectors.{j}", s, sectors, "sector")
        members = tuple(e.sectors) if e.sectors is not None else tuple(sectors)
        prefix = PREFIX["bau_growth", e.mode]
        label = e.name or ("all" if e.sectors is None else "+".join(members))
        if e.correlated:
            dims.append(Dimension(f"{prefix}[{label}]", "bau_growth", e.mode, members, e.dist))
        else:
            dims += [Dimension(f"{prefix}[{s}]", "bau_growth", e.mode, (s,), e.dist)
                     for s in members]
    if spec.discount_rate is not None:
        r = spec.discount_rate
        if r.mode == "factor" and r.dist.support()[1] * inp.rate >= 1:
            raise InputError(spec.path or "uq.yaml", "key 'discount_rate.dist'",
                             f"factors up to {r.dist.support()[1]:g} on the rate {inp.rate:g}",
                             "factors that keep the discount rate below 1")
        dims.append(Dimension(PREFIX["discount_rate", r.mode], "discount_rate", r.mode, (),
                              r.dist))
    if spec.grid_factor is not None:
        g = spec.grid_factor
        for j, s in enumerate(g.sectors):
            if s not in sectors:
                raise _unknown(spec, f"grid_factor.sectors.{j}", s, sectors, "sector")
        if g.ramp_from is not None and not inp.start <= g.ramp_from < inp.end:
            raise InputError(spec.path or "uq.yaml", "key 'grid_factor.ramp_from'",
                             f"found {g.ramp_from}",
                             f"a year from {inp.start} to {inp.end - 1} (before the last year)")
        members = tuple(p for p in ids if proj.loc[p, "sector"] in g.sectors)
        dims.append(Dimension("grid_factor", "grid_factor", "factor", members, g.dist,
                              g.ramp_from))
    seen: dict[str, int] = {}
    out = []
    for d in dims:  # the same group named twice: keep both, tell the columns apart
        n = seen[d.column] = seen.get(d.column, 0) + 1
        out.append(d if n == 1 else Dimension(f"{d.column}~{n}", d.target, d.mode, d.members,
                                              d.dist, d.ramp_from))
    return out


def lhs(d: int, n: int, seed: int) -> np.ndarray:
    """n x d Latin hypercube on [0, 1)^d, reproducible from `seed`."""
    if d == 0:
        return np.zeros((n, 0))
    from scipy.stats import qmc  # deferred on purpose: see inverse_cdf

    try:
        sampler = qmc.LatinHypercube(d=d, rng=np.random.default_rng(seed))
    except TypeError:  # scipy < 1.15 names the generator `seed`
        sampler = qmc.LatinHypercube(d=d, seed=np.random.default_rng(seed))
    return sampler.random(n)


def draw(dims: list[Dimension], n: int, seed: int) -> np.ndarray:
    """n x len(dims) sampled values (column k in the units of dims[k].column)."""
    u = lhs(len(dims), n, seed)
    out = np.empty_like(u)
    for k, d in enumerate(dims):
        out[:, k] = d.ppf(u[:, k])
    return out


__all__ = ["Dimension", "PREFIX", "dimensions", "draw", "inverse_cdf", "lhs"]
