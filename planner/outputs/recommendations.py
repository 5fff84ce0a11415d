"""Files of the policy recommendations: recommendations.csv (one row per target-level item,
measure and project, with the evidence) and recommendations.md (the same in words, with the
indicators to track per year)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from planner.analysis.recommendation_text import recommendation_table
from planner.analysis.recommendations import Recommendations, recommendations
from planner.i18n import t
from planner.labels import Labels, load_labels
from planner.outputs.folder import write_csv
from planner.report.recommendations import intro, tracking_rows
from planner.results import Result

Writers = dict[str, Callable[[Path], None]]


def labels_of(res: Result) -> Labels:
    """The dataset's labels, with the project names of projects.csv as a fallback."""
    proj = res.inputs.projects
    names = dict(zip(proj.index, proj["name"], strict=True))
    return load_labels(res.inputs.dataset.folder).with_projects(names)


def tracking_table(rec: Recommendations, lang: str) -> pd.DataFrame:
    """The planned value of each tracked indicator per year, display units and headers."""
    headers, rows = tracking_rows(rec, lang)
    return pd.DataFrame(rows, columns=headers)


def _md_table(df: pd.DataFrame) -> str:
    def cell(v: object) -> str:
        return str(v).replace("|", "\\|")

    lines = ["| " + " | ".join(cell(c) for c in df.columns) + " |",
             "|" + "|".join("---" for _ in df.columns) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |"
              for row in df.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def recommendations_markdown(res: Result, rec: Recommendations, table: pd.DataFrame,
                             lang: str = "en") -> str:
    """recommendations.md: the target-level recommendations, then per measure and per project
    (name, class, recommendation), then the indicators to track per year."""
    inp = res.inputs
    opening = intro(rec, inp.rate, inp.start, lang)
    out = [f"# {t('rec.title', lang, name=res.scenario.name)}", "",
           ("" if lang == "zh" else " ").join(opening), "",
           f"## {t('rec.h.target', lang)}", ""]
    for r in table[table["level"] == "target"].itertuples(index=False):
        out.append(f"- **{r.class_name}**: {r.recommendation}")
    heads = [t("rec.h.item", lang), t("rec.h.class", lang), t("rec.h.recommendation", lang)]
    for level, key in (("measure", "rec.h.measures"), ("project", "rec.h.projects")):
        part = table[table["level"] == level]
        out += ["", f"## {t(key, lang)}", "",
                _md_table(pd.DataFrame(
                    [[r.name, r.class_name, r.recommendation]
                     for r in part.itertuples(index=False)], columns=heads)).rstrip("\n")]
    out += ["", f"## {t('rec.h.tracking', lang)}", "",
            _md_table(tracking_table(rec, lang)).rstrip("\n"), ""]
    return "\n".join(out)


def recommendation_writers(res: Result, private_rate: float | None = None,
                           lang: str = "en", rec: Recommendations | None = None,
                           ranking_table: pd.DataFrame | None = None) -> Writers:
    """recommendations.csv and recommendations.md of an optimal result (none otherwise)."""
    if not res.optimal:
        return {}
    rec = rec if rec is not None else recommendations(res, private_rate, ranking_table)
    table = recommendation_table(rec, lang, labels_of(res))
    md = recommendations_markdown(res, rec, table, lang)
    return {"recommendations.csv": lambda p: write_csv(table, p),
            "recommendations.md": lambda p: p.write_text(md, encoding="utf-8")}
