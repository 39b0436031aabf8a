"""The look every chart shares: colours, rcParams, fonts and Arabic shaping.

Colours come from one colour-blind-safe scheme: ordered maturity levels on *viridis*
(:func:`level_color`), categorical series (current, targets, peers) on Okabe-Ito
(:data:`OKABE_ITO`), "not applicable" and "missing" in greys with distinct hatching.  Styling
goes through :func:`style`, a :func:`matplotlib.rc_context`, so the caller's global
``rcParams`` are never changed.

Arabic
    Matplotlib 3.11 and later lay text out through libraqm, which shapes Arabic letters and
    orders right-to-left runs itself.  :func:`shape_text` therefore leaves text alone when libraqm
    is present; only on an older matplotlib does it apply ``arabic_reshaper`` and
    ``python-bidi`` (when they are importable), because applying them on top of libraqm would
    reverse every label a second time.  All text uses the bundled DejaVu Sans, which has Arabic
    glyphs.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib import colors as mcolors
from matplotlib import ft2font

from assessment.text import RTL_LANGUAGES

__all__ = [
    "CATEGORICAL",
    "HATCH_EDGE",
    "LEVEL_CMAP",
    "LEVEL_COLORS",
    "MISSING_COLOR",
    "MISSING_HATCH",
    "NA_COLOR",
    "NA_HATCH",
    "OKABE_ITO",
    "PEER_COLOR",
    "REPORT_WIDTH",
    "contrast_ratio",
    "level_cmap",
    "level_color",
    "level_colors",
    "rc_params",
    "shape_text",
    "style",
    "text_color",
]

# -- palette -----------------------------------------------------------------------------------

#: Okabe & Ito (2008) "Color Universal Design" palette: distinguishable under the common
#: colour-vision deficiencies and in greyscale print.  Used for categorical series.
OKABE_ITO: Mapping[str, str] = MappingProxyType(
    {
        "black": "#000000",
        "orange": "#E69F00",
        "sky_blue": "#56B4E9",
        "bluish_green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "reddish_purple": "#CC79A7",
    }
)

#: Order in which categorical series take colours.  Yellow is last: thin lines in it vanish on
#: white paper.
CATEGORICAL: tuple[str, ...] = tuple(
    OKABE_ITO[k]
    for k in (
        "blue",
        "vermillion",
        "bluish_green",
        "orange",
        "reddish_purple",
        "sky_blue",
        "black",
        "yellow",
    )
)

#: Colormap of ordered maturity levels.  Viridis is perceptually uniform, monotonic in
#: lightness (so it survives greyscale) and readable with colour-vision deficiencies.
LEVEL_CMAP = "viridis"

#: Where on :data:`LEVEL_CMAP` the top level sits.  Viridis's light end (yellow, #fde725) has
#: a contrast of about 1.2:1 against white paper, far below the 3:1 WCAG 2.x asks of graphical
#: objects; every sample up to 0.58 (#20a386, about 3.2:1) passes, and the truncated ramp
#: still runs dark purple -> blue -> teal -> green, monotonic in lightness, so 1 -> 5 reads in
#: order (and in greyscale).
LEVEL_CMAP_TOP = 0.58

#: "Not applicable" cells: a mid-light grey (plus hatching where drawn as a cell).
NA_COLOR = "#BDBDBD"
#: "Missing" (unanswered) cells: near-white, told apart from N/A by a different hatch.
MISSING_COLOR = "#F4F4F4"
#: Hatch of "not applicable" cells and legend patches.
NA_HATCH = "///"
#: Hatch of "missing" cells and legend patches.
MISSING_HATCH = "..."
#: Colour of both hatches.
HATCH_EDGE = "#7F7F7F"
#: Peer medians (radar polygon, benchmark line): grey, so the client's own series stand out.
PEER_COLOR = "#7F7F7F"

#: Width of a report figure in inches (a portrait A4/Letter page minus margins).
REPORT_WIDTH = 6.5


def level_colors(n_levels: int) -> tuple[str, ...]:
    """The colours of levels ``1 .. n_levels``, lowest first, as hex strings.

    Parameters
    ----------
    n_levels
        Number of levels on the rubric's scale (``rubric.n_levels``).

    Returns
    -------
    tuple of str
        Evenly spaced samples of :data:`LEVEL_CMAP` from its dark end (level 1) to
        :data:`LEVEL_CMAP_TOP` (the top level), each at least 3:1 against white.  The same
        samples :func:`level_color` and the heatmap (:func:`level_cmap`) use, so a level has
        one colour in every chart.

    Raises
    ------
    ValueError
        If ``n_levels`` is below 2.

    Examples
    --------
    >>> level_colors(3)
    ('#440154', '#365d8d', '#20a386')
    """
    if n_levels < 2:
        raise ValueError(f"a scale needs at least 2 levels; got {n_levels}")
    cmap = mpl.colormaps[LEVEL_CMAP]
    return tuple(mcolors.to_hex(cmap(x)) for x in np.linspace(0.0, LEVEL_CMAP_TOP, n_levels))


@functools.cache
def level_cmap() -> mcolors.Colormap:
    """:data:`LEVEL_CMAP` cut at :data:`LEVEL_CMAP_TOP`: the colormap of level images.

    Returns
    -------
    matplotlib.colors.Colormap
        Maps 0 to level 1's colour and 1 to the top level's, so an image drawn with
        ``vmin=1, vmax=n_levels`` colours a level as :func:`level_color` does.
    """
    samples = mpl.colormaps[LEVEL_CMAP](np.linspace(0.0, LEVEL_CMAP_TOP, 256))
    return mcolors.ListedColormap(samples, name=f"{LEVEL_CMAP}_levels")


#: Level colours of every scale size a rubric may declare (3 to 10 levels).
LEVEL_COLORS: Mapping[int, tuple[str, ...]] = MappingProxyType(
    {n: level_colors(n) for n in range(3, 11)}
)


def level_color(level: float, n_levels: int) -> str:
    """The colour of a (possibly fractional) level on an ``n_levels`` scale.

    Parameters
    ----------
    level
        A level in ``1 .. n_levels``; fractional levels (a median of 2 and 3) interpolate
        along :data:`LEVEL_CMAP`.  NaN gives :data:`NA_COLOR`.
    n_levels
        Number of levels on the scale.

    Returns
    -------
    str
        A hex colour.

    Examples
    --------
    >>> level_color(1, 3), level_color(float("nan"), 3)
    ('#440154', '#BDBDBD')
    """
    if level is None or pd.isna(level):
        return NA_COLOR
    return _level_hex(min(max(float(level), 1.0), float(n_levels)), n_levels)


@functools.lru_cache(maxsize=1024)
def _level_hex(level: float, n_levels: int) -> str:
    # Cached: ``mpl.colormaps[...]`` copies the colormap on every lookup, and a chart asks for
    # the same few levels dozens of times.
    x = LEVEL_CMAP_TOP * (level - 1.0) / (n_levels - 1)
    return mcolors.to_hex(mpl.colormaps[LEVEL_CMAP](x))


def _luminance(color: str) -> float:
    """WCAG 2.x relative luminance of ``color`` (0 for black, 1 for white)."""
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in mcolors.to_rgb(color)
    ]
    r, g, b = linear
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(color: str, background: str = "white") -> float:
    """WCAG 2.x contrast ratio of two colours, from 1 (equal) to 21 (black on white).

    Examples
    --------
    >>> round(contrast_ratio("black"), 1), round(contrast_ratio("#fde725"), 2)
    (21.0, 1.26)
    """
    lighter, darker = sorted((_luminance(color), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_color(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (WCAG relative luminance).

    Examples
    --------
    >>> text_color("#440154"), text_color("#fde725")
    ('white', 'black')
    """
    return "black" if _luminance(background) > 0.18 else "white"


# -- style -------------------------------------------------------------------------------------


def rc_params(lang: str = "en") -> dict[str, Any]:
    """The rcParams every chart is drawn with.

    Sizes target a figure printed at about 6-7 inches wide: 9 pt body text, 8 pt ticks and
    legends, 10 pt titles.

    Parameters
    ----------
    lang
        Label language; ``"ar"`` also tells libraqm the text is Arabic (where supported).

    Returns
    -------
    dict
        Suitable for :func:`matplotlib.rc_context`.
    """
    rc: dict[str, Any] = {
        # A concrete family rather than the generic "sans-serif": the family is resolved again
        # at draw time, and a caller's global sans-serif list (Arial, Helvetica ...) has no
        # Arabic glyphs.  DejaVu Sans ships with matplotlib, so it is always there.
        "font.family": _families(lang),
        "mathtext.fontset": "dejavusans",
        "font.size": 9,
        "axes.titlesize": 10,
        "axes.labelsize": 9,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "legend.fontsize": 8,
        "legend.title_fontsize": 8,
        "legend.frameon": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=list(CATEGORICAL)),
        "axes.titlelocation": "left",
        "grid.color": "#D9D9D9",
        "grid.linewidth": 0.6,
        "lines.linewidth": 1.6,
        "lines.markersize": 4.5,
        "hatch.linewidth": 0.6,
        "image.cmap": LEVEL_CMAP,
        # Unhinted glyphs, as browsers and macOS draw screen text: at report sizes they read
        # the same (hinting only snaps stems to pixels), and FreeType skips the font's hinting
        # program for every glyph it lays out and rasterises, which makes drawing text, most
        # of a chart's rendering time, about a third faster.
        "text.hinting": "no_hinting",
        "savefig.dpi": 200,
        # Embed TrueType fonts in PDF/PS (editable, and Arabic survives copy-paste); draw SVG
        # text as paths so the shaped glyphs do not depend on the viewer's fonts.
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "svg.fonttype": "path",
    }
    if lang == "ar" and "text.language" in mpl.rcParams:  # matplotlib >= 3.11
        rc["text.language"] = "ar"
    return rc


@contextlib.contextmanager
def style(lang: str = "en") -> Iterator[None]:
    """Context manager applying :func:`rc_params` without touching global rcParams.

    Parameters
    ----------
    lang
        Label language (see :func:`rc_params`).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> with style():
    ...     fig = Figure()
    """
    with mpl.rc_context(rc_params(lang)):
        yield


# -- fonts and shaping -------------------------------------------------------------------------


@functools.cache
def _installed(family: str) -> bool:
    # local: font_manager builds (or loads) the font cache on import; only Arabic charts ask
    from matplotlib import font_manager

    try:
        font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        return False
    return True


def _families(lang: str) -> list[str]:
    """Font families for ``lang``: a Naskh face for Arabic where installed, else DejaVu Sans.

    Matplotlib falls back glyph by glyph along the list, so Latin text and digits that the
    Arabic face lacks still come from DejaVu Sans; nothing is downloaded.
    """
    if lang == "ar" and _installed("Noto Naskh Arabic"):
        return ["Noto Naskh Arabic", "DejaVu Sans"]
    return ["DejaVu Sans"]


# libraqm-based layout (matplotlib >= 3.11) shapes and reorders RTL text by itself.
_NATIVE_SHAPING = bool(getattr(ft2font, "__libraqm_version__", ""))


def _load_shapers() -> tuple[Any, Any] | None:
    try:
        reshaper = importlib.import_module("arabic_reshaper")
        bidi = importlib.import_module("bidi.algorithm")
    except ImportError:
        return None
    return reshaper.reshape, bidi.get_display


_SHAPERS = None if _NATIVE_SHAPING else _load_shapers()


def shape_text(text: str, lang: str = "en") -> str:
    """Prepare a label for drawing in ``lang``.

    Callers compose a label from its pieces first and shape the finished string once:
    shaping pieces separately would misorder them when a fallback shaper reorders
    right-to-left text.

    Parameters
    ----------
    text
        Logical-order text (as stored in the rubric).
    lang
        Language code.

    Returns
    -------
    str
        ``text`` unchanged unless the language is right-to-left *and* matplotlib cannot shape
        it (no libraqm, i.e. matplotlib < 3.11) *and* ``arabic_reshaper`` and ``python-bidi``
        are importable; then the reshaped, visually ordered text, line by line.

    Examples
    --------
    >>> shape_text("Data quality", "ar")
    'Data quality'
    """
    if lang not in RTL_LANGUAGES or _SHAPERS is None or not text:
        return text
    reshape, get_display = _SHAPERS
    return "\n".join(get_display(reshape(line)) for line in text.split("\n"))
