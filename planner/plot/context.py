"""The text side of one chart: language, fonts, rc style and label fallbacks.

A :class:`ChartText` is made per chart. It translates keys through :mod:`planner.i18n`, names
ids through :mod:`planner.labels`, and replaces any text no available font can draw (a
Chinese name without a CJK font, a rare character) by its id, with one warning, so text never
renders as empty boxes silently.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib as mpl
from matplotlib.figure import Figure

from planner.i18n import t
from planner.labels import Labels, display
from planner.plot import fonts
from planner.plot.fonts import LATIN_FAMILY, CJKFontWarning, glyph_guard

PNG_DPI = 180

_MATH_CHARS = re.compile(r"([$])")


def lay_out(fig: Figure) -> None:
    """Compute the figure's layout (axes positions) without drawing it: enough to measure
    axes and text in pixels, at a fraction of a full draw."""
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)


class ChartText:
    """Languages, fonts and label fallbacks for one chart."""

    def __init__(self, lang: str, labels: Labels | None = None) -> None:
        if lang not in ("en", "zh"):
            raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")
        found = fonts.find_cjk_fonts()
        if not found:
            fonts.warn_no_cjk_once()
        self.requested = lang
        self.lang = lang if found else "en"
        self.labels = labels
        self.families = [LATIN_FAMILY, *dict.fromkeys(fam for fam, _ in found)]
        cover: set[int] = set(fonts.charmap(fonts.latin_font_path()))
        for _, path in found:
            cover |= fonts.charmap(path)
        self.coverage = cover
        # True once some text was replaced: then matplotlib's glyph warnings are expected
        # to be impossible, and any left are suppressed.
        self.fallback = not found
        self.replaced: list[str] = []

    def tr(self, key: str, **fmt: object) -> str:
        """The i18n string `key` in the chart's language."""
        return t(key, self.lang, **fmt)

    def renderable(self, text: str) -> bool:
        """Whether every character of `text` can be drawn."""
        return all(ch.isspace() or ord(ch) in self.coverage for ch in text)

    def safe(self, text: object, fallback: object | None = None) -> str:
        """``text`` if every character can be drawn, else ``fallback`` (or an ASCII form)."""
        s = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
        if not self.renderable(s):
            self.replaced.append(s)
            self.fallback = True
            alt = str(fallback) if fallback is not None else ""
            if not alt or not self.renderable(alt):
                alt = s.encode("ascii", "replace").decode("ascii")
            s = alt
        return _MATH_CHARS.sub(r"\\\1", s)

    def project_label(self, project: object, name: object = None) -> str:
        """A project's display name (labels.csv, else `name`, else the id) that can be drawn."""
        return self.safe(display("project", project, self.lang, self.labels, name),
                         fallback=project)

    def measure_label(self, measure: object) -> str:
        """A measure's display name that can be drawn."""
        return self.safe(display("measure", measure, self.lang, self.labels), fallback=measure)

    def sector_label(self, sector: object) -> str:
        """A sector's display name that can be drawn."""
        return self.safe(display("sector", sector, self.lang, self.labels), fallback=sector)

    def other(self, kind: str, n: int) -> str:
        """"Other N projects" (measures, sectors): the label of the items grouped together."""
        return self.tr(f"legend.other_{kind}", n=n)

    def warn_replaced(self) -> None:
        """Warn once per chart about labels that fell back to their ids."""
        if self.replaced and fonts.cjk_font_available():
            shown = ", ".join(sorted(set(self.replaced))[:5])
            warnings.warn(
                f"planner.plot: no available font has every character of {shown!r}; "
                "those labels fall back to their ids.",
                CJKFontWarning,
                stacklevel=3,
            )

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

