"""The agglomeration chapter: a region run in words and tables (en/zh), as Markdown.

Reads an :class:`~planner.analysis.agglomeration.Agglomeration`; display units Mt CO₂ and 亿元
(100 million CNY), via :mod:`planner.units`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.analysis.agglomeration import (
    Agglomeration,
    compare_rules,
    coordination_gains,
    region_summary,
)
from planner.analysis.narrator import region_diagnosis_text
from planner.i18n import t
from planner.text import to_markdown
from planner.units import mt, num, pct, yi


def rule_name(rule: str, lang: str) -> str:
    return t(f"region.rule.{rule}", lang)


def transfers_name(ag: Agglomeration, lang: str) -> str:
    rs = ag.rin.scenario
    if rs.transfer_mode == "limit":
        return t("region.limit", lang, share=pct(rs.transfer_limit, 0))
    return t(f"region.{rs.transfer_mode}", lang)


def headline_lines(ag: Agglomeration, lang: str) -> list[str]:
    """The chapter's opening lines (also the terminal summary)."""
    rs = ag.rin.scenario
    out = [t("region.intro", lang, n=len(ag.names), rule=rule_name(rs.allocation, lang),
             transfers=transfers_name(ag, lang))]
    if ag.joint.optimal:
        out.append(t("region.joint_cost", lang, value=yi(ag.joint.total_cost_cny)))
    aut = ag.autarky.get(rs.allocation)
    if aut is not None and aut.optimal:
        out.append(t("region.autarky_cost", lang, value=yi(aut.total_cost_cny)))
    gains = coordination_gains(ag)
    mine = gains[gains["rule"] == rs.allocation]
    if len(mine):
        shares = ", ".join(f"{r} {yi(v)}" for r, v in zip(mine["region"],
                                                         mine["shapley_share_cny"],
                                                         strict=True))
        core = t("region.in_core" if bool(mine["in_core"].iloc[0]) else "region.not_in_core",
                 lang)
        out.append(t("region.gain", lang, value=yi(mine["coordination_gain_cny"].iloc[0]),
                     shares=shares, core=core))
    run = ag.scenario_run
    iy = ag.rin.years.index(ag.target_year)
    if not run.optimal:
        out.append(t("region.infeasible", lang))
        if ag.diagnosis is not None:
            out.append(region_diagnosis_text(rs, ag.diagnosis, lang))
    elif run.price is not None and np.isfinite(run.price[iy]):
        out.append(t("region.price", lang, year=ag.target_year,
                     value=num(run.price[iy] / ag.rin.weights[iy])))
    return out


def city_table(ag: Agglomeration, lang: str) -> pd.DataFrame:
    """Per city, scenario's rule: obligation, emissions, transfers (Mt), costs (亿 CNY)."""
    rs = ag.rin.scenario
    df = region_summary(ag)
    df = df[df["rule"] == rs.allocation]
    y = ag.target_year
    return pd.DataFrame({
        t("region.col.city", lang): df["region"],
        t("region.col.obligation", lang, year=y): [mt(v) for v in df["obligation_target_year_t"]],
        t("region.col.emissions", lang, year=y): [mt(v) for v in df["emissions_target_year_t"]],
        t("region.col.transfer", lang, year=y): [mt(v) for v in df["transfers_target_year_t"]],
        t("region.col.cost", lang): [yi(v) for v in df["cost_cny"]],
        t("region.col.payment", lang): [yi(v) for v in df["transfer_payment_cny"]],
        t("region.col.net", lang): [yi(v) for v in df["net_cost_cny"]],
        t("region.col.gain", lang): [yi(v) for v in df["gain_vs_autarky_cny"]],
    })


def rules_table(ag: Agglomeration, lang: str) -> pd.DataFrame:
    """Per allocation rule: cost without/with transfers, coordination gain (亿 CNY)."""
    df = compare_rules(ag)
    return pd.DataFrame({
        t("region.col.rule", lang): [rule_name(r, lang) for r in df["rule"]],
        t("region.col.autarky", lang): [yi(v) for v in df["autarky_cost_cny"]],
        t("region.col.with_transfers", lang): [yi(v) for v in df["cost_with_transfers_cny"]],
        t("region.col.coordination", lang): [yi(v) for v in df["gain_cny"]],
    })


def agglomeration_markdown(ag: Agglomeration, lang: str = "en") -> str:
    """The chapter as Markdown: headlines, the per-city table, the rules side by side and the
    small-multiples chart (agglomeration.png, written beside it)."""
    rs = ag.rin.scenario
    lines = [f"# {t('region.title', lang, name=rs.name)}", ""]
    lines += [f"- {s}" for s in headline_lines(ag, lang)] + [""]
    if ag.scenario_run.optimal:
        lines += [f"## {t('region.table_title', lang, rule=rule_name(rs.allocation, lang))}",
                  "", to_markdown(city_table(ag, lang)), "",
                  f"![{t('region.chart_title', lang)}](agglomeration.png)", ""]
    lines += [f"## {t('region.rules_title', lang)}", "", to_markdown(rules_table(ag, lang)), ""]
    return "\n".join(lines)


__all__ = ["agglomeration_markdown", "city_table", "headline_lines", "rules_table"]
