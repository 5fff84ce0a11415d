"""The inputs of a region scenario bound for the model: each region's :class:`ModelInputs`
and the shared projects as arrays over the optimised years (errors name the region)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from planner.errors import InputError, raise_all
from planner.model.finance import capex_coefficients, flow_weights
from planner.model.inputs import ModelInputs, bind
from planner.regions import Regions, in_region


@dataclass(frozen=True)
class SharedInputs:
    """Shared projects as arrays over the optimised years (constant over the years).

    abatement: (S, T) tCO2 per unit-yr; capex_coeff / opex_coeff: (S, T) objective
    coefficients (as :class:`ModelInputs`); ab_key / cost_key: (S, R) shares."""

    projects: pd.DataFrame
    abatement: np.ndarray
    capex: np.ndarray
    capex_coeff: np.ndarray
    opex_coeff: np.ndarray
    ab_key: np.ndarray
    cost_key: np.ndarray


@dataclass(frozen=True)
class RegionalInputs:
    """Each region's :class:`ModelInputs` (in scenario order) and the shared projects."""

    regions: Regions
    cities: dict[str, ModelInputs]
    shared: SharedInputs | None = None

    @property
    def scenario(self):
        """The region scenario."""
        return self.regions.scenario

    @property
    def names(self) -> list[str]:
        """The region names, in scenario order."""
        return list(self.cities)

    @property
    def first(self) -> ModelInputs:
        """The first region's ModelInputs (years and rate are common to all)."""
        return next(iter(self.cities.values()))

    @property
    def years(self) -> list[int]:
        """The optimised years (common to all regions)."""
        return self.first.years

    @property
    def report_end(self) -> int:
        """The last reported year."""
        return self.first.report_end

    @property
    def weights(self) -> np.ndarray:
        """w(t) per optimised year: discount weight of end-of-year flows (common to all)."""
        return self.first.weights

    @cached_property
    def bau_scope(self) -> np.ndarray:
        """(R, T) Σ_{s in scope} BAU[s,t] per region, tCO2."""
        return np.vstack([inp.bau_scope.reindex(inp.years).to_numpy(float)
                          for inp in self.cities.values()])

    def indicator(self, column: str) -> np.ndarray:
        """(R, T) `gdp_cny` or `population` per region (InputError naming the region when a
        region has no indicators.csv)."""
        out, errors = [], []
        for r, inp in self.cities.items():
            if inp.indicators is None:
                errors.append(InputError(inp.dataset.folder / "indicators.csv",
                                         f"region {r!r}, file", "not found",
                                         f"GDP and population of every region (the allocation "
                                         f"rule {self.scenario.allocation!r} needs them)"))
                continue
            out.append(inp.indicators[column].reindex(inp.years).to_numpy(float))
        raise_all(errors)
        return np.vstack(out)


def bind_regions(rg: Regions) -> RegionalInputs:
    """Bind every region's scenario to its dataset (errors name the region)."""
    cities, errors = {}, []
    for r in rg.names:
        try:
            cities[r] = bind(rg.cities[r], rg.datasets[r])
        except InputError as exc:
            errors.append(in_region(exc, r))
    raise_all(errors)
    shared = _bind_shared(rg, cities) if rg.shared is not None else None
    return RegionalInputs(rg, cities, shared)


def _bind_shared(rg: Regions, cities: dict[str, ModelInputs]) -> SharedInputs:
    sp = rg.shared
    assert sp is not None
    first = next(iter(cities.values()))
    years = first.years
    proj = sp.projects
    T = len(years)
    capex = np.repeat(proj["capex_cny_per_unit"].to_numpy(float)[:, None], T, axis=1)
    L = proj["lifetime_years"].to_numpy(int)
    rate = first.rate
    w = flow_weights(rate, years, first.start)
    om = proj["fixed_om_cny_per_unit_year"].to_numpy(float)
    sav = proj["savings_cny_per_unit_year"].to_numpy(float)
    v = rg.scenario.cobenefit_value_cny_per_t
    credit = (proj["so2_t_per_unit_year"].to_numpy(float) * v.so2
              + proj["nox_t_per_unit_year"].to_numpy(float) * v.nox
              + proj["pm25_t_per_unit_year"].to_numpy(float) * v.pm25)
    return SharedInputs(
        projects=proj,
        abatement=np.repeat(proj["abatement_t_per_unit_year"].to_numpy(float)[:, None], T, 1),
        capex=capex,
        capex_coeff=capex_coefficients(rate, years, first.start, capex, L),
        opex_coeff=(om - sav - credit)[:, None] * w[None, :],
        ab_key=sp.abatement_key.reindex(columns=rg.names).to_numpy(float),
        cost_key=sp.cost_key.reindex(columns=rg.names).to_numpy(float))


__all__ = ["RegionalInputs", "SharedInputs", "bind_regions"]
