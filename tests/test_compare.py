"""`planner compare`: scenarios side by side, failures kept; one indicator year, costs against a
named reference, the headlines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from planner.analysis.compare import BASELINE_NAME
from planner.api import compare
from planner.cli import main
from planner.scenario import load_scenario

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = [REPO / "scenarios" / f"zhuzhou_{s}.yaml" for s in ("bau", "peak2030", "peak2025")]
ZHUZHOU = REPO / "data" / "zhuzhou"


def test_compare_bundled_zhuzhou_scenarios(tmp_path, capsys):
    out = tmp_path / "cmp"
    code = main(["compare", *map(str, SCENARIOS), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert {"compare.csv", "compare.md", "compare.png", "compare.svg",
            "compare_paths.csv"} <= {p.name for p in out.iterdir()}
    for name in ("business as usual", "peak by 2030", "peak by 2025"):
        assert name in printed
        assert name in (out / "compare.md").read_text(encoding="utf-8")

    table = pd.read_csv(out / "compare.csv")
    assert table["file"].tolist() == list(map(str, SCENARIOS))
    assert table["status"].tolist() == ["optimal"] * 3
    assert table["reference"].tolist() == [True, False, False]
    assert table["target_year"].tolist() == [2035, 2030, 2025]
    # one year for every indicator column: the latest target year among scenarios with one
    assert table["indicator_year"].tolist() == [2030] * 3
    for i in (1, 2):  # each plan within its scenario's cap
        cap = load_scenario(SCENARIOS[i]).target.cap_t
        assert table.loc[i, "peak_emissions_t"] <= cap * (1 + 1e-9)
    # stricter target: dearer plan, more investment, more co-benefits
    assert table["objective_cny"].is_monotonic_increasing
    assert table["total_investment_cny"].is_monotonic_increasing
    assert table["so2_avoided_t"].is_monotonic_increasing
    # costs against the BAU scenario's optimised plan, named as the no-target plan
    reference = "the no-target plan (Zhuzhou — business as usual)"
    assert table["reference_name"].unique().tolist() == [reference]
    assert table["cost_vs_reference_cny"].tolist() == pytest.approx(
        (table["objective_cny"] - table.loc[0, "objective_cny"]).tolist())
    assert table.loc[0, "cost_vs_reference_cny"] == 0
    # the headlines: the BAU scenario is its own no-target plan; tighter costs more
    assert table.loc[0, "target_cost_cny"] == pytest.approx(0, abs=1e-6 * abs(
        table.loc[0, "objective_cny"]))
    assert 0 < table.loc[1, "target_cost_cny"] < table.loc[2, "target_cost_cny"]
    assert (table.loc[1:, "marginal_cost_tighten_cny_per_t"] > 0).all()
    assert (table.loc[1:, "uniform_price_cny_per_t"] > 0).all()
    assert reference in (out / "compare.md").read_text(encoding="utf-8")

    # intensity in the target year = emissions / GDP, from the paths and indicators.csv
    paths = pd.read_csv(out / "compare_paths.csv")
    gdp = pd.read_csv(ZHUZHOU / "indicators.csv").set_index("year")["gdp_cny"]
    for r in table.itertuples():
        p = paths[paths.scenario == r.scenario].set_index("year")["emissions_t"]
        assert len(p) == 16
        # the plan stays at or below its target level after its target year
        assert p[p.index >= r.target_year].max() <= r.peak_emissions_t * (1 + 1e-9)
        ty = r.indicator_year  # the same year for every scenario
        assert r.co2_per_10k_cny_gdp_target == pytest.approx(p[ty] / (gdp[ty] / 1e4))
        assert r.co2_per_10k_cny_gdp_final == pytest.approx(p[2035] / (gdp[2035] / 1e4))
        assert r.intensity_change_target == pytest.approx(
            (p[ty] / gdp[ty]) / (p[2020] / gdp[2020]) - 1)
        assert r.peak_emissions_t == pytest.approx(p.max())
    assert paths.groupby("scenario")["reference"].first().sum() == 1


def write(path: Path, doc: dict) -> Path:
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def tiny(case):
    """A tiny dataset with a BAU scenario; returns (folder, bau scenario path)."""
    path = case(baseline={"industry": [100.0, 110.0]},
                projects=[{"project": "a", "max_units": 20, "max_build_per_year": 20,
                           "fixed_om_cny_per_unit_year": 10.0, "so2_t_per_unit_year": 0.5}],
                name="bau.yaml", scenario={"name": "BAU"})
    return path.parent, path


def test_failed_and_infeasible_scenarios_are_kept(tiny, tmp_path, capsys):
    folder, bau = tiny
    base = yaml.safe_load(bau.read_text(encoding="utf-8"))
    ok = write(folder / "cap.yaml", {**base, "name": "cap 95", "target": {"cap_t": 95.0}})
    too_tight = write(folder / "tight.yaml", {**base, "name": "cap 50", "target": {"cap_t": 50.0}})
    typo = write(folder / "typo.yaml", {**base, "name": "typo", "targte": {"cap_t": 95.0}})
    missing = folder / "nowhere.yaml"
    files = [bau, ok, too_tight, typo, missing]

    table, paths = compare(files)
    assert table["status"].tolist() == ["optimal", "optimal", "infeasible", "failed", "failed"]
    assert table["scenario"].tolist() == ["BAU", "cap 95", "cap 50", "typo", "nowhere"]
    assert table["reason"].iloc[:2].tolist() == ["", ""]
    assert "targte" in table.loc[3, "reason"] and "unknown key" in table.loc[3, "reason"]
    assert "not found" in table.loc[4, "reason"]
    assert table.loc[2, "reason"]  # the diagnosis message
    assert table.loc[2:, "objective_cny"].isna().all()
    # cap 95: 5 units in 2020, 15 in 2021, of 1 t at 10 CNY per unit-year, 0.5 t SO2 each
    assert table.loc[1, "objective_cny"] == pytest.approx(10 * (5 + 15))
    assert table.loc[1, "so2_avoided_t"] == pytest.approx(0.5 * (5 + 15))
    assert table.loc[1, "carbon_price_cny_per_t"] == pytest.approx(10.0)  # target year 2021
    assert np.isnan(table.loc[1, "co2_per_10k_cny_gdp_target"])  # no indicators.csv
    assert set(paths["scenario"]) == {"BAU", "cap 95"}
    assert paths.loc[paths.reference, "scenario"].unique().tolist() == ["BAU"]

    out = tmp_path / "cmp"
    code = main(["compare", *map(str, files), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 3
    assert "Not solved" in printed and "typo (failed)" in printed
    written = pd.read_csv(out / "compare.csv")
    assert len(written) == 5
    assert (out / "compare.png").is_file()
    assert "## Not solved" in (out / "compare.md").read_text(encoding="utf-8")


def test_without_bau_scenario_the_baseline_is_the_reference(tiny):
    folder, bau = tiny
    base = yaml.safe_load(bau.read_text(encoding="utf-8"))
    ok = write(folder / "cap.yaml", {**base, "name": "cap 95", "target": {"cap_t": 95.0}})
    table, paths = compare([ok, ok])
    # the same file twice: both kept, names made unique
    assert table["scenario"].nunique() == 2
    ref = paths[paths.reference]
    assert ref["scenario"].unique().tolist() == [BASELINE_NAME]
    # against the BAU inputs (no project, no cost) the cost is the plan's own NPV
    assert table["reference_name"].unique().tolist() == [BASELINE_NAME]
    assert table["cost_vs_reference_cny"].tolist() == pytest.approx(
        table["objective_cny"].tolist())
    assert ref["emissions_t"].tolist() == pytest.approx([100.0, 110.0])


def test_all_failed_still_writes(tmp_path, capsys):
    out = tmp_path / "cmp"
    code = main(["compare", str(tmp_path / "a.yaml"), "--out", str(out)])
    assert code == 3
    assert "a (failed)" in capsys.readouterr().out
    assert len(pd.read_csv(out / "compare.csv")) == 1
