"""English/Chinese strings of the ranked project list: exact reasons, new columns and the
model-derived MAC chart. Registered into :mod:`planner.i18n` on import (kept apart so that
the move of planner.i18n to a data file can merge them as one block)."""

from __future__ import annotations

from planner.i18n import add_strings

STRINGS: dict[str, dict[str, str]] = {
    # ---- exact reasons (planner.analysis.reason_text) ---------------------------------
    "rk.unavailable": {"en": "not available within the horizon", "zh": "规划期内无法实施"},
    "rk.start": {"en": "starts {year}: cost {cost} CNY/t against a carbon value of {value} "
                       "CNY/t{main}",
                 "zh": "{year}年开始建设：成本{cost}元/吨，碳减排价值{value}元/吨{main}"},
    "rk.start_free": {"en": "starts {year} without a carbon price: cost {cost} CNY/t",
                      "zh": "{year}年开始建设，无需碳价：成本{cost}元/吨"},
    "rk.main": {"en": ", mostly from the {year} price", "zh": "，主要来自{year}年的碳价"},
    "rk.not_used": {"en": "not used: cost {cost} CNY/t exceeds the carbon value of {value} "
                          "CNY/t by {gap} CNY/t (closest in {year})",
                    "zh": "未采用：成本{cost}元/吨，比碳减排价值{value}元/吨高{gap}元/吨"
                          "（{year}年最接近）"},
    "rk.start_pays": {"en": "starts {year}: it pays for itself (cost {cost} CNY/t)",
                      "zh": "{year}年开始建设：收益可覆盖成本（成本{cost}元/吨）"},
    "rk.rollout": {"en": "its roll-out limit of {value} {unit} per year binds {years}",
                   "zh": "其每年{value} {unit}的推广速度上限在{years}起约束作用"},
    "rk.rollout_early": {"en": "its roll-out limit of {value} {unit} per year binds {years}, "
                               "so starting later would miss the target in {year}",
                         "zh": "其每年{value} {unit}的推广速度上限在{years}起约束作用，"
                               "推迟启动将无法实现{year}年的目标"},
    "rk.potential": {"en": "its potential of {value} {unit} is used up from {year}",
                     "zh": "其{value} {unit}的潜力自{year}年起已用尽"},
    "rk.group": {"en": "it shares its base with {other} (group '{group}')",
                 "zh": "与{other}共用同一潜力（“{group}”组）"},
    "rk.group_alone": {"en": "its group '{group}' limits it", "zh": "受“{group}”组共用潜力限制"},
    "rk.floor": {"en": "sector {sector} has no emissions left to cut",
                 "zh": "{sector}部门已无可减排放"},
    "rk.budget": {"en": "the investment budget binds in {year}", "zh": "{year}年投资预算受限"},
    "rk.budget_any": {"en": "the investment budget binds", "zh": "投资预算受限"},
    "rk.other": {"en": "other limits ({value} CNY/t)", "zh": "其他约束（{value}元/吨）"},
    "rk.shadow": {"en": " ({value} CNY/t)", "zh": "（{value}元/吨）"},
    "rk.years_one": {"en": "in {a}", "zh": "{a}年"},
    "rk.years_span": {"en": "every year {a}–{b}", "zh": "{a}–{b}年每年"},
    # ---- model-derived MAC curve (planner.plot.mac_model) -------------------------------
    "mac_model.title": {"en": "Model-derived marginal abatement cost, {year}",
                        "zh": "模型推导的边际减排成本（{year}年）"},
    "mac_model.xlabel": {"en": "Abatement in {year} beyond the no-target plan (Mt CO₂)",
                         "zh": "{year}年相对无目标方案的减排量（百万吨CO₂）"},
    "mac_model.ylabel": {"en": "Marginal cost of the target (CNY per discounted t CO₂)",
                         "zh": "目标的边际成本（元/贴现吨CO₂）"},
    "mac_model.band": {"en": "Discount rate {low}–{high}", "zh": "贴现率{low}–{high}"},
    "mac_model.target": {"en": "This scenario's target", "zh": "本情景目标"},
    "mac_model.bars_title": {"en": "Levelised cost, {year} vintage",
                             "zh": "平准化减排成本（{year}年建设）"},
}

add_strings(STRINGS)
