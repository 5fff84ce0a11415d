"""English/Chinese strings for charts and reports.

Every user-visible label lives in :data:`STRINGS` as ``key -> {"en": ..., "zh": ...}``.
Look one up with :func:`t`; placeholders in ``{braces}`` are filled from keyword arguments::

    t("axis.year", "zh")                          # "年份"
    t("mac.price_label", "en", value=120)         # "Carbon price: 120 CNY/t"

To add strings, add entries to ``STRINGS`` below (keep both languages) or, from another
module, call :func:`add_strings`. An unknown key raises ``KeyError``; an unknown language
raises ``ValueError``.

Units follow one convention: emissions in Mt CO₂ (百万吨CO₂), costs per tonne in
CNY/t CO₂ (元/吨CO₂), totals in 100 million CNY (亿元).
"""

from __future__ import annotations

from collections.abc import Mapping

LANGS: tuple[str, ...] = ("en", "zh")

STRINGS: dict[str, dict[str, str]] = {
    # ---- shared axis labels -------------------------------------------------------------
    "axis.year": {"en": "Year", "zh": "年份"},
    "axis.emissions_mt": {"en": "Emissions (Mt CO₂)", "zh": "排放量（百万吨CO₂）"},
    "axis.cap_mt": {"en": "Emissions cap (Mt CO₂)", "zh": "排放上限（百万吨CO₂）"},
    "axis.peak_year": {"en": "Peak year", "zh": "达峰年份"},
    "axis.peak_mt": {"en": "Peak emissions (Mt CO₂)", "zh": "峰值排放（百万吨CO₂）"},
    "axis.cost_yi": {"en": "Total cost (100 million CNY)", "zh": "总成本（亿元）"},
    "axis.price": {"en": "Carbon price (CNY/t CO₂)", "zh": "碳价（元/吨CO₂）"},
    # ---- shared legend entries -------------------------------------------------------------
    "legend.bau": {"en": "Business as usual (BAU)", "zh": "基准情景（BAU）"},
    "legend.optimal": {"en": "Least-cost pathway", "zh": "最低成本路径"},
    "legend.cap": {"en": "Emissions cap", "zh": "排放上限"},
    "legend.peak": {"en": "Peak", "zh": "峰值"},
    "legend.net": {"en": "Net emissions", "zh": "净排放"},
    "legend.infeasible": {"en": "Infeasible", "zh": "不可行"},
    "legend.error": {"en": "Solver error", "zh": "求解出错"},
    "legend.peak_by": {"en": "Peak by {year}", "zh": "{year}年达峰"},
    "legend.measure": {"en": "Measure", "zh": "措施"},
    "legend.project": {"en": "Abatement by project", "zh": "各项目减排量"},
    "legend.sector": {"en": "Sector", "zh": "部门"},
    "legend.scenario": {"en": "Scenario", "zh": "情景"},
    "legend.used": {"en": "Used in least-cost plan", "zh": "纳入最低成本方案"},
    "legend.unused": {"en": "Not used (hatched)", "zh": "未采用（斜线）"},
    "legend.price_central": {"en": "Carbon price", "zh": "碳价"},
    "legend.price_band": {"en": "Low–high range", "zh": "低–高区间"},
    "legend.min_peak": {"en": "Lowest achievable peak", "zh": "可实现的最低峰值"},
    "legend.bau_peak": {"en": "BAU peak", "zh": "基准情景峰值"},
    "legend.reduction": {"en": "Reduction below BAU peak", "zh": "相对基准峰值的降幅"},
    "legend.no_result": {"en": "Not run", "zh": "未计算"},
    "chart.no_data": {"en": "No data to show", "zh": "无可显示的数据"},
    # ---- marginal abatement cost curve --------------------------------------------------
    "mac.title": {"en": "Marginal abatement cost curve", "zh": "边际减排成本曲线"},
    "mac.xlabel": {
        "en": "Annual abatement potential (Mt CO₂/yr)",
        "zh": "年减排潜力（百万吨CO₂/年）",
    },
    "mac.ylabel": {
        "en": "Levelised cost of abatement (CNY/t CO₂)",
        "zh": "平准化减排成本（元/吨CO₂）",
    },
    "mac.price_label": {
        "en": "Carbon price:\n{value:,.0f} CNY/t",
        "zh": "碳价：\n{value:,.0f} 元/吨",
    },
    # ---- emissions pathway --------------------------------------------------------------
    "pathway.title": {
        "en": "Emissions pathway and abatement by project",
        "zh": "排放路径与各项目减排量",
    },
    "pathway.peak_label": {
        "en": "Peak {year}: {value:.1f} Mt",
        "zh": "{year}年达峰：{value:.1f} 百万吨",
    },
    "pathway.rising_label": {
        "en": "No peak by {year}: {value:.1f} Mt and rising",
        "zh": "{year}年前未达峰：{value:.1f} 百万吨，仍在上升",
    },
    # ---- sector emissions ---------------------------------------------------------------
    "sector.title": {"en": "Emissions by sector", "zh": "分部门排放"},
    # ---- deployment timeline ------------------------------------------------------------
    "deploy.title": {"en": "Deployment of key projects", "zh": "重点项目部署进度"},
    "deploy.cbar": {
        "en": "Installed stock as share of potential (%)",
        "zh": "累计部署量占潜力比例（%）",
    },
    # ---- carbon price -------------------------------------------------------------------
    "price.title": {
        "en": "Carbon price (shadow price of the emissions cap)",
        "zh": "碳价（排放上限的影子价格）",
    },
    # ---- sweeps and frontier ------------------------------------------------------------
    "sweep.cost_title": {"en": "Total cost versus emissions cap", "zh": "总成本随排放上限的变化"},
    "sweep.price_title": {"en": "Carbon price versus emissions cap", "zh": "碳价随排放上限的变化"},
    "sweep.heatmap_title": {
        "en": "Total cost by peak year and emissions cap",
        "zh": "不同达峰年份与排放上限下的总成本",
    },
    "frontier.title": {
        "en": "Lowest achievable peak by peak year",
        "zh": "不同达峰年份可实现的最低峰值",
    },
    # ---- scenario comparison ------------------------------------------------------------
    "compare.title": {"en": "Scenario comparison", "zh": "情景对比"},
    "compare.paths": {"en": "Emissions pathways", "zh": "排放路径"},
    "compare.cost": {"en": "Total cost", "zh": "总成本"},
    "compare.failed_note": {"en": "Not solved: {items}", "zh": "未求解成功：{items}"},
    "compare.reference": {"en": "{name} (reference)", "zh": "{name}（参照）"},
    # ---- solver status ------------------------------------------------------------------
    "status.optimal": {"en": "optimal", "zh": "最优"},
    "status.infeasible": {"en": "infeasible", "zh": "不可行"},
    "status.error": {"en": "error", "zh": "出错"},
    "status.unknown": {"en": "no result", "zh": "无结果"},
    # ---- common sector ids (charts fall back to the raw id for others) ------------------
    "sector.industry": {"en": "Industry", "zh": "工业"},
    "sector.power": {"en": "Power", "zh": "电力"},
    "sector.energy": {"en": "Energy supply", "zh": "能源供应"},
    "sector.buildings": {"en": "Buildings", "zh": "建筑"},
    "sector.transport": {"en": "Transport", "zh": "交通"},
    "sector.agriculture": {"en": "Agriculture", "zh": "农业"},
    "sector.waste": {"en": "Waste", "zh": "废弃物"},
    "sector.forestry": {"en": "Forestry (sink)", "zh": "林业碳汇"},
    "sector.sink": {"en": "Carbon sinks", "zh": "碳汇"},
    "sector.residential": {"en": "Residential", "zh": "居民生活"},
    "sector.commercial": {"en": "Commercial", "zh": "商业"},
    # ---- common measure ids (charts fall back to the raw id for others) -----------------
    "measure.efficiency": {"en": "Energy efficiency", "zh": "节能提效"},
    "measure.renewables": {"en": "Renewable energy", "zh": "可再生能源"},
    "measure.fuel_switch": {"en": "Fuel switching", "zh": "燃料替代"},
    "measure.electrification": {"en": "Electrification", "zh": "电气化"},
    "measure.sinks": {"en": "Carbon sinks", "zh": "碳汇"},
    "measure.ccus": {"en": "CCUS", "zh": "碳捕集利用与封存"},
    "measure.structure": {"en": "Structural change", "zh": "结构调整"},
    "measure.transport": {"en": "Green transport", "zh": "绿色交通"},
    "measure.buildings": {"en": "Green buildings", "zh": "绿色建筑"},
    # ---- ids of the bundled Zhuzhou dataset --------------------------------------------
    "sector.power_heat": {"en": "Power and heat", "zh": "电力与热力"},
    "measure.industrial_efficiency": {"en": "Industrial efficiency", "zh": "工业节能提效"},
    "measure.energy_supply": {"en": "Clean energy supply", "zh": "能源供给低碳化"},
    "measure.urban_low_carbon": {"en": "Buildings and transport", "zh": "建筑与交通低碳化"},
    "measure.carbon_sink": {"en": "Carbon sinks", "zh": "碳汇"},
    "status.feasible": {"en": "feasible", "zh": "可行"},
    # ---- report (planner report): page ----------------------------------------------------
    "report.title": {"en": "Carbon peak pathway report", "zh": "碳达峰路径分析报告"},
    "report.generated": {"en": "Prepared with planner {version} on {date}.",
                         "zh": "本报告由 planner {version} 于{date}生成。"},
    "report.units_note": {
        "en": "Units: emissions in Mt CO₂ (million tonnes); money in 亿元 (100 million CNY) at "
              "{start} prices unless stated; carbon prices in CNY per tonne of CO₂. The workbook "
              "report.xlsx holds every table in tonnes and CNY.",
        "zh": "单位：排放量为百万吨二氧化碳（百万吨CO₂）；金额除注明外为{start}年价格的亿元；"
              "碳价为元/吨CO₂。工作簿 report.xlsx 以吨和元为单位列出全部表格。",
    },
    "report.contents": {"en": "Contents", "zh": "目录"},
    "report.figure": {"en": "Figure {n}.", "zh": "图{n}"},
    "report.table": {"en": "Table {n}.", "zh": "表{n}"},
    "report.no_cjk_font": {
        "en": "No Chinese font was found when the charts were drawn: chart labels are in English "
              "and projects are shown by id.",
        "zh": "绘图时未找到中文字体：图中标签以英文显示，项目以编号显示。",
    },
    "report.files_beside": {
        "en": "The charts are also saved beside this file as PNG and SVG.",
        "zh": "各图另以PNG和SVG格式保存在本文件所在文件夹。",
    },
    "report.yes": {"en": "yes", "zh": "是"},
    "report.no": {"en": "no", "zh": "否"},
    "report.none": {"en": "none", "zh": "无"},
    "report.city_total": {"en": "City total", "zh": "全市合计"},
    "report.level.sector": {"en": "sector", "zh": "部门"},
    "report.level.measure": {"en": "measure", "zh": "措施"},
    "report.level.city": {"en": "city", "zh": "全市"},
    "report.list_sep": {"en": ", ", "zh": "、"},
    "report.clause_sep": {"en": "; ", "zh": "；"},
    # ---- report: sections ----------------------------------------------------------------
    "report.sec.headline": {"en": "Key results", "zh": "主要结论"},
    "report.sec.assumptions": {"en": "Assumptions", "zh": "基本假设"},
    "report.sec.pathway": {"en": "Emissions pathway", "zh": "排放路径"},
    "report.sec.sectors": {"en": "Emissions by sector", "zh": "分部门排放"},
    "report.sec.deployment": {"en": "Deployment of key projects", "zh": "重点项目部署"},
    "report.sec.mac": {"en": "Marginal abatement cost curve", "zh": "边际减排成本曲线"},
    "report.sec.ranking": {"en": "Ranked key projects", "zh": "重点项目排序"},
    "report.sec.price": {"en": "Carbon price", "zh": "碳价"},
    "report.sec.indicators": {"en": "Key indicators", "zh": "关键指标"},
    "report.sec.cobenefits": {"en": "Air-quality co-benefits", "zh": "大气污染物协同减排"},
    "report.sec.decomposition": {"en": "Target decomposition", "zh": "目标分解"},
    "report.sec.stringency": {"en": "Target stringency", "zh": "目标严格程度分析"},
    "report.sec.diagnosis": {"en": "Why the target cannot be met", "zh": "目标无法实现的原因"},
    "report.sec.method": {"en": "Method", "zh": "方法说明"},
    # ---- report: headline ------------------------------------------------------------------
    "report.kpi.status": {"en": "Status", "zh": "求解状态"},
    "report.kpi.peak_year": {"en": "Peak year", "zh": "达峰年份"},
    "report.kpi.peak": {"en": "Peak emissions", "zh": "峰值排放量"},
    "report.kpi.cost": {"en": "Net present cost", "zh": "净现值成本"},
    "report.kpi.investment": {"en": "Investment", "zh": "总投资"},
    "report.kpi.price": {"en": "Carbon price in {year}", "zh": "{year}年碳价"},
    "report.kpi.bau_peak": {"en": "BAU: {value} Mt in {year}",
                          "zh": "基准情景：{year}年{value}百万吨"},
    "report.kpi.target_year": {"en": "target: peak by {year}", "zh": "目标：{year}年前达峰"},
    "report.kpi.no_target": {"en": "no peak-year target", "zh": "未设达峰年份目标"},
    "report.kpi.cost_note": {"en": "discounted, {start} prices", "zh": "折现值，{start}年价格"},
    "report.kpi.investment_note": {"en": "undiscounted, {start}–{end}",
                                   "zh": "未折现，{start}—{end}年"},
    "report.kpi.price_max": {"en": "highest: {value} in {year}", "zh": "最高：{year}年{value}"},
    "report.unit.mt": {"en": "Mt CO₂", "zh": "百万吨CO₂"},
    "report.unit.yi": {"en": "亿元 (100 million CNY)", "zh": "亿元"},
    "report.unit.price": {"en": "CNY/t CO₂", "zh": "元/吨CO₂"},
    "report.kpi.highest": {"en": "Highest emissions", "zh": "最高排放量"},
    "report.kpi.shortfall": {"en": "Total shortfall", "zh": "累计缺口"},
    "report.kpi.shortfall_note": {"en": "tonnes the projects cannot deliver, all years",
                                  "zh": "各年备选项目无法完成的减排量之和"},
    "report.kpi.no_peak": {"en": "none yet", "zh": "尚未达峰"},
    "report.kpi.still_rising": {"en": "still rising in {year}", "zh": "{year}年仍在上升"},
    "report.lead.no_peak": {
        "en": "Emissions do not peak within the horizon: they still rise in {end}, to {value} "
              "Mt CO₂.",
        "zh": "规划期内排放尚未达峰：{end}年仍在上升，达到{value}百万吨。"},
    "report.lead.price_negative": {
        "en": "The carbon price in {year} is {value} CNY/t CO₂; Section {n} explains why it is "
              "negative.",
        "zh": "{year}年碳价为{value}元/吨CO₂，其为负值的原因见第{n}节。"},
    "report.lead.peak": {"en": "Emissions peak in {year} at {value} Mt CO₂.",
                         "zh": "全市二氧化碳排放于{year}年达峰，峰值为{value}百万吨。"},
    "report.lead.bau": {
        "en": "Under business as usual they would reach {value} Mt CO₂ in {year}; the peak is "
              "{pct} lower.",
        "zh": "基准情景下，{year}年排放将达到{value}百万吨；峰值比其低{pct}。"},
    "report.lead.cost_negative": {
        "en": "The plan saves money overall: its net present cost is {value} 亿元 ({start} "
              "prices), because the energy saved is worth more than the costs.",
        "zh": "方案总体上节约成本：净现值成本为{value}亿元（{start}年价格），节能收益超过投入。"},
    "report.lead.cost": {"en": "The plan's net present cost is {value} 亿元 ({start} prices).",
                         "zh": "方案净现值成本为{value}亿元（{start}年价格）。"},
    "report.lead.investment": {"en": "It needs {value} 亿元 of investment from {start} to {end}.",
                               "zh": "{start}—{end}年共需投资{value}亿元。"},
    "report.lead.projects": {"en": "It uses {n} of the {total} candidate key projects.",
                             "zh": "{total}个备选重点项目中采用{n}个。"},
    "report.lead.price": {"en": "The carbon price in {year} is {value} CNY/t CO₂.",
                          "zh": "{year}年碳价为{value}元/吨CO₂。"},
    "report.lead.infeasible": {
        "en": "The target cannot be met with the candidate projects. Section {n} explains why.",
        "zh": "现有备选项目无法实现该目标，原因见第{n}节。"},
    # ---- report: assumptions ---------------------------------------------------------------
    "report.a.scenario": {"en": "Scenario", "zh": "情景"},
    "report.a.file": {"en": "Scenario file", "zh": "情景文件"},
    "report.a.horizon": {"en": "Planning horizon", "zh": "规划期"},
    "report.a.horizon_value": {"en": "{start}–{end}", "zh": "{start}—{end}年"},
    "report.a.rate": {"en": "Discount rate (real)", "zh": "折现率（实际）"},
    "report.a.target": {"en": "Target", "zh": "目标"},
    "report.a.budget": {"en": "Investment budget", "zh": "投资预算"},
    "report.a.budget_value": {"en": "at most {value} 亿元 per year", "zh": "每年不超过{value}亿元"},
    "report.a.no_budget": {"en": "no limit", "zh": "不设上限"},
    "report.a.projects": {"en": "Candidate key projects", "zh": "备选重点项目"},
    "report.a.projects_value": {"en": "{n} projects in {m} measures", "zh": "{m}类措施共{n}个项目"},
    "report.a.excluded": {"en": "excluded: {items}", "zh": "剔除：{items}"},
    "report.a.overridden": {"en": "changed by the scenario: {items}", "zh": "情景中调整：{items}"},
    "report.a.cobenefit_value": {"en": "Value of avoided pollutants",
                                 "zh": "污染物减排的价值"},
    "report.a.cobenefit_value_text": {"en": "SO₂ {so2}, NOx {nox}, PM2.5 {pm25} (CNY per t)",
                                      "zh": "SO₂ {so2}、NOx {nox}、PM2.5 {pm25}（元/吨）"},
    "report.a.data": {"en": "Dataset", "zh": "数据集"},
    "report.a.bau": {"en": "Business-as-usual emissions", "zh": "基准情景排放"},
    "report.a.bau_value": {"en": "{v0} Mt in {y0}, {v1} Mt in {y1}",
                           "zh": "{y0}年{v0}百万吨，{y1}年{v1}百万吨"},
    "report.a.indicators": {"en": "GDP and population", "zh": "GDP与人口"},
    "report.a.indicators_yes": {"en": "given (indicators.csv)", "zh": "已提供（indicators.csv）"},
    "report.a.indicators_no": {"en": "not given", "zh": "未提供"},
    "report.a.files": {"en": "Input files and their SHA-256 checksums",
                       "zh": "输入文件及其SHA-256校验值"},
    "report.target.none": {"en": "none (business as usual)", "zh": "无（基准情景）"},
    "report.target.peak_year": {"en": "emissions do not rise after {year}",
                                "zh": "{year}年后排放不再上升"},
    "report.target.cap": {"en": "at most {value} Mt CO₂ in every year",
                          "zh": "各年排放不超过{value}百万吨"},
    "report.target.cap_path": {"en": "year caps: {items}", "zh": "分年上限：{items}"},
    "report.target.budget": {"en": "at most {value} Mt CO₂ in total over {start}–{end}",
                             "zh": "{start}—{end}年累计排放不超过{value}百万吨"},
    "report.target.intensity": {
        "en": "CO₂ per unit of GDP in {year} at least {pct} below {base}",
        "zh": "{year}年单位GDP二氧化碳排放比{base}年下降{pct}以上"},
    "report.target.per_capita": {"en": "per capita at most {items}",
                                 "zh": "人均排放不超过{items}"},
    "report.target.sector_cap": {"en": "{sector}: at most {items}",
                                 "zh": "{sector}：不超过{items}"},
    "report.target.year_mt": {"en": "{value} Mt in {year}", "zh": "{year}年{value}百万吨"},
    "report.target.year_t": {"en": "{value} t in {year}", "zh": "{year}年{value}吨"},
    # ---- report: HTML table headers (display units) ----------------------------------------
    "report.h.item": {"en": "Item", "zh": "条目"},
    "report.h.value": {"en": "Value", "zh": "取值"},
    "report.h.file": {"en": "File", "zh": "文件"},
    "report.h.sha256": {"en": "SHA-256", "zh": "SHA-256校验值"},
    "report.h.year": {"en": "Year", "zh": "年份"},
    "report.h.bau_mt": {"en": "BAU (Mt CO₂)", "zh": "基准情景（百万吨CO₂）"},
    "report.h.abatement_mt": {"en": "Abatement (Mt CO₂)", "zh": "减排量（百万吨CO₂）"},
    "report.h.emissions_mt": {"en": "Net emissions (Mt CO₂)", "zh": "净排放量（百万吨CO₂）"},
    "report.h.cap_mt": {"en": "Cap (Mt CO₂)", "zh": "排放上限（百万吨CO₂）"},
    "report.h.sector_mt": {"en": "{sector} (Mt CO₂)", "zh": "{sector}（百万吨CO₂）"},
    "report.h.total_mt": {"en": "Total (Mt CO₂)", "zh": "合计（百万吨CO₂）"},
    "report.h.project": {"en": "Project", "zh": "项目"},
    "report.h.measure": {"en": "Measure", "zh": "措施"},
    "report.h.sector": {"en": "Sector", "zh": "部门"},
    "report.h.first_year": {"en": "First build year", "zh": "开始建设年份"},
    "report.h.max_units": {"en": "Units installed (max)", "zh": "最大部署量"},
    "report.h.unit": {"en": "Unit", "zh": "单位"},
    "report.h.abatement_total_mt": {"en": "Abatement, all years (Mt CO₂)",
                                    "zh": "累计减排量（百万吨CO₂）"},
    "report.h.investment_yi": {"en": "Investment (亿元)", "zh": "投资（亿元）"},
    "report.h.price": {"en": "Carbon price (CNY/t CO₂)", "zh": "碳价（元/吨CO₂）"},
    "report.h.price_low": {"en": "Relaxing: saving (CNY/t CO₂)", "zh": "放宽时节约（元/吨CO₂）"},
    "report.h.price_high": {"en": "Tightening: cost (CNY/t CO₂)",
                            "zh": "收紧时成本（元/吨CO₂）"},
    "report.h.rank": {"en": "Rank", "zh": "序号"},
    "report.h.lcoa": {"en": "Cost of abatement (CNY/t CO₂)", "zh": "平准化减排成本（元/吨CO₂）"},
    "report.h.potential_mt": {"en": "Potential (Mt CO₂/yr)", "zh": "减排潜力（百万吨CO₂/年）"},
    "report.h.share_target": {"en": "Deployed in {year} (% of potential)",
                              "zh": "{year}年部署比例（占潜力%）"},
    "report.h.entry_price": {"en": "Entry price (CNY/t CO₂)", "zh": "启用碳价（元/吨CO₂）"},
    "report.h.why": {"en": "Why", "zh": "说明"},
    "report.h.gdp_yi": {"en": "GDP (亿元)", "zh": "地区生产总值（亿元）"},
    "report.h.population_10k": {"en": "Population (10,000)", "zh": "人口（万人）"},
    "report.h.intensity": {"en": "CO₂ per 10,000 CNY of GDP (t)",
                           "zh": "万元GDP二氧化碳排放（吨）"},
    "report.h.intensity_change": {"en": "Intensity vs {year}", "zh": "强度较{year}年变化"},
    "report.h.per_capita": {"en": "Per capita (t CO₂)", "zh": "人均排放（吨CO₂）"},
    "report.h.change_bau": {"en": "Emissions vs BAU", "zh": "排放较基准情景"},
    "report.h.so2": {"en": "SO₂ avoided (t)", "zh": "SO₂减排量（吨）"},
    "report.h.nox": {"en": "NOx avoided (t)", "zh": "NOx减排量（吨）"},
    "report.h.pm25": {"en": "PM2.5 avoided (t)", "zh": "PM2.5减排量（吨）"},
    "report.h.emissions_year_mt": {"en": "Emissions {year} (Mt CO₂)",
                                   "zh": "{year}年排放（百万吨CO₂）"},
    "report.h.reduction_year_mt": {"en": "Reduction {year} (Mt CO₂)",
                                   "zh": "{year}年减排量（百万吨CO₂）"},
    "report.h.reduction_total_mt": {"en": "Reduction, all years (Mt CO₂)",
                                    "zh": "累计减排量（百万吨CO₂）"},
    "report.h.share_reduction": {"en": "Share of all reduction", "zh": "占累计减排比例"},
    "report.h.npc_yi": {"en": "Net present cost (亿元)", "zh": "净现值成本（亿元）"},
    "report.h.key_projects": {"en": "Key projects", "zh": "主要项目"},
    "report.h.peak_year": {"en": "Peak year", "zh": "达峰年份"},
    "report.h.status": {"en": "Status", "zh": "状态"},
    "report.h.n_projects": {"en": "Projects used", "zh": "采用项目数"},
    "report.h.min_peak_mt": {"en": "Lowest peak (Mt CO₂)", "zh": "最低峰值（百万吨CO₂）"},
    "report.h.below_bau_mt": {"en": "Below BAU peak (Mt CO₂)", "zh": "较基准峰值降低（百万吨CO₂）"},
    "report.h.cost_share_yi": {"en": "Cost, {pct} % of the way (亿元)",
                               "zh": "降幅达{pct}%时成本（亿元）"},
    "report.h.peak_mt": {"en": "Peak (Mt CO₂)", "zh": "峰值（百万吨CO₂）"},
    "report.h.constraint": {"en": "Target", "zh": "目标约束"},
    "report.h.shortfall_mt": {"en": "Shortfall (Mt CO₂)", "zh": "缺口（百万吨CO₂）"},
    "report.h.limit": {"en": "What holds it back", "zh": "限制因素"},
    # ---- report: workbook sheets -------------------------------------------------------------
    "report.sheet.summary": {"en": "summary", "zh": "汇总"},
    "report.sheet.inputs": {"en": "inputs", "zh": "输入文件"},
    "report.sheet.emissions": {"en": "emissions", "zh": "排放路径"},
    "report.sheet.emissions_by_sector": {"en": "emissions_by_sector", "zh": "分部门排放"},
    "report.sheet.deployment": {"en": "deployment", "zh": "项目部署"},
    "report.sheet.carbon_price": {"en": "carbon_price", "zh": "碳价"},
    "report.sheet.ranking": {"en": "ranking", "zh": "项目排序"},
    "report.sheet.indicators": {"en": "indicators", "zh": "关键指标"},
    "report.sheet.co_benefits": {"en": "co_benefits", "zh": "协同减排"},
    "report.sheet.decomposition": {"en": "decomposition", "zh": "目标分解"},
    "report.sheet.sweep": {"en": "sweep", "zh": "目标扫描"},
    "report.sheet.project_entry": {"en": "project_entry", "zh": "项目启用点"},
    "report.sheet.frontier": {"en": "frontier", "zh": "可行边界"},
    "report.sheet.shortfall": {"en": "shortfall", "zh": "排放缺口"},
    "report.sheet.limits": {"en": "limits", "zh": "项目限制"},
    # ---- report: workbook column headers (file units: t, CNY) ------------------------------
    "report.col.item": {"en": "Item", "zh": "条目"},
    "report.col.value": {"en": "Value", "zh": "取值"},
    "report.col.unit": {"en": "Unit", "zh": "单位"},
    "report.col.file": {"en": "File", "zh": "文件"},
    "report.col.sha256": {"en": "SHA-256", "zh": "SHA-256校验值"},
    "report.col.year": {"en": "Year", "zh": "年份"},
    "report.col.sector": {"en": "Sector", "zh": "部门"},
    "report.col.project": {"en": "Project id", "zh": "项目编号"},
    "report.col.name": {"en": "Name", "zh": "名称"},
    "report.col.measure": {"en": "Measure", "zh": "措施"},
    "report.col.unit_of_project": {"en": "Unit of the project", "zh": "项目计量单位"},
    "report.col.bau_t": {"en": "BAU emissions (t CO₂)", "zh": "基准情景排放量（吨CO₂）"},
    "report.col.abatement_t": {"en": "Abatement (t CO₂)", "zh": "减排量（吨CO₂）"},
    "report.col.emissions_t": {"en": "Emissions (t CO₂)", "zh": "排放量（吨CO₂）"},
    "report.col.cap_t": {"en": "Cap (t CO₂)", "zh": "排放上限（吨CO₂）"},
    "report.col.build_units": {"en": "Units built (units)", "zh": "新建量（单位）"},
    "report.col.stock_units": {"en": "Units in operation (units)", "zh": "运行量（单位）"},
    "report.col.investment_cny": {"en": "Investment (CNY)", "zh": "投资（元）"},
    "report.col.annual_cost_cny": {"en": "Annual cost (CNY)", "zh": "年度成本（元）"},
    "report.col.price_cny_per_t": {"en": "Carbon price (CNY/t CO₂)", "zh": "碳价（元/吨CO₂）"},
    "report.col.price_low_cny_per_t": {"en": "Carbon price, relaxing (CNY/t CO₂)",
                                       "zh": "碳价，放宽时（元/吨CO₂）"},
    "report.col.price_high_cny_per_t": {"en": "Carbon price, tightening (CNY/t CO₂)",
                                        "zh": "碳价，收紧时（元/吨CO₂）"},
    "report.col.rank": {"en": "Rank", "zh": "序号"},
    "report.col.lcoa_cny_per_t": {"en": "Levelised cost of abatement (CNY/t CO₂)",
                                  "zh": "平准化减排成本（元/吨CO₂）"},
    "report.col.lcoa_with_cobenefits_cny_per_t": {
        "en": "Levelised cost with co-benefits (CNY/t CO₂)",
        "zh": "计入协同效益的平准化减排成本（元/吨CO₂）"},
    "report.col.lcoa_private_cny_per_t": {"en": "Levelised cost, private rate (CNY/t CO₂)",
                                          "zh": "私人折现率下的平准化减排成本（元/吨CO₂）"},
    "report.col.breakeven_carbon_price_cny_per_t": {"en": "Break-even carbon price (CNY/t CO₂)",
                                                    "zh": "盈亏平衡碳价（元/吨CO₂）"},
    "report.col.potential_t_per_year": {"en": "Abatement potential (t CO₂/yr)",
                                        "zh": "减排潜力（吨CO₂/年）"},
    "report.col.investment_full_cny": {"en": "Investment at full deployment (CNY)",
                                       "zh": "全部部署所需投资（元）"},
    "report.col.simple_payback_years": {"en": "Simple payback (years)", "zh": "静态回收期（年）"},
    "report.col.cumulative_potential_t_per_year": {"en": "Cumulative potential (t CO₂/yr)",
                                                   "zh": "累计减排潜力（吨CO₂/年）"},
    "report.col.share_deployed_target_year": {"en": "Share of potential deployed, target year",
                                              "zh": "目标年部署比例"},
    "report.col.first_build_year": {"en": "First build year", "zh": "开始建设年份"},
    "report.col.abatement_target_year_t": {"en": "Abatement in target year (t CO₂)",
                                           "zh": "目标年减排量（吨CO₂）"},
    "report.col.abatement_horizon_t": {"en": "Abatement, all years (t CO₂)",
                                       "zh": "累计减排量（吨CO₂）"},
    "report.col.realised_cost_cny_per_t": {"en": "Realised cost (CNY/t CO₂)",
                                           "zh": "实际减排成本（元/吨CO₂）"},
    "report.col.reduced_cost_cny_per_unit": {"en": "Reduced cost (CNY per unit)",
                                             "zh": "检验数（元/单位）"},
    "report.col.entry_price_cny_per_t": {"en": "Entry carbon price (CNY/t CO₂)",
                                         "zh": "启用碳价（元/吨CO₂）"},
    "report.col.used_in_bau": {"en": "Used without a target", "zh": "无目标时即采用"},
    "report.col.used": {"en": "Used in the plan", "zh": "纳入方案"},
    "report.col.why": {"en": "Why", "zh": "说明"},
    "report.col.gdp_cny": {"en": "GDP (CNY, constant prices)", "zh": "地区生产总值（元，不变价）"},
    "report.col.population": {"en": "Population (persons)", "zh": "人口（人）"},
    "report.col.co2_per_10k_cny_gdp": {"en": "CO₂ per 10,000 CNY of GDP (t)",
                                       "zh": "万元GDP二氧化碳排放（吨）"},
    "report.col.bau_co2_per_10k_cny_gdp": {"en": "BAU CO₂ per 10,000 CNY of GDP (t)",
                                           "zh": "基准情景万元GDP二氧化碳排放（吨）"},
    "report.col.per_capita_t": {"en": "Emissions per capita (t CO₂)", "zh": "人均排放（吨CO₂）"},
    "report.col.intensity_change_vs_base_year": {"en": "CO₂ intensity change vs base year",
                                                 "zh": "碳排放强度较基年变化"},
    "report.col.change_vs_base_year": {"en": "Emissions change vs base year",
                                       "zh": "排放较基年变化"},
    "report.col.change_vs_bau": {"en": "Emissions change vs BAU", "zh": "排放较基准情景变化"},
    "report.col.so2_avoided_t": {"en": "SO₂ avoided (t)", "zh": "SO₂减排量（吨）"},
    "report.col.nox_avoided_t": {"en": "NOx avoided (t)", "zh": "NOx减排量（吨）"},
    "report.col.pm25_avoided_t": {"en": "PM2.5 avoided (t)", "zh": "PM2.5减排量（吨）"},
    "report.col.share_sector": {"en": "Share of net emissions: {sector}",
                                "zh": "占净排放比例：{sector}"},
    "report.col.so2_t": {"en": "SO₂ avoided (t)", "zh": "SO₂减排量（吨）"},
    "report.col.nox_t": {"en": "NOx avoided (t)", "zh": "NOx减排量（吨）"},
    "report.col.pm25_t": {"en": "PM2.5 avoided (t)", "zh": "PM2.5减排量（吨）"},
    "report.col.level": {"en": "Level", "zh": "层级"},
    "report.col.group": {"en": "Sector, measure or city", "zh": "部门、措施或全市"},
    "report.col.base_year": {"en": "Base year", "zh": "基年"},
    "report.col.peak_year": {"en": "Peak year", "zh": "达峰年份"},
    "report.col.final_year": {"en": "Final year", "zh": "末年"},
    "report.col.emissions_base_t": {"en": "Emissions, base year (t CO₂)",
                                    "zh": "基年排放量（吨CO₂）"},
    "report.col.emissions_peak_t": {"en": "Emissions, peak year (t CO₂)",
                                    "zh": "峰值年排放量（吨CO₂）"},
    "report.col.emissions_final_t": {"en": "Emissions, final year (t CO₂)",
                                     "zh": "末年排放量（吨CO₂）"},
    "report.col.reduction_base_t": {"en": "Reduction vs BAU, base year (t CO₂)",
                                    "zh": "基年较基准情景减排量（吨CO₂）"},
    "report.col.reduction_peak_t": {"en": "Reduction vs BAU, peak year (t CO₂)",
                                    "zh": "峰值年较基准情景减排量（吨CO₂）"},
    "report.col.reduction_final_t": {"en": "Reduction vs BAU, final year (t CO₂)",
                                     "zh": "末年较基准情景减排量（吨CO₂）"},
    "report.col.reduction_total_t": {"en": "Reduction vs BAU, all years (t CO₂)",
                                     "zh": "累计较基准情景减排量（吨CO₂）"},
    "report.col.share_of_reduction_peak": {"en": "Share of city reduction, peak year",
                                           "zh": "占全市峰值年减排比例"},
    "report.col.share_of_reduction_total": {"en": "Share of city reduction, all years",
                                            "zh": "占全市累计减排比例"},
    "report.col.net_present_cost_cny": {"en": "Net present cost (CNY, base-year prices)",
                                        "zh": "净现值成本（元，基年价格）"},
    "report.col.key_projects": {"en": "Key projects", "zh": "主要项目"},
    "report.col.status": {"en": "Status", "zh": "状态"},
    "report.col.objective_cny": {"en": "Net present cost (CNY, base-year prices)",
                                 "zh": "净现值成本（元，基年价格）"},
    "report.col.carbon_price_cny_per_t": {"en": "Carbon price in target year (CNY/t CO₂)",
                                          "zh": "目标年碳价（元/吨CO₂）"},
    "report.col.target_year": {"en": "Target year", "zh": "目标年"},
    "report.col.peak_emissions_t": {"en": "Peak emissions (t CO₂)", "zh": "峰值排放量（吨CO₂）"},
    "report.col.actual_peak_year": {"en": "Actual peak year", "zh": "实际达峰年份"},
    "report.col.projects_used": {"en": "Projects used (ids)", "zh": "采用项目（编号）"},
    "report.col.n_projects_used": {"en": "Number of projects used", "zh": "采用项目数"},
    "report.col.reason": {"en": "Reason", "zh": "原因"},
    "report.col.entry_cap_t": {"en": "Loosest cap at which it is used (t CO₂)",
                               "zh": "开始采用时的最宽松上限（吨CO₂）"},
    "report.col.used_at_loosest_cap": {"en": "Used at the loosest cap", "zh": "最宽松上限下即采用"},
    "report.col.bau_peak_t": {"en": "BAU peak (t CO₂)", "zh": "基准情景峰值（吨CO₂）"},
    "report.col.min_peak_t": {"en": "Lowest achievable peak (t CO₂)",
                              "zh": "可实现的最低峰值（吨CO₂）"},
    "report.col.reduction_from_bau_t": {"en": "Lowest peak below BAU peak (t CO₂)",
                                        "zh": "最低峰值较基准峰值降低（吨CO₂）"},
    "report.col.cap_share_t": {"en": "Cap {pct} % of the way (t CO₂)",
                               "zh": "降幅达{pct}%时的上限（吨CO₂）"},
    "report.col.cost_share_cny": {"en": "Cost {pct} % of the way (CNY, base-year prices)",
                                  "zh": "降幅达{pct}%时的成本（元，基年价格）"},
    "report.col.constraint": {"en": "Target constraint", "zh": "目标约束"},
    "report.col.index": {"en": "Constraint index", "zh": "约束下标"},
    "report.col.shortfall_t": {"en": "Shortfall (t CO₂)", "zh": "缺口（吨CO₂）"},
    "report.col.limit": {"en": "What holds it back", "zh": "限制因素"},
    # ---- report: summary sheet items ---------------------------------------------------------
    "report.item.scenario": {"en": "Scenario", "zh": "情景"},
    "report.item.scenario_file": {"en": "Scenario file", "zh": "情景文件"},
    "report.item.status": {"en": "Status", "zh": "求解状态"},
    "report.item.start": {"en": "First year", "zh": "起始年"},
    "report.item.end": {"en": "Last year", "zh": "末年"},
    "report.item.discount_rate": {"en": "Discount rate (real)", "zh": "折现率（实际）"},
    "report.item.target": {"en": "Target", "zh": "目标"},
    "report.item.budget": {"en": "Investment budget per year", "zh": "年度投资预算"},
    "report.item.peak_year": {"en": "Peak year", "zh": "达峰年份"},
    "report.item.peak_emissions": {"en": "Peak emissions", "zh": "峰值排放量"},
    "report.item.bau_peak_year": {"en": "BAU peak year", "zh": "基准情景峰值年份"},
    "report.item.bau_peak_emissions": {"en": "BAU peak emissions", "zh": "基准情景峰值排放量"},
    "report.item.objective": {"en": "Net present cost", "zh": "净现值成本"},
    "report.item.investment": {"en": "Investment (undiscounted)", "zh": "总投资（未折现）"},
    "report.item.target_year": {"en": "Target year", "zh": "目标年"},
    "report.item.price": {"en": "Carbon price in target year", "zh": "目标年碳价"},
    "report.item.solver": {"en": "Solver", "zh": "求解器"},
    "report.item.solve_seconds": {"en": "Solve time", "zh": "求解时间"},
    "report.item.diagnosis": {"en": "Diagnosis", "zh": "诊断"},
    "report.u.t": {"en": "t CO₂", "zh": "吨CO₂"},
    "report.u.cny": {"en": "CNY", "zh": "元"},
    "report.u.cny_start": {"en": "CNY, {start} prices", "zh": "元，{start}年价格"},
    "report.u.cny_per_t": {"en": "CNY/t CO₂", "zh": "元/吨CO₂"},
    "report.u.seconds": {"en": "s", "zh": "秒"},
    "report.u.fraction": {"en": "fraction", "zh": "比例"},
    # ---- report: captions and notes ----------------------------------------------------------
    "report.cap.pathway": {
        "en": "Emissions pathway, {start}–{end}. The dashed line is business as usual (BAU); the "
              "solid line is the least-cost pathway. Each wedge between them is one project's "
              "abatement, coloured by measure.",
        "zh": "{start}—{end}年排放路径。虚线为基准情景，实线为最低成本路径，两者之间的色块为"
              "各项目的减排量，颜色表示所属措施。"},
    "report.cap.pathway_cap": {"en": "The dash-dot line is the cap.",
                               "zh": "点划线为排放上限。"},
    "report.cap.sectors": {
        "en": "Net emissions by sector in the least-cost plan. Sinks are shown below zero.",
        "zh": "最低成本方案下各部门的净排放。碳汇显示在零线以下。"},
    "report.cap.deployment": {
        "en": "Units in operation as a share of each project's potential. Darker cells mean "
              "more of the potential is in use.",
        "zh": "各项目运行量占其潜力的比例。颜色越深，已利用的潜力越多。"},
    "report.cap.mac": {
        "en": "Each bar is one project: its width is the annual abatement potential, its height "
              "the levelised cost of abatement at a {rate} discount rate ({start} values). Hatched "
              "bars are not used in the plan. The dashed line is the carbon price in {year}.",
        "zh": "每根柱代表一个项目：宽度为年减排潜力，高度为折现率{rate}下的平准化减排成本"
              "（{start}年数值）。斜线柱为未纳入方案的项目。虚线为{year}年碳价。"},
    "report.cap.price": {
        "en": "The carbon price is the cost of one more tonne of reduction in each year (the "
              "shadow price of the targets), in CNY of that year.",
        "zh": "碳价指在当年多减排一吨二氧化碳所增加的成本（目标约束的影子价格），以当年价格计。"},
    "report.cap.sweep_cost": {
        "en": "Net present cost of the least-cost plan as the cap tightens, one line per peak "
              "year. Crosses in the grey strip mark caps that cannot be met.",
        "zh": "排放上限收紧时最低成本方案的净现值成本，每条线对应一个达峰年份。"
              "灰色条中的叉号表示无法实现的上限。"},
    "report.cap.sweep_price": {
        "en": "Carbon price in the peak year as the cap tightens.",
        "zh": "排放上限收紧时达峰年份的碳价。"},
    "report.cap.sweep_heatmap": {
        "en": "Net present cost by peak year and cap (亿元). Grey cells cannot be met.",
        "zh": "不同达峰年份与排放上限组合下的净现值成本（亿元）。灰色格为无法实现的组合。"},
    "report.cap.frontier": {
        "en": "The lowest peak the candidate projects can achieve for each peak year.",
        "zh": "各达峰年份下，备选项目所能实现的最低峰值。"},
    "report.cap.emissions_table": {"en": "Emissions by year (Mt CO₂).",
                                   "zh": "逐年排放（百万吨CO₂）。"},
    "report.cap.sector_table": {"en": "Net emissions by sector and year (Mt CO₂).",
                                "zh": "分部门逐年净排放（百万吨CO₂）。"},
    "report.cap.used_table": {"en": "Projects used in the least-cost plan.",
                              "zh": "纳入最低成本方案的项目。"},
    "report.cap.ranking_table": {
        "en": "Key projects ranked by levelised cost of abatement, beside what the least-cost "
              "plan does with them.",
        "zh": "按平准化减排成本排序的重点项目，以及最低成本方案中的实际安排。"},
    "report.cap.price_table": {"en": "Carbon price by year.", "zh": "逐年碳价。"},
    "report.cap.indicators_table": {"en": "Key indicators by year.", "zh": "逐年关键指标。"},
    "report.cap.cobenefits_table": {"en": "Air pollutants avoided by year (t).",
                                    "zh": "逐年大气污染物减排量（吨）。"},
    "report.cap.cobenefits_projects": {"en": "Air pollutants avoided by project, all years (t).",
                                       "zh": "各项目累计大气污染物减排量（吨）。"},
    "report.cap.decomp_sector": {"en": "What each sector delivers.",
                                 "zh": "各部门承担的减排任务。"},
    "report.cap.decomp_measure": {"en": "What each measure delivers.",
                                  "zh": "各类措施承担的减排任务。"},
    "report.cap.sweep_table": {"en": "Cost and carbon price by cap, peak by {year}.",
                               "zh": "{year}年达峰时不同排放上限下的成本与碳价。"},
    "report.cap.frontier_table": {
        "en": "Lowest achievable peak by peak year, and the cost of going part of the way there "
              "from the BAU peak.",
        "zh": "各达峰年份可实现的最低峰值，以及从基准峰值向其下降一定比例时的成本。"},
    "report.cap.shortfall_table": {"en": "Shortfall by target and year.",
                                   "zh": "分目标、分年份的排放缺口。"},
    "report.cap.limits_table": {"en": "What holds each project back in {year}.",
                                "zh": "{year}年各项目的限制因素。"},
    "report.note.price_zero": {"en": "No target binds: the carbon price is zero in every year.",
                               "zh": "没有目标约束起作用：各年碳价均为零。"},
    "report.note.price_max": {"en": "The price is highest in {year}, at {value} CNY/t CO₂.",
                              "zh": "{year}年碳价最高，为{value}元/吨CO₂。"},
    "report.note.negative_price": {
        "en": "The carbon price is negative in {years}. The peak rule makes low emissions in the "
              "peak year costly for later years, because no later year may exceed the peak. One "
              "more tonne of reduction in that year therefore raises the total cost. This follows "
              "from the target as written; it is not a numerical error (docs/formulation.md, "
              "\u201cCarbon prices and other duals\u201d).",
        "zh": "{years}年碳价为负值。达峰约束要求此后各年排放不高于峰值年，峰值年排放越低，"
              "后续年份的减排负担越重，因此在该年多减排一吨反而增加总成本。这是目标设定方式的"
              "结果，并非计算误差（见 docs/formulation.md“Carbon prices and other duals”一节）。"},
    "report.note.one_sided": {
        "en": "In {years} the price is not unique. The table gives the saving per tonne of "
              "relaxing that year's target and the cost per tonne of tightening it.",
        "zh": "{years}年碳价不唯一。表中给出放宽该年目标每吨节约的成本和收紧该年目标每吨增加"
              "的成本。"},
    "report.note.no_indicators": {
        "en": "The dataset gives no GDP or population (indicators.csv), so intensity and "
              "per-capita indicators are not available.",
        "zh": "数据集未提供GDP与人口（indicators.csv），因此无法计算强度和人均指标。"},
    "report.note.cobenefits_total": {
        "en": "Over {start}–{end} the plan avoids {so2} t of SO₂, {nox} t of NOx and {pm25} t "
              "of PM2.5.",
        "zh": "{start}—{end}年，方案累计减少SO₂ {so2}吨、NOx {nox}吨、PM2.5 {pm25}吨。"},
    "report.note.no_cobenefits": {"en": "The dataset gives no pollutant rates for the projects.",
                                  "zh": "数据集未提供项目的污染物减排系数。"},
    "report.note.ranking": {
        "en": "The cost of abatement is (annualised investment + O&M − savings) ÷ abatement per "
              "unit, at {start} values. The entry price is the carbon price at which the "
              "optimiser starts to use the project. Cost order and the plan differ where roll-out "
              "limits, lifetimes or changing values make an early start pay.",
        "zh": "平准化减排成本 =（年化投资 + 运维费用 − 节约收益）÷ 单位减排量，按{start}年数值"
              "计算。启用碳价指优化模型开始采用该项目时的碳价。当推广速度、寿命期或参数随时间"
              "变化使提前启动更为经济时，方案顺序会偏离成本顺序。"},
    "report.note.stringency": {
        "en": "The scenario is re-solved for {n} caps from the BAU peak ({hi} Mt) down to the "
              "lowest achievable peak ({lo} Mt), for peak years {years}.",
        "zh": "在基准峰值（{hi}百万吨）至可实现的最低峰值（{lo}百万吨）之间取{n}个排放上限，"
              "并对达峰年份{years}分别重新求解。"},
    "report.note.stringency_price": {
        "en": "The price shown is the one in the peak year; it can be negative (see Section "
              "{n}).",
        "zh": "图中碳价为达峰年份的碳价，可能为负值（见第{n}节）。"},
    "report.note.stringency_own_cap": {"en": "The scenario's own cap is {cap} Mt.",
                                       "zh": "本情景的排放上限为{cap}百万吨。"},
    "report.method.text": {
        "en": "The plan is the solution of a linear programme (Pyomo, solved by {solver} in "
              "{seconds} s). It chooses how many units of each key project to build in each year "
              "so that every target holds at the least net present cost: annualised investment "
              "plus operation and maintenance, minus energy savings, discounted at {rate} to "
              "{start}. Each project is limited by its potential, its roll-out rate, its first "
              "available year and its lifetime. Carbon prices are the shadow prices of the "
              "emission targets. The results are only as good as the data: check the "
              "assumptions above.",
        "zh": "方案由线性规划模型求解得出（Pyomo建模，{solver}求解，用时{seconds}秒）。模型决定"
              "各重点项目每年新建的数量，在满足全部目标的前提下使净现值成本最低：年化投资加"
              "运维费用减节能收益，按{rate}折现至{start}年。每个项目受其潜力、推广速度、最早"
              "实施年份和寿命期约束。碳价为排放目标约束的影子价格。结果的可靠性取决于输入数据，"
              "请结合上文假设阅读。"},
    # ---- report: diagnosis of an infeasible target ------------------------------------------
    "report.diag.head": {"en": "The target cannot be met.", "zh": "该目标无法实现。"},
    "report.diag.group_total": {"en": "{group} is short by {value} Mt.",
                                "zh": "{group}累计缺口{value}百万吨。"},
    "report.diag.group_one": {"en": "{group} falls short in {year} by {value} Mt.",
                              "zh": "{group}在{year}年存在缺口，为{value}百万吨。"},
    "report.diag.group_many": {
        "en": "{group} falls short in {n} years from {year}: {value} Mt in {year}, up to {top} Mt "
              "in {top_year}.",
        "zh": "{group}自{year}年起有{n}个年份存在缺口：{year}年{value}百万吨，最大为{top_year}年"
              "{top}百万吨。"},
    "report.diag.limits": {"en": "In {year} the projects are held by their limits: {items}.",
                           "zh": "{year}年各项目均受到限制：{items}。"},
    "report.diag.spare": {"en": "{items} would not lower the shortfall.",
                          "zh": "{items}无助于减少缺口。"},
    "report.diag.earliest": {"en": "At this cap the earliest feasible peak year is {year}.",
                             "zh": "在该排放上限下，最早可行的达峰年份为{year}年。"},
    "report.diag.no_year": {"en": "At this cap no peak year up to {end} is feasible.",
                            "zh": "在该排放上限下，{end}年前的任何达峰年份均不可行。"},
    "report.diag.lowest": {"en": "The lowest feasible peak{by} is {value} Mt.",
                           "zh": "{by}可实现的最低峰值为{value}百万吨。"},
    "report.diag.lowest_by": {"en": " by {year}", "zh": "{year}年前达峰时"},
    "report.diag.never": {"en": "No plan peaks by {year} at any cap.",
                          "zh": "任何排放上限下都无法在{year}年前达峰。"},
    "report.diag.other": {"en": "Even without the cap the other targets cannot all be met.",
                          "zh": "即使不设排放上限，其他目标也无法同时满足。"},
    "report.diag.original": {"en": "Solver diagnosis", "zh": "求解器诊断原文"},
    "report.group.emissions_cap": {"en": "The cap", "zh": "排放上限"},
    "report.group.cap_path": {"en": "The cap path", "zh": "分年排放上限"},
    "report.group.per_capita_cap": {"en": "The per-capita cap", "zh": "人均排放上限"},
    "report.group.non_increasing_after_peak": {"en": "The peak rule (no increase after the peak "
                                                     "year)",
                                               "zh": "达峰约束（峰值年后排放不上升）"},
    "report.group.carbon_budget": {"en": "The carbon budget", "zh": "碳排放总量预算"},
    "report.group.intensity_target": {"en": "The intensity target", "zh": "碳排放强度目标"},
    "report.group.sector_cap": {"en": "The sector cap", "zh": "部门排放上限"},
    "limit.not_yet": {"en": "not yet available (earliest year {year})",
                             "zh": "尚不能实施（最早{year}年）"},
    "limit.potential": {"en": "potential used up ({value} {unit})",
                               "zh": "潜力已用尽（{value} {unit}）"},
    "limit.rollout": {"en": "roll-out limit reached ({value} {unit}/yr since {year})",
                             "zh": "已达推广速度上限（自{year}年起每年{value} {unit}）"},
    "limit.budget": {"en": "investment budget spent", "zh": "投资预算已用完"},
    "limit.none": {"en": "not at a limit", "zh": "未受限"},
    "limit.kind.not_yet": {"en": "not yet available", "zh": "尚不能实施"},
    "limit.kind.potential": {"en": "potential used up", "zh": "潜力已用尽"},
    "limit.kind.rollout": {"en": "roll-out limit reached", "zh": "已达推广速度上限"},
    "limit.kind.budget": {"en": "investment budget spent", "zh": "投资预算已用完"},
    # ---- report: the ranking's "why" column (planner.analysis.ranking.explain_order) ------------------
    "why.unavailable": {"en": "not available within the horizon", "zh": "规划期内无法实施"},
    "why.bau": {"en": "{used} without a target: {reason}",
                       "zh": "无目标时即{used}：{reason}"},
    "why.fully_used": {"en": "fully used", "zh": "全部采用"},
    "why.used": {"en": "used", "zh": "采用"},
    "why.negative_cost": {"en": "negative cost", "zh": "减排成本为负"},
    "why.pays": {"en": "it pays for itself", "zh": "收益可覆盖成本"},
    "why.share": {"en": "{year}: {pct} of potential", "zh": "{year}年部署潜力的{pct}"},
    "why.held": {"en": ", held by {note}", "zh": "，受限于{note}"},
    "why.not_used": {"en": "not used: the target is met more cheaply",
                            "zh": "未采用：有更经济的方式实现目标"},
    "why.starts_before": {"en": "starts {year}, before cheaper {other}",
                                 "zh": "{year}年开始建设，早于成本更低的{other}"},
    "why.rollout_early": {"en": ": its roll-out limit of {value} {unit} per year needs the "
                                       "early start",
                                 "zh": "：其推广速度上限为每年{value} {unit}，需要提前启动"},
    "why.before_full": {"en": "used before cheaper {other} is fully used in {year}",
                               "zh": "在成本更低的{other}于{year}年全部用足之前即采用"},
    "why.held_back": {"en": " (held back by {note})", "zh": "（后者受限于{note}）"},
    "why.cost_order": {"en": "in cost order", "zh": "按成本顺序采用"},
    "why.entry": {"en": "enters at {entry} CNY/t against a start-year LCOA of {lcoa}: "
                               "{cause}",
                         "zh": "启用碳价为{entry}元/吨，"
                               "而基年平准化减排成本为{lcoa}元/吨：{cause}"},
    "why.cause_abatement": {"en": "its abatement per unit changes over the years",
                                   "zh": "其单位减排量逐年变化"},
    "why.cause_costs": {"en": "its costs change over the years", "zh": "其成本逐年变化"},
    "why.cause_limits": {"en": "limits and lifetimes shape its use",
                                "zh": "推广限制和寿命期影响其使用"},
    "why.note_available": {"en": "available only from {year}", "zh": "{year}年起方可实施"},
    "why.note_rollout": {"en": "its roll-out limit of {value} {unit} per year",
                                "zh": "每年{value} {unit}的推广速度上限"},
    "why.note_potential": {"en": "its potential of {value} {unit}",
                                  "zh": "{value} {unit}的潜力上限"},
    "why.note_group": {"en": "it shares the potential of group '{group}'",
                              "zh": "与“{group}”组共用潜力"},
}


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")


def t(key: str, lang: str = "en", **fmt: object) -> str:
    """The string for ``key`` in ``lang`` (``"en"`` or ``"zh"``), formatted with ``fmt``.

    Raises ``KeyError`` for an unknown key and ``ValueError`` for an unknown language.
    """
    _check_lang(lang)
    try:
        entry = STRINGS[key]
    except KeyError:
        raise KeyError(f"no i18n string for key {key!r}") from None
    text = entry[lang]
    return text.format(**fmt) if fmt else text


def has(key: str) -> bool:
    """Whether ``key`` is defined."""
    return key in STRINGS


def t_or(key: str, lang: str, default: str) -> str:
    """Like :func:`t` but returns ``default`` for an unknown key (for optional ids)."""
    return t(key, lang) if key in STRINGS else default


def add_strings(entries: Mapping[str, Mapping[str, str]], *, override: bool = False) -> None:
    """Add entries ``key -> {"en": ..., "zh": ...}``; each needs both languages.

    Re-defining an existing key with different text raises ``ValueError`` unless
    ``override`` is true.
    """
    for key, entry in entries.items():
        missing = [lang for lang in LANGS if not entry.get(lang)]
        if missing:
            raise ValueError(f"i18n key {key!r} lacks text for {missing}")
        new = {lang: entry[lang] for lang in LANGS}
        if not override and key in STRINGS and STRINGS[key] != new:
            raise ValueError(f"i18n key {key!r} is already defined differently")
        STRINGS[key] = new
