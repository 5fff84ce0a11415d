"""The marginal abatement cost (MAC) curve of a ranked project list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.transforms import blended_transform_factory

from planner.labels import Labels
from planner.plot.context import ChartText, lay_out
from planner.plot.style import (
    largest,
    new_figure,
    require,
    resolve_colours,
    set_title,
    shade,
    thousands,
)
from planner.units import T_PER_MT


def _spread(targets: Sequence[float], d: float, lo: float, hi: float) -> np.ndarray:
    """Positions near ``targets`` (same order) at least ``d`` apart within ``[lo, hi]``."""
    targets = np.asarray(targets, dtype=float)
    n = len(targets)
    if n == 0:
        return targets
    d = min(d, (hi - lo) / n)
    order = np.argsort(targets, kind="stable")

    def start_of(total: float, count: int) -> float:
        s = total / count - (count - 1) * d / 2
        return float(min(max(s, lo + d / 2), hi - d / 2 - (count - 1) * d))

    clusters: list[list] = []  # [sum of targets, members, start]
    for i in order:
        clusters.append([targets[i], [i], start_of(targets[i], 1)])
        while len(clusters) > 1:
            a, b = clusters[-2], clusters[-1]
            if a[2] + len(a[1]) * d <= b[2] + 1e-12:
                break
            total, members = a[0] + b[0], a[1] + b[1]
            clusters[-2:] = [[total, members, start_of(total, len(members))]]
    pos = np.empty(n)
    for _, members, start in clusters:
        for k, i in enumerate(members):
            pos[i] = start + k * d
    return pos


def bars_frame(table: pd.DataFrame) -> pd.DataFrame:
    """A ranking (planner.analysis.ranking.rank) as MAC-chart bars: width = each physical
    potential once (``bar_width_t_per_year``), height = the bar's cost
    (``bar_cost_cny_per_t``: the incremental cost for an increment over a cheaper member of its
    exclusive group). A table without these columns is returned as it is."""
    if not {"bar_width_t_per_year", "bar_cost_cny_per_t"} <= set(table.columns):
        return table
    return (table.assign(potential_t_per_year=table["bar_width_t_per_year"],
                         lcoa_cny_per_t=table["bar_cost_cny_per_t"])
            .dropna(subset=["lcoa_cny_per_t"]))


def mac_curve(
    ranking: pd.DataFrame,
    carbon_price_cny_per_t: float | None = None,
    lang: str = "en",
    *,
    colours: Mapping[str, str] | None = None,
    labels: Labels | None = None,
    title: bool = True,
    line_label: str = "mac.price_label",
) -> Figure:
    """Marginal abatement cost curve.

    One bar per project, sorted by levelised cost of abatement: width = annual abatement
    potential (Mt CO₂/yr), height = cost (CNY/t CO₂), colour = measure. Projects not used in
    the least-cost plan are lighter and hatched. A dashed line marks the carbon price (or,
    with ``line_label="mac.marginal_label"``, the marginal cost of the target).
    Labels are rotated project names (of the widest TOP_N bars); where bars are too narrow
    for their labels, the labels are spread apart and joined to their bars by leader lines.
    """
    require(ranking, ["project", "measure", "lcoa_cny_per_t", "potential_t_per_year"],
             "ranking")
    ctx = ChartText(lang, labels)
    df = ranking.copy()
    df = df[np.isfinite(df["lcoa_cny_per_t"].astype(float))
            & (df["potential_t_per_year"].astype(float) > 0)]
    df = df.sort_values(["lcoa_cny_per_t", "project"], kind="stable").reset_index(drop=True)
    if "used" not in df:
        df["used"] = True
    df["used"] = df["used"].fillna(False).astype(bool)
    cmap = resolve_colours(colours, ranking["measure"].astype(str))
    width = df["potential_t_per_year"].to_numpy(float) / T_PER_MT
    height = df["lcoa_cny_per_t"].to_numpy(float)
    left = np.concatenate([[0.0], np.cumsum(width)[:-1]])
    total = float(width.sum()) if len(width) else 1.0
    # name the TOP_N widest bars (all of them in a small dataset)
    shown, _ = largest(pd.Series(width, index=[str(i) for i in range(len(df))]))
    idx = [int(i) for i in shown]
    names = [ctx.project_label(df["project"].iat[i],
                               df["name"].iat[i] if "name" in df else None) for i in idx]

    with ctx.style():
        fig = new_figure(5.0)
        ax = fig.add_subplot()
        ax.grid(axis="y")
        for i, r in enumerate(df.itertuples(index=False)):
            c = cmap[str(r.measure)]
            if r.used:
                kw = dict(facecolor=c, edgecolor="white", linewidth=0.5)
            else:
                kw = dict(facecolor=shade(c, 0.6), edgecolor="white", hatchcolor=c,
                          hatch="////", linewidth=0.5)
            rect = Rectangle((left[i], min(0.0, height[i])), width[i], abs(height[i]), **kw)
            rect.set_gid(f"mac-bar:{r.project}")
            ax.add_patch(rect)
        ax.axhline(0, color="#222222", lw=0.9, zorder=3)
        ax.set_xlim(0, total * 1.005)
        ax.set_xlabel(ctx.tr("mac.xlabel"))
        ax.set_ylabel(ctx.tr("mac.ylabel"))
        thousands(ax)
        set_title(ax, ctx.tr("mac.title"), title)

        if carbon_price_cny_per_t is not None and np.isfinite(carbon_price_cny_per_t):
            p = float(carbon_price_cny_per_t)
            ax.axhline(p, color="#222222", lw=1.1, ls=(0, (5, 3)), zorder=4)
            ax.annotate(ctx.tr(line_label, value=p), xy=(1, p),
                        xycoords=blended_transform_factory(ax.transAxes, ax.transData),
                        xytext=(5, 0), textcoords="offset points", ha="left", va="center",
                        fontsize=8, annotation_clip=False)

        # legend: the measures (the largest TOP_N by potential), then used / not used
        potential = df.groupby(df["measure"].astype(str))["potential_t_per_year"].sum()
        measures, others = largest(potential.sort_index())
        handles = [Patch(facecolor=cmap[m], edgecolor="none", label=ctx.measure_label(m))
                   for m in measures]
        if others:
            handles.append(Patch(visible=False, label=ctx.other("measures", len(others))))
        if not df["used"].all():  # say what the hatching means
            handles += [
                Patch(facecolor="#777777", edgecolor="white", label=ctx.tr("legend.used")),
                Patch(facecolor=shade("#777777", 0.6), hatch="////", edgecolor="white",
                      hatchcolor="#777777", label=ctx.tr("legend.unused")),
            ]
        fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4))

        lo0 = min(0.0, float(height.min()) if len(height) else 0.0)
        hi0 = max(0.0, float(height.max()) if len(height) else 1.0)
        if carbon_price_cny_per_t is not None and np.isfinite(carbon_price_cny_per_t):
            lo0, hi0 = min(lo0, carbon_price_cny_per_t), max(hi0, carbon_price_cny_per_t)
        if hi0 - lo0 <= 0:
            hi0 = lo0 + 1
        ax.set_ylim(lo0, hi0)
        _place_mac_labels(fig, ax, names, idx, left, width, height, lo0, hi0)
        return ctx.finish(fig)


def _place_mac_labels(fig, ax, names, idx, left, width, height, lo0, hi0) -> None:
    """Place `names` (of the bars `idx`) above their bars, spread apart where bars are
    narrow, joined to them by leader lines; the y-limits grow to hold every label."""
    n = len(names)
    if n == 0:
        return
    fontsize = 7.5
    texts = [ax.text(0, 0, s, rotation=90, rotation_mode="anchor", fontsize=fontsize,
                     ha="left", va="center", color="#222222", zorder=6,
                     bbox=dict(boxstyle="square,pad=0.08", fc="white", ec="none", alpha=0.85))
             for s in names]
    idx = np.asarray(idx, dtype=int)
    h = height[idx]
    centre = (left + width / 2)[idx]
    xlo, xhi = ax.get_xlim()
    pad_px, gap_px = 4.0, 3.0
    pos = centre.copy()
    base = np.where(h >= 0, h, 0.0)
    r = fig.canvas.get_renderer()
    seen = None
    for _ in range(3):
        lay_out(fig)
        bb = ax.get_window_extent(r)
        w_px, h_px = bb.width, bb.height
        ext = [tx.get_window_extent(r) for tx in texts]
        lens = np.array([e.height for e in ext])  # rotated: the text's length is vertical
        thick = max(e.width for e in ext)
        now = (w_px, h_px, thick, tuple(lens))
        if now == seen:  # the same measures give the same limits: the layout is settled
            break
        seen = now
        d_px = thick + gap_px
        if n * d_px > w_px and fontsize > 5.5:  # shrink labels to fit the width
            fontsize = max(5.5, fontsize * w_px / (n * d_px))
            for tx in texts:
                tx.set_fontsize(fontsize)
            continue
        x_per_px = (xhi - xlo) / w_px
        d = d_px * x_per_px
        pos = _spread(centre, d, xlo, xhi)
        # each label sits above (below, for negative costs) every bar its column and leader
        # line pass over
        base = np.empty(n)
        for i in range(n):
            a = min(centre[i], pos[i] - d / 2)
            b = max(centre[i], pos[i] + d / 2)
            over = (left < b) & (left + width > a)
            if h[i] >= 0:
                base[i] = max(0.0, float(height[over].max()))
            else:
                base[i] = min(0.0, float(height[over].min()))
        # solve for limits that hold every label: y_top >= base + (pad + len) * span / h_px
        lo, hi = lo0, hi0
        margin = 0.02
        for _ in range(50):
            s = (hi - lo) / h_px
            need_hi = max([hi0] + [base[i] + (pad_px + lens[i] + 2) * s
                                   for i in range(n) if h[i] >= 0])
            need_lo = min([lo0] + [base[i] - (pad_px + lens[i] + 2) * s
                                   for i in range(n) if h[i] < 0])
            span = need_hi - need_lo
            new_hi = need_hi + margin * span
            new_lo = need_lo - (margin * span if need_lo < 0 else 0.0)
            if abs(new_hi - hi) < 1e-9 * span and abs(new_lo - lo) < 1e-9 * span:
                break
            hi, lo = new_hi, new_lo
        ax.set_ylim(lo, hi)
    lay_out(fig)
    s = np.diff(ax.get_ylim())[0] / ax.get_window_extent().height
    for i, tx in enumerate(texts):
        up = h[i] >= 0
        sign = 1 if up else -1
        y_text = base[i] + sign * pad_px * s
        tx.set_position((pos[i], y_text))
        tx.set_horizontalalignment("left" if up else "right")
        tx.set_verticalalignment("center")
        eps = 1e-9 * (xhi - xlo)
        if abs(pos[i] - centre[i]) > eps or abs(base[i] - h[i]) > 1e-9 * abs(s):
            # leader: straight up (down) out of the bar, then across to the label
            y_knee = base[i] + sign * 1.0 * s
            xs = [centre[i], centre[i], pos[i]]
            ys = [h[i], y_knee, y_text - sign * 0.5 * s]
            ax.add_line(Line2D(xs, ys, color="#666666", lw=0.5, zorder=5))

