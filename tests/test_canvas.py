"""planner's chart canvas (planner.plot.canvas, planner.plot.frame): what is drawn lands where
the layout computes it, in the PNG and the SVG."""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from PIL import Image

from planner.plot.canvas import PNG_DPI, Canvas, Fonts, Line, Rect, Text, text_box
from planner.plot.frame import Frame, nice_ticks

FONTS = Fonts.planner()
K = PNG_DPI / 72  # px per pt


def _pixels(c: Canvas) -> np.ndarray:
    with Image.open(io.BytesIO(c.to_png())) as im:
        return np.asarray(im.convert("RGB")).astype(int)


def test_fonts_split_latin_and_chinese():
    assert len(FONTS.fonts) == 2, "the bundled CJK font is missing"
    assert FONTS.runs("CO₂ 屋顶光伏 PV") == [(0, "CO₂ "), (1, "屋顶光伏"), (0, " PV")]
    assert FONTS.length("屋顶光伏", 10) == pytest.approx(40, rel=0.05)  # full-width: 1 em
    assert FONTS.length("ab", 20) == pytest.approx(2 * FONTS.length("ab", 10))


def test_rectangles_land_on_their_pixels():
    c = Canvas(100, 60, FONTS)
    c.add(Rect(10, 20, 30, 10, "#ff0000"))
    c.add(Rect(50, 5, 20, 40, "#0000ff", hatch="#000000"))
    px = _pixels(c)
    assert px.shape == (round(60 * K), round(100 * K), 3)
    assert (px[round(25 * K), round(25 * K)] == [255, 0, 0]).all()
    assert (px[round(35 * K), round(25 * K)] == [255, 255, 255]).all()  # below it: white
    hatched = px[round(6 * K):round(44 * K), round(51 * K):round(69 * K)]
    assert (hatched[..., 2] > 100).mean() > 0.4 and (hatched.sum(axis=2) < 200).mean() > 0.05


@pytest.mark.parametrize("rotate", [0, 90])
@pytest.mark.parametrize("s", ["Marginal cost 585", "屋顶分布式光伏 CO₂"])
def test_text_ink_stays_in_its_box(rotate, s):
    c = Canvas(300, 300, FONTS)
    t = Text(150, 150, s, 9.0, "#000000", rotate=rotate)
    c.add(t)
    px = _pixels(c)
    ys, xs = np.nonzero(px.sum(axis=2) < 600)
    assert len(xs) > 50
    x0, y0, x1, y1 = text_box(FONTS, t)
    tol = 1.5  # px: antialiasing
    assert xs.min() >= x0 * K - tol and xs.max() <= x1 * K + tol
    assert ys.min() >= y0 * K - tol and ys.max() <= y1 * K + tol
    # and the ink fills most of the box along the text
    along = (ys.max() - ys.min()) if rotate else (xs.max() - xs.min())
    assert along >= 0.85 * FONTS.length(s, 9.0) * K


def test_svg_is_well_formed_and_deterministic():
    def draw() -> Canvas:
        c = Canvas(200, 100, FONTS)
        c.add(Rect(10, 10, 50, 20, "#336699", hatch="#000000", gid="mac-bar:p<1>"))
        c.add(Line(((0, 50), (200, 50)), "#222222", 1.1, dash=(5, 3)))
        c.add(Text(10, 80, "碳价：\n100 元/吨 & <more>", 8, rotate=0))
        c.add(Text(150, 90, "rotated", 8, rotate=90, background="#ffffff",
                   background_alpha=0.85))
        return c

    svg = draw().to_svg()
    assert svg == draw().to_svg()
    root = ET.fromstring(svg.encode("utf-8"))
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg" and root.get("width") == "200pt"
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert "mac-bar:p<1>" in ids
    text = "".join(root.find(f"{ns}text").itertext())
    assert text == "碳价：100 元/吨 & <more>"
    assert draw().to_png() == draw().to_png()


@settings(max_examples=300, deadline=None)
@given(st.floats(-1e7, 1e7), st.floats(1e-3, 1e7), st.integers(4, 10))
def test_nice_ticks(lo, span, most):
    assume(span > 1e-6 * max(1.0, abs(lo)))  # a chart's span is not lost in its offset
    hi = lo + span
    ticks = nice_ticks(lo, hi, most)
    assert 2 <= len(ticks) <= most + 1
    step = ticks[1] - ticks[0]
    assert all(lo - 1e-9 * span <= t <= hi + 1e-9 * span for t in ticks)
    assert np.allclose(np.diff(ticks), step, rtol=1e-6, atol=1e-9 * span)
    mant = step / 10 ** math.floor(math.log10(step) + 1e-9)
    assert any(abs(mant - m) < 1e-6 for m in (1, 2, 2.5, 5, 10))
    # no room for another tick at either end (up to rounding at the very edge)
    assert ticks[0] - step < lo + 1e-6 * span and ticks[-1] + step > hi - 1e-6 * span


def test_frame_maps_data_both_ways():
    f = Frame(50, 20, 450, 320, (0.0, 8.0), (-200.0, 600.0))
    r = f.bar(2.0, -100.0, 1.5, 300.0, fill="#000000")
    assert f.data_box(r) == pytest.approx((2.0, -100.0, 1.5, 300.0))
    assert f.px(0.0) == 50 and f.px(8.0) == 450 and f.py(600.0) == 20 and f.py(-200.0) == 320
    assert f.data_y(f.py(123.0)) == pytest.approx(123.0)
    # what lies beyond the limits is cut off, as matplotlib clips to the axes
    cut = f.bar(7.0, 500.0, 3.0, 1000.0, fill="#000000")
    assert f.data_box(cut) == pytest.approx((7.0, 500.0, 1.0, 100.0))
    assert f.bar(9.0, 0.0, 1.0, 10.0, fill="#000000") is None


def test_a_legend_too_wide_for_four_columns_takes_fewer():
    from planner.plot.frame import Entry, draw_legend, legend_grid

    c = Canvas(518.4, 300, FONTS)
    entries = [Entry(f"a rather long measure name number {i}", fill="#336699") for i in range(7)]
    cols, rows, width = legend_grid(c, entries, 4)
    assert cols < 4 and cols * width <= c.width and rows == -(-7 // cols)
    draw_legend(c, entries, 4, 10.0)
    for t in c.items:
        if isinstance(t, Text):
            x0, _, x1, _ = text_box(FONTS, t)
            assert 0 <= x0 and x1 <= c.width
