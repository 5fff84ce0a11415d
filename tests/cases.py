"""Hand cases several test files use (each file asserts its own facts about them)."""

from __future__ import annotations

from typing import Any

#: one year, lifetime 10: cost per unit-year = CRF·capex + om − savings; a, b, c, d with
#: distinct levelised costs (c < a < b < d at 5 %)
FOUR_PROJECTS: list[dict[str, Any]] = [
    {"project": "a", "capex_cny_per_unit": 1000.0, "lifetime_years": 10,
     "abatement_t_per_unit_year": 10.0, "max_units": 2, "max_build_per_year": 2},
    {"project": "b", "capex_cny_per_unit": 100.0, "lifetime_years": 10,
     "fixed_om_cny_per_unit_year": 5.0, "abatement_t_per_unit_year": 1.0,
     "max_units": 10, "max_build_per_year": 10},
    {"project": "c", "capex_cny_per_unit": 50.0, "lifetime_years": 10,
     "abatement_t_per_unit_year": 2.0, "max_units": 5, "max_build_per_year": 5},
    {"project": "d", "capex_cny_per_unit": 9000.0, "lifetime_years": 10,
     "abatement_t_per_unit_year": 1.0, "max_units": 5, "max_build_per_year": 5},
]


def inertia(case):
    """2023 must abate 20 t. cheap: 10 CNY/unit-yr, 12 units, fast; dear: 50 CNY/unit-yr,
    2 units/yr — its other 8 units need builds from 2020 on. Returns the scenario path."""
    return case(baseline={"industry": [100.0] * 4},
                projects=[{"project": "cheap", "max_units": 12, "max_build_per_year": 12,
                           "fixed_om_cny_per_unit_year": 10.0},
                          {"project": "dear", "max_units": 20, "max_build_per_year": 2,
                           "fixed_om_cny_per_unit_year": 50.0}],
                scenario={"target": {"cap_path_t": {2023: 80.0}}})


def staged(case):
    """Five years, four projects that differ in cost, earliest year, abatement path and
    roll-out (entry prices by hand: saver 0, cheap 30, late 45, dear 100 CNY/t)."""
    projects = [
        {"project": "cheap", "fixed_om_cny_per_unit_year": 30.0, "max_units": 5,
         "max_build_per_year": 1, "lifetime_years": 10},
        {"project": "late", "fixed_om_cny_per_unit_year": 45.0, "earliest_year": 2023,
         "max_units": 3, "max_build_per_year": 3, "lifetime_years": 10},
        {"project": "dear", "capex_cny_per_unit": 400.0, "fixed_om_cny_per_unit_year": 20.0,
         "max_units": 4, "max_build_per_year": 2, "lifetime_years": 5},
        {"project": "saver", "savings_cny_per_unit_year": 10.0, "max_units": 2,
         "max_build_per_year": 2, "lifetime_years": 10},
    ]
    return case(baseline={"industry": [100.0] * 5}, projects=projects,
                scenario={"target": {"peak_year": 2023, "cap_t": 95.0}})
