"""Dataset loading and validation: CSV files in, typed and checked pandas DataFrames out.

Every problem is raised as an :class:`~planner.errors.InputError` naming the file, the line
(the header is line 1) and the column, the value found and what was expected. The model never
sees a raw CSV row.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from planner.errors import InputError, PlausibilityWarning, raise_all
from planner.inputtext import (
    FULLWIDTH_FIX,
    THOUSANDS_FIX,
    decode,
    describe_fullwidth,
    has_thousands_separator,
    rejoin_thousands,
    to_halfwidth,
)
from planner.plausibility import plausibility_warnings
from planner.scenario import Scenario

# ---------------------------------------------------------------- row schemas -------------

#: free-text columns accepted in every CSV file and kept (as text) on the loaded tables
FREE_TEXT = ("notes", "source", "备注", "说明", "来源")

NonEmpty = Annotated[str, Field(min_length=1)]
Year = Annotated[int, Field(ge=1900, le=2200)]


def _num(description: str, **bounds: float) -> Any:
    return Field(allow_inf_nan=False, description=description, **bounds)


class _Row(BaseModel):
    """A CSV row: unknown columns are errors, text is stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_free_text(cls, data: Any) -> Any:
        # free-text columns ride along on the tables but are not part of a row's schema
        if isinstance(data, dict) and any(k in data for k in FREE_TEXT):
            data = {k: v for k, v in data.items() if k not in FREE_TEXT}
        return data

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool(cls, v: Any) -> Any:
        # a YAML override such as `max_units: yes` would otherwise count as 1
        if isinstance(v, bool):
            raise ValueError("a yes/no value is not allowed here")
        return v


class BaselineRow(_Row):
    """One row of baseline.csv: a sector's BAU emissions in a year (t CO2)."""

    sector: NonEmpty = Field(description="a sector id (non-empty text)")
    year: Year = Field(description="a whole year such as 2025")
    emissions_t: float = _num("a finite number of tonnes of CO2 (may be <= 0 for a sink)")


class ProjectRow(_Row):
    """One row of projects.csv: a project's limits (units), costs (CNY) and abatement (t)."""

    project: NonEmpty = Field(description="a unique project id (non-empty text)")
    name: NonEmpty = Field(description="a display name (non-empty text)")
    measure: NonEmpty = Field(description="a measure id (non-empty text)")
    sector: NonEmpty = Field(description="a sector id of baseline.csv")
    unit: NonEmpty = Field(description="the name of one unit, e.g. MW (non-empty text)")
    max_units: float = _num("a number > 0 (units)", gt=0)
    max_build_per_year: float = _num("a number > 0 (units per year)", gt=0)
    earliest_year: Year = Field(description="a whole year such as 2022")
    lifetime_years: int = Field(ge=1, le=200, description="a whole number of years >= 1")
    capex_cny_per_unit: float = _num("a number >= 0 (CNY per unit)", ge=0)
    fixed_om_cny_per_unit_year: float = _num("a number >= 0 (CNY per unit and year)", ge=0)
    savings_cny_per_unit_year: float = _num("a number >= 0 (CNY per unit and year)", ge=0)
    abatement_t_per_unit_year: float = _num("a number > 0 (tCO2 per unit and year)", gt=0)
    so2_t_per_unit_year: float = _num("a number >= 0 (t SO2 per unit and year)", ge=0, default=0.0)
    nox_t_per_unit_year: float = _num("a number >= 0 (t NOx per unit and year)", ge=0, default=0.0)
    pm25_t_per_unit_year: float = _num("a number >= 0 (t PM2.5 per unit and year)", ge=0,
                                       default=0.0)
    exclusive_group: str = Field(default="", description="a group id, or empty for none")
    lumpy: Literal["continuous", "integer", "all_or_nothing"] = Field(
        default="continuous", description="continuous (default), integer or all_or_nothing")
    min_share: float | None = _num(
        "a share between 0 and 1 (all_or_nothing projects only), or empty", ge=0, le=1,
        default=None)
    fixed_cost_cny: float | None = _num(
        "a number >= 0 (CNY; all_or_nothing projects only), or empty", ge=0, default=None)

    @field_validator("lumpy", mode="before")
    @classmethod
    def _empty_is_continuous(cls, v: Any) -> Any:
        return "continuous" if v == "" else v

    @field_validator("min_share", "fixed_cost_cny", mode="before")
    @classmethod
    def _empty_is_default(cls, v: Any) -> Any:
        return None if v == "" else v


#: defaults of the lumpy columns of projects.csv (min_share: of max_units, by the target year)
LUMPY_DEFAULTS = {"min_share": 1.0, "fixed_cost_cny": 0.0}


class ProjectYearRow(_Row):
    """One row of project_years.csv: a project's per-year overrides (CNY/unit, t/unit-year)."""

    project: NonEmpty = Field(description="a project id of projects.csv")
    year: Year = Field(description="a whole year such as 2025")
    capex_cny_per_unit: float | None = _num("a number >= 0 (CNY per unit), or empty", ge=0,
                                           default=None)
    abatement_t_per_unit_year: float | None = _num(
        "a number >= 0 (tCO2 per unit and year), or empty", ge=0, default=None)
    savings_cny_per_unit_year: float | None = _num(
        "a number >= 0 (CNY per unit and year), or empty", ge=0, default=None)

    @field_validator("capex_cny_per_unit", "abatement_t_per_unit_year",
                     "savings_cny_per_unit_year", mode="before")
    @classmethod
    def _empty_is_none(cls, v: Any) -> Any:
        return None if v == "" else v


class IndicatorRow(_Row):
    """One row of indicators.csv: a year's GDP (CNY, constant prices) and population."""

    year: Year = Field(description="a whole year such as 2025")
    gdp_cny: float = _num("a number > 0 (CNY, constant prices)", gt=0)
    population: float = _num("a number > 0 (persons)", gt=0)


#: year-varying project parameters that project_years.csv may override
YEAR_PARAMS = ("capex_cny_per_unit", "abatement_t_per_unit_year", "savings_cny_per_unit_year")
#: air pollutants with co-benefit columns, in display order
POLLUTANTS = ("so2", "nox", "pm25")


# ---------------------------------------------------------------- generic reader ----------

def _expected(model: type[BaseModel], column: str) -> str:
    f = model.model_fields.get(column)
    return (f.description if f is not None and f.description else "a valid value")


def validation_message(model: type[BaseModel], err: ValidationError) -> tuple[str, str, str]:
    """(column, problem, expected) for the first error of a row validation."""
    e = err.errors()[0]
    column = str(e["loc"][0]) if e["loc"] else "?"
    value = e.get("input")
    if e["type"] == "extra_forbidden":
        return column, f"unknown field {column!r}", "only the documented columns"
    if value == "":
        problem = "empty cell"
    else:
        problem = f"found {value!r}"
    return column, problem, _expected(model, column)


def sha256_of(path: Path) -> str:
    """The SHA-256 hex digest of the file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _native(v: Any) -> Any:
    """A numpy scalar as the plain Python value (so messages show 2041, not np.int64(2041))."""
    return v.item() if hasattr(v, "item") else v


def _suggest(name: str, options: list[str]) -> str | None:
    close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


def _numeric(model: type[BaseModel], column: str) -> bool:
    f = model.model_fields.get(column)
    return f is not None and f.annotation is not str


def _cell_error(path: Path, line: int, model: type[BaseModel], column: str,
                cell: str) -> InputError | None:
    """A thousands separator or full-width characters in a number cell, named with the fix."""
    if not _numeric(model, column):
        return None
    where = f"line {line}, column {column!r}"
    full = describe_fullwidth(cell)
    if full:
        return InputError(path, where, f"found {cell!r}, with {full}",
                          _expected(model, column) + " in half-width (ASCII) characters, e.g. "
                          f"{to_halfwidth(cell).replace(',', '')!r}", FULLWIDTH_FIX)
    if has_thousands_separator(cell):
        return InputError(path, where, f"found {cell!r}, a number with thousands separators",
                          _expected(model, column), THOUSANDS_FIX)
    return None


def _row_errors(path: Path, line: int, model: type[BaseModel], data: dict[str, str],
                err: ValidationError) -> list[InputError]:
    out: list[InputError] = []
    for e in err.errors():
        column = str(e["loc"][0]) if e["loc"] else "?"
        special = _cell_error(path, line, model, column, str(data.get(column, "")))
        if special is not None:
            out.append(special)
            continue
        value = e.get("input")
        problem = "empty cell" if value == "" else f"found {value!r}"
        out.append(InputError(path, f"line {line}, column {column!r}", problem,
                              _expected(model, column)))
    return out


def _header_errors(path: Path, header: list[str], model: type[BaseModel]) -> list[InputError]:
    fields = list(model.model_fields)
    required = [k for k, f in model.model_fields.items() if f.is_required()]
    errors: list[InputError] = []
    if len(header) == 1 and len(required) > 1:
        for delim, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "'|'"),
                             ("\uff0c", "full-width commas '，'"),
                             ("\u3001", "ideographic commas '、'")):
            if delim in header[0]:
                hint = FULLWIDTH_FIX if ord(delim) > 127 else None
                return [InputError(path, "line 1", f"the columns are separated by {label}",
                                   "commas ',' between columns", hint)]
    seen: set[str] = set()
    suggested: set[str] = set()
    for col in header:
        if col == "":
            errors.append(InputError(path, "line 1", "a column has an empty header",
                                     f"column names among {', '.join(fields)}"))
            continue
        if col in seen:
            errors.append(InputError(path, "line 1", f"column {col!r} appears twice",
                                     "each column once"))
        seen.add(col)
        if col not in fields and col not in FREE_TEXT:
            full = describe_fullwidth(col)
            options = [f for f in fields if f not in header]
            close = difflib.get_close_matches(to_halfwidth(col).strip(), options, n=1,
                                              cutoff=0.6)
            suggested.update(close)
            errors.append(InputError(
                path, f"line 1, column {col!r}", "unknown column" + (f", with {full}"
                                                                    if full else ""),
                f"columns among {', '.join(fields)} (and free-text columns "
                f"{', '.join(FREE_TEXT)})",
                f"did you mean {close[0]!r}?" if close else (FULLWIDTH_FIX if full else None)))
    for col in required:
        if col not in header and col not in suggested:  # a misspelling already named
            errors.append(InputError(path, "line 1", f"column {col!r} is missing",
                                     f"columns {', '.join(required)}"))
    return errors


def _ragged_error(path: Path, line: int, cells: list[str], header: list[str]) -> InputError:
    joined = rejoin_thousands(cells, len(header))
    if joined:
        cols = ", ".join(f"{header[i]!r} ({text})" for i, text in joined)
        plural = "s" if len(joined) > 1 else ""
        return InputError(path, f"line {line}", f"{len(cells)} fields: thousands separators "
                          f"split numbers into two fields, in column{plural} {cols}",
                          f"{len(header)} fields, one per column of the header",
                          THOUSANDS_FIX)
    text = ",".join(cells)
    if len(cells) < len(header) and len(re.split("[,\uff0c]", text)) == len(header):
        return InputError(path, f"line {line}", f"{len(cells)} fields: some are separated by "
                          "full-width commas '，'", f"{len(header)} fields separated by commas ','",
                          FULLWIDTH_FIX)
    return InputError(path, f"line {line}", f"{len(cells)} fields",
                      f"{len(header)} fields, one per column of the header")


def read_table(path: Path, model: type[BaseModel],
               errors: list[InputError] | None = None) -> pd.DataFrame | None:
    """Read one CSV file and validate every row against `model`.

    Returns a DataFrame with one column per model field (documented defaults filled in), the
    free-text columns the file has (FREE_TEXT, as text) and a ``line`` column holding each
    row's line number in the file (header = line 1).

    Every problem of the file is found: with `errors` given they are appended to it and the
    valid rows returned (None when the file cannot be read at all); without, they are raised
    together (InputError, or InputErrors for several).
    """
    if errors is None:
        found: list[InputError] = []
        df = read_table(path, model, found)
        raise_all(found)
        return df
    fields = list(model.model_fields)
    required = [k for k, f in model.model_fields.items() if f.is_required()]
    if not path.is_file():
        errors.append(InputError(path, "file", "not found",
                                 f"a CSV file with columns {', '.join(required)}"))
        return None
    try:
        text = decode(path, path.read_bytes(), "UTF-8 (or GBK) text")
    except InputError as exc:
        errors.append(exc)
        return None
    if not text.strip():
        errors.append(InputError(path, "file", "the file is empty",
                                 f"a header row with columns {', '.join(required)}"))
        return None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip() for h in rows[0]]
    bad_header = _header_errors(path, header, model)
    if bad_header:
        errors.extend(bad_header)
        return None
    free = [c for c in header if c in FREE_TEXT]
    records: list[dict[str, Any]] = []
    n_before = len(errors)
    for i, cells in enumerate(rows[1:], start=2):
        if not cells or all(c.strip() == "" for c in cells):
            continue  # blank line
        if len(cells) != len(header):
            errors.append(_ragged_error(path, i, cells, header))
            continue
        data = dict(zip(header, cells, strict=True))
        notes = {c: data.pop(c).strip() for c in free}
        try:
            row = model.model_validate(data)
        except ValidationError as exc:
            errors.extend(_row_errors(path, i, model, data, exc))
            continue
        rec = row.model_dump()
        rec.update(notes)
        rec["line"] = i
        records.append(rec)
    if not records and len(errors) == n_before:
        errors.append(InputError(path, "file", "no data rows",
                                 "at least one row under the header"))
    return pd.DataFrame.from_records(records, columns=[*fields, *free, "line"])


def check_unique(df: pd.DataFrame, path: Path, keys: list[str], what: str,
                 errors: list[InputError] | None = None) -> None:
    """Every row whose `keys` repeat an earlier row is an error (raised at once without
    `errors`, else appended to it)."""
    dup = df.duplicated(keys, keep="first")
    for i in df.index[dup]:
        row = {k: _native(df.at[i, k]) for k in keys}
        first = df.index[(df[keys] == pd.Series(row)).all(axis=1)][0]
        vals = ", ".join(f"{k}={v!r}" for k, v in row.items())
        err = InputError(path, f"line {_native(df.at[i, 'line'])}", f"duplicate {what} ({vals})",
                         f"each {what} once (first given on line "
                         f"{_native(df.at[first, 'line'])})")
        if errors is None:
            raise err
        errors.append(err)


def _listed(values: list[Any], n: int = 12) -> str:
    shown = ", ".join(map(str, values[:n]))
    return shown + (f" and {len(values) - n} more" if len(values) > n else "")


def check_member(df: pd.DataFrame, path: Path, column: str, allowed: list[Any],
                 source: str, errors: list[InputError] | None = None) -> None:
    """Every row whose `column` is not among `allowed` (ids from `source`) is an error (raised
    at once without `errors`, else appended to it)."""
    bad = ~df[column].isin(allowed)
    for i in df.index[bad]:
        value = _native(df.at[i, column])
        err = InputError(path, f"line {_native(df.at[i, 'line'])}, column {column!r}",
                         f"found {value!r}, which is not in {source}",
                         f"one of {_listed(list(allowed))}",
                         _suggest(value, [str(a) for a in allowed])
                         if isinstance(value, str) else None)
        if errors is None:
            raise err
        errors.append(err)


# ---------------------------------------------------------------- the dataset -------------

@dataclass(frozen=True)
class Dataset:
    """A validated dataset folder.

    baseline: sector, year, emissions_t (tCO2)
    projects: one row per project, columns of :class:`ProjectRow` (index = project id)
    project_years: project, year and the overridden YEAR_PARAMS (NaN = not overridden)
    indicators: year, gdp_cny, population — or None when the file is absent
    files: input file name -> SHA-256 of its bytes
    """

    folder: Path
    baseline: pd.DataFrame
    projects: pd.DataFrame
    project_years: pd.DataFrame
    indicators: pd.DataFrame | None
    files: dict[str, str] = field(default_factory=dict)

    @property
    def sectors(self) -> list[str]:
        """The sector ids of baseline.csv, in order of first appearance."""
        return list(dict.fromkeys(self.baseline["sector"]))


_WARNED: set[str] = set()


def load_dataset(folder: Path, scenario: Scenario | None = None) -> Dataset:
    """Load and validate every CSV file of a dataset folder.

    Every file is checked before giving up: all problems are raised together (InputErrors).
    With the `scenario` the data are meant for, the baseline and indicators must cover its
    years (a gap is the baseline's error, not that of the files that use the year), and
    implausible totals or targets give an InputWarning.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(folder, "folder", "dataset folder not found",
                         "a folder holding baseline.csv and projects.csv")
    errors: list[InputError] = []
    files: dict[str, str] = {}
    horizon = scenario.reported_years if scenario is not None else None

    p = folder / "baseline.csv"
    baseline = read_table(p, BaselineRow, errors)
    base_ok = baseline is not None and not errors
    sectors: list[str] = []
    years: list[int] = []
    if baseline is not None:
        check_unique(baseline, p, ["sector", "year"], "sector and year", errors)
        files[p.name] = sha256_of(p)
        sectors = list(dict.fromkeys(baseline["sector"]))
        years = sorted(int(y) for y in baseline["year"].unique())
        if base_ok and horizon is not None:
            errors.extend(_missing_years(p, baseline, horizon, scenario))

    p = folder / "projects.csv"
    n_before = len(errors)
    projects = read_table(p, ProjectRow, errors)
    if projects is not None:
        check_unique(projects, p, ["project"], "project id", errors)
        if base_ok:
            check_member(projects, p, "sector", sectors, "baseline.csv", errors)
        files[p.name] = sha256_of(p)
        _check_lumpy(projects, p, errors)
        projects = fill_lumpy_defaults(projects)
    projects_ok = projects is not None and len(errors) == n_before

    p = folder / "project_years.csv"
    py = None
    if p.exists():
        py = read_table(p, ProjectYearRow, errors)
        if py is not None:
            check_unique(py, p, ["project", "year"], "project and year", errors)
            if projects_ok:
                check_member(py, p, "project", list(projects["project"]), "projects.csv",
                             errors)
            if base_ok:
                # a year the scenario needs but the baseline lacks is the baseline's error
                known = years + [y for y in (horizon or []) if y not in years]
                check_member(py, p, "year", known, "the years of baseline.csv", errors)
            files[p.name] = sha256_of(p)
    if py is None:
        py = pd.DataFrame({c: pd.Series(dtype=float) for c in ("project", "year", *YEAR_PARAMS)})
        py["line"] = pd.Series(dtype=int)

    p = folder / "indicators.csv"
    indicators = None
    if p.exists():
        n_before = len(errors)
        indicators = read_table(p, IndicatorRow, errors)
        if indicators is not None:
            check_unique(indicators, p, ["year"], "year", errors)
            files[p.name] = sha256_of(p)
            if horizon is not None and len(errors) == n_before:
                missing = [y for y in horizon if y not in set(indicators["year"])]
                if missing:
                    errors.append(InputError(p, "column 'year'", f"no row for year {missing[0]}",
                                             f"a row for every year {horizon[0]}–{horizon[-1]}"))
            indicators = (indicators.drop(columns="line").sort_values("year")
                          .reset_index(drop=True))

    raise_all(errors)
    assert baseline is not None and projects is not None
    if scenario is not None:
        for message in plausibility_warnings(scenario, baseline):
            if message not in _WARNED:  # once per process, however often the data are bound
                _WARNED.add(message)
                warnings.warn(PlausibilityWarning(message), stacklevel=2)
    return Dataset(
        folder=folder,
        baseline=baseline.drop(columns="line"),
        projects=projects.drop(columns="line").set_index("project", drop=False),
        project_years=py.drop(columns="line").reset_index(drop=True),
        indicators=indicators,
        files=files,
    )


def _check_lumpy(projects: pd.DataFrame, path: Path, errors: list[InputError]) -> None:
    """min_share and fixed_cost_cny belong to all_or_nothing projects only."""
    other = projects["lumpy"] != "all_or_nothing"
    for col in LUMPY_DEFAULTS:
        given = projects[col].notna()
        if col == "fixed_cost_cny":
            given &= projects[col] != 0.0
        for i in projects.index[other & given]:
            errors.append(InputError(
                path, f"line {_native(projects.at[i, 'line'])}, column {col!r}",
                f"found {_native(projects.at[i, col])!r} on a project with lumpy = "
                f"{projects.at[i, 'lumpy']!r}",
                "an empty cell (the column applies only to lumpy = all_or_nothing projects)"))


def fill_lumpy_defaults(projects: pd.DataFrame) -> pd.DataFrame:
    """Empty min_share / fixed_cost_cny cells take their documented defaults."""
    out = projects.copy()
    for col, default in LUMPY_DEFAULTS.items():
        out[col] = out[col].astype(float).fillna(default)
    return out


def _missing_years(path: Path, baseline: pd.DataFrame, horizon: list[int],
                   scenario: Scenario) -> list[InputError]:
    """One error per sector of baseline.csv that lacks a year of the scenario's horizon."""
    have = baseline.groupby("sector", sort=False)["year"].agg(set)
    gaps: dict[tuple[int, ...], list[str]] = {}
    for s, ys in have.items():
        missing = tuple(y for y in horizon if y not in ys)
        if missing:
            gaps.setdefault(missing, []).append(str(s))
    out = []
    for missing, sectors in gaps.items():
        where = f"sector {sectors[0]!r}" + (f" (and {len(sectors) - 1} more sectors)"
                                            if len(sectors) > 1 else "")
        out.append(InputError(
            path, where, f"no row for year {missing[0]}"
            + (f" (and {len(missing) - 1} more years)" if len(missing) > 1 else ""),
            f"a row for every year {horizon[0]}–{horizon[-1]} of the scenario "
            f"{scenario.stem!r}"))
    return out
