"""Tracking a plan against actuals: the re-plan with the past fixed, and the gap's parts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import make_inputs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.actuals import TOTAL, Actuals
from planner.analysis.tracking import (
    ALL,
    assess,
    gap_decomposition,
    npv_of_years,
    replan_inputs,
)
from planner.api import solve, track
from planner.model.inputs import bind
from planner.scenario import load_scenario

# two projects with distinct costs so that every plan below is the unique optimum
PROJECTS = [
    {"project": "a", "abatement_t_per_unit_year": 4.0, "max_units": 4, "capex_cny_per_unit": 50.0,
     "lifetime_years": 10},
    {"project": "b", "sector": "power", "abatement_t_per_unit_year": 2.0, "max_units": 6,
     "max_build_per_year": 2, "capex_cny_per_unit": 80.0, "lifetime_years": 10},
]
BAU = {"industry": [60, 62, 64, 66, 68, 70], "power": [40, 42, 44, 46, 48, 50]}
TARGET = {"cap_t": 104.0, "peak_year": 2022}


def actuals_of(plan, as_of: int, builds: dict | None = None, emissions=None,
               measured: dict | None = None, by_sector: bool = True) -> Actuals:
    """Actuals in memory: the plan's own builds and emissions unless overridden."""
    dep = plan.deployment[plan.deployment["year"] <= as_of][["project", "year", "build_units"]]
    dep = dep.copy()
    for (p, y), v in (builds or {}).items():
        dep.loc[(dep["project"] == p) & (dep["year"] == y), "build_units"] = v
    dep["abatement_t_per_unit_year"] = np.nan
    dep["capex_cny"] = np.nan
    for (p, y), v in (measured or {}).items():
        dep.loc[(dep["project"] == p) & (dep["year"] == y), "abatement_t_per_unit_year"] = v
    if emissions is None:
        if by_sector:
            es = plan.emissions_by_sector
            emissions = es[es["year"] <= as_of][["year", "sector", "emissions_t"]]
        else:
            e = plan.emissions
            emissions = e[e["year"] <= as_of][["year", "emissions_t"]].assign(sector=TOTAL)
    return Actuals(folder=Path("."), emissions=emissions.reset_index(drop=True),
                   indicators=None, deployment=dep.reset_index(drop=True), as_of=as_of,
                   by_sector=by_sector)


@pytest.fixture(scope="module")
def base():
    inp = make_inputs(BAU, PROJECTS, TARGET)
    plan = solve(inp)
    assert plan.optimal
    return inp, plan


def test_actuals_equal_to_plan_replan_is_the_plan_and_gap_is_zero(base):
    inp, plan = base
    act = actuals_of(plan, 2022)
    tr = assess(plan, solve(replan_inputs(inp, act)), act, "level", marginal=False)
    assert tr.replan.optimal
    d0, d1 = plan.deployment, tr.replan.deployment
    np.testing.assert_allclose(d1["build_units"], d0["build_units"], atol=1e-7)
    np.testing.assert_allclose(tr.replan.emissions["emissions_t"], plan.emissions["emissions_t"],
                               atol=1e-6)
    assert tr.replan.objective_cny == pytest.approx(plan.objective_cny, abs=1e-6)
    assert tr.headlines["cost_of_delay_cny"] == pytest.approx(0.0, abs=1e-6)
    np.testing.assert_allclose(tr.gap[["gap_t", "baseline_drift_t", "deployment_t",
                                       "performance_t"]].to_numpy(), 0.0, atol=1e-9)
    assert tr.future["extra_abatement_t"].abs().max() < 1e-6
    assert set(tr.projects["rating"]) == {"on_track"}


def test_one_project_short_puts_the_whole_gap_in_deployment(base):
    inp, plan = base
    built = plan.deployment.set_index(["project", "year"])["build_units"]
    assert built[("a", 2022)] > 0.5
    # a built one unit less in 2022; emissions are what the planned BAU minus what was built gives
    act0 = actuals_of(plan, 2022, builds={("a", 2022): built[("a", 2022)] - 1.0})
    from planner.analysis.tracking import observed_stock

    stock = observed_stock(inp, act0)
    ab = (stock * inp.abatement[stock.columns]).groupby(inp.projects["sector"]).sum()
    em = (inp.bau[stock.columns] - ab.reindex(inp.sectors)).stack().rename("emissions_t")
    em.index.names = ["sector", "year"]
    act = actuals_of(plan, 2022, builds={("a", 2022): built[("a", 2022)] - 1.0},
                     emissions=em.reset_index()[["year", "sector", "emissions_t"]])
    g = gap_decomposition(plan, act)
    tot = g[(g["sector"] == ALL) & (g["year"] >= 2022)]
    assert (tot["gap_t"] > 3.9).all()  # 4 t more in 2022
    np.testing.assert_allclose(tot["from_deployment_t"], tot["gap_t"], rtol=1e-12)
    np.testing.assert_allclose(tot[["from_baseline_t", "from_performance_t"]], 0.0, atol=1e-9)
    ind = g[(g["sector"] == "industry") & (g["year"] == 2022)].iloc[0]
    assert ind["deployment_t"] == pytest.approx(-4.0)  # a_plan·(stock_obs − stock_plan)


def test_bau_only_shift_puts_the_whole_gap_in_baseline(base):
    inp, plan = base
    es = plan.emissions_by_sector
    em = es[es["year"] <= 2022][["year", "sector", "emissions_t"]].copy()
    em.loc[em["sector"] == "power", "emissions_t"] += 3.0
    act = actuals_of(plan, 2022, emissions=em)
    g = gap_decomposition(plan, act)
    tot = g[g["sector"] == ALL]
    np.testing.assert_allclose(tot["gap_t"], 3.0)
    np.testing.assert_allclose(tot["from_baseline_t"], tot["gap_t"])
    np.testing.assert_allclose(tot[["from_deployment_t", "from_performance_t"]], 0.0, atol=1e-9)
    # level re-base: every later year's power BAU 3 t higher
    rinp = replan_inputs(inp, act, "level")
    np.testing.assert_allclose(rinp.bau.loc["power", [2023, 2024, 2025]],
                               inp.bau.loc["power", [2023, 2024, 2025]] + 3.0)
    rinp = replan_inputs(inp, act, "ratio")
    np.testing.assert_allclose(rinp.bau.loc["power", [2023, 2024, 2025]],
                               inp.bau.loc["power", [2023, 2024, 2025]] * 47.0 / 44.0)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31 - 1), by_sector=st.booleans(), as_of=st.integers(2020, 2024))
def test_parts_add_up_to_the_gap_exactly(seed, by_sector, as_of):
    rng = np.random.default_rng(seed)
    inp = make_inputs(BAU, PROJECTS, {"peak_year": 2023})
    plan = solve(inp)
    assert plan.optimal
    years = [y for y in inp.years if y <= as_of]
    builds = {(p, y): float(rng.uniform(0, 2)) for p in ("a", "b") for y in years}
    measured = {(p, y): float(rng.uniform(0, 5)) for p in ("a", "b") for y in years
                if rng.random() < 0.5}
    if by_sector:
        em = pd.DataFrame([{"year": y, "sector": s, "emissions_t": float(rng.normal(50, 10))}
                           for y in years for s in inp.sectors])
    else:
        em = pd.DataFrame({"year": years, "sector": TOTAL,
                           "emissions_t": rng.normal(100, 20, len(years))})
    act = actuals_of(plan, as_of, builds=builds, emissions=em, measured=measured,
                     by_sector=by_sector)
    g = gap_decomposition(plan, act)
    parts = g["baseline_drift_t"] - g["deployment_t"] - g["performance_t"]
    assert np.abs(parts - g["gap_t"]).max() < 1e-9 * 100
    assert np.abs(g["from_baseline_t"] + g["from_deployment_t"] + g["from_performance_t"]
                  - g["gap_t"]).max() < 1e-9 * 100
    if by_sector:  # sectors add up to the total
        tot = g[g["sector"] == ALL].set_index("year")
        sec = g[g["sector"] != ALL].groupby("year").sum(numeric_only=True)
        np.testing.assert_allclose(sec[tot.columns.drop("sector")], tot.drop(columns="sector"),
                                   atol=1e-8)
    # the re-plan reproduces the observed emissions in the observed years
    rinp = replan_inputs(inp, act)
    rep = solve(rinp, one_sided_prices=False)
    if rep.optimal:
        obs = em.groupby("year")["emissions_t"].sum()
        e = rep.emissions.set_index("year")["emissions_t"]
        np.testing.assert_allclose(e.reindex(obs.index), obs, atol=1e-6)


def test_capital_of_builds_fixed_before_as_of_is_charged_later():
    # r = 0, CRF = 1/5: one unit (capex 100) pays 20 CNY a year over its 5-year life
    inp = make_inputs({"industry": [10, 10, 10, 10, 10]},
                      [{"project": "a", "capex_cny_per_unit": 100.0, "lifetime_years": 5}])
    plan = solve(inp)
    assert plan.objective_cny == pytest.approx(0.0)
    act = actuals_of(plan, 2021, builds={("a", 2021): 1.0},
                     emissions=pd.DataFrame({"year": [2020, 2021], "sector": "industry",
                                             "emissions_t": [10.0, 9.0]}))
    rep = solve(replan_inputs(inp, act))
    assert rep.optimal
    assert rep.objective_cny == pytest.approx(80.0)  # 2021..2024 inside the horizon
    assert npv_of_years(rep, [2022, 2023, 2024]) == pytest.approx(60.0)
    tr = assess(plan, rep, act, "level", marginal=False)
    assert tr.headlines["cost_of_delay_cny"] == pytest.approx(60.0)


@pytest.mark.parametrize("rate", [0.0, 0.08])
def test_npv_of_all_years_is_the_objective(rate):
    inp = make_inputs(BAU, PROJECTS, TARGET, rate=rate)
    plan = solve(inp)
    assert npv_of_years(plan, inp.years) == pytest.approx(plan.objective_cny, rel=1e-9)


def test_marginal_cost_is_positive_under_a_binding_cap_and_null_without_target(base):
    from planner.analysis.tracking import marginal_cost

    inp, _ = base
    mc = marginal_cost(inp)
    assert mc["tighten"] is not None and mc["tighten"] > 0
    assert mc["loosen"] is not None and mc["loosen"] <= mc["tighten"] + 1e-6
    assert marginal_cost(make_inputs(BAU, PROJECTS)) == {"tighten": None, "loosen": None}


def test_bundled_example_tracks():
    sc = load_scenario(Path(__file__).resolve().parents[1] / "scenarios/zhuzhou_peak2025.yaml")
    tr = track(bind(sc), Path(__file__).resolve().parents[1] / "data/zhuzhou/actuals",
               marginal=False)
    assert tr.actuals.as_of == 2023
    last = tr.gap[(tr.gap["sector"] == ALL) & (tr.gap["year"] == 2023)].iloc[0]
    assert last["gap_t"] > 0
    assert last["from_baseline_t"] > 0 and last["from_deployment_t"] > 0
    behind = tr.projects[tr.projects["slip_years"] > 0]
    assert len(behind) == 1
