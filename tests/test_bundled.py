"""The bundled example: every scenario runs from the CLI, and its output tables pass the
independent re-check of every constraint."""

import json
import re
import shlex
from pathlib import Path

import pandas as pd
import pytest

from planner.cli import main
from planner.model.check import objective_from_plan, violations
from planner.model.inputs import bind
from planner.regions import is_region_scenario
from planner.scenario import load_scenario

REPO = Path(__file__).resolve().parents[1]
# scenarios/*_uq.yaml are uncertainty specifications (docs/uncertainty.md), not scenarios;
# region scenarios (several cities) are run and checked in tests/test_regions.py
SCENARIOS = sorted(p for p in (REPO / "scenarios").glob("*.yaml")
                   if not p.stem.endswith("_uq") and not is_region_scenario(p))


def test_three_bundled_scenarios_exist():
    assert {p.name for p in SCENARIOS} >= {"zhuzhou_bau.yaml", "zhuzhou_peak2030.yaml",
                                            "zhuzhou_peak2025.yaml"}


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_run_and_recheck_from_output_tables(path, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Status:   optimal" in printed and "Peak:" in printed
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    sc = load_scenario(path)
    inp = bind(sc)
    dep = pd.read_csv(out / "deployment.csv")
    em = pd.read_csv(out / "emissions.csv")
    e0 = em["no_target_t"].to_numpy()
    assert violations(inp, dep, e0=e0) == []
    assert objective_from_plan(inp, dep) == pytest.approx(summary["objective_cny"], rel=1e-9)
    assert (em["emissions_t"] - (em["bau_t"] - em["abatement_t"])).abs().max() < 1e-3
    assert summary["peak_year"] == int(em.loc[em["emissions_t"].idxmax(), "year"])
    t = sc.target
    # the level form: no year after the peak year above L = min(cap, e0[Y]), no year above the
    # no-target plan, every annual price >= 0, and the achieved peak year is reported
    tol = 1e-6 * em["bau_t"].abs().max()  # CSVs are written with rounded tonnes
    assert (em["emissions_t"] <= em["no_target_t"] + tol).all()
    prices = pd.read_csv(out / "carbon_price.csv")
    assert (prices["price_cny_per_t"] >= -1e-6).all()
    if t.peak_year is not None:
        y = t.peak_year
        level = min(t.cap_t if t.cap_t is not None else float("inf"),
                    float(em.loc[em["year"] == y, "no_target_t"].iloc[0]))
        assert (em.loc[em["year"] >= y, "emissions_t"] <= level + tol).all()
        assert summary["achieved_peak_year"] <= y
    if t.cap_t is not None:
        assert em["emissions_t"].max() <= t.cap_t + 1e-3
    assert set(summary["input_sha256"]) >= {"data/baseline.csv", "data/projects.csv",
                                            f"scenario/{path.name}"}


def test_readme_commands_match_ci():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    test_cmd = re.search(r'TEST_COMMAND="(.+)"', ci).group(1)
    assert f"\n{test_cmd}\n" in readme, "README's test command must be exactly what CI runs"
    run_line = next(line for line in readme.splitlines() if "planner run scenarios/" in line)
    scenario = shlex.split(run_line)[-1]
    assert (REPO / scenario).is_file()
