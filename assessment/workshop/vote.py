"""The participant's app: sign in, then one indicator at a time, saved at every press.

A thin ``ipywidgets`` shell over the store: the texts come from :mod:`assessment.workshop.views`,
the answer buttons from :func:`~assessment.workshop.model.choices`, and every handler runs
behind :func:`~assessment.workshop.widgets.guard`, so a refused vote is one message, not a
traceback.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from assessment.exceptions import InputError, ParameterError
from assessment.rubric import Indicator, translate
from assessment.text import direction, label
from assessment.workshop.config import query_parameters, resolve_workshop, settings, store_for
from assessment.workshop.model import choices
from assessment.workshop.records import Participant, normalise_value
from assessment.workshop.store import Store
from assessment.workshop.views import (
    bands_html,
    choice_caption,
    progress_html,
    question_html,
    vote_title_html,
)
from assessment.workshop.widgets import CSS, Messages, guard, widgets

__all__ = ["VoteApp", "vote_app"]


@dataclass(eq=False)
class VoteApp:
    """One participant's voting page: sign in, then one indicator at a time.

    Every answer is written to the store the moment a button is pressed; reopening the page
    with the same name resumes at the first unanswered indicator.
    """

    store: Store
    workshop_id: int
    lang: str = "en"
    participant: Participant | None = field(default=None, init=False)
    position: int = field(default=0, init=False)
    answers: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        wd = widgets()
        lang = self.lang
        self.messages = Messages(self.lang)
        self.rubric = self.store.rubric(self.workshop_id)
        self.indicators = [i.id for _, i in self.rubric.iter_indicators()]
        self.progress = wd.IntProgress(
            min=0, max=len(self.indicators), layout=wd.Layout(width="100%")
        )
        self.progress_text = wd.HTML()
        self.body = wd.VBox()
        self.name_box = wd.Text(description=label("workshop.your_name", lang))
        self.role_box = wd.Text(description=label("workshop.your_role", lang))
        self.start_button = wd.Button(
            description=label("workshop.start", lang), button_style="primary"
        )
        self.start_button.add_class("ws-nav")
        self.start_button.add_class("ws-start")
        self.start_button.on_click(
            guard(self.messages, lambda _b: self.start(self.name_box.value, self.role_box.value))
        )
        title = wd.HTML(vote_title_html(self.store.workshop(self.workshop_id), lang))
        self.widget = wd.VBox(
            [
                wd.HTML(CSS),
                title,
                self.progress_text,
                self.progress,
                self.messages.output,
                self.body,
            ],
            layout=wd.Layout(max_width="720px"),
        )
        self.widget.add_class("ws-vote")
        self.body.children = [self.name_box, self.role_box, self.start_button]

    # -- handlers ------------------------------------------------------------------------------

    def start(self, name: str, role: str = "") -> Participant:
        """Join the workshop as ``name`` and show the first unanswered indicator."""
        self.participant = self.store.join(self.workshop_id, name, role)
        self.answers = self.store.my_votes(self.participant)
        self.position = self.first_unanswered()
        self.show()
        return self.participant

    def first_unanswered(self) -> int:
        """Position of the first indicator without an answer (0 when all are answered)."""
        for k, iid in enumerate(self.indicators):
            if iid not in self.answers:
                return k
        return 0

    @property
    def current(self) -> str:
        """The indicator on screen."""
        return self.indicators[self.position]

    def vote(self, value: object) -> None:
        """Save an answer to the indicator on screen, then move to the next one."""
        if self.participant is None:
            raise ParameterError("enter your name first")
        if self.store.workshop(self.workshop_id).finalised:
            raise InputError(label("workshop.closed", self.lang))
        iid = self.current
        # A fresh token per press: a retried write of this press is recorded once.
        self.store.vote(self.participant, iid, value, token=uuid.uuid4().hex)
        self.answers[iid] = normalise_value(self.rubric, iid, value)
        self.messages.say(f"✓ {label('workshop.saved', self.lang)}", "ok")
        if self.position < len(self.indicators) - 1:
            self.position += 1
        self.show(saved=True)

    def go(self, step: int) -> None:
        """Move ``step`` indicators forward (negative: back)."""
        self.position = min(max(self.position + step, 0), len(self.indicators) - 1)
        self.messages.clear()
        self.show()

    def go_to_dimension(self, dimension_id: str) -> None:
        """Jump to the first indicator of a dimension."""
        first = self.rubric.dimension(dimension_id).indicators[0].id
        self.position = self.indicators.index(first)
        self.messages.clear()
        self.show()

    # -- drawing -------------------------------------------------------------------------------

    def show(self, saved: bool = False) -> None:
        """Draw the indicator at ``position`` with its answer buttons.

        Parameters
        ----------
        saved
            Keep the message line (it says the answer was saved).
        """
        wd = widgets()
        iid = self.current
        ind = self.rubric.indicator(iid)
        done = sum(i in self.answers for i in self.indicators)
        self.progress.value = done
        self.progress_text.value = progress_html(
            done, len(self.indicators), self.position, self.lang
        )
        mine = self.answers.get(iid)
        rows: list[Any] = [wd.HTML(question_html(self.rubric, iid, mine, self.lang))]
        if ind.kind == "measured":
            rows += self._number_rows(ind, mine)
        rows += self._choice_buttons(iid, mine)
        rows += self._navigation(iid)
        self.body.children = rows
        if not saved:
            self.messages.clear()

    def _number_rows(self, ind: Indicator, mine: str | None) -> list[Any]:
        """A measured indicator's level bands, a number box and its Save button."""
        wd = widgets()
        lang = self.lang
        levels = bands_html(self.rubric, ind.id, lang)
        listing = wd.HTML(f"<div dir='{direction(lang)}'>{levels}</div>")
        number = wd.Text(
            value=mine if mine not in (None, "NA") else "",
            placeholder=f"{label('workshop.value_placeholder', lang)} ({ind.unit or ''})",
            layout=wd.Layout(width="100%", height="48px"),
        )
        number.add_class("ws-number")
        save = wd.Button(description=label("workshop.save", lang), button_style="primary")
        save.add_class("ws-nav")
        save.add_class("ws-save")
        save.on_click(guard(self.messages, lambda _b: self.vote(number.value)))
        return [listing, number, save]

    def _choice_buttons(self, indicator_id: str, mine: str | None) -> list[Any]:
        """One full-width button per answer; the participant's answer is ticked and coloured."""
        wd = widgets()
        buttons = []
        for c in choices(self.rubric, indicator_id, self.lang):
            button = wd.Button(
                description=choice_caption(c, mine),
                button_style="primary" if mine == c.value else "",
                tooltip=c.descriptor,
                layout=wd.Layout(width="100%", height="auto"),
            )
            button.add_class("ws-choice")
            button.add_class(f"ws-choice-{c.value}")
            button.on_click(guard(self.messages, lambda _b, v=c.value: self.vote(v)))
            buttons.append(button)
        return buttons

    def _navigation(self, indicator_id: str) -> list[Any]:
        """Previous and Next, and a jump to the first indicator of another dimension."""
        wd = widgets()
        lang = self.lang
        dim = next(d for d, i in self.rubric.iter_indicators() if i.id == indicator_id)
        back = wd.Button(description=label("workshop.previous", lang))
        forward = wd.Button(description=label("workshop.next", lang))
        for b in (back, forward):
            b.add_class("ws-nav")
        back.disabled = self.position == 0
        forward.disabled = self.position == len(self.indicators) - 1
        back.on_click(guard(self.messages, lambda _b: self.go(-1)))
        forward.on_click(guard(self.messages, lambda _b: self.go(1)))
        jump = wd.Dropdown(
            options=[(translate(d.name, lang), d.id) for d in self.rubric.dimensions],
            value=dim.id,
            description=label("dimension", lang),
        )
        jump.observe(
            guard(
                self.messages,
                lambda ch: self.go_to_dimension(ch["new"]) if ch["new"] != dim.id else None,
            ),
            names="value",
        )
        return [wd.HBox([back, forward]), jump]


def vote_app(*, name: str = "", role: str = "", query: str | None = None, **params: Any) -> VoteApp:
    """Build the participant page from notebook parameters and the URL's query string.

    ``name``/``role`` parameters win over the query string; without a name the page opens on
    the sign-in screen (pre-filled from the query string when it has one).

    Parameters
    ----------
    name, role
        The participant (empty: from the URL, else the sign-in screen).
    query
        The URL's query string (default: Voilà's ``QUERY_STRING``).
    **params
        The notebook's other parameters (fields of :class:`~.config.Settings`).

    Returns
    -------
    VoteApp
        Display its ``widget``.
    """
    cfg = settings(**params)
    url = query_parameters(query)
    store = store_for(cfg)
    wid = cfg.workshop_id
    if not wid and url.get("workshop", "").isdigit():
        wid = int(url["workshop"])
    w = resolve_workshop(store, client_id=cfg.client_id, workshop_id=wid, rubric=cfg.rubric)
    app = VoteApp(store, w.id, lang=cfg.lang)
    who, what = name or url.get("name", ""), role or url.get("role", "")
    app.name_box.value, app.role_box.value = who, what
    if who:
        guard(app.messages, app.start)(who, what)
    return app
