"""The words of one chart: its language, translated strings, display names, and fallbacks
for text its fonts cannot draw — without any drawing library.

:class:`ChartWords` translates keys through :mod:`planner.i18n`, names ids through
:mod:`planner.labels`, and replaces any text no font of the chart can draw (a Chinese name
without a CJK font, a rare character) by its id, with one warning, so text never renders as
empty boxes silently. :class:`planner.plot.context.ChartText` adds matplotlib's fonts and
style; the charts of :mod:`planner.plot.canvas` use it with planner's own fonts.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable

from planner.i18n import t
from planner.labels import Labels, display
from planner.plot import fonts
from planner.plot.fonts import CJKFontWarning


class ChartWords:
    """Language, strings and label fallbacks of one chart.

    `cjk_fonts`: (family, file) of the CJK fonts the chart draws with (none: Chinese text is
    replaced, the language falls back to English, and one :class:`CJKFontWarning` is issued
    per process); `coverage`: every code point some font of the chart can draw.
    """

    def __init__(self, lang: str, labels: Labels | None,
                 cjk_fonts: Iterable[tuple[str, str]], coverage: Iterable[int]) -> None:
        if lang not in ("en", "zh"):
            raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")
        found = tuple(cjk_fonts)
        if not found:
            fonts.warn_no_cjk_once()
        self.requested = lang
        self.lang = lang if found else "en"
        self.labels = labels
        self.cjk_fonts = found
        self.coverage = frozenset(coverage)
        # True once some text was replaced: then glyph warnings are expected to be
        # impossible, and any left are suppressed.
        self.fallback = not found
        self.replaced: list[str] = []

    def tr(self, key: str, **fmt: object) -> str:
        """The i18n string `key` in the chart's language."""
        return t(key, self.lang, **fmt)

    def renderable(self, text: str) -> bool:
        """Whether every character of `text` can be drawn."""
        return all(ch.isspace() or ord(ch) in self.coverage for ch in text)

    def escape(self, text: str) -> str:
        """`text` as the drawing library must be given it (here: unchanged)."""
        return text

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
        return self.escape(s)

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
        if self.replaced and self.cjk_fonts:
            shown = ", ".join(sorted(set(self.replaced))[:5])
            warnings.warn(
                f"planner.plot: no available font has every character of {shown!r}; "
                "those labels fall back to their ids.",
                CJKFontWarning,
                stacklevel=3,
            )
