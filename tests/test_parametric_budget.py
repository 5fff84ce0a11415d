"""Breakpoint searches under a budget of solves: exact within it, honest beyond it.

The function of the first tests is known in closed form (the maximum of random lines, convex),
so every breakpoint is known without an LP; the entry-price and MAC-curve tests compare a
budget-limited search with the complete one on the same model.
"""

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from conftest import make_inputs
from hypothesis import given, settings
from hypothesis import strategies as st

import planner
from planner.analysis.entry_prices import entry_prices
from planner.analysis.mac_model import mac_model
from planner.analysis.parametric import (
    BUDGET_MIN_SOLVES,
    BUDGET_REFERENCE_COLS,
    Point,
    breakpoints,
    solve_budget,
)
from tests.cases import FOUR_PROJECTS, staged

LO, HI = 0.0, 100.0


def max_of_lines(slopes, intercepts):
    """The oracle of f(x) = max_i (s_i x + c_i) and its true breakpoints inside (LO, HI)."""
    s, c = np.asarray(slopes, float), np.asarray(intercepts, float)

    def oracle(x: float) -> Point:
        v = s * x + c
        i = int(np.argmax(v))
        return Point(x, float(v[i]), float(s[i]))

    # exactly, in rationals: a kink is where lines of different slopes share the maximum
    kinks = set()
    pairs = [(a, b) for a in range(len(s)) for b in range(a + 1, len(s)) if s[a] != s[b]]
    for a, b in pairs:
        x = Fraction(int(c[a] - c[b]), int(s[b] - s[a]))
        if not LO < x < HI:
            continue
        vals = [int(s[i]) * x + int(c[i]) for i in range(len(s))]
        top = max(vals)
        active = [int(s[i]) for i in range(len(s)) if vals[i] == top]
        if max(active) > min(active):
            kinks.add(x)
    kinks = [float(x) for x in kinks]
    return oracle, sorted(kinks)


lines = st.lists(st.tuples(st.integers(-50, 50), st.integers(-2000, 2000)), min_size=2,
                 max_size=12, unique_by=lambda t: t[0])


@settings(max_examples=60, deadline=None)
@given(lines, st.integers(2, 12))
def test_a_budget_leaves_every_missing_breakpoint_inside_an_open_interval(ls, budget):
    oracle, kinks = max_of_lines(*zip(*ls, strict=True))
    full = breakpoints(oracle, LO, HI)
    assert full.complete
    assert full.found == pytest.approx(kinks, abs=1e-6)
    part = breakpoints(oracle, LO, HI, max_calls=budget)
    assert part.calls <= max(budget, 2)
    # every point evaluated is a point of the complete search (the same tree, cut short)
    full_x = {round(p.x, 9) for p in full.points}
    assert {round(p.x, 9) for p in part.points} <= full_x
    # each true breakpoint is either found exactly or inside an interval left open
    for k in kinks:
        located = any(abs(k - f) <= 1e-6 for f in part.found)
        inside = any(a.x - 1e-9 <= k <= b.x + 1e-9 for a, b in part.open)
        assert located or inside, k
    assert part.complete == (not part.open)
    if part.complete:
        assert part.found == pytest.approx(full.found)


@settings(max_examples=30, deadline=None)
@given(lines)
def test_a_complete_search_does_not_depend_on_the_order(ls):
    oracle, _ = max_of_lines(*zip(*ls, strict=True))
    gap_first = breakpoints(oracle, LO, HI)
    left_first = breakpoints(oracle, LO, HI, priority=lambda a, b: a.x)
    assert [p.x for p in gap_first.points] == [p.x for p in left_first.points]
    assert gap_first.found == left_first.found


def test_the_budget_shrinks_with_the_model_but_not_below_the_minimum():
    assert solve_budget(100, 600) == 600
    assert solve_budget(BUDGET_REFERENCE_COLS, 600) == 600
    assert solve_budget(4 * BUDGET_REFERENCE_COLS, 600) == 150
    assert solve_budget(10**9, 600) == BUDGET_MIN_SOLVES


def test_entry_prices_beyond_the_budget_are_bracketed_around_the_exact_ones(case):
    inp = planner.bind(planner.load_scenario(staged(case)))
    full = entry_prices(inp)
    assert full.complete
    ft = full.table
    assert (ft["entry_price_low_cny_per_t"].fillna(-1)
            == ft["entry_price_high_cny_per_t"].fillna(-1)).all()
    for budget in (2, 3, 4, 5):
        part = entry_prices(inp, max_solves=budget)
        assert part.solves <= budget
        pt = part.table
        for p in ft.index:
            exact = ft.loc[p, "entry_price_cny_per_t"]
            lo, hi = pt.loc[p, "entry_price_low_cny_per_t"], pt.loc[p, "entry_price_high_cny_per_t"]
            if np.isnan(exact):
                assert np.isnan(lo), (budget, p)
                continue
            assert lo - 1e-9 <= exact <= hi + 1e-9, (budget, p, lo, exact, hi)
            if lo == hi:  # located: then exactly the complete search's value
                assert pt.loc[p, "entry_price_cny_per_t"] == pytest.approx(exact, rel=1e-9)
            else:
                assert np.isnan(pt.loc[p, "entry_price_cny_per_t"])
    assert not entry_prices(inp, max_solves=2).complete


def test_a_ranking_says_when_entry_prices_are_only_bracketed(case, monkeypatch):
    import planner.analysis.entry_prices as ep

    monkeypatch.setattr(ep, "SOLVES", 2)  # far below what the case needs
    monkeypatch.setattr("planner.analysis.parametric.BUDGET_MIN_SOLVES", 2)
    res = planner.solve(planner.load_scenario(staged(case)))
    rk = planner.rank(res)
    t = rk.table.set_index("project")
    open_ = t["entry_price_low_cny_per_t"] < t["entry_price_high_cny_per_t"]
    assert open_.any()
    assert (t.loc[open_, "entry_price_note"].str.contains("located only between")).all()
    assert t.loc[open_, "entry_price_cny_per_t"].isna().all()
    assert any(f"entry prices of {int(open_.sum())} of 4 projects" in n for n in rk.notes)


def test_a_budget_limited_curve_keeps_exact_ends_and_average_costs(case):
    # one year, r = 0: the complete curve steps at 2.5, 10, 15 and 900 CNY/t
    path = case(baseline={"industry": [100.0]}, projects=FOUR_PROJECTS,
                scenario={"target": {"cap_t": 65.0}})
    inp = planner.bind(planner.load_scenario(path))
    full = mac_model(inp)
    assert full.complete
    part = mac_model(inp, max_solves=3)
    assert not part.complete and part.solves <= 3
    s = part.steps
    # the same ends; each step's cost is ΔNPV/ΔD between two exact points of the curve
    assert s["abatement_from_t"].iloc[0] == pytest.approx(0.0)
    assert s["abatement_to_t"].iloc[-1] == pytest.approx(full.steps["abatement_to_t"].iloc[-1])
    npv = dict(zip(full.steps["cap_to_t"], full.steps["npv_to_cny"], strict=True))
    npv[full.steps["cap_from_t"].iloc[0]] = full.steps["npv_from_cny"].iloc[0]

    def exact_npv(cap):  # the complete curve is linear between its own steps' ends
        caps = sorted(npv)
        return float(np.interp(cap, caps, [npv[c] for c in caps]))

    for r in s.itertuples():
        assert r.npv_from_cny == pytest.approx(exact_npv(r.cap_from_t), rel=1e-9, abs=1e-6)
        assert r.npv_to_cny == pytest.approx(exact_npv(r.cap_to_t), rel=1e-9, abs=1e-6)
    # total cost over the whole sweep is the same
    assert (s["npv_to_cny"].iloc[-1] - s["npv_from_cny"].iloc[0]) == pytest.approx(
        full.steps["npv_to_cny"].iloc[-1] - full.steps["npv_from_cny"].iloc[0])


def test_a_recommendation_gives_a_bracketed_entry_price_in_both_languages(case, monkeypatch):
    import planner.analysis.entry_prices as ep
    from planner.analysis.recommendation_text import project_text

    monkeypatch.setattr(ep, "SOLVES", 2)
    monkeypatch.setattr("planner.analysis.parametric.BUDGET_MIN_SOLVES", 2)
    # without a target the projects that need a carbon price are unused in the plan: they
    # are recommended as reserves, with their entry prices
    path = staged(case)
    res = planner.solve(planner.load_scenario(path).model_copy(
        update={"target": planner.load_scenario(path).target.model_copy(
            update={"cap_t": None, "peak_year": None})}))
    rec = planner.recommend(res)
    p = rec.projects
    bracketed = p[(p["class"] == "not_a_priority")
                  & (p["entry_price_low_cny_per_t"] < p["entry_price_high_cny_per_t"])]
    assert len(bracketed)
    for _, r in bracketed.iterrows():
        lo = f"{r['entry_price_low_cny_per_t']:,.0f}"
        en = project_text(r, rec.target, "en")
        zh = project_text(r, rec.target, "zh")
        assert "between" in en and lo in en, en
        assert "之间" in zh and lo in zh, zh


def _used_at(inp, price: float, year: int) -> np.ndarray:
    """Target-year use of each project in the no-target plan under a constant carbon price,
    from a model of its own (not through the search)."""
    from planner.analysis.entry_prices import USED_TOL, no_target_inputs
    from planner.analysis.prices import carbon_price_weights
    from planner.model.persistent import PlanningModel

    pm = PlanningModel(no_target_inputs(inp), pyomo=False)
    pm.session.set_costs(pm.columns("emissions"), price * carbon_price_weights(inp))
    sol = pm.solve()
    stock = sol.x[pm.project_columns("stock")[:, inp.years.index(year)]]
    return stock > USED_TOL * inp.projects["max_units"].to_numpy(float)


random_project = st.fixed_dictionaries({
    "capex_cny_per_unit": st.sampled_from([0.0, 37.0, 113.0, 251.0]),
    "fixed_om_cny_per_unit_year": st.sampled_from([3.1, 17.3, 41.9, 88.7]),
    "abatement_t_per_unit_year": st.sampled_from([0.7, 1.3, 2.9]),
    "max_units": st.sampled_from([2.0, 5.0]),
    "max_build_per_year": st.sampled_from([1.0, 5.0]),
    "lifetime_years": st.integers(2, 6),
    "earliest_year": st.integers(2020, 2022),
})


@settings(max_examples=25, deadline=None)
@given(st.lists(random_project, min_size=1, max_size=4), st.sampled_from([0.0, 0.05]),
       st.integers(2, 8))
def test_entry_prices_hold_against_independent_solves(specs, rate, budget):
    # each project alone in its sector, so no two compete for a floor: use is monotone
    bau = {f"s{k}": [50.0] * 5 for k in range(len(specs))}
    projects = [{"project": f"p{k}", "sector": f"s{k}", **s} for k, s in enumerate(specs)]
    inp = make_inputs(bau, projects, target={"cap_t": 1e9}, rate=rate)
    ty = inp.years[-1]
    full = entry_prices(inp, ty)
    assert full.complete
    t = full.table
    for k, p in enumerate(t.index):
        e = t.loc[p, "entry_price_cny_per_t"]
        assert t.loc[p, "monotone"], p
        if np.isnan(e):  # never used up to the ceiling
            assert not _used_at(inp, 99_000.0, ty)[k], p
            continue
        assert _used_at(inp, e + 1.0, ty)[k], (p, e)
        if e >= 1.0:
            assert not _used_at(inp, e - 1.0, ty)[k], (p, e)
    # and a budget too small for the search brackets each exact price it leaves open
    part = entry_prices(inp, ty, max_solves=budget).table
    lo, hi = part["entry_price_low_cny_per_t"], part["entry_price_high_cny_per_t"]
    exact = t["entry_price_cny_per_t"]
    ok = exact.isna() & lo.isna() | (lo - 1e-9 <= exact) & (exact <= hi + 1e-9)
    assert ok.all(), pd.DataFrame({"exact": exact, "low": lo, "high": hi})
