"""Chart of the model-derived marginal abatement cost curve (planner.analysis.mac_model):
steps of the target's marginal cost per discounted tonne against target-year abatement beyond
the no-target plan, each step coloured by the measure of the project whose abatement changes
most in it, the discount-rate band shaded and the scenario's own target marked. Drawn on
planner's own canvas (:mod:`planner.plot.canvas`, no matplotlib): ``planner run`` writes it."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from planner.analysis.mac_model import MacModel
from planner.labels import Labels
from planner.plot.canvas import Circle
from planner.plot.frame import (
    INK,
    Chart,
    Entry,
    Layout,
    draw_frame,
    grid,
    new_chart,
    nice_ticks,
    place,
)
from planner.plot.palette import resolve_colours, shade
from planner.units import T_PER_MT

BAND = "#4060a0"
BAND_ALPHA = 0.18
TARGET = "#c03020"


def _steps_xy(cv: MacModel) -> tuple[np.ndarray, np.ndarray]:
    """Edges (Mt) and heights (CNY/t) of a curve's steps."""
    s = cv.steps
    x = np.concatenate([s["abatement_from_t"].to_numpy(float)[:1],
                        s["abatement_to_t"].to_numpy(float)]) / T_PER_MT
    return x, s["marginal_cost_cny_per_t"].to_numpy(float)


def _on_grid(cv: MacModel, grid: np.ndarray) -> np.ndarray:
    return np.array([cv.cost_at(g * T_PER_MT) for g in grid])


def mac_model_chart(curves: Mapping[str, MacModel], projects: pd.DataFrame,
                    target_abatement_t: float | None = None,
                    target_cost_cny_per_t: float | None = None, lang: str = "en", *,
                    colours: Mapping[str, str] | None = None, labels: Labels | None = None,
                    title: bool = True) -> Chart:
    """The model-derived MAC curve; `curves` from mac_model_bands (central, rate_low,
    rate_high); `projects` indexed by project id with a `measure` column."""
    ch = new_chart(lang, labels, 4.2)
    w = ch.words
    cv = curves["central"]
    cmap = resolve_colours(colours, projects["measure"].astype(str))
    x, h = _steps_xy(cv)
    bp = cv.by_project.copy()
    bp["size"] = bp["delta_abatement_target_year_t"].abs()
    lead = (bp.sort_values(["step", "size"], ascending=[True, False])
            .drop_duplicates("step").set_index("step")["project"])
    steps, used = [], set()
    for k in range(len(h)):
        p = lead.get(k + 1)
        m = str(projects.loc[p, "measure"]) if p is not None else ""
        used.add(m)
        steps.append((k, p, cmap.get(m, "#777777")))
    entries = [Entry(w.measure_label(m), fill=cmap[m]) for m in sorted(used) if m in cmap]
    lo, hi = curves.get("rate_low"), curves.get("rate_high")
    band: list[tuple[float, float, float, float]] = []
    if lo is not None and hi is not None and len(h):
        grid_x = np.unique(np.concatenate([x, _steps_xy(lo)[0], _steps_xy(hi)[0]]))
        grid_x = grid_x[(grid_x >= x[0]) & (grid_x <= x[-1])]
        mid = (grid_x[:-1] + grid_x[1:]) / 2
        a, b = _on_grid(lo, mid), _on_grid(hi, mid)
        for i in np.flatnonzero(np.isfinite(a) & np.isfinite(b)):
            band.append((grid_x[i], grid_x[i + 1], min(a[i], b[i]), max(a[i], b[i])))
        entries.append(Entry(w.tr("mac_model.band", low=f"{lo.rate:.0%}",
                                  high=f"{hi.rate:.0%}"), fill=BAND, alpha=BAND_ALPHA))
    target = None
    if (target_abatement_t is not None and np.isfinite(target_abatement_t)
            and target_cost_cny_per_t is not None and np.isfinite(target_cost_cny_per_t)):
        target = (target_abatement_t / T_PER_MT, float(target_cost_cny_per_t))
        entries.append(Entry(w.tr("mac_model.target"), fill=TARGET, marker=True))
    if len(h):
        xlim = (float(x[0]), float(x[-1]) * 1.01 if x[-1] > 0 else 1.0)
        top, bottom = float(np.nanmax(h)), min(0.0, float(np.nanmin(h)))
        ylim = (bottom, top * 1.08 if top > 0 else 1.0)
    else:
        xlim, ylim = (0.0, 1.0), (0.0, 1.0)
    lay = Layout(w.tr("mac_model.title", year=cv.year) if title else None,
                 w.tr("mac_model.xlabel", year=cv.year), w.tr("mac_model.ylabel"), entries,
                 max(1, min(len(entries), 4)))
    yticks = nice_ticks(*ylim, most=6)
    f = place(ch, lay, xlim, ylim, yticks)
    ch.frame, ch.legend = f, entries

    grid(ch, f, yticks)
    for k, p, c in steps:
        if not np.isfinite(h[k]):
            continue
        ch.add(f.bar(x[k], min(0.0, h[k]), x[k + 1] - x[k], abs(h[k]), fill=shade(c, 0.25),
                     stroke="white", stroke_width=0.4, gid=f"mac-model-step:{k + 1}:{p}"))
    for i, (x0, x1, y0, y1) in enumerate(band):
        ch.add(f.bar(x0, y0, x1 - x0, y1 - y0, fill=BAND, opacity=BAND_ALPHA,
                     gid=f"mac-model-band:{i}"))
    xs = np.repeat(x, 2)[1:-1]  # the steps' outline: across each step, then up or down
    ys = np.repeat(h, 2)
    finite = np.isfinite(ys)
    for run in np.split(np.arange(len(ys)), np.flatnonzero(np.diff(finite)) + 1):
        if len(run) > 1 and finite[run[0]]:  # a step without a cost breaks the outline
            ch.add(f.polyline(xs[run], ys[run], INK, 1.1))
    ch.add(f.hline(0.0, INK, 0.9))
    if target is not None:
        ch.add(Circle(f.px(target[0]), f.py(target[1]), 3.5, TARGET))
    draw_frame(ch, f, lay, yticks, nice_ticks(*xlim, most=8))
    w.warn_replaced()
    return ch
