"""What a report page embeds so that it is one self-contained file: its style sheet and page
template, chart images as data URIs and the bundled CJK font cut down to the characters the
page uses."""

from __future__ import annotations

import base64
import io
from string import Template

from planner.plot.fonts import BUNDLED_FONT

FONTS = {
    "en": '"Segoe UI", "Helvetica Neue", Arial, "Noto Sans", "Source Han Sans SC", '
          '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Planner Sans SC", sans-serif',
    "zh": '"Source Han Sans SC", "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", '
          '"Microsoft YaHei", "WenQuanYi Micro Hei", "Hiragino Sans GB", "Planner Sans SC", '
          '"Segoe UI", Arial, sans-serif',
}

CSS = """
*{box-sizing:border-box}
html{background:#e9edf1}
body{margin:0 auto;max-width:1100px;background:#fff;color:#1b1f24;font-family:$fonts;
 font-size:15px;line-height:1.6;padding:0 0 40px;box-shadow:0 0 12px rgba(0,0,0,.08)}
header.cover{background:#0d3b66;color:#fff;padding:30px 48px 26px}
header.cover .kicker{font-size:13px;letter-spacing:.06em;opacity:.85}
header.cover h1{margin:6px 0 6px;font-size:28px;font-weight:600;line-height:1.3}
header.cover .meta{font-size:13px;opacity:.85}
main{padding:4px 48px}
nav.toc{margin:20px 0 4px;padding:12px 18px;background:#f4f6f8;border:1px solid #dde3e8}
nav.toc h2{border:0;margin:0 0 4px;font-size:15px;color:#1b1f24;padding:0}
nav.toc ol{margin:0;padding-left:22px;columns:2;font-size:14px}
nav.toc a{color:#0d3b66;text-decoration:none}
h2{font-size:20px;color:#0d3b66;border-bottom:2px solid #0d3b66;padding-bottom:4px;
 margin:34px 0 12px;line-height:1.35}
h3{font-size:16px;margin:22px 0 6px;color:#1b1f24}
p{margin:8px 0}
.kpis{display:grid;grid-template-columns:repeat(3,1fr);gap:12px;margin:14px 0 16px}
.kpi{border:1px solid #d5dbe1;border-top:4px solid #0d3b66;padding:10px 14px 12px;
 background:#f8fafc}
.kpi .k{font-size:13px;color:#4a5560}
.kpi .v{font-size:26px;font-weight:600;line-height:1.35;font-variant-numeric:tabular-nums}
.kpi .v small{font-size:14px;font-weight:400;color:#4a5560;margin-left:4px}
.kpi .u{font-size:12px;color:#4a5560}
.kpi.bad{border-top-color:#b3261e}
.lead{font-size:15.5px}
figure{margin:14px 0 22px;break-inside:avoid}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:16px;align-items:start}
.pair figure{margin-top:6px}
figure img{width:100%;height:auto;display:block;border:1px solid #e3e7eb}
figcaption{font-size:13px;color:#3d4750;margin-top:6px}
figcaption b,caption b{color:#1b1f24}
.tablewrap{overflow-x:auto;margin:8px 0 20px}
table{border-collapse:collapse;width:100%;font-size:13px;font-variant-numeric:tabular-nums}
caption{caption-side:top;text-align:left;font-size:13px;color:#3d4750;padding:2px 0 6px}
th{background:#e9eef3;font-weight:600;text-align:left;vertical-align:bottom;padding:6px 8px;
 border-bottom:1px solid #9aa5b1;line-height:1.35}
td{padding:4px 8px;border-bottom:1px solid #e3e7eb;vertical-align:top}
td.r,th.r{text-align:right}
td:first-child{min-width:4.5em}
td.r{white-space:nowrap}
tr.total td{font-weight:600;border-top:1px solid #9aa5b1;background:#f4f6f8}
tr.hl td{background:#fff6d9}
table.kv th{width:28%;background:#f4f6f8;vertical-align:top;border-bottom:1px solid #e3e7eb}
td.why{min-width:260px;font-size:12.5px}
tr.main td{border-bottom:0}
tr.detail td{font-size:12.5px;color:#3d4750;padding-top:0}
.note{background:#fff8e6;border-left:4px solid #e0a100;padding:8px 12px;font-size:14px;
 margin:12px 0}
.alert{background:#fdecea;border-left:4px solid #b3261e;padding:10px 14px;margin:12px 0}
.nw{white-space:nowrap}
td.wide{min-width:190px}
.sw{display:inline-block;width:10px;height:10px;margin-right:6px;border-radius:2px}
.id{color:#6b7680;font-size:11.5px;display:block}
code{font-size:12px;word-break:break-all}
details{margin:8px 0;font-size:13px;color:#3d4750}
footer{margin:32px 48px 0;padding-top:10px;border-top:1px solid #dde3e8;font-size:12px;
 color:#6b7680}
@media print{html{background:#fff}body{max-width:none;box-shadow:none}
 header.cover{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 nav.toc{display:none}h2{break-after:avoid}tr{break-inside:avoid}
 .pair{grid-template-columns:1fr}}
@media (max-width:720px){main{padding:4px 16px}header.cover{padding:20px 16px}
 .kpis{grid-template-columns:1fr 1fr}nav.toc ol{columns:1}.pair{grid-template-columns:1fr}}
"""

PAGE = Template("""<!DOCTYPE html>
<html lang="$html_lang">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="planner $version">
<title>$title</title>
<style>$css</style>
</head>
<body>
<header class="cover">
<div class="kicker">$kicker</div>
<h1>$name</h1>
<div class="meta">$meta</div>
</header>
<main>
$warning
<nav class="toc"><h2>$contents</h2><ol>$toc</ol></nav>
$sections
</main>
<footer>$footer</footer>
</body>
</html>
""")



def embedded_font_css(page: str) -> str:
    """An @font-face rule holding the bundled CJK font cut down to the characters `page` uses,
    so Chinese text renders on a machine without a Chinese font (a few kB, not 1.6 MB)."""
    from fontTools import subset  # deferred: only a Chinese page needs fontTools
    from fontTools.ttLib import TTFont

    chars = {c for c in page if ord(c) > 0x2E7F}  # CJK punctuation and ideographs onwards
    if not chars or not BUNDLED_FONT.exists():
        return ""
    font = TTFont(str(BUNDLED_FONT))
    sub = subset.Subsetter(subset.Options())
    sub.populate(text="".join(sorted(chars)))
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return ("@font-face{font-family:'Planner Sans SC';"
            f"src:url(data:font/otf;base64,{data}) format('opentype');}}")


def png_data_uri(png: bytes) -> str:
    """A PNG image as a ``data:`` URI for an ``<img src>``."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
