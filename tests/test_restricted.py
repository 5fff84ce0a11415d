"""The smaller LP of the projects in play (planner/model/restricted.py): it starts at the full
optimum, its answers are the full model's, and its check refuses the ones that are not."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import planner
import planner.model.restricted as restricted
from planner.model.persistent import PlanningModel
from planner.model.restricted import restrict, unit_direction_costs
from planner.results import carbon_prices

PRICES = ("price_cny_per_t", "price_low_cny_per_t", "price_high_cny_per_t")


def _case(folder: Path, n: int, years: int, seed: int):
    from bench.synth import write_case

    return planner.bind(planner.load_scenario(write_case(folder, n, n_years=years, seed=seed)))


@pytest.fixture(scope="module")
def inp100(tmp_path_factory):
    """100 synthetic projects over 41 years: several one-sided sides, and projects whose
    break-even lies between the optimum's prices and a side's."""
    return _case(tmp_path_factory.mktemp("synth") / "c100", 100, 41, 0)


@pytest.fixture
def always(monkeypatch):
    """Use the smaller LP whatever the model's size and the share left out."""
    monkeypatch.setattr(restricted, "MIN_COLS", 0)
    monkeypatch.setattr(restricted, "MIN_LEFT_OUT", 0.0)
    return monkeypatch


def _prices(inp, small: bool, monkeypatch):
    monkeypatch.setattr(restricted, "MIN_COLS", 0 if small else 10**12)
    pm = PlanningModel(inp, pyomo=False)
    sol = pm.solve()
    return carbon_prices(pm, sol), pm, sol


def _assert_same_prices(a, b, rtol=1e-7):
    for col in PRICES:
        x, y = a[col].to_numpy(float), b[col].to_numpy(float)
        assert (np.isinf(x) == np.isinf(y)).all(), col
        fin = np.isfinite(x)
        np.testing.assert_allclose(y[fin], x[fin], rtol=rtol, atol=1e-6, err_msg=col)
    assert a["dual_unique"].tolist() == b["dual_unique"].tolist()


def test_unit_direction_costs_by_hand():
    # one project, 4 years, lifetime 2: a unit built in t runs in t and t+1 (cut at the end)
    rb = np.array([[1.0, 2.0, 3.0, 4.0]])
    rs = np.array([[10.0, 20.0, 30.0, 40.0]])
    got = unit_direction_costs(rb, rs, np.array([2]))
    np.testing.assert_array_equal(got, [[1 + 10 + 20, 2 + 20 + 30, 3 + 30 + 40, 4 + 40]])
    # lifetime longer than the horizon: every later year
    got = unit_direction_costs(rb, rs, np.array([9]))
    np.testing.assert_array_equal(got, [[101, 92, 73, 44]])


def test_the_smaller_lp_starts_at_the_full_optimum(inp100, always):
    pm = PlanningModel(inp100, pyomo=False)
    sol = pm.solve()
    small = restrict(pm, sol)
    assert small is not None
    n_out = len(small.out_projects)
    assert 0 < n_out < len(inp100.projects)
    # what is left out is unused, and fewer columns remain
    build = pm.project_columns("build")[small.out_projects]
    stock = pm.project_columns("stock")[small.out_projects]
    assert np.abs(sol.x[build]).max() == 0 and np.abs(sol.x[stock]).max() <= 1e-9
    assert len(small.session.lp.col_lb) == len(pm.lp.col_lb) - 2 * build.size
    # every emissions_balance row is kept; the smaller LP's duals are the full model's
    rows = np.arange(len(pm.lp.row_lb))[pm.layout.rows_of("emissions_balance")]
    assert (small.local[rows] >= 0).all()
    y_small = np.asarray(small.session.h.getSolution().row_dual)
    y_full = np.asarray(pm.session.h.getSolution().row_dual)
    np.testing.assert_allclose(y_small, y_full[small.rows], rtol=0, atol=1e-12)
    assert small.certified(small.session)
    # the reduced costs it starts from are c − Aᵀy of the scaled LP, as the check assumes
    h = pm.session.h
    out_cols = np.concatenate([build.ravel(), stock.ravel()])
    c = np.asarray(h.getLp().col_cost_)[out_cols]
    np.testing.assert_allclose(c - pm.lp.A[:, out_cols].T @ y_full, small._d0, rtol=0,
                               atol=1e-12)
    # the check reads reduced costs: one left-out column made attractive fails it
    d = small._d0.copy()
    assert small._out_of_play(d)
    k = int(np.flatnonzero(small._allowed.ravel())[0])  # an allowed build column
    d[k] = -1.0
    assert not small._out_of_play(d)


def test_prices_on_the_smaller_lp_are_the_full_models(inp100, always):
    # no margin: some projects left out enter at a side's prices, and the check must refuse
    always.setattr(restricted, "MARGIN", 0.0)
    refused = []
    check = restricted.Restriction.certified

    def counting(self, session):
        ok = check(self, session)
        refused.append(not ok)
        return ok

    always.setattr(restricted.Restriction, "certified", counting)
    small, pm, sol = _prices(inp100, True, always)
    full, _, _ = _prices(inp100, False, always)
    assert not full["dual_unique"].all()  # sides were re-solved
    assert any(refused) and not all(refused)
    _assert_same_prices(full, small)
    # the full model's session is back at its optimum
    assert pm.solve().objective == pytest.approx(sol.objective, rel=1e-12)
    # without the check, the smaller LP's answers are wrong on this case
    always.setattr(restricted.Restriction, "certified", lambda self, session: True)
    blind, _, _ = _prices(inp100, True, always)
    gap = max(np.nanmax(np.abs(blind[c].to_numpy(float) - full[c].to_numpy(float)))
              for c in PRICES[1:])
    assert gap > 1.0  # CNY/t


def test_restrict_declines_where_it_would_not_pay(inp100, monkeypatch):
    pm = PlanningModel(inp100, pyomo=False)
    sol = pm.solve()
    assert restrict(pm, sol) is None  # 8,000 columns: below MIN_COLS
    monkeypatch.setattr(restricted, "MIN_COLS", 0)
    monkeypatch.setattr(restricted, "MIN_LEFT_OUT", 0.99)
    assert restrict(pm, sol) is None  # leaves out too little


@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(15, 60), years=st.integers(8, 25), seed=st.integers(0, 10**6),
       margin=st.sampled_from([0.0, 0.05]))
def test_random_cases_give_the_full_models_prices(always, n, years, seed, margin):
    always.setattr(restricted, "MARGIN", margin)
    with tempfile.TemporaryDirectory() as tmp:
        inp = _case(Path(tmp) / "c", n, years, seed)
        small, pm, sol = _prices(inp, True, always)
        assume(restrict(pm, sol) is not None)  # the smaller LP was used
        full, _, _ = _prices(inp, False, always)
    _assert_same_prices(full, small)


def test_a_binding_investment_budget(inp100, always):
    # the budget row couples every project's builds, those left out included: its dual enters
    # their check, and the prices stay the full model's
    plan = planner.solve(inp100, economics=False).deployment
    cap = 0.6 * float(plan.groupby("year")["investment_cny"].sum().max())
    sc = inp100.scenario.model_copy(update={"budget": inp100.scenario.budget.model_copy(
        update={"max_investment_cny_per_year": cap})})
    inp = planner.bind(sc, inp100.dataset)
    small, pm, sol = _prices(inp, True, always)
    assert sol.status == "optimal"
    assert restrict(pm, sol) is not None
    rows = np.arange(len(pm.lp.row_lb))[pm.layout.rows_of("investment_budget")]
    assert np.abs(sol.row_dual[rows]).max() > 0  # the budget binds somewhere
    full, _, _ = _prices(inp, False, always)
    assert not full["dual_unique"].all()
    _assert_same_prices(full, small)


def test_two_chains_on_the_smaller_lp(inp100, always):
    import planner.model.perturb as perturb

    always.setattr(restricted, "MARGIN", 0.0)  # some answers refused: both paths run
    one, _, _ = _prices(inp100, True, always)
    always.setattr(perturb, "PARALLEL_MIN_COLS", 0)
    always.setattr(perturb, "PARALLEL_MIN_JOBS", 1)
    two, _, _ = _prices(inp100, True, always)
    _assert_same_prices(one, two)


@pytest.mark.parametrize("change", ["peak_year", "extend", "net"])
def test_other_target_forms(inp100, always, change):
    # a peak form (its rows bind after the peak), years optimised past the report, net scope
    always.setattr(restricted, "MARGIN", 0.0)
    sc = inp100.scenario
    if change == "peak_year":
        sc = sc.model_copy(update={"target": sc.target.model_copy(update={"peak_year": 2035})})
    elif change == "extend":
        sc = sc.model_copy(update={"years": sc.years.model_copy(update={"end": 2050,
                                                                        "extend": 5})})
    else:
        sc = sc.model_copy(update={"target": sc.target.model_copy(update={"scope": "net"})})
    inp = planner.bind(sc, inp100.dataset)
    small, pm, sol = _prices(inp, True, always)
    assert restrict(pm, sol) is not None
    full, _, _ = _prices(inp, False, always)
    assert not full["dual_unique"].all()
    _assert_same_prices(full, small)
