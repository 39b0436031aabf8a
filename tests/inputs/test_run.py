"""Every file of a run (:mod:`assessment.inputs.run`): the batch's remembered inputs."""

from __future__ import annotations

import shutil

import pandas as pd
from helpers import SAMPLES

from assessment.inputs import adopt_inputs, inputs_key, load_inputs, remember_inputs, run
from assessment.rubric import load_rubric


def test_remembered_inputs_are_private_copies_and_follow_file_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "_REMEMBERED", {})
    answers = tmp_path / "answers.csv"
    shutil.copy(SAMPLES / "answers.csv", answers)
    rub = load_rubric("social-media")
    first = remember_inputs([answers], rub)
    again = load_inputs([answers], rub)
    pd.testing.assert_frame_equal(first.answers, again.answers)
    again.answers.loc[:, "comment"] = "changed by one report"
    assert not (load_inputs([answers], rub).answers["comment"] == "changed by one report").any()
    # A file edited after it was remembered is read again.
    lines = answers.read_text(encoding="utf-8").splitlines(keepends=True)
    answers.write_text("".join(lines[:-5]), encoding="utf-8")
    assert len(load_inputs([answers], rub).answers) == len(first.answers) - 5


def test_inputs_parsed_in_another_process_are_adopted_until_a_file_changes(tmp_path, monkeypatch):
    """A batch sends its fork server what it parsed as it planned (issue 19): the reports get
    those inputs without parsing, and a file edited after the key was taken is read again."""
    monkeypatch.setattr(run, "_REMEMBERED", {})
    answers = tmp_path / "answers.csv"
    shutil.copy(SAMPLES / "answers.csv", answers)
    rub = load_rubric("social-media")
    key = inputs_key(
        [str(answers)], rub, clients=SAMPLES / "clients.csv", targets=SAMPLES / "targets.csv"
    )
    parsed = load_inputs(
        [answers], rub, clients=SAMPLES / "clients.csv", targets=SAMPLES / "targets.csv"
    )
    adopt_inputs(key, parsed)

    def no_parsing(*args, **kwargs):
        raise AssertionError("the adopted inputs were parsed again")

    with monkeypatch.context() as patch:
        patch.setattr(run, "load_answers", no_parsing)
        got = load_inputs(
            [answers], rub, clients=SAMPLES / "clients.csv", targets=SAMPLES / "targets.csv"
        )
    pd.testing.assert_frame_equal(got.answers, parsed.answers)
    assert got.answers is not parsed.answers  # a copy: a report changes only its own
    # The same files named differently (relative path, sample: name) are the same key.
    assert inputs_key(["sample:answers.csv"], rub) == inputs_key([SAMPLES / "answers.csv"], rub)
    lines = answers.read_text(encoding="utf-8").splitlines(keepends=True)
    answers.write_text("".join(lines[:-3]), encoding="utf-8")
    assert (
        inputs_key([answers], rub, clients=SAMPLES / "clients.csv", targets=SAMPLES / "targets.csv")
        != key
    )
    again = load_inputs(
        [answers], rub, clients=SAMPLES / "clients.csv", targets=SAMPLES / "targets.csv"
    )
    assert len(again.answers) == len(parsed.answers) - 3
    assert inputs_key([tmp_path / "missing.csv"], rub) is None
    adopt_inputs(None, parsed)  # nothing to key it by: nothing kept
    assert len(run._REMEMBERED) == 1
