"""Region runs: the re-check of every joint solve, the explanation of an infeasible run,
one-sided city prices and each region's own projects and budget keys."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest
import yaml

from planner.analysis.agglomeration import (
    agglomeration,
    city_prices,
    city_results,
    configure_rule,
)
from planner.cli import main
from planner.errors import EXIT_NUMERICAL, InputError, PlausibilityWarning, SolverError
from planner.model.regional import RegionalModel, bind_regions, joint_bounds
from planner.regions import load_regions
from tests.regions_cases import hand_case

warnings.filterwarnings("ignore", category=PlausibilityWarning)


def _rin(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlausibilityWarning)
        return bind_regions(load_regions(path))


def _edit(path, change) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")


# ---------------------------------------------------------------- the re-check

def _planted(rm: RegionalModel, shift: float, monkeypatch) -> None:
    """Every later solve of `rm` reports region a's builds and stocks moved by `shift` units
    (stock balance still holds: the lifetime is one year)."""
    cols = np.concatenate([rm.region_cols("a", "build"), rm.region_cols("a", "stock")])
    real = rm.session.solve

    def solve():
        sol = real()
        if sol.status != "optimal":
            return sol
        x = sol.x.copy()
        x[cols] += shift
        return dataclasses.replace(sol, x=x)

    monkeypatch.setattr(rm.session, "solve", solve)


def _joint_solve(rm: RegionalModel):
    rin = rm.rin
    e0 = rm.no_target.emissions_t.sum(axis=0)
    rm.set_joint(joint_bounds(rin.scenario.target.joint, rin.years, rin.report_end, e0))
    rm.set_transfers(np.ones(len(rin.names), bool), None)
    return rm.solve()


def test_the_joint_solve_is_rechecked(tmp_path):
    rm = RegionalModel(_rin(hand_case(tmp_path)))
    sol = _joint_solve(rm)  # the honest solve passes its re-check
    assert sol.status == "optimal"
    assert sol.objective == pytest.approx(800.0)


def test_a_planted_shortfall_on_the_joint_cap_is_a_solver_fault(tmp_path, monkeypatch):
    rm = RegionalModel(_rin(hand_case(tmp_path)))
    rm.no_target  # noqa: B018 - solved before the plant
    _planted(rm, -1.0, monkeypatch)  # a abates 7 t, not 8: the sum is 193 t > 192 t
    with pytest.raises(SolverError, match="joint_emissions_cap") as exc:
        _joint_solve(rm)
    assert exc.value.exit_code == EXIT_NUMERICAL


def test_a_planted_breach_of_a_city_limit_is_a_solver_fault(tmp_path, monkeypatch):
    rm = RegionalModel(_rin(hand_case(tmp_path)))
    rm.no_target  # noqa: B018
    _planted(rm, 5.0, monkeypatch)  # 13 units built at a rate of 10 a year
    with pytest.raises(SolverError, match="region 'a': build_rate_limit"):
        _joint_solve(rm)


def test_a_planted_obligation_breach_is_a_solver_fault(tmp_path, monkeypatch):
    rm = RegionalModel(_rin(hand_case(tmp_path, transfers="none")))
    J = np.array([192.0])
    configure_rule(rm, "equal_effort", "none", J, None, 2025, None)
    assert rm.solve().objective == pytest.approx(1600.0)  # each cuts 4 t: honest, passes
    _planted(rm, -1.0, monkeypatch)  # a emits 97 t against an obligation of 96 t
    with pytest.raises(SolverError, match=r"regional_obligation: violated at a,2025"):
        rm.solve()


# ---------------------------------------------------------------- infeasible runs

def test_an_infeasible_joint_target_is_explained(tmp_path, capsys):
    path = hand_case(tmp_path, transfers="none")
    _edit(path, lambda d: d["target"]["joint"].update(cap_t=170.0))  # 30 t to cut, 20 t possible
    rc = main(["run", str(path), "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert rc == 3
    assert "a cap of 170 t" in out
    # each city's obligation of 85 t is 5 t short in 2025; both potentials are used up
    assert "a: Its obligation" in out and "b: Its obligation" in out
    assert "falls short in 2025: 5 t in 2025" in out
    assert "potential used up: a_cut" in out and "potential used up: b_cut" in out
    assert "10 t in all" in out
    assert (tmp_path / "out" / "diagnosis.csv").is_file()
    rc = main(["run", str(path), "--out", str(tmp_path / "zh"), "--lang", "zh"])
    out = capsys.readouterr().out
    assert rc == 3 and "2025年存在缺口" in out and "潜力已用尽" in out


def test_a_short_joint_row_is_named_with_its_years(tmp_path):
    path = hand_case(tmp_path)
    _edit(path, lambda d: d["target"]["joint"].update(cap_t=170.0))
    ag = agglomeration(_rin(path), coalitions=False)
    assert not ag.scenario_run.optimal
    d = ag.diagnosis
    assert d.years == [2025]
    assert d.total_shortfall_t == pytest.approx(10.0)
    # with unlimited transfers the least shortfall can sit in either city: 10 t in all
    short = sum(float(sh.rows["shortfall_t"].sum()) for sh in d.cities.values())
    assert short == pytest.approx(10.0)
    assert set(d.limits.loc[d.limits["kind"] == "potential", "project"]) == {"a_cut", "b_cut"}


# ---------------------------------------------------------------- one-sided prices

def test_one_sided_city_prices_at_a_kink(tmp_path):
    # the joint cap needs exactly a's whole potential (10 t at 100 CNY/t): one tonne more
    # comes from b at 300, one tonne less saves 100 — in either city
    path = hand_case(tmp_path)
    _edit(path, lambda d: d["target"]["joint"].update(cap_t=190.0))
    ag = agglomeration(_rin(path), coalitions=False)
    assert ag.scenario_run.total_cost_cny == pytest.approx(1000.0)
    prices = city_prices(ag)
    for r in ("a", "b"):
        p = prices[r].iloc[0]
        assert not p["dual_unique"]
        assert p["price_low_cny_per_t"] == pytest.approx(100.0)
        assert p["price_high_cny_per_t"] == pytest.approx(300.0)
        assert 100.0 - 1e-6 <= p["price_cny_per_t"] <= 300.0 + 1e-6


def test_unique_city_prices_stay_exact(tmp_path):
    ag = agglomeration(_rin(hand_case(tmp_path)), coalitions=False)  # A cuts 8 of 10 t
    res = city_results(ag)
    for r in ("a", "b"):
        p = res[r].carbon_price.iloc[0]
        assert bool(p["dual_unique"])
        assert p["price_cny_per_t"] == pytest.approx(100.0)


# ---------------------------------------------------------------- per-region keys

def test_a_regions_override_changes_that_region_only(tmp_path):
    path = hand_case(tmp_path, transfers="none")
    base = agglomeration(_rin(path), coalitions=False).scenario_run
    _edit(path, lambda d: d["regions"].update(
        a={"data": "a", "projects": {"override": {"a_cut": {"capex_cny_per_unit": 200.0}}}}))
    run = agglomeration(_rin(path), coalitions=False).scenario_run
    assert base.cost_cny == pytest.approx([400.0, 1200.0])  # each cuts 4 t
    assert run.cost_cny == pytest.approx([800.0, 1200.0])  # a pays 200 a tonne; b as before


def test_a_regions_budget_binds_in_that_region_only(tmp_path):
    path = hand_case(tmp_path)
    _edit(path, lambda d: d["regions"].update(
        a={"data": "a", "budget": {"max_investment_cny_per_year": 200.0}}))
    rin = _rin(path)
    ag = agglomeration(rin, coalitions=False)
    rm = ag.model
    assert list(rm.layout.rows["investment_budget"].index) == [("a", 2025)]
    run = ag.joint
    assert run.emissions_t[:, 0] == pytest.approx([98.0, 94.0])  # a cuts 2 t, b 6 t
    assert run.total_cost_cny == pytest.approx(200.0 + 1800.0)


def test_a_regions_exclude_and_its_errors_name_the_region(tmp_path):
    path = hand_case(tmp_path)
    _edit(path, lambda d: d["regions"].update(
        b={"data": "b", "projects": {"exclude": ["nope"]}}))
    with pytest.raises(InputError, match=r"region 'b', key 'regions\.b\.projects\.exclude"):
        _rin(path)
    _edit(path, lambda d: d["regions"].update(b={"data": "b", "projects": {"bogus": 1}}))
    with pytest.raises(InputError, match="bogus"):
        _rin(path)
