"""years.extend (optimise beyond years.end, report to it) and intensity targets whose base year
lies before the horizon, by hand."""

import json

import pandas as pd
import pytest

import planner
from planner.cli import main
from planner.model.persistent import PlanningModel


def last_year_build(case, extend):
    # BAU 100, 100, 110 t; cap path 100 t: 10 units (1 t each) are needed from 2022 on;
    # capex 1000 CNY/unit, 10-year life, r = 0: an annuity of 100 CNY per unit and year
    years = {"start": 2020, "end": 2022, "extend": extend}
    return case(baseline={"industry": [100.0, 100.0, 110.0]},
                projects=[{"project": "a", "max_units": 50, "max_build_per_year": 50,
                           "capex_cny_per_unit": 1000.0, "lifetime_years": 10}],
                scenario={"years": years,
                          "target": {"cap_path_t": {2020: 105.0, 2021: 105.0, 2022: 100.0}}})


def test_extension_years_hold_the_last_year(case, tmp_path):
    path = last_year_build(case, 2)
    inp = planner.bind(planner.load_scenario(path))
    assert inp.years == [2020, 2021, 2022, 2023, 2024]
    assert inp.report_end == 2022
    # the extension's inputs are the last reported year's
    assert inp.bau.loc["industry", [2023, 2024]].tolist() == [110.0, 110.0]
    assert inp.abatement.loc["a", [2023, 2024]].tolist() == [1.0, 1.0]
    # ... and so is the target level
    ub = PlanningModel(inp).target_ub("cap_path")
    assert ub[[2023, 2024]].tolist() == pytest.approx([100.0, 100.0])
    assert PlanningModel(inp).target_ub("emissions_cap").isin([float("inf")]).all()

    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["years"] == {"start": 2020, "end": 2022, "optimised_to": 2024}
    for name in ("emissions.csv", "deployment.csv", "carbon_price.csv"):
        assert pd.read_csv(out / name)["year"].max() == 2022, name


def test_extension_with_a_cap_holds_its_level(case):
    path = case(baseline={"industry": [100.0, 110.0]},
                projects=[{"project": "a", "max_units": 50, "max_build_per_year": 50}],
                scenario={"years": {"start": 2020, "end": 2021, "extend": 3},
                          "target": {"cap_t": 104.0}})
    pm = PlanningModel(planner.bind(planner.load_scenario(path)))
    assert pm.target_ub("emissions_cap").tolist() == pytest.approx([104.0] * 5)


def test_a_last_year_unit_pays_more_annuities_with_the_extension(case):
    # without the extension a unit built in 2022 is charged one annuity (its only year in
    # the horizon); with two extension years it is charged three, as it runs in all three
    short = planner.solve(planner.load_scenario(last_year_build(case, 0)))
    long = planner.solve(planner.load_scenario(last_year_build(case, 2)))
    assert short.optimal and long.optimal
    for res in (short, long):
        d = res.deployment.set_index(["project", "year"])["build_units"]
        assert d[("a", 2022)] == pytest.approx(10.0)
        assert d.sum() == pytest.approx(10.0)
    assert short.objective_cny == pytest.approx(10 * 100.0)
    assert long.objective_cny == pytest.approx(10 * 300.0)
    # the objective coefficient of a unit built in 2022 (start-year CNY per unit)
    assert short.inputs.capex_coeff[0, 2] == pytest.approx(100.0)
    assert long.inputs.capex_coeff[0, 2] == pytest.approx(300.0)


def intensity_case(case, target):
    # GDP constant; intensity in 2021 at most 80 % of 2019's, when the city emitted 100 t
    ind = pd.DataFrame({"year": [2019, 2020, 2021], "gdp_cny": [1e9] * 3,
                        "population": [1e6] * 3})
    return case(baseline={"industry": [100.0, 100.0]},
                projects=[{"project": "a", "max_units": 50, "max_build_per_year": 50,
                           "fixed_om_cny_per_unit_year": 10.0}],
                indicators=ind, scenario={"target": target})


def test_intensity_base_year_before_the_horizon(case):
    path = intensity_case(case, {"intensity": [{"base_year": 2019, "year": 2021,
                                                "reduction": 0.2, "base_emissions_t": 100.0}]})
    res = planner.solve(planner.load_scenario(path))
    assert res.optimal
    em = res.emissions.set_index("year")["emissions_t"]
    assert em[2021] == pytest.approx(80.0)  # 0.8 × 100 t × GDP ratio 1
    assert em[2020] == pytest.approx(100.0)  # nothing needed before 2021
    assert res.objective_cny == pytest.approx(20 * 10.0)


def test_intensity_base_year_before_the_horizon_needs_its_emissions(case, capsys):
    path = intensity_case(case, {"intensity": [{"base_year": 2019, "year": 2021,
                                                "reduction": 0.2}]})
    assert main(["run", str(path), "--out", str(path.parent / "out")]) == 2
    err = capsys.readouterr().err
    assert "base_emissions_t" in err and "2019" in err
    assert "Traceback" not in err
