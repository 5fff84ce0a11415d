"""`planner run`: solve a scenario and write its result folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from planner.analysis.decomposition import decomposition
from planner.analysis.indicators import co_benefits, indicators
from planner.api import SideAnalyses, side_analyses
from planner.outputs.folder import write_csv, write_folder, write_json
from planner.outputs.recommendations import recommendation_writers
from planner.results import Result
from planner.tables import decomposition_markdown

Writers = dict[str, Callable[[Path], None]]


def default_out(scenario_path: Path | None, command: str = "") -> Path:
    """The default output folder: results/<scenario stem>[-<command>]."""
    stem = scenario_path.stem if scenario_path else "scenario"
    return Path("results") / (f"{stem}" if not command else f"{stem}-{command}")


def csv_writer(df: pd.DataFrame) -> Callable[[Path], None]:
    """A writer that saves `df` as a CSV at the path it is given."""
    return lambda path: write_csv(df, path)


def json_writer(obj) -> Callable[[Path], None]:
    """A writer that saves `obj` as JSON at the path it is given."""
    return lambda path: write_json(obj, path)


def run_writers(res: Result, private_rate: float | None = None, lang: str = "en",
                side: SideAnalyses | None = None) -> Writers:
    """The files of a run folder: the core tables, the diagnosis of an infeasible target,
    the ranked project list and MAC curve, the policy recommendations (in `lang`).
    `side`: the ranking and recommendations (default: computed here, failing soft); what
    could not be computed is listed under `notes` in summary.json."""
    from planner.outputs.ranking import ranking_writers

    side = side if side is not None else side_analyses(res, private_rate)
    w: Writers = {"summary.json": json_writer({**res.summary, "notes": list(side.notes)})}
    if res.optimal:
        w |= {
            "emissions.csv": csv_writer(res.emissions),
            "emissions_by_sector.csv": csv_writer(res.emissions_by_sector),
            "deployment.csv": csv_writer(res.deployment),
            "carbon_price.csv": csv_writer(res.carbon_price),
            "duals.csv": csv_writer(res.duals),
        }
    if res.diagnosis is not None:
        d = res.diagnosis
        w |= {
            "diagnosis.json": json_writer({"message": d.message, "groups": d.groups,
                                           "total_shortfall_t": d.total_shortfall_t,
                                           "shortfall": d.shortfall.to_dict("records"),
                                           "limits": d.limits.to_dict("records"),
                                           **d.facts}),
            "diagnosis.csv": csv_writer(d.shortfall),
        }
    if side.ranking is not None:
        w |= ranking_writers(res, private_rate, side.ranking, lang)
    if side.recommendations is not None:
        w |= recommendation_writers(res, private_rate, lang, side.recommendations)
    w |= indicator_writers(res)
    return w


def indicator_writers(res: Result) -> Writers:
    """indicators.csv, co_benefits.csv, decomposition.csv and decomposition.md of an optimal
    result (nothing otherwise)."""
    if not res.optimal:
        return {}
    dec = decomposition(res)
    md = decomposition_markdown(dec)
    return {
        "indicators.csv": csv_writer(indicators(res)),
        "co_benefits.csv": csv_writer(co_benefits(res)),
        "decomposition.csv": csv_writer(dec),
        "decomposition.md": lambda path: path.write_text(md, encoding="utf-8"),
    }


def write_run(res: Result, out: Path, private_rate: float | None = None,
              lang: str = "en", side: SideAnalyses | None = None) -> Path:
    """Write the run's results folder (see :func:`run_writers`) into `out`; returns its path."""
    return write_folder(out, run_writers(res, private_rate, lang, side))
