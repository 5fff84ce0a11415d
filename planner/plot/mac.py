"""The marginal abatement cost (MAC) curve of a ranked project list, drawn on planner's
own canvas (:mod:`planner.plot.canvas`, no matplotlib): ``planner run`` writes it on every
run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from planner.labels import Labels
from planner.plot.canvas import LINE_SPACING, Line, Text
from planner.plot.frame import (
    INK,
    Chart,
    Entry,
    Frame,
    Layout,
    draw_frame,
    grid,
    new_chart,
    nice_ticks,
    place,
)
from planner.plot.palette import largest, require, resolve_colours, shade
from planner.units import T_PER_MT

LABEL_SIZE = 7.5  # pt, the project names (shrunk to 5.5 pt where bars are narrow)
MIN_LABEL_SIZE = 5.5
LABEL_PAD = 2.9  # pt between a bar (or its leader) and its name
LABEL_GAP = 2.2  # pt between two names side by side
PRICE_SIZE = 8.0


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
) -> Chart:
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
    ch = new_chart(lang, labels, 5.0)
    w = ch.words
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
    names = [w.project_label(df["project"].iat[i],
                             df["name"].iat[i] if "name" in df else None) for i in idx]
    price = (float(carbon_price_cny_per_t) if carbon_price_cny_per_t is not None
             and np.isfinite(carbon_price_cny_per_t) else None)
    price_text = w.tr(line_label, value=price) if price is not None else ""

    # legend: the measures (the largest TOP_N by potential), then used / not used
    potential = df.groupby(df["measure"].astype(str))["potential_t_per_year"].sum()
    measures, others = largest(potential.sort_index())
    entries = [Entry(w.measure_label(m), fill=cmap[m]) for m in measures]
    if others:
        entries.append(Entry(w.other("measures", len(others))))
    if not df["used"].all():  # say what the hatching means
        entries += [Entry(w.tr("legend.used"), fill="#777777", edge="white"),
                    Entry(w.tr("legend.unused"), fill=shade("#777777", 0.6), edge="white",
                          hatch="#777777")]
    lay = Layout(w.tr("mac.title") if title else None, w.tr("mac.xlabel"), w.tr("mac.ylabel"),
                 entries, max(1, min(len(entries), 4)),
                 right=5.0 + ch.text_length(price_text, PRICE_SIZE) + 4.0 if price_text
                 else 10.0)

    lo0 = min(0.0, float(height.min()) if len(height) else 0.0)
    hi0 = max(0.0, float(height.max()) if len(height) else 1.0)
    if price is not None:
        lo0, hi0 = min(lo0, price), max(hi0, price)
    if hi0 - lo0 <= 0:
        hi0 = lo0 + 1
    xlim = (0.0, total * 1.005)
    placed = _place_labels(ch, lay, names, idx, left, width, height, lo0, hi0, xlim)
    f, size, pos, base = placed
    ch.frame, ch.legend = f, entries
    yticks = nice_ticks(*f.ylim, most=6)

    grid(ch, f, yticks)
    for i, r in enumerate(df.itertuples(index=False)):
        c = cmap[str(r.measure)]
        kw = (dict(fill=c) if r.used else dict(fill=shade(c, 0.6), hatch=c))
        ch.add(f.bar(left[i], min(0.0, height[i]), width[i], abs(height[i]), stroke="white",
                     stroke_width=0.5, gid=f"mac-bar:{r.project}", **kw))
    ch.add(f.hline(0.0, INK, 0.9))
    if price is not None:
        ch.add(f.hline(price, INK, 1.1, dash=(5.0, 3.0)))
        lines = price_text.count("\n") + 1  # centred on the line
        ch.add(Text(f.x1 + 5.0, f.py(price) + 0.36 * PRICE_SIZE
                    - (lines - 1) * LINE_SPACING * PRICE_SIZE / 2, price_text, PRICE_SIZE, INK))
    _draw_labels(ch, f, names, idx, left, width, height, size, pos, base)
    draw_frame(ch, f, lay, yticks, nice_ticks(*xlim, most=8))
    w.warn_replaced()
    return ch


def _label_thickness(size: float) -> float:
    """Width (pt) of a rotated name with its background box."""
    return 1.13 * size


def _place_labels(ch: Chart, lay: Layout, names: Sequence[str], idx: Sequence[int],
                  left: np.ndarray, width: np.ndarray, height: np.ndarray, lo0: float,
                  hi0: float, xlim: tuple[float, float]
                  ) -> tuple[Frame, float, np.ndarray, np.ndarray]:
    """The frame, the names' font size (pt), x positions and bases (data units): names above
    their bars (below, for negative costs), spread apart where bars are narrow, the y-limits
    grown to hold every name."""
    n = len(names)
    idx_a = np.asarray(idx, dtype=int)
    h = height[idx_a] if n else np.zeros(0)
    centre = (left + width / 2)[idx_a] if n else np.zeros(0)
    pos, base = centre.copy(), np.where(h >= 0, h, 0.0)
    size = LABEL_SIZE
    lo, hi = lo0, hi0
    f = place(ch, lay, xlim, (lo, hi), nice_ticks(lo, hi, most=6))
    if n == 0:
        return f, size, pos, base
    seen = None
    for _ in range(4):
        w_pt, h_pt = f.x1 - f.x0, f.y1 - f.y0
        lens = np.array([ch.text_length(s, size) for s in names])
        d_pt = _label_thickness(size) + LABEL_GAP
        if n * d_pt > w_pt and size > MIN_LABEL_SIZE:  # shrink names to fit the width
            size = max(MIN_LABEL_SIZE, size * w_pt / (n * d_pt))
            continue
        d = d_pt * f.x_per_pt
        pos = _spread(centre, d, *xlim)
        # each name sits above (below) every bar its column and leader line pass over
        base = np.empty(n)
        for i in range(n):
            a, b = min(centre[i], pos[i] - d / 2), max(centre[i], pos[i] + d / 2)
            over = (left < b) & (left + width > a)
            base[i] = (max(0.0, float(height[over].max())) if h[i] >= 0
                       else min(0.0, float(height[over].min())))
        # limits that hold every name: y_top >= base + (pad + len + 2) * span / h_pt
        margin = 0.02
        for _ in range(50):
            s = (hi - lo) / h_pt
            need_hi = max([hi0] + [base[i] + (LABEL_PAD + lens[i] + 2) * s
                                   for i in range(n) if h[i] >= 0])
            need_lo = min([lo0] + [base[i] - (LABEL_PAD + lens[i] + 2) * s
                                   for i in range(n) if h[i] < 0])
            span = need_hi - need_lo
            new_hi = need_hi + margin * span
            new_lo = need_lo - (margin * span if need_lo < 0 else 0.0)
            if abs(new_hi - hi) < 1e-9 * span and abs(new_lo - lo) < 1e-9 * span:
                break
            hi, lo = new_hi, new_lo
        f = place(ch, lay, xlim, (lo, hi), nice_ticks(lo, hi, most=6))
        now = (round(f.x0, 6), round(f.y1 - f.y0, 6), size)
        if now == seen:  # the same frame twice: the layout is settled
            break
        seen = now
    return f, size, pos, base


def _draw_labels(ch: Chart, f: Frame, names: Sequence[str], idx: Sequence[int],
                 left: np.ndarray, width: np.ndarray, height: np.ndarray, size: float,
                 pos: np.ndarray, base: np.ndarray) -> None:
    """The names (rotated, on a white box) and, where a name moved, its leader line."""
    idx_a = np.asarray(idx, dtype=int)
    s = f.y_per_pt
    eps_x = 1e-9 * (f.xlim[1] - f.xlim[0])
    for i, name in enumerate(names):
        k = idx_a[i]
        centre, hk = left[k] + width[k] / 2, height[k]
        up = hk >= 0
        sign = 1 if up else -1
        y_text = base[i] + sign * LABEL_PAD * s
        if abs(pos[i] - centre) > eps_x or abs(base[i] - hk) > 1e-9 * abs(s):
            # leader: straight up (down) out of the bar, then across to the name
            y_knee = base[i] + sign * 1.0 * s
            ch.add(Line(((f.px(centre), f.py(hk)), (f.px(centre), f.py(y_knee)),
                         (f.px(pos[i]), f.py(y_text - sign * 0.5 * s))), "#666666", 0.5))
        length = ch.text_length(name, size)
        x = f.px(pos[i]) + 0.245 * size  # the rotated name centred on its column
        y = f.py(y_text) if up else f.py(y_text) + length
        ch.add(Text(x, y, name, size, INK, rotate=90, background="#ffffff",
                    background_alpha=0.85))
