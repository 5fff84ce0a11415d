"""Discounting and annuities: the only place these formulas live.

All money is real (constant prices); rates are real annual rates.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def crf(rate: float, lifetime_years: float) -> float:
    """Capital recovery factor: CRF = r(1+r)^L / ((1+r)^L - 1); 1/L when r = 0.

    Multiplying an investment (CNY) by CRF gives the equal annual payment (CNY/yr) over L years
    whose present value is the investment.
    """
    if lifetime_years <= 0:
        raise ValueError("lifetime must be positive")
    if rate == 0:
        return 1.0 / lifetime_years
    g = (1.0 + rate) ** lifetime_years
    return rate * g / (g - 1.0)


def discount_factors(rate: float, years: Sequence[int], base_year: int) -> np.ndarray:
    """df(t) = (1+r)^-(t - base_year): the value in base-year CNY of 1 CNY paid in year t."""
    t = np.asarray(years, dtype=float) - base_year
    return (1.0 + rate) ** (-t)


def annuity_discount_sum(rate: float, build_year: int, lifetime_years: int, end_year: int,
                         base_year: int) -> float:
    """Σ df(u) for u = build_year .. min(build_year + L - 1, end_year): the discounted number of
    annual capital payments a unit built in `build_year` makes inside the horizon."""
    last = min(build_year + lifetime_years - 1, end_year)
    if last < build_year:
        return 0.0
    return float(discount_factors(rate, range(build_year, last + 1), base_year).sum())
