"""The public Python API: each facade returns its documented type on the bundled scenario and
the same table the command line writes."""

import json

import pandas as pd
import pytest

import planner
from planner.cli import main
from tests.conftest import REPO

SCENARIO = REPO / "scenarios" / "zhuzhou_peak2025.yaml"


def same(api: pd.DataFrame, path) -> None:
    """`api` equals the CSV the command wrote (read back; floats to the CSV's precision)."""
    written = pd.read_csv(path, keep_default_na=True)
    api = api.reset_index(drop=True)
    assert list(written.columns) == list(api.columns)
    for col in api.columns:
        a, w = api[col], written[col]
        if pd.api.types.is_numeric_dtype(w) and not pd.api.types.is_bool_dtype(w):
            assert pd.to_numeric(a, errors="coerce").to_numpy(float) == pytest.approx(
                w.to_numpy(float), rel=1e-9, abs=1e-6, nan_ok=True), col
        else:
            assert _text(a) == _text(w), col


def _text(s: pd.Series) -> list[str]:
    """A column as text, empty for missing, integers without a trailing '.0'."""
    return (s.astype(object).where(s.notna(), "").astype(str)
            .str.replace(r"\.0$", "", regex=True).tolist())


@pytest.fixture(scope="module")
def solved():
    return planner.solve(planner.load_scenario(SCENARIO))


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("api") / "run"
    assert main(["run", str(SCENARIO), "--out", str(out)]) == 0
    return out


def test_public_names_are_lazy_and_listed():
    for name in ("rank", "recommend", "sweep", "frontier", "compare", "build_report", "track",
                 "uncertainty", "solve_regions", "near_optimal", "solve"):
        assert name in planner.__all__
        assert callable(getattr(planner, name))


def test_rank_equals_ranking_csv(solved, run_folder):
    from planner.analysis.ranking import Ranking

    rk = planner.rank(solved)
    assert isinstance(rk, Ranking)
    assert isinstance(rk.table, pd.DataFrame) and len(rk.table) == len(solved.inputs.projects)
    assert rk.notes == []
    same(rk.table, run_folder / "ranking.csv")
    summary = json.loads((run_folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["notes"] == []


def test_recommend_equals_recommendations_csv(solved, run_folder):
    from planner.analysis.recommendation_text import recommendation_table
    from planner.analysis.recommendations import Recommendations
    from planner.outputs.recommendations import labels_of

    rec = planner.recommend(solved)
    assert isinstance(rec, Recommendations)
    same(recommendation_table(rec, "en", labels_of(solved)),
         run_folder / "recommendations.csv")


def test_sweep_equals_sweep_csv(tmp_path):
    caps = [4.4e7, 4.3e7]
    sw = planner.sweep(planner.load_scenario(SCENARIO), caps, [2025])
    assert isinstance(sw.table, pd.DataFrame) and isinstance(sw.entry, pd.DataFrame)
    assert len(sw.table) == 2
    assert {"carbon_price_low_cny_per_t", "carbon_price_high_cny_per_t"} <= set(sw.table)
    out = tmp_path / "sweep"
    assert main(["sweep", str(SCENARIO), "--cap", "4.4e7:4.3e7:2", "--peak-year", "2025",
                 "--out", str(out)]) == 0
    same(sw.table, out / "sweep.csv")
    same(sw.entry, out / "project_entry.csv")


def test_frontier_equals_frontier_csv(tmp_path):
    fr = planner.frontier(planner.load_scenario(SCENARIO), [2025, 2026])
    assert isinstance(fr, pd.DataFrame) and fr["peak_year"].tolist() == [2025, 2026]
    out = tmp_path / "frontier"
    assert main(["frontier", str(SCENARIO), "--peak-year", "2025..2026",
                 "--out", str(out)]) == 0
    same(fr, out / "frontier.csv")


def test_rank_of_an_infeasible_scenario_is_a_solver_error(case):
    from planner.errors import EXIT_INFEASIBLE, SolverError

    path = case(baseline={"industry": [100.0]}, projects=[{"project": "a"}],
                scenario={"target": {"cap_t": 10.0}})
    with pytest.raises(SolverError) as exc:
        planner.rank(planner.load_scenario(path))
    assert exc.value.exit_code == EXIT_INFEASIBLE


def test_build_report_returns_the_report_content(solved):
    from planner.report.content import Report

    rep = planner.build_report(solved, "en")
    assert isinstance(rep, Report)
    assert len(rep.ranking) == len(solved.inputs.projects)
