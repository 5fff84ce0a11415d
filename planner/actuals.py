"""Actuals for tracking a plan: what was emitted and what was built, read from a folder.

``actual_emissions.csv``: year, optional sector, emissions_t; optional gdp_cny, population.
``actual_deployment.csv``: project, year, build_units; optional abatement_t_per_unit_year
(measured) and capex_cny (spent that year on that project).

Errors follow :mod:`planner.data`: an :class:`~planner.errors.InputError` naming the file, the
line (header = line 1) and the column, the value and what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import Field, field_validator

from planner.data import (
    NonEmpty,
    Year,
    _native,
    _num,
    _Row,
    check_member,
    check_unique,
    read_table,
    sha256_of,
)
from planner.errors import InputError

EMISSIONS_FILE = "actual_emissions.csv"
DEPLOYMENT_FILE = "actual_deployment.csv"
#: sector label of rows that give the city total (no sector column or an empty cell)
TOTAL = ""


def _empty_is_none(v: Any) -> Any:
    return None if v == "" else v


class ActualEmissionsRow(_Row):
    """One row of the actual-emissions CSV: year, sector (empty: city total), t CO2."""

    year: Year = Field(description="a whole year such as 2022")
    sector: str | None = Field(default=None, description="a sector id of baseline.csv, or empty "
                               "for the city total")
    emissions_t: float = _num("a finite number of tonnes of CO2 (may be <= 0 for a sink)")
    gdp_cny: float | None = _num("a number > 0 (CNY, constant prices), or empty", gt=0,
                                 default=None)
    population: float | None = _num("a number > 0 (persons), or empty", gt=0, default=None)

    _optional = field_validator("sector", "gdp_cny", "population", mode="before")(
        _empty_is_none)


class ActualDeploymentRow(_Row):
    """One row of the actual-deployment CSV: units built, measured t CO2/unit-year, CNY."""

    project: NonEmpty = Field(description="a project id of projects.csv")
    year: Year = Field(description="a whole year such as 2022")
    build_units: float = _num("a number >= 0 (units built that year)", ge=0)
    abatement_t_per_unit_year: float | None = _num(
        "a number >= 0 (measured tCO2 per unit and year), or empty", ge=0, default=None)
    capex_cny: float | None = _num("a number >= 0 (CNY spent that year), or empty", ge=0,
                                   default=None)

    _optional = field_validator("abatement_t_per_unit_year", "capex_cny", mode="before")(
        _empty_is_none)


class RebaseRow(_Row):
    """One row of the rebase CSV: a re-projected BAU emission (t CO2) after the as-of year."""

    year: Year = Field(description="a whole year after the as-of year")
    sector: str | None = Field(default=None, description="a sector id of baseline.csv, or empty "
                               "for the city total")
    emissions_t: float = _num("a finite number of tonnes of CO2 (the re-projected BAU)")

    _optional = field_validator("sector", mode="before")(_empty_is_none)


@dataclass(frozen=True)
class Actuals:
    """Validated actuals.

    emissions: year, sector ('' = city total), emissions_t (tCO2)
    indicators: year, gdp_cny, population (observed; NaN where not given) — or None
    deployment: project, year, build_units, abatement_t_per_unit_year (NaN = not measured),
        capex_cny (NaN = not given); years without a row count as 0 units built
    as_of: the last year the actuals cover; builds up to it are fixed
    by_sector: True when emissions are given per sector (every sector, every year)
    """

    folder: Path
    emissions: pd.DataFrame
    indicators: pd.DataFrame | None
    deployment: pd.DataFrame
    as_of: int
    by_sector: bool
    files: dict[str, str] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        """Years with observed emissions, ascending."""
        return sorted(int(y) for y in self.emissions["year"].unique())


def _line(df: pd.DataFrame, i: Any) -> int:
    return int(_native(df.at[i, "line"]))


def _check_years(df: pd.DataFrame, path: Path, first: int, last: int, what: str) -> None:
    bad = (df["year"] < first) | (df["year"] > last)
    if bad.any():
        i = df.index[bad][0]
        y = int(df.at[i, "year"])
        raise InputError(path, f"line {_line(df, i)}, column 'year'",
                         f"found {y}, {'after the as-of year' if y > last else 'before'} "
                         f"{last if y > last else first}",
                         f"a year from {first} to {last} ({what})")


def load_actuals(folder: Path | str, *, projects: list[str], sectors: list[str], start: int,
                 end: int, as_of: int | None = None) -> Actuals:
    """Read and check the actuals of `folder` against a plan's projects, sectors and years.

    as_of defaults to the last year of actual_emissions.csv; it must leave at least one year of
    the horizon start..end to re-plan.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(folder, "--actuals", "folder not found",
                         f"a folder holding {EMISSIONS_FILE} and {DEPLOYMENT_FILE}")
    files: dict[str, str] = {}

    p = folder / EMISSIONS_FILE
    em = read_table(p, ActualEmissionsRow)
    files[p.name] = sha256_of(p)
    last = as_of if as_of is not None else int(em["year"].max())
    if not start <= last < end:
        raise InputError("command line" if as_of is not None else p,
                         "--as-of" if as_of is not None else "column 'year'",
                         f"as-of year {last}",
                         f"a year from {start} to {end - 1}, so that some years are left "
                         "to re-plan")
    _check_years(em, p, start, last, "the observed years of the plan up to the as-of year")
    em["sector"] = em["sector"].fillna(TOTAL)
    given = em["sector"] != TOTAL
    if given.any() and not given.all():
        i = em.index[given != given.iloc[0]][0]
        raise InputError(p, f"line {_line(em, i)}, column 'sector'",
                         "rows with and without a sector are mixed",
                         "either a sector on every row or on none (city totals)")
    by_sector = bool(given.all())
    if by_sector:
        check_member(em, p, "sector", sectors, "baseline.csv")
    check_unique(em, p, ["year", "sector"], "year and sector" if by_sector else "year")
    if by_sector:
        for y, g in em.groupby("year"):
            missing = [s for s in sectors if s not in set(g["sector"])]
            if missing:
                raise InputError(p, f"year {int(y)}", f"no row for sector {missing[0]!r}",
                                 f"a row for every sector of baseline.csv "
                                 f"({', '.join(sectors)}) in each year given")
    indicators = None
    if em[["gdp_cny", "population"]].notna().any().any():
        rows = []
        for y, g in em.groupby("year"):
            rec: dict[str, Any] = {"year": int(y)}
            for col in ("gdp_cny", "population"):
                vals = g[col].dropna()
                if vals.nunique() > 1:
                    i = vals.index[1]
                    raise InputError(p, f"line {_line(em, i)}, column {col!r}",
                                     f"found {_native(vals.iloc[1])!r}, which differs from "
                                     f"{_native(vals.iloc[0])!r} given for {int(y)}",
                                     "one value per year")
                rec[col] = float(vals.iloc[0]) if len(vals) else float("nan")
            rows.append(rec)
        indicators = pd.DataFrame(rows).sort_values("year").reset_index(drop=True)

    p = folder / DEPLOYMENT_FILE
    dep = read_table(p, ActualDeploymentRow)
    files[p.name] = sha256_of(p)
    check_member(dep, p, "project", projects, "the plan's projects (projects.csv)")
    check_unique(dep, p, ["project", "year"], "project and year")
    _check_years(dep, p, start, last, "the plan's years up to the as-of year")

    return Actuals(
        folder=folder,
        emissions=em[["year", "sector", "emissions_t"]].sort_values(["year", "sector"])
        .reset_index(drop=True),
        indicators=indicators,
        deployment=dep.drop(columns="line").sort_values(["project", "year"])
        .reset_index(drop=True),
        as_of=last, by_sector=by_sector, files=files)


def load_rebase(path: Path | str, *, sectors: list[str], as_of: int, end: int) -> pd.DataFrame:
    """A user's re-projected BAU for the years after as-of: year, sector ('' = city total),
    emissions_t. Every year as_of+1..end must be given (for every sector, or as totals)."""
    path = Path(path)
    df = read_table(path, RebaseRow)
    df["sector"] = df["sector"].fillna(TOTAL)
    given = df["sector"] != TOTAL
    if given.any() and not given.all():
        i = df.index[given != given.iloc[0]][0]
        raise InputError(path, f"line {_line(df, i)}, column 'sector'",
                         "rows with and without a sector are mixed",
                         "either a sector on every row or on none (city totals)")
    if given.all():
        check_member(df, path, "sector", sectors, "baseline.csv")
    check_unique(df, path, ["year", "sector"], "year and sector")
    _check_years(df, path, as_of + 1, end, "the years after the as-of year")
    keys = sectors if given.all() else [TOTAL]
    have = set(zip(df["year"].astype(int), df["sector"], strict=True))
    for y in range(as_of + 1, end + 1):
        for s in keys:
            if (y, s) not in have:
                raise InputError(path, "column 'year'",
                                 f"no row for year {y}" + (f", sector {s!r}" if s else ""),
                                 f"a row for every year {as_of + 1}–{end}")
    return df.drop(columns="line").reset_index(drop=True)
