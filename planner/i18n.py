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
