"""Ranked project lists: LCOA by hand, cost order, carbon price = marginal LCOA, inertia,
entry prices, the files of `planner rank`."""

import pandas as pd
import pytest

import planner
from planner.analysis.lcoa import lcoa_table
from planner.analysis.potentials import full_potential
from planner.analysis.ranking import rank
from planner.cli import main
from planner.model.finance import crf
from tests.cases import FOUR_PROJECTS, inertia


def test_lcoa_by_hand(case):
    path = case(baseline={"industry": [100.0]},
                projects=[{"project": "pv", "capex_cny_per_unit": 4_000_000.0,
                           "lifetime_years": 25, "fixed_om_cny_per_unit_year": 40_000.0,
                           "savings_cny_per_unit_year": 430_000.0,
                           "abatement_t_per_unit_year": 536.8, "max_units": 10,
                           "max_build_per_year": 10}],
                scenario={"discount_rate": 0.08})
    inp = planner.bind(planner.load_scenario(path))
    t = lcoa_table(inp, 2020, private_rate=0.12)
    by_hand = (crf(0.08, 25) * 4_000_000 + 40_000 - 430_000) / 536.8
    assert by_hand == pytest.approx(-28.47, abs=0.01)  # 0.093679 × 4e6 = 374,716
    assert t.loc["pv", "lcoa_cny_per_t"] == pytest.approx(by_hand, rel=1e-12)
    # constant values: every vintage equals the start-year LCOA
    assert t.loc["pv", "lcoa_start_year_cny_per_t"] == pytest.approx(by_hand, rel=1e-12)
    assert t.loc["pv", "lcoa_first_year_cny_per_t"] == pytest.approx(by_hand, rel=1e-12)
    private = (crf(0.12, 25) * 4_000_000 + 40_000 - 430_000) / 536.8
    assert t.loc["pv", "lcoa_private_cny_per_t"] == pytest.approx(private, rel=1e-12)
    assert t.loc["pv", "breakeven_carbon_price_cny_per_t"] == pytest.approx(max(private, 0))
    assert full_potential(inp, 2020)[0] == pytest.approx(5368.0)
    assert t.loc["pv", "simple_payback_years"] == pytest.approx(4_000_000 / 390_000)


def one_year_cap(case, rate: float = 0.05):
    # one year, lifetime 10, r = 5 %: cost per unit-year = CRF·capex + om − savings
    projects = FOUR_PROJECTS
    return case(baseline={"industry": [100.0]}, projects=projects,
                scenario={"discount_rate": rate, "target": {"cap_t": 65.0}})


def test_one_year_cap_follows_cost_order_and_price_is_marginal_lcoa(case):
    res = planner.solve(planner.load_scenario(one_year_cap(case)))
    f = crf(0.05, 10)
    lcoa = {"c": f * 50 / 2, "a": f * 1000 / 10, "b": f * 100 + 5, "d": f * 9000}
    table = rank(res, with_entry=False).set_index("project")
    assert table["lcoa_cny_per_t"].to_dict() == pytest.approx(lcoa)
    assert list(table.index) == ["c", "a", "b", "d"]  # ascending LCOA
    # 35 t: c gives 10 t, a 20 t, the marginal b the last 5 t; d unused
    assert table["share_deployed_target_year"].to_dict() == pytest.approx(
        {"c": 1.0, "a": 1.0, "b": 0.5, "d": 0.0})
    assert res.price_in(2020) == pytest.approx(lcoa["b"], rel=1e-9)
    assert table.loc["d", "why"].startswith("not used: cost ")
    assert table.loc["d", "reduced_cost_cny_per_unit"] == pytest.approx(
        (lcoa["d"] - lcoa["b"]) / 1.05, rel=1e-6)  # how much cheaper d must get, per unit:
    # one year's annuity, paid at the end of 2020, in money of the start of 2020
    for p in "cab":
        assert table.loc[p, "why"].startswith("starts 2020: cost ")
        assert table.loc[p, "realised_cost_cny_per_t"] == pytest.approx(lcoa[p], rel=1e-9)


def test_entry_prices_follow_lcoa_when_nothing_else_binds(case):
    # r = 0 so that the carbon price's and the costs' discounting agree whatever the time base
    res = planner.solve(planner.load_scenario(one_year_cap(case, rate=0.0)))
    table = rank(res).set_index("project")
    f = crf(0.0, 10)
    for p, lc in {"c": f * 25, "a": f * 100, "b": f * 100 + 5, "d": f * 9000}.items():
        assert table.loc[p, "entry_price_cny_per_t"] == pytest.approx(lc, rel=1e-9)
        assert table.loc[p, "monotone"]


def test_inertia_expensive_slow_project_starts_before_cheap_one(case):
    # 2023 must abate 20 t. cheap: 10 CNY/unit-yr, 12 units, fast -> built in 2023 only.
    # dear: 50 CNY/unit-yr, +2 units/yr -> the other 8 units need builds from 2020 on.
    path = inertia(case)
    res = planner.solve(planner.load_scenario(path))
    assert res.objective_cny == pytest.approx(10 * 12 + 50 * (2 + 4 + 6 + 8))
    table = rank(res).set_index("project")
    assert list(table.index) == ["cheap", "dear"]
    assert table.loc["dear", "first_build_year"] == 2020
    assert table.loc["cheap", "first_build_year"] == 2023
    assert table.loc["dear", "why"].startswith("starts 2020: cost 50 CNY/t")
    assert ("its roll-out limit of 2 unit per year binds every year 2020–2023, so starting "
            "later would miss the target in 2023") in table.loc["dear", "why"]
    # the realised cost per tonne of the slow project is its LCOA (no capex, constant a)
    assert table.loc["dear", "realised_cost_cny_per_t"] == pytest.approx(50.0)


def test_negative_cost_project_why(case):
    path = case(baseline={"industry": [100.0, 100.0]},
                projects=[{"project": "saver", "max_units": 5, "max_build_per_year": 5,
                           "savings_cny_per_unit_year": 30.0, "fixed_om_cny_per_unit_year": 10.0}],
                scenario={"target": {"cap_t": 99.0}})
    table = rank(planner.solve(planner.load_scenario(path))).set_index("project")
    assert table.loc["saver", "why"].startswith("starts 2020")
    assert "cost -20 CNY/t" in table.loc["saver", "why"]
    assert table.loc["saver", "entry_price_cny_per_t"] == 0.0


def test_rank_command_writes_files(tmp_path):
    out = tmp_path / "rank"
    code = main(["rank", "scenarios/zhuzhou_peak2030.yaml", "--out", str(out),
                 "--private-discount-rate", "0.12"])
    assert code == 0
    for name in ("ranking.csv", "ranking.xlsx", "ranking.md", "mac_curve.png", "mac_curve.svg",
                 "mac_model.csv", "mac_model.png", "mac_model.svg"):
        assert (out / name).stat().st_size > 500, name
    csv = pd.read_csv(out / "ranking.csv")
    xlsx = pd.read_excel(out / "ranking.xlsx", sheet_name="ranking")
    assert list(csv["project"]) == list(xlsx["project"])
    assert csv["lcoa_cny_per_t"].is_monotonic_increasing
    bars = csv.sort_values("cumulative_potential_t_per_year")
    assert (bars["bar_cost_cny_per_t"].dropna().diff().dropna() >= -1e-9).all()
    for col in ("lcoa_private_cny_per_t", "breakeven_carbon_price_cny_per_t",
                "entry_price_cny_per_t", "reduced_cost_cny_per_unit", "why",
                "lcoa_first_year_cny_per_t", "lcoa_start_year_cny_per_t",
                "lcoa_rate_low_cny_per_t", "lcoa_rate_high_cny_per_t",
                "deliverable_potential_t_per_year", "bar_width_t_per_year",
                "shadow_rollout_cny_per_t", "carbon_value_cny_per_t", "exit_price_cny_per_t"):
        assert col in csv.columns
    assert pd.api.types.is_float_dtype(xlsx["lcoa_cny_per_t"])
    assert csv["why"].notna().all()


def test_ranking_in_threads_equals_ranking_in_turn(monkeypatch):
    import planner.analysis.parametric as par
    import planner.analysis.ranking as rk

    res = planner.solve(planner.load_scenario("scenarios/zhuzhou_peak2025.yaml"))
    monkeypatch.setattr(par, "PARALLEL_MIN_COLS", 10**9)
    serial = rk.ranking(res)
    monkeypatch.setattr(par, "PARALLEL_MIN_COLS", 0)
    monkeypatch.setattr(par.os, "cpu_count", lambda: 2)
    assert par.two_at_a_time(len(res.inputs.projects), len(res.inputs.years))
    threaded = rk.ranking(res)
    pd.testing.assert_frame_equal(threaded.table, serial.table)
    assert threaded.curves.keys() == serial.curves.keys()
    for k in serial.curves:
        pd.testing.assert_frame_equal(threaded.curves[k].steps, serial.curves[k].steps)
    assert threaded.target_cost_cny_per_t == serial.target_cost_cny_per_t
    assert threaded.notes == serial.notes
