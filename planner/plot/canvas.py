"""A small vector canvas for charts drawn without matplotlib: rectangles, lines, circles and
text in points (1/72 in, y downwards), written as SVG (text as text) and as PNG (Pillow).

Why: ``planner run`` writes two MAC charts (PNG and SVG each) on every run; with matplotlib
their import and drawing cost more CPU than the rest of the run (performance issue, see
``bench/README.md``). These charts need only axis-aligned bars, lines, one marker and text, so
they are drawn here; the report's other charts stay matplotlib figures.

Fonts: DejaVu Sans for what it covers, then planner's bundled CJK font (Planner Sans SC), per
character, in both outputs; no installed font is looked up, so a chart is the same on every
machine. The SVG keeps text as text (editable, searchable) with that font order and common
CJK fonts after it; the PNG is drawn with the fonts themselves. Outputs are deterministic.
"""

from __future__ import annotations

import functools
import html
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from planner.plot import fonts as _fonts
from planner.plot.fontfiles import codepoints, latin_font_file
from planner.plot.fonts import LATIN_FAMILY
from planner.plot.palette import to_rgb

#: PNG resolution (dots per inch), as the matplotlib charts
PNG_DPI = 180
#: drawing resolution / PNG resolution: lines, hatches and markers are smoothed by drawing at
#: this multiple and reducing
_SUPERSAMPLE = 2
BUNDLED_FAMILY = "Planner Sans SC"
#: the SVG's font order: planner's fonts first, then CJK fonts common on desktops
SVG_FONT_FAMILY = (f"'{LATIN_FAMILY}', '{BUNDLED_FAMILY}', 'Noto Sans CJK SC', "
                   "'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif")
#: the measuring size of a font (px); lengths scale linearly from it
_REF_PX = 100


@dataclass(frozen=True)
class Rect:
    """A rectangle, top-left (x, y), size (w, h), in pt. `hatch`: colour of diagonal lines
    drawn over the fill; `opacity` of the fill (0..1)."""

    x: float
    y: float
    w: float
    h: float
    fill: str | None
    stroke: str | None = None
    stroke_width: float = 0.0
    hatch: str | None = None
    opacity: float = 1.0
    gid: str | None = None


@dataclass(frozen=True)
class Line:
    """A polyline through `points` (pt); `dash`: on/off lengths in pt."""

    points: tuple[tuple[float, float], ...]
    colour: str
    width: float
    dash: tuple[float, float] | None = None


@dataclass(frozen=True)
class Circle:
    """A filled circle, centre (cx, cy), radius r (pt)."""

    cx: float
    cy: float
    r: float
    fill: str


#: distance between the baselines of two lines of text, in font sizes
LINE_SPACING = 1.2


@dataclass(frozen=True)
class Text:
    """Text whose (first) baseline starts at (x, y) (pt) before rotation; further lines
    ("\\n") follow LINE_SPACING sizes below. `rotate` 90 turns one line to read upwards about
    (x, y). `size` in pt; `background`: a box behind it."""

    x: float
    y: float
    text: str
    size: float
    colour: str = "#222222"
    rotate: int = 0
    background: str | None = None
    background_alpha: float = 1.0
    gid: str | None = None


Item = Rect | Line | Circle | Text


class Fonts:
    """Fonts in fallback order, (family, file) each; a character is set in the first that has
    it. Measures text in pt."""

    def __init__(self, fonts: Sequence[tuple[str, str]]) -> None:
        self.fonts = tuple(fonts)
        self.cover = [codepoints(path) for _, path in self.fonts]

    @staticmethod
    def planner() -> Fonts:
        """DejaVu Sans, then the bundled CJK font when it can be read."""
        found = [(LATIN_FAMILY, latin_font_file())]
        if codepoints(str(_fonts.BUNDLED_FONT)):
            found.append((BUNDLED_FAMILY, str(_fonts.BUNDLED_FONT)))
        return Fonts(found)

    @property
    def coverage(self) -> frozenset[int]:
        """Every code point some font can draw."""
        return frozenset().union(*self.cover)

    def runs(self, text: str) -> list[tuple[int, str]]:
        """`text` cut into (font index, piece) runs; a character no font has goes to font 0."""
        out: list[tuple[int, str]] = []
        for ch in text:
            cp = ord(ch)
            k = next((i for i, c in enumerate(self.cover) if cp in c), 0)
            if out and out[-1][0] == k:
                out[-1] = (k, out[-1][1] + ch)
            else:
                out.append((k, ch))
        return out

    def length(self, text: str, size: float) -> float:
        """Advance width of `text` (its longest line) at `size` pt, in pt."""
        if "\n" in text:
            return max(self.length(line, size) for line in text.split("\n"))
        return sum(_font(self.fonts[k][1], _REF_PX).getlength(s)
                   for k, s in self.runs(text)) * size / _REF_PX

    def ascent(self, size: float) -> float:
        """Height of capitals above the baseline at `size` pt (about 0.73 em), in pt."""
        return 0.73 * size


def text_box(fonts: Fonts, it: Text) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1), pt: the box a one-line text and its background take on the page."""
    length = fonts.length(it.text, it.size)
    pad = 0.08 * it.size
    asc, box_h = fonts.ascent(it.size), _box_height(it.size, pad)
    if it.rotate == 90:
        return (it.x - asc - pad, it.y - length - pad, it.x - asc - pad + box_h, it.y + pad)
    return (it.x - pad, it.y - asc - pad, it.x + length + pad, it.y - asc - pad + box_h)


@functools.cache
def _font(path: str, px: int):
    from PIL import ImageFont

    return ImageFont.truetype(path, px, layout_engine=ImageFont.Layout.BASIC)


class Canvas:
    """Items drawn in order on a white page of `width` × `height` pt."""

    def __init__(self, width: float, height: float, fonts: Fonts) -> None:
        self.width, self.height, self.fonts = float(width), float(height), fonts
        self.items: list[Item] = []

    def add(self, item: Item | None) -> Item | None:
        """Draw `item` over what is there (None: nothing to draw)."""
        if item is not None:
            self.items.append(item)
        return item

    def text_length(self, text: str, size: float) -> float:
        """Advance width of `text` at `size` pt, in pt."""
        return self.fonts.length(text, size)

    # -- SVG
    def to_svg(self) -> str:
        """The page as an SVG document (pt units, deterministic)."""
        w, h = _num(self.width), _num(self.height)
        out = ['<?xml version="1.0" encoding="utf-8" standalone="no"?>',
               f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}pt" height="{h}pt" '
               f'viewBox="0 0 {w} {h}" version="1.1">',
               f'<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>']
        hatches = sorted({i.hatch for i in self.items if isinstance(i, Rect) and i.hatch})
        if hatches:
            out.append("<defs>")
            for k, c in enumerate(hatches):
                out.append(f'<pattern id="hatch{k}" patternUnits="userSpaceOnUse" width="4" '
                           f'height="4"><path d="M-1,1 l2,-2 M0,4 l4,-4 M3,5 l2,-2" '
                           f'stroke="{c}" stroke-width="0.6"/></pattern>')
            out.append("</defs>")
        hatch_id = {c: f"hatch{k}" for k, c in enumerate(hatches)}
        for it in self.items:
            out.append(_svg_item(it, hatch_id, self.fonts))
        out.append("</svg>")
        return "\n".join(out) + "\n"

    # -- PNG
    def to_png(self, dpi: int = PNG_DPI) -> bytes:
        """The page as PNG bytes at `dpi`."""
        from PIL import Image, ImageDraw

        k = dpi / 72 * _SUPERSAMPLE
        size = (max(1, round(self.width * k)), max(1, round(self.height * k)))
        im = Image.new("RGB", size, "white")
        draw = ImageDraw.Draw(im, "RGBA")
        for it in self.items:
            _png_item(im, draw, it, k, self.fonts)
        im = im.reduce(_SUPERSAMPLE)
        buf = io.BytesIO()
        im.save(buf, "PNG", compress_level=1, dpi=(dpi, dpi))  # fast; files ~5 % larger
        return buf.getvalue()

    def save(self, out_dir: Path | str, stem: str) -> list[Path]:
        """Write ``stem.png`` and ``stem.svg`` into `out_dir`; both paths."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        png, svg = out / f"{stem}.png", out / f"{stem}.svg"
        png.write_bytes(self.to_png())
        svg.write_text(self.to_svg(), encoding="utf-8")
        return [png, svg]


# ------------------------------------------------------------------ SVG items


def _num(v: float) -> str:
    """A coordinate in pt, to 1/1000 pt, without a trailing zero."""
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _attr(name: str, value: object) -> str:
    return f' {name}="{html.escape(str(value), quote=True)}"'


def _svg_item(it: Item, hatch_id: dict[str, str], fonts: Fonts) -> str:
    if isinstance(it, Rect):
        base = (f'x="{_num(it.x)}" y="{_num(it.y)}" width="{_num(it.w)}" '
                f'height="{_num(it.h)}"')
        gid = _attr("id", it.gid) if it.gid else ""
        fill = it.fill or "none"
        extra = f' fill-opacity="{it.opacity:g}"' if it.opacity < 1 else ""
        if it.stroke and it.stroke_width > 0:
            extra += f' stroke="{it.stroke}" stroke-width="{it.stroke_width:g}"'
        s = f'<rect{gid} {base} fill="{fill}"{extra}/>'
        if it.hatch:
            s = (f"<g{gid}>" + s.replace(gid, "", 1) +
                 f'<rect {base} fill="url(#{hatch_id[it.hatch]})"/></g>')
        return s
    if isinstance(it, Line):
        pts = " ".join(f"{_num(x)},{_num(y)}" for x, y in it.points)
        dash = (f' stroke-dasharray="{it.dash[0]:g},{it.dash[1]:g}"' if it.dash else "")
        return (f'<polyline points="{pts}" fill="none" stroke="{it.colour}" '
                f'stroke-width="{it.width:g}"{dash}/>')
    if isinstance(it, Circle):
        return (f'<circle cx="{_num(it.cx)}" cy="{_num(it.cy)}" r="{_num(it.r)}" '
                f'fill="{it.fill}"/>')
    # Text
    rot = f' transform="rotate(-90 {_num(it.x)} {_num(it.y)})"' if it.rotate == 90 else ""
    gid = _attr("id", it.gid) if it.gid else ""
    s = ""
    if it.background:  # the page box of the text, already turned
        x0, y0, x1, y1 = text_box(fonts, it)
        s = (f'<rect x="{_num(x0)}" y="{_num(y0)}" width="{_num(x1 - x0)}" '
             f'height="{_num(y1 - y0)}" fill="{it.background}" '
             f'fill-opacity="{it.background_alpha:g}"/>')
    lines = it.text.split("\n")
    body = html.escape(lines[0], quote=False) + "".join(
        f'<tspan x="{_num(it.x)}" dy="{LINE_SPACING * it.size:g}">'
        f'{html.escape(line, quote=False)}</tspan>' for line in lines[1:])
    return (s + f'<text{gid} x="{_num(it.x)}" y="{_num(it.y)}" font-size="{it.size:g}" '
            f'font-family="{SVG_FONT_FAMILY}" fill="{it.colour}"{rot} '
            f'xml:space="preserve">{body}</text>')


def _box_height(size: float, pad: float) -> float:
    """Height of a text's background box: capitals and descenders, plus padding (pt)."""
    return 0.73 * size + 0.24 * size + 2 * pad


# ------------------------------------------------------------------ PNG items


def _rgba(colour: str, alpha: float = 1.0) -> tuple[int, int, int, int]:
    r, g, b = to_rgb(colour)
    return (round(r * 255), round(g * 255), round(b * 255), round(alpha * 255))


def _png_item(im, draw, it: Item, k: float, fonts: Fonts) -> None:
    if isinstance(it, Rect):
        box = _px_box(it.x, it.y, it.w, it.h, k)
        if box is None:
            return
        if it.fill:
            draw.rectangle(box, fill=_rgba(it.fill, it.opacity))
        if it.hatch:
            _hatch(im, box, it.hatch, k)
        if it.stroke and it.stroke_width > 0:
            draw.rectangle(box, outline=_rgba(it.stroke),
                           width=max(1, round(it.stroke_width * k)))
    elif isinstance(it, Line):
        pts = [(x * k, y * k) for x, y in it.points]
        width = max(1, round(it.width * k))
        segs = _dashed(pts, (it.dash[0] * k, it.dash[1] * k)) if it.dash else [pts]
        for seg in segs:
            draw.line(seg, fill=_rgba(it.colour), width=width, joint="curve")
    elif isinstance(it, Circle):
        r = it.r * k
        draw.ellipse([it.cx * k - r, it.cy * k - r, it.cx * k + r, it.cy * k + r],
                     fill=_rgba(it.fill))
    else:
        _png_text(im, draw, it, k, fonts)


def _px_box(x: float, y: float, w: float, h: float, k: float) -> list[int] | None:
    """A rectangle in whole pixels (edges rounded), None when it has no area."""
    x0, y0 = round(x * k), round(y * k)
    x1, y1 = round((x + w) * k), round((y + h) * k)
    if x1 <= x0 or y1 <= y0:
        return None
    return [x0, y0, x1 - 1, y1 - 1]


def _hatch(im, box: list[int], colour: str, k: float) -> None:
    """Diagonal lines (rising to the right, 4 pt apart, 0.6 pt wide) within `box`."""
    from PIL import Image, ImageDraw

    x0, y0, x1, y1 = box
    w, h = x1 - x0 + 1, y1 - y0 + 1
    mask = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(mask)
    step, width = 4 * k, max(1, round(0.6 * k))
    c = -h
    while c < w + h:
        d.line([(c, h), (c + h, 0)], fill=255, width=width)
        c += step
    im.paste(_rgba(colour)[:3], (x0, y0, x1 + 1, y1 + 1), mask)


def _dashed(pts: list[tuple[float, float]], dash: tuple[float, float]
            ) -> list[list[tuple[float, float]]]:
    """The "on" pieces of a polyline dashed `dash` = (on, off) px."""
    on, off = dash
    out: list[list[tuple[float, float]]] = []
    drawing, left = True, on
    for (ax, ay), (bx, by) in zip(pts, pts[1:], strict=False):
        seg = math.hypot(bx - ax, by - ay)
        t = 0.0
        while t < seg:
            step = min(left, seg - t)
            if drawing:
                a, b = t / seg, (t + step) / seg
                out.append([(ax + (bx - ax) * a, ay + (by - ay) * a),
                            (ax + (bx - ax) * b, ay + (by - ay) * b)])
            t += step
            left -= step
            if left <= 1e-9:
                drawing = not drawing
                left = on if drawing else off
    return out


def _png_text(im, draw, it: Text, k: float, fonts: Fonts) -> None:
    from PIL import Image, ImageDraw

    px = max(1, round(it.size * k))
    x0, y0, x1, y1 = (v * k for v in text_box(fonts, it))  # the page box, already turned
    if it.background:
        draw.rectangle([round(x0), round(y0), round(x1) - 1, round(y1) - 1],
                       fill=_rgba(it.background, it.background_alpha))
    if it.rotate == 0:
        for n, line in enumerate(it.text.split("\n")):
            x, y = it.x * k, (it.y + n * LINE_SPACING * it.size) * k
            for i, s in fonts.runs(line):
                font = _font(fonts.fonts[i][1], px)
                draw.text((x, y), s, font=font, fill=_rgba(it.colour), anchor="ls")
                x += font.getlength(s)
        return
    # rotated: drawn level on a mask the size of its box, turned a quarter, pasted with its
    # colour at the box's place on the page
    left, top = round(x0), round(y0)
    w, h = max(1, round(y1) - top), max(1, round(x1) - left)  # the level mask's width, height
    mask = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(mask)
    # a level (u, v) lands at (left + v, top + w − u): the baseline starts at (x, y) on the page
    x, base = y1 - it.y * k, it.x * k - x0
    for i, s in fonts.runs(it.text):
        font = _font(fonts.fonts[i][1], px)
        d.text((x, base), s, font=font, fill=255, anchor="ls")
        x += font.getlength(s)
    mask = mask.transpose(Image.Transpose.ROTATE_90)
    im.paste(_rgba(it.colour)[:3], (left, top, left + h, top + w), mask)


__all__ = ["LINE_SPACING", "PNG_DPI", "SVG_FONT_FAMILY", "Canvas", "Circle", "Fonts", "Item",
           "Line", "Rect", "Text", "text_box"]
