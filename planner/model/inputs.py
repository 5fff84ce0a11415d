"""Bind a scenario to its dataset: the checked parameter tables the formulation reads.

Everything here is data (pandas objects in the units of the input files); the maths lives in
:mod:`planner.model.formulation`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import ValidationError

from planner.data import (
    YEAR_PARAMS,
    Dataset,
    ProjectRow,
    _suggest,
    fill_lumpy_defaults,
    load_dataset,
    validation_message,
)
from planner.errors import InputError
from planner.model.finance import capex_coefficients, crf, discount_factors, flow_weights
from planner.scenario import Scenario


@dataclass(frozen=True)
class ModelInputs:
    """Parameters of one scenario's LP.

    projects: index project id; columns of projects.csv after `projects.exclude/override`
    bau: index sector, columns year -> BAU emissions, tCO2
    capex / abatement / savings: index project, columns year -> CNY/unit (by build year),
        tCO2/unit/yr and CNY/unit/yr (by operating year), project_years.csv applied
    indicators: index year, columns gdp_cny, population (or None)
    fixed_build: index project, columns year -> units built, fixed (NaN = free), or None
    fixed_choice: index all_or_nothing project -> 0/1 choice, fixed (NaN = free), or None
        (set when the integer choices of a mixed-integer plan are fixed for its prices)
    """

    scenario: Scenario
    dataset: Dataset
    projects: pd.DataFrame
    bau: pd.DataFrame
    capex: pd.DataFrame
    abatement: pd.DataFrame
    savings: pd.DataFrame
    indicators: pd.DataFrame | None
    fixed_build: pd.DataFrame | None = None
    fixed_choice: pd.Series | None = None

    @property
    def years(self) -> list[int]:
        """The optimised years (start .. end + extend)."""
        return self.scenario.horizon

    @property
    def reported_years(self) -> list[int]:
        """The years written to outputs (start .. end)."""
        return self.scenario.reported_years

    @property
    def start(self) -> int:
        """The first year (NPV is in CNY at the start of it)."""
        return self.scenario.years.start

    @property
    def end(self) -> int:
        """The last optimised year."""
        return self.years[-1]

    @property
    def report_end(self) -> int:
        """The last reported year (scenario years.end)."""
        return self.scenario.years.end

    @property
    def scope(self) -> str:
        """The target's emission scope: 'gross' or 'net'."""
        return self.scenario.target.scope

    @cached_property
    def gross_sectors(self) -> list[str]:
        """Sectors whose BAU is positive in some year: those the gross scope counts."""
        return list(self.bau.index[(self.bau > 0).any(axis=1)])

    @cached_property
    def scope_sectors(self) -> list[str]:
        """Sectors whose emissions the targets count (all under scope 'net')."""
        return self.sectors if self.scope == "net" else self.gross_sectors

    @cached_property
    def in_scope(self) -> np.ndarray:
        """Per project (in `projects` order): True when its abatement counts for the targets."""
        return self.projects["sector"].isin(self.scope_sectors).to_numpy()

    @cached_property
    def bau_scope(self) -> pd.Series:
        """Σ_{s in scope} BAU[s,t], tCO2, indexed by year."""
        return self.bau.loc[self.scope_sectors].sum(axis=0)

    @cached_property
    def weights(self) -> np.ndarray:
        """w(t) = df(t)/(1+r) per optimised year: discount weight of end-of-year flows."""
        return flow_weights(self.rate, self.years, self.start)

    @cached_property
    def capex_coeff(self) -> np.ndarray:
        """(P, T) CNY per unit built, start-of-start-year money (see model.finance)."""
        return capex_coefficients(self.rate, self.years, self.start, self.capex.to_numpy(float),
                                  self.projects["lifetime_years"].to_numpy(int))

    @cached_property
    def net_running_cost(self) -> np.ndarray:
        """(P, T) om − savings − credit, CNY per unit in stock in year t (money of year t)."""
        om = self.projects["fixed_om_cny_per_unit_year"].to_numpy(float)
        credit = self.cobenefit_credit().to_numpy(float)
        return (om - credit)[:, None] - self.savings.to_numpy(float)

    @cached_property
    def opex_coeff(self) -> np.ndarray:
        """(P, T) w(t)·(om − savings − credit), CNY per unit in stock, start-year money."""
        return self.net_running_cost * self.weights[None, :]

    @property
    def target_year(self) -> int:
        """The target's peak year, or the last reported year when there is none."""
        return self.scenario.target.peak_year or self.report_end

    @cached_property
    def lumpy(self) -> np.ndarray:
        """Per project: 'continuous', 'integer' or 'all_or_nothing'."""
        if "lumpy" not in self.projects:
            return np.full(len(self.projects), "continuous", dtype=object)
        return self.projects["lumpy"].to_numpy(dtype=object)

    @cached_property
    def all_or_nothing(self) -> np.ndarray:
        """Positions (in `projects` order) of the all_or_nothing projects."""
        return np.flatnonzero(self.lumpy == "all_or_nothing")

    @cached_property
    def free_choice(self) -> np.ndarray:
        """Per all_or_nothing project: True when its choice is a decision (not fixed)."""
        if self.fixed_choice is None:
            return np.ones(len(self.all_or_nothing), dtype=bool)
        ids = self.projects.index[self.all_or_nothing]
        return np.isnan(self.fixed_choice.reindex(ids).to_numpy(float))

    @cached_property
    def integer_build(self) -> np.ndarray:
        """(P, T) True where build[p,t] must be a whole number (integer projects, not fixed)."""
        mask = np.repeat((self.lumpy == "integer")[:, None], len(self.years), axis=1)
        if self.fixed_build is not None and mask.any():
            fixed = self.fixed_build.reindex(index=self.projects.index,
                                             columns=self.years).to_numpy(float)
            mask &= np.isnan(fixed)
        return mask

    @property
    def is_mip(self) -> bool:
        """True when some integer decision is left: the model is a mixed-integer programme."""
        return bool(self.integer_build.any() or self.free_choice.any())

    @property
    def rate(self) -> float:
        """The real yearly discount rate."""
        return self.scenario.discount_rate

    @property
    def sectors(self) -> list[str]:
        """Every sector of the BAU table, in its order."""
        return list(self.bau.index)

    @cached_property
    def bau_total(self) -> pd.Series:
        """Σ_s BAU[s,t], tCO2, indexed by year."""
        return self.bau.sum(axis=0)

    @cached_property
    def discount(self) -> pd.Series:
        """df(t), indexed by year."""
        return pd.Series(discount_factors(self.rate, self.years, self.start), index=self.years)

    @cached_property
    def crf(self) -> pd.Series:
        """CRF_p at the scenario's discount rate, indexed by project."""
        return pd.Series({p: crf(self.rate, int(L))
                          for p, L in self.projects["lifetime_years"].items()}, dtype=float)

    def pollutant_rates(self) -> pd.DataFrame:
        """t pollutant per unit-year, columns so2, nox, pm25, indexed by project."""
        cols = {f"{k}_t_per_unit_year": k for k in ("so2", "nox", "pm25")}
        return self.projects[list(cols)].rename(columns=cols)

    def cobenefit_credit(self) -> pd.Series:
        """CNY per unit-year credited for avoided pollutants (0 unless the scenario values them)."""
        v = self.scenario.cobenefit_value_cny_per_t
        rates = self.pollutant_rates()
        return rates["so2"] * v.so2 + rates["nox"] * v.nox + rates["pm25"] * v.pm25


def _apply_selection(sc: Scenario, projects: pd.DataFrame) -> pd.DataFrame:
    sel = sc.projects
    ids = list(projects.index)
    for i, p in enumerate(sel.exclude):
        if p not in ids:
            raise InputError(sc.source_of("projects", "exclude", i), f"key 'projects.exclude.{i}'",
                             f"unknown project {p!r}",
                             f"a project id of projects.csv ({', '.join(ids)})", _suggest(p, ids))
    out = projects.drop(index=sel.exclude)
    if out.empty:
        raise InputError(sc.source_of("projects", "exclude"), "key 'projects.exclude'",
                         f"excludes all {len(ids)} projects of projects.csv",
                         "at least one project left to plan")
    for p, changes in sel.override.items():
        src = sc.source_of("projects", "override", p)
        if p not in ids:
            raise InputError(src, f"key 'projects.override.{p}'", f"unknown project {p!r}",
                             f"a project id of projects.csv ({', '.join(ids)})", _suggest(p, ids))
        if p not in out.index:
            raise InputError(src, f"key 'projects.override.{p}'",
                             "the project is also excluded", "a project that is not excluded")
        for col in changes:
            if col == "project" or col not in ProjectRow.model_fields:
                allowed = [c for c in ProjectRow.model_fields if c != "project"]
                raise InputError(sc.source_of("projects", "override", p, col),
                                 f"key 'projects.override.{p}.{col}'", "unknown column",
                                 f"one of {', '.join(allowed)}", _suggest(str(col), allowed))
        row = {**out.loc[p].to_dict(), **changes}
        try:
            checked = ProjectRow.model_validate(row)
        except ValidationError as exc:
            col, problem, expected = validation_message(ProjectRow, exc)
            raise InputError(sc.source_of("projects", "override", p, col),
                             f"key 'projects.override.{p}.{col}'", problem, expected) from None
        for k, v in checked.model_dump().items():
            out.loc[p, k] = v
    return out


def _check_min_share(sc: Scenario, ds: Dataset, projects: pd.DataFrame) -> None:
    """An all_or_nothing project whose min_share cannot be built by the target year (given
    earliest_year and max_build_per_year) could never be chosen: an input error."""
    if "lumpy" not in projects:
        return
    ty = sc.target.peak_year or sc.years.end
    aon = projects[projects["lumpy"] == "all_or_nothing"]
    n = np.maximum(ty - np.maximum(aon["earliest_year"].to_numpy(int), sc.years.start) + 1, 0)
    need = aon["min_share"].to_numpy(float) * aon["max_units"].to_numpy(float)
    can = aon["max_build_per_year"].to_numpy(float) * n
    bad = need > can * (1 + 1e-9)
    if bad.any():
        p = aon.index[bad][0]
        k = int(np.argmax(bad))
        raise InputError(ds.folder / "projects.csv", f"project {p!r}, column 'min_share'",
                         f"min_share {need[k] / aon['max_units'].iloc[k]:g} of "
                         f"{aon['max_units'].iloc[k]:g} units cannot be built by the target year "
                         f"{ty} (at most {can[k]:g} units from earliest_year at "
                         "max_build_per_year)", "a share the roll-out limit can reach")


def _year_table(projects: pd.DataFrame, py: pd.DataFrame, col: str, years: list[int]
                ) -> pd.DataFrame:
    """Project x year table of `col`: the projects.csv value, replaced where project_years.csv
    gives one."""
    values = np.repeat(projects[col].to_numpy(float)[:, None], len(years), axis=1)
    given = py.dropna(subset=[col])
    given = given[given["project"].isin(projects.index) & given["year"].isin(years)]
    given = given.drop_duplicates(["project", "year"], keep="last")
    values[projects.index.get_indexer(given["project"]),
           pd.Index(years).get_indexer(given["year"])] = given[col].to_numpy(float)
    return pd.DataFrame(values, index=projects.index, columns=years)


def _extend(table: pd.DataFrame, horizon: list[int]) -> pd.DataFrame:
    """Columns for the optimised years beyond `end`, holding the last year's values."""
    last = table.columns[-1]
    extra = [y for y in horizon if y > last]
    if not extra:
        return table
    more = pd.DataFrame(np.repeat(table[[last]].to_numpy(), len(extra), axis=1),
                        index=table.index, columns=extra)
    return pd.concat([table, more], axis=1)


def bind(sc: Scenario, ds: Dataset | None = None) -> ModelInputs:
    """Check the scenario against its dataset and build the parameter tables."""
    ds = ds if ds is not None else load_dataset(Path(sc.data), sc)
    years = sc.reported_years
    base = ds.folder / "baseline.csv"
    bau = ds.baseline.pivot(index="sector", columns="year", values="emissions_t")
    bau = bau.reindex(ds.sectors)
    for s in bau.index:
        missing = [y for y in years if y not in bau.columns or pd.isna(bau.loc[s, y])]
        if missing:
            raise InputError(base, f"sector {s!r}", f"no row for year {missing[0]}"
                             + (f" (and {len(missing) - 1} more years)" if len(missing) > 1
                                else ""),
                             f"a row for every year {years[0]}–{years[-1]} of the scenario "
                             f"{sc.stem!r}")
    bau = _extend(bau[years].astype(float), sc.horizon)

    projects = fill_lumpy_defaults(_apply_selection(sc, ds.projects))
    _check_min_share(sc, ds, projects)
    for s in sc.target.sector_cap_t:
        if s not in bau.index:
            raise InputError(sc.source_of("target", "sector_cap_t", s),
                             f"key 'target.sector_cap_t.{s}'", f"unknown sector {s!r}",
                             f"a sector of baseline.csv ({', '.join(bau.index)})",
                             _suggest(str(s), list(bau.index)))

    indicators = None
    if ds.indicators is not None:
        ind = ds.indicators.set_index("year")
        missing = [y for y in years if y not in ind.index]
        if missing:
            raise InputError(ds.folder / "indicators.csv", "column 'year'",
                             f"no row for year {missing[0]}",
                             f"a row for every year {years[0]}–{years[-1]}")
        indicators = _extend(ind.loc[years, ["gdp_cny", "population"]].T, sc.horizon).T
        indicators.index.name = "year"
    needs = [k for k in ("intensity", "per_capita_t") if getattr(sc.target, k)]
    if needs and indicators is None:
        raise InputError(sc.source_of("target", needs[0]), f"key 'target.{needs[0]}'",
                         "needs GDP and population",
                         f"an indicators.csv file in {ds.folder}")

    tables = {c: _extend(_year_table(projects, ds.project_years, c, years), sc.horizon)
              for c in YEAR_PARAMS}
    return ModelInputs(scenario=sc, dataset=ds, projects=projects, bau=bau,
                       capex=tables["capex_cny_per_unit"],
                       abatement=tables["abatement_t_per_unit_year"],
                       savings=tables["savings_cny_per_unit_year"], indicators=indicators)
