"""The text side of one chart: language, fonts, rc style and label fallbacks.

A :class:`ChartText` is made per matplotlib chart: the words of
:class:`planner.plot.words.ChartWords` (translations, display names, fallbacks for text no font
can draw) with matplotlib's fonts and rc style.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib as mpl
from matplotlib.figure import Figure

from planner.labels import Labels
from planner.plot import fonts
from planner.plot.fonts import LATIN_FAMILY, glyph_guard
from planner.plot.words import ChartWords

PNG_DPI = 180

_MATH_CHARS = re.compile(r"([$])")


def lay_out(fig: Figure) -> None:
    """Compute the figure's layout (axes positions) without drawing it: enough to measure
    axes and text in pixels, at a fraction of a full draw."""
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)


class ChartText(ChartWords):
    """Languages, fonts and label fallbacks of one matplotlib chart: the CJK fonts are the
    bundled one and installed ones (:func:`planner.plot.fonts.find_cjk_fonts`)."""

    def __init__(self, lang: str, labels: Labels | None = None) -> None:
        found = fonts.find_cjk_fonts()
        cover: set[int] = set(fonts.charmap(fonts.latin_font_path()))
        for _, path in found:
            cover |= fonts.charmap(path)
        super().__init__(lang, labels, found, cover)
        self.families = [LATIN_FAMILY, *dict.fromkeys(fam for fam, _ in found)]

    def escape(self, text: str) -> str:
        """`text` with matplotlib's mathtext markers escaped."""
        return _MATH_CHARS.sub(r"\\\1", text)

    def rc(self) -> dict[str, object]:
        """matplotlib rc parameters of planner's charts in this chart's fonts."""
        return {
            "font.family": self.families,
            "font.size": 9,
            "axes.titlesize": 10.5,
            "axes.titlelocation": "left",
            "axes.titlepad": 8,
            "axes.labelsize": 9,
            "axes.linewidth": 0.8,
            "axes.edgecolor": "#333333",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.axisbelow": True,
            "axes.grid": False,
            "grid.color": "#dddddd",
            "grid.linewidth": 0.6,
            "xtick.labelsize": 8.5,
            "ytick.labelsize": 8.5,
            "xtick.color": "#333333",
            "ytick.color": "#333333",
            "legend.fontsize": 8,
            "legend.title_fontsize": 8.5,
            "legend.frameon": False,
            "legend.handlelength": 1.6,
            "figure.titlesize": 10.5,
            "figure.dpi": 100,
            "savefig.dpi": PNG_DPI,
            "savefig.facecolor": "white",
            "svg.hashsalt": "planner",
            "svg.fonttype": "path",
            "pdf.fonttype": 42,
            "hatch.linewidth": 0.6,
            "axes.unicode_minus": True,
        }

    @contextmanager
    def style(self) -> Iterator[ChartText]:
        """Draw inside this block to use the chart's fonts and style."""
        with mpl.rc_context(self.rc()):
            yield self

    def finish(self, fig: Figure) -> Figure:
        """Lay the figure out (creating tick labels with this chart's fonts) and mark it."""
        fig._planner_fallback = self.fallback  # type: ignore[attr-defined]
        with glyph_guard(fig):
            lay_out(fig)
        # the layout is final: keep it, so that saving (PNG and SVG) does not compute it again
        fig.set_layout_engine("none")
        self.warn_replaced()
        return fig

