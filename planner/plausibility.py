"""Plausibility of accepted input: totals a city could have, targets without a unit slip.

Nothing here is an error — a small district or a deep cut may be meant — so each finding is a
sentence for a warning, naming the file and key and what is probably meant.
"""

from __future__ import annotations

import pandas as pd

from planner.scenario import Scenario

#: a city's (or county's) annual CO2, t: below or above this range totals are suspect.
#: Illustrative bounds: a small county emits about 1e5-1e6 t a year, the largest Chinese
#: cities some 2e8 t; the range is widened tenfold both ways.
CITY_RANGE_T = (1e4, 1e9)
#: a cap below this fraction of the start year's BAU is probably a unit slip (kt or Mt for t)
LOW_CAP_FRACTION = 0.2
#: a cap above this multiple of the highest BAU is probably a unit slip the other way
HIGH_CAP_MULTIPLE = 10.0

UNIT_HINT = "did you mean t rather than kt or Mt?"


def tonnes(v: float) -> str:
    """A quantity of CO2 in t, kt or Mt to suit its size."""
    a = abs(v)
    scale, unit = (1e6, "Mt") if a >= 1e6 else (1e3, "kt") if a >= 1e3 else (1.0, "t")
    x = v / scale
    return f"{x:.3g} {unit}" if abs(x) < 1000 else f"{x:,.0f} {unit}"


def plausibility_warnings(sc: Scenario, baseline: pd.DataFrame) -> list[str]:
    """Sentences about implausible totals and targets (baseline: sector, year, emissions_t)."""
    out: list[str] = []
    start = sc.years.start
    by_year = baseline.groupby("year")["emissions_t"].sum()
    if start not in by_year.index:
        return out
    bau0 = float(by_year[start])
    base = sc.data / "baseline.csv"
    lo, hi = CITY_RANGE_T
    if not lo <= bau0 <= hi:
        side = "below" if bau0 < lo else "above"
        out.append(f"{base}: total BAU emissions in {start} are {tonnes(bau0)}, {side} any "
                   f"city's ({tonnes(lo)} to {tonnes(hi)} a year); are emissions_t in t "
                   "(not kt or Mt)?")

    def cap_check(loc: tuple, value: float, reference: float, what: str) -> None:
        key = ".".join(str(x) for x in loc)
        src = sc.source_of(*loc)
        if reference > 0 and value < LOW_CAP_FRACTION * reference:
            out.append(f"{src}: key '{key}': {tonnes(value)} is {value / reference:.0%} of "
                       f"{what} ({tonnes(reference)}); {UNIT_HINT}")
        elif reference > 0 and value > HIGH_CAP_MULTIPLE * reference:
            out.append(f"{src}: key '{key}': {tonnes(value)} is {value / reference:.0f} times "
                       f"{what} ({tonnes(reference)}), so it never binds; {UNIT_HINT}")

    t = sc.target
    start_bau = f"the start year's BAU ({start})"
    if t.cap_t is not None:
        cap_check(("target", "cap_t"), t.cap_t, bau0, start_bau)
    for y, v in t.cap_path_t.items():
        cap_check(("target", "cap_path_t", y), v, bau0, start_bau)
    if t.carbon_budget_t is not None:
        horizon = by_year.reindex(sc.horizon).dropna()
        cap_check(("target", "carbon_budget_t"), t.carbon_budget_t, float(horizon.sum()),
                  "the BAU emissions over the horizon")
    sector0 = baseline[baseline["year"] == start].groupby("sector")["emissions_t"].sum()
    for s, caps in t.sector_cap_t.items():
        if s in sector0.index:
            for y, v in caps.items():
                cap_check(("target", "sector_cap_t", s, y), v, float(sector0[s]),
                          f"sector {s!r}'s BAU in {start}")
    return out
