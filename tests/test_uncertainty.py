"""Monte Carlo over uq.yaml, the robust project list and near-optimal ranges (serial engine)."""

from __future__ import annotations

import sys
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from uq_cases import SPEC, tiny_case, write_spec

import planner
from planner.analysis.diagnosis import diagnose
from planner.analysis.uncertainty.apply import apply_sample, bau_path, grid_path
from planner.analysis.uncertainty.engine import Payload, _Process
from planner.analysis.uncertainty.montecarlo import monte_carlo
from planner.analysis.uncertainty.near_optimal import near_optimal, parse_slack
from planner.analysis.uncertainty.robust import classify
from planner.analysis.uncertainty.sampling import dimensions, draw, lhs
from planner.cli import main
from planner.errors import InputError
from planner.model.persistent import PlanningModel
from planner.uqspec import load_spec, parse_spec

REPO = __import__("pathlib").Path(__file__).resolve().parents[1]
CSVS = ("samples.csv", "robust_projects.csv", "uq_summary.json")


@pytest.fixture
def tiny(tmp_path):
    return planner.bind(planner.load_scenario(tiny_case(tmp_path / "case")))


# ---------------------------------------------------------------- the specification
@pytest.mark.parametrize("doc, key, words", [
    ({"capex": [{"dist": {"type": "uniform", "low": 1, "high": 2}, "corelated": True}]},
     "capex.0.corelated", "unknown key"),
    ({"capexx": []}, "capexx", "unknown key"),
    ({"capex": [{"dist": {"type": "uniform", "low": 1.2, "high": 0.8}}]}, "capex.0.dist",
     "low (1.2) is above high"),
    ({"savings": [{"dist": {"type": "normal", "mean": 1, "sd": -0.1}}]}, "savings.0.dist.sd",
     "greater than or equal to 0"),
    ({"abatement": [{"dist": {"type": "lognormal", "median": 0, "sigma": 0.2}}]},
     "abatement.0.dist.median", "greater than 0"),
    ({"abatement": [{"dist": {"type": "lognormal", "median": 1, "sigma": -1}}]},
     "abatement.0.dist.sigma", "greater than 0"),
    ({"discount_rate": {"dist": {"type": "discrete", "values": [0.03, 0.05],
                                 "probabilities": [0.5, 0.6]}}}, "discount_rate.dist",
     "sum to 1.1"),
    ({"capex": [{"dist": {"type": "normal", "mean": 1, "sd": 0.3}}]}, "capex.0.dist",
     "factors >= 0"),
    ({"capex": [{"dist": {"type": "gamma", "low": 1}}]}, "capex.0.dist.type", "gamma"),
    ({"grid_factor": {"sectors": ["power_heat"], "dist": {"type": "triangular", "low": 0.9,
                                                            "mode": 0.8, "high": 1.0}}},
     "grid_factor.dist", "low <= mode <= high"),
    ({"capex": [{"projects": ["a"], "measures": ["m1"],
                 "dist": {"type": "uniform", "low": 1, "high": 1}}]}, "capex.0",
     "not both"),
])
def test_bad_spec_names_the_key(doc, key, words):
    with pytest.raises(InputError) as err:
        parse_spec(doc, "uq.yaml")
    assert f"key '{key}" in str(err.value)
    assert words in str(err.value)


def test_unknown_project_sector_and_ramp_year_name_the_key(tiny):
    for doc, key in (
            ({"capex": [{"projects": ["a", "zz"],
                         "dist": {"type": "uniform", "low": 1, "high": 1}}]},
             "capex.0.projects.1"),
            ({"bau_growth": [{"sectors": ["farming"],
                              "dist": {"type": "uniform", "low": 1, "high": 1}}]},
             "bau_growth.0.sectors.0"),
            ({"grid_factor": {"ramp_from": 2023,
                              "dist": {"type": "uniform", "low": 1, "high": 1}}},
             "grid_factor.ramp_from")):
        with pytest.raises(InputError, match=f"key '{key}'"):
            dimensions(parse_spec(doc), tiny)


def test_cli_bad_spec_exits_2_without_traceback(tmp_path, capsys):
    scen = tiny_case(tmp_path / "case")
    spec = write_spec(tmp_path, {"capex": [{"dist": {"type": "normal", "mean": 1,
                                                     "sd": -1}}]})
    assert main(["uncertainty", str(scen), "--spec", str(spec), "--samples", "2",
                 "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "capex.0.dist.sd" in err and "Traceback" not in err


# ---------------------------------------------------------------- sampling and applying
def test_latin_hypercube_is_seeded_and_stratified():
    a, b, c = lhs(3, 50, seed=7), lhs(3, 50, seed=7), lhs(3, 50, seed=8)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    for k in range(3):  # one sample in each of the 50 equal strata of every dimension
        assert sorted(np.floor(a[:, k] * 50).astype(int)) == list(range(50))


def test_samples_apply_factors_absolutes_growth_and_grid(tiny):
    spec = parse_spec({
        "capex": [{"projects": ["a"], "mode": "absolute",
                   "dist": {"type": "uniform", "low": 250, "high": 250}}],
        "abatement": [{"dist": {"type": "uniform", "low": 0.5, "high": 0.5}}],
        "bau_growth": [{"sectors": ["industry"], "mode": "absolute",
                        "dist": {"type": "uniform", "low": 0.1, "high": 0.1}}],
        "discount_rate": {"mode": "absolute", "dist": {"type": "uniform", "low": 0.05,
                                                       "high": 0.05}},
        "grid_factor": {"ramp_from": 2021, "dist": {"type": "uniform", "low": 0.6,
                                                    "high": 0.6}}})
    dims = dimensions(spec, tiny)
    new = apply_sample(tiny, dims, draw(dims, 1, 1)[0])
    assert (new.capex.loc["a"] == 250).all() and (new.capex.loc["b"] == 300).all()
    assert new.abatement.loc["a"].tolist() == [2.0] * 4
    # c (power_heat) also carries the grid ramp: 1 in 2020-2021, 0.8 in 2022, 0.6 in 2023
    assert new.abatement.loc["c"].to_numpy() == pytest.approx([1.0, 1.0, 0.8, 0.6])
    assert new.bau.loc["industry"].to_numpy() == pytest.approx(60 * 1.1 ** np.arange(4))
    assert new.bau.loc["power_heat"].tolist() == tiny.bau.loc["power_heat"].tolist()
    assert new.rate == 0.05 and tiny.rate == 0.0
    assert grid_path([2020, 2021, 2022], 0.5, None).tolist() == [0.5, 0.5, 0.5]
    assert bau_path(np.array([10.0, 12.0, 12.0]), "factor", 0.5) == pytest.approx(
        [10.0, 11.0, 11.0])


def test_resampled_model_matches_a_rebuild_on_random_samples():
    inp = planner.bind(planner.load_scenario(REPO / "scenarios" / "zhuzhou_peak2025.yaml"))
    pm = PlanningModel(inp)
    rng = np.random.default_rng(11)
    n_opt = 0
    for _ in range(6):
        f = rng.uniform(0.8, 1.2, size=(3, *inp.capex.shape))
        new = replace(inp, capex=inp.capex * f[0], savings=inp.savings * f[1],
                      abatement=inp.abatement * rng.uniform(1.0, 1.3, size=inp.capex.shape),
                      bau=inp.bau * rng.uniform(0.99, 1.0, size=inp.bau.shape),
                      scenario=inp.scenario.model_copy(
                          update={"discount_rate": float(rng.uniform(0.03, 0.1))}))
        pm.update_inputs(new)
        got, ref = pm.solve(), PlanningModel(new).solve()
        assert got.status == ref.status
        if ref.status == "optimal":
            n_opt += 1
            assert got.objective == pytest.approx(ref.objective, rel=1e-9, abs=0)
    assert n_opt >= 4


def _same_outcome(a, b) -> None:
    assert (a.sample, a.status, a.path, a.shortfall_groups) == (
        b.sample, b.status, b.path, b.shortfall_groups)
    for f in ("npv_cny", "no_target_npv_cny", "peak_year", "peak_t", "shortfall_t",
              "shortfall_first_year"):
        x, y = getattr(a, f), getattr(b, f)
        assert x == y or (np.isnan(x) and np.isnan(y)), f
    assert np.array_equal(a.stock, b.stock)
    assert np.array_equal(a.first_build, b.first_build, equal_nan=True)


def test_lean_resample_equals_update_inputs_on_the_bundled_spec():
    """PlanningModel.resample (the engine's path) gives every sample of the bundled spec the
    outcome of the general update_inputs to the last bit, and the inputs, layout and matrix it
    makes on demand are those update_inputs makes."""
    inp = planner.bind(planner.load_scenario(REPO / "scenarios" / "zhuzhou_peak2025.yaml"))
    dims = dimensions(load_spec(REPO / "scenarios" / "zhuzhou_uq.yaml"), inp)
    values = draw(dims, 40, 3)
    payload = Payload("lean-vs-general", inp, tuple(dims))
    lean, general = _Process(payload, lean=True), _Process(payload, lean=False)
    statuses = set()
    for i, v in enumerate(values):
        a, b = lean.solve(i, v), general.solve(i, v)
        _same_outcome(a, b)
        statuses.add(a.status)
        if i % 10 == 0:  # made on demand (every sample would hide a bug in the lazy path)
            pl, pg = lean.pm, general.pm
            assert pl._pending is not None
            for k in ("capex", "savings", "abatement", "bau"):
                pd.testing.assert_frame_equal(getattr(pl.inp, k), getattr(pg.inp, k))
            assert pl.inp.rate == pg.inp.rate
            assert np.array_equal(pl.inp.capex_coeff, pg.inp.capex_coeff)
            assert np.array_equal(pl.A.data, pg.A.data)
            assert all(np.array_equal(x, y) for x, y in zip(pl.layout.bounds(),
                                                             pg.layout.bounds(), strict=True))
            assert np.array_equal(pl.layout.objective("obj_cost"),
                                  pg.layout.objective("obj_cost"))
            assert np.array_equal(pl.lp.A.data, pg.lp.A.data)  # what HiGHS was given
            for k in ("col_lb", "col_ub", "row_lb", "row_ub"):
                assert np.array_equal(getattr(pl.lp, k), getattr(pg.lp, k)), k
            for k in pg.lp.costs:
                assert np.array_equal(pl.lp.costs[k], pg.lp.costs[k]), k
    assert statuses == {"optimal", "infeasible"}  # both kinds of sample compared


# ---------------------------------------------------------------- Monte Carlo
def _run_cli(tmp_path, name, *extra):
    scen = tiny_case(tmp_path / "case") if not (tmp_path / "case").exists() else \
        tmp_path / "case" / "case.yaml"
    spec = write_spec(tmp_path, SPEC)
    out = tmp_path / name
    assert main(["uncertainty", str(scen), "--spec", str(spec), "--samples", "12",
                 "--out", str(out), *extra]) == 0
    return out


def test_same_seed_gives_byte_identical_files(tmp_path):
    one = _run_cli(tmp_path, "one", "--seed", "5")
    two = _run_cli(tmp_path, "two", "--seed", "5")
    other = _run_cli(tmp_path, "other", "--seed", "6")
    for f in CSVS:
        assert (one / f).read_bytes() == (two / f).read_bytes()
    assert (one / "samples.csv").read_bytes() != (other / "samples.csv").read_bytes()
    s = pd.read_csv(one / "samples.csv")
    assert len(s) == 12 and (s["status"] == "optimal").all()
    assert s["target_cost_cny"].to_numpy() == pytest.approx(
        (s["npv_cny"] - s["no_target_npv_cny"]).to_numpy())
    assert (s["target_cost_cny"] > 0).all()  # the cap binds in every sample


def test_serial_run_never_imports_dask(tmp_path, monkeypatch):
    """With Dask made unimportable, the serial engine still runs: it never imports it."""
    for name in ("dask", "distributed", "dask.distributed"):
        monkeypatch.setitem(sys.modules, name, None)  # `import dask` now raises ImportError
    out = _run_cli(tmp_path, "serial")
    assert (out / "samples.csv").is_file()
    scen, spec = tmp_path / "case" / "case.yaml", tmp_path / "uq.yaml"
    assert main(["uncertainty", str(scen), "--spec", str(spec), "--samples", "2",
                 "--workers", "2", "--out", str(tmp_path / "dask")]) == 2  # needs the extra


def test_zero_width_distributions_reproduce_the_deterministic_run(tiny):
    spec = parse_spec({
        "capex": [{"dist": {"type": "uniform", "low": 1, "high": 1}}],
        "savings": [{"correlated": False,
                     "dist": {"type": "triangular", "low": 1, "mode": 1, "high": 1}}],
        "abatement": [{"dist": {"type": "normal", "mean": 1, "sd": 0}}],
        "bau_growth": [{"dist": {"type": "discrete", "values": [1.0], "probabilities": [1]}}],
        "discount_rate": {"dist": {"type": "uniform", "low": 0, "high": 0}},
        "grid_factor": {"dist": {"type": "uniform", "low": 1, "high": 1}}})
    res = planner.solve(tiny, one_sided_prices=False)
    free = planner.solve(replace(tiny, scenario=tiny.scenario.with_target(cap_t=None)),
                         one_sided_prices=False)
    mc = monte_carlo(tiny, spec, 6, seed=3)
    stock = res.deployment[res.deployment["year"] == 2023].set_index("project")["stock_units"]
    for o in mc.outcomes:
        assert o.status == "optimal"
        assert o.npv_cny == pytest.approx(res.objective_cny, rel=1e-9)
        assert o.no_target_npv_cny == pytest.approx(free.objective_cny, rel=1e-9)
        assert o.stock == pytest.approx(stock.reindex(tiny.projects.index).to_numpy(), abs=1e-9)
        assert o.peak_year == res.peak_year
    robust = mc.robust().set_index("project")
    assert robust.loc["a", "class"] == "core" and robust.loc["b", "class"] == "rare"
    assert robust.loc["a", "stock_p50_units"] == pytest.approx(1.5)


def test_infeasible_sample_is_recorded_with_its_shortfall(tiny):
    spec = parse_spec({"abatement": [{"dist": {"type": "discrete", "values": [0.2, 1.0],
                                               "probabilities": [0.5, 0.5]}}]})
    mc = monte_carlo(tiny, spec, 8, seed=1)
    s = mc.samples()
    bad = s[s["status"] == "infeasible"]
    assert 0 < len(bad) < len(s)  # recorded, and the run went on
    assert (s.loc[s["status"] == "optimal", "npv_cny"].notna()).all()
    dims = dimensions(spec, tiny)
    for _, row in bad.iterrows():
        inp = apply_sample(tiny, dims, mc.values[int(row["sample"])])
        # diagnose() reports its phase-2 plan, whose shortfall is within 1e-7 of the BAU scale
        assert row["shortfall_t"] == pytest.approx(diagnose(inp).total_shortfall_t, abs=2e-5)
        assert row["shortfall_t"] == pytest.approx(4.8, rel=1e-6)  # 0.4 t in 2022 + 4.4 t
        assert row["shortfall_first_year"] == 2022
        assert row["shortfall_groups"] == "emissions_cap"
    assert mc.robust()["n_optimal"].iloc[0] == len(s) - len(bad)


def test_robust_classes():
    assert [classify(x) for x in (1.0, 0.95, 0.9499, 0.5, 0.05, 0.0499, 0.0)] == [
        "core", "core", "likely", "likely", "contested", "rare", "rare"]


# ---------------------------------------------------------------- near-optimal
def test_near_optimal_slack_zero_is_the_unique_optimum(tiny):
    r = near_optimal(tiny, share=0.0)
    t = r.table.set_index("project")
    assert t.loc["a", "optimum_stock_units"] == pytest.approx(1.5)
    for p, v in (("a", 1.5), ("b", 0.0), ("c", 2.0)):
        assert t.loc[p, "min_stock_units"] == pytest.approx(v, abs=1e-6)
        assert t.loc[p, "max_stock_units"] == pytest.approx(v, abs=1e-6)
    assert t["class"].to_dict() == {"a": "must-have", "b": "unused", "c": "must-have"}


def test_near_optimal_ranges_widen_with_the_slack(tiny):
    prev = None
    for share in (0.0, 0.02, 0.1, 0.5, 2.0):
        t = near_optimal(tiny, share=share).table.set_index("project")
        if prev is not None:
            assert (t["min_stock_units"] <= prev["min_stock_units"] + 1e-9).all()
            assert (t["max_stock_units"] >= prev["max_stock_units"] - 1e-9).all()
        prev = t
    assert prev.loc["b", "max_stock_units"] > 0 and prev.loc["a", "min_stock_units"] < 1.5
    assert prev.loc["b", "class"] == "interchangeable" and "a" in prev.loc["b", "trades_with"]


def test_near_optimal_with_negative_npv_allows_more_cost_not_less(tiny):
    r = near_optimal(tiny, share=0.05)
    assert r.npv_optimum_cny < 0
    assert r.gross_cost_cny > 0 and r.slack_cny == pytest.approx(0.05 * r.gross_cost_cny)
    assert r.cost_limit_cny > r.npv_optimum_cny
    t = r.table.set_index("project")
    assert (t["min_stock_units"] <= t["optimum_stock_units"] + 1e-9).all()
    assert (t["max_stock_units"] >= t["optimum_stock_units"] - 1e-9).all()
    assert t.loc["b", "max_stock_units"] > 0  # the slack buys some of the dearer project
    cny = near_optimal(tiny, cny=r.slack_cny)
    assert cny.cost_limit_cny == pytest.approx(r.cost_limit_cny)


def test_parse_slack():
    assert parse_slack("5%") == (pytest.approx(0.05), None)
    assert parse_slack("0.1") == (0.1, None)
    assert parse_slack("2e8cny") == (None, 2e8)
    with pytest.raises(ValueError):
        parse_slack("-1%")


def test_bundled_spec_fits_the_bundled_scenarios():
    spec = __import__("planner.uqspec", fromlist=["load_spec"]).load_spec(
        REPO / "scenarios" / "zhuzhou_uq.yaml")
    inp = planner.bind(planner.load_scenario(REPO / "scenarios" / "zhuzhou_peak2025.yaml"))
    cols = [d.column for d in dimensions(spec, inp)]
    assert "grid_factor" in cols and "discount_rate" in cols and len(cols) == len(set(cols))
