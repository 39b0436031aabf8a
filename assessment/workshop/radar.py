"""The facilitator's live radar: :func:`assessment.charts.radar`, redrawn in a few milliseconds."""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from assessment import charts
from assessment.rubric import Rubric
from assessment.text import label

if TYPE_CHECKING:  # pragma: no cover - typing only
    from matplotlib.artist import Artist

__all__ = ["LiveRadar"]


class LiveRadar:
    """The radar of :func:`assessment.charts.radar`, redrawn fast for a live view.

    The axes, spoke labels, rings and legend are drawn once and cached as a bitmap; an update
    restores the bitmap and draws only the polygons (current, its fill, the target) before
    encoding a PNG.  That keeps a redraw at a few milliseconds instead of the ~100 ms of a full
    matplotlib draw, which dominates the refresh budget.

    Parameters
    ----------
    rubric
        The workshop's rubric.
    lang
        Label language.
    dpi
        Screen resolution of the PNG.
    """

    def __init__(self, rubric: Rubric, lang: str = "en", dpi: int = 80) -> None:

        self.rubric = rubric
        self.lang = lang
        self.ids = [d.id for d in rubric.dimensions]
        nan = dict.fromkeys(self.ids, math.nan)
        ax = charts.radar(
            nan,
            rubric,
            targets={label("workshop.agreed_target", lang): nan},
            peer_median={},
            label=label("workshop.votes_median", lang),
            lang=lang,
        )
        self.ax = ax
        self.figure = ax.figure
        self.figure.set_dpi(dpi)
        self.current, self.target = ax.lines[0], ax.lines[1]
        theta = np.asarray(self.current.get_xdata(), dtype=float)
        self.theta = theta
        (self.fill,) = ax.fill(
            theta, np.zeros_like(theta), color=self.current.get_color(), alpha=0.12
        )
        self.dynamic: list[Artist] = [self.fill, self.target, self.current]
        for artist in self.dynamic:
            # Animated artists are skipped by a full draw: they are only blitted.
            artist.set_animated(True)
        with charts.style(lang):
            self.figure.canvas.draw()
        self.background = self.figure.canvas.copy_from_bbox(self.figure.bbox)

    def _closed(self, values: Mapping[str, float]) -> np.ndarray:
        r = np.array([float(values.get(d, math.nan)) for d in self.ids])
        return np.append(r, r[:1])

    def draw(self, scores: Mapping[str, float], targets: Mapping[str, float]) -> None:
        """Update the polygons and blit them onto the cached background.

        Parameters
        ----------
        scores, targets
            Value per dimension id; a missing or NaN score leaves a gap and no fill.
        """
        current = self._closed(scores)
        self.current.set_ydata(current)
        self.target.set_ydata(self._closed(targets))
        complete = bool(np.isfinite(current).all())
        # Like charts.radar: no fill through an unscored dimension, it would misstate it.
        self.fill.set_visible(complete)
        self.fill.set_xy(np.column_stack([self.theta, np.nan_to_num(current)]))
        canvas = self.figure.canvas
        canvas.restore_region(self.background)
        for artist in self.dynamic:
            self.ax.draw_artist(artist)

    def png(self, scores: Mapping[str, float], targets: Mapping[str, float]) -> bytes:
        """The radar for ``scores`` and ``targets`` as PNG bytes.

        Parameters
        ----------
        scores, targets
            Value per dimension id (see :meth:`draw`).

        Returns
        -------
        bytes
            An RGB PNG.
        """

        self.draw(scores, targets)
        canvas = self.figure.canvas
        width, height = canvas.get_width_height(physical=True)
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        out = io.BytesIO()
        # RGB on the opaque white figure and the fastest compression: this encoding is the
        # largest step of a redraw (an RGBA image at level 6 takes five times as long).
        image.convert("RGB").save(out, format="png", compress_level=1)
        return out.getvalue()
