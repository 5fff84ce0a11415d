"""HTML building blocks of a report page: escaping, headers with units, tables, figures."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from planner.i18n import t
from planner.report.assets import png_data_uri
from planner.units import text_width

if TYPE_CHECKING:  # a type only: the content module imports matplotlib, which saving files
    from planner.report.content import Report  # without charts does not need


class Raw(str):
    """Text that is already HTML (not escaped again)."""


def esc(x: object) -> str:
    """`x` as HTML-escaped text (Raw passes unchanged, None becomes "")."""
    if isinstance(x, Raw):
        return str(x)
    return html.escape("" if x is None else str(x), quote=True)


_UNIT = re.compile(r"^(.*?)\s*([（(][^（()）]*[)）])$")


def header(text: str) -> str:
    """A table header; its unit in brackets is kept on one line."""
    m = _UNIT.match(text)
    if not m or not m[1] or text_width(m[2]) > 10:  # long units may wrap
        return esc(text)
    sep = "" if m[2].startswith("（") else " "
    return f'{esc(m[1])}{sep}<span class="nw">{esc(m[2])}</span>'



class Blocks:
    """The building blocks of a report page (paragraphs, notes, numbered sections, figures
    and tables) in one language; a page subclass lists its sections in ``order``."""

    def __init__(self, lang: str, images: dict[str, bytes], order: list[str]) -> None:
        self.lang = lang
        self.images = images
        self.n_fig = 0
        self.n_tab = 0
        self.order = order
        self.sections: list[str] = []

    # ---- helpers -------------------------------------------------------------------------

    def tr(self, key: str, **fmt: object) -> str:
        """The text of translation `key` in the page's language."""
        return t(key, self.lang, **fmt)

    def number(self, section: str) -> int:
        """The number (from 1) of section `section` in the page's order."""
        return self.order.index(section) + 1

    def section(self, sid: str, body: str) -> None:
        """Add section `sid` with its numbered, translated title and `body` (HTML)."""
        title = self.tr(f"report.sec.{sid}")
        self.sections.append(f'<section id="{sid}">\n<h2>{self.number(sid)}. {esc(title)}</h2>'
                             f"\n{body}\n</section>")

    def join(self, *sentences: str) -> str:
        """Sentences joined as the language writes them (Chinese: no spaces)."""
        return ("" if self.lang == "zh" else " ").join(s for s in sentences if s)

    def para(self, *sentences: str, cls: str = "") -> str:
        """`sentences` joined into one escaped HTML paragraph (optional class `cls`)."""
        klass = f' class="{cls}"' if cls else ""
        return f"<p{klass}>{esc(self.join(*sentences))}</p>"

    def note(self, text: str) -> str:
        """`text` as an escaped HTML note box."""
        return f'<div class="note">{esc(text)}</div>'

    def figure(self, stem: str, caption: str) -> str:
        """The numbered figure `stem` (PNG embedded) with `caption`; "" when there is no image."""
        png = self.images.get(stem)
        if not png:
            return ""
        self.n_fig += 1
        label = self.tr("report.figure", n=self.n_fig)
        return (f'<figure id="fig-{stem}"><img src="{png_data_uri(png)}" '
                f'alt="{esc(caption)}"><figcaption><b>{esc(label)}</b> {esc(caption)}'
                "</figcaption></figure>")

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[object]],
              align: Sequence[str] | None = None, caption: str = "",
              row_classes: Sequence[str] | None = None, cell_classes: Sequence[str] | None = None,
              details: Sequence[object] | None = None) -> str:
        """A numbered table; `details` (one per row, "" for none): text shown in a full-width
        row under its row (long explanations that would squeeze the columns)."""
        align = list(align or ["l"] * len(headers))
        extra = list(cell_classes or [""] * len(headers))
        klass = [" ".join(c for c in ("r" if a == "r" else "", e) if c)
                 for a, e in zip(align, extra, strict=True)]
        out = ['<div class="tablewrap"><table>']
        if caption:
            self.n_tab += 1
            label = self.tr("report.table", n=self.n_tab)
            out.append(f"<caption><b>{esc(label)}</b> {esc(caption)}</caption>")
        out.append("<thead><tr>" + "".join(
            f'<th class="{k}">{header(h)}</th>' if k else f"<th>{header(h)}</th>"
            for h, k in zip(headers, klass, strict=True)) + "</tr></thead><tbody>")
        for i, r in enumerate(rows):
            rc = row_classes[i] if row_classes else ""
            has_detail = bool(details and details[i])
            rc = " ".join(c for c in (rc, "main" if has_detail else "") if c)
            out.append((f'<tr class="{rc}">' if rc else "<tr>") + "".join(
                f'<td class="{k}">{esc(c)}</td>' if k else f"<td>{esc(c)}</td>"
                for c, k in zip(r, klass, strict=True)) + "</tr>")
            if has_detail:
                out.append(f'<tr class="detail"><td></td><td colspan="{len(headers) - 1}">'
                           f"{esc(details[i])}</td></tr>")  # type: ignore[index]
        out.append("</tbody></table></div>")
        return "\n".join(out)

    def cards(self, cards: list[tuple[str, str, str, str]], bad: bool = False) -> str:
        """KPI cards (label, value, unit, note) as HTML; `bad` marks them as a failure."""
        out = ['<div class="kpis">']
        for label, value, unit, note in cards:
            u = f"<small>{esc(unit)}</small>" if unit else ""
            n = f'<div class="u">{esc(note)}</div>' if note else ""
            out.append(f'<div class="kpi{" bad" if bad else ""}"><div class="k">{esc(label)}'
                       f'</div><div class="v">{esc(value)}{u}</div>{n}</div>')
        out.append("</div>")
        return "".join(out)

    def pair(self, *figures: str) -> str:
        """Figures side by side (one column on narrow screens and in print)."""
        figs = [f for f in figures if f]
        return f'<div class="pair">{"".join(figs)}</div>' if len(figs) > 1 else "".join(figs)

    def years(self, years: list[int]) -> str:
        """`years` joined by the language's list separator."""
        return t("report.list_sep", self.lang).join(str(y) for y in years)

    def span(self, years: list[int]) -> str:
        """Years with consecutive runs joined: "2025–2028, 2030"."""
        runs: list[list[int]] = []
        for y in sorted(years):
            if runs and y == runs[-1][-1] + 1:
                runs[-1].append(y)
            else:
                runs.append([y])
        return t("report.list_sep", self.lang).join(
            str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


class PageBase(Blocks):
    """The building blocks of a single-city report page (adds project cells and measure
    swatches); :class:`planner.report.html.Page` adds the sections."""

    def __init__(self, rep: Report, images: dict[str, bytes]) -> None:
        self.rep = rep
        self.res = rep.res
        self.inp = rep.res.inputs
        super().__init__(rep.lang, images, self._section_ids())

    def _section_ids(self) -> list[str]:
        rep = self.rep
        if self.res.optimal:
            ids = ["headline", "assumptions", "pathway", "sectors", "deployment", "mac",
                   "ranking", "price", "indicators", "cobenefits", "decomposition"]
            if rep.recommendations is not None:
                ids.append("recommendations")
        else:
            ids = ["headline", "assumptions", "diagnosis"]
        if rep.uncertainty is not None:
            ids.append("uncertainty")
        if rep.stringency is not None:
            ids.append("stringency")
        return [*ids, "method"]

    def swatch(self, measure: object) -> Raw:
        """A measure's colour swatch followed by its display name (HTML)."""
        colour = self.rep.colours.get(str(measure), "#999999")
        return Raw(f'<span class="sw" style="background:{esc(colour)}"></span>'
                   f"{esc(self.rep.measure(measure))}")

    def project_cell(self, project: object, measure: object = None) -> Raw:
        """The project's name, its id below; with `measure`, a colour swatch before the name
        and the measure beside the id."""
        name = self.rep.project(project)
        sw = ""
        sub = esc(project) if name != str(project) else ""
        if measure is not None:
            colour = self.rep.colours.get(str(measure), "#999999")
            sw = f'<span class="sw" style="background:{esc(colour)}"></span>'
            sub = " · ".join(s for s in (sub, esc(self.rep.measure(measure))) if s)
        return Raw(f'{sw}{esc(name)}<span class="id">{sub}</span>' if sub else sw + esc(name))
