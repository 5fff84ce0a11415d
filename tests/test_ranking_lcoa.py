"""Vintage-levelised cost of abatement, by hand."""

import pandas as pd
import pytest

import planner
from planner.analysis.lcoa import lcoa_table, vintage_lcoa


def test_vintage_lcoa_with_falling_capex_and_grid_factor(case):
    # capex falls 5 %/yr, abatement falls with the grid factor; lifetime 3, r = 10 %,
    # horizon 2020–2024; the 2023 vintage operates 2023, 2024 and 2025 (= 2024's values)
    years = list(range(2020, 2025))
    capex = {y: 1000.0 * 0.95 ** (y - 2020) for y in years}
    grid = {2020: 0.60, 2021: 0.58, 2022: 0.55, 2023: 0.52, 2024: 0.50}  # t per MWh
    ab = {y: 10.0 * grid[y] for y in years}  # 10 MWh per unit-year
    py = pd.DataFrame([{"project": "hp", "year": y, "capex_cny_per_unit": capex[y],
                        "abatement_t_per_unit_year": ab[y]} for y in years])
    path = case(baseline={"industry": [100.0] * 5},
                projects=[{"project": "hp", "lifetime_years": 3, "earliest_year": 2021,
                           "fixed_om_cny_per_unit_year": 20.0,
                           "savings_cny_per_unit_year": 5.0, "max_units": 5,
                           "max_build_per_year": 5}],
                project_years=py,
                scenario={"discount_rate": 0.10, "target": {"peak_year": 2023}})
    inp = planner.bind(planner.load_scenario(path))
    v = 1 / 1.1

    def by_hand(vintage: int) -> float:
        flows = [min(vintage + k, 2024) for k in range(3)]
        num = capex[vintage] + sum(v ** (k + 1) * (20.0 - 5.0) for k in range(3))
        den = sum(v ** (k + 1) * ab[u] for k, u in enumerate(flows))
        return num / den

    # 2023: (857.375 + 15·(0.9091 + 0.8264 + 0.7513)) / (5.2·0.9091 + 5.0·(0.8264 + 0.7513))
    assert by_hand(2023) == pytest.approx(894.678 / 12.6161, abs=1e-3)  # 70.916
    t = lcoa_table(inp, 2023, private_rate=0.12).set_index("project")
    assert t.loc["hp", "lcoa_cny_per_t"] == pytest.approx(by_hand(2023), rel=1e-12)
    assert t.loc["hp", "first_year_available"] == 2021
    assert t.loc["hp", "lcoa_first_year_cny_per_t"] == pytest.approx(by_hand(2021), rel=1e-12)
    start = (1000.0 * 1.1 ** 3 * 0.1 / (1.1 ** 3 - 1) + 15.0) / 6.0  # CRF at 2020 values
    assert t.loc["hp", "lcoa_start_year_cny_per_t"] == pytest.approx(start, rel=1e-12)
    vp = 1 / 1.12
    private = ((capex[2023] + sum(vp ** (k + 1) * 15.0 for k in range(3)))
               / sum(vp ** (k + 1) * ab[min(2023 + k, 2024)] for k in range(3)))
    assert t.loc["hp", "lcoa_private_cny_per_t"] == pytest.approx(private, rel=1e-12)
    # the band: the same vintage at 8 % and 12 %
    assert t.loc["hp", "lcoa_rate_low_cny_per_t"] == pytest.approx(
        vintage_lcoa(inp, 2023, 0.08)[0], rel=1e-12)
    assert t.loc["hp", "lcoa_rate_high_cny_per_t"] == pytest.approx(private, rel=1e-12)
