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
