"""The model-derived MAC curve: a target-year cap sweep between the no-target plan and the
lowest feasible cap."""

import pytest

import planner
from planner.analysis.mac_model import mac_model, mac_model_table
from planner.analysis.ranking import ranking
from tests.cases import FOUR_PROJECTS


def test_one_year_cap_curve_steps_at_the_lcoas_in_order(case):
    # one year, r = 0, lifetime 10: cost per tonne = capex/10/a + om/a
    projects = FOUR_PROJECTS
    path = case(baseline={"industry": [100.0]}, projects=projects,
                scenario={"target": {"cap_t": 65.0}})
    inp = planner.bind(planner.load_scenario(path))
    cv = mac_model(inp)
    assert cv.no_target_t == pytest.approx(100.0)
    assert cv.lowest_t == pytest.approx(100.0 - 10 - 20 - 10 - 5)
    s = cv.steps
    assert list(s["marginal_cost_cny_per_t"]) == pytest.approx([2.5, 10.0, 15.0, 900.0])
    assert list(s["abatement_to_t"]) == pytest.approx([10.0, 30.0, 40.0, 45.0])
    by = cv.by_project.set_index("step")
    assert [by.loc[k, "project"] for k in (1, 2, 3, 4)] == ["c", "a", "b", "d"]
    assert list(by["delta_abatement_target_year_t"]) == pytest.approx([10.0, 20.0, 10.0, 5.0])
    # the scenario's own point: 35 t of abatement, on b's step
    res = planner.solve(planner.load_scenario(path))
    rk = ranking(res, with_entry=False)
    assert rk.target_abatement_t == pytest.approx(35.0)
    assert rk.target_cost_cny_per_t == pytest.approx(15.0)
    table = mac_model_table(rk.curves)
    assert set(table["variant"]) == {"central", "rate_low", "rate_high"}


def test_curve_counts_discounted_tonnes_of_every_year(case):
    # two years, r = 0: a 2021 cap met by a unit built in 2020 abates 2 t over the horizon
    # for 1 t in 2021 only when building in 2021 is impossible
    projects = [{"project": "slow", "fixed_om_cny_per_unit_year": 10.0, "max_units": 4,
                 "max_build_per_year": 2, "lifetime_years": 5}]
    path = case(baseline={"industry": [100.0, 100.0]}, projects=projects,
                scenario={"target": {"peak_year": 2021}})
    cv = mac_model(planner.bind(planner.load_scenario(path)))
    # first 2 t in 2021: build in 2021 (10 CNY per t); the next 2 t need 2020 builds that
    # also abate in 2020: 20 CNY for 2 discounted tonnes — still 10 CNY/t
    assert list(cv.steps["marginal_cost_cny_per_t"]) == pytest.approx([10.0])
    assert cv.steps["abatement_to_t"].iloc[-1] == pytest.approx(4.0)


def test_bands_in_two_threads_equal_bands_one_after_another(case, monkeypatch):
    import planner.analysis.mac_model as mm
    import planner.analysis.parametric as par

    path = case(baseline={"industry": [100.0, 104.0, 108.0]}, projects=FOUR_PROJECTS,
                scenario={"target": {"cap_t": 90.0}})
    inp = planner.bind(planner.load_scenario(path))
    monkeypatch.setattr(par, "PARALLEL_MIN_COLS", 10**9)
    assert not par.two_at_a_time(len(inp.projects), len(inp.years))
    serial = mm.mac_model_bands(inp)
    monkeypatch.setattr(par, "PARALLEL_MIN_COLS", 0)
    monkeypatch.setattr(par.os, "cpu_count", lambda: 2)
    assert par.two_at_a_time(len(inp.projects), len(inp.years))
    threaded = mm.mac_model_bands(inp)
    assert list(threaded) == ["central", "rate_low", "rate_high"]
    for k, cv in serial.items():
        assert threaded[k].rate == cv.rate
        assert len(cv.steps) > 0
        assert threaded[k].steps.equals(cv.steps), k
        assert threaded[k].by_project.equals(cv.by_project), k
