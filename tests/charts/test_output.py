"""PNG, SVG and files (:mod:`assessment.charts.output`)."""

from __future__ import annotations

import io

import numpy as np

from assessment import charts


def test_png_of_a_laid_out_figure_leaves_it_as_it_was(first):
    fig = charts.agreement(first, client_id="acme").figure
    engine, dpi = fig.get_layout_engine(), fig.dpi
    png = charts.figure_to_png_bytes(fig, dpi=90, compress_level=3)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = (int(v) for v in np.frombuffer(png[16:24], dtype=">u4"))
    assert (width, height) == tuple(np.round(fig.get_size_inches() * 90).astype(int))
    assert fig.get_layout_engine() is engine
    assert fig.dpi == dpi
    assert charts.figure_to_png_bytes(fig, dpi=90, compress_level=3) == png


def test_png_is_the_rendered_pixels_losslessly(first):
    from PIL import Image

    fig = charts.agreement(first, client_id="acme", lang="ar").figure
    png = charts.figure_to_png_bytes(fig, dpi=80, compress_level=4)
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        decoded = np.asarray(image)
        assert image.mode == "RGBA"
        np.testing.assert_allclose(image.info["dpi"], (80, 80), atol=0.01)
    # the same pixels as Agg draws (the layout is now fixed, so a plain draw repeats it)
    fig.dpi = 80
    fig.set_layout_engine(None)
    with charts.style():
        fig.canvas.draw()
    np.testing.assert_array_equal(decoded, np.asarray(fig.canvas.buffer_rgba()))
    assert charts.figure_to_png_bytes(fig, dpi=80, compress_level=9) != png  # level is used


def test_png_svg_and_files(first, tmp_path):
    fig = charts.gap_bars(first, client_id="acme").figure
    png = charts.figure_to_png_bytes(fig, dpi=72)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert charts.figure_to_png_bytes(fig, dpi=72) == png  # reproducible
    svg = charts.figure_to_svg(fig)
    assert "<svg" in svg
    assert svg == charts.figure_to_svg(fig)
    for suffix in ("png", "svg", "pdf"):
        path = charts.save_figure(fig, tmp_path / f"gaps.{suffix}", dpi=72)
        assert path.stat().st_size > 0
