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
    # ---- ranking columns (report workbook headers) --------------------------------------
    "report.col.first_year_available": {"en": "First year available", "zh": "最早可建年份"},
    "report.col.lcoa_first_year_cny_per_t": {
        "en": "Levelised cost, first-year vintage (CNY/t CO₂)",
        "zh": "最早可建年份建设的平准化减排成本（元/吨CO₂）"},
    "report.col.lcoa_start_year_cny_per_t": {
        "en": "Levelised cost at start-year values (CNY/t CO₂)",
        "zh": "按基年参数的平准化减排成本（元/吨CO₂）"},
    "report.col.lcoa_rate_low_cny_per_t": {
        "en": "Levelised cost, discount rate − 2 points (CNY/t CO₂)",
        "zh": "贴现率减2个百分点的平准化减排成本（元/吨CO₂）"},
    "report.col.lcoa_rate_high_cny_per_t": {
        "en": "Levelised cost, discount rate + 2 points (CNY/t CO₂)",
        "zh": "贴现率加2个百分点的平准化减排成本（元/吨CO₂）"},
    "report.col.lcoa_private_first_year_cny_per_t": {
        "en": "Levelised cost, private rate, first-year vintage (CNY/t CO₂)",
        "zh": "私人折现率下最早可建年份的平准化减排成本（元/吨CO₂）"},
    "report.col.deliverable_potential_t_per_year": {
        "en": "Deliverable potential in the target year (t CO₂/yr)",
        "zh": "目标年可实现的减排潜力（吨CO₂/年）"},
    "report.col.group_role": {"en": "Role in its exclusive group", "zh": "在互斥组中的角色"},
    "report.col.incremental_over": {"en": "Incremental over", "zh": "相对于"},
    "report.col.bar_width_t_per_year": {"en": "Bar width, potential counted once (t CO₂/yr)",
                                        "zh": "柱宽（潜力只计一次，吨CO₂/年）"},
    "report.col.bar_cost_cny_per_t": {"en": "Bar cost, incremental in a group (CNY/t CO₂)",
                                      "zh": "柱高（组内为增量成本，元/吨CO₂）"},
    "report.col.exit_price_cny_per_t": {"en": "Exit carbon price (CNY/t CO₂)",
                                        "zh": "退出碳价（元/吨CO₂）"},
    "report.col.used_without_price": {"en": "Used without a carbon price", "zh": "无碳价时即采用"},
    "report.col.monotone": {"en": "Use monotone in the price", "zh": "采用随碳价单调"},
    "report.col.reason_kind": {"en": "Reason kind", "zh": "原因类型"},
    "report.col.reason_year": {"en": "Reason year", "zh": "原因对应年份"},
    "report.col.cost_cny_per_t": {"en": "Cost of a unit (CNY per discounted t CO₂)",
                                  "zh": "单位成本（元/贴现吨CO₂）"},
    "report.col.carbon_value_cny_per_t": {"en": "Carbon value (CNY per discounted t CO₂)",
                                          "zh": "碳减排价值（元/贴现吨CO₂）"},
    "report.col.shadow_rollout_cny_per_t": {"en": "Shadow value: roll-out (CNY/t CO₂)",
                                            "zh": "影子价值：推广速度（元/吨CO₂）"},
    "report.col.shadow_potential_cny_per_t": {"en": "Shadow value: potential (CNY/t CO₂)",
                                              "zh": "影子价值：潜力（元/吨CO₂）"},
    "report.col.shadow_group_cny_per_t": {"en": "Shadow value: exclusive group (CNY/t CO₂)",
                                          "zh": "影子价值：互斥组（元/吨CO₂）"},
    "report.col.shadow_sector_floor_cny_per_t": {
        "en": "Shadow value: sector floor (CNY/t CO₂)", "zh": "影子价值：部门下限（元/吨CO₂）"},
    "report.col.shadow_budget_cny_per_t": {"en": "Shadow value: budget (CNY/t CO₂)",
                                           "zh": "影子价值：投资预算（元/吨CO₂）"},
    "report.col.shadow_other_cny_per_t": {"en": "Shadow value: other limits (CNY/t CO₂)",
                                          "zh": "影子价值：其他约束（元/吨CO₂）"},
    "report.col.gap_cny_per_t": {"en": "Cost above value (CNY/t CO₂)",
                                 "zh": "成本高于价值部分（元/吨CO₂）"},
    "report.col.rollout_shadow_max_cny_per_t": {
        "en": "Largest roll-out shadow value (CNY/t CO₂)",
        "zh": "推广速度最大影子价值（元/吨CO₂）"},
    "report.col.carbon_main_year": {"en": "Year of most carbon value", "zh": "碳价值主要年份"},
    "report.col.rollout_binds_from": {"en": "Roll-out limit binds from", "zh": "推广上限约束起始年"},
    "report.col.rollout_binds_to": {"en": "Roll-out limit binds to", "zh": "推广上限约束终止年"},
    "report.col.potential_full_from": {"en": "Potential used up from", "zh": "潜力用尽年份"},
    "report.col.group_partner": {"en": "Group partner used", "zh": "同组已采用项目"},
    "report.col.budget_year": {"en": "Budget binds in", "zh": "预算受限年份"},
}

add_strings(STRINGS)
