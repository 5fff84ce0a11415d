"""The robust project list: how often each project is in the plan across Monte Carlo samples.

Over the optimal samples: share_used = share of samples in which the project's stock in the
target year exceeds 1e-6 of its potential; P5/P50/P95 of that stock (units, zeros included)
and of its first build year (over the samples that build it). Classes by share_used:
core >= 95 %, likely >= 50 %, contested >= 5 %, rare < 5 % (see THRESHOLDS).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.analysis.uncertainty.engine import USED_TOL, Outcome
from planner.model.inputs import ModelInputs

#: lower bounds of share_used for each class, checked in this order; below the last: rare
THRESHOLDS = (("core", 0.95), ("likely", 0.50), ("contested", 0.05))
COLUMNS = ["project", "name", "measure", "sector", "unit", "n_optimal", "n_used", "share_used",
           "stock_p5_units", "stock_p50_units", "stock_p95_units", "first_build_p5_year",
           "first_build_p50_year", "first_build_p95_year", "class"]


def classify(share: float) -> str:
    """core / likely / contested / rare for a share of samples (0..1)."""
    for name, lo in THRESHOLDS:
        if share >= lo:
            return name
    return "rare"


def robust_projects(inp: ModelInputs, outcomes: list[Outcome]) -> pd.DataFrame:
    """One row per project (COLUMNS), sorted by share_used (descending) then project id."""
    proj = inp.projects
    ok = [o for o in outcomes if o.status == "optimal"]
    n = len(ok)
    nP = len(proj)
    stock = np.array([o.stock for o in ok]).reshape(n, nP)
    first = np.array([o.first_build for o in ok]).reshape(n, nP)
    used = stock > USED_TOL * proj["max_units"].to_numpy(dtype=float)[None, :]
    share = used.mean(axis=0) if n else np.full(nP, np.nan)

    def pct(a: np.ndarray, q: float, method: str) -> np.ndarray:
        out = np.full(nP, np.nan)
        for j in range(nP):  # per project: the samples that have a value
            col = a[:, j][~np.isnan(a[:, j])]
            if len(col):
                out[j] = np.percentile(col, q, method=method)
        return out

    table = pd.DataFrame({
        "project": proj.index, "name": proj["name"].to_numpy(),
        "measure": proj["measure"].to_numpy(), "sector": proj["sector"].to_numpy(),
        "unit": proj["unit"].to_numpy(), "n_optimal": n, "n_used": used.sum(axis=0),
        "share_used": share,
        "stock_p5_units": pct(stock, 5, "linear"), "stock_p50_units": pct(stock, 50, "linear"),
        "stock_p95_units": pct(stock, 95, "linear"),
        # years: a year some sample actually has (no interpolation between years)
        "first_build_p5_year": pct(first, 5, "inverted_cdf"),
        "first_build_p50_year": pct(first, 50, "inverted_cdf"),
        "first_build_p95_year": pct(first, 95, "inverted_cdf"),
        "class": [classify(s) if n else "" for s in share],
    })
    for c in ("first_build_p5_year", "first_build_p50_year", "first_build_p95_year"):
        table[c] = table[c].astype("Int64")
    order = np.lexsort((table["project"].to_numpy(), -np.nan_to_num(share, nan=-1.0)))
    return table.iloc[order].reset_index(drop=True)[COLUMNS]


__all__ = ["COLUMNS", "THRESHOLDS", "classify", "robust_projects"]
