"""A tiny planning case for the uncertainty tests (4 years, 3 projects, a cap).

BAU 100, 104, 108, 112 t; cap 102 t in every year; discount rate 0.
- c: pays for itself (savings 50 CNY/unit-year > capex 10 CNY/unit over 50 years): both units
  built; abates 2 t/unit.
- a: 4 t/unit, capex 100 CNY/unit; b: the same abatement at capex 300 CNY/unit.
The optimum builds c fully and a to 1.5 units by 2023 (unique): b is dearer than a.
NPV < 0 (c's savings dominate).
"""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import write_case

PROJECTS = [
    {"project": "a", "measure": "m1", "capex_cny_per_unit": 100.0, "max_units": 3.0,
     "max_build_per_year": 3.0, "abatement_t_per_unit_year": 4.0},
    {"project": "b", "measure": "m1", "capex_cny_per_unit": 300.0, "max_units": 3.0,
     "max_build_per_year": 3.0, "abatement_t_per_unit_year": 4.0},
    {"project": "c", "measure": "m2", "sector": "power_heat", "capex_cny_per_unit": 10.0,
     "savings_cny_per_unit_year": 50.0, "max_units": 2.0, "max_build_per_year": 2.0,
     "abatement_t_per_unit_year": 2.0},
]


def tiny_case(folder: Path) -> Path:
    return write_case(folder, baseline={"industry": [60, 62, 64, 66],
                                        "power_heat": [40, 42, 44, 46]},
                      projects=PROJECTS, scenario={"target": {"cap_t": 102}})


def write_spec(folder: Path, spec: dict, name: str = "uq.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


#: a spec touching every kind of target, with ranges that keep the tiny case feasible
SPEC = {
    "capex": [{"measures": ["m1"], "dist": {"type": "uniform", "low": 0.7, "high": 1.3},
               "correlated": False}],
    "savings": [{"dist": {"type": "triangular", "low": 0.8, "mode": 1.0, "high": 1.2}}],
    "abatement": [{"projects": ["a", "b"],
                   "dist": {"type": "normal", "mean": 1.0, "sd": 0.1, "low": 0.8}}],
    "bau_growth": [{"sectors": ["industry"],
                    "dist": {"type": "lognormal", "median": 1.0, "sigma": 0.2}}],
    "discount_rate": {"dist": {"type": "discrete", "values": [0.0, 0.03],
                               "probabilities": [0.5, 0.5]}},
    "grid_factor": {"sectors": ["power_heat"], "ramp_from": 2020,
                    "dist": {"type": "uniform", "low": 0.8, "high": 1.0}},
}
