"""Outputs that scale: with hundreds of projects the charts name the largest few and group the
rest, legends stay bounded and the report stays small."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from chart_items import bars, legend_labels, texts
from conftest import REPO, write_case

import planner
from planner.analysis.ranking import rank
from planner.i18n import t
from planner.plot.deployment import deployment_timeline
from planner.plot.frame import Chart
from planner.plot.mac import mac_curve
from planner.plot.pathway import emissions_pathway
from planner.plot.sectors import sector_emissions
from planner.plot.style import TOP_N

N_PROJECTS = 300
N_MEASURES = 20
SECTORS = ["industry", "power", "buildings", "transport"]


def big_case(folder: Path, n: int = N_PROJECTS) -> Path:
    """`n` random projects over 4 sectors and 20 measures, 6 years, a cap 5 % below BAU."""
    rng = np.random.default_rng(7)
    years = 6
    baseline = {s: [1e6 * (1 + 0.02 * i) for i in range(years)] for s in SECTORS}
    projects = [{
        "project": f"p{i:03d}", "name": f"项目{i:03d}", "measure": f"m{i % N_MEASURES:02d}",
        "sector": SECTORS[i % len(SECTORS)], "max_units": float(rng.integers(5, 50)),
        "max_build_per_year": 5.0, "lifetime_years": 30,
        "capex_cny_per_unit": float(rng.uniform(1e5, 1e6)),
        "fixed_om_cny_per_unit_year": float(rng.uniform(0, 1e4)),
        "savings_cny_per_unit_year": float(rng.uniform(0, 5e4)),
        "abatement_t_per_unit_year": float(rng.uniform(50, 500)),
    } for i in range(n)]
    cap = 0.95 * 4e6 * 1.02 ** (years - 1)
    return write_case(folder, baseline=baseline, projects=projects,
                      scenario={"target": {"cap_t": cap}})


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    return big_case(tmp_path_factory.mktemp("big"))


def _legend_entries(fig) -> list[str]:
    if isinstance(fig, Chart):
        return legend_labels(fig)
    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
    return [tx.get_text() for leg in legends for tx in leg.get_texts()]


def test_report_of_300_projects_stays_small(big, tmp_path):
    out = tmp_path / "report"
    run = subprocess.run([sys.executable, "-m", "planner.cli", "report", str(big),
                          "--out", str(out), "--lang", "zh"],
                         cwd=REPO, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    page = out / "report.html"
    assert page.stat().st_size < 5_000_000
    text = page.read_text(encoding="utf-8")
    assert text.count("<figure") == 6  # five charts and the model-derived MAC curve
    for png in out.glob("*.png"):
        assert png.stat().st_size < 600_000, png.name


def test_chart_legends_are_bounded(big):
    res = planner.solve(planner.load_scenario(big))
    assert res.optimal
    projects = res.inputs.projects.reset_index(drop=True)
    used = res.deployment.groupby("project")["abatement_t"].sum()
    n_abating = int((used > 1e-9).sum())
    assert n_abating > TOP_N + 1  # the case really has more projects than a chart names
    bound = 2 * TOP_N + 6  # names, measure headings and a few fixed entries

    fig = emissions_pathway(res.emissions, res.deployment, projects, res.peak_year, "en")
    entries = _legend_entries(fig)
    assert len(entries) <= bound
    assert t("legend.other_projects", "en", n=n_abating - TOP_N) in entries
    wedges = [c for c in fig.axes[0].collections if (c.get_gid() or "").startswith("wedge:")]
    assert len(wedges) == TOP_N + 1

    fig = deployment_timeline(res.deployment, projects, "en")
    rows = [tx.get_text() for tx in fig.axes[0].get_yticklabels()]
    assert len(rows) == TOP_N + 1
    assert rows[-1] == t("legend.other_projects", "en", n=N_PROJECTS - TOP_N)
    assert len(_legend_entries(fig)) <= bound

    ranking = rank(res, with_entry=False)
    fig = mac_curve(ranking, res.price_in(res.target_year()), "en")
    entries = _legend_entries(fig)
    assert len(entries) <= bound
    assert t("legend.other_measures", "en", n=N_MEASURES - TOP_N) in entries
    names = set(ranking["name"])
    assert len([tx for tx in texts(fig) if tx in names]) == TOP_N
    assert len(bars(fig)) == int((ranking["potential_t_per_year"] > 0).sum())

    assert len(_legend_entries(sector_emissions(res.emissions_by_sector, "en"))) <= bound
