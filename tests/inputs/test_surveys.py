"""Survey exports in (issue 14): every tool's export scores as the same answers in long form.

The exports are built as each tool writes them (``tests/inputs/fixtures/README.md``), in
English and Arabic, from one set of submissions (:mod:`helpers.surveys`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from helpers import run_cli
from helpers import surveys as sv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.exceptions import DataValidationError
from assessment.inputs import answers_from_frame, load_answers
from assessment.inputs.surveys import SurveyDefaults, column_letter
from assessment.rubric import load_rubric
from assessment.scoring import score


@pytest.fixture(scope="module", name="rubric")
def fixture_rubric():
    return load_rubric("social-media")


@pytest.fixture(scope="module", name="subs")
def fixture_subs(rubric):
    return sv.submissions(rubric)


def _scores(rubric, answers: pd.DataFrame) -> pd.DataFrame:
    result = score(rubric, answers)
    return result.dimensions[["client_id", "date", "dimension_id", "score"]].reset_index(drop=True)


def _expected(rubric, subs, lang="en"):
    return answers_from_frame(sv.long_frame(rubric, subs, lang), rubric)


def _export(tool: str, rubric, subs, folder: Path, lang: str) -> list[Path]:
    if tool == "google":
        return [sv.google_forms_csv(rubric, subs, folder / "google.csv", lang)]
    if tool == "msforms":
        return [sv.ms_forms_xlsx(rubric, subs, folder / "msforms.xlsx", lang)]
    if tool == "kobo_names":
        return [sv.kobo_csv(rubric, subs, folder / "kobo.csv", lang=lang)]
    if tool == "kobo_labels":
        return [sv.kobo_csv(rubric, subs, folder / "kobo.csv", labels=True, lang=lang)]
    if tool == "kobo_xlsx":
        return [sv.kobo_xlsx(rubric, subs, folder / "kobo.xlsx", lang)]
    if tool == "surveymonkey":
        return [sv.surveymonkey_csv(rubric, subs, folder / "monkey.csv", lang)]
    if tool == "workbook":
        return sv.filled_workbooks(rubric, subs, folder, lang)
    return sv.filled_workbooks(rubric, subs, folder, lang, per_role=True)


TOOLS = [
    "google",
    "msforms",
    "kobo_names",
    "kobo_labels",
    "kobo_xlsx",
    "surveymonkey",
    "workbook",
    "per_role",
]


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("tool", TOOLS)
def test_every_export_scores_as_the_long_format(tool, lang, rubric, subs, tmp_path):
    files = _export(tool, rubric, subs, tmp_path, lang)
    got = load_answers(files, rubric, defaults=SurveyDefaults(client=sv.CLIENT))
    want = _expected(rubric, subs, lang)
    assert len(got) == len(want)
    assert got["date"].nunique() == 1  # three submission days, one assessment
    pd.testing.assert_frame_equal(_scores(rubric, got), _scores(rubric, want))
    dont_know = sum(v == "dont_know" for s in subs for v in s.answers.values())
    assert any(
        f"{dont_know} answer(s) were" in w or "don't know" in w for w in got.attrs["warnings"]
    )


def test_three_submission_days_are_one_assessment(rubric, subs, tmp_path):
    """Respondents answering on 10, 14 and 17 March: one assessment, dated the 17th."""
    path = tmp_path / "answers.csv"
    sv.long_frame(rubric, subs).to_csv(path, index=False)
    answers = load_answers(path, rubric)
    assert sorted(answers["submitted"].unique()) == ["2025-03-10", "2025-03-14", "2025-03-17"]
    assert list(answers["date"].unique()) == ["2025-03-17"]
    result = score(rubric, answers)
    assert len(result.overall) == 1
    # Every answer counts: coverage is the same as with all answers put on one day.
    one_day = sv.long_frame(rubric, subs).assign(date="2025-03-17")
    same = score(rubric, answers_from_frame(one_day, rubric))
    assert result.overall["coverage"].iloc[0] == same.overall["coverage"].iloc[0]
    assert any("submitted on 3 days" in w for w in answers.attrs["warnings"])


def test_an_assessment_id_groups_answers_months_apart(rubric, subs):
    frame = sv.long_frame(rubric, subs)
    frame.loc[frame["respondent"] == "Layla H.", "date"] = "2025-09-01"
    apart = answers_from_frame(frame, rubric)
    assert apart["date"].nunique() == 2  # months apart, no id: two assessments
    grouped = answers_from_frame(frame.assign(assessment="2025-engagement"), rubric)
    assert list(grouped["date"].unique()) == ["2025-09-01"]


def test_a_resubmitted_answer_replaces_the_earlier_one_with_a_warning(rubric, subs):
    frame = sv.long_frame(rubric, subs)
    again = frame.iloc[[0]].assign(date="2025-03-18", value="5")
    answers = answers_from_frame(pd.concat([frame, again]), rubric)
    kept = answers.loc[
        (answers["respondent"] == again["respondent"].iloc[0])
        & (answers["indicator_id"] == again["indicator_id"].iloc[0])
    ]
    assert list(kept["value"]) == ["5"]
    assert any("the later answer counts" in w for w in answers.attrs["warnings"])


def test_score_names_the_earlier_assessments_it_leaves_out(rubric, subs, tmp_path):
    frame = sv.long_frame(rubric, subs)
    older = frame.assign(date="2024-03-01")
    path = tmp_path / "answers.csv"
    pd.concat([older, frame]).to_csv(path, index=False)
    done = run_cli("score", str(path))
    assert done.returncode == 0, done.stderr
    assert f"{len(older)} answer(s) of 1 earlier assessment(s) are not in this score" in done.stderr
    assert "c01-acme 2024-03-01" in done.stderr


def _problems(exc: pytest.ExceptionInfo[DataValidationError]) -> list[str]:
    return [f"{r.column}|{r.message}" for r in exc.value.errors.itertuples()]


def test_an_unknown_header_names_its_cell_and_the_closest_question(rubric, subs, tmp_path):
    path = sv.google_forms_csv(rubric, subs, tmp_path / "google.csv")
    text = path.read_text(encoding="utf-8")
    # A question retyped in the form with a typo and without its code.
    wrong = "Does the organisation have a writen social-media strategy, and how far is it tied"
    first = rubric.dimensions[0].indicators[0]
    title = f"[Q1] {first.question['en']}"
    assert title in text
    path.write_text(text.replace(title, wrong), encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        load_answers(path, rubric, defaults=SurveyDefaults(client=sv.CLIENT))
    (problem,) = [p for p in _problems(exc) if "writen" in p]
    assert problem.startswith(f"{wrong}|cell E1: column {wrong!r} is not an indicator")
    assert f"(did you mean {title!r} ({first.id})?)" in problem


def test_an_unknown_option_names_its_cell_and_the_closest_option(rubric, subs, tmp_path):
    path = sv.ms_forms_xlsx(rubric, subs, tmp_path / "msforms.xlsx")
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb.active
    # Q1 is column I (six metadata columns, name, role); respondent 2 is row 3.
    assert ws["I1"].value.startswith("[Q1]")
    right = ws["I3"].value
    ws["I3"] = "Levl " + right
    wb.save(path)
    with pytest.raises(DataValidationError) as exc:
        load_answers(path, rubric, defaults=SurveyDefaults(client=sv.CLIENT))
    (problem,) = _problems(exc)
    assert problem.startswith(f"{ws['I1'].value}|sheet 'Form1', cell I3: 'Levl {right}'")
    assert f"(did you mean {right!r}?)" in problem
    assert exc.value.errors["reason"].tolist() == ["not_a_level"]


def test_a_bad_number_in_a_wide_file_names_its_column_not_value(rubric, subs, tmp_path):
    path = sv.google_forms_csv(rubric, subs, tmp_path / "google.csv")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    fact = next(c for c in frame.columns if c.startswith("[F1]"))
    frame.loc[1, fact] = "about ten"
    frame.to_csv(path, index=False)
    with pytest.raises(DataValidationError) as exc:
        load_answers(path, rubric, defaults=SurveyDefaults(client=sv.CLIENT))
    errors = exc.value.errors
    assert errors["column"].tolist() == [fact]  # the header, not "value"
    letter = column_letter(list(frame.columns).index(fact))
    assert errors["message"].iloc[0].startswith(f"cell {letter}3: ")


def test_a_form_without_client_column_asks_for_client(rubric, subs, tmp_path):
    path = sv.google_forms_csv(rubric, subs, tmp_path / "google.csv")
    done = run_cli("validate", str(path))
    assert done.returncode == 2
    assert "no client column" in done.stderr
    assert "--client" in done.stderr
    assert "Traceback" not in done.stderr
    done = run_cli("validate", str(path), "--client", sv.CLIENT)
    assert done.returncode == 0, done.stderr
    assert "1 assessments" in done.stdout


def test_import_writes_the_long_format_that_scores_the_same(rubric, subs, tmp_path):
    export = sv.surveymonkey_csv(rubric, subs, tmp_path / "monkey.csv", "ar")
    out = tmp_path / "answers.csv"
    done = run_cli("import", str(export), "--client", sv.CLIENT, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "1 assessment(s)" in done.stderr
    again = load_answers(out, rubric)
    pd.testing.assert_frame_equal(_scores(rubric, again), _scores(rubric, _expected(rubric, subs)))
    assert set(again["assessment"]) == {"2025-03-17"}


@pytest.mark.parametrize("token", ["dont_know", "Don't know", "لا أعرف", "DK"])
def test_dont_know_in_the_long_format_counts_as_not_answered(rubric, subs, token):
    frame = sv.long_frame(rubric, subs)
    frame.loc[0, "value"] = token
    answers = answers_from_frame(frame, rubric)
    assert len(answers) == len(frame) - 1
    assert any('1 answer(s) were "don\'t know"' in w for w in answers.attrs["warnings"])


def test_two_assessment_ids_ending_on_one_day_are_named(rubric, subs):
    frame = sv.long_frame(rubric, subs)
    frame["assessment"] = ["a" if k % 2 else "b" for k in range(len(frame))]
    frame["date"] = "2025-03-17"
    frame["respondent"] = frame["respondent"] + frame["assessment"]
    answers = answers_from_frame(frame, rubric)
    assert any(
        "assessments 'a', 'b' both end on 2025-03-17" in w for w in answers.attrs["warnings"]
    )


def test_the_command_line_window_is_the_loaders():
    from assessment.inputs.engagement import WINDOW_DAYS

    done = run_cli("score", "--help")
    assert f"[default: {WINDOW_DAYS};" in " ".join(done.stdout.split())


def test_column_letters_are_excels():
    assert [column_letter(k) for k in (0, 5, 25, 26, 701, 702)] == [
        "A", "F", "Z", "AA", "ZZ", "AAA"
    ]  # fmt: skip


def test_a_form_submitted_twice_the_same_day_keeps_the_later_answers(rubric, subs, tmp_path):
    again = sv.Submission(subs[0].name, subs[0].role, subs[0].when.replace(hour=18))
    first = next(q for q in sv.catalogue(rubric, subs[0].role) if q.kind == "anchored")
    again.answers = {first.id: "5"}
    path = sv.google_forms_csv(rubric, [*subs, again], tmp_path / "google.csv")
    answers = load_answers(path, rubric, defaults=SurveyDefaults(client=sv.CLIENT))
    mine = answers.loc[
        (answers["respondent"] == again.name) & (answers["indicator_id"] == first.id)
    ]
    assert mine["value"].tolist() == ["5"]
    # The rest of the first submission still counts.
    assert (answers["respondent"] == again.name).sum() == len(
        [v for v in subs[0].answers.values() if v != "dont_know"]
    )
    (note,) = [w for w in answers.attrs["warnings"] if "submitted again the same day" in w]
    assert "the later submission counts (earlier rows 2)" in note


@given(st.data())
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_answers_survive_an_export(rubric, tmp_path_factory, data):
    """Whatever people answer (any option, any number, skipped questions), an export reads
    back as those answers."""
    questions = sv.catalogue(rubric)
    subs = []
    for k in range(data.draw(st.integers(1, 4))):
        sub = sv.Submission(f"r{k}", "", sv.dt.datetime(2025, 3, 10 + k, 9))
        for q in questions:
            if q.options:
                choice = st.sampled_from([o.value for o in q.options] + [None])
            else:
                low = q.minimum if q.minimum is not None else 0
                high = q.maximum if q.maximum is not None else 1000
                number = st.floats(low, high, allow_nan=False).map(lambda x: f"{round(x, 2):g}")
                choice = st.one_of(st.none(), number)
            value = data.draw(choice)
            if value is not None:
                sub.answers[q.id] = value
        subs.append(sub)
    if not any(v != "dont_know" for s in subs for v in s.answers.values()):
        return
    folder = tmp_path_factory.mktemp("export")
    tool = data.draw(st.sampled_from(["google", "kobo_names", "surveymonkey"]))
    lang = data.draw(st.sampled_from(["en", "ar"]))
    (path,) = _export(tool, rubric, subs, folder, lang)
    got = load_answers(path, rubric, defaults=SurveyDefaults(client=sv.CLIENT))
    want = sv.long_frame(rubric, subs)
    key = ["respondent", "indicator_id", "value"]
    got_rows = sorted(map(tuple, got[key].astype(str).to_numpy().tolist()))
    assert got_rows == sorted(map(tuple, want[key].astype(str).to_numpy().tolist()))
