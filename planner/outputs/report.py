"""The files of `planner report`: report.html, report.xlsx and every chart as PNG and SVG."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from planner.outputs.folder import write_folder
from planner.outputs.xlsx import write_xlsx
from planner.plot.registry import draw
from planner.plot.save import save_figure
from planner.report.content import Report, build
from planner.report.html import render
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
