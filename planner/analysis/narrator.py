"""The one narrator of shortfalls and project limits: the words about an infeasible target, in
English or Chinese (strings in planner/i18n/strings.csv), for the terminal, the report,
Markdown and the rows of sweeps and frontiers alike.

It only turns analysis tables into sentences (no layout, no files); it sits in the analysis
layer so that the analyses that record a reason in a table (sweep, frontier, compare) can use
the same words as the presentation.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from planner.analysis.shortfall import Diagnosis, RegionDiagnosis, Shortfall
from planner.i18n import t, t_or
from planner.labels import Labels, display
from planner.model.inputs import ModelInputs
from planner.regions import RegionScenario
from planner.units import tonnes

#: at most this many short years are given one by one with their tonnes
YEARS_SHOWN = 4
#: at most this many projects are named in a list; the rest are counted
NAMES_SHOWN = 6


def join_words(items: Sequence[str], lang: str) -> str:
    """"a", "a and b", "a, b and c" (zh: 、 and 和)."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return t("report.list_sep", lang).join(items[:-1]) + t("diag.and", lang) + items[-1]


def year_list(years: Sequence[int], lang: str) -> str:
    """Every year named, consecutive runs as ranges: "2020", "2020 and 2021",
    "2020–2025", "2020–2022 and 2025"."""
    ys = sorted({int(y) for y in years})
    runs: list[tuple[int, int]] = []
    for y in ys:
        if runs and y == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], y)
        else:
            runs.append((y, y))
    parts = []
    for a, b in runs:
        if a == b:
            parts.append(t("diag.year", lang, year=a))
        elif b == a + 1:
            parts += [t("diag.year", lang, year=a), t("diag.year", lang, year=b)]
        else:
            parts.append(t("diag.years", lang, a=a, b=b))
    return join_words(parts, lang)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def names_list(names: Sequence[str], lang: str) -> str:
    """A few names, then "and N more"."""
    names = list(names)
    if len(names) <= NAMES_SHOWN:
        return join_words(names, lang)
    return join_words([*names[:NAMES_SHOWN], t("diag.n_more", lang, n=len(names) - NAMES_SHOWN)],
                      lang)


# ---------------------------------------------------------------- limits


def limit_words(kind: str, lang: str = "en", **params) -> str:
    """A project limit in words (`kind`: one of planner.analysis.limits.KINDS)."""
    return t(f"limit.{kind}", lang, **params)


def limit_text(row, lang: str) -> str:
    """A limits row (planner.analysis.limits.project_limits) in `lang`."""
    params: dict = {}
    for k in ("value", "unit", "group"):
        v = getattr(row, k, None)
        if v is not None and not pd.isna(v):
            params[k] = v
    since = getattr(row, "since", None)
    if since is not None and not pd.isna(since):
        params["year"] = int(since)
    return limit_words(row.kind, lang, **params)


# ---------------------------------------------------------------- shortfall


def _groups(names: Sequence[str], lang: str) -> str:
    return join_words([t_or(f"diag.group.{n}", lang, str(n)) for n in names], lang)


def shortfall_sentences(short: Shortfall, lang: str) -> list[str]:
    """The shortfall per year (each year once) and the horizon-wide ones, in sentences."""
    out = []
    by = short.by_year
    if len(by):
        groups = list(dict.fromkeys(c for cs in by["constraints"] for c in cs.split()))
        years = [int(y) for y in by["year"]]
        v = by["shortfall_t"].to_numpy(float)
        if len(by) <= YEARS_SHOWN:
            amounts = join_words([t("diag.amount", lang, value=tonnes(x, lang), year=y)
                                  for x, y in zip(v, years, strict=True)], lang)
        else:
            k = int(v.argmax())
            amounts = t("diag.amount_many", lang, first=tonnes(v[0], lang), year=years[0],
                        top=tonnes(v[k], lang), top_year=years[k],
                        total=tonnes(v.sum(), lang))
        key = "diag.short_one" if len(groups) == 1 else "diag.short_many"
        out.append(_cap(t(key, lang, groups=_groups(groups, lang),
                          years=year_list(years, lang), amounts=amounts)))
    for r in short.horizon.itertuples(index=False):
        out.append(_cap(t("diag.short_total", lang, group=_groups([r.constraint], lang),
                          value=tonnes(r.shortfall_t, lang))))
    return out


def shortfall_summary(short: Shortfall | None, lang: str = "en") -> str:
    """The reason of an infeasible point of a sweep or frontier: its minimum shortfall."""
    if short is None:
        return t("diag.no_elastic", lang)
    if short.rows.empty:
        return t("diag.no_shortfall", lang)
    return t("report.clause_sep", lang).join(s.rstrip(".。") for s in
                                              shortfall_sentences(short, lang)) + \
        t("diag.stop", lang)


# ---------------------------------------------------------------- the diagnosis


def _what(inp: ModelInputs, lang: str) -> str:
    """What the target asks, as a subject: "A cap of 95 t and a peak by 2025 are …"."""
    tg = inp.scenario.target
    what = []
    if tg.cap_t is not None:
        what.append(t("diag.what.cap", lang, value=tonnes(tg.cap_t, lang)))
    if tg.peak_year is not None:
        what.append(t("diag.what.peak", lang, year=tg.peak_year))
    for key in ("cap_path_t", "carbon_budget_t", "intensity", "per_capita_t", "sector_cap_t"):
        if getattr(tg, key, None) not in (None, {}, []):
            what.append(t(f"diag.what.{key}", lang))
    if not what:
        return t("report.diag.head", lang)
    key = "diag.out_one" if len(what) == 1 else "diag.out_many"
    return _cap(t(key, lang, what=join_words(what, lang)))


def _others(inp: ModelInputs) -> bool:
    """Whether the target holds more than its cap and peak year."""
    tg = inp.scenario.target
    return any(getattr(tg, k, None) not in (None, {}, [])
               for k in ("cap_path_t", "carbon_budget_t", "intensity", "per_capita_t",
                         "sector_cap_t"))


def relief_sentences(inp: ModelInputs, diag: Diagnosis, lang: str,
                     name=lambda p: str(p)) -> list[str]:
    """Which projects' own limits hold the shortfall (planner.analysis.relief), largest relief
    first; a relief known only from below (NaN relief_t) reads "by at least"."""
    rel = diag.relief
    if rel is None or rel.empty:
        return []
    groups = inp.projects["exclusive_group"]
    items = []
    low = rel["relief_min_t"] if "relief_min_t" in rel else rel["relief_t"]
    lowers = rel.assign(low_t=low)[rel["lowers_shortfall"].astype(bool)]
    for r in lowers.sort_values(["relief_t", "low_t"], ascending=False).itertuples():
        kinds = r.limiting.split()
        if kinds == ["together"]:
            what = t("relax.together", lang)
        else:
            what = join_words([t(f"relax.{k}", lang, group=groups.get(r.project, ""))
                               for k in kinds], lang)
        known = r.relief_t == r.relief_t  # not NaN
        items.append(t("diag.relief_item" if known else "diag.relief_item_min", lang,
                       name=name(r.project), limits=what,
                       value=tonnes(r.relief_t if known else r.low_t, lang)))
    decided = rel["relief_max_t"].notna() if "relief_max_t" in rel else rel["relief_t"].notna()
    rest = [name(p) for p in rel.loc[~rel["lowers_shortfall"].astype(bool) & decided,
                                     "project"]]
    out = []
    if items:
        out.append(t("diag.relief", lang, items=names_list(items, lang)))
        if rest:
            out.append(t("diag.relief_rest", lang, items=names_list(rest, lang)))
    elif rest:
        out.append(t("diag.relief_none", lang))
    return out


def diagnosis_text(inp: ModelInputs, diag: Diagnosis | None, lang: str = "en",
                   labels: Labels | None = None) -> str:
    """The diagnosis of an infeasible target in plain words."""
    if diag is None:
        return t("report.diag.head", lang)
    names = dict(zip(inp.projects.index.astype(str), inp.projects["name"], strict=True))

    def name(p) -> str:
        return (str(p) if lang == "en"
                else display("project", p, lang, labels, names.get(str(p))))

    tg = inp.scenario.target
    out = [_what(inp, lang)]
    short = Shortfall(diag.shortfall, diag.by_year, diag.shortfall[diag.shortfall["year"].isna()],
                      diag.total_shortfall_t)
    if diag.shortfall.empty:
        out.append(t("diag.no_shortfall_full", lang))
    out += shortfall_sentences(short, lang)
    years = [int(y) for y in diag.by_year["year"]] if len(diag.by_year) else []
    if years and not diag.limits.empty:
        y0 = years[0]
        lim = diag.limits[diag.limits["year"] == y0]
        kinds: dict[str, list[str]] = {}
        for r in lim.itertuples():
            kinds.setdefault(r.kind, []).append(name(r.project))
        items = t("report.clause_sep", lang).join(
            f"{t(f'limit.kind.{k}', lang)}{t('diag.colon', lang)}{names_list(v, lang)}"
            for k, v in kinds.items())
        out.append(t("diag.limits", lang, year=y0, items=items))
    out += relief_sentences(inp, diag, lang, name)
    f = diag.facts
    if "earliest_feasible_peak_year_at_cap" in f:
        y = f["earliest_feasible_peak_year_at_cap"]
        out.append(t("diag.earliest", lang, year=y) if y else t("diag.no_year", lang,
                                                                  end=inp.report_end))
    if "lowest_feasible_peak_t" in f:
        low = f["lowest_feasible_peak_t"]
        if low is not None:
            by = t("diag.lowest_by", lang, year=tg.peak_year) if tg.peak_year else ""
            out.append(t("diag.lowest", lang, by=by, value=tonnes(low, lang)))
        elif tg.peak_year is not None:
            out.append(t("diag.never", lang, year=tg.peak_year))
        elif _others(inp):
            out.append(t("diag.other", lang))
        else:
            out.append(t("diag.no_plan", lang))
    return ("" if lang == "zh" else " ").join(out)  # Chinese sentences run on without spaces


# ---------------------------------------------------------------- several regions


def _joint_what(rs: RegionScenario, lang: str) -> list[str]:
    """The joint target's parts, as subjects ("a cap of 95 t", "a peak by 2025", …)."""
    jt = rs.target.joint
    what = []
    if jt.cap_t is not None:
        what.append(t("diag.what.cap", lang, value=tonnes(jt.cap_t, lang)))
    if jt.peak_year is not None:
        what.append(t("diag.what.peak", lang, year=jt.peak_year))
    if jt.cap_path_t:
        what.append(t("diag.what.cap_path_t", lang))
    if jt.carbon_budget_t is not None:
        what.append(t("diag.what.carbon_budget_t", lang))
    return what


def region_diagnosis_text(rs: RegionScenario, rd: RegionDiagnosis, lang: str = "en") -> str:
    """The diagnosis of an infeasible region scenario in plain words: what falls short (the
    joint rows, each city's obligation and own targets), by how much, in which years, and
    which of each city's project limits bind in the first short year."""
    what = _joint_what(rs, lang)
    out = [t("region.diag.head", lang, what=join_words(what, lang)) if what
           else t("region.diag.head_own", lang)]
    sep = "" if lang == "zh" else " "
    if not len(rd.joint.rows) and not rd.short_cities:
        out.append(t("region.diag.none", lang))
        return sep.join(out)
    if len(rd.joint.rows):
        out.append(t("region.diag.joint", lang,
                     text=sep.join(shortfall_sentences(rd.joint, lang))))
    for r in rd.short_cities:
        out.append(t("region.diag.city", lang, city=r,
                     text=sep.join(shortfall_sentences(rd.cities[r], lang))))
    years = rd.years
    lim = rd.limits
    if years and len(lim):
        y0 = years[0]
        per_city = []
        for r in dict.fromkeys(lim["region"]):
            rows = lim[(lim["region"] == r) & (lim["year"] == y0) & (lim["kind"] != "none")]
            kinds: dict[str, list[str]] = {}
            for row in rows.itertuples():
                kinds.setdefault(row.kind, []).append(str(row.project))
            if kinds:
                items = t("report.clause_sep", lang).join(
                    f"{t(f'limit.kind.{k}', lang)}{t('diag.colon', lang)}{names_list(v, lang)}"
                    for k, v in kinds.items())
                per_city.append(t("region.diag.limits_city", lang, city=r, items=items))
        if per_city:
            out.append(t("diag.limits", lang, year=y0,
                         items=t("report.clause_sep", lang).join(per_city)))
    if np.isfinite(rd.total_shortfall_t):
        out.append(t("region.diag.total", lang, value=tonnes(rd.total_shortfall_t, lang)))
    return sep.join(out)
