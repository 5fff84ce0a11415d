"""Helpers of the region tests: write small cities and a region scenario to a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from tests.conftest import PROJECT_DEFAULTS


def write_city(folder: Path, baseline: dict[str, list[float]], projects: list[dict[str, Any]],
               start: int = 2025, indicators: list[tuple[float, float]] | None = None) -> Path:
    """A dataset folder: `baseline` sector -> BAU per year from `start`; `indicators`
    (gdp_cny, population) per year."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [{"sector": s, "year": start + i, "emissions_t": v}
            for s, vals in baseline.items() for i, v in enumerate(vals)]
    pd.DataFrame(rows).to_csv(folder / "baseline.csv", index=False)
    pr = pd.DataFrame([{"project": p["project"], **PROJECT_DEFAULTS, "earliest_year": start,
                        **{k: v for k, v in p.items() if k != "project"}} for p in projects])
    pr.to_csv(folder / "projects.csv", index=False)
    if indicators is not None:
        pd.DataFrame([{"year": start + i, "gdp_cny": g, "population": n}
                      for i, (g, n) in enumerate(indicators)]).to_csv(
            folder / "indicators.csv", index=False)
    return folder


def write_region(folder: Path, regions: dict[str, str], *, start: int = 2025, end: int = 2025,
                 **keys: Any) -> Path:
    sc = {"name": "two cities", "regions": regions, "years": {"start": start, "end": end},
          "discount_rate": 0.0, **keys}
    path = folder / "region.yaml"
    path.write_text(yaml.safe_dump(sc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def hand_case(folder: Path, allocation: str = "equal_effort", transfers: Any = "unlimited",
              **extra: Any) -> Path:
    """Two cities, one year: A abates at 100 CNY/t up to 10 t, B at 300 CNY/t up to 10 t;
    BAU 100 t each; together they must cut 8 t (joint cap 192 t)."""
    ind = [(1e9, 1000.0)]
    write_city(folder / "a", {"industry": [100.0]},
               [{"project": "a_cut", "capex_cny_per_unit": 100.0, "lifetime_years": 1,
                 "max_units": 10.0, "max_build_per_year": 10.0}], indicators=ind)
    write_city(folder / "b", {"industry": [100.0]},
               [{"project": "b_cut", "capex_cny_per_unit": 300.0, "lifetime_years": 1,
                 "max_units": 10.0, "max_build_per_year": 10.0}], indicators=ind)
    return write_region(folder, {"a": "a", "b": "b"}, target={"joint": {"cap_t": 192.0}},
                        allocation=allocation, transfers=transfers, **extra)
