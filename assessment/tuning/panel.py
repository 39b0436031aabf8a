"""The sensitivity panel: centred on stated weights, marked stale when they change, errors shown.

It always says which weights it is centred on (the tuner's, when it ran), marks itself out of
date as soon as the tuner's weights differ from those, and shows every error in the page
(issue 17 found "Re-run" with a slider at 0 failing only in JupyterLab's log console).  The
tornado is ordered by mean *absolute* change (:func:`~assessment.weights.influence.influence`);
a break-even form answers "how far can this weight move before this client changes level or
place"; the tables export to CSV or XLSX.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
from IPython.display import display

from assessment import charts
from assessment.exceptions import AssessmentError, ParameterError
from assessment.report.html import esc
from assessment.text import format_number, label
from assessment.tuning.session import TuningSession, error_html, figure, reading_row, right_to_left
from assessment.tuning.tuner import WeightTuner
from assessment.weights.influence import break_even, export_tables, influence, rank_reversals
from assessment.weights.sensitivity import (
    Portfolio,
    SensitivityResult,
    one_at_a_time,
    simulate,
)

__all__ = ["SensitivityPanel"]


class SensitivityPanel:
    """Monte Carlo and one-at-a-time sensitivity around the tuner's weights.

    Parameters
    ----------
    session
        From :func:`~assessment.tuning.session.prepare`.
    tuner
        Centre the analysis on its weights (default: the rubric's); the panel marks itself
        stale when they change.
    draws, concentration, seed
        As for :func:`assessment.weights.sensitivity.simulate`.
    step
        One-at-a-time change (0.2 = +/- 20 %).
    client_id
        Client of the tornado chart (``None``: the most affected client).
    export_path
        Default file of the export button (``.xlsx`` or ``.csv``).
    lang
        Label language.
    """

    def __init__(
        self,
        session: TuningSession,
        *,
        tuner: WeightTuner | None = None,
        draws: int = 500,
        concentration: float = 100.0,
        seed: int = 12345,
        step: float = 0.2,
        client_id: str | None = None,
        export_path: str | Path = "",
        lang: str = "en",
    ) -> None:
        self.session = session
        self.tuner = tuner
        self.draws, self.concentration, self.seed, self.step = draws, concentration, seed, step
        self.client_id = client_id
        self.lang = lang
        self.centre: pd.Series | None = None
        self.result: SensitivityResult | None = None
        self.oat: pd.DataFrame | None = None
        self.stale = widgets.HTML()
        self.centred = widgets.HTML()
        self.summary = widgets.HTML()
        self.tables = widgets.HTML()
        self.error = widgets.HTML()
        self.charts = widgets.Output()
        self.run_button = widgets.Button(
            description=label("tuning.panel.run", lang),
            icon="refresh",
            layout=widgets.Layout(width="auto"),
        )
        self.run_button.on_click(self.on_run)
        self._build_break_even()
        self.export_file = widgets.Text(
            value=str(export_path), description=label("tuning.panel.export_to", lang)
        )
        self.export_button = widgets.Button(description=label("tuning.panel.export", lang))
        self.export_button.on_click(self.on_export)
        self.export_status = widgets.HTML()
        self.widget = widgets.VBox(
            [
                self.run_button,
                self.stale,
                self.error,
                self.centred,
                self.summary,
                self.tables,
                self.charts,
                self.be_box,
                reading_row([self.export_file, self.export_button], lang),
                self.export_status,
            ]
        )
        right_to_left(self.widget, lang)
        if tuner is not None:
            tuner.observe(self.on_tuner_change)
        self.run()

    def _build_break_even(self) -> None:
        s, lang = self.session, self.lang
        clients = [(s.client_name(c), c) for c in s.portfolio.client_ids.astype(str)]
        dims = [(s.dimension_name(d, lang), d) for d in s.portfolio.dimension_ids]
        self.be_client = widgets.Dropdown(options=clients, description=label("client", lang))
        self.be_dimension = widgets.Dropdown(options=dims, description=label("dimension", lang))
        self.be_output = widgets.HTML()
        for w in (self.be_client, self.be_dimension):
            w.observe(lambda _change: self.show_break_even(), names="value")
        self.be_box = widgets.VBox(
            [
                widgets.HTML(f"<b>{esc(label('tuning.panel.break_even', lang))}</b>"),
                reading_row([self.be_client, self.be_dimension], lang),
                self.be_output,
            ]
        )

    # state --------------------------------------------------------------------------------

    def current_weights(self) -> pd.Series:
        """The weights the panel would centre on now (the tuner's, else the rubric's)."""
        if self.tuner is not None:
            return self.tuner.weights
        p = self.session.portfolio
        return pd.Series(p.weights / p.weights.sum(), index=list(p.dimension_ids))

    def portfolio(self, weights: pd.Series | None = None) -> Portfolio:
        """The portfolio with ``weights`` (default: the current ones) as the baseline."""
        p = self.session.portfolio
        w = self.current_weights() if weights is None else weights
        return replace(p, weights=w.reindex(list(p.dimension_ids)).to_numpy(dtype=float))

    @property
    def is_stale(self) -> bool:
        """True when the tuner's weights differ from the ones the results are centred on."""
        if self.centre is None:
            return True
        try:
            now = self.current_weights()
        except ParameterError:
            return True
        return not np.allclose(now.to_numpy(), self.centre.to_numpy(), atol=1e-12)

    # handlers -----------------------------------------------------------------------------

    def on_tuner_change(self, _tuner: Any = None) -> None:
        """The tuner changed: say so at once (the analysis re-runs on the button)."""
        self._show_stale()

    def _show_stale(self) -> None:
        if self.is_stale:
            text = esc(label("tuning.panel.stale", self.lang))
            self.stale.value = (
                "<div class='tuning-stale' style='background:#FFF4CC;border-left:4px solid "
                f"#B8430A;padding:6px'><b>{text}</b></div>"
            )
        else:
            self.stale.value = ""

    def on_run(self, _button: Any = None) -> None:
        """Button handler: :meth:`run`, every error shown in the panel."""
        self.run()

    def run(self) -> SensitivityResult | None:
        """Simulate around the current weights and render; errors are shown, not raised."""
        try:
            weights = self.current_weights()
            p = self.portfolio(weights)
            result = simulate(p, draws=self.draws, concentration=self.concentration, seed=self.seed)
            oat = one_at_a_time(p, step=self.step)
        except (AssessmentError, ValueError) as exc:  # never only in the log console
            self.error.value = error_html(exc, self.lang)
            self._show_stale()
            return None
        self.error.value = ""
        self.centre, self.result, self.oat = weights, result, oat
        self.reversals = rank_reversals(p, step=self.step)
        self.influence = influence(oat)
        self._render(p)
        self._show_stale()
        return result

    def _render(self, p: Portfolio) -> None:
        s, lang = self.session, self.lang
        weights = ("، " if lang == "ar" else ", ").join(
            f"<bdi>{esc(s.dimension_name(k, lang))}</bdi> {format_number(v, 3)}"
            for k, v in self.centre.items()  # type: ignore[union-attr]
        )
        self.centred.value = label("tuning.panel.centred", lang, weights=weights)
        summ = self.result.summary()  # type: ignore[union-attr]
        lines = [
            label(
                "tuning.panel.draws",
                lang,
                draws=format_number(summ["draws"], 0),
                kappa=format_number(summ["concentration"], 0),
                seed=summ["seed"],
            ),
            label(
                "tuning.panel.tau",
                lang,
                tau=format_number(summ["kendall_tau_mean"], 3),
                share=f"{format_number(100 * summ['share_draws_tau_ge_0_9'], 0)} %",
            ),
            label(
                "tuning.panel.levels",
                lang,
                share=f"{format_number(100 * summ['mean_p_level_unchanged'], 1)} %",
            ),
        ]
        zero = [k for k, v in self.centre.items() if v == 0]  # type: ignore[union-attr]
        if zero:  # said in the page: a dimension at 0 is not varied (see dirichlet_weights)
            sep = "، " if lang == "ar" else ", "
            names = sep.join(s.dimension_name(k, lang) for k in zero)
            lines.insert(1, label("tuning.panel.zero", lang, names=names))
        self.summary.value = "<br>".join(esc(line) for line in lines)
        self.tables.value = self._clients_html() + self._influence_html() + self._reversals_html()
        tornado_client = self.client_id or str(self.influence["max_client"].iloc[0])
        rubric = s.rubric
        with self.charts:
            self.charts.clear_output(wait=True)
            display(figure(charts.level_probability(self.result, rubric=rubric, lang=lang)))
            display(figure(charts.rank_stability(self.result, lang=lang)))
            display(
                figure(charts.tornado(self.oat, client_id=tornado_client, rubric=rubric, lang=lang))
            )
        self.show_break_even()

    def _clients_html(self) -> str:
        s, lang = self.session, self.lang
        c = self.result.clients  # type: ignore[union-attr]
        heads = [
            label("client", lang),
            label("tuning.col.index_after", lang),
            label("tuning.col.range", lang),
            label("level", lang),
            label("tuning.col.p_change", lang),
            label("tuning.col.rank_after", lang),
            label("tuning.col.rank_range", lang),
        ]
        rows = "".join(
            "<tr>"
            f"<td><bdi>{esc(s.client_name(r.client_id))}</bdi></td>"
            f"<td>{format_number(r.index, 1)}</td>"
            f"<td>{format_number(r.index_p05, 1)}–{format_number(r.index_p95, 1)}</td>"
            f"<td>{esc(s.level_name(r.level, lang))}</td>"
            f"<td>{format_number(100 * r.p_level_change, 1)} %</td>"
            f"<td>{r.rank}</td><td>{r.rank_p05:.0f}–{r.rank_p95:.0f}</td>"
            "</tr>"
            for r in c.itertuples()
        )
        head = "".join(f"<th>{esc(h)}</th>" for h in heads)
        return f"<table class='tuning-clients'><tr>{head}</tr>{rows}</table>"

    def _influence_html(self) -> str:
        s, lang = self.session, self.lang
        pct = format_number(100 * self.step, 0)
        heads = [
            label("dimension", lang),
            label("weight", lang),
            label("tuning.col.mean_abs", lang),
            label("tuning.col.max_abs", lang),
            label("tuning.col.most_affected", lang),
            label("tuning.col.level_changes", lang),
            label("tuning.col.signed", lang),
        ]
        rows = "".join(
            "<tr>"
            f"<td><bdi>{esc(s.dimension_name(d, lang))}</bdi></td>"
            f"<td>{format_number(r.weight, 3)}</td><td><b>{format_number(r.mean_abs, 3)}</b></td>"
            f"<td>{format_number(r.max_abs, 3)}</td>"
            f"<td><bdi>{esc(s.client_name(r.max_client))}</bdi></td><td>{r.level_changes}</td>"
            f"<td>{r.mean_low:+.3f} / {r.mean_high:+.3f}</td>"
            "</tr>"
            for d, r in zip(self.influence.index, self.influence.itertuples(), strict=True)
        )
        head = "".join(f"<th>{esc(h)}</th>" for h in heads)
        title = esc(label("tuning.panel.influence", lang, pct=pct))
        return f"<p>{title}</p><table class='tuning-influence'><tr>{head}</tr>{rows}</table>"

    def _reversals_html(self) -> str:
        s, lang = self.session, self.lang
        pct = format_number(100 * self.step, 0)
        title = esc(label("tuning.panel.reversals", lang, pct=pct, n=len(self.reversals)))
        items = "".join(
            "<li>"
            + esc(
                label(
                    "tuning.panel.reversal",
                    lang,
                    dimension=s.dimension_name(r.dimension_id, lang),
                    direction=label(f"tuning.panel.{r.direction}", lang),
                    up=s.client_name(r.client_up),
                    down=s.client_name(r.client_down),
                )
            )
            + "</li>"
            for r in self.reversals.itertuples()
        )
        return f"<p>{title}</p><ul>{items}</ul>"

    def show_break_even(self) -> None:
        """Render the break-even sentences for the chosen client and dimension."""
        if self.centre is None:
            return
        s, lang = self.session, self.lang
        client, dim = self.be_client.value, self.be_dimension.value
        try:
            r = break_even(self.portfolio(self.centre), dim, client)
        except AssessmentError as exc:
            self.be_output.value = error_html(exc, lang)
            return
        values = {
            "client": s.client_name(client),
            "dimension": s.dimension_name(dim, lang),
            "now": format_number(r["weight"], 3),
        }
        lines = []
        for side in ("below", "above"):
            at = r[f"level_change_{side}"]
            if at is not None:
                lines.append(
                    label(
                        "tuning.panel.be_level",
                        lang,
                        a=r["level"],
                        b=r[f"level_{side}"],
                        at=format_number(at, 3),
                        **values,
                    )
                )
        if not lines:
            lines.append(label("tuning.panel.be_no_level", lang, **values))
        for row in r["overtakes"].head(3).itertuples():  # type: ignore[union-attr]
            key = (
                "tuning.panel.be_passes" if row.direction == "passes" else "tuning.panel.be_passed"
            )
            lines.append(
                label(
                    key, lang, other=s.client_name(row.other), at=format_number(row.at, 3), **values
                )
            )
        self.be_output.value = "<br>".join(esc(line) for line in lines)

    def on_export(self, _button: Any = None) -> None:
        """Write the panel's tables to the export file (CSV or XLSX); errors shown."""
        try:
            files = self.export(self.export_file.value)
        except (AssessmentError, OSError) as exc:
            self.export_status.value = error_html(exc, self.lang)
        else:
            names = ", ".join(str(f) for f in files)
            self.export_status.value = esc(label("tuning.panel.exported", self.lang, files=names))

    def export(self, path: str | Path) -> list[Path]:
        """The clients, priorities, influence and rank-reversal tables, to ``path``."""
        target = str(path).strip()
        if not target:
            raise ParameterError(label("tuning.need_path", self.lang))
        if self.result is None:
            raise ParameterError("run the analysis first")
        return export_tables(
            target,
            {
                "clients": self.result.clients,
                "priorities": self.result.priorities,
                "influence": self.influence,
                "rank_reversals": self.reversals,
            },
        )

    def _ipython_display_(self) -> None:
        display(self.widget)
