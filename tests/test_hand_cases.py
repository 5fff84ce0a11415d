"""Hand-solvable cases with exact expected objectives."""

import pytest

import planner
from planner.model.check import objective_from_plan, violations
from planner.model.finance import crf


def solve(path):
    res = planner.solve(planner.load_scenario(path))
    assert res.status == "optimal"
    # every hand case also passes the independent re-check and the objective recomputation
    assert violations(res.inputs, res.deployment,
                      e0=res.emissions["no_target_t"].to_numpy()) == []
    assert objective_from_plan(res.inputs, res.deployment) == pytest.approx(res.objective_cny,
                                                                            rel=1e-9, abs=1e-6)
    return res


def stock(res, project):
    d = res.deployment
    return d[d.project == project].set_index("year")["stock_units"]


def build(res, project):
    d = res.deployment
    return d[d.project == project].set_index("year")["build_units"]


def test_one_project_with_discounting(case):
    # BAU 100 t/yr, cap 90 t: 10 units of 1 t/unit at 50 CNY/unit-yr, r = 10 %
    path = case(baseline={"industry": [100.0] * 3},
                projects=[{"project": "a", "max_units": 100, "max_build_per_year": 100,
                           "fixed_om_cny_per_unit_year": 50.0}],
                scenario={"discount_rate": 0.1, "target": {"cap_t": 90.0}})
    res = solve(path)
    assert stock(res, "a").tolist() == pytest.approx([10, 10, 10])
    # operating flows are paid at the end of each year: NPV divided by (1 + r)
    assert res.objective_cny == pytest.approx(500 * (1 + 1 / 1.1 + 1 / 1.1**2) / 1.1)
    # units never retire inside their lifetime, so the binding year is 2020: one more tonne
    # there is one more unit running all three years; later caps hold with no extra cost
    cp = res.carbon_price
    # the optimum is degenerate: HiGHS's dual is one valid value between the one-sided ones
    assert (cp["price_low_cny_per_t"] <= cp["price_cny_per_t"] + 1e-6).all()
    assert (cp["price_cny_per_t"] <= cp["price_high_cny_per_t"] + 1e-6).all()
    # ... but one more tonne in 2021 (2022) means one more unit from then on, in that year's money
    assert cp["price_high_cny_per_t"].tolist() == pytest.approx(
        [50 * (1 + 1 / 1.1 + 1 / 1.21), 50 + 50 / 1.1, 50], rel=1e-6)
    assert cp["price_low_cny_per_t"].tolist()[1:] == pytest.approx([0, 0], abs=1e-6)


def test_cheaper_project_first(case):
    path = case(baseline={"industry": [100.0]},
                projects=[{"project": "dear", "max_units": 100, "max_build_per_year": 100,
                           "fixed_om_cny_per_unit_year": 50.0},
                          {"project": "cheap", "max_units": 6, "max_build_per_year": 6,
                           "fixed_om_cny_per_unit_year": 20.0}],
                scenario={"target": {"cap_t": 90.0}})
    res = solve(path)
    assert stock(res, "cheap").tolist() == pytest.approx([6])
    assert stock(res, "dear").tolist() == pytest.approx([4])
    assert res.objective_cny == pytest.approx(6 * 20 + 4 * 50)
    assert res.price_in(2020) == pytest.approx(50.0)


def test_negative_cost_project_without_target(case):
    path = case(baseline={"industry": [100.0, 100.0]},
                projects=[{"project": "saver", "max_units": 5, "max_build_per_year": 5,
                           "fixed_om_cny_per_unit_year": 10.0,
                           "savings_cny_per_unit_year": 30.0},
                          {"project": "costly", "max_units": 5, "max_build_per_year": 5,
                           "fixed_om_cny_per_unit_year": 10.0}])
    res = solve(path)
    assert res.scenario.target.is_bau
    assert stock(res, "saver").tolist() == pytest.approx([5, 5])
    assert stock(res, "costly").tolist() == pytest.approx([0, 0])
    assert res.objective_cny == pytest.approx(-20 * 5 * 2)
    assert res.carbon_price["price_cny_per_t"].abs().max() == pytest.approx(0.0, abs=1e-9)


def test_rollout_limit_forces_expensive_project_to_start_early(case):
    # 2022 must abate 20 t. cheap: 10 CNY/unit-yr, +5 units/yr -> at most 15 by 2022.
    # dear: 50 CNY/unit-yr, +2 units/yr -> the missing 5 units need builds 1, 2, 2 from 2020.
    # cost = 10·(5+10+15) + 50·(1+3+5) = 750
    path = case(baseline={"industry": [100.0] * 3},
                projects=[{"project": "cheap", "max_units": 20, "max_build_per_year": 5,
                           "fixed_om_cny_per_unit_year": 10.0},
                          {"project": "dear", "max_units": 20, "max_build_per_year": 2,
                           "fixed_om_cny_per_unit_year": 50.0}],
                scenario={"target": {"cap_path_t": {2022: 80.0}}})
    res = solve(path)
    assert res.objective_cny == pytest.approx(750.0)
    assert stock(res, "cheap").tolist() == pytest.approx([5, 10, 15])
    assert stock(res, "dear").tolist() == pytest.approx([1, 3, 5])
    assert res.projects_used().set_index("project").loc["dear", "first_year"] == 2020


def test_short_lifetime_forces_rebuilding(case):
    # lifetime 2 in a 3-year horizon, r = 0: CRF = 1/2; 10 units built 2020 (paid 2 years)
    # and rebuilt 2022 (paid 1 year inside the horizon): 10·100·0.5·(2 + 1) = 1500
    path = case(baseline={"industry": [100.0] * 3},
                projects=[{"project": "short", "max_units": 10, "max_build_per_year": 10,
                           "lifetime_years": 2, "capex_cny_per_unit": 100.0}],
                scenario={"target": {"cap_t": 90.0}})
    res = solve(path)
    assert build(res, "short").tolist() == pytest.approx([10, 0, 10])
    assert stock(res, "short").tolist() == pytest.approx([10, 10, 10])
    assert res.objective_cny == pytest.approx(1500.0)
    assert res.total_investment_cny == pytest.approx(2000.0)


def test_crf_values():
    assert crf(0.08, 20) == pytest.approx(0.10185, abs=5e-6)
    assert crf(0.08, 15) == pytest.approx(0.11683, abs=5e-6)
    assert crf(0.04, 20) == pytest.approx(0.07358, abs=5e-6)
    assert crf(0.0, 8) == pytest.approx(1 / 8)


def test_peak_rule_and_reported_peak(case):
    # BAU rises 100, 110, 120; peak by 2020 means no increase after 2020: 10 and 20 t abated
    path = case(baseline={"industry": [100.0, 110.0, 120.0]},
                projects=[{"project": "a", "max_units": 50, "max_build_per_year": 50,
                           "fixed_om_cny_per_unit_year": 7.0}],
                scenario={"target": {"peak_year": 2020}})
    res = solve(path)
    assert res.emissions["emissions_t"].tolist() == pytest.approx([100, 100, 100])
    assert res.objective_cny == pytest.approx(7 * 30)
    assert res.peak_year == 2020 and res.peak_emissions_t == pytest.approx(100)


def test_sink_sector_and_sector_floor(case):
    # industry BAU 5 t: the project of that sector cannot abate more than 5 t (sector floor);
    # the forestry sink (BAU -3) has no floor
    path = case(baseline={"industry": [5.0], "forestry": [-3.0]},
                projects=[{"project": "ind", "max_units": 10, "max_build_per_year": 10,
                           "fixed_om_cny_per_unit_year": 1.0},
                          {"project": "trees", "sector": "forestry", "max_units": 10,
                           "max_build_per_year": 10, "fixed_om_cny_per_unit_year": 2.0}],
                scenario={"target": {"cap_t": -5.0, "scope": "net"}})
    res = solve(path)
    assert stock(res, "ind").tolist() == pytest.approx([5])
    # BAU total 2 t, cap -5 t: 7 t to abate, industry's 5 t first (cheaper), trees 2 t
    assert stock(res, "trees").tolist() == pytest.approx([2])
    assert res.objective_cny == pytest.approx(5 * 1 + 2 * 2)
    sec = res.emissions_by_sector.set_index("sector")
    assert sec.loc["industry", "emissions_t"] == pytest.approx(0.0)
    assert sec.loc["forestry", "emissions_t"] == pytest.approx(-5.0)


def test_exclusive_group_and_investment_budget(case):
    # gas and electric compete for the same boilers; a 600 CNY/yr investment budget
    path = case(baseline={"industry": [100.0, 100.0]},
                projects=[{"project": "gas", "max_units": 10, "max_build_per_year": 10,
                           "capex_cny_per_unit": 100.0, "lifetime_years": 2,
                           "exclusive_group": "boilers"},
                          {"project": "elec", "max_units": 10, "max_build_per_year": 10,
                           "capex_cny_per_unit": 150.0, "lifetime_years": 2,
                           "abatement_t_per_unit_year": 2.0, "exclusive_group": "boilers"}],
                scenario={"target": {"cap_t": 88.0},
                          "budget": {"max_investment_cny_per_year": 900.0}})
    res = solve(path)
    # need 12 t; per t: gas 100 CNY, elec 75 CNY -> elec 6 units = 900 CNY (budget exactly)
    assert stock(res, "elec").tolist() == pytest.approx([6, 6])
    assert stock(res, "gas").tolist() == pytest.approx([0, 0])
    assert res.objective_cny == pytest.approx(900.0)
