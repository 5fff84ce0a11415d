"""`planner compare`: compare.csv, compare_paths.csv, compare.md and the chart
(compare.png/.svg)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from planner.analysis.compare import reference_of
from planner.outputs.run import Writers, csv_writer
from planner.tables import compare_markdown


def compare_writers(table: pd.DataFrame, path_df: pd.DataFrame, lang: str = "en") -> Writers:
    """The comparison's files, one writer each (the chart writes its .png and .svg)."""
    md = compare_markdown(table)

    def write_md(path: Path) -> None:
        path.write_text(md, encoding="utf-8")

    def write_chart(path: Path) -> None:  # writes compare.png and compare.svg
        # deferred: matplotlib is imported only when a chart is drawn
        from planner.plot.compare import compare_chart
        from planner.plot.save import save_figure

        fig = compare_chart(table, path_df, lang, reference=reference_of(path_df))
        save_figure(fig, path.parent, path.stem)

    return {"compare.csv": csv_writer(table), "compare_paths.csv": csv_writer(path_df),
            "compare.md": write_md, "compare.png": write_chart}
