"""Entry prices in the target year, from the breakpoints of the no-target model."""

import numpy as np
import pytest

import planner
from planner.analysis.entry_prices import entry_prices, no_target_inputs
from planner.analysis.prices import carbon_price_weights
from planner.model.persistent import PlanningModel
from tests.cases import staged


def used_at(inp, price: float, year: int) -> dict[str, bool]:
    """Target-year use of each project in the no-target plan under a constant carbon price
    (an independent solve, not through the breakpoint search)."""
    pm = PlanningModel(no_target_inputs(inp))
    cols = pm.columns("emissions")
    pm.session.set_costs(cols, price * carbon_price_weights(inp))
    sol = pm.solve()
    stock = pm.values(sol, "stock")
    U = inp.projects["max_units"]
    return {p: float(stock[(p, year)]) > 1e-6 * float(U[p]) for p in inp.projects.index}


def test_entry_price_plus_one_used_minus_one_not(case):
    inp = planner.bind(planner.load_scenario(staged(case)))
    ep = entry_prices(inp)
    t = ep.table
    assert t.loc["saver", "entry_price_cny_per_t"] == 0.0
    assert t.loc["saver", "used_without_price"]
    checked = 0
    for p, r in t.iterrows():
        e = r["entry_price_cny_per_t"]
        if not np.isfinite(e) or e == 0 or not r["monotone"]:
            continue
        assert used_at(inp, e + 1.0, 2023)[p], p
        assert not used_at(inp, e - 1.0, 2023)[p], p
        checked += 1
    assert checked == 3
    # cheap: 30 CNY per unit-year, no capital: a price of 30 CNY/t makes it worth it
    assert t.loc["cheap", "entry_price_cny_per_t"] == pytest.approx(30.0, rel=1e-9)
    assert t.loc["late", "entry_price_cny_per_t"] == pytest.approx(45.0, rel=1e-9)
    # dear built in 2023 runs 2023–2024 inside the horizon: (400/5·2 + 20·2)/2 = 100 CNY/t
    assert t.loc["dear", "entry_price_cny_per_t"] == pytest.approx(100.0, rel=1e-9)
    assert ep.breakpoints == sorted(ep.breakpoints)


def test_use_not_monotone_in_an_exclusive_pair(case):
    # one year, r = 0: electric is cheaper per tonne; gas, deeper, takes the base over at
    # the incremental cost ΔC/ΔA = (520·100 − 365·100)/(650 − 470) = 86.11 CNY/t
    projects = [
        {"project": "electric", "exclusive_group": "boilers", "max_units": 100,
         "max_build_per_year": 100, "lifetime_years": 10, "capex_cny_per_unit": 600.0,
         "fixed_om_cny_per_unit_year": 305.0, "abatement_t_per_unit_year": 4.7},
        {"project": "gas", "exclusive_group": "boilers", "max_units": 100,
         "max_build_per_year": 100, "lifetime_years": 10, "capex_cny_per_unit": 200.0,
         "fixed_om_cny_per_unit_year": 500.0, "abatement_t_per_unit_year": 6.5},
    ]
    path = case(baseline={"industry": [2000.0]}, projects=projects)
    inp = planner.bind(planner.load_scenario(path))
    t = entry_prices(inp).table
    assert t.loc["electric", "entry_price_cny_per_t"] == pytest.approx(365 / 4.7, rel=1e-9)
    assert not t.loc["electric", "monotone"]
    assert t.loc["electric", "exit_price_cny_per_t"] == pytest.approx(15_500 / 180, rel=1e-9)
    assert t.loc["gas", "entry_price_cny_per_t"] == pytest.approx(15_500 / 180, rel=1e-9)
    assert t.loc["gas", "monotone"]
    assert used_at(inp, 15_500 / 180 - 1, 2020) == {"electric": True, "gas": False}
    assert used_at(inp, 15_500 / 180 + 1, 2020) == {"electric": False, "gas": True}
