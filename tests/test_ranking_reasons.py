"""Exact reasons from the reduced-cost identity at the optimum."""

import math

import pytest
from conftest import make_inputs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import planner
from planner.analysis.reason_text import explain
from planner.analysis.reasons import TERMS, identity_residual, reasons
from tests.cases import inertia


def test_inertia_reason_names_the_slow_projects_own_rollout_limit(case):
    # 2023 must abate 20 t. cheap: 10 CNY/unit-yr, 12 units, fast. dear: 50 CNY/unit-yr,
    # 2 units/yr: the other 8 units need builds from 2020 on
    path = inertia(case)
    inp = planner.bind(planner.load_scenario(path))
    r = reasons(inp)
    assert r.loc["dear", "reason_kind"] == "first_build"
    assert r.loc["dear", "reason_year"] == 2020
    assert (r.loc["dear", "rollout_binds_from"], r.loc["dear", "rollout_binds_to"]) == (2020, 2023)
    assert r.loc["dear", "carbon_main_year"] == 2023
    # a 2020 unit costs 4 years x 50 = 200 CNY for 4 t: 50 CNY/t
    assert r.loc["dear", "cost_cny_per_t"] == pytest.approx(50.0)
    en = explain(r, inp, "en")
    zh = explain(r, inp, "zh")
    assert "its roll-out limit of 2 unit per year binds every year 2020–2023" in en["dear"]
    assert "would miss the target in 2023" in en["dear"]
    assert "推广速度上限" in zh["dear"] and "2023" in zh["dear"]
    # cheap is built only in 2023 and held by its potential, not by a roll-out limit
    assert r.loc["cheap", "reason_year"] == 2023
    assert r.loc["cheap", "shadow_potential_cny_per_t"] > 0
    assert "roll-out" not in en["cheap"] and "potential of 12 unit" in en["cheap"]


def test_non_use_reason_gives_the_gap(case):
    path = case(baseline={"industry": [100.0]},
                projects=[{"project": "ok", "fixed_om_cny_per_unit_year": 10.0,
                           "max_units": 10, "max_build_per_year": 10},
                          {"project": "dear", "fixed_om_cny_per_unit_year": 70.0,
                           "max_units": 10, "max_build_per_year": 10}],
                scenario={"target": {"cap_t": 95.0}})
    inp = planner.bind(planner.load_scenario(path))
    r = reasons(inp)
    assert r.loc["dear", "reason_kind"] == "not_used"
    assert r.loc["dear", "carbon_value_cny_per_t"] == pytest.approx(10.0)
    assert r.loc["dear", "gap_cny_per_t"] == pytest.approx(60.0)
    assert explain(r, inp)["dear"] == ("not used: cost 70 CNY/t exceeds the carbon value of 10 "
                                       "CNY/t by 60 CNY/t (closest in 2020)")


@st.composite
def instances(draw):
    n_years = draw(st.integers(2, 4))
    n_proj = draw(st.integers(1, 4))
    projects = []
    for i in range(n_proj):
        U = draw(st.integers(1, 6))
        projects.append({
            "project": f"p{i}", "sector": draw(st.sampled_from(["industry", "power"])),
            "max_units": float(U), "max_build_per_year": float(draw(st.integers(1, U))),
            "earliest_year": 2020 + draw(st.integers(0, n_years - 1)),
            "lifetime_years": draw(st.integers(1, 5)),
            "capex_cny_per_unit": float(draw(st.integers(0, 400))),
            "fixed_om_cny_per_unit_year": float(draw(st.integers(0, 60))),
            "savings_cny_per_unit_year": float(draw(st.integers(0, 30))),
            "abatement_t_per_unit_year": float(draw(st.integers(1, 5))),
            "exclusive_group": draw(st.sampled_from(["", "", "g"])),
        })
    bau = {"industry": [float(draw(st.integers(10, 30))) for _ in range(n_years)],
           "power": [float(draw(st.integers(5, 20))) for _ in range(n_years)]}
    total = [a + b for a, b in zip(bau["industry"], bau["power"], strict=True)]
    cut = draw(st.floats(0.0, 0.4))
    target = {"cap_t": max(total) * (1 - cut)}
    if draw(st.booleans()):
        target["peak_year"] = 2020 + draw(st.integers(0, n_years - 1))
    budget = draw(st.sampled_from([None, None, 300.0]))
    return bau, projects, target, budget


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_reduced_cost_identity_holds_for_every_project(inst):
    bau, projects, target, budget = inst
    inp = make_inputs(bau, projects, target, rate=0.0, budget=budget)
    res = planner.solve(inp, one_sided_prices=False, explain_infeasible=False)
    if not res.optimal:
        return
    r = reasons(inp)
    for p, row in r.iterrows():
        if row["reason_kind"] == "unavailable":
            continue
        spec = next(q for q in projects if q["project"] == p)
        t0, L = int(row["reason_year"]), int(spec["lifetime_years"])
        n_op = min(t0 + L - 1, inp.end) - t0 + 1  # operating years inside the horizon
        # r = 0: capital annuity capex/L per operating year, plus O&M less savings
        by_hand = n_op * (spec["capex_cny_per_unit"] / L + spec["fixed_om_cny_per_unit_year"]
                          - spec["savings_cny_per_unit_year"])
        scale = max(1.0, abs(by_hand), abs(row["carbon_value_cny_per_unit"]))
        assert row["cost_cny_per_unit"] == pytest.approx(by_hand, abs=1e-6 * scale)
        assert abs(identity_residual(row)) <= 1e-6 * scale
        for t in TERMS:
            if t != "shadow_other":
                assert row[f"{t}_cny_per_unit"] >= -1e-6 * scale, (p, t)
        gap = row["gap_cny_per_unit"]
        assert math.isfinite(gap)
        if row["reason_kind"] == "first_build":
            assert abs(gap) <= 1e-6 * scale
        else:
            assert gap >= -1e-6 * scale
