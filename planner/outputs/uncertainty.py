"""`planner uncertainty`: the files of a Monte Carlo / near-optimal run.

samples.csv, robust_projects.csv, uq_summary.json, npv.png/.svg, target_cost.png/.svg,
robust_projects.png/.svg; with --near-optimal also near_optimal.csv, near_optimal.json and
near_optimal.png/.svg. No file holds the engine or timings, so a run's files are identical
whichever engine ran it.
"""

from __future__ import annotations

from pathlib import Path

from planner.analysis.uncertainty.montecarlo import MonteCarlo
from planner.analysis.uncertainty.near_optimal import NearOptimal
from planner.outputs.folder import write_folder
from planner.outputs.run import Writers, csv_writer, json_writer


def _chart(make):
    def write(path: Path) -> None:
        from planner.plot.save import save_figure  # deferred: matplotlib is heavy

        save_figure(make(), path.parent, path.stem)

    return write


def uncertainty_writers(mc: MonteCarlo, near: NearOptimal | None = None,
                        charts: bool = True) -> Writers:
    """The uncertainty folder's files: file name -> writer (CSV, JSON and, optionally, charts)."""
    from planner.plot import uncertainty as plots

    samples = mc.samples()
    robust = mc.robust()
    w: Writers = {"samples.csv": csv_writer(samples), "robust_projects.csv": csv_writer(robust),
                  "uq_summary.json": json_writer(mc.summary())}
    if charts:
        w |= {"npv.png": _chart(lambda: plots.distribution(samples, "npv_cny", "NPV")),
              "target_cost.png": _chart(lambda: plots.distribution(
                  samples, "target_cost_cny", "Target cost")),
              "robust_projects.png": _chart(lambda: plots.robust_chart(robust))}
    if near is not None:
        w |= {"near_optimal.csv": csv_writer(near.table),
              "near_optimal.json": json_writer(near.facts())}
        if charts and len(near.table):
            w["near_optimal.png"] = _chart(lambda: plots.near_optimal_chart(near.table))
    return w


def write_uncertainty(mc: MonteCarlo, out: Path, near: NearOptimal | None = None,
                      charts: bool = True) -> Path:
    """Write the uncertainty folder (see uncertainty_writers) into `out`; returns its path."""
    return write_folder(out, uncertainty_writers(mc, near, charts))


__all__ = ["uncertainty_writers", "write_uncertainty"]
