"""Every file of a run (:mod:`assessment.inputs.run`): the batch's remembered inputs."""

from __future__ import annotations

import shutil

import pandas as pd
from helpers import SAMPLES

from assessment.inputs import load_inputs, remember_inputs, run
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
