"""The AHP grid: judgements typed or picked, kept exactly, with live weights and CR.

Cells are free text with Saaty's scale as suggestions: ``3``, ``1/5``, ``1.5`` and the
geometric mean of a panel (``1.817``) are all kept as they are, so the grid gives the same
weights as ``maturity weights ahp`` on the same files (issue 17 found the grid rounding the
panel's geometric means to the scale: budget 0.0825 by the grid, 0.0886 by the CLI).  The grid
starts at the tuner's current weights (a consistent matrix, CR 0), so pressing "Use these
weights" unedited changes nothing.  Judgements are saved to and loaded from the CSV matrix
format the CLI reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from assessment.exceptions import AssessmentError, InputError
from assessment.files import write_csv
from assessment.report.html import esc
from assessment.rubric import Rubric
from assessment.text import format_number, label
from assessment.tuning.session import error_html, reading_row, right_to_left
from assessment.tuning.tuner import WeightTuner
from assessment.weights import SAATY_VALUES, AHPResult, ahp, consistent_matrix
from assessment.weights.group import GroupResult, ahp_experts
from assessment.weights.matrices import read_matrix

__all__ = ["AHPGrid", "format_judgement", "parse_judgement"]

_SUGGESTIONS = [(str(round(v)) if v >= 1 else f"1/{round(1 / v)}") for v in reversed(SAATY_VALUES)]


def format_judgement(value: float) -> str:
    """A judgement as the cell shows it: ``3``, ``1/5``, ``1.817``, ``1/1.2`` (4 digits)."""
    for v, fmt in ((value, "{}"), (1 / value, "1/{}")):
        if v >= 1:
            text = f"{v:.4g}"
            return fmt.format(text)
    return f"{value:.4g}"  # pragma: no cover - one of the two is >= 1


def parse_judgement(text: str) -> float:
    """A judgement from a cell: ``3``, ``0.5``, ``1/3``, ``1/1.5``; ValueError otherwise."""
    cleaned = str(text).strip().replace(" ", "")
    if "/" in cleaned:
        num, _, den = cleaned.partition("/")
        value = float(num) / float(den)
    else:
        value = float(cleaned)
    if not (np.isfinite(value) and value > 0):
        raise ValueError(text)
    return value


class AHPGrid:
    """A pairwise comparison grid with live weights, consistency ratio and every expert's CR.

    Parameters
    ----------
    ids
        The items compared (dimension ids).
    names
        Item id -> name shown in the grid (ids when absent).
    initial
        A starting matrix; default: the tuner's weights (consistent), else all 1.
    tuner
        A :class:`WeightTuner` the "Use these weights" button updates.
    group
        A panel's result (:func:`~assessment.weights.group.ahp_experts`), shown as a table of
        every expert's weights and CR; the grid then starts at its combined matrix.
    judgements_path
        Default file for saving and loading judgements.
    lang
        Label language.
    """

    def __init__(
        self,
        ids: Sequence[str],
        *,
        names: dict[str, str] | None = None,
        initial: pd.DataFrame | None = None,
        tuner: WeightTuner | None = None,
        group: GroupResult | None = None,
        judgements_path: str | Path = "",
        lang: str = "en",
    ) -> None:
        self.ids = list(ids)
        self.names = names or {}
        self.tuner = tuner
        self.group = group
        self.lang = lang
        self.values: dict[tuple[str, str], float] = {}
        self.cells: dict[tuple[str, str], widgets.Combobox] = {}
        self.grid = self._build_grid()
        self.consistency = widgets.HTML()
        self.weights_html = widgets.HTML()
        self.experts_html = widgets.HTML(self._experts_html())
        self.status = widgets.HTML()
        self.file = widgets.Text(
            value=str(judgements_path), description=label("tuning.grid.file", lang)
        )
        buttons = {
            "apply_button": ("tuning.grid.use", self.on_apply),
            "from_tuner_button": ("tuning.grid.from_tuner", self.on_from_tuner),
            "export_button": ("tuning.grid.export", self.on_export),
            "import_button": ("tuning.grid.import", self.on_import),
        }
        for attr, (key, handler) in buttons.items():
            button = widgets.Button(
                description=label(key, lang), layout=widgets.Layout(width="auto")
            )
            button.on_click(handler)
            setattr(self, attr, button)
        self.widget = widgets.VBox(
            [
                widgets.HTML(f"<i>{esc(label('tuning.grid.question', lang))}</i>"),
                self.grid,
                self.consistency,
                self.weights_html,
                self.experts_html,
                reading_row([self.apply_button, self.from_tuner_button], lang),
                reading_row([self.file, self.export_button, self.import_button], lang),
                self.status,
            ]
        )
        right_to_left(self.widget, lang)
        self._muted = False
        if initial is None and group is not None:
            initial = group.combined.matrix
        if initial is None and tuner is not None:
            initial = consistent_matrix(tuner.weights)
        self.set_matrix(
            initial if initial is not None else consistent_matrix(dict.fromkeys(self.ids, 1.0))
        )

    def _name(self, item: str) -> str:
        return self.names.get(item, item)

    def _build_grid(self) -> widgets.GridBox:
        n = len(self.ids)
        items: list[widgets.Widget] = [widgets.HTML("")]
        items += [widgets.HTML(f"<small><bdi>{esc(self._name(i))}</bdi></small>") for i in self.ids]
        for r, row in enumerate(self.ids):
            items.append(widgets.HTML(f"<small><bdi>{esc(self._name(row))}</bdi></small>"))
            for c, col in enumerate(self.ids):
                if c <= r:
                    items.append(widgets.HTML("1" if c == r else ""))
                    continue
                cell = widgets.Combobox(
                    value="1",
                    options=_SUGGESTIONS,
                    ensure_option=False,
                    layout=widgets.Layout(width="72px"),
                )
                cell.observe(self._cell_changed(row, col), names="value")
                self.cells[(row, col)] = cell
                self.values[(row, col)] = 1.0
                items.append(cell)
        # Names wrap in a 150px column (never cut); cells are 76px.
        return widgets.GridBox(
            items,
            layout=widgets.Layout(grid_template_columns=f"150px repeat({n}, 76px)"),
        )

    @classmethod
    def for_rubric(
        cls,
        rubric: Rubric,
        *,
        matrices: Sequence[str | Path] = (),
        aggregation: str = "aij",
        tuner: WeightTuner | None = None,
        judgements_path: str | Path = "",
        lang: str = "en",
    ) -> AHPGrid:
        """A grid over the rubric's dimensions; with matrix CSVs, every expert's AHP first.

        The grid then starts at the panel's combined (geometric-mean) matrix, exactly, and
        shows each expert's weights and CR, flagging any at 0.10 or more.
        """
        from assessment.rubric import translate  # local: cheap, but only needed here

        ids = [d.id for d in rubric.dimensions]
        names = {d.id: translate(d.name, lang) for d in rubric.dimensions}
        group = None
        if matrices:
            mats = [read_matrix(m, known_ids=ids, allow_missing=True) for m in matrices]
            labels = [Path(m).name for m in matrices]
            group = ahp_experts(mats, names=labels, aggregation=aggregation)  # type: ignore[arg-type]
        return cls(
            ids,
            names=names,
            tuner=tuner,
            group=group,
            judgements_path=judgements_path,
            lang=lang,
        )

    # state --------------------------------------------------------------------------------

    @property
    def matrix(self) -> pd.DataFrame:
        """The full reciprocal matrix of the grid's judgements, exactly as entered."""
        a = np.ones((len(self.ids), len(self.ids)))
        index = {k: n for n, k in enumerate(self.ids)}
        for (r, c), v in self.values.items():
            a[index[r], index[c]] = v
            a[index[c], index[r]] = 1.0 / v
        return pd.DataFrame(a, index=self.ids, columns=self.ids)

    def result(self) -> AHPResult:
        """AHP weights, lambda_max, CI and CR of the grid."""
        return ahp(self.matrix, source="AHP grid")

    def set(self, row: str, column: str, value: float) -> None:
        """Set one judgement exactly (the mirror pair is accepted too)."""
        if (row, column) not in self.cells:
            if (column, row) not in self.cells:
                raise InputError(f"no judgement cell for {row!r} vs {column!r}")
            row, column, value = column, row, 1.0 / value
        self._muted = True
        try:
            self.cells[(row, column)].value = format_judgement(value)
        finally:
            self._muted = False
        self.values[(row, column)] = float(value)  # exact, whatever the cell shows
        self.refresh()

    def set_matrix(self, matrix: pd.DataFrame) -> None:
        """Fill every cell from a matrix, values kept exactly; refresh once."""
        self._muted = True
        try:
            for (r, c), cell in self.cells.items():
                value = float(matrix.loc[r, c])
                self.values[(r, c)] = value
                cell.value = format_judgement(value)
        finally:
            self._muted = False
        self.refresh()

    # handlers -----------------------------------------------------------------------------

    def _cell_changed(self, row: str, column: str) -> Any:
        def handler(change: Any) -> None:
            if self._muted:
                return
            try:
                value = parse_judgement(change["new"])
            except (ValueError, ZeroDivisionError):
                self.status.value = error_html(
                    InputError(
                        label(
                            "tuning.grid.bad_cell",
                            self.lang,
                            row=self._name(row),
                            column=self._name(column),
                            found=repr(change["new"]),
                        )
                    ),
                    self.lang,
                )
                return
            shown = format_judgement(self.values[(row, column)])
            if change["new"].strip() == shown:
                return  # the cell shows the stored value rounded: keep the exact one
            self.values[(row, column)] = value
            self.status.value = ""
            self.refresh()

        return handler

    def on_apply(self, _button: Any = None) -> None:
        """Push the grid's weights into the tuner (undoable there)."""
        if self.tuner is None:
            return
        result: AHPResult | GroupResult = self.result()
        weights = result.weights
        group = self.group
        if group is not None and np.allclose(
            self.matrix.to_numpy(), group.combined.matrix.loc[self.ids, self.ids].to_numpy()
        ):
            # The panel's judgements unedited: the variant records every expert (and AIP
            # weights when that was the aggregation).
            result, weights = group, group.weights
        try:
            self.tuner.set_weights(weights.to_dict(), source=result)
        except AssessmentError as exc:
            self.status.value = error_html(exc, self.lang)

    def on_from_tuner(self, _button: Any = None) -> None:
        """Reset the grid to the tuner's current weights (a consistent matrix)."""
        if self.tuner is not None:
            self.set_matrix(consistent_matrix(self.tuner.weights))

    def on_export(self, _button: Any = None) -> None:
        """Save the judgements as a comparison-matrix CSV (the CLI reads the same file)."""
        try:
            path = self.save_judgements(self.file.value)
        except (AssessmentError, OSError) as exc:
            self.status.value = error_html(exc, self.lang)
        else:
            self.status.value = esc(label("tuning.grid.saved", self.lang, path=str(path)))

    def on_import(self, _button: Any = None) -> None:
        """Load judgements from a comparison-matrix CSV (blank pairs completed)."""
        try:
            self.load_judgements(self.file.value)
        except (AssessmentError, OSError) as exc:
            self.status.value = error_html(exc, self.lang)
        else:
            self.status.value = esc(label("tuning.grid.loaded", self.lang, path=self.file.value))

    def save_judgements(self, path: str | Path) -> Path:
        """Write the upper triangle (full precision) as a matrix CSV; returns the path."""
        target = str(path).strip()
        if not target:
            raise InputError(label("tuning.need_path", self.lang))
        a = self.matrix.astype(object)
        for r in range(len(self.ids)):
            for c in range(r):
                a.iloc[r, c] = ""
        a = a.map(lambda v: v if v == "" else repr(float(v)))
        return write_csv(target, a.reset_index(names="id"))

    def load_judgements(self, path: str | Path) -> None:
        """Fill the grid from a matrix CSV over these ids (blank pairs completed optimally)."""
        group = ahp_experts(
            [read_matrix(str(path).strip(), known_ids=self.ids, allow_missing=True)],
            names=[Path(path).name],
        )
        self.set_matrix(group.combined.matrix)

    def refresh(self) -> None:
        """Render the weights and the consistency ratio (red at >= 0.10)."""
        res = self.result()
        colour = "#007A52" if res.consistent else "#C00000"
        text = label(
            "tuning.grid.cr",
            self.lang,
            cr=format_number(res.cr, 3),
            lam=format_number(res.lambda_max, 3),
            ci=format_number(res.ci, 3),
        )
        worst = res.most_inconsistent
        hint = ""
        if worst is not None and not res.consistent:
            hint = "<br>" + esc(
                label(
                    "tuning.grid.worst",
                    self.lang,
                    row=self._name(worst[0]),
                    column=self._name(worst[1]),
                    judged=format_judgement(worst[2]),
                    implied=format_number(worst[3], 2),
                )
            )
        self.consistency.value = f"<span style='color:{colour}'><b>{esc(text)}</b></span>{hint}"
        self.last = res
        rows = "".join(
            f"<tr><td><bdi>{esc(self._name(k))}</bdi></td><td>{format_number(v, 4)}</td></tr>"
            for k, v in res.weights.items()
        )
        self.weights_html.value = f"<table>{rows}</table>"

    def _experts_html(self) -> str:
        if self.group is None:
            return ""
        table = self.group.table()
        head = "".join(f"<th>{esc(c)}</th>" for c in table.columns)
        body = ""
        for item, row in table.iterrows():
            name = esc(self._name(str(item))) if item != "CR" else "<b>CR</b>"
            cells = "".join(
                f"<td style='color:#C00000'><b>{format_number(v, 3)}</b></td>"
                if item == "CR" and v >= 0.10
                else f"<td>{format_number(v, 3 if item == 'CR' else 4)}</td>"
                for v in row
            )
            body += f"<tr><td><bdi>{name}</bdi></td>{cells}</tr>"
        flagged = self.group.inconsistent_experts
        warn = ""
        if flagged:
            names = ", ".join(flagged)
            text = esc(label("tuning.grid.flagged", self.lang, names=names))
            warn = f"<p style='color:#C00000'><b>{text}</b></p>"
        title = esc(label("tuning.grid.experts", self.lang))
        return f"<p>{title}</p><table><tr><th></th>{head}</tr>{body}</table>{warn}"

    def _ipython_display_(self) -> None:
        from IPython.display import display  # local: tests drive the grid without IPython

        display(self.widget)
