"""The files of `planner report`: report.html, report.xlsx and every chart as PNG and SVG; for
a region scenario the agglomeration's report.html, report.xlsx and its small-multiples chart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from planner.analysis.agglomeration import Agglomeration
from planner.outputs.folder import write_folder
from planner.outputs.xlsx import write_xlsx
from planner.plot.registry import draw
from planner.plot.save import save_figure
from planner.report.content import Report, build
from planner.report.html import render
from planner.report.region_page import CHART, region_workbook, render_regions
from planner.report.workbook import workbook
from planner.results import Result

Writers = dict[str, Callable[[Path], None]]


def report_writers(rep: Report) -> Writers:
    """Chart files (PNG + SVG), report.xlsx and report.html (last: it embeds the PNGs)."""
    w: Writers = {}
    for stem in rep.charts:
        def chart(path: Path, stem: str = stem) -> None:
            save_figure(draw(stem, rep), path.parent, stem)

        w[f"{stem}.png"] = chart

    def xlsx(path: Path) -> None:
        sheets, formats = workbook(rep)
        write_xlsx(sheets, path, formats)

    def html(path: Path) -> None:
        images = {stem: (path.parent / f"{stem}.png").read_bytes() for stem in rep.charts}
        path.write_text(render(rep, images), encoding="utf-8")

    w["report.xlsx"] = xlsx
    w["report.html"] = html
    return w


def write_report(res: Result, out: Path, lang: str = "en", sweep: bool = False,
                 uncertainty: Any = None) -> Path:
    """Build the report of `res` and write it into the folder `out` (atomically);
    `uncertainty`: a Monte Carlo run (planner.api.uncertainty) for its chapter."""
    return write_folder(Path(out), report_writers(build(res, lang, sweep,
                                                        uncertainty=uncertainty)))


def region_report_writers(ag: Agglomeration, lang: str = "en") -> Writers:
    """The small-multiples chart (when the plan is optimal), report.xlsx and report.html."""
    w: Writers = {}
    charts = [CHART] if ag.scenario_run.optimal else []
    if charts:
        def chart(path: Path) -> None:
            from planner.plot.regions import cities_small_multiples  # deferred: matplotlib

            save_figure(cities_small_multiples(ag, lang), path.parent, path.stem)

        w[f"{CHART}.png"] = chart

    def xlsx(path: Path) -> None:
        sheets, formats = region_workbook(ag, lang)
        write_xlsx(sheets, path, formats)

    def html(path: Path) -> None:
        images = {stem: (path.parent / f"{stem}.png").read_bytes() for stem in charts}
        path.write_text(render_regions(ag, lang, images), encoding="utf-8")

    w["report.xlsx"] = xlsx
    w["report.html"] = html
    return w


def write_region_report(ag: Agglomeration, out: Path, lang: str = "en") -> Path:
    """The agglomeration report of `ag` in the folder `out` (atomically)."""
    return write_folder(Path(out), region_report_writers(ag, lang))
