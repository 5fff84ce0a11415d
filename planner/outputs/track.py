"""`planner track`: the tracking folder, written atomically.

Files: summary.json (headlines), gap.csv, indicators.csv, projects.csv, future.csv,
replan_emissions.csv and replan_deployment.csv (when the re-plan is feasible), diagnosis.json
(when not), track_emissions.png, track_gap.png, track.html and track.xlsx.
"""

from __future__ import annotations

from pathlib import Path

from planner.analysis.tracking import Tracking
from planner.outputs.folder import write_folder
from planner.outputs.run import Writers, csv_writer, json_writer
from planner.outputs.xlsx import write_xlsx


def track_writers(tr: Tracking, lang: str = "en") -> Writers:
    """The tracking folder's files: file name -> writer (CSV, JSON, charts, HTML, xlsx)."""
    from planner.plot.track import emissions_chart, gap_chart, png_bytes
    from planner.report.track import html_page, workbook

    illustrative = (tr.actuals.folder / "README.md").is_file() and "illustrative" in (
        tr.actuals.folder / "README.md").read_text(encoding="utf-8").lower()
    images = {"track_emissions": png_bytes(emissions_chart(tr, lang)),
              "track_gap": png_bytes(gap_chart(tr, lang))}
    summary = {"scenario": tr.plan.scenario.name, "actuals": str(tr.actuals.folder),
               "actual_files": tr.actuals.files, **tr.headlines}
    w: Writers = {"summary.json": json_writer(summary), "gap.csv": csv_writer(tr.gap),
                  "indicators.csv": csv_writer(tr.indicators),
                  "projects.csv": csv_writer(tr.projects), "future.csv": csv_writer(tr.future)}
    if tr.feasible:
        w["replan_emissions.csv"] = csv_writer(tr.replan.emissions)
        w["replan_deployment.csv"] = csv_writer(tr.replan.deployment)
    elif tr.replan.diagnosis is not None:
        d = tr.replan.diagnosis
        w["diagnosis.json"] = json_writer({"message": d.message, "groups": d.groups,
                                           "total_shortfall_t": d.total_shortfall_t,
                                           "shortfall": d.shortfall.to_dict("records"),
                                           **d.facts})
    for stem, data in images.items():
        w[f"{stem}.png"] = lambda path, data=data: path.write_bytes(data)
    w["track.html"] = lambda path: path.write_text(html_page(tr, lang, images, illustrative),
                                                   encoding="utf-8")
    w["track.xlsx"] = lambda path: write_xlsx(workbook(tr, lang), path)
    return w


def write_track(tr: Tracking, out: Path, lang: str = "en") -> Path:
    """Write the tracking folder (see :func:`track_writers`) into `out`; returns its path."""
    return write_folder(out, track_writers(tr, lang))
