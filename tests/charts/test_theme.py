"""Palette, rcParams and Arabic shaping (:mod:`assessment.charts.theme`)."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pytest

from assessment import charts
from assessment.charts import theme


def test_level_colors_are_one_scheme():
    for n in range(3, 11):
        colors = charts.level_colors(n)
        assert charts.LEVEL_COLORS[n] == colors
        assert len(set(colors)) == n
        assert [charts.level_color(k, n) for k in range(1, n + 1)] == list(colors)
    assert charts.level_color(np.nan, 4) == charts.NA_COLOR
    assert charts.level_color(2.5, 4) not in charts.level_colors(4)  # interpolated
    assert charts.level_color(9, 4) == charts.level_colors(4)[-1]  # clipped to the scale


def test_a_scale_needs_two_levels():
    with pytest.raises(ValueError, match="at least 2 levels"):
        charts.level_colors(1)


@pytest.mark.parametrize(
    ("background", "expected"),
    [("#000000", "white"), ("#FFFFFF", "black"), ("#440154", "white"), ("#fde725", "black")],
    ids=["black", "white", "level-1", "top-level"],
)
def test_text_color_reads_on_its_background(background, expected):
    assert expected == theme.text_color(background)


def test_style_is_scoped_and_falls_back_to_dejavu():
    before = dict(mpl.rcParams)
    with charts.style("en"):
        assert mpl.rcParams["font.family"] == ["DejaVu Sans"]
    with charts.style("ar"):
        # A Naskh face first where one is installed (fonts-noto-core), DejaVu Sans always last.
        families = mpl.rcParams["font.family"]
        assert families[-1] == "DejaVu Sans"
        assert families[:-1] in ([], ["Noto Naskh Arabic"])
        assert mpl.rcParams["font.size"] == 9
    assert dict(mpl.rcParams) == before


def test_shape_text_is_a_no_op_where_matplotlib_shapes(monkeypatch):
    assert charts.shape_text("Data quality", "ar") == "Data quality"
    assert charts.shape_text("جودة", "en") == "جودة"
    if theme._NATIVE_SHAPING:
        # libraqm shapes and orders Arabic itself; reshaping on top would reverse it again.
        assert charts.shape_text("جودة البيانات", "ar") == "جودة البيانات"
    # The fallback (old matplotlib with arabic_reshaper + python-bidi) works line by line.
    monkeypatch.setattr(theme, "_SHAPERS", (str.upper, lambda s: s[::-1]))
    assert charts.shape_text("ab\ncd", "ar") == "BA\nDC"
    assert charts.shape_text("ab", "en") == "ab"


def _wcag_luminance(hex_color: str) -> float:
    # Written out here rather than calling theme.contrast_ratio, so the test checks the
    # palette against the WCAG 2.x definition itself.
    channels = [int(hex_color.lstrip("#")[k : k + 2], 16) / 255 for k in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("n_levels", range(2, 11))
def test_every_level_colour_has_3_to_1_contrast_on_white(n_levels):
    # WCAG 2.x non-text contrast (SC 1.4.11): graphical objects need 3:1 against their
    # background; viridis's yellow top level had about 1.2:1 on white paper.
    ratios = [1.05 / (_wcag_luminance(c) + 0.05) for c in charts.level_colors(n_levels)]
    assert min(ratios) >= 3, dict(zip(charts.level_colors(n_levels), ratios, strict=True))
    # Still an ordered ramp: each level lighter than the one below it.
    assert ratios == sorted(ratios, reverse=True)
    for c, ratio in zip(charts.level_colors(n_levels), ratios, strict=True):
        assert theme.contrast_ratio(c) == pytest.approx(ratio)


def test_the_heatmap_colormap_matches_the_level_colours():
    cmap = theme.level_cmap()
    for n in (3, 5):
        for k, color in enumerate(charts.level_colors(n)):
            got = mpl.colors.to_hex(cmap(k / (n - 1)))
            # 256 samples of the same ramp: equal to within one step of the ListedColormap.
            assert np.allclose(mpl.colors.to_rgb(got), mpl.colors.to_rgb(color), atol=0.02)
