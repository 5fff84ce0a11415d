"""The economics of the target: peak forms without a ratchet, scope, time base, headlines."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import planner
from planner.analysis.economics import _meets_at_price, marginal_cost, uniform_price
from planner.model.catalogue import TARGET_ROWS
from planner.model.check import objective_from_plan
from planner.model.finance import capex_coefficients
from planner.model.persistent import PlanningModel
from tests.conftest import make_inputs

RATCHET_BAU = {"industry": [100.0, 104.0, 108.0, 112.0]}
RATCHET_PROJECTS = [
    {"project": "noregret", "max_units": 3, "max_build_per_year": 1,
     "abatement_t_per_unit_year": 4.0, "savings_cny_per_unit_year": 10.0},
    {"project": "option", "max_units": 1000, "max_build_per_year": 1000,
     "abatement_t_per_unit_year": 1.0, "fixed_om_cny_per_unit_year": 100.0},
]


def _emissions(pm, sol):
    return pm.array(sol, "emissions")


def test_ratchet_by_hand():
    # the old rule (no increase after the peak year, no guard) withholds the year-one unit
    inp = make_inputs(RATCHET_BAU, RATCHET_PROJECTS,
                      target={"peak_year": 2020, "peak_form": "strict"})
    pm = PlanningModel(inp, pyomo=False)
    ubs = {k: pm.target_ub(k).to_numpy() for k in TARGET_ROWS}
    ubs["no_target_guard"] = np.full_like(ubs["no_target_guard"], np.inf)
    pm._set_target_ubs(ubs)
    old = pm.solve()
    assert _emissions(pm, old) == pytest.approx([100, 100, 100, 100])
    assert old.objective == pytest.approx(-60.0)
    # level and strict forms build it and hold 96 t, buying 4 t of the option in the last year
    objs = {}
    for form in ("level", "strict"):
        res = planner.solve(make_inputs(RATCHET_BAU, RATCHET_PROJECTS,
                                        target={"peak_year": 2020, "peak_form": form}))
        assert res.emissions["emissions_t"].tolist() == pytest.approx([96, 96, 96, 96])
        assert res.objective_cny == pytest.approx(-90.0 + 400.0)
        objs[form] = res
    assert objs["strict"].headlines["ratchet_premium_cny"] == pytest.approx(0.0, abs=1e-6)
    # the no-target plan: the no-regret project at its roll-out limit, emitting 96, 96, 96, 100
    assert objs["level"].emissions["no_target_t"].tolist() == pytest.approx([96, 96, 96, 100])
    assert objs["level"].headlines["no_target_objective_cny"] == pytest.approx(-90.0)
    assert objs["level"].headlines["target_cost_cny"] == pytest.approx(400.0)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), peak=st.integers(0, 3))
def test_level_form_prices_nonnegative_and_never_above_no_target(seed, peak):
    rng = np.random.default_rng(seed)
    bau = {"industry": list(100 + np.cumsum(rng.uniform(0, 8, 5))),
           "power": list(50 + np.cumsum(rng.uniform(-2, 5, 5)))}
    projects = [{"project": f"p{i}", "sector": ["industry", "power"][i % 2],
                 "max_units": float(rng.uniform(2, 20)),
                 "max_build_per_year": float(rng.uniform(1, 6)),
                 "abatement_t_per_unit_year": float(rng.uniform(0.5, 3)),
                 "fixed_om_cny_per_unit_year": float(rng.uniform(0, 100)),
                 "savings_cny_per_unit_year": float(rng.uniform(0, 40)),
                 "lifetime_years": int(rng.integers(2, 6))} for i in range(5)]
    res = planner.solve(make_inputs(bau, projects, target={"peak_year": 2020 + peak},
                                    rate=0.05), economics=False)
    if res.status != "optimal":
        return
    cp = res.carbon_price
    assert (cp["price_cny_per_t"] >= -1e-6).all()
    assert (cp["price_low_cny_per_t"] >= -1e-6).all()
    em = res.emissions
    assert (em["emissions_t"] <= em["no_target_t"] + 1e-6 * em["bau_t"].max()).all()


def _capped(rate=0.0):
    bau = {"industry": [100.0]}
    projects = [{"project": "cheap", "max_units": 8, "max_build_per_year": 8,
                 "fixed_om_cny_per_unit_year": 20.0},
                {"project": "dear", "max_units": 30, "max_build_per_year": 30,
                 "fixed_om_cny_per_unit_year": 70.0}]
    return make_inputs(bau, projects, target={"cap_t": 80.0}, rate=rate)


def test_marginal_cost_equals_rebuilt_models():
    inp = _capped(0.05)
    pm = PlanningModel(inp, pyomo=False)
    sol = pm.solve()
    mc = marginal_cost(pm, sol)
    assert mc.tighten == pytest.approx(70.0, rel=1e-6)  # the dear project is at the margin
    # a second computation: two freshly built models with the cap scaled by 1 - δ
    d = 1e-4
    other = PlanningModel(make_inputs({"industry": [100.0]},
                                      [{"project": "cheap", "max_units": 8,
                                        "max_build_per_year": 8,
                                        "fixed_om_cny_per_unit_year": 20.0},
                                       {"project": "dear", "max_units": 30,
                                        "max_build_per_year": 30,
                                        "fixed_om_cny_per_unit_year": 70.0}],
                                      target={"cap_t": 80.0 * (1 - d)}, rate=0.05), pyomo=False)
    s2 = other.solve()
    dD = pm.discounted_tonnes(pm.array(sol, "emissions")) - other.discounted_tonnes(
        other.array(s2, "emissions"))
    assert (s2.objective - sol.objective) / dD == pytest.approx(mc.tighten, rel=1e-6)
    res = planner.solve(inp)
    assert res.headlines["target_cost_cny"] == pytest.approx(
        res.objective_cny - res.headlines["no_target_objective_cny"])


def test_uniform_price_meets_target_above_and_not_below():
    inp = _capped(0.05)
    pm = PlanningModel(inp, pyomo=False)
    pm.solve()
    p, why = uniform_price(pm)
    assert why == "" and p == pytest.approx(70.0, abs=0.05)
    ubs = {k: pm.target_ub(k).to_numpy().copy() for k in TARGET_ROWS}
    assert _meets_at_price(pm, p + 1, ubs, 1e-6)
    assert not _meets_at_price(pm, p - 1, ubs, 1e-6)


def test_gross_scope_never_counts_a_sink_and_net_does():
    bau = {"industry": [10.0], "forestry": [-2.0]}
    projects = [{"project": "ind", "max_units": 10, "max_build_per_year": 10,
                 "fixed_om_cny_per_unit_year": 5.0},
                {"project": "trees", "sector": "forestry", "max_units": 10,
                 "max_build_per_year": 10, "fixed_om_cny_per_unit_year": 1.0}]
    gross = planner.solve(make_inputs(bau, projects, target={"cap_t": 7.0}))
    dep = gross.deployment.set_index("project")["stock_units"]
    assert dep["trees"] == 0 and dep["ind"] == pytest.approx(3.0)
    assert gross.emissions["emissions_t"].iloc[0] == pytest.approx(7.0)
    assert gross.emissions["emissions_net_t"].iloc[0] == pytest.approx(5.0)
    # the BAU the summary compares against is the BAU of the same scope
    assert gross.summary["bau_peak_emissions_t"] == pytest.approx(10.0)
    net = planner.solve(make_inputs(bau, projects, target={"cap_t": 5.0, "scope": "net"}))
    dep = net.deployment.set_index("project")["stock_units"]
    # net: BAU 8 t, cap 5 t — the cheaper trees first
    assert dep["trees"] == pytest.approx(3.0) and dep["ind"] == 0


def test_capital_of_a_unit_living_inside_the_horizon_is_paid_at_its_build_year():
    years = list(range(2020, 2030))
    coeff = capex_coefficients(0.1, years, 2020, np.full((1, 10), 1000.0), np.array([3]))
    assert coeff[0, 1] == pytest.approx(1000.0 / 1.1)  # built 2021, life 2021–2023
    assert coeff[0, 0] == pytest.approx(1000.0)
    # a unit outliving the horizon is charged only its annuities inside it
    assert coeff[0, 9] < 1000.0 / 1.1**9
    coeff0 = capex_coefficients(0.0, years, 2020, np.full((1, 10), 1000.0), np.array([3]))
    assert coeff0[0, 1] == pytest.approx(1000.0)


def test_objective_recomputed_from_plan_uses_the_time_base():
    inp = _capped(0.08)
    res = planner.solve(inp, economics=False)
    assert objective_from_plan(res.inputs, res.deployment) == pytest.approx(
        res.objective_cny, rel=1e-9)


def test_without_headlines_the_no_target_plan_is_solved_only_when_needed(tmp_path,
                                                                        monkeypatch):
    """economics=False: a cap alone needs no no-target plan (NaN, nothing solved for it); a
    peak year's level does, and then it is reported."""
    import math

    import planner.model.persistent as persistent
    from tests.uq_cases import tiny_case

    calls = []
    real = persistent.PlanningModel._solve_no_target

    def counted(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    sc = planner.load_scenario(tiny_case(tmp_path / "cap"))
    monkeypatch.setattr(persistent.PlanningModel, "_solve_no_target", counted)
    res = planner.solve(sc, economics=False)
    assert res.optimal and not calls
    assert math.isnan(res.no_target_objective_cny)
    assert res.emissions["no_target_t"].isna().all()
    peak = sc.model_copy(update={"target": sc.target.model_copy(update={"peak_year": 2021})})
    res = planner.solve(peak, economics=False)
    assert res.optimal and calls
    assert math.isfinite(res.no_target_objective_cny)
    assert res.emissions["no_target_t"].notna().all()
