"""One-sided re-solves in two chains (a cloned HiGHS session) give the same prices as one."""

from __future__ import annotations

import numpy as np
import pytest

import planner
import planner.model.perturb as perturb
from planner.model.persistent import PlanningModel
from planner.results import carbon_prices


@pytest.fixture(scope="module")
def inp(tmp_path_factory):
    """A synthetic 40-project case whose optimum has non-unique annual duals."""
    from bench.synth import write_case

    path = write_case(tmp_path_factory.mktemp("synth") / "c40", 40, n_years=21, seed=0)
    return planner.bind(planner.load_scenario(path))


def _prices(inp, monkeypatch, *, min_cols: int, min_jobs: int):
    monkeypatch.setattr(perturb, "PARALLEL_MIN_COLS", min_cols)
    monkeypatch.setattr(perturb, "PARALLEL_MIN_JOBS", min_jobs)
    pm = PlanningModel(inp, pyomo=False)
    sol = pm.solve()
    cp = carbon_prices(pm, sol)
    after = pm.solve()
    return cp, sol, after


def test_two_chains_give_the_prices_of_one(inp, monkeypatch):
    one, sol1, _ = _prices(inp, monkeypatch, min_cols=10**9, min_jobs=10**9)
    two, sol2, after = _prices(inp, monkeypatch, min_cols=0, min_jobs=1)
    assert not one["dual_unique"].all()  # the case has re-solved sides
    for col in ("price_cny_per_t", "price_low_cny_per_t", "price_high_cny_per_t"):
        np.testing.assert_allclose(two[col], one[col], rtol=1e-7, atol=1e-6)
    assert two["dual_unique"].tolist() == one["dual_unique"].tolist()
    # the session is back at its optimum; the clone's re-solves did not touch it
    assert after.objective == pytest.approx(sol2.objective, rel=1e-12)


def test_the_split_depends_on_the_jobs_and_model_only(monkeypatch):
    jobs = [perturb.Shift(0, 0.0, 0.0, 1.0)] * perturb.PARALLEL_MIN_JOBS
    assert perturb.two_chains(jobs, perturb.PARALLEL_MIN_COLS)
    assert not perturb.two_chains(jobs[:-1], perturb.PARALLEL_MIN_COLS)
    assert not perturb.two_chains(jobs, perturb.PARALLEL_MIN_COLS - 1)
    monkeypatch.setattr(perturb.os, "cpu_count", lambda: 1)  # the machine does not enter
    assert perturb.two_chains(jobs, perturb.PARALLEL_MIN_COLS)


def test_a_clone_is_independent(inp):
    pm = PlanningModel(inp, pyomo=False)
    base = pm.solve()
    clone = pm.session.clone()
    i = int(np.argmax(pm.duals(base, "emissions_balance").to_numpy()))  # a priced year
    row = pm.layout.row_offset["emissions_balance"] + i
    rb = pm.layout.rows["emissions_balance"]
    clone.set_row_bounds([row], [rb.lb[i] + 1e3], [rb.ub[i] + 1e3])
    moved = clone.solve()
    assert moved.objective != pytest.approx(base.objective, rel=1e-9)
    assert pm.solve().objective == pytest.approx(base.objective, rel=1e-12)
    assert pm.session.lp.row_ub[row] != clone.lp.row_ub[row]


def _bound_jobs(pm, sol, n: int = 10):
    """Hold the first-year builds of the n most-built projects at zero, one job each."""
    build = pm.project_columns("build")
    x = sol.x
    used = np.argsort(-np.array([x[c[c >= 0]].sum() for c in build]))[:n]
    jobs = []
    for i in used:
        col = int(build[i][build[i] >= 0][0])
        s = pm.lp.col_scale[col]
        jobs.append(perturb.Bound((col,), (0.0,), (0.0,), (float(pm.lp.col_lb[col] * s),),
                                  (float(pm.lp.col_ub[col] * s),)))
    return jobs


def test_column_jobs_in_two_chains_equal_fresh_solves(inp, monkeypatch):
    pm = PlanningModel(inp, pyomo=False)
    sol = pm.solve()
    jobs = _bound_jobs(pm, sol)
    monkeypatch.setattr(perturb, "PARALLEL_MIN_COLS", 0)
    monkeypatch.setattr(perturb, "PARALLEL_MIN_JOBS", 1)
    two = perturb.shifted_objectives(pm.session, jobs)
    monkeypatch.setattr(perturb, "PARALLEL_MIN_JOBS", 10**9)
    one = perturb.shifted_objectives(pm.session, jobs)
    for j, a, b in zip(jobs, one, two, strict=True):
        fresh = PlanningModel(inp, pyomo=False)  # the change made on a model of its own
        fresh.session.set_col_bounds(list(j.cols), list(j.lo), list(j.hi))
        ref = fresh.solve()
        assert a.status == b.status == ref.status
        assert a.objective == pytest.approx(ref.objective, rel=1e-9)
        assert b.objective == pytest.approx(ref.objective, rel=1e-9)
    assert any(o.objective > sol.objective * (1 + 1e-12) for o in one)  # the jobs bite
    # every bound is back: the model's optimum is the one before
    assert pm.solve().objective == pytest.approx(sol.objective, rel=1e-12)
