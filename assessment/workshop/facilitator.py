"""The facilitator's app: live votes, the radar, the agenda, agreed answers and targets.

A thin ``ipywidgets`` shell: every handler writes the store, then :meth:`FacilitatorApp.refresh`
recomputes the :class:`~assessment.workshop.model.LiveState` (pure) and puts the HTML of
:mod:`assessment.workshop.views` and the PNG of :class:`~assessment.workshop.radar.LiveRadar`
into the widgets.  Handlers report errors in the message line (:func:`~.widgets.guard`).
Rendering the client report takes seconds, so it runs in the background
(:meth:`FacilitatorApp.start_render`) with its progress shown: the page keeps answering.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from assessment.batch.engines import Engine
from assessment.exceptions import AssessmentError
from assessment.inputs import load_clients, load_targets
from assessment.report import esc
from assessment.rubric import Indicator, Rubric, load_rubric, translate
from assessment.text import direction, label
from assessment.text.controls import strip_controls
from assessment.workshop.config import resolve_workshop, settings, store_for
from assessment.workshop.model import (
    LiveState,
    choices,
    initial_targets,
    load_state,
    proposed_answers,
)
from assessment.workshop.radar import LiveRadar
from assessment.workshop.records import Workshop
from assessment.workshop.render import kept_engine, render_fraction
from assessment.workshop.render import render_report as _render_report
from assessment.workshop.room import progress
from assessment.workshop.room_panel import room_html
from assessment.workshop.store import Store
from assessment.workshop.views import (
    consensus_html,
    download_link_html,
    indicator_card_html,
    indicator_summary_html,
    status_html,
)
from assessment.workshop.widgets import (
    CSS,
    BackgroundTask,
    Messages,
    guard,
    in_live_kernel,
    widgets,
)

__all__ = ["FacilitatorApp", "facilitator_app"]


@dataclass
class _Card:
    """The widgets of one indicator card that a refresh updates."""

    agree: Any
    summary: Any
    note: Any


@dataclass(eq=False)
class FacilitatorApp:
    """The facilitator's view of one workshop (see the package docstring).

    Build it with :func:`facilitator_app` in a notebook; tests build it directly.  ``widget`` is
    what the notebook displays.
    """

    store: Store
    workshop_id: int
    lang: str = "en"
    rubric_ref: str = "social-media"
    clients: pd.DataFrame | None = field(default=None, repr=False)
    targets_table: pd.DataFrame | None = field(default=None, repr=False)
    clients_path: str = ""
    targets_path: str = ""
    peers_path: str = ""
    reports_dir: str = "reports"
    #: The room's QR link and the projector's link (set by ``maturity workshop``; empty: none).
    join_url: str = ""
    projector_url: str = ""
    #: The client's name shown in the title (default: its name in ``clients``, else its id).
    client_name: str = ""
    #: The engine reports are rendered with (``None``: a new one per report); the notebook's
    #: app gets the process's warm :func:`~.render.kept_engine`.
    engine: Engine | None = field(default=None, repr=False)
    state: LiveState | None = field(default=None, init=False, repr=False)
    report_path: Path | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.messages = Messages(self.lang)
        self._syncing = False
        self._poll_task: asyncio.Task[None] | None = None
        self._radar: LiveRadar | None = None
        self._radar_key: tuple[str, str] | None = None
        self._radar_data: tuple[Any, ...] | None = None
        self._cards: dict[str, _Card] = {}
        self._target_sliders: dict[str, Any] = {}
        self._render_task: BackgroundTask | None = None
        # Whether a render runs, and the lock that keeps it and the report button in step
        # (the render ends in its own thread while a refresh may be updating the button).
        self._rendering = False
        self._render_lock = threading.Lock()
        # Seconds of the notebook step: the last report's (for the progress bar) and this one's.
        self._render_seconds, self._render_seconds_now = 3.0, 0.0
        self._make_controls()
        self._wire()
        self.widget = self._layout()
        self._fill_pickers()
        self._build()
        self.refresh(force=True)

    # -- building ------------------------------------------------------------------------------

    def _make_controls(self) -> None:
        """The widgets that live as long as the app (the cards are rebuilt per rubric)."""
        w = widgets()
        lang = self.lang
        auto = w.Layout(width="auto")
        self.client_picker = w.Dropdown(description=label("client", lang))
        self.workshop_picker = w.Dropdown(
            description=label("workshop.workshop", lang), layout=w.Layout(width="360px")
        )
        self.new_button = w.Button(description=label("workshop.new_workshop", lang), layout=auto)
        self.refresh_button = w.Button(description=label("workshop.refresh", lang), layout=auto)
        self.status = w.HTML()
        self.title = w.HTML()
        self.room_panel = w.HTML()
        self.radar_image = w.Image(format="png", layout=w.Layout(width="100%", max_width="560px"))
        self.radar_image.add_class("ws-radar")
        self.consensus_panel = w.HTML()
        self.tabs = w.Tab()
        self.target_box = w.VBox()
        self.finalise_button = w.Button(
            description=label("workshop.finalise", lang),
            button_style="success",
            layout=auto,
        )
        self.reopen_button = w.Button(description=label("workshop.reopen", lang), layout=auto)
        self.report_button = w.Button(
            description=label("workshop.render", lang),
            button_style="info",
            layout=auto,
        )
        self.report_progress = w.FloatProgress(
            min=0.0, max=1.0, value=0.0, layout=w.Layout(width="auto", visibility="hidden")
        )
        self.report_status = w.HTML()
        self.report_link = w.HTML()

    def _wire(self) -> None:
        """Connect the controls to their handlers, each behind :func:`guard`."""
        say = self.messages
        self.client_picker.observe(guard(say, self._on_client), names="value")
        self.workshop_picker.observe(guard(say, self._on_workshop), names="value")
        self.new_button.on_click(guard(say, lambda _b: self.new_workshop()))
        self.refresh_button.on_click(guard(say, lambda _b: self.refresh(force=True)))
        self.finalise_button.on_click(guard(say, lambda _b: self.finalise()))
        self.reopen_button.on_click(guard(say, lambda _b: self.reopen()))
        self.report_button.on_click(guard(say, lambda _b: self.start_render()))

    def _layout(self) -> Any:
        """The page: pickers and status on top, the tabs left, radar and targets right."""
        w = widgets()
        side = w.VBox(
            [
                self.radar_image,
                w.HTML(f"<h4>{esc(label('workshop.targets', self.lang))}</h4>"),
                self.target_box,
                w.HBox([self.finalise_button, self.reopen_button, self.report_button]),
                self.report_progress,
                self.report_status,
                self.report_link,
            ],
            layout=w.Layout(width="40%", min_width="320px"),
        )
        main = w.VBox([self.tabs], layout=w.Layout(width="60%", min_width="360px"))
        header = w.HBox(
            [self.client_picker, self.workshop_picker, self.new_button, self.refresh_button]
        )
        page = w.VBox(
            [
                w.HTML(CSS),
                self.title,
                header,
                self.room_panel,
                self.status,
                self.messages.output,
                w.HBox([main, side], layout=w.Layout(flex_flow="row wrap")),
            ]
        )
        page.add_class("ws-facilitator")
        if direction(self.lang) == "rtl":
            page.add_class("ws-rtl")  # the whole page mirrors: tabs, buttons, labels
        return page

    def _workshop_option(self, workshop: Workshop) -> str:
        """A workshop in the picker, by date and title: the client picker names the client."""
        # The title is user text: isolated (FSI … PDI) so it cannot reorder the date around it.
        title = f" – \u2068{strip_controls(workshop.title)}\u2069" if workshop.title else ""
        option = label(
            "workshop.picker_option", self.lang, date=workshop.date, title=title, number=workshop.id
        )
        return (
            label("workshop.picker_final", self.lang, option=option)
            if workshop.finalised
            else option
        )

    def _client_name(self, client_id: str) -> str:
        if self.client_name:
            return self.client_name
        if self.clients is not None and "name" in self.clients:
            found = self.clients.loc[self.clients["client_id"] == client_id, "name"]
            if len(found):
                return str(found.iloc[0])
        return client_id

    @property
    def rubric(self) -> Rubric:
        """The rubric of the open workshop."""
        return self.store.rubric(self.workshop_id)

    @property
    def base_targets(self) -> dict[str, float]:
        """Targets before any agreement: the client's profile or the rubric's default."""
        w = self.store.workshop(self.workshop_id)
        return initial_targets(
            self.rubric, client_id=w.client_id, clients=self.clients, targets=self.targets_table
        )

    def _fill_pickers(self) -> None:
        w = self.store.workshop(self.workshop_id)
        self._syncing = True
        try:
            clients = self.store.clients()
            self.client_picker.options = [(self._client_name(c), c) for c in clients]
            self.client_picker.value = w.client_id
            self.workshop_picker.options = [
                (self._workshop_option(x), x.id) for x in self.store.workshops(w.client_id)
            ]
            self.workshop_picker.value = w.id
        finally:
            self._syncing = False

    def _build(self) -> None:
        """(Re)build the tabs and target sliders for the open workshop's rubric."""
        wd = widgets()
        rubric = self.rubric
        lang = self.lang
        self._cards = {}
        pages, titles = [self.consensus_panel], [label("workshop.agenda", lang)]
        for dim in rubric.dimensions:
            cards = [self._card(ind) for ind in dim.indicators]
            pages.append(wd.VBox(cards))
            titles.append(translate(dim.name, lang))
        self.tabs.children = pages
        self.tabs.titles = titles
        self._target_sliders = {d.id: self._target_slider(d.id) for d in rubric.dimensions}
        self.target_box.children = list(self._target_sliders.values())
        key = (rubric.content_hash, self.lang)
        if self._radar_key != key:
            self._radar = LiveRadar(rubric, self.lang)
            self._radar_key = key
            self._radar_data = None

    def _target_slider(self, dimension_id: str) -> Any:
        """The slider of a dimension's agreed target."""
        wd = widgets()
        rubric = self.rubric
        slider = wd.FloatSlider(
            min=1.0,
            max=float(rubric.n_levels),
            step=0.1,
            readout_format=".1f",
            value=float(rubric.n_levels),
            # The whole name (a cut one lost its end, or in Arabic its start), in half the row.
            description=translate(rubric.dimension(dimension_id).name, self.lang),
            tooltip=translate(rubric.dimension(dimension_id).name, self.lang),
            continuous_update=False,
            style={"description_width": "50%"},
            layout=wd.Layout(width="100%"),
        )
        slider.observe(
            guard(self.messages, lambda ch, d=dimension_id: self._on_target(d, ch)), names="value"
        )
        return slider

    def _card(self, ind: Indicator) -> Any:
        """An indicator's card: its texts, the votes' summary, the agreed answer, a note."""
        wd = widgets()
        lang = self.lang
        head = wd.HTML(indicator_card_html(self.rubric, ind.id, lang))
        agree = self._agree_control(ind)
        agree.observe(
            guard(self.messages, lambda ch, i=ind.id: self._on_agree(i, ch)), names="value"
        )
        note = wd.Textarea(
            description=label("workshop.notes", lang),
            continuous_update=False,
            layout=wd.Layout(width="95%", height="60px"),
            style={"description_width": "120px"},
        )
        note.observe(guard(self.messages, lambda ch, i=ind.id: self._on_note(i, ch)), names="value")
        summary = wd.HTML()
        self._cards[ind.id] = _Card(agree=agree, summary=summary, note=note)
        box = wd.VBox([head, summary, agree, note])
        box.add_class("ws-card")
        return box

    def _agree_control(self, ind: Indicator) -> Any:
        """A number box for a measured indicator, else one toggle button per choice."""
        wd = widgets()
        lang = self.lang
        if ind.kind == "measured":
            return wd.Text(
                description=label("workshop.agreed", lang),
                placeholder=f"{label('workshop.value_placeholder', lang)} ({ind.unit or ''})",
                continuous_update=False,
                style={"description_width": "120px"},
            )
        options = choices(self.rubric, ind.id, lang)
        return wd.ToggleButtons(
            options=[(c.label, c.value) for c in options],
            value=None,
            description=label("workshop.agreed", lang),
            tooltips=[c.descriptor for c in options],
            style={"button_width": "auto", "description_width": "120px"},
        )

    # -- handlers (called by the widgets; tests call them directly) ------------------------

    def _on_client(self, change: Mapping[str, Any]) -> None:
        if self._syncing or not change.get("new"):
            return
        w = resolve_workshop(self.store, client_id=change["new"], rubric=self.rubric_ref)
        self.open(w.id)

    def _on_workshop(self, change: Mapping[str, Any]) -> None:
        if self._syncing or not change.get("new"):
            return
        self.open(int(change["new"]))

    def _on_agree(self, indicator_id: str, change: Mapping[str, Any]) -> None:
        if self._syncing:
            return
        value = change.get("new")
        self.set_agreed(indicator_id, None if value in (None, "") else value)

    def _on_note(self, indicator_id: str, change: Mapping[str, Any]) -> None:
        if not self._syncing:
            self.set_note(indicator_id, str(change.get("new") or ""))

    def _on_target(self, dimension_id: str, change: Mapping[str, Any]) -> None:
        if not self._syncing:
            self.set_target(dimension_id, float(change["new"]))

    def open(self, workshop_id: int) -> None:
        """Show another workshop."""
        old_hash = self.rubric.content_hash
        self.workshop_id = int(workshop_id)
        self.report_path = None
        self.report_link.value = ""
        self._fill_pickers()
        if self.rubric.content_hash != old_hash or not self._cards:
            self._build()
        self.refresh(force=True)

    def new_workshop(self, date: str | None = None) -> Workshop:
        """Start a workshop for the selected client today (or on ``date``)."""
        client = self.client_picker.value or self.store.workshop(self.workshop_id).client_id
        w = self.store.create_workshop(client, load_rubric(self.rubric_ref), date=date)
        self.open(w.id)
        return w

    def set_agreed(self, indicator_id: str, value: object | None) -> None:
        """Record the room's answer on an indicator (``None`` clears it)."""
        self.store.set_agreed(self.workshop_id, indicator_id, value)
        self.refresh()

    def set_note(self, indicator_id: str, note: str) -> None:
        """Record the facilitator's note on an indicator."""
        self.store.set_note(self.workshop_id, indicator_id, note)
        self.refresh()

    def set_target(self, dimension_id: str, target: float) -> None:
        """Record the agreed target of a dimension; the radar follows."""
        self.store.set_target(self.workshop_id, dimension_id, target)
        self.refresh()

    def finalise(self) -> Workshop:
        """Write the agreed answers (votes where nothing was agreed) and every target."""
        state = self.state or load_state(self.store, self.workshop_id, self.base_targets)
        targets = {d: float(s.value) for d, s in self._target_sliders.items()}
        w = self.store.finalise(self.workshop_id, proposed_answers(state), targets)
        self.messages.say(label("workshop.finalised", self.lang), "ok")
        self.refresh(force=True)
        return w

    def reopen(self) -> Workshop:
        """Allow votes and changes again."""
        w = self.store.reopen(self.workshop_id)
        self.messages.say(label("workshop.reopened", self.lang), "ok")
        self.refresh(force=True)
        return w

    def render_report(self, *, notebook: str | Path | None = None, progress: Any = None) -> Path:
        """Render the client report of the (finalised) workshop and offer it for download.

        This waits for the report; the page's button uses :meth:`start_render` instead.
        ``progress`` is :func:`~.render.render_report`'s.
        """
        self.messages.say(label("workshop.rendering", self.lang))
        # The module's function, imported under another name: this method has the same one.
        path = _render_report(
            self.store,
            self.workshop_id,
            out_dir=self.reports_dir or "reports",
            clients=self.clients_path or None,
            targets=self.targets_path or None,
            peers=self.peers_path or None,
            lang=self.lang,
            notebook=notebook,
            engine=self.engine,
            progress=progress,
        )
        self.report_path = path
        self.messages.say(label("workshop.report_written", self.lang, path=path.name), "ok")
        self.report_link.value = download_link_html(path, self.lang)
        return path

    # -- rendering in the background -----------------------------------------------------------

    @property
    def render_task(self) -> BackgroundTask | None:
        """The latest background render (:meth:`start_render`), if any."""
        return self._render_task

    @property
    def rendering(self) -> bool:
        """Whether a report is being rendered in the background."""
        return self._rendering

    def start_render(self, *, notebook: str | Path | None = None) -> BackgroundTask:
        """Render the report in the background and return at once (the report button).

        The page keeps answering every widget meanwhile; the progress bar and its line show
        the step and the seconds spent, then the download link or the error replaces them.
        """
        with self._render_lock:
            task, busy = self._render_task, self._rendering
            if not busy:
                self._rendering = True
                self.report_button.disabled = True
                self._render_task = task = BackgroundTask(
                    lambda step: self.render_report(notebook=notebook, progress=step),
                    progress=self._render_progress,
                    done=lambda _path: self._render_ended(),
                    failed=self._render_failed,
                )
        assert task is not None
        if busy:
            self.messages.say(label("workshop.already_rendering", self.lang))
            return task
        self.report_link.value = ""
        self._render_progress("inputs", 0.0)
        return task.start()

    def _render_progress(self, step: str, seconds: float) -> None:
        if step == "rendering":
            self._render_seconds_now = seconds
        self.report_progress.value = render_fraction(step, seconds, self._render_seconds)
        self.report_progress.layout.visibility = "visible"
        shown = f"{seconds:.1f}"
        self.report_status.value = esc(label(f"workshop.step.{step}", self.lang, seconds=shown))

    def _render_ended(self) -> None:
        """Hide the progress and allow another render (the link is shown already)."""
        self._render_seconds = max(self._render_seconds_now, 0.5)
        self.report_progress.layout.visibility = "hidden"
        self.report_status.value = ""
        finalised = self.store.workshop(self.workshop_id).finalised
        with self._render_lock:
            self._rendering = False
            self.report_button.disabled = not finalised

    def _render_failed(self, exc: BaseException) -> None:
        text = str(exc) if isinstance(exc, AssessmentError) else f"{type(exc).__name__}: {exc}"
        try:
            self._render_ended()
        finally:
            self.messages.say(text, "error")

    # -- refreshing ----------------------------------------------------------------------------

    def refresh(self, force: bool = False) -> bool:
        """Re-read the store when it changed (or ``force``); update every view.

        Returns
        -------
        bool
            Whether anything was redrawn.
        """
        if (
            not force
            and self.state is not None
            and self.store.revision(self.workshop_id) == self.state.revision
        ):
            return False
        state = load_state(self.store, self.workshop_id, self.base_targets)
        self.state = state
        self._show(state)
        return True

    def _show(self, state: LiveState) -> None:
        lang = self.lang
        assert self._radar is not None
        key = (tuple(state.scores.items()), tuple(state.targets.items()))
        if key != self._radar_data:  # a vote that moves no median leaves the picture as is
            self.radar_image.value = self._radar.png(state.scores, state.targets)
            self._radar_data = key
        name = self._client_name(state.workshop.client_id)
        self.status.value = status_html(state, lang, name=name)
        self.title.value = (
            f"<h2 dir='{direction(lang)}'>{esc(label('workshop.workshop', lang))}: "
            f"<bdi>{esc(name)}</bdi></h2>"
        )
        self.room_panel.value = room_html(
            self.join_url, self.projector_url, progress(self.store, self.workshop_id), lang
        )
        self.consensus_panel.value = consensus_html(state, lang)
        final = state.workshop.finalised
        self._syncing = True
        try:
            rows = {r["indicator_id"]: r for r in state.consensus.to_dict("records")}
            for iid, card in self._cards.items():
                card.summary.value = indicator_summary_html(rows[iid], lang)
                agreed = state.agreed.get(iid)
                free_text = not hasattr(card.agree, "options")  # a measured indicator's box
                card.agree.value = agreed if agreed is not None else ("" if free_text else None)
                card.note.value = state.notes.get(iid, "")
                card.agree.disabled = card.note.disabled = final
            for d, slider in self._target_sliders.items():
                slider.value = float(state.targets.get(d, slider.value))
                slider.disabled = final
        finally:
            self._syncing = False
        self.finalise_button.disabled = final
        self.reopen_button.disabled = not final
        with self._render_lock:
            self.report_button.disabled = not final or self._rendering

    # -- polling -------------------------------------------------------------------------------

    def start_polling(self, seconds: float) -> asyncio.Task[None] | None:
        """Refresh from the store every ``seconds`` while the kernel runs.

        Does nothing when ``seconds`` is 0 or there is no running event loop (plain Python);
        in a Jupyter or Voilà kernel the task runs between cell executions and messages.
        """
        loop = in_live_kernel()
        if seconds <= 0 or loop is None:
            return None
        self.stop_polling()
        self._poll_task = loop.create_task(self._poll(seconds))
        return self._poll_task

    def stop_polling(self) -> None:
        """Stop the polling task, if any."""
        if self._poll_task is not None:
            self._poll_task.cancel()
            self._poll_task = None

    async def _poll(self, seconds: float) -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                self.refresh()
            except Exception as exc:  # keep polling: the store may be busy for a moment
                self.messages.say(f"{type(exc).__name__}: {exc}", "error")


def facilitator_app(**params: Any) -> FacilitatorApp:
    """Build the facilitator app from notebook parameters (see :func:`~.config.settings`).

    Starts polling the store when ``poll_seconds`` > 0 and the notebook runs in a live kernel.

    Parameters
    ----------
    **params
        The notebook's parameters (the fields of :class:`~.config.Settings`).

    Returns
    -------
    FacilitatorApp
        Display its ``widget``.
    """

    cfg = settings(**params)
    store = store_for(cfg)
    w = resolve_workshop(
        store, client_id=cfg.client_id, workshop_id=cfg.workshop_id, rubric=cfg.rubric
    )
    rubric = store.rubric(w.id)
    targets = load_targets(cfg.targets, rubric) if cfg.targets else None
    clients = load_clients(cfg.clients, rubric, targets=targets) if cfg.clients else None
    reports = cfg.reports or str(Path(store.path).resolve().parent / "reports")
    engine = kept_engine()
    # Warms up in the background now, so that the first report does not wait for it.
    engine.start()
    app = FacilitatorApp(
        store,
        w.id,
        engine=engine,
        lang=cfg.lang,
        rubric_ref=cfg.rubric,
        clients=clients,
        targets_table=targets,
        clients_path=cfg.clients,
        targets_path=cfg.targets,
        peers_path=cfg.peers,
        reports_dir=reports,
        join_url=cfg.join_url,
        projector_url=cfg.projector_url,
    )
    app.start_polling(cfg.poll_seconds)
    return app
