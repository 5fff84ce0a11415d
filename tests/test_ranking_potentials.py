"""Shared potentials of exclusive groups and deliverable potentials."""

import pytest

import planner
from planner.analysis.potentials import deliverable_potential
from planner.analysis.ranking import rank


def boiler_pair(case):
    # two conversions of the same 100 t/h of boilers; r = 0, one year, lifetime 10
    projects = [
        {"project": "electric", "exclusive_group": "boilers", "max_units": 100,
         "max_build_per_year": 100, "lifetime_years": 10, "capex_cny_per_unit": 600.0,
         "fixed_om_cny_per_unit_year": 305.0, "abatement_t_per_unit_year": 4.7},
        {"project": "gas", "exclusive_group": "boilers", "max_units": 100,
         "max_build_per_year": 100, "lifetime_years": 10, "capex_cny_per_unit": 200.0,
         "fixed_om_cny_per_unit_year": 500.0, "abatement_t_per_unit_year": 6.5},
        {"project": "pv", "max_units": 10, "max_build_per_year": 10, "lifetime_years": 10,
         "fixed_om_cny_per_unit_year": 100.0, "abatement_t_per_unit_year": 2.0},
    ]
    return case(baseline={"industry": [2000.0]}, projects=projects,
                scenario={"target": {"cap_t": 1900.0}})


def test_exclusive_pair_counts_the_base_once_with_an_incremental_bar(case):
    res = planner.solve(planner.load_scenario(boiler_pair(case)))
    t = rank(res, with_entry=False).set_index("project")
    lc_e, lc_g = (60.0 + 305.0) / 4.7, (20.0 + 500.0) / 6.5  # 77.66, 80.0 CNY/t
    assert t.loc["electric", "lcoa_cny_per_t"] == pytest.approx(lc_e)
    assert t.loc["gas", "lcoa_cny_per_t"] == pytest.approx(lc_g)
    assert t.loc["electric", "group_role"] == "base"
    assert t.loc["gas", "group_role"] == "increment"
    assert t.loc["gas", "incremental_over"] == "electric"
    # incremental bar: ΔC/ΔA = (52,000 − 36,500) / (650 − 470)
    assert t.loc["gas", "bar_cost_cny_per_t"] == pytest.approx(15_500 / 180)
    assert t.loc["gas", "bar_width_t_per_year"] == pytest.approx(180.0)
    assert t.loc["electric", "bar_width_t_per_year"] == pytest.approx(470.0)
    # the x-axis total: the boilers' deepest potential once (650 t) plus pv's 20 t
    assert t["cumulative_potential_t_per_year"].max() == pytest.approx(650.0 + 20.0)
    assert t["bar_width_t_per_year"].sum() == pytest.approx(670.0)
    # the full potentials stay beside the bars
    assert t.loc["gas", "potential_t_per_year"] == pytest.approx(650.0)


def test_a_member_off_the_hull_gets_no_bar(case):
    # a third option that abates less than gas at a higher cost is never chosen over gas
    path = case(baseline={"industry": [2000.0]},
                projects=[{"project": "electric", "exclusive_group": "b", "max_units": 100,
                           "max_build_per_year": 100, "fixed_om_cny_per_unit_year": 300.0,
                           "abatement_t_per_unit_year": 5.0},
                          {"project": "gas", "exclusive_group": "b", "max_units": 100,
                           "max_build_per_year": 100, "fixed_om_cny_per_unit_year": 480.0,
                           "abatement_t_per_unit_year": 6.0},
                          {"project": "biomass", "exclusive_group": "b", "max_units": 100,
                           "max_build_per_year": 100, "fixed_om_cny_per_unit_year": 560.0,
                           "abatement_t_per_unit_year": 5.5}],
                scenario={"target": {"cap_t": 1900.0}})
    t = rank(planner.solve(planner.load_scenario(path)), with_entry=False).set_index("project")
    assert t.loc["biomass", "group_role"] == "dominated"
    assert t.loc["biomass", "bar_width_t_per_year"] == 0.0
    assert t.loc["gas", "bar_cost_cny_per_t"] == pytest.approx((48_000 - 30_000) / 100)
    assert t["bar_width_t_per_year"].sum() == pytest.approx(600.0)


def test_deliverable_potential_in_the_target_year(case):
    # earliest 2022, 10 units/yr, lifetime 2: in 2024 only the 2023 and 2024 builds operate
    path = case(baseline={"industry": [1000.0] * 5},
                projects=[{"project": "p", "earliest_year": 2022, "max_build_per_year": 10,
                           "lifetime_years": 2, "max_units": 100,
                           "abatement_t_per_unit_year": 3.0},
                          {"project": "q", "max_build_per_year": 10, "lifetime_years": 20,
                           "max_units": 30, "abatement_t_per_unit_year": 1.0}],
                scenario={"target": {"peak_year": 2024}})
    inp = planner.bind(planner.load_scenario(path))
    assert list(deliverable_potential(inp, 2024)) == pytest.approx([20 * 3.0, 30 * 1.0])
    assert list(deliverable_potential(inp, 2021)) == pytest.approx([0.0, 20.0])
