"""Discounting and annuities: the only place these formulas live.

All money is real (constant prices); rates are real annual rates. Time base: capital is paid at
the start of its build year, operating flows (O&M, savings, a carbon price on emissions) at the
end of each year, and present values are in CNY at the start of the start year.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def crf(rate: float, lifetime_years: float) -> float:
    """Capital recovery factor: CRF = r(1+r)^L / ((1+r)^L - 1); 1/L when r = 0.

    Multiplying an investment (CNY) by CRF gives the equal annual payment (CNY/yr), paid at the
    end of each of L years, whose present value at the start of year one is the investment.
    """
    if lifetime_years <= 0:
        raise ValueError("lifetime must be positive")
    if rate == 0:
        return 1.0 / lifetime_years
    g = (1.0 + rate) ** lifetime_years
    return rate * g / (g - 1.0)


def crf_array(rate: float, lifetimes: np.ndarray) -> np.ndarray:
    """CRF per lifetime (1/yr), vectorised :func:`crf`."""
    L = np.asarray(lifetimes, dtype=float)
    if rate == 0:
        return 1.0 / L
    g = (1.0 + rate) ** L
    return rate * g / (g - 1.0)


def discount_factors(rate: float, years: Sequence[int], base_year: int) -> np.ndarray:
    """df(t) = (1+r)^-(t - base_year): value at the start of the base year of 1 CNY paid at
    the start of year t."""
    t = np.asarray(years, dtype=float) - base_year
    return (1.0 + rate) ** (-t)


def flow_weights(rate: float, years: Sequence[int], base_year: int) -> np.ndarray:
    """w(t) = df(t)/(1+r): value at the start of the base year of 1 CNY paid at the end of
    year t. Operating flows, annual capital payments and discounted tonnes use it."""
    return discount_factors(rate, years, base_year) / (1.0 + rate)


def annuity_weights(rate: float, years: Sequence[int], base_year: int,
                    lifetimes: np.ndarray) -> np.ndarray:
    """(P, T) array: Σ_{u=t}^{min(t+L_p−1, last)} w(u), the present value of one CNY paid at the
    end of each operating year of a unit built in year t that falls inside the horizon."""
    w = flow_weights(rate, years, base_year)
    n = len(w)
    cum = np.concatenate([[0.0], np.cumsum(w)])
    L = np.asarray(lifetimes, dtype=int)
    t = np.arange(n)
    last = np.minimum(t[None, :] + L[:, None] - 1, n - 1)  # inclusive, as an offset
    return cum[last + 1] - cum[t][None, :]


def capex_coefficients(rate: float, years: Sequence[int], base_year: int,
                       capex: np.ndarray, lifetimes: np.ndarray) -> np.ndarray:
    """capex_coeff[p,t] = capex[p,t]·CRF_p·Σ_{u=t}^{min(t+L_p−1,end)} df(u)/(1+r), CNY per unit.

    For a unit whose whole life lies in the horizon this equals capex[p,t]·df(t): the capital
    paid at the start of its build year; a unit that outlives the horizon is charged only the
    annuities of its years inside it (the rest is, in effect, its salvage value)."""
    c = crf_array(rate, lifetimes)
    return np.asarray(capex, float) * c[:, None] * annuity_weights(rate, years, base_year,
                                                                    lifetimes)


def annuity_discount_sum(rate: float, build_year: int, lifetime_years: int, end_year: int,
                         base_year: int) -> float:
    """Σ w(u) for u = build_year .. min(build_year + L - 1, end_year), scalar form (checks)."""
    last = min(build_year + lifetime_years - 1, end_year)
    if last < build_year:
        return 0.0
    return float(flow_weights(rate, range(build_year, last + 1), base_year).sum())
