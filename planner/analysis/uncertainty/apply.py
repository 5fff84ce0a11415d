"""One sample -> the scenario's inputs with the sampled values applied.

Dimensions act in the order of the specification: a factor multiplies the current value of
every year, an absolute value replaces it. BAU growth (sector s, years t > start):
factor f: BAU'[s,t] = BAU[s,start] · Π_{u<=t} (1 + f·g[s,u]), g[s,u] = BAU[s,u]/BAU[s,u-1] - 1;
absolute g: BAU'[s,t] = BAU[s,start] · (1 + g)^(t - start). The grid factor f multiplies the
abatement of its projects by f in every year, or, with ramp_from = y0, by
1 + (f - 1)·max(0, t - y0)/(end - y0).
"""

from __future__ import annotations

import numpy as np

from planner.analysis.uncertainty.sampling import Dimension
from planner.model.inputs import ModelInputs
from planner.model.resample import SampledValues

_TABLE = {"capex": "capex", "savings": "savings", "abatement": "abatement"}


def grid_path(years: list[int], factor: float, ramp_from: int | None) -> np.ndarray:
    """The grid factor in each year of the horizon (see the module docstring)."""
    t = np.asarray(years, dtype=float)
    if ramp_from is None:
        return np.full(len(years), float(factor))
    share = np.clip((t - ramp_from) / (years[-1] - ramp_from), 0.0, 1.0)
    return 1.0 + (float(factor) - 1.0) * share


def bau_path(row: np.ndarray, mode: str, value: float) -> np.ndarray:
    """A sector's BAU row (tCO2 per year of the horizon) under a growth draw."""
    if mode == "absolute":
        return row[0] * (1.0 + value) ** np.arange(len(row))
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = row[1:] / row[:-1] - 1.0
    if not np.isfinite(growth).all():  # a zero BAU year: growth undefined, the path is kept
        return row.copy()
    return row[0] * np.concatenate([[1.0], np.cumprod(1.0 + value * growth)])


class SampleApplier:
    """Applies samples of `dims` to `inp`: the member rows and unchanged tables are found once,
    so that a sample costs a few numpy operations (:meth:`values`); the new tables become
    DataFrames only when a :class:`ModelInputs` is asked for (tables no dimension touches, and
    every index, are those of `inp`)."""

    def __init__(self, inp: ModelInputs, dims: list[Dimension]) -> None:
        self.inp, self.dims = inp, list(dims)
        pos = {p: i for i, p in enumerate(inp.projects.index)}
        spos = {s: i for i, s in enumerate(inp.bau.index)}
        self.rows = [np.array([pos[p] for p in d.members], dtype=int)
                     if d.target in _TABLE or d.target == "grid_factor"
                     else np.array([spos[s] for s in d.members], dtype=int) for d in self.dims]
        table = {**_TABLE, "grid_factor": "abatement", "bau_growth": "bau"}
        self.touched = {table[d.target] for d in self.dims if d.target in table}
        self.base = {k: getattr(inp, k).to_numpy(dtype=float) for k in (*_TABLE, "bau")}
        self.years = inp.years
        self.steps = self._steps()

    def _steps(self) -> list[tuple]:
        """The dimensions in order, consecutive factors on disjoint rows of one table merged
        into one step (each element is still multiplied once by its own draw): (table, rows,
        dimension of each row) for a merged factor, (dimension index,) otherwise."""
        steps: list[tuple] = []
        for k, (d, rows) in enumerate(zip(self.dims, self.rows, strict=True)):
            if d.target in _TABLE and d.mode == "factor":
                last = steps[-1] if steps else None
                if (last is not None and len(last) == 3 and last[0] == d.target
                        and not set(last[1]) & set(rows.tolist())):
                    steps[-1] = (d.target, np.concatenate([last[1], rows]),
                                 np.concatenate([last[2], np.full(len(rows), k)]))
                else:
                    steps.append((d.target, rows, np.full(len(rows), k)))
            else:
                steps.append((k,))
        return steps

    def __call__(self, values: np.ndarray) -> ModelInputs:
        """`inp` with the sampled `values` (one per dimension) applied."""
        return self.values(values).inputs()

    def values(self, values: np.ndarray) -> SampledValues:
        """The sampled tables and discount rate of `values` (one per dimension), on `inp`."""
        inp = self.inp
        if not self.dims:
            return SampledValues(inp, inputs=inp)
        values = np.asarray(values, dtype=float)
        tables = {k: a.copy() for k, a in self.base.items() if k in self.touched}
        bau = tables.get("bau")
        rate = inp.rate
        for step in self.steps:
            if len(step) == 3:  # factors on rows of one table
                name, rows, which = step
                tables[name][rows, :] *= values[which][:, None]
                continue
            k = step[0]
            d, rows, v = self.dims[k], self.rows[k], float(values[k])
            if d.target in _TABLE:
                tables[d.target][rows, :] = v  # an absolute value
            elif d.target == "grid_factor":
                tables["abatement"][rows, :] *= self._grid(v, d.ramp_from)[None, :]
            elif d.target == "bau_growth":
                for s in rows:
                    bau[s] = bau_path(bau[s], d.mode, v)
            elif d.target == "discount_rate":
                rate = v if d.mode == "absolute" else rate * v
            else:  # pragma: no cover - dimensions() makes only the targets above
                raise ValueError(f"unknown target {d.target!r}")
        return SampledValues(inp, tables, rate)

    def _grid(self, factor: float, ramp_from: int | None) -> np.ndarray:
        return grid_path(self.years, factor, ramp_from)


def apply_sample(inp: ModelInputs, dims: list[Dimension], values: np.ndarray) -> ModelInputs:
    """`inp` with the sampled `values` (one per dimension) applied."""
    return SampleApplier(inp, dims)(values)


__all__ = ["SampleApplier", "apply_sample", "bau_path", "grid_path"]
