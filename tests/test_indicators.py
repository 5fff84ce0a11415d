"""Indicators, intensity / per-capita / sector targets, co-benefits and decomposition (issue 5)."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import planner
from planner.analysis.decomposition import decomposition
from planner.analysis.indicators import co_benefits, co_benefits_by_year, indicators
from planner.cli import main
from planner.model.check import violations
from planner.outputs.folder import write_folder
from planner.outputs.run import indicator_writers as writers
from planner.tables import decomposition_markdown as to_markdown

REPO = Path(__file__).resolve().parents[1]
ZHUZHOU = REPO / "data" / "zhuzhou"

# two years, GDP +10 %, population flat: the numbers below are worked out by hand
IND = pd.DataFrame({"year": [2020, 2021], "gdp_cny": [1.0e6, 1.1e6], "population": [10, 10]})
# one project that can only act in 2021 (2020 stays at BAU): 1 t per unit, 10 CNY per unit-year
PROJECT_A = {"project": "a", "earliest_year": 2021, "max_units": 100, "max_build_per_year": 100,
             "fixed_om_cny_per_unit_year": 10.0}


def solve(path) -> planner.Result:
    res = planner.solve(planner.load_scenario(path))
    assert res.status == "optimal"
    assert violations(res.inputs, res.deployment, e0=res.emissions["no_target_t"].to_numpy()) == []
    return res


def stock(res, project) -> list[float]:
    d = res.deployment
    return d[d.project == project].sort_values("year")["stock_units"].tolist()


@functools.cache
def zhuzhou(stem: str) -> planner.Result:
    return planner.solve(planner.load_scenario(REPO / "scenarios" / f"{stem}.yaml"),
                         one_sided_prices=False)


# ---------------------------------------------------------------- targets ----------------

def test_intensity_target_binds_with_hand_computed_effect(case):
    # CO2/GDP in 2021 <= 0.9 x CO2/GDP in 2020:
    # e2021 <= 0.9 * 1.1e6 / 1.0e6 * 100 = 99 t -> 120 - 99 = 21 units at 10 CNY
    target = {"intensity": {"base_year": 2020, "year": 2021, "reduction": 0.1}}
    free = solve(case(baseline={"industry": [100.0, 120.0]}, projects=[PROJECT_A],
                      indicators=IND))
    assert free.objective_cny == pytest.approx(0.0)
    assert indicators(free)["intensity_change_vs_base_year"].iloc[1] == pytest.approx(
        120 / 110 - 1)  # +9.1 % without the target: it binds

    res = solve(case(baseline={"industry": [100.0, 120.0]}, projects=[PROJECT_A],
                     indicators=IND, scenario={"target": target}))
    assert stock(res, "a") == pytest.approx([0, 21])
    assert res.objective_cny == pytest.approx(210.0)
    ind = indicators(res)
    assert ind["emissions_t"].tolist() == pytest.approx([100.0, 99.0])
    # t per 10,000 CNY: 100 t / 100 x 10k CNY = 1.0; 99 / 110 = 0.9
    assert ind["co2_per_10k_cny_gdp"].tolist() == pytest.approx([1.0, 0.9])
    assert ind["intensity_change_vs_base_year"].tolist() == pytest.approx([0.0, -0.1])
    assert ind["bau_co2_per_10k_cny_gdp"].tolist() == pytest.approx([1.0, 120 / 110])
    assert ind["change_vs_base_year"].tolist() == pytest.approx([0.0, -0.01])
    assert ind["change_vs_bau"].tolist() == pytest.approx([0.0, 99 / 120 - 1])
    # the marginal tonne of 2021 costs one more unit; the base year's emissions are data (the
    # no-target plan's 100 t), so 2020 has no price
    assert res.price_in(2021) == pytest.approx(10.0)
    assert res.price_in(2020) == pytest.approx(0.0, abs=1e-9)
    # base: plan keeps the endogenous form — one more tonne in 2020 loosens 2021 by 0.99 t
    # (a price of -9.9), and a warning says so
    plan_base = {"intensity": {**target["intensity"], "base": "plan"}}
    res_plan = solve(case(baseline={"industry": [100.0, 120.0]}, projects=[PROJECT_A],
                          indicators=IND, scenario={"target": plan_base}))
    assert res_plan.price_in(2020) == pytest.approx(-9.9)
    assert any("base: plan" in w for w in res_plan.warnings)


def test_several_intensity_targets(case):
    ind3 = pd.DataFrame({"year": [2020, 2021, 2022], "gdp_cny": [1e6, 1e6, 2e6],
                         "population": [1, 1, 1]})
    target = {"intensity": [{"base_year": 2020, "year": 2021, "reduction": 0.05},
                            {"base_year": 2020, "year": 2022, "reduction": 0.5}]}
    res = solve(case(baseline={"industry": [100.0, 100.0, 120.0]}, projects=[PROJECT_A],
                     indicators=ind3, scenario={"target": target}))
    # 2021: e <= 95 (5 units); 2022: e <= 0.5 * 2 * 100 = 100 (20 units)
    assert stock(res, "a") == pytest.approx([0, 5, 20])
    assert res.objective_cny == pytest.approx(10 * (5 + 20))
    assert indicators(res)["intensity_change_vs_base_year"].tolist() == pytest.approx(
        [0.0, -0.05, -0.5])


def test_reported_intensity_is_emissions_over_gdp_zhuzhou():
    res = zhuzhou("zhuzhou_peak2025")
    gdp = pd.read_csv(ZHUZHOU / "indicators.csv").set_index("year")
    ind = indicators(res).set_index("year")
    em = res.emissions.set_index("year")["emissions_t"]
    years = res.inputs.years
    expect = em / (gdp.loc[years, "gdp_cny"] / 1e4)
    np.testing.assert_allclose(ind["co2_per_10k_cny_gdp"], expect.to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(ind["per_capita_t"],
                               (em / gdp.loc[years, "population"]).to_numpy(), rtol=1e-12)
    # indicators follow the target scope (gross: the 1.7 Mt forest sink not netted); the net
    # 2020 intensity of the illustrative dataset, 1.2234, is near the 1.235 t / 10k CNY of the
    # 2018 low-carbon pilot plan
    assert ind.loc[2020, "co2_per_10k_cny_gdp"] == pytest.approx(39.7e6 / (gdp.loc[2020, "gdp_cny"]
                                                                          / 1e4), rel=1e-9)
    net = res.emissions.set_index("year")["emissions_net_t"]
    assert net[2020] / (gdp.loc[2020, "gdp_cny"] / 1e4) == pytest.approx(1.2234, abs=1e-4)
    assert ind.loc[2025, "intensity_change_vs_base_year"] == pytest.approx(
        ind.loc[2025, "co2_per_10k_cny_gdp"] / ind.loc[2020, "co2_per_10k_cny_gdp"] - 1)
    shares = ind[[c for c in ind.columns if c.startswith("share_")]]
    np.testing.assert_allclose(shares.sum(axis=1), 1.0, rtol=1e-12)
    assert (shares["share_forestry"] < 0).all()  # a sink's share is negative


def test_per_capita_cap_binds(case):
    # 9.5 t per person x 10 people = 95 t in 2021 -> 25 units
    res = solve(case(baseline={"industry": [100.0, 120.0]}, projects=[PROJECT_A],
                     indicators=IND, scenario={"target": {"per_capita_t": {2021: 9.5}}}))
    assert stock(res, "a") == pytest.approx([0, 25])
    assert res.objective_cny == pytest.approx(250.0)
    assert indicators(res)["per_capita_t"].tolist() == pytest.approx([10.0, 9.5])
    assert res.emissions["cap_t"].iloc[1] == pytest.approx(95.0)


def test_sector_cap_binds_within_its_sector(case):
    projects = [PROJECT_A, {**PROJECT_A, "project": "b", "sector": "buildings",
                            "fixed_om_cny_per_unit_year": 1.0}]
    base = {"industry": [100.0, 120.0], "buildings": [50.0, 50.0]}
    # the same 10 t as a city cap is met by the cheaper buildings project ...
    city = solve(case(baseline=base, projects=projects,
                      scenario={"target": {"cap_path_t": {2021: 160.0}}}))
    assert stock(city, "b") == pytest.approx([0, 10])
    assert city.objective_cny == pytest.approx(10.0)
    # ... but an industry cap must be met in industry
    res = solve(case(baseline=base, projects=projects,
                     scenario={"target": {"sector_cap_t": {"industry": {2021: 110.0}}}}))
    assert stock(res, "a") == pytest.approx([0, 10])
    assert stock(res, "b") == pytest.approx([0, 0])
    assert res.objective_cny == pytest.approx(100.0)
    sec = res.emissions_by_sector.set_index(["sector", "year"])["emissions_t"]
    assert sec["industry", 2021] == pytest.approx(110.0)
    # without indicators.csv the GDP columns are empty, the rest is reported
    ind = indicators(res)
    assert ind["co2_per_10k_cny_gdp"].isna().all() and ind["per_capita_t"].isna().all()
    assert ind["share_industry"].tolist() == pytest.approx([100 / 150, 110 / 160])
    assert ind["emissions_t"].tolist() == pytest.approx([150.0, 160.0])


def test_cobenefit_value_changes_objective_by_the_credited_value(case):
    # cap 90 t on BAU 100 t: 10 units every year whatever the credit (credit 80 < O&M 100)
    pollutants = {"so2_t_per_unit_year": 0.5, "nox_t_per_unit_year": 0.2,
                  "pm25_t_per_unit_year": 0.1}
    value = {"so2": 100.0, "nox": 50.0, "pm25": 200.0}  # 50 + 10 + 20 = 80 CNY per unit-year
    proj = [{"project": "a", "max_units": 100, "max_build_per_year": 100,
             "fixed_om_cny_per_unit_year": 100.0, **pollutants}]
    sc = {"discount_rate": 0.1, "target": {"cap_t": 90.0}}
    plain = solve(case(baseline={"industry": [100.0] * 3}, projects=proj, scenario=sc))
    valued = solve(case(baseline={"industry": [100.0] * 3}, projects=proj,
                        scenario={**sc, "cobenefit_value_cny_per_t": value}))
    assert stock(plain, "a") == stock(valued, "a") == pytest.approx([10, 10, 10])
    sum_df = (1 + 1 / 1.1 + 1 / 1.1**2) / 1.1  # operating flows at the end of each year
    assert plain.objective_cny == pytest.approx(10 * 100 * sum_df)
    assert plain.objective_cny - valued.objective_cny == pytest.approx(10 * 80 * sum_df)
    # ... which is the discounted value of the avoided pollutants reported in co_benefits
    cb = co_benefits_by_year(valued)
    assert cb["so2_t"].tolist() == pytest.approx([5.0] * 3)
    df = valued.inputs.weights
    credited = sum((cb[f"{k}_t"].to_numpy() * v * df).sum() for k, v in value.items())
    assert plain.objective_cny - valued.objective_cny == pytest.approx(credited)
    # decomposition's net present cost carries the credit too
    dec = decomposition(valued)
    assert dec.loc[dec.level == "city", "net_present_cost_cny"].item() == pytest.approx(
        valued.objective_cny)


# ---------------------------------------------------------------- co-benefits --------------

@pytest.mark.parametrize("stem", ["zhuzhou_bau", "zhuzhou_peak2025"])
def test_co_benefits_are_units_times_rates_by_year(stem):
    res = zhuzhou(stem)
    rates = pd.read_csv(ZHUZHOU / "projects.csv").set_index("project")
    d = res.deployment
    cb = co_benefits(res)
    assert len(cb) == len(d)
    for k in ("so2", "nox", "pm25"):
        units_x_rate = d["stock_units"] * rates.loc[d["project"], f"{k}_t_per_unit_year"].to_numpy()
        expect = units_x_rate.groupby(d["year"]).sum()
        by_year = co_benefits_by_year(res).set_index("year")[f"{k}_t"]
        np.testing.assert_allclose(by_year.to_numpy(), expect.reindex(by_year.index).to_numpy(),
                                   rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(cb[f"{k}_t"].to_numpy(), units_x_rate.to_numpy(), rtol=1e-12)
        ind = indicators(res).set_index("year")[f"{k}_avoided_t"]
        np.testing.assert_allclose(ind.to_numpy(), by_year.to_numpy(), rtol=1e-12)
    assert (cb[["so2_t", "nox_t", "pm25_t"]] >= 0).all().all()


# ---------------------------------------------------------------- decomposition -----------

@pytest.mark.parametrize("stem", ["zhuzhou_bau", "zhuzhou_peak2030", "zhuzhou_peak2025"])
def test_decomposition_rows_add_up_to_city_totals(stem):
    res = zhuzhou(stem)
    dec = decomposition(res)
    city = dec[dec.level == "city"].iloc[0]
    # the decomposition covers every sector, sinks included: its city row is the net total
    em = res.emissions_by_sector.groupby("year")[["emissions_t", "abatement_t"]].sum()
    base, peak, final = res.inputs.start, res.peak_year, res.inputs.end
    assert (city.base_year, city.peak_year, city.final_year) == (base, peak, final)
    # the city row is the plan's own totals
    for k, y in (("base", base), ("peak", peak), ("final", final)):
        assert city[f"emissions_{k}_t"] == pytest.approx(em.loc[y, "emissions_t"])
        assert city[f"reduction_{k}_t"] == pytest.approx(em.loc[y, "abatement_t"], abs=1e-6)
    assert city.reduction_total_t == pytest.approx(em["abatement_t"].sum())
    assert (res.emissions.set_index("year")["emissions_net_t"] == em["emissions_t"]).all() or \
        np.allclose(res.emissions["emissions_net_t"].to_numpy(), em["emissions_t"].to_numpy())
    assert city.investment_cny == pytest.approx(res.total_investment_cny)
    assert city.net_present_cost_cny == pytest.approx(res.objective_cny, rel=1e-9)
    # ... and the rows of each level add up to it
    additive = ["reduction_base_t", "reduction_peak_t", "reduction_final_t", "reduction_total_t",
                "share_of_reduction_peak", "share_of_reduction_total", "investment_cny",
                "net_present_cost_cny"]
    for level in ("sector", "measure"):
        rows = dec[dec.level == level]
        for col in additive:
            assert rows[col].sum() == pytest.approx(city[col], rel=1e-9, abs=1e-6), (level, col)
    sectors = dec[dec.level == "sector"]
    assert list(sectors["name"]) == res.inputs.sectors
    for k in ("base", "peak", "final"):
        assert sectors[f"emissions_{k}_t"].sum() == pytest.approx(city[f"emissions_{k}_t"])
    assert set(dec.loc[dec.level == "measure", "name"]) == set(res.inputs.projects["measure"])
    assert dec.loc[dec.level == "measure", "emissions_peak_t"].isna().all()
    # key projects: the city's largest contributor comes first; names are the Chinese ones
    used = res.projects_used().sort_values("abatement_total_t", ascending=False)
    assert city.key_projects.split("、")[0] == used["name"].iloc[0]


def test_decomposition_markdown():
    res = zhuzhou("zhuzhou_peak2025")
    dec = decomposition(res)
    md = to_markdown(dec)
    assert "## By sector" in md and "## By measure" in md
    table_lines = [ln for ln in md.splitlines() if ln.startswith("| ")]
    # header + rule + rows, for each table; every row has the same number of cells
    n_sector, n_measure = (dec.level == "sector").sum(), (dec.level == "measure").sum()
    assert len(table_lines) == (2 + n_sector + 1) + (2 + n_measure + 1)
    assert md.count("**City total**") == 2
    assert "冶炼及工业窑炉余热回收" in md
    py = res.peak_year  # the plan's own peak year (the level form may plateau after 2025)
    assert f"Emissions {py} (peak)" in md and f"Share of reduction {py} (peak)" in md
    assert to_markdown(decomposition(planner.Result(inputs=res.inputs, status="infeasible")))


def test_decomposition_without_any_reduction(case):
    # nothing is worth building: shares are undefined (NaN), sums still hold, no key projects
    # (net scope: the city's own total is negative)
    res = solve(case(baseline={"industry": [10.0, 10.0], "forestry": [-20.0, -20.0]},
                     projects=[{"project": "a", "fixed_om_cny_per_unit_year": 10.0}],
                     scenario={"target": {"scope": "net"}}))
    dec = decomposition(res)
    assert dec["share_of_reduction_total"].isna().all()
    assert (dec["key_projects"] == "").all()
    city = dec[dec.level == "city"].iloc[0]
    assert city.emissions_peak_t == pytest.approx(-10.0)
    sec = dec[dec.level == "sector"]
    assert sec["emissions_final_t"].sum() == pytest.approx(city.emissions_final_t)
    assert "-0.00" not in to_markdown(dec)
    # a net sink city: shares and changes against a negative total are NaN, not misleading
    ind = indicators(res)
    assert ind["share_industry"].isna().all() and ind["change_vs_base_year"].isna().all()


def test_indicator_writers_write_their_files(tmp_path):
    res = zhuzhou("zhuzhou_peak2030")
    out = write_folder(tmp_path / "run", writers(res))
    names = {p.name for p in out.iterdir()}
    assert {"indicators.csv", "co_benefits.csv", "decomposition.csv",
            "decomposition.md"} <= names
    ind = pd.read_csv(out / "indicators.csv")
    assert ind["year"].tolist() == res.inputs.years
    dec = pd.read_csv(out / "decomposition.csv", keep_default_na=False, na_values=[""])
    assert set(dec["level"]) == {"sector", "measure", "city"}
    assert writers(planner.Result(inputs=res.inputs, status="infeasible")) == {}


# ---------------------------------------------------------------- bad indicator input -------

def run_cli(path, tmp_path, capsys) -> tuple[int, str]:
    code = main(["run", str(path), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert not (tmp_path / "out").exists()  # nothing written
    return code, err


@pytest.mark.parametrize("bad, where", [
    (IND.iloc[:1], "no row for year 2021"),
    (IND.assign(gdp_cny=[1e6, 0.0]), "gdp_cny"),
    (IND.assign(population=[10, -1]), "population"),
])
def test_bad_indicators_exit_2(case, tmp_path, capsys, bad, where):
    path = case(baseline={"industry": [100.0, 120.0]}, projects=[PROJECT_A], indicators=bad)
    code, err = run_cli(path, tmp_path, capsys)
    assert code == 2
    assert "indicators.csv" in err and where in err


@pytest.mark.parametrize("target, key", [
    ({"intensity": {"base_year": 2020, "year": 2021, "reduction": 0.1}}, "target.intensity"),
    ({"per_capita_t": {2021: 9.5}}, "target.per_capita_t"),
])
def test_target_needing_indicators_without_file_exit_2(case, tmp_path, capsys, target, key):
    path = case(baseline={"industry": [100.0, 120.0]}, projects=[PROJECT_A],
                scenario={"target": target})
    code, err = run_cli(path, tmp_path, capsys)
    assert code == 2
    assert key in err and "indicators.csv" in err


@pytest.mark.parametrize("target, text", [
    ({"intensity": {"base_year": 2021, "year": 2021, "reduction": 0.1}}, "not after base_year"),
    ({"intensity": {"base_year": 2020, "year": 2021, "reduction": 1.5}}, "target.intensity"),
    ({"sector_cap_t": {"buildings": {2021: 40.0}}}, "no project reduces"),
    ({"sector_cap_t": {"industri": {2021: 40.0}}}, "unknown sector"),
])
def test_bad_targets_exit_2(case, tmp_path, capsys, target, text):
    path = case(baseline={"industry": [100.0, 120.0], "buildings": [50.0, 50.0]},
                projects=[PROJECT_A], indicators=IND, scenario={"target": target})
    code, err = run_cli(path, tmp_path, capsys)
    assert code == 2
    assert text in err
