"""Target stringency around a scenario: a sweep of caps and peak years, and the frontier.

Re-solves the scenario's model (analysis layer: tables only, no drawing or writing). The
report shows the result in its "stringency" section.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.analysis.frontier import frontier, lowest_peaks
from planner.analysis.sweep import project_entry, sweep
from planner.model.inputs import ModelInputs

#: caps of the stringency sweep, from the BAU peak down to the lowest achievable peak
SWEEP_POINTS = 12
#: sweep caps are rounded to this many tonnes (0.01 Mt) so that axis labels stay short
CAP_STEP_T = 1e4


@dataclass
class Stringency:
    """A scenario's target stringency. sweep: the :func:`~planner.analysis.sweep.sweep` table;
    entry: its :func:`~planner.analysis.sweep.project_entry` table; frontier: the
    :func:`~planner.analysis.frontier.frontier` table over every year of the horizon;
    peak_years and caps: the sweep's grid; low_t: the lowest achievable peak the caps go down
    to (tCO2); bau_peak_t: the loosest cap (tCO2)."""

    sweep: pd.DataFrame
    entry: pd.DataFrame
    frontier: pd.DataFrame
    peak_years: list[int | None]
    caps: list[float]
    low_t: float
    bau_peak_t: float


def stringency(inp: ModelInputs, points: int = SWEEP_POINTS) -> Stringency:
    """Solve the scenario of `inp` over caps from its BAU peak down to the lowest achievable
    peak for its peak year (`points` caps, rounded to 0.01 Mt, plus the scenario's own cap),
    for peak years target−1 … target+2 (or without a peak year when it has none), and the
    frontier."""
    tg = inp.scenario.target
    fr = frontier(inp, inp.years)
    bau_peak = float(inp.bau_scope.max())
    py = tg.peak_year
    if py is not None:
        low = float(fr.set_index("peak_year").loc[py, "min_peak_t"])
        years: list[int | None] = [y for y in range(py - 1, py + 3)
                                   if inp.start <= y <= inp.report_end]
    else:
        low = float(lowest_peaks(inp, [None])[None])
        years = [None]
    if not math.isfinite(low):  # the peak year itself is out of reach: the best of any year
        finite = fr["min_peak_t"].dropna()
        low = float(finite.min()) if len(finite) else 0.9 * bau_peak
    low = math.ceil(low / CAP_STEP_T) * CAP_STEP_T  # never below the frontier
    hi = math.floor(bau_peak / CAP_STEP_T) * CAP_STEP_T
    caps = {float(round(c / CAP_STEP_T) * CAP_STEP_T)
            for c in np.linspace(hi, low, points)} | {float(low)}
    if tg.cap_t is not None and low <= tg.cap_t <= bau_peak:
        caps.add(float(tg.cap_t))
    grid = sorted(caps, reverse=True)
    table = sweep(inp, grid, years)
    return Stringency(sweep=table, entry=project_entry(table, inp), frontier=fr,
                      peak_years=years, caps=grid, low_t=low, bau_peak_t=bau_peak)

