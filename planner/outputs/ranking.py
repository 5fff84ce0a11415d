"""Files of the ranked project list: ranking.csv/.xlsx/.md, the levelised-cost MAC chart
(mac_curve.png/.svg: each physical potential once) and the model-derived curve
(mac_model.csv, mac_model.png/.svg)."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from planner.analysis.mac_model import mac_model_table
from planner.analysis.ranking import Ranking, ranking
from planner.outputs.folder import write_csv
from planner.outputs.xlsx import write_xlsx
from planner.results import Result
from planner.text import to_markdown

Writers = dict[str, Callable[[Path], None]]

MD_COLS = ["rank", "project", "name", "lcoa_cny_per_t", "lcoa_first_year_cny_per_t",
           "lcoa_start_year_cny_per_t", "potential_t_per_year",
           "deliverable_potential_t_per_year", "bar_cost_cny_per_t",
           "share_deployed_target_year", "first_build_year", "entry_price_cny_per_t", "why"]


def ranking_markdown(res: Result, rk: Ranking) -> str:
    """The ranking as markdown: a note on method and carbon price (CNY/t), then the table."""
    inp, ty = res.inputs, res.target_year()
    price = res.price_in(ty)
    lines = [f"# Ranked key projects — {res.scenario.name}", "",
             f"Ranked by the vintage-levelised cost of abatement of a unit built in {ty} "
             f"(discount rate {inp.rate:.0%}); `lcoa_first_year_cny_per_t` is the first year the "
             f"project can be built, `lcoa_start_year_cny_per_t` the former start-year "
             f"({inp.start}) values. Potentials are tCO2/yr in {ty}. Entry prices: the constant "
             f"real carbon price (CNY/t) at which the plan without a target first uses the "
             f"project in {ty}. Carbon price in {ty}: {price:,.0f} CNY/t.", ""]
    if rk.curves is not None:
        c = rk.curves["central"]
        lines += [f"Model-derived MAC curve (`mac_model.csv`): {len(c.steps)} steps from the "
                  f"no-target plan ({c.no_target_t:,.0f} t in {ty}) down to the lowest "
                  f"feasible {c.lowest_t:,.0f} t; this scenario abates "
                  f"{rk.target_abatement_t:,.0f} t beyond the no-target plan, where the "
                  f"marginal cost is {rk.target_cost_cny_per_t:,.0f} CNY per discounted t.", ""]
    t = rk.table
    return "\n".join(lines) + "\n" + to_markdown(t[[c for c in MD_COLS if c in t.columns]])


def ranking_writers(res: Result, private_rate: float | None = None,
                    rk: Ranking | None = None, lang: str = "en") -> Writers:
    """The ranking files of an optimal result (none for an infeasible one)."""
    # the charts (planner's canvas; Pillow is imported only when a PNG is drawn)
    from planner.labels import load_labels
    from planner.plot.mac import bars_frame, mac_curve
    from planner.plot.mac_model import mac_model_chart
    from planner.plot.save import save_figure

    if not res.optimal:
        return {}
    rk = rk if rk is not None else ranking(res, private_rate)
    t = rk.table
    # the line drawn across the bars: the marginal cost of the target (not one year's dual)
    price = (res.headlines.get("marginal_cost_cny_per_t") or {}).get("tighten")
    if price is not None and not math.isfinite(price):
        price = None
    projects = res.inputs.projects
    labels = load_labels(res.inputs.dataset.folder)

    def mac(path: Path) -> None:
        save_figure(mac_curve(bars_frame(t), price, lang, labels=labels,
                              line_label="mac.marginal_label"), path.parent, path.stem)

    def model_chart(path: Path) -> None:
        fig = mac_model_chart(rk.curves, projects, rk.target_abatement_t,
                              rk.target_cost_cny_per_t, lang, labels=labels)
        save_figure(fig, path.parent, path.stem)

    w: Writers = {
        "ranking.csv": lambda p: write_csv(t, p),
        "ranking.xlsx": lambda p: write_xlsx({"ranking": t}, p),
        "ranking.md": lambda p: p.write_text(ranking_markdown(res, rk), encoding="utf-8"),
        "mac_curve.png": mac,
    }
    if rk.curves is not None:
        w["mac_model.csv"] = lambda p: write_csv(mac_model_table(rk.curves), p)
        w["mac_model.png"] = model_chart
    return w
