"""One-sided target-year prices in sweep and compare rows, by hand on a degenerate optimum."""

import math

import pytest

import planner
from planner.analysis.sweep import sweep
from planner.model.persistent import PlanningModel
from planner.results import price_range

#: one more tonne in 2020 is one more unit running 2020–2022 (50 CNY/unit-yr, r = 10 %)
HIGH_2020 = 50 * (1 + 1 / 1.1 + 1 / 1.21)


def degenerate(case, target):
    # BAU 100 t/yr; 1 t/unit at 50 CNY/unit-yr; units never retire inside the horizon
    return case(baseline={"industry": [100.0] * 3},
                projects=[{"project": "a", "max_units": 100, "max_build_per_year": 100,
                           "fixed_om_cny_per_unit_year": 50.0}],
                scenario={"discount_rate": 0.1, "target": target})


def test_price_range_of_one_year(case):
    inp = planner.bind(planner.load_scenario(degenerate(case, {"cap_t": 90.0})))
    pm = PlanningModel(inp)
    price, low, high, unique = price_range(pm, 2020)
    assert not unique
    assert low == pytest.approx(50.0, rel=1e-6)
    assert high == pytest.approx(HIGH_2020, rel=1e-6)
    assert low - 1e-6 <= price <= high + 1e-6
    # the same as the full carbon_price table of planner.solve
    cp = planner.solve(inp).carbon_price.set_index("year")
    assert cp.loc[2020, "price_low_cny_per_t"] == pytest.approx(low, rel=1e-9)
    assert cp.loc[2020, "price_high_cny_per_t"] == pytest.approx(high, rel=1e-9)
    # 2022: one more tonne there is one more unit in 2022 only; relaxing it saves nothing
    _, low22, high22, _ = price_range(pm, 2022)
    assert (low22, high22) == pytest.approx((0.0, 50.0), abs=1e-6)


def test_sweep_rows_carry_one_sided_prices(case):
    inp = planner.bind(planner.load_scenario(degenerate(case, {"cap_t": 90.0})))
    table = sweep(inp, [95.0, 90.0], [2020])
    assert (table["status"] == "optimal").all()
    for row in table.itertuples():
        assert row.carbon_price_low_cny_per_t == pytest.approx(50.0, rel=1e-6)
        assert row.carbon_price_high_cny_per_t == pytest.approx(HIGH_2020, rel=1e-6)
        assert (row.carbon_price_low_cny_per_t - 1e-6 <= row.carbon_price_cny_per_t
                <= row.carbon_price_high_cny_per_t + 1e-6)


def test_sweep_rows_at_a_loose_cap(case):
    inp = planner.bind(planner.load_scenario(degenerate(case, {"cap_t": 90.0})))
    table = sweep(inp, [120.0], [2020, None])
    by_year = table.set_index(table["peak_year"].fillna(0).astype(int))
    # peak by 2020: the level is the no-target plan's 100 t, so relaxing saves nothing and
    # tightening costs one more unit from 2020 on
    assert by_year.loc[2020, "carbon_price_low_cny_per_t"] == pytest.approx(0.0, abs=1e-6)
    assert by_year.loc[2020, "carbon_price_high_cny_per_t"] == pytest.approx(HIGH_2020,
                                                                             rel=1e-6)
    # no peak year: the cap of 120 t is slack, the 2022 price is 0 and unique
    free = by_year.loc[0]
    assert free["target_year"] == 2022
    assert free[["carbon_price_cny_per_t", "carbon_price_low_cny_per_t",
                 "carbon_price_high_cny_per_t"]].tolist() == pytest.approx([0, 0, 0], abs=1e-9)


def test_compare_rows_carry_one_sided_prices(case):
    path = degenerate(case, {"cap_t": 90.0, "peak_year": 2020})
    table, _ = planner.compare([path])
    row = table.iloc[0]
    assert row["status"] == "optimal"
    assert row["target_year"] == 2020
    assert row["carbon_price_low_cny_per_t"] == pytest.approx(50.0, rel=1e-6)
    assert row["carbon_price_high_cny_per_t"] == pytest.approx(HIGH_2020, rel=1e-6)


def test_a_failed_one_sided_resolve_fails_soft(case, monkeypatch):
    import planner.results as results
    from planner.errors import SolverError

    real = results.shifted_objectives

    def failing(session, jobs):
        """The real re-solves, each stopped by a solver fault."""
        def boom(**_):
            raise SolverError("HiGHS status Unknown (forced)")

        session.solve = boom
        try:
            return real(session, jobs)
        finally:
            del session.solve

    monkeypatch.setattr(results, "shifted_objectives", failing)
    res = planner.solve(planner.load_scenario(degenerate(case, {"cap_t": 90.0})))
    assert res.optimal
    cp = res.carbon_price.set_index("year")
    assert math.isnan(cp.loc[2020, "price_low_cny_per_t"])
    assert "forced" in cp.loc[2020, "price_note"]
    assert cp["price_cny_per_t"].notna().all()  # the dual itself is still reported
