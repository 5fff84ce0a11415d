"""Charts of `planner track`: emissions observed / planned / re-planned, and the gap by cause.

matplotlib is imported inside each function (deferred on purpose: a heavy optional import that
the analysis and the CSV outputs never need). Labels: the track.* rows of i18n/strings.csv.
"""

from __future__ import annotations

from pathlib import Path

from planner.analysis.tracking import ALL, Tracking
from planner.report.track import tt

#: the bundled CJK font (GB 2312 subset of Noto Sans CJK SC), for Chinese labels
FONT = Path(__file__).resolve().parents[1] / "fonts" / "PlannerSansSC-Regular.otf"


def _figure(lang: str):
    """A new Agg figure with fonts that can draw the language's labels."""
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    families = ["DejaVu Sans"]
    if lang == "zh" and FONT.is_file():
        font_manager.fontManager.addfont(str(FONT))
        families.append(font_manager.FontProperties(fname=FONT).get_name())
    fig = Figure(figsize=(7.5, 3.8))
    FigureCanvasAgg(fig)
    return fig, families


def emissions_chart(tr: Tracking, lang: str = "en"):
    """Observed emissions, the original plan, the re-plan and the cap (Mt CO2 by year)."""
    import matplotlib as mpl

    fig, fam = _figure(lang)
    with mpl.rc_context({"font.family": fam, "font.size": 9}):
        ax = fig.add_subplot()
        p = tr.plan.emissions
        ax.plot(p["year"], p["emissions_t"] / 1e6, color="#4477aa", label=tt("legend.plan", lang))
        if tr.replan.optimal:
            r = tr.replan.emissions
            r = r[r["year"] >= tr.actuals.as_of]
            ax.plot(r["year"], r["emissions_t"] / 1e6, color="#cc6677", ls="--",
                    label=tt("legend.replan", lang))
        obs = tr.gap[tr.gap["sector"] == ALL]
        ax.plot(obs["year"], obs["observed_t"] / 1e6, "o-", color="#222222",
                label=tt("legend.observed", lang))
        if p["cap_t"].notna().any():
            ax.step(p["year"], p["cap_t"] / 1e6, where="mid", color="#999933", lw=1,
                    label=tt("legend.cap", lang))
        ax.set_title(tt("chart.emissions", lang), loc="left")
        ax.set_xlabel(tt("axis.year", lang))
        ax.set_ylabel(tt("axis.mt", lang))
        ax.legend(frameon=False, fontsize=8)
        ax.grid(alpha=0.3)
        fig.tight_layout()
    return fig


def gap_chart(tr: Tracking, lang: str = "en"):
    """Stacked contributions to the city gap per observed year (Mt CO2): baseline,
    deployment and performance, with the gap itself as a marker."""
    import matplotlib as mpl
    import numpy as np

    fig, fam = _figure(lang)
    g = tr.gap[tr.gap["sector"] == ALL]
    x = g["year"].to_numpy()
    with mpl.rc_context({"font.family": fam, "font.size": 9}):
        ax = fig.add_subplot()
        pos = np.zeros(len(g))
        neg = np.zeros(len(g))
        for col, key, colour in (("from_baseline_t", "legend.baseline", "#ddaa33"),
                                 ("from_deployment_t", "legend.deployment", "#bb5566"),
                                 ("from_performance_t", "legend.performance", "#004488")):
            v = g[col].to_numpy() / 1e6
            bottom = np.where(v >= 0, pos, neg)
            ax.bar(x, v, bottom=bottom, color=colour, width=0.6, label=tt(key, lang))
            pos += np.where(v >= 0, v, 0)
            neg += np.where(v < 0, v, 0)
        ax.plot(x, g["gap_t"] / 1e6, "D", color="black", label=tt("legend.gap", lang))
        ax.axhline(0, color="#333333", lw=0.8)
        ax.set_xticks(x)
        ax.set_title(tt("chart.gap", lang), loc="left")
        ax.set_xlabel(tt("axis.year", lang))
        ax.set_ylabel(tt("axis.mt", lang))
        ax.legend(frameon=False, fontsize=8)
        fig.tight_layout()
    return fig


def png_bytes(fig) -> bytes:
    """The figure as PNG bytes (150 dpi, no timestamp)."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, metadata={"Software": None})
    return buf.getvalue()
