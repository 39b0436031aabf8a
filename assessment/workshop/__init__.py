"""Workshops: the room phones join, the facilitator's app and the store under both.

A consultant walks a client's leadership through the rubric; every participant joins from their
phone with the room's code or QR code and answers their role's questions in the participant app
(:mod:`~assessment.workshop.web`, a small Starlette app: no kernel per phone); the facilitator
(``notebooks/workshop.ipynb``) sees the votes arrive, the radar move and the disagreements
ranked, runs the projector (results on demand, pacing), agrees answers and targets, finalises,
and renders the client report.  ``maturity workshop`` serves both (:mod:`.serve`); the
facilitator's notebook also runs in JupyterLab, and ``notebooks/vote.ipynb`` votes from
JupyterLab without the participant app.

What lives here
---------------
The store, then pure functions, then thin widget shells over both:

* :mod:`~assessment.workshop.store`: :class:`~.store.Store`, one SQLite file many kernels write
  to; :mod:`~assessment.workshop.schema` its tables, :mod:`~assessment.workshop.records` what it
  keeps (:class:`~.records.Workshop`, :class:`~.records.Participant`) and the rules a vote
  passes, :mod:`~assessment.workshop.store_io` the long answers format in and out;
* :mod:`~assessment.workshop.config`: :func:`settings` (notebook parameters and the
  environment), :func:`query_parameters` (the page URL), :func:`resolve_workshop`;
* :mod:`~assessment.workshop.demo`: the demo store (:func:`demo_store`);
* :mod:`~assessment.workshop.model`: **pure** -- :func:`choices`, :func:`bands`,
  :func:`consensus`, :func:`answers_from_votes`, :func:`compute_state` (a :class:`LiveState`),
  :func:`proposed_answers`, :func:`initial_targets`; tables in, tables out;
* :mod:`~assessment.workshop.views`: **pure** -- the HTML snippets (:func:`consensus_html`,
  :func:`status_html` ...), every text escaped;
* :mod:`~assessment.workshop.radar`: :class:`LiveRadar`, the radar of
  :func:`assessment.charts.radar` redrawn in a few milliseconds by blitting;
* :mod:`~assessment.workshop.render`: :func:`render_report`, the client report of a finalised
  workshop;
* :mod:`~assessment.workshop.widgets`, :mod:`~assessment.workshop.facilitator`,
  :mod:`~assessment.workshop.vote`: the two ``ipywidgets`` apps (:class:`FacilitatorApp`,
  :class:`VoteApp`) and their notebook entry points (:func:`facilitator_app`,
  :func:`vote_app`); handlers call the functions above and render into an
  ``ipywidgets.Output``;
* :mod:`~assessment.workshop.room`: the room (join code, facilitator token, pacing and reveal;
  participants as tokens; ballots per role; who has finished);
* :mod:`~assessment.workshop.web` and :mod:`~assessment.workshop.pages`: the participant app and
  its server-rendered pages (the projector too), with ``static/`` (CSS, one script);
  :mod:`~assessment.workshop.room_panel`: the room on the facilitator's page;
* :mod:`~assessment.workshop.serve`: serving the participant app and the facilitator's
  notebook (Voilà, behind the token) until Ctrl-C (:func:`assessment.workshop.serve.serve`, for
  ``maturity workshop``).

Every label the apps show comes from :mod:`assessment.text` (keys ``workshop.*``).

May import: assessment.batch, assessment.report, assessment.charts, assessment.scoring,
assessment.inputs, assessment.samples, assessment.rubric, assessment.text, assessment.files,
assessment.exceptions.

Configuration through the environment
-------------------------------------
Voilà cannot pass notebook parameters, so ``maturity workshop`` sets environment variables for
the Voilà server, which its kernels inherit.  A notebook parameter left at its default is taken
from its variable when that is set (:func:`settings`):

======================================  =========================================================
``ASSESSMENT_WORKSHOP_STORE``           path of the SQLite store
``ASSESSMENT_WORKSHOP_CLIENT``          client id
``ASSESSMENT_WORKSHOP_ID``              workshop id (number)
``ASSESSMENT_WORKSHOP_RUBRIC``          rubric for new workshops (name or path)
``ASSESSMENT_WORKSHOP_CLIENTS``         clients table (names, target profiles) for the report
``ASSESSMENT_WORKSHOP_TARGETS``         custom target profiles file
``ASSESSMENT_WORKSHOP_PEERS``           peer population for the report's benchmark
``ASSESSMENT_WORKSHOP_REPORTS``         folder the reports are written to
``ASSESSMENT_WORKSHOP_LANG``            ``en`` or ``ar``
``ASSESSMENT_WORKSHOP_POLL``            seconds between polls of the store (facilitator)
``ASSESSMENT_WORKSHOP_JOIN_URL``        the room's QR link, shown on the facilitator's page
``ASSESSMENT_WORKSHOP_PROJECTOR_URL``   the projector's link (holds the facilitator's token)
======================================  =========================================================

The participant page also reads ``name``, ``role`` and ``workshop`` from the URL's query
string (``vote.ipynb?name=Ann&role=CMO``), which Voilà hands to the kernel as ``QUERY_STRING``.

An empty ``store`` means the **demo store**: a file in the temporary folder, seeded once from
the sample answers (``data/samples``; synthetic answers when the samples are not there).  Both
notebooks share it, so they can be tried together in JupyterLab without any setup.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only
    from assessment.workshop.config import (
        ENV,
        Settings,
        query_parameters,
        resolve_workshop,
        settings,
        store_for,
    )
    from assessment.workshop.demo import demo_answers, demo_store, demo_store_path
    from assessment.workshop.facilitator import FacilitatorApp, facilitator_app
    from assessment.workshop.model import (
        Choice,
        LiveState,
        answers_from_votes,
        bands,
        choices,
        compute_state,
        consensus,
        initial_targets,
        level_of,
        load_state,
        proposed_answers,
    )
    from assessment.workshop.radar import LiveRadar
    from assessment.workshop.render import render_report
    from assessment.workshop.views import (
        consensus_html,
        distribution_html,
        download_link_html,
        indicator_summary_html,
        status_html,
    )
    from assessment.workshop.vote import VoteApp, vote_app

#: Public name -> the module that defines it.  Names are imported on first use (PEP 562): a
#: process that only needs the store (a voting page, a worker) never imports the apps.
_EXPORTS = {
    "Choice": "model",
    "ENV": "config",
    "FacilitatorApp": "facilitator",
    "LiveRadar": "radar",
    "LiveState": "model",
    "Settings": "config",
    "VoteApp": "vote",
    "answers_from_votes": "model",
    "bands": "model",
    "choices": "model",
    "compute_state": "model",
    "consensus": "model",
    "consensus_html": "views",
    "demo_answers": "demo",
    "demo_store": "demo",
    "demo_store_path": "demo",
    "distribution_html": "views",
    "download_link_html": "views",
    "facilitator_app": "facilitator",
    "indicator_summary_html": "views",
    "initial_targets": "model",
    "level_of": "model",
    "load_state": "model",
    "proposed_answers": "model",
    "query_parameters": "config",
    "render_report": "render",
    "resolve_workshop": "config",
    "settings": "config",
    "status_html": "views",
    "store_for": "config",
    "vote_app": "vote",
}

__all__ = [
    "ENV",
    "Choice",
    "FacilitatorApp",
    "LiveRadar",
    "LiveState",
    "Settings",
    "VoteApp",
    "answers_from_votes",
    "bands",
    "choices",
    "compute_state",
    "consensus",
    "consensus_html",
    "demo_answers",
    "demo_store",
    "demo_store_path",
    "distribution_html",
    "download_link_html",
    "facilitator_app",
    "indicator_summary_html",
    "initial_targets",
    "level_of",
    "load_state",
    "proposed_answers",
    "query_parameters",
    "render_report",
    "resolve_workshop",
    "settings",
    "status_html",
    "store_for",
    "vote_app",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
