"""Levelised cost of abatement (LCOA) of each project: by vintage and at start-year values.

Vintage-levelised cost of a unit built in year v (capital paid at the start of v, O&M,
savings and abatement at the end of each operating year):

    LCOA_p(v) = [capex_{p,v} + Σ_{k=0}^{L−1} ν^{k+1}·(om_p − sav_{p,v+k} − credit_p)]
                / Σ_{k=0}^{L−1} ν^{k+1}·a_{p,v+k},          ν = 1/(1+r),

years past the horizon taking the last year's values (credit_p only in the with-co-benefits
variant). With constant values it equals the start-year LCOA (CRF·capex + om − sav)/a.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.model.finance import crf
from planner.model.inputs import ModelInputs


def first_build_year(inp: ModelInputs) -> np.ndarray:
    """max(earliest_year, start) per project (float; NaN when after the horizon)."""
    e = np.maximum(inp.projects["earliest_year"].to_numpy(int), inp.start).astype(float)
    e[e > inp.end] = np.nan
    return e


def vintage_lcoa(inp: ModelInputs, vintage: np.ndarray | int, rate: float,
                 with_credit: bool = False) -> np.ndarray:
    """LCOA_p(v) in CNY/t per project for build year `vintage` (one per project or one for
    all; NaN where the vintage is NaN or the unit abates nothing)."""
    proj = inp.projects
    n_p, years = len(proj), inp.years
    v = np.broadcast_to(np.asarray(vintage, dtype=float), (n_p,))
    ok = np.isfinite(v)
    iv = np.where(ok, v, inp.start).astype(int) - inp.start
    iv = np.clip(iv, 0, len(years) - 1)
    L = proj["lifetime_years"].to_numpy(int)
    k = np.arange(int(L.max()))
    cols = np.minimum(iv[:, None] + k[None, :], len(years) - 1)  # past the end: last year
    live = k[None, :] < L[:, None]
    disc = (1.0 / (1.0 + rate)) ** (k + 1.0)
    rows = np.arange(n_p)[:, None]
    sav = inp.savings.to_numpy(float)[rows, cols]
    ab = inp.abatement.to_numpy(float)[rows, cols]
    om = proj["fixed_om_cny_per_unit_year"].to_numpy(float)[:, None]
    credit = inp.cobenefit_credit().to_numpy(float)[:, None] if with_credit else 0.0
    capex = inp.capex.to_numpy(float)[np.arange(n_p), iv]
    num = capex + (live * disc * (om - sav - credit)).sum(axis=1)
    den = (live * disc * ab).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(ok & (den != 0), num / np.where(den != 0, den, 1.0), np.nan)
    return out


def start_year_lcoa(inp: ModelInputs, rate: float, with_credit: bool = False) -> np.ndarray:
    """(CRF_p·capex + om − sav − credit)/a at start-year values, CNY/t (the old ranking key)."""
    y0 = inp.start
    proj = inp.projects
    f = np.array([crf(rate, int(L)) for L in proj["lifetime_years"]])
    net = (f * inp.capex[y0].to_numpy(float) + proj["fixed_om_cny_per_unit_year"].to_numpy(float)
           - inp.savings[y0].to_numpy(float)
           - (inp.cobenefit_credit().to_numpy(float) if with_credit else 0.0))
    ab = inp.abatement[y0].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ab != 0, net / np.where(ab != 0, ab, 1.0), np.nan)


def lcoa_table(inp: ModelInputs, target_year: int, private_rate: float | None = None,
               band_pts: float = 0.02) -> pd.DataFrame:
    """Per project (index project id), CNY/t:

    lcoa_cny_per_t — target-year vintage at the social rate (the ranking key);
    lcoa_first_year_cny_per_t — vintage of the first year the project can be built
    (first_year_available); lcoa_start_year_cny_per_t — start-year values (the old key);
    lcoa_rate_low/high_cny_per_t — target-year vintage at the rate ∓ `band_pts` (not below 0);
    with co-benefit credits: lcoa_with_cobenefits_cny_per_t; with `private_rate`:
    lcoa_private_cny_per_t, lcoa_private_first_year_cny_per_t and
    breakeven_carbon_price_cny_per_t = max(private target-year LCOA, 0).
    """
    proj = inp.projects
    r = inp.rate
    first = first_build_year(inp)
    out = pd.DataFrame({
        "project": proj.index,
        "name": proj["name"].to_numpy(),
        "measure": proj["measure"].to_numpy(),
        "sector": proj["sector"].to_numpy(),
        "unit": proj["unit"].to_numpy(),
        "lcoa_cny_per_t": vintage_lcoa(inp, target_year, r),
        "first_year_available": pd.array(first, dtype="Int64") if np.isfinite(first).all()
        else pd.array([None if np.isnan(x) else int(x) for x in first], dtype="Int64"),
        "lcoa_first_year_cny_per_t": vintage_lcoa(inp, first, r),
        "lcoa_start_year_cny_per_t": start_year_lcoa(inp, r),
        "lcoa_rate_low_cny_per_t": vintage_lcoa(inp, target_year, max(r - band_pts, 0.0)),
        "lcoa_rate_high_cny_per_t": vintage_lcoa(inp, target_year, r + band_pts),
    }, index=proj.index.rename(None))
    if float(inp.cobenefit_credit().abs().sum()) > 0:
        out["lcoa_with_cobenefits_cny_per_t"] = vintage_lcoa(inp, target_year, r, True)
    if private_rate is not None:
        priv = vintage_lcoa(inp, target_year, private_rate)
        out["lcoa_private_cny_per_t"] = priv
        out["lcoa_private_first_year_cny_per_t"] = vintage_lcoa(inp, first, private_rate)
        out["breakeven_carbon_price_cny_per_t"] = np.clip(priv, 0.0, None)
    capex = inp.capex[target_year].to_numpy(float)
    margin = (inp.savings[target_year] - proj["fixed_om_cny_per_unit_year"]).to_numpy(float)
    out["investment_full_cny"] = proj["max_units"].to_numpy(float) * capex
    with np.errstate(divide="ignore", invalid="ignore"):
        out["simple_payback_years"] = np.where(margin > 0, capex / np.where(margin > 0, margin,
                                                                             1.0), np.nan)
    return out
