"""Uncertainty specifications: ``uq.yaml`` in, a validated :class:`UQSpec` out.

The file declares probability distributions over the inputs of a scenario (docs/uncertainty.md
has the full format)::

    capex:                       # factors (or absolute CNY/unit) on capex_cny_per_unit
      - measures: [industrial_efficiency]
        dist: {type: triangular, low: 0.8, mode: 1.0, high: 1.4}
        correlated: true         # one shared draw for the group (default); false: one per project
    savings: [...]               # same form, on savings_cny_per_unit_year
    abatement: [...]             # same form, on abatement_t_per_unit_year
    bau_growth:                  # factor on each sector's annual BAU growth rate
      - sectors: [industry]
        dist: {type: uniform, low: 0.5, high: 1.5}
    discount_rate: {mode: absolute, dist: {type: uniform, low: 0.05, high: 0.10}}
    grid_factor:                 # factor on the abatement of grid-dependent projects
      sectors: [power_heat]
      ramp_from: 2020            # 1 in this year, the drawn factor in the last year
      dist: {type: uniform, low: 0.7, high: 1.0}

Unknown keys and impossible distributions (low > high, a negative sd, a lognormal with a
non-positive parameter, probabilities that do not sum to 1, a factor that could turn capex
or abatement negative, …) are :class:`InputError` s naming the key path.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from planner.errors import InputError

Number = Annotated[float, Field(allow_inf_nan=False, strict=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- distributions ----------

class Uniform(_Strict):
    """Uniform on [low, high] (low = high: a fixed value)."""

    type: Literal["uniform"]
    low: Number
    high: Number

    @model_validator(mode="after")
    def _order(self) -> Uniform:
        if self.low > self.high:
            raise ValueError(f"low ({self.low:g}) is above high ({self.high:g})")
        return self

    def support(self) -> tuple[float, float]:
        """The range of possible values: (low, high)."""
        return self.low, self.high


class Triangular(_Strict):
    """Triangular with minimum low, mode `mode`, maximum high."""

    type: Literal["triangular"]
    low: Number
    mode: Number
    high: Number

    @model_validator(mode="after")
    def _order(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError(f"needs low <= mode <= high, found low {self.low:g}, "
                             f"mode {self.mode:g}, high {self.high:g}")
        return self

    def support(self) -> tuple[float, float]:
        """The range of possible values: (low, high)."""
        return self.low, self.high


class Normal(_Strict):
    """Normal(mean, sd), optionally truncated to [low, high]."""

    type: Literal["normal"]
    mean: Number
    sd: Number = Field(ge=0)
    low: Number | None = None
    high: Number | None = None

    @model_validator(mode="after")
    def _order(self) -> Normal:
        lo = -math.inf if self.low is None else self.low
        hi = math.inf if self.high is None else self.high
        if lo > hi:
            raise ValueError(f"low ({lo:g}) is above high ({hi:g})")
        if self.sd > 0 and (lo > self.mean + 8 * self.sd or hi < self.mean - 8 * self.sd):
            raise ValueError("the truncation [low, high] lies outside mean ± 8 sd")
        if self.sd == 0 and not lo <= self.mean <= hi:
            raise ValueError(f"sd 0 and the mean {self.mean:g} outside [low, high]")
        return self

    def support(self) -> tuple[float, float]:
        """The range of possible values: [mean, mean] if sd is 0, else (low, high) or ±inf."""
        if self.sd == 0:
            return self.mean, self.mean
        return (-math.inf if self.low is None else self.low,
                math.inf if self.high is None else self.high)


class Lognormal(_Strict):
    """exp(Normal(ln median, sigma)): median > 0, sigma > 0 (the sd of the log)."""

    type: Literal["lognormal"]
    median: Number = Field(gt=0)
    sigma: Number = Field(gt=0)

    def support(self) -> tuple[float, float]:
        """The range of possible values: (0, inf)."""
        return 0.0, math.inf


class Discrete(_Strict):
    """`values[i]` with probability `probabilities[i]` (summing to 1)."""

    type: Literal["discrete"]
    values: list[Number] = Field(min_length=1)
    probabilities: list[Number] = Field(min_length=1)

    @model_validator(mode="after")
    def _probabilities(self) -> Discrete:
        if len(self.values) != len(self.probabilities):
            raise ValueError(f"{len(self.values)} values but {len(self.probabilities)} "
                             "probabilities")
        if any(p < 0 for p in self.probabilities):
            raise ValueError("a negative probability")
        total = math.fsum(self.probabilities)
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"probabilities sum to {total:.12g}, not 1")
        return self

    def support(self) -> tuple[float, float]:
        """The range of possible values: (min, max) of `values`."""
        return min(self.values), max(self.values)


Distribution = Annotated[Uniform | Triangular | Normal | Lognormal | Discrete,
                         Field(discriminator="type")]

# ---------------------------------------------------------------- targets ---------------

Mode = Literal["factor", "absolute"]


class ProjectEntry(_Strict):
    """A distribution over one project parameter of a group of projects.

    projects / measures: the group (neither: every project). mode factor multiplies the
    dataset's value in every year; absolute replaces it (units of the column). correlated:
    one shared draw for the whole group (true) or an independent draw per project (false).
    """

    name: str | None = Field(default=None, min_length=1)
    projects: list[str] | None = Field(default=None, min_length=1)
    measures: list[str] | None = Field(default=None, min_length=1)
    mode: Mode = "factor"
    correlated: bool = True
    dist: Distribution

    @model_validator(mode="after")
    def _one_selector(self) -> ProjectEntry:
        if self.projects is not None and self.measures is not None:
            raise ValueError("give projects or measures, not both")
        return self


class SectorEntry(_Strict):
    """A distribution over the BAU growth of some sectors (none named: every sector).

    factor: every annual growth rate g[s,t] = BAU[s,t]/BAU[s,t-1] - 1 is multiplied by the
    draw; absolute: the draw is a constant annual growth rate from the start year's BAU.
    """

    name: str | None = Field(default=None, min_length=1)
    sectors: list[str] | None = Field(default=None, min_length=1)
    mode: Mode = "factor"
    correlated: bool = True
    dist: Distribution


class RateEntry(_Strict):
    """The scenario's real discount rate: absolute (the rate) or a factor on it."""

    mode: Mode = "absolute"
    dist: Distribution


class GridEntry(_Strict):
    """The grid emission factor path, as a factor on the abatement of grid-dependent projects
    (those of `sectors`, default power_heat). Without ramp_from the drawn factor applies in
    every year; with it, the factor is 1 up to ramp_from and moves linearly to the draw in
    the last year of the horizon."""

    sectors: list[str] = Field(default_factory=lambda: ["power_heat"], min_length=1)
    ramp_from: int | None = Field(default=None, ge=1900, le=2200)
    dist: Distribution


class UQSpec(_Strict):
    """A validated uncertainty specification. `path` is the file it came from."""

    capex: list[ProjectEntry] = Field(default_factory=list)
    savings: list[ProjectEntry] = Field(default_factory=list)
    abatement: list[ProjectEntry] = Field(default_factory=list)
    bau_growth: list[SectorEntry] = Field(default_factory=list)
    discount_rate: RateEntry | None = None
    grid_factor: GridEntry | None = None
    path: Path | None = Field(default=None, exclude=True)


#: values a parameter may take (checked against each distribution's support)
_BOUNDS: dict[tuple[str, str], tuple[float, float, str]] = {
    ("capex", "factor"): (0.0, math.inf, "factors >= 0 (capex cannot turn negative)"),
    ("capex", "absolute"): (0.0, math.inf, "capex >= 0 CNY per unit"),
    ("abatement", "factor"): (0.0, math.inf, "factors >= 0 (abatement cannot turn negative)"),
    ("abatement", "absolute"): (0.0, math.inf, "abatement >= 0 t per unit-year"),
    ("discount_rate", "absolute"): (0.0, 1.0 - 1e-12, "rates from 0 to below 1"),
    ("discount_rate", "factor"): (0.0, math.inf, "factors >= 0"),
    ("grid_factor", "factor"): (0.0, math.inf, "factors >= 0"),
    ("bau_growth", "absolute"): (-1.0 + 1e-12, math.inf, "growth rates above -1"),
}


def _check_support(spec: UQSpec, path: Path) -> None:
    def check(key: str, loc: str, mode: str, dist: Any) -> None:
        rule = _BOUNDS.get((key, mode))
        if rule is None:
            return
        lo, hi, what = rule
        s_lo, s_hi = dist.support()
        if s_lo < lo or s_hi > hi:
            raise InputError(path, f"key '{loc}.dist'",
                             f"a {dist.type} distribution with values from {s_lo:g} to {s_hi:g}",
                             f"{what}; truncate a normal with low/high")

    for key in ("capex", "savings", "abatement", "bau_growth"):
        for i, e in enumerate(getattr(spec, key)):
            check(key, f"{key}.{i}", e.mode, e.dist)
    if spec.discount_rate is not None:
        check("discount_rate", "discount_rate", spec.discount_rate.mode, spec.discount_rate.dist)
    if spec.grid_factor is not None:
        check("grid_factor", "grid_factor", "factor", spec.grid_factor.dist)


_TAGS = {"uniform", "triangular", "normal", "lognormal", "discrete"}


def _explain(path: Path, err: ValidationError) -> InputError:
    errors = err.errors()
    unknown = ("extra_forbidden",)
    e = next((x for x in errors if x["type"] in unknown), errors[0])
    loc = [p for p in e["loc"] if not (isinstance(p, str) and p in _TAGS and
                                       e["loc"].index(p) > 0 and
                                       e["loc"][e["loc"].index(p) - 1] == "dist")]
    key = ".".join(str(p) for p in loc)
    msg = e.get("msg", "").removeprefix("Value error, ")
    if e["type"] in unknown:
        return InputError(path, f"key '{key}'", "unknown key",
                          "a key described in docs/uncertainty.md")
    if e["type"] == "missing":
        return InputError(path, f"key '{key}'", "missing", "this key to be given")
    if e["type"].startswith("union_tag"):
        return InputError(path, f"key '{key}.type'", msg,
                          "one of uniform, triangular, normal, lognormal, discrete")
    return InputError(path, f"key '{key}'", f"found {e.get('input')!r} ({msg})",
                      "a valid value (docs/uncertainty.md)")


def parse_spec(doc: Any, path: str | Path = "uq.yaml") -> UQSpec:
    """Validate a parsed YAML document as an uncertainty specification."""
    path = Path(path)
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise InputError(path, "top level", f"found a {type(doc).__name__}",
                         "a mapping of uncertainty keys (capex, savings, abatement, …)")
    try:
        spec = UQSpec.model_validate(doc)
    except ValidationError as exc:
        raise _explain(path, exc) from None
    _check_support(spec, path)
    return spec.model_copy(update={"path": path})


def load_spec(path: str | Path) -> UQSpec:
    """Read and validate ``uq.yaml``. Raises InputError."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file", "uncertainty specification not found", "a YAML file")
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError(path, "file", "not UTF-8", "a UTF-8 YAML file") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        raise InputError(path, where, f"YAML syntax error: {getattr(exc, 'problem', exc)}",
                         "valid YAML") from None
    return parse_spec(doc, path)


__all__ = ["Discrete", "Distribution", "GridEntry", "Lognormal", "Normal", "ProjectEntry",
           "RateEntry", "SectorEntry", "Triangular", "UQSpec", "Uniform", "load_spec",
           "parse_spec"]
