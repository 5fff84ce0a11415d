"""Scenario files: YAML in, a validated :class:`Scenario` out.

A scenario may ``extends:`` another file (relative to itself); the child's keys are deep-merged
over the parent's. Relative ``data`` paths are resolved against the file that states them.
Unknown keys at any depth are errors, with a suggestion for likely typos.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from planner.errors import InputError, raise_all
from planner.inputtext import decode


def _not_bool(v: Any) -> Any:
    """YAML reads yes/no/true/false as booleans, which pydantic would take as 1 and 0."""
    if isinstance(v, bool):
        raise ValueError("a yes/no value is not allowed here")
    return v


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool(cls, v: Any) -> Any:
        return _not_bool(v)


#: a number of a year -> value mapping (booleans refused)
Value = Annotated[float, BeforeValidator(_not_bool)]


class Years(_Strict):
    """The horizon: reported years start .. end, optimised up to end + extend."""

    start: int = Field(ge=1900, le=2200, description="a whole year")
    end: int = Field(ge=1900, le=2200, description="a whole year")
    extend: int = Field(default=0, ge=0, le=50,
                        description="a whole number of years (>= 0) optimised beyond end")

    @model_validator(mode="after")
    def _order(self) -> Years:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        return self


class IntensityTarget(_Strict):
    """CO2/GDP in `year` <= (1 - reduction) x CO2/GDP in `base_year`.

    Base-year emissions are data: `base_emissions_t` when given, else the no-target plan's
    emissions in the base year (`base: no_target`); `base: plan` keeps the endogenous form."""

    base_year: int = Field(description="a year of the horizon (or before it, with "
                                       "base_emissions_t)")
    year: int = Field(description="a year of the horizon after base_year")
    reduction: float = Field(gt=-1, lt=1, allow_inf_nan=False,
                             description="a fraction between -1 and 1, e.g. 0.18")
    base: Literal["no_target", "plan"] = Field(
        default="no_target", description="'no_target' (default) or 'plan'")
    base_emissions_t: float | None = Field(default=None, gt=0, allow_inf_nan=False,
                                           description="tonnes of CO2 in the base year (> 0)")


class Target(_Strict):
    """The emission targets of a scenario (none set: business as usual)."""

    scope: Literal["gross", "net"] = Field(
        default="gross", description="'gross' (sectors with positive BAU, default) or 'net'")
    peak_form: Literal["level", "strict"] = Field(
        default="level", description="'level' (default) or 'strict'")
    decline_after_peak: float = Field(default=0.0, ge=0, lt=1, allow_inf_nan=False,
                                      description="a yearly fraction >= 0 and < 1, e.g. 0.01")
    peak_year: int | None = Field(default=None, description="a year of the horizon")
    cap_t: float | None = Field(default=None, allow_inf_nan=False,
                                description="a number of tonnes of CO2")
    cap_path_t: dict[int, Value] = Field(default_factory=dict,
                                         description="a mapping year -> tonnes of CO2")
    carbon_budget_t: float | None = Field(default=None, allow_inf_nan=False,
                                          description="a number of tonnes of CO2")
    intensity: list[IntensityTarget] = Field(default_factory=list,
                                             description="a list of intensity targets")
    per_capita_t: dict[int, Value] = Field(default_factory=dict,
                                           description="a mapping year -> t CO2 per person")
    sector_cap_t: dict[str, dict[int, Value]] = Field(
        default_factory=dict, description="a mapping sector -> (year -> tonnes of CO2)")

    @model_validator(mode="before")
    @classmethod
    def _one_intensity(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("intensity"), dict):
            data = {**data, "intensity": [data["intensity"]]}
        return data

    @property
    def is_bau(self) -> bool:
        """True when no target constraint is set (business as usual)."""
        return (self.peak_year is None and self.cap_t is None and not self.cap_path_t
                and self.carbon_budget_t is None and not self.intensity
                and not self.per_capita_t and not self.sector_cap_t)


class Budget(_Strict):
    """Budget limits: at most this much investment per year (CNY)."""

    max_investment_cny_per_year: float | None = Field(
        default=None, ge=0, allow_inf_nan=False, description="a number of CNY >= 0")


class ProjectSelection(_Strict):
    """Projects to exclude, and per-project column overrides."""

    exclude: list[str] = Field(default_factory=list, description="a list of project ids")
    override: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="a mapping project id -> {column: value}")


class SolverOptions(_Strict):
    """HiGHS options: time limit (s) and MIP gap (lumpy projects only)."""

    time_limit_s: float | None = Field(default=None, gt=0, allow_inf_nan=False,
                                       description="a number of seconds > 0")
    mip_gap: float | None = Field(default=None, ge=0, lt=1, allow_inf_nan=False,
                                  description="a relative gap between 0 and 1, e.g. 0.001 "
                                  "(lumpy projects only; default HiGHS's 1e-4)")


class CobenefitValue(_Strict):
    """The value of avoided air pollutants, CNY/t of SO2, NOx and PM2.5."""

    so2: float = Field(default=0.0, ge=0, allow_inf_nan=False, description="CNY per t >= 0")
    nox: float = Field(default=0.0, ge=0, allow_inf_nan=False, description="CNY per t >= 0")
    pm25: float = Field(default=0.0, ge=0, allow_inf_nan=False, description="CNY per t >= 0")


class ScenarioFile:
    """What every scenario file has (a mixin of the scenario models): its years, file name
    and the files of its ``extends`` chain. Needs the fields `years`, `path` and `sources`."""

    @property
    def horizon(self) -> list[int]:
        """The optimised years: start .. end + extend."""
        return list(range(self.years.start, self.years.end + self.years.extend + 1))

    @property
    def reported_years(self) -> list[int]:
        """The years reported in outputs: start .. end."""
        return list(range(self.years.start, self.years.end + 1))

    @property
    def stem(self) -> str:
        """The scenario file's name without suffix ('scenario' when there is no file)."""
        return self.path.stem if self.path else "scenario"

    def source_of(self, *loc: Any) -> Path | None:
        """The file of the ``extends`` chain that states the key path `loc` (for messages)."""
        return _origin(self.sources, loc, self.path) if self.path else self.path


class Scenario(_Strict, ScenarioFile):
    """A validated scenario. `path` is the scenario file; `data` an absolute folder path."""

    name: str = Field(min_length=1, description="a non-empty name")
    data: Path = Field(description="a dataset folder, relative to the scenario file")
    years: Years = Field(description="a mapping {start: year, end: year} with end >= start")
    discount_rate: float = Field(ge=0, lt=1, allow_inf_nan=False,
                                 description="a real rate between 0 and 1, e.g. 0.08")
    target: Target = Field(default_factory=Target,
                           description="a mapping of target keys (peak_year, cap_t, …)")
    budget: Budget = Field(default_factory=Budget,
                           description="a mapping {max_investment_cny_per_year: CNY}")
    projects: ProjectSelection = Field(default_factory=ProjectSelection,
                                       description="a mapping {exclude: [...], override: {...}}")
    solver: SolverOptions = Field(default_factory=SolverOptions,
                                  description="a mapping {time_limit_s: seconds, mip_gap: share}")
    cobenefit_value_cny_per_t: CobenefitValue = Field(
        default_factory=CobenefitValue, description="a mapping {so2, nox, pm25: CNY per t}")
    path: Path | None = Field(default=None, exclude=True)
    sources: list[Path] = Field(default_factory=list, exclude=True)

    @field_validator("data", mode="before")
    @classmethod
    def _data_not_empty(cls, v: Any) -> Any:
        if isinstance(v, str) and not v.strip():
            raise ValueError("empty path")
        return v

    def with_target(self, **changes: Any) -> Scenario:
        """A copy with some target keys replaced (e.g. ``cap_t=3e7, peak_year=2026``)."""
        target = self.target.model_copy(update=changes)
        return self.model_copy(update={"target": target})


# ---------------------------------------------------------------- YAML reading ------------

class _UniqueKeyLoader(yaml.SafeLoader):
    """A SafeLoader that refuses duplicate mapping keys (YAML would keep the last silently)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict[Any, Any] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen[key] = True
    return loader.construct_mapping(node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise InputError(path, "file", "scenario file not found", "a YAML scenario file")
    text = decode(path, path.read_bytes(), "a UTF-8 (or GBK) YAML file")
    try:
        doc = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        problem = getattr(exc, "problem", None) or str(exc)
        if problem.startswith("duplicate key"):
            raise InputError(path, where, problem, "each key once in a mapping") from None
        raise InputError(path, where, f"YAML syntax error: {problem}", "valid YAML") from None
    if doc is None:
        raise InputError(path, "file", "the file is empty", "a YAML mapping of scenario keys")
    if not isinstance(doc, dict):
        raise InputError(path, "top level", f"found a {type(doc).__name__}",
                         "a mapping of scenario keys (name, data, years, …)")
    return doc


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Mappings are merged key by key, recursively; any other value in `over` replaces."""
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = v
    return out


def _resolve_chain(path: Path, stack: tuple[Path, ...]) -> tuple[dict[str, Any], list[Path]]:
    """Read `path` and everything it extends; return the merged mapping and the files read."""
    path = path.resolve()
    if path in stack:
        cycle = " -> ".join(p.name for p in (*stack, path))
        raise InputError(stack[-1], "key 'extends'", f"extends cycle: {cycle}",
                         "a chain of scenarios that ends")
    doc = _read_yaml(path)
    if isinstance(doc.get("data"), str) and doc["data"].strip():
        doc["data"] = str((path.parent / doc["data"]).resolve())
    parent = doc.pop("extends", None)
    if parent is None:
        return doc, [path]
    if not isinstance(parent, str) or not parent:
        raise InputError(path, "key 'extends'", f"found {parent!r}",
                         "the file name of another scenario")
    target = path.parent / parent
    if not target.is_file():
        siblings = sorted(p.name for p in path.parent.glob("*.y*ml") if p != path)
        close = difflib.get_close_matches(Path(parent).name, siblings, n=1, cutoff=0.6)
        raise InputError(path, "key 'extends'", f"{parent!r} not found (looked for {target})",
                         "an existing scenario file, relative to this one",
                         f"did you mean {close[0]!r}?" if close else None)
    base, files = _resolve_chain(target, (*stack, path))
    return deep_merge(base, doc), [*files, path]


def _key_path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(x) for x in loc
                    if not (isinstance(x, str) and (x.startswith("function-") or x == "[key]")))


def _origin(files: list[Path], loc: tuple[Any, ...], default: Path) -> Path:
    """The file of the ``extends`` chain that states the longest prefix of the key path `loc`
    (the last such file: its value won the merge); `default` when no file states any of it."""
    best, depth = default, 0
    for f in files:
        try:
            node: Any = _read_yaml(f)
        except InputError:  # changed since it was loaded: cannot say
            continue
        n = 0
        for part in loc:
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
            else:
                break
            n += 1
        if n and n >= depth:
            best, depth = f, n
    return default if best == Path(default).resolve() else best


def _field_at(loc: tuple[Any, ...], root: type[BaseModel] | None = None) -> Any:
    """The deepest schema field along the key path `loc` (for its description)."""
    model: Any = root or Scenario
    found = None
    for part in loc:
        if model is None or not isinstance(part, str) or part not in model.model_fields:
            continue
        found = model.model_fields[part]
        ann = found.annotation
        args = getattr(ann, "__args__", ())
        cand = [a for a in (ann, *args) if isinstance(a, type) and issubclass(a, BaseModel)]
        model = cand[0] if cand else None
    return found


def _model_at(loc: tuple[Any, ...], root: type[BaseModel] | None = None
              ) -> type[BaseModel] | None:
    """The schema class that owns the last key of `loc` (for suggestions)."""
    model: Any = root or Scenario
    for part in loc[:-1]:
        f = model.model_fields.get(part) if isinstance(part, str) else None
        if f is None:
            return model if isinstance(part, int) else None
        ann = f.annotation
        args = getattr(ann, "__args__", ())
        cand = [a for a in (ann, *args) if isinstance(a, type) and issubclass(a, BaseModel)]
        if not cand:
            return None
        model = cand[0]
    return model


def _explain_one(path: Path, e: dict[str, Any], files: list[Path],
                 root: type[BaseModel] | None = None) -> InputError:
    loc = tuple(e["loc"])
    key = _key_path(loc)
    unknown = ("extra_forbidden", "invalid_key")
    if e["type"] != "missing":
        path = _origin(files, loc, path)
    if e["type"] in unknown:
        owner = _model_at(loc, root)
        allowed = [k for k, f in owner.model_fields.items() if not f.exclude] if owner else []
        last = str(loc[-1])
        close = difflib.get_close_matches(last, allowed, n=1, cutoff=0.6)
        return InputError(path, f"key '{key}'", "unknown key",
                          f"one of {', '.join(allowed)}" if allowed else None,
                          f"did you mean {close[0]!r}?" if close else None)
    if e["type"] == "missing":
        return InputError(path, f"key '{key}'", "missing", "this key to be given")
    f = _field_at(loc, root)
    desc = f.description if f is not None else None
    if loc and loc[-1] == "[key]":
        kind = "a whole year" if e["type"].startswith("int") else "a name (text)"
        desc = f"{kind} as the key" + (f" of {desc}" if desc else "")
    value = e.get("input")
    msg = e.get("msg", "").removeprefix("Value error, ")
    return InputError(path, f"key '{key}'", f"found {value!r} ({msg})", desc or "a valid value")


def _explain_all(path: Path, err: ValidationError, files: list[Path] | None = None,
                 root: type[BaseModel] | None = None) -> list[InputError]:
    """One InputError per problem of a validation, unknown keys first; a key reported missing
    because it was misspelt (an unknown key beside it suggests it) is left out."""
    errors = err.errors()
    unknown = ("extra_forbidden", "invalid_key")
    ordered = ([x for x in errors if x["type"] in unknown]
               + [x for x in errors if x["type"] not in unknown])
    suggested: set[tuple[Any, ...]] = set()
    for e in ordered:
        if e["type"] in unknown:
            loc = tuple(e["loc"])
            owner = _model_at(loc, root)
            allowed = [k for k, f in owner.model_fields.items() if not f.exclude] if owner else []
            close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
            if close:
                suggested.add((*loc[:-1], close[0]))
    out: list[InputError] = []
    seen: set[str] = set()
    for e in ordered:
        if e["type"] == "missing" and tuple(e["loc"]) in suggested:
            continue
        ie = _explain_one(path, e, files or [], root)
        if str(ie) not in seen:
            seen.add(str(ie))
            out.append(ie)
    return out


def _explain(path: Path, err: ValidationError, files: list[Path] | None = None) -> InputError:
    """The first problem of a validation (unknown keys first), as an InputError."""
    return _explain_all(path, err, files)[0]


def load_scenario(path: str | Path) -> Scenario:
    """Read, merge (``extends``) and validate a scenario file. Raises InputError."""
    path = Path(path)
    merged, files = _resolve_chain(path, ())
    problems: list[InputError] = []
    try:
        sc = Scenario.model_validate(merged)
    except ValidationError as exc:
        problems = _explain_all(path, exc, files)
    raise_all(problems)  # every problem of the file at once
    if not sc.data.is_dir():
        origin = _origin(files, ("data",), path)
        state = "is not a folder" if sc.data.exists() else "not found"
        raise InputError(origin, "key 'data'",
                         f"found {_read_yaml(origin).get('data')!r}: {sc.data} {state}",
                         "a dataset folder, relative to the scenario file that names it")
    sc = sc.model_copy(update={"path": path.resolve(), "sources": files})
    check_years(sc)
    return sc


def check_years(sc: Scenario) -> None:
    """Target years must lie in the horizon (every wrong year is named)."""
    start, end = sc.years.start, sc.years.end
    inside = f"a year from {start} to {end}"
    t = sc.target
    problems: list[InputError] = []

    def fail(loc: tuple[Any, ...], problem: str, expected: str) -> None:
        problems.append(InputError(_origin(sc.sources, loc, sc.path), f"key '{_key_path(loc)}'",
                                   problem, expected))

    if t.peak_year is not None and not start <= t.peak_year <= end:
        fail(("target", "peak_year"), f"found {t.peak_year}", inside)
    for key, mapping in (("cap_path_t", t.cap_path_t), ("per_capita_t", t.per_capita_t)):
        for y in mapping:
            if not start <= y <= end:
                fail(("target", key, y), f"year {y}", inside)
    for s, mapping in t.sector_cap_t.items():
        for y in mapping:
            if not start <= y <= end:
                fail(("target", "sector_cap_t", s, y), f"year {y}", inside)
    for i, it in enumerate(t.intensity):
        if not start <= it.year <= end:
            fail(("target", "intensity", i, "year"), f"year {it.year}", inside)
        if it.base_year < start and it.base_emissions_t is None:
            fail(("target", "intensity", i, "base_emissions_t"),
                 f"missing for base_year {it.base_year}, which is before the horizon",
                 "the base year's emissions in tonnes (data, not a decision)")
        if it.base_year < start and it.base == "plan":
            fail(("target", "intensity", i, "base"),
                 f"'plan' with base_year {it.base_year} before the horizon",
                 "'no_target' with base_emissions_t")
        if it.base_year > end:
            fail(("target", "intensity", i, "base_year"), f"year {it.base_year}", inside)
        if it.year <= it.base_year:
            fail(("target", "intensity", i, "year"),
                 f"year {it.year} is not after base_year {it.base_year}",
                 "a target year after the base year")
    raise_all(problems)
