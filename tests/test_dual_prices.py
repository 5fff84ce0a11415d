"""The known one-sided dual case (Vogt-Schilb-type worked example; issue 3)."""

import math

import pytest

import planner


def offset_backstop(case, offset_max):
    return case(
        baseline={"industry": [10.0] * 7},
        projects=[
            {"project": "offset", "max_units": offset_max, "max_build_per_year": offset_max,
             "lifetime_years": 1, "fixed_om_cny_per_unit_year": 3.0},
            {"project": "backstop", "max_units": 1e3, "max_build_per_year": 1e3,
             "lifetime_years": 1, "fixed_om_cny_per_unit_year": 100.0},
        ],
        scenario={"target": {"cap_path_t": {2020 + i: c for i, c in
                                            enumerate([11, 10, 9, 8, 7, 6, 5])}}},
    )


def test_offset_backstop_prices(case):
    res = planner.solve(planner.load_scenario(offset_backstop(case, 3.0)))
    assert res.status == "optimal"
    assert res.objective_cny == pytest.approx(336.0, abs=1e-6)
    cp = res.carbon_price
    assert cp["price_cny_per_t"].tolist() == pytest.approx([0, 0, 3, 3, 100, 100, 100], abs=1e-6)
    y5 = cp.iloc[4]
    assert y5["price_low_cny_per_t"] == pytest.approx(3.0, abs=1e-4)
    assert y5["price_high_cny_per_t"] == pytest.approx(100.0, abs=1e-4)
    # year 2's cap equals BAU: relaxing saves nothing, tightening needs offsets at 3 CNY/t
    assert cp.iloc[1]["price_low_cny_per_t"] == pytest.approx(0.0, abs=1e-4)
    assert cp.iloc[1]["price_high_cny_per_t"] == pytest.approx(3.0, abs=1e-4)
    # elsewhere the dual is unique: low == high == price
    for i in (0, 2, 3, 5, 6):
        r = cp.iloc[i]
        assert r["price_low_cny_per_t"] == pytest.approx(r["price_high_cny_per_t"], abs=1e-6)


def test_offset_backstop_larger_offsets(case):
    res = planner.solve(planner.load_scenario(offset_backstop(case, 3.5)))
    assert res.objective_cny == pytest.approx(239.0, abs=1e-6)
    prices = res.carbon_price["price_cny_per_t"].tolist()
    assert prices == pytest.approx([0, 0, 3, 3, 3, 100, 100], abs=1e-6)
    assert all(math.isfinite(p) for p in prices)
