"""What a workshop page runs on: notebook parameters, the environment, the URL, the workshop.

Voilà cannot pass notebook parameters, so ``maturity workshop`` sets environment variables for
the Voilà server, which its kernels inherit (:data:`ENV`); :func:`settings` merges them with the
notebook's parameters.  The participant page also reads ``name``, ``role`` and ``workshop`` from
the URL's query string (:func:`query_parameters`).  :func:`store_for` and
:func:`resolve_workshop` turn the settings into an open store and the workshop to show.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from assessment.exceptions import InputError, ParameterError
from assessment.rubric import load_rubric
from assessment.text import LABELS
from assessment.workshop.demo import demo_store
from assessment.workshop.records import Workshop
from assessment.workshop.store import Store, open_store

__all__ = ["ENV", "Settings", "query_parameters", "resolve_workshop", "settings", "store_for"]

#: Environment variables read by :func:`settings`, by parameter name.
ENV: Mapping[str, str] = {
    "store": "ASSESSMENT_WORKSHOP_STORE",
    "client_id": "ASSESSMENT_WORKSHOP_CLIENT",
    "workshop_id": "ASSESSMENT_WORKSHOP_ID",
    "rubric": "ASSESSMENT_WORKSHOP_RUBRIC",
    "clients": "ASSESSMENT_WORKSHOP_CLIENTS",
    "targets": "ASSESSMENT_WORKSHOP_TARGETS",
    "peers": "ASSESSMENT_WORKSHOP_PEERS",
    "reports": "ASSESSMENT_WORKSHOP_REPORTS",
    "lang": "ASSESSMENT_WORKSHOP_LANG",
    "poll_seconds": "ASSESSMENT_WORKSHOP_POLL",
    "join_url": "ASSESSMENT_WORKSHOP_JOIN_URL",
    "projector_url": "ASSESSMENT_WORKSHOP_PROJECTOR_URL",
}

#: Keys of the page URL's query string that :func:`query_parameters` keeps.
QUERY_KEYS = frozenset({"name", "role", "workshop"})


@dataclass(frozen=True)
class Settings:
    """What a workshop notebook runs on; see :func:`settings`."""

    store: str = ""
    client_id: str = ""
    workshop_id: int = 0
    rubric: str = "social-media"
    clients: str = ""
    targets: str = ""
    peers: str = ""
    reports: str = ""
    lang: str = "en"
    poll_seconds: float = 0.0
    join_url: str = ""
    projector_url: str = ""


_DEFAULTS = Settings()


def settings(environ: Mapping[str, str] | None = None, **params: Any) -> Settings:
    """Combine notebook parameters with the environment set by ``maturity workshop``.

    A parameter given a non-default value wins; a parameter left at its default takes the value
    of its environment variable (:data:`ENV`) when that is set and not empty.

    Parameters
    ----------
    environ
        The environment to read (default: ``os.environ``).
    **params
        Notebook parameters, by the field names of :class:`Settings`.

    Returns
    -------
    Settings
        The merged, checked settings.

    Raises
    ------
    ParameterError
        For unknown parameters, an unknown language, a negative poll interval or workshop id, or
        an environment value of the wrong type.
    """
    env = os.environ if environ is None else environ
    known = {f.name: f for f in dataclasses.fields(Settings)}
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise ParameterError(f"unknown workshop setting(s): {', '.join(unknown)}")
    values: dict[str, Any] = {}
    for name in known:
        default = getattr(_DEFAULTS, name)
        value = params.get(name, default)
        raw = env.get(ENV[name], "")
        if value == default and raw.strip():
            kind = type(default)
            try:
                value = kind(raw.strip())
            except ValueError:
                raise ParameterError(
                    f"environment variable {ENV[name]}={raw!r}: expected {kind.__name__}"
                ) from None
        values[name] = value
    out = Settings(**values)
    if out.lang not in LABELS:
        raise ParameterError(f"lang must be one of {', '.join(LABELS)}; found {out.lang!r}")
    if not (math.isfinite(out.poll_seconds) and out.poll_seconds >= 0):
        raise ParameterError(f"poll_seconds must be 0 or more; found {out.poll_seconds!r}")
    if out.workshop_id < 0:
        raise ParameterError(f"workshop_id must be 0 (latest) or more; found {out.workshop_id}")
    return out


def query_parameters(query: str | None = None) -> dict[str, str]:
    """``name``, ``role`` and ``workshop`` from a URL query string (default: ``QUERY_STRING``).

    Voilà puts the page's query string in the kernel's ``QUERY_STRING`` variable.  Unknown keys
    are ignored; only the first value of a repeated key is kept.

    Parameters
    ----------
    query
        The query string, with or without its leading ``?``.

    Returns
    -------
    dict
        The keys of :data:`QUERY_KEYS` that the query has, values stripped.
    """
    raw = os.environ.get("QUERY_STRING", "") if query is None else query
    parsed = parse_qs(raw.lstrip("?"), keep_blank_values=True)
    return {k: v[0].strip() for k, v in parsed.items() if k in QUERY_KEYS and v}


def store_for(cfg: Settings) -> Store:
    """Open the store of ``cfg``: its ``store`` path, or the demo store when that is empty."""
    path = cfg.store or str(demo_store(rubric=cfg.rubric))
    return open_store(path)


def resolve_workshop(
    store: Store,
    *,
    client_id: str = "",
    workshop_id: int = 0,
    rubric: str = "social-media",
    create: bool = True,
) -> Workshop:
    """The workshop a page should open.

    ``workshop_id`` when given; else the client's latest workshop (created for today when the
    client has none and ``create``); else the latest workshop in the store.

    Parameters
    ----------
    store
        The open store.
    client_id, workshop_id
        What the page asked for (empty or 0: not given).
    rubric
        Rubric (name or path) of a workshop created here.
    create
        Whether a client without a workshop gets one for today.

    Returns
    -------
    Workshop
        The workshop to show.

    Raises
    ------
    InputError
        When the workshop does not exist, belongs to another client, or there is none.
    """
    if workshop_id:
        w = store.workshop(workshop_id)
        if client_id and w.client_id != client_id:
            raise InputError(f"workshop #{workshop_id} is for {w.client_id!r}, not {client_id!r}")
        return w
    if client_id:
        found = store.find_workshop(client_id)
        if found is not None:
            return found
        if not create:
            raise InputError(f"client {client_id!r} has no workshop in {store.path}")
        return store.create_workshop(client_id, load_rubric(rubric))
    every = store.workshops()
    if not every:
        raise InputError(f"{store.path} holds no workshop; give a client id to start one")
    return max(every, key=lambda w: (w.date, w.id))
