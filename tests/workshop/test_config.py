"""Settings from notebook parameters and the environment; the URL; which workshop a page opens."""

from __future__ import annotations

from typing import Any

import pytest

from assessment import workshop as ws
from assessment.exceptions import InputError, ParameterError
from assessment.rubric import Rubric
from assessment.workshop.store import Store


def test_settings_take_unset_parameters_from_the_environment() -> None:
    env = {
        "ASSESSMENT_WORKSHOP_STORE": "/data/ws.sqlite",
        "ASSESSMENT_WORKSHOP_ID": "7",
        "ASSESSMENT_WORKSHOP_POLL": "1.5",
        "ASSESSMENT_WORKSHOP_LANG": "ar",
    }
    cfg = ws.settings(env, client_id="c02")
    assert cfg.store == "/data/ws.sqlite"
    assert cfg.workshop_id == 7
    assert cfg.poll_seconds == 1.5
    assert cfg.lang == "ar"
    assert cfg.client_id == "c02"
    # A parameter given explicitly wins over the environment.
    assert ws.settings(env, store="/elsewhere.sqlite").store == "/elsewhere.sqlite"
    assert ws.settings({}) == ws.Settings()


@pytest.mark.parametrize(
    ("env", "params", "fragment"),
    [
        ({"ASSESSMENT_WORKSHOP_ID": "seven"}, {}, "expected int"),
        ({}, {"lang": "fr"}, "lang must be one of"),
        ({}, {"poll_seconds": -1.0}, "poll_seconds"),
        ({}, {"workshop_id": -2}, "workshop_id"),
        ({}, {"colour": "red"}, "unknown workshop setting"),
    ],
)
def test_bad_settings_are_parameter_errors(
    env: dict[str, str], params: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(ParameterError, match=fragment):
        ws.settings(env, **params)


def test_query_parameters_come_from_voilas_query_string(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUERY_STRING", "name=Layla%20H.&role=Head+of+social&workshop=3&x=1")
    assert ws.query_parameters() == {"name": "Layla H.", "role": "Head of social", "workshop": "3"}
    assert ws.query_parameters("?name=") == {"name": ""}
    assert ws.query_parameters("") == {}


def test_resolve_workshop_creates_or_refuses(store: Store, rubric: Rubric) -> None:
    with pytest.raises(InputError, match="holds no workshop"):
        ws.resolve_workshop(store)
    with pytest.raises(InputError, match="has no workshop"):
        ws.resolve_workshop(store, client_id="c01", create=False)
    w = ws.resolve_workshop(store, client_id="c01")
    assert ws.resolve_workshop(store) == w
    assert ws.resolve_workshop(store, workshop_id=w.id) == w
