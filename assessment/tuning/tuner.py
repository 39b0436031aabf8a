"""The weight sliders: effective weights beside each, the portfolio table, undo/redo, save."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from assessment.exceptions import AssessmentError, ParameterError
from assessment.report.html import esc
from assessment.rubric import Rubric
from assessment.text import format_number, label
from assessment.tuning.history import History
from assessment.tuning.session import (
    TuningSession,
    error_html,
    reading_row,
    right_to_left,
    styled_table,
)
from assessment.weights import save_variant
from assessment.weights.sensitivity import compare_weights, normalise_weights

__all__ = ["WeightTuner", "slider_max"]

_NAME_WIDTH = "340px"


@dataclass(frozen=True)
class _State:
    """One point of the history: the slider values and where they came from."""

    raw: tuple[float, ...]
    source: Any = field(default=None, compare=False)


def slider_max(weights: pd.Series) -> float:
    """The sliders' top: three times the largest weight, rounded up to 0.05 (at most 1).

    Weights of 0.06-0.12 on a 0-1 slider move in a tenth of its length; on 0-0.40 they use a
    third of it, and every slider shares the scale, so their lengths still compare.
    """
    top = math.ceil(3 * float(weights.max()) / 0.05 - 1e-9) * 0.05
    return float(min(1.0, max(top, 0.05)))


class WeightTuner:
    """Sliders per dimension weight and a live table of the portfolio under those weights.

    Parameters
    ----------
    session
        From :func:`~assessment.tuning.session.prepare`.
    variant_path
        Default file for :meth:`save` (the text box can change it).
    note, analyst
        Defaults for the variant's note and analyst.
    lang
        Language of the labels and names.

    Attributes
    ----------
    sliders
        Dimension id -> :class:`ipywidgets.FloatSlider` (raw values; the effective weight is
        each divided by their sum, shown beside it in ``effective``).
    history
        Every set of weights, for :meth:`undo` and :meth:`redo`.
    widget
        The whole panel, for ``display``.
    """

    def __init__(
        self,
        session: TuningSession,
        *,
        variant_path: str | Path = "",
        note: str = "",
        analyst: str = "",
        lang: str = "en",
    ) -> None:
        self.session = session
        self.lang = lang
        base = session.rubric.dimension_table["weight"]
        top = slider_max(base)
        self.sliders: dict[str, widgets.FloatSlider] = {}
        self.effective: dict[str, widgets.HTML] = {}
        rows = []
        for d in session.rubric.dimensions:
            name = session.dimension_name(d.id, lang)
            slider = widgets.FloatSlider(
                value=d.weight,
                min=0.0,
                max=top,
                step=0.005,
                readout_format=".3f",
                continuous_update=False,
                layout=widgets.Layout(width="300px"),
            )
            slider.observe(self.on_change, names="value")
            slider.add_class(f"tuning-w-{d.id}")  # a stable handle for browser tests
            self.sliders[d.id] = slider
            self.effective[d.id] = widgets.HTML(layout=widgets.Layout(width="90px"))
            caption = widgets.HTML(
                f"<bdi>{esc(name)}</bdi>",
                layout=widgets.Layout(width=_NAME_WIDTH),
            )
            rows.append(reading_row([caption, slider, self.effective[d.id]], lang))
        self._build_controls(variant_path, note, analyst)
        head = widgets.HTML(
            f"<b>{esc(label('tuning.tuner.title', lang))}</b> · "
            f"<span title='{esc(label('tuning.tuner.effective', lang))}'>"
            f"{esc(label('tuning.tuner.effective', lang))}</span>"
        )
        self.widget = widgets.VBox(
            [
                head,
                widgets.VBox(rows),
                self.total,
                self.source_line,
                reading_row([self.undo_button, self.redo_button, self.reset_button], lang),
                self.table_html,
                reading_row([self.path, self.note, self.analyst], lang),
                reading_row([self.accept, self.overwrite, self.save_button], lang),
                self.status,
            ]
        )
        right_to_left(self.widget, lang)
        self._listeners: list[Any] = []
        self._muted = False
        self.history: History[_State] = History(_State(self._raw_tuple()))
        self.refresh()

    def _build_controls(self, variant_path: str | Path, note: str, analyst: str) -> None:
        lang = self.lang
        self.total = widgets.HTML()
        self.source_line = widgets.HTML()
        self.table_html = widgets.HTML()
        self.status = widgets.HTML()
        self.path = widgets.Text(value=str(variant_path), description=label("tuning.save_to", lang))
        self.note = widgets.Text(value=note, description=label("tuning.note", lang))
        self.analyst = widgets.Text(value=analyst, description=label("tuning.analyst", lang))
        style = {"description_width": "initial"}
        self.accept = widgets.Checkbox(
            description=label("tuning.accept_inconsistent", lang), style=style, indent=False
        )
        self.overwrite = widgets.Checkbox(
            description=label("tuning.overwrite", lang), style=style, indent=False
        )
        self.save_button = widgets.Button(description=label("tuning.save", lang), icon="save")
        self.undo_button = widgets.Button(description=label("tuning.undo", lang), icon="undo")
        self.redo_button = widgets.Button(description=label("tuning.redo", lang), icon="repeat")
        self.reset_button = widgets.Button(
            description=label("tuning.reset", lang), layout=widgets.Layout(width="auto")
        )
        for name in ("save_button", "undo_button", "redo_button", "reset_button", "status"):
            getattr(self, name).add_class(f"tuning-{name.removesuffix('_button')}")
        self.save_button.on_click(self.on_save)
        self.undo_button.on_click(self.undo)
        self.redo_button.on_click(self.redo)
        self.reset_button.on_click(self.on_reset)

    # state --------------------------------------------------------------------------------

    def _raw_tuple(self) -> tuple[float, ...]:
        return tuple(float(s.value) for s in self.sliders.values())

    @property
    def raw(self) -> pd.Series:
        """The slider values as set (they need not sum to 1)."""
        return pd.Series({k: s.value for k, s in self.sliders.items()}, dtype=float)

    @property
    def weights(self) -> pd.Series:
        """The effective weights: the slider values normalised to sum 1."""
        return normalise_weights(self.raw.to_dict(), list(self.sliders))

    @property
    def source(self) -> Any:
        """Where the current weights came from (an AHP result ...), ``None`` for manual."""
        return self.history.current.source

    def table(self) -> pd.DataFrame:
        """Every client's index, level and rank under the current weights vs the baseline."""
        return compare_weights(self.session.portfolio, self.weights.to_dict())

    def set_weights(self, weights: Mapping[str, float], source: Any = None) -> None:
        """Move the sliders to ``weights`` (normalised), record them for undo, refresh once."""
        w = normalise_weights(dict(weights), list(self.sliders))
        self._apply(tuple(float(w[k]) for k in self.sliders))
        self.history.push(_State(self._raw_tuple(), source))
        self.refresh()

    def _apply(self, raw: tuple[float, ...]) -> None:
        self._muted = True
        try:
            for slider, value in zip(self.sliders.values(), raw, strict=True):
                slider.max = max(slider.max, value)
                slider.value = value
        finally:
            self._muted = False

    def observe(self, callback: Any) -> None:
        """Call ``callback(tuner)`` after every refresh (the sensitivity panel listens)."""
        self._listeners.append(callback)

    # handlers -----------------------------------------------------------------------------

    def on_change(self, change: Any = None) -> None:
        """A slider moved: a manual change, recorded for undo; re-render."""
        if self._muted:
            return
        self.history.push(_State(self._raw_tuple()))
        self.refresh()

    def undo(self, _button: Any = None) -> None:
        """Back to the weights before the last change."""
        self._apply(self.history.undo().raw)
        self.refresh()

    def redo(self, _button: Any = None) -> None:
        """Forward again after an undo."""
        self._apply(self.history.redo().raw)
        self.refresh()

    def on_reset(self, _button: Any = None) -> None:
        """Back to the rubric's weights (undoable)."""
        self.set_weights({d.id: d.weight for d in self.session.rubric.dimensions})

    def on_save(self, _button: Any = None) -> None:
        """Save button: write the variant, report where (or the error) in ``status``."""
        try:
            variant = self.save()
        except (AssessmentError, OSError) as exc:  # a read-only folder too: shown in the page
            self.status.value = error_html(exc, self.lang)
        else:
            self.status.value = esc(
                label(
                    "tuning.saved",
                    self.lang,
                    id=variant.id,
                    version=variant.version,
                    path=self.path.value,
                )
            )

    def save(self, path: str | Path | None = None, note: str | None = None) -> Rubric:
        """Save the current weights as a rubric variant, with where they came from."""
        target = str(path if path is not None else self.path.value).strip()
        if not target:
            raise ParameterError(label("tuning.need_path", self.lang))
        text = self.note.value if note is None else note
        return save_variant(
            self.session.rubric,
            self.weights.to_dict(),
            target,
            note=text or None,
            analyst=self.analyst.value.strip() or None,
            source=self.source,
            accept_inconsistent=self.accept.value,
            overwrite=self.overwrite.value,
        )

    def refresh(self) -> None:
        """Recompute the effective weights and the table; render them."""
        self.undo_button.disabled = not self.history.can_undo
        self.redo_button.disabled = not self.history.can_redo
        try:
            w = self.weights
        except ParameterError as exc:
            self.total.value = error_html(exc, self.lang)
            return
        total = format_number(self.raw.sum(), 3)
        self.total.value = esc(label("tuning.tuner.sum", self.lang, total=total))
        for k, v in w.items():
            self.effective[k].value = f"<b>{format_number(v, 3)}</b>"
        method = getattr(self.source, "method", None) or ("ahp" if self.source else "manual")
        self.source_line.value = esc(
            label(
                "tuning.tuner.source",
                self.lang,
                method=label(f"tuning.method.{method}", self.lang),
            )
        )
        table = self.table()
        self.last_table = table
        self.table_html.value = styled_table(table, self.session, self.lang)
        for callback in self._listeners:
            callback(self)

    def _ipython_display_(self) -> None:
        from IPython.display import display  # local: tests drive the tuner without IPython

        display(self.widget)
