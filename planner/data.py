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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from planner.errors import InputError

# ---------------------------------------------------------------- row schemas -------------

NonEmpty = Annotated[str, Field(min_length=1)]
Year = Annotated[int, Field(ge=1900, le=2200)]


def _num(description: str, **bounds: float) -> Any:
    return Field(allow_inf_nan=False, description=description, **bounds)


class _Row(BaseModel):
    """A CSV row: unknown columns are errors, text is stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool(cls, v: Any) -> Any:
        # a YAML override such as `max_units: yes` would otherwise count as 1
        if isinstance(v, bool):
            raise ValueError("a yes/no value is not allowed here")
        return v


class BaselineRow(_Row):
    sector: NonEmpty = Field(description="a sector id (non-empty text)")
    year: Year = Field(description="a whole year such as 2025")
    emissions_t: float = _num("a finite number of tonnes of CO2 (may be <= 0 for a sink)")


class ProjectRow(_Row):
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


class ProjectYearRow(_Row):
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
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _native(v: Any) -> Any:
    """A numpy scalar as the plain Python value (so messages show 2041, not np.int64(2041))."""
    return v.item() if hasattr(v, "item") else v


def _suggest(name: str, options: list[str]) -> str | None:
    close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


def read_table(path: Path, model: type[BaseModel]) -> pd.DataFrame:
    """Read one CSV file and validate every row against `model`.

    Returns a DataFrame with one column per model field (documented defaults filled in) and a
    ``line`` column holding each row's line number in the file (header = line 1).
    """
    fields = list(model.model_fields)
    required = [k for k, f in model.model_fields.items() if f.is_required()]
    if not path.is_file():
        raise InputError(path, "file", "not found",
                         f"a CSV file with columns {', '.join(required)}")
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raise InputError(path, "line 1", "the file starts with a UTF-8 byte-order mark (BOM)",
                         "plain UTF-8 without a BOM",
                         "in Excel save as 'CSV (comma delimited)' or re-save without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(path, f"line {line}", f"byte {raw[exc.start]:#04x} is not UTF-8",
                         "UTF-8 text", "a GBK/GB18030 file must be re-saved as UTF-8") from None
    if not text.strip():
        raise InputError(path, "file", "the file is empty",
                         f"a header row with columns {', '.join(required)}")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip() for h in rows[0]]
    if len(header) == 1 and len(required) > 1:
        for delim, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "'|'")):
            if delim in header[0]:
                raise InputError(path, "line 1", f"the columns are separated by {label}",
                                 "commas between columns")
    seen: set[str] = set()
    for col in header:
        if col == "":
            raise InputError(path, "line 1", "a column has an empty header",
                             f"column names among {', '.join(fields)}")
        if col in seen:
            raise InputError(path, "line 1", f"column {col!r} appears twice",
                             "each column once")
        seen.add(col)
        if col not in fields:
            raise InputError(path, f"line 1, column {col!r}", "unknown column",
                             f"columns among {', '.join(fields)}",
                             _suggest(col, [f for f in fields if f not in header]))
    for col in required:
        if col not in header:
            raise InputError(path, "line 1", f"column {col!r} is missing",
                             f"columns {', '.join(required)}")
    records: list[dict[str, Any]] = []
    for i, cells in enumerate(rows[1:], start=2):
        if not cells or all(c.strip() == "" for c in cells):
            continue  # blank line
        if len(cells) != len(header):
            raise InputError(path, f"line {i}", f"{len(cells)} fields",
                             f"{len(header)} fields, one per column of the header")
        data = dict(zip(header, cells, strict=True))
        try:
            row = model.model_validate(data)
        except ValidationError as exc:
            column, problem, expected = validation_message(model, exc)
            raise InputError(path, f"line {i}, column {column!r}", problem, expected) from None
        rec = row.model_dump()
        rec["line"] = i
        records.append(rec)
    if not records:
        raise InputError(path, "file", "no data rows", "at least one row under the header")
    return pd.DataFrame.from_records(records, columns=[*fields, "line"])


def check_unique(df: pd.DataFrame, path: Path, keys: list[str], what: str) -> None:
    """Raise on the first row whose `keys` repeat an earlier row."""
    dup = df.duplicated(keys, keep="first")
    if dup.any():
        i = df.index[dup][0]
        row = {k: _native(df.at[i, k]) for k in keys}
        first = df.index[(df[keys] == pd.Series(row)).all(axis=1)][0]
        vals = ", ".join(f"{k}={v!r}" for k, v in row.items())
        raise InputError(path, f"line {_native(df.at[i, 'line'])}", f"duplicate {what} ({vals})",
                         f"each {what} once (first given on line "
                         f"{_native(df.at[first, 'line'])})")


def check_member(df: pd.DataFrame, path: Path, column: str, allowed: list[Any],
                 source: str) -> None:
    """Raise on the first row whose `column` is not among `allowed` (ids from `source`)."""
    bad = ~df[column].isin(allowed)
    if bad.any():
        i = df.index[bad][0]
        value = _native(df.at[i, column])
        raise InputError(path, f"line {_native(df.at[i, 'line'])}, column {column!r}",
                         f"found {value!r}, which is not in {source}",
                         f"one of {', '.join(map(str, allowed))}",
                         _suggest(value, [str(a) for a in allowed])
                         if isinstance(value, str) else None)


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
        return list(dict.fromkeys(self.baseline["sector"]))


def load_dataset(folder: Path) -> Dataset:
    """Load and validate every CSV file of a dataset folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(folder, "folder", "dataset folder not found",
                         "a folder holding baseline.csv and projects.csv")
    files: dict[str, str] = {}

    p = folder / "baseline.csv"
    baseline = read_table(p, BaselineRow)
    check_unique(baseline, p, ["sector", "year"], "sector and year")
    files[p.name] = sha256_of(p)
    sectors = list(dict.fromkeys(baseline["sector"]))
    years = sorted(baseline["year"].unique())

    p = folder / "projects.csv"
    projects = read_table(p, ProjectRow)
    check_unique(projects, p, ["project"], "project id")
    check_member(projects, p, "sector", sectors, "baseline.csv")
    files[p.name] = sha256_of(p)

    p = folder / "project_years.csv"
    if p.exists():
        py = read_table(p, ProjectYearRow)
        check_unique(py, p, ["project", "year"], "project and year")
        check_member(py, p, "project", list(projects["project"]), "projects.csv")
        check_member(py, p, "year", years, "the years of baseline.csv")
        files[p.name] = sha256_of(p)
    else:
        py = pd.DataFrame({c: pd.Series(dtype=float) for c in ("project", "year", *YEAR_PARAMS)})
        py["line"] = pd.Series(dtype=int)

    p = folder / "indicators.csv"
    indicators = None
    if p.exists():
        indicators = read_table(p, IndicatorRow)
        check_unique(indicators, p, ["year"], "year")
        files[p.name] = sha256_of(p)
        indicators = indicators.drop(columns="line").sort_values("year").reset_index(drop=True)

    return Dataset(
        folder=folder,
        baseline=baseline.drop(columns="line"),
        projects=projects.drop(columns="line").set_index("project", drop=False),
        project_years=py.drop(columns="line").reset_index(drop=True),
        indicators=indicators,
        files=files,
    )
