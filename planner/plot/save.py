"""Saving a chart: PNG and deterministic SVG side by side."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from planner.plot.frame import Chart


def save_figure(fig: Figure | Chart, out_dir: Path | str, stem: str) -> list[Path]:
    """Write ``stem.png`` (180 dpi) and ``stem.svg`` into ``out_dir``, close the figure and
    return both paths. The SVG is deterministic (fixed hash salt, no date). A chart drawn on
    planner's canvas (:class:`planner.plot.frame.Chart`) saves itself; matplotlib is imported
    only for a matplotlib figure."""
    from planner.plot.frame import Chart

    if isinstance(fig, Chart):
        return fig.save(out_dir, stem)
    import matplotlib as mpl

    from planner.plot.context import PNG_DPI
    from planner.plot.fonts import glyph_guard

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    png, svg = out / f"{stem}.png", out / f"{stem}.svg"
    rc = {"svg.hashsalt": "planner", "svg.fonttype": "path", "savefig.facecolor": "white"}
    with mpl.rc_context(rc), glyph_guard(fig):
        fig.savefig(png, format="png", dpi=PNG_DPI, metadata={"Software": None})
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)
    return [png, svg]
