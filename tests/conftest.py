"""Shared helpers: write small datasets and scenarios to a temporary folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]

PROJECT_DEFAULTS: dict[str, Any] = {
    "name": "项目", "measure": "m1", "sector": "industry", "unit": "unit",
    "max_units": 1.0, "max_build_per_year": 1.0, "earliest_year": 2020, "lifetime_years": 50,
    "capex_cny_per_unit": 0.0, "fixed_om_cny_per_unit_year": 0.0,
    "savings_cny_per_unit_year": 0.0, "abatement_t_per_unit_year": 1.0,
}


def write_case(folder: Path, *, baseline: dict[str, list[float]] | pd.DataFrame,
               projects: list[dict[str, Any]], start: int = 2020,
               scenario: dict[str, Any] | None = None, project_years: pd.DataFrame | None = None,
               indicators: pd.DataFrame | None = None, name: str = "case.yaml") -> Path:
    """Write data/ and a scenario; `baseline` maps sector -> list of BAU values from `start`."""
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    if isinstance(baseline, pd.DataFrame):
        base = baseline
    else:
        rows = [{"sector": s, "year": start + i, "emissions_t": v}
                for s, vals in baseline.items() for i, v in enumerate(vals)]
        base = pd.DataFrame(rows)
    base.to_csv(data / "baseline.csv", index=False)
    n_years = base["year"].nunique()
    pr = pd.DataFrame([{"project": p["project"], **PROJECT_DEFAULTS,
                        **{k: v for k, v in p.items() if k != "project"}} for p in projects])
    pr.to_csv(data / "projects.csv", index=False)
    if project_years is not None:
        project_years.to_csv(data / "project_years.csv", index=False)
    if indicators is not None:
        indicators.to_csv(data / "indicators.csv", index=False)
    sc = {"name": "test case", "data": "data",
          "years": {"start": start, "end": start + n_years - 1}, "discount_rate": 0.0}
    sc.update(scenario or {})
    path = folder / name
    path.write_text(yaml.safe_dump(sc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def case(tmp_path):
    """case(**kwargs) -> path of a scenario written by write_case in a fresh folder."""
    counter = iter(range(10_000))

    def make(**kwargs) -> Path:
        return write_case(tmp_path / f"c{next(counter)}", **kwargs)

    return make


def make_inputs(bau: dict[str, list[float]], projects: list[dict[str, Any]],
                target: dict[str, Any] | None = None, start: int = 2020, rate: float = 0.0,
                budget: float | None = None):
    """ModelInputs built in memory (no files): for property tests of the LP."""
    from planner.data import YEAR_PARAMS, Dataset, ProjectRow
    from planner.model.inputs import bind
    from planner.scenario import Scenario

    base = pd.DataFrame([{"sector": s, "year": start + i, "emissions_t": float(v)}
                         for s, vals in bau.items() for i, v in enumerate(vals)])
    rows = [ProjectRow.model_validate({"project": p["project"], **PROJECT_DEFAULTS,
                                       **{k: v for k, v in p.items() if k != "project"}})
            .model_dump() for p in projects]
    proj = pd.DataFrame(rows).set_index("project", drop=False)
    n = len(next(iter(bau.values())))
    ds = Dataset(folder=Path("."), baseline=base, projects=proj,
                 project_years=pd.DataFrame(columns=["project", "year", *YEAR_PARAMS]),
                 indicators=None)
    sc = Scenario.model_validate({
        "name": "property case", "data": ".", "years": {"start": start, "end": start + n - 1},
        "discount_rate": rate, "target": target or {},
        "budget": {"max_investment_cny_per_year": budget}})
    return bind(sc, ds)
