"""Monte Carlo over an uncertainty specification: draw, solve, tabulate.

samples table (one row per sample, sorted by id): sample, one column per sampled dimension
(its value: a factor, a rate or an absolute value, named with its unit), status, npv_cny,
no_target_npv_cny (the same sample without any target row), target_cost_cny (= npv_cny −
no_target_npv_cny), marginal_cost_cny_per_t (empty: the economics headlines that define it are
not in this version of the model), peak_year, peak_t, shortfall_t, shortfall_first_year,
shortfall_groups (infeasible samples: the elastic model's minimal total shortfall).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.analysis.uncertainty.engine import Outcome, run, target_year
from planner.analysis.uncertainty.robust import robust_projects
from planner.analysis.uncertainty.sampling import Dimension, dimensions, draw
from planner.model.inputs import ModelInputs
from planner.uqspec import UQSpec


@dataclass
class MonteCarlo:
    """The outcome of a Monte Carlo run."""

    inputs: ModelInputs
    dims: list[Dimension]
    values: np.ndarray  # samples x dimensions
    outcomes: list[Outcome]
    seed: int

    @property
    def n(self) -> int:
        """The number of samples."""
        return len(self.outcomes)

    @property
    def n_optimal(self) -> int:
        """The number of samples solved to optimality."""
        return sum(o.status == "optimal" for o in self.outcomes)

    @property
    def target_year(self) -> int:
        """The target's peak year, or the last optimised year when there is none."""
        return target_year(self.inputs)

    def samples(self) -> pd.DataFrame:
        """The samples table, one row per sample (see the module docstring)."""
        return samples_table(self.dims, self.values, self.outcomes)

    def robust(self) -> pd.DataFrame:
        """One row per project: how often it is used and its stock across the optimal samples."""
        return robust_projects(self.inputs, self.outcomes)

    def summary(self) -> dict:
        """Counts and quantiles (no engine, no timing: identical whichever engine ran it)."""
        s = self.samples()
        ok = s[s["status"] == "optimal"]

        def q(col: str) -> dict:
            v = ok[col].to_numpy(dtype=float)
            return ({f"p{p}": float(np.percentile(v, p)) for p in (5, 50, 95)} if len(v)
                    else {})

        return {"samples": self.n, "seed": self.seed, "optimal": self.n_optimal,
                "infeasible": int((s["status"] == "infeasible").sum()),
                "target_year": self.target_year, "dimensions": [d.column for d in self.dims],
                "npv_cny": q("npv_cny"), "target_cost_cny": q("target_cost_cny"),
                "rebuilt_samples": sum(o.path == "rebuild" for o in self.outcomes),
                "marginal_cost_cny_per_t": "not computed: needs the economics headlines"}


def samples_table(dims: list[Dimension], values: np.ndarray, outcomes: list[Outcome]
                  ) -> pd.DataFrame:
    """The samples table (module docstring)."""
    cols: dict = {"sample": [o.sample for o in outcomes]}
    for k, d in enumerate(dims):
        cols[d.column] = values[[o.sample for o in outcomes], k]
    npv = np.array([o.npv_cny for o in outcomes], dtype=float)
    free = np.array([o.no_target_npv_cny for o in outcomes], dtype=float)
    cols |= {
        "status": [o.status for o in outcomes], "npv_cny": npv, "no_target_npv_cny": free,
        "target_cost_cny": npv - free,
        "marginal_cost_cny_per_t": np.full(len(outcomes), np.nan),
        "peak_year": pd.array([None if np.isnan(o.peak_year) else int(o.peak_year)
                               for o in outcomes], dtype="Int64"),
        "peak_t": [o.peak_t for o in outcomes],
        "shortfall_t": [o.shortfall_t for o in outcomes],
        "shortfall_first_year": pd.array(
            [None if np.isnan(o.shortfall_first_year) else int(o.shortfall_first_year)
             for o in outcomes], dtype="Int64"),
        "shortfall_groups": [o.shortfall_groups for o in outcomes],
    }
    return pd.DataFrame(cols)


def monte_carlo(inp: ModelInputs, spec: UQSpec, samples: int, seed: int = 1, *,
                workers: int | None = None, scheduler: str | None = None,
                batch_size: int | None = None, fast: bool = True,
                progress: bool = False) -> MonteCarlo:
    """Draw `samples` Latin-hypercube samples of `spec` (seeded) and solve each."""
    dims = dimensions(spec, inp)
    values = draw(dims, samples, seed)
    outcomes = run(inp, dims, values, workers=workers, scheduler=scheduler,
                   batch_size=batch_size, fast=fast, progress=progress)
    return MonteCarlo(inp, dims, values, outcomes, seed)


__all__ = ["MonteCarlo", "monte_carlo", "samples_table"]
