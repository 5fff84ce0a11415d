"""Key indicators and air-quality co-benefits of an optimal plan (issue 5).

Pure functions of a :class:`~planner.results.Result`; nothing is solved here.

``indicators(res)`` — one row per year:
    year, emissions_t, bau_t, abatement_t, gdp_cny, population,
    co2_per_10k_cny_gdp (emissions_t / (gdp_cny / 10,000): t CO2 per 10,000 CNY),
    bau_co2_per_10k_cny_gdp, per_capita_t (emissions_t / population),
    intensity_change_vs_base_year (CO2/GDP against the start year, a fraction: −0.18 = −18 %),
    change_vs_base_year (emissions against the start year, a fraction),
    change_vs_bau (emissions against BAU in the same year, a fraction),
    so2_avoided_t, nox_avoided_t, pm25_avoided_t (all projects),
    share_<sector> (the sector's net emissions / the city's net emissions; a sink's share is
    negative; the shares of a year add up to 1).
  Without indicators.csv the GDP and population columns are NaN; the rest is still reported.
  A fraction whose denominator is not positive is NaN.

``co_benefits(res)`` — one row per project and year: project, year, stock_units, so2_t,
  nox_t, pm25_t (avoided = stock_units × the project's t per unit-year);
  ``co_benefits_by_year(res)`` sums it over projects.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.data import POLLUTANTS
from planner.results import Result

CNY_PER_10K = 1e4

INDICATOR_COLUMNS = [
    "year", "emissions_t", "bau_t", "abatement_t", "gdp_cny", "population",
    "co2_per_10k_cny_gdp", "bau_co2_per_10k_cny_gdp", "per_capita_t",
    "intensity_change_vs_base_year", "change_vs_base_year", "change_vs_bau",
    "so2_avoided_t", "nox_avoided_t", "pm25_avoided_t",
]
CO_BENEFIT_COLUMNS = ["project", "year", "stock_units", *(f"{k}_t" for k in POLLUTANTS)]


def _ratio(num: pd.Series | np.ndarray, den: pd.Series | np.ndarray) -> np.ndarray:
    """num / den, NaN where den is not positive."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    ok = np.broadcast_to(den > 0, out.shape)
    np.divide(num, np.broadcast_to(den, out.shape), out=out, where=ok)
    return out


def co_benefits(res: Result) -> pd.DataFrame:
    """Air pollutants avoided per project and year, t (empty unless the plan is optimal)."""
    if not res.optimal:
        return pd.DataFrame(columns=CO_BENEFIT_COLUMNS)
    rates = res.inputs.pollutant_rates()
    d = res.deployment[["project", "year", "stock_units"]].reset_index(drop=True)
    r = rates.loc[d["project"]].to_numpy(float)
    for i, k in enumerate(POLLUTANTS):
        d[f"{k}_t"] = d["stock_units"].to_numpy(float) * r[:, i]
    return d[CO_BENEFIT_COLUMNS]


def co_benefits_by_year(res: Result) -> pd.DataFrame:
    """year, so2_t, nox_t, pm25_t: co_benefits(res) summed over projects."""
    cols = [f"{k}_t" for k in POLLUTANTS]
    if not res.optimal:
        return pd.DataFrame(columns=["year", *cols])
    cb = co_benefits(res)
    out = cb.groupby("year")[cols].sum().reindex(res.inputs.years, fill_value=0.0)
    out.index.name = "year"
    return out.reset_index()


def indicators(res: Result) -> pd.DataFrame:
    """The key indicators per year (see the module docstring); empty unless optimal."""
    inp = res.inputs
    share_cols = [f"share_{s}" for s in inp.sectors]
    if not res.optimal:
        return pd.DataFrame(columns=INDICATOR_COLUMNS + share_cols)
    years = inp.years
    em = res.emissions.set_index("year").reindex(years)
    out = pd.DataFrame({"year": years})
    e = em["emissions_t"].to_numpy(float)
    bau = em["bau_t"].to_numpy(float)
    out["emissions_t"] = e
    out["bau_t"] = bau
    out["abatement_t"] = em["abatement_t"].to_numpy(float)
    if inp.indicators is not None:
        gdp = inp.indicators["gdp_cny"].reindex(years).to_numpy(float)
        pop = inp.indicators["population"].reindex(years).to_numpy(float)
    else:
        gdp = pop = np.full(len(years), np.nan)
    out["gdp_cny"] = gdp
    out["population"] = pop
    out["co2_per_10k_cny_gdp"] = _ratio(e, gdp / CNY_PER_10K)
    out["bau_co2_per_10k_cny_gdp"] = _ratio(bau, gdp / CNY_PER_10K)
    out["per_capita_t"] = _ratio(e, pop)
    intensity = out["co2_per_10k_cny_gdp"].to_numpy(float)
    out["intensity_change_vs_base_year"] = _ratio(intensity, intensity[0]) - 1.0
    out["change_vs_base_year"] = _ratio(e, e[0]) - 1.0
    out["change_vs_bau"] = _ratio(e, bau) - 1.0
    by_year = co_benefits_by_year(res).set_index("year").reindex(years)
    for k in POLLUTANTS:
        out[f"{k}_avoided_t"] = by_year[f"{k}_t"].to_numpy(float)
    sec = res.emissions_by_sector.pivot(index="year", columns="sector", values="emissions_t")
    sec = sec.reindex(index=years, columns=inp.sectors)
    net = sec.sum(axis=1).to_numpy(float)  # every sector, sinks included
    for s, col in zip(inp.sectors, share_cols, strict=True):
        # a share of a non-positive city total means nothing: NaN
        out[col] = np.where(net > 0, sec[s].to_numpy(float) / np.where(net > 0, net, 1.0),
                            np.nan)
    return out[INDICATOR_COLUMNS + share_cols]


def intensity_in(res: Result, year: int) -> float:
    """CO2 per 10,000 CNY of GDP in `year` (NaN without GDP or an optimal plan)."""
    if not res.optimal or res.inputs.indicators is None:
        return float("nan")
    ind = indicators(res).set_index("year")
    return float(ind.loc[year, "co2_per_10k_cny_gdp"])
