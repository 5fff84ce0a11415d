"""Region scenarios: several cities (each a dataset folder) under a joint target.

A region scenario is a YAML file with ``regions:`` (name -> dataset folder, relative to the file
that states it), optional ``shared_projects:`` (a CSV of projects that serve several cities, with
``shared_project_keys.csv`` beside it), ``target.joint`` (targets on the sum of the cities'
emissions), ``target.by_region`` (each city's own targets, not tradable), ``allocation:`` (how the
joint target is shared into per-city obligations) and ``transfers:`` (none | unlimited |
{limit: share}). Strict keys and error messages are those of :mod:`planner.scenario`; every data
error names the region as well as the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field, ValidationError, field_validator, model_validator

from planner.data import (
    FREE_TEXT,
    Dataset,
    ProjectRow,
    _Row,
    check_member,
    check_unique,
    load_dataset,
    read_table,
)
from planner.errors import InputError, InputErrors, raise_all
from planner.scenario import (
    Budget,
    CobenefitValue,
    ProjectSelection,
    Scenario,
    ScenarioFile,
    SolverOptions,
    Target,
    Value,
    Years,
    _explain_all,
    _key_path,
    _origin,
    _resolve_chain,
    _Strict,
    check_years,
)

#: the burden-sharing rules of `allocation:`
RULES = ("equal_effort", "grandfathering", "per_capita", "gdp_capacity", "intensity",
         "least_cost")
#: tolerance of a key's sum (each key must add up to 1)
KEY_TOL = 1e-6


class JointTarget(_Strict):
    """Targets on the sum of the cities' emissions (the single-city forms)."""

    peak_year: int | None = Field(default=None, description="a year of the horizon")
    decline_after_peak: float = Field(default=0.0, ge=0, lt=1, allow_inf_nan=False,
                                      description="a yearly fraction >= 0 and < 1, e.g. 0.01")
    cap_t: float | None = Field(default=None, allow_inf_nan=False,
                                description="a number of tonnes of CO2")
    cap_path_t: dict[int, Value] = Field(default_factory=dict,
                                         description="a mapping year -> tonnes of CO2")
    carbon_budget_t: float | None = Field(default=None, allow_inf_nan=False,
                                          description="a number of tonnes of CO2")

    @property
    def is_bau(self) -> bool:
        """True when no joint target is set (no peak year, cap, cap path or budget)."""
        return (self.peak_year is None and self.cap_t is None and not self.cap_path_t
                and self.carbon_budget_t is None)


class RegionTargets(_Strict):
    scope: Literal["gross", "net"] = Field(
        default="gross", description="'gross' (sectors with positive BAU, default) or 'net'")
    joint: JointTarget = Field(default_factory=JointTarget,
                               description="a mapping of joint target keys (peak_year, cap_t, …)")
    by_region: dict[str, Target] = Field(
        default_factory=dict, description="a mapping region -> its own target keys")


class TransferLimit(_Strict):
    limit: float = Field(gt=0, allow_inf_nan=False,
                         description="a share > 0 of a city's obligation, e.g. 0.2")


class RegionEntry(_Strict):
    """One region: its dataset folder and its own project selection and investment budget
    (the single-city ``projects:`` and ``budget:`` keys). A bare folder is ``{data: folder}``."""

    data: Path = Field(description="a dataset folder, relative to the scenario file")
    projects: ProjectSelection = Field(default_factory=ProjectSelection,
                                       description="a mapping {exclude: [...], override: {...}}")
    budget: Budget = Field(default_factory=Budget,
                           description="a mapping {max_investment_cny_per_year: CNY}")


class RegionScenario(_Strict, ScenarioFile):
    """A validated region scenario. `regions`: name -> RegionEntry (absolute dataset folder)."""

    name: str = Field(min_length=1, description="a non-empty name")
    regions: dict[str, RegionEntry] = Field(
        description="a mapping region name -> dataset folder (relative to the scenario file), "
        "or -> {data: folder, projects: {exclude, override}, budget: {...}}")
    shared_projects: Path | None = Field(
        default=None, description="a CSV file of shared projects, relative to the scenario")
    years: Years = Field(description="a mapping {start: year, end: year} with end >= start")
    discount_rate: float = Field(ge=0, lt=1, allow_inf_nan=False,
                                 description="a real rate between 0 and 1, e.g. 0.08")
    target: RegionTargets = Field(default_factory=RegionTargets,
                                  description="a mapping {scope, joint, by_region}")
    allocation: Literal[RULES] = Field(  # type: ignore[valid-type]
        default="equal_effort", description="one of " + ", ".join(RULES))
    transfers: Literal["none", "unlimited"] | TransferLimit = Field(
        default="unlimited", description="'none', 'unlimited' or {limit: share}")
    solver: SolverOptions = Field(default_factory=SolverOptions,
                                  description="a mapping {time_limit_s: seconds}")
    cobenefit_value_cny_per_t: CobenefitValue = Field(
        default_factory=CobenefitValue, description="a mapping {so2, nox, pm25: CNY per t}")
    path: Path | None = Field(default=None, exclude=True)
    sources: list[Path] = Field(default_factory=list, exclude=True)

    @field_validator("regions", mode="before")
    @classmethod
    def _folders(cls, v: Any) -> Any:
        """A bare folder stands for {data: folder}."""
        if isinstance(v, dict):
            return {r: {"data": e} if isinstance(e, str | Path) else e for r, e in v.items()}
        return v

    @field_validator("regions")
    @classmethod
    def _at_least_two(cls, v: dict[str, RegionEntry]) -> dict[str, RegionEntry]:
        if len(v) < 2:
            raise ValueError(f"{len(v)} region(s); a region scenario needs at least two")
        return v

    @model_validator(mode="after")
    def _known_regions(self) -> RegionScenario:
        for r in self.target.by_region:
            if r not in self.regions:
                raise ValueError(f"target.by_region names {r!r}, which is not one of the "
                                 f"regions ({', '.join(self.regions)})")
        return self

    @property
    def names(self) -> list[str]:
        """The region names, in the order the scenario lists them."""
        return list(self.regions)

    def folder(self, region: str) -> Path:
        """The region's dataset folder (absolute once loaded)."""
        return self.regions[region].data

    @property
    def transfer_mode(self) -> str:
        """The transfer rule: 'none', 'unlimited' or 'limit' (a share, see transfer_limit)."""
        return self.transfers if isinstance(self.transfers, str) else "limit"

    @property
    def transfer_limit(self) -> float | None:
        """The transfer limit (a share) when transfers is {limit: ...}; None otherwise."""
        return None if isinstance(self.transfers, str) else self.transfers.limit

    def with_rule(self, allocation: str, transfers: Any = None) -> RegionScenario:
        """A copy under another allocation rule (and transfer setting)."""
        upd: dict[str, Any] = {"allocation": allocation}
        if transfers is not None:
            upd["transfers"] = transfers
        return self.model_copy(update=upd)


# ---------------------------------------------------------------- shared projects

class SharedKeyRow(_Row):
    project: str = Field(min_length=1, description="a project id of shared_projects.csv")
    region: str = Field(min_length=1, description="a region name of the scenario")
    abatement_share: float = Field(ge=0, le=1, allow_inf_nan=False,
                                   description="a share between 0 and 1 of the abatement")
    cost_share: float = Field(ge=0, le=1, allow_inf_nan=False,
                              description="a share between 0 and 1 of the cost")


@dataclass(frozen=True)
class SharedProjects:
    """Projects serving several cities.

    projects: rows of :class:`~planner.data.ProjectRow` (index = project id; constant over the
    years); abatement_key / cost_key: (project × region) shares, each row summing to 1."""

    file: Path
    projects: pd.DataFrame
    abatement_key: pd.DataFrame
    cost_key: pd.DataFrame


# ---------------------------------------------------------------- loaded region scenario

@dataclass(frozen=True)
class Regions:
    """A region scenario with each city's single-city :class:`Scenario` and dataset."""

    scenario: RegionScenario
    cities: dict[str, Scenario]
    datasets: dict[str, Dataset]
    shared: SharedProjects | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """The region names, in the order the scenario lists them."""
        return self.scenario.names


def is_region_scenario(path: str | Path) -> bool:
    """True when the scenario file (or one it extends) has a ``regions:`` key (False when it
    cannot be read: the single-city reader then reports why)."""
    try:
        merged, _ = _resolve_chain(Path(path), ())
    except InputError:
        return False
    return "regions" in merged


def in_region(err: InputError, region: str) -> InputError:
    """The same error, naming the region first (data errors of one city)."""
    if isinstance(err, InputErrors):
        return InputErrors([in_region(e, region) for e in err.errors])
    if err.where.startswith("region "):
        return err
    where = err.where.replace("key 'target.", f"key 'target.by_region.{region}.")
    for key in ("projects", "budget"):
        where = where.replace(f"key '{key}", f"key 'regions.{region}.{key}")
    return InputError(err.file, f"region {region!r}, {where}", err.problem, err.expected,
                      err.hint)


def _resolve_paths(merged: dict[str, Any], files: list[Path], path: Path) -> None:
    """Region folders and the shared-projects file, relative to the file that names them."""
    regs = merged.get("regions")
    if isinstance(regs, dict):
        for r, entry in regs.items():
            folder = entry.get("data") if isinstance(entry, dict) else entry
            if isinstance(folder, str) and folder.strip():
                origin = _origin(files, ("regions", r), path)
                full = str((Path(origin).parent / folder).resolve())
                if isinstance(entry, dict):
                    entry["data"] = full
                else:
                    regs[r] = full
    sp = merged.get("shared_projects")
    if isinstance(sp, str) and sp.strip():
        origin = _origin(files, ("shared_projects",), path)
        merged["shared_projects"] = str((Path(origin).parent / sp).resolve())


def load_region_scenario(path: str | Path) -> RegionScenario:
    """Read, merge (``extends``) and validate a region scenario file. Raises InputError."""
    path = Path(path)
    merged, files = _resolve_chain(path, ())
    _resolve_paths(merged, files, path.resolve())
    problems: list[InputError] = []
    try:
        rs = RegionScenario.model_validate(merged)
    except ValidationError as exc:
        problems = _explain_all(path, exc, files, RegionScenario)
    raise_all(problems)
    for r, entry in rs.regions.items():
        folder = entry.data
        if not folder.is_dir():
            origin = _origin(files, ("regions", r), path)
            key = f"regions.{r}" + (".data" if "projects" in entry.model_fields_set
                                    or "budget" in entry.model_fields_set else "")
            state = "is not a folder" if folder.exists() else "not found"
            problems.append(InputError(origin, f"key '{key}'", f"{folder} {state}",
                                       "a dataset folder, relative to the scenario file"))
    if rs.shared_projects is not None and not rs.shared_projects.is_file():
        problems.append(InputError(_origin(files, ("shared_projects",), path),
                                   "key 'shared_projects'", f"{rs.shared_projects} not found",
                                   "a CSV file of shared projects, relative to the scenario"))
    raise_all(problems)
    rs = rs.model_copy(update={"path": path.resolve(), "sources": files})
    _check_joint_years(rs)
    return rs


def _check_joint_years(rs: RegionScenario) -> None:
    start, end = rs.years.start, rs.years.end
    inside = f"a year from {start} to {end}"
    j = rs.target.joint
    problems = []

    def fail(loc: tuple[Any, ...], problem: str) -> None:
        problems.append(InputError(rs.source_of(*loc), f"key '{_key_path(loc)}'", problem,
                                   inside))

    if j.peak_year is not None and not start <= j.peak_year <= end:
        fail(("target", "joint", "peak_year"), f"found {j.peak_year}")
    for y in j.cap_path_t:
        if not start <= y <= end:
            fail(("target", "joint", "cap_path_t", y), f"year {y}")
    raise_all(problems)


def city_scenario(rs: RegionScenario, region: str) -> Scenario:
    """The single-city scenario of one region: its folder, the shared years and rate, its own
    targets (``target.by_region``) in the shared scope, its own ``projects:`` and ``budget:``
    (under ``regions.<name>``)."""
    own = rs.target.by_region.get(region, Target())
    if "scope" in own.model_fields_set and own.scope != rs.target.scope:
        raise InputError(rs.source_of("target", "by_region", region, "scope"),
                         f"key 'target.by_region.{region}.scope'", f"found {own.scope!r}",
                         f"the scope of the whole scenario ({rs.target.scope!r}): set "
                         "target.scope once for all regions")
    target = own.model_copy(update={"scope": rs.target.scope})
    entry = rs.regions[region]
    return Scenario(name=f"{rs.name} — {region}", data=entry.data, years=rs.years,
                    discount_rate=rs.discount_rate, target=target, solver=rs.solver,
                    budget=entry.budget, projects=entry.projects,
                    cobenefit_value_cny_per_t=rs.cobenefit_value_cny_per_t,
                    path=rs.path, sources=rs.sources)


def load_regions(path: str | Path) -> Regions:
    """Load a region scenario and every region's dataset (all problems at once, each naming
    its region), then the shared projects."""
    rs = load_region_scenario(path)
    errors: list[InputError] = []
    cities: dict[str, Scenario] = {}
    datasets: dict[str, Dataset] = {}
    for r in rs.names:
        try:
            sc = city_scenario(rs, r)
            check_years(sc)
            cities[r] = sc
        except InputError as exc:
            errors.append(in_region(exc, r))
            continue
        try:
            datasets[r] = load_dataset(rs.folder(r), None)
        except InputError as exc:
            errors.append(in_region(exc, r))
    raise_all(errors)
    _check_year_ranges(rs, datasets)
    for r, ds in datasets.items():  # every year of the horizon, now the ranges agree
        try:
            load_dataset(ds.folder, cities[r])
        except InputError as exc:
            errors.append(in_region(exc, r))
    raise_all(errors)
    shared = load_shared(rs, datasets) if rs.shared_projects is not None else None
    return Regions(rs, cities, datasets, shared)


def _years_text(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if years == list(range(years[0], years[-1] + 1)) \
        else ", ".join(map(str, years))


def _check_year_ranges(rs: RegionScenario, datasets: dict[str, Dataset]) -> None:
    """Every region's baseline.csv (and indicators.csv) must cover the same years."""
    first = rs.names[0]
    errors = []
    for what, get in (("baseline.csv", lambda d: d.baseline["year"]),
                      ("indicators.csv", lambda d: None if d.indicators is None
                       else d.indicators["year"])):
        ref = get(datasets[first])
        if ref is None:
            continue
        ref_years = sorted({int(y) for y in ref})
        for r in rs.names[1:]:
            got = get(datasets[r])
            if got is None:
                continue
            years = sorted({int(y) for y in got})
            if years != ref_years:
                errors.append(InputError(
                    datasets[r].folder / what, f"region {r!r}, column 'year'",
                    f"years {_years_text(years)}, while region {first!r} has "
                    f"{_years_text(ref_years)}",
                    "the same years in every region's " + what))
    raise_all(errors)


def load_shared(rs: RegionScenario, datasets: dict[str, Dataset]) -> SharedProjects:
    """shared_projects.csv and shared_project_keys.csv (beside it): projects, and the
    abatement and cost keys per region (each summing to 1 over the regions)."""
    p = rs.shared_projects
    assert p is not None
    errors: list[InputError] = []
    projects = read_table(p, ProjectRow, errors)
    if projects is not None:
        check_unique(projects, p, ["project"], "project id", errors)
        for i in projects.index[projects["exclusive_group"].astype(bool)]:
            errors.append(InputError(p, f"line {int(projects.at[i, 'line'])}, column "
                                     "'exclusive_group'",
                                     f"found {projects.at[i, 'exclusive_group']!r}",
                                     "empty: shared projects have no exclusive groups"))
    kp = p.parent / "shared_project_keys.csv"
    keys = read_table(kp, SharedKeyRow, errors)
    raise_all(errors)
    assert projects is not None and keys is not None
    check_unique(keys, kp, ["project", "region"], "project and region", errors)
    check_member(keys, kp, "project", list(projects["project"]), p.name, errors)
    check_member(keys, kp, "region", rs.names, "the regions of the scenario", errors)
    raise_all(errors)
    ids = list(projects["project"])
    ab = keys.pivot(index="project", columns="region", values="abatement_share")
    co = keys.pivot(index="project", columns="region", values="cost_share")
    ab = ab.reindex(index=ids, columns=rs.names).fillna(0.0)
    co = co.reindex(index=ids, columns=rs.names).fillna(0.0)
    for name, key in (("abatement_share", ab), ("cost_share", co)):
        sums = key.sum(axis=1)
        for proj in sums.index[np.abs(sums.to_numpy() - 1.0) > KEY_TOL]:
            lines = keys.loc[keys["project"] == proj, "line"].tolist()
            where = (f"lines {', '.join(map(str, lines))}" if lines else "file")
            errors.append(InputError(kp, f"{where}, column {name!r}",
                                     f"the {name} of project {proj!r} adds up to "
                                     f"{sums[proj]:.6g}", "shares that add up to 1 over the "
                                     "regions"))
    # the sector a shared project reduces must exist in every region with an abatement share
    for _, row in projects.iterrows():
        for r in rs.names:
            if ab.at[row["project"], r] > 0 and row["sector"] not in datasets[r].sectors:
                errors.append(InputError(p, f"region {r!r}, line {int(row['line'])}, column "
                                         "'sector'", f"found {row['sector']!r}, which is not "
                                         f"a sector of region {r!r}'s baseline.csv",
                                         f"one of {', '.join(datasets[r].sectors)}"))
    raise_all(errors)
    free = [c for c in FREE_TEXT if c in projects.columns]
    projects = projects.drop(columns=["line", *free]).set_index("project", drop=False)
    return SharedProjects(p, projects, ab, co)


__all__ = ["RULES", "JointTarget", "RegionEntry", "RegionScenario", "Regions", "SharedProjects",
           "city_scenario", "in_region", "is_region_scenario", "load_region_scenario",
           "load_regions", "load_shared"]

