"""Relief of infeasible targets: deciding from bounds gives exactly the table that re-solving
every project gives, the bounds hold against re-solves, and the largest reliefs are exact."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from conftest import make_inputs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.analysis.relief import RELAXABLE, Relaxer, relief
from planner.analysis.relief_duals import block_upper_bounds, upper_bounds
from planner.analysis.relief_plans import PlanCheck, Relaxed
from planner.analysis.shortfall import SHORT_TOL
from planner.model.persistent import PlanningModel

project = st.fixed_dictionaries({
    "max_units": st.integers(1, 8),
    "max_build_per_year": st.integers(1, 4),
    "abatement_t_per_unit": st.sampled_from([0.1, 0.5, 1.0, 3.0]),
    "lifetime_years": st.integers(1, 6),
    "earliest_year": st.integers(2020, 2024),
    "group": st.sampled_from(["", "g", "h"]),
    "sector": st.sampled_from(["industry", "industry", "power"]),
    "capex": st.sampled_from([0.0, 5.0, 20.0]),
})

cases = st.tuples(st.lists(project, min_size=2, max_size=5), st.integers(1, 20),
                  st.sampled_from([None, 2021, 2023, 2025]),
                  st.sampled_from([None, None, 30.0, 80.0]),
                  st.sampled_from(["level", "strict"]))


def _inputs(specs, cut, peak, budget, form):
    projects = []
    for k, s in enumerate(specs):
        projects.append({"project": f"p{k}", "max_units": s["max_units"],
                         "max_build_per_year": s["max_build_per_year"],
                         "abatement_t_per_unit_year": s["abatement_t_per_unit"],
                         "lifetime_years": s["lifetime_years"],
                         "earliest_year": s["earliest_year"],
                         "exclusive_group": s["group"], "sector": s["sector"],
                         "capex_cny_per_unit": s["capex"],
                         "fixed_om_cny_per_unit_year": 1.0 + k})
    bau = {"industry": list(np.linspace(80.0, 70.0, 6)), "power": [30.0, 31, 32, 32, 31, 30]}
    target = {"cap_t": 110.0 - cut}
    if peak is not None:
        target.update(peak_year=peak, peak_form=form)
    return make_inputs(bau, projects, target=target, budget=budget)


def _phase1(inp):
    pm = PlanningModel(inp, pyomo=False)
    pm.set_elastic(True)
    pm.session.set_objective("obj_shortfall")
    s1 = pm.solve()
    return pm, s1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases)
def test_decided_by_bounds_equals_re_solving_every_project(case):
    pm, s1 = _phase1(_inputs(*case))
    if s1.status != "optimal":
        return
    tol = SHORT_TOL * pm.emission_scale
    brute = relief(pm, s1.objective, s1, screen=False)
    for exact_top in (None, 2):
        fast = relief(pm, s1.objective, s1, exact_top=exact_top)
        pd.testing.assert_series_equal(fast["lowers_shortfall"], brute["lowers_shortfall"])
        pd.testing.assert_series_equal(fast["limiting"], brute["limiting"])
        truth = brute["relief_t"].to_numpy()
        ok = ~np.isnan(truth)
        assert np.all(fast["relief_min_t"].to_numpy()[ok] <= truth[ok] + tol)
        assert np.all(fast["relief_max_t"].to_numpy()[ok] >= truth[ok] - tol)
        known = ~np.isnan(fast["relief_t"].to_numpy()) & ok
        assert np.allclose(fast["relief_t"].to_numpy()[known], truth[known], rtol=0, atol=tol)
        lowers = brute["lowers_shortfall"].to_numpy()
        if exact_top is None:  # every relief of a project that lowers it is known
            assert not np.isnan(fast["relief_t"].to_numpy()[lowers]).any()
        else:  # the largest ones are, and are the largest
            got = np.sort(fast["relief_t"].to_numpy()[lowers & known])[::-1][:exact_top]
            want = np.sort(truth[lowers])[::-1][:exact_top]
            assert len(got) == len(want) and np.allclose(got, want, rtol=0, atol=tol)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases)
def test_every_bound_holds_against_the_re_solve(case):
    pm, s1 = _phase1(_inputs(*case))
    if s1.status != "optimal":
        return
    base, tol = s1.objective, SHORT_TOL * pm.emission_scale
    rx = Relaxer(pm)
    check = PlanCheck(rx, s1)
    y, d = s1.row_dual, s1.col_dual
    every = np.arange(rx.P)
    for kinds in [None] + [(k,) for k in RELAXABLE]:
        f = rx.flags(kinds)
        rel = Relaxed.of(rx, f, every)
        lower = np.maximum(check.greedy_bounds(base, rel), check.block_bounds(base, rel))
        upper = np.minimum(upper_bounds(rx, f, y, d), block_upper_bounds(rx, f, y, d, every))
        upper = np.maximum(upper, 0.0)  # bounds on base − relaxed minimum; relief clips at 0
        for i in range(rx.P):
            which = rx.kinds(i) if kinds is None else [k for k in kinds if rx.has[k][i]]
            if not which:
                continue
            low = rx.solve(i, which)
            truth = 0.0 if math.isnan(low) else max(0.0, base - low)
            assert lower[i] <= truth + tol, (kinds, i)
            assert upper[i] >= truth - tol, (kinds, i)


def test_the_bounds_decide_every_project_without_re_solving_it(monkeypatch):
    # six projects, no budget: whether each lowers the shortfall, and with which limits, comes
    # from bounds; the only re-solves make the two largest reliefs exact (the upper bound
    # cannot see a year's shortfall run out)
    projects = [{"project": f"p{k}", "max_units": 4 + k, "max_build_per_year": 1 + k % 3,
                 "lifetime_years": 3 + k % 4, "earliest_year": 2020 + k % 3,
                 "exclusive_group": "g" if k in (1, 4) else "",
                 "abatement_t_per_unit_year": 1.0 + 0.5 * k,
                 "fixed_om_cny_per_unit_year": 1.0 + k} for k in range(6)]
    inp = make_inputs({"industry": [100.0, 102, 104, 106, 108, 110]}, projects,
                      target={"cap_t": 80.0})
    pm, s1 = _phase1(inp)
    calls = []
    real = Relaxer.solve

    def counted(self, i, kinds):
        calls.append((i, kinds))
        return real(self, i, kinds)

    monkeypatch.setattr(Relaxer, "solve", counted)
    table = relief(pm, s1.objective, s1, exact_top=2)
    rx = Relaxer(pm)
    assert all(kinds == rx.kinds(i) for i, kinds in calls) and len(calls) <= 2
    brute = relief(pm, s1.objective, s1, screen=False)
    assert len(calls) > 20  # the brute force re-solves every project and limit
    pd.testing.assert_series_equal(table["lowers_shortfall"], brute["lowers_shortfall"])
    pd.testing.assert_series_equal(table["limiting"], brute["limiting"])
    top = brute.sort_values("relief_t", ascending=False).head(2)
    assert np.allclose(table.loc[top.index, "relief_t"], top["relief_t"], atol=1e-6)
