"""Questionnaires out (issue 14): the workbook, the XLSForm, the Forms sheet, the printout."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from helpers import SMALL_RUBRIC, run_cli
from helpers import surveys as sv
from helpers.browser import browser_unavailable, find_chromium
from hypothesis import given, settings
from hypothesis import strategies as st
from pyxform.xls2xform import convert

from assessment.inputs import load_answers
from assessment.inputs.surveys import map_value
from assessment.questionnaire import catalogue, normalise_digits
from assessment.questionnaire.forms import forms_rows
from assessment.questionnaire.printable import printable_html
from assessment.questionnaire.workbook import COVER_CELLS, write_workbook
from assessment.questionnaire.xlsform import write_xlsform
from assessment.rubric import load_rubric


@pytest.fixture(scope="module", name="rubric")
def fixture_rubric():
    return load_rubric("social-media")


def test_codes_are_stable_across_roles(rubric):
    every = {q.id: q.code for q in catalogue(rubric)}
    for role in rubric.roles:
        asked = catalogue(rubric, role.id)
        assert asked, role.id
        assert all(every[q.id] == q.code for q in asked)
        assert all(not q.asked_of or role.id in q.asked_of for q in asked)
    assert len(set(every.values())) == len(every)
    # Computed indicators are never asked: their facts are.
    assert "team_capacity_ratio" not in every
    assert {f.id for f in rubric.facts} <= set(every)


@given(st.integers(min_value=1, max_value=5), st.sampled_from(["en", "ar"]))
@settings(max_examples=30, deadline=None)
def test_every_option_label_maps_back_to_its_value(level, lang):
    rubric = load_rubric("social-media")
    for q in catalogue(rubric)[:12]:
        for option in q.options:
            assert map_value(q, option.labels[lang], rubric.n_levels) == option.value
            assert map_value(q, option.name, rubric.n_levels) == option.value
        if q.kind == "anchored":
            for text in (f"Level {level}", f"المستوى {level}".translate(sv._AR_DIGITS), str(level)):
                assert map_value(q, text, rubric.n_levels) == str(level)


def test_arabic_indic_digits_are_numbers():
    assert normalise_digits("١٫٥") == "1.5"
    assert normalise_digits("٤") == "4"
    assert normalise_digits("۱۲") == "12"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_workbook_has_a_cover_dropdowns_and_protected_structure(rubric, lang, tmp_path):
    path = write_workbook(rubric, tmp_path / "q.xlsx", client="c01", assessment="spring", lang=lang)
    wb = openpyxl.load_workbook(path)
    cover, sheet = wb.worksheets[0], wb.worksheets[1]
    assert wb.security.lockStructure
    assert cover.protection.sheet
    assert sheet.protection.sheet
    assert cover[COVER_CELLS["client_id"]].value == "c01"
    assert cover[COVER_CELLS["assessment"]].value == "spring"
    assert not cover[COVER_CELLS["respondent"]].protection.locked
    assert cover[COVER_CELLS["client_id"]].protection.locked
    assert sheet.sheet_view.rightToLeft == (lang == "ar")
    header = [c.value for c in sheet[1]]
    answer = header.index("indicator_id") - 3
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(catalogue(rubric))
    # Every answer cell is unlocked and has a rule; the question cells are locked.
    ruled = {str(ref) for dv in sheet.data_validations.dataValidation for ref in dv.sqref.ranges}
    for row in rows:
        assert not row[answer].protection.locked
        assert row[2].protection.locked
        assert row[answer].coordinate in ruled
    lists = [dv.formula1 for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    dont_know = "Don't know" if lang == "en" else "لا أعرف"
    assert all(dont_know in f for f in lists)
    assert all(len(f) <= 257 for f in lists)  # Excel's limit on an inline list
    assert sheet.column_dimensions[openpyxl.utils.get_column_letter(answer + 4)].hidden


def test_workbook_for_one_role_has_only_its_questions(rubric, tmp_path):
    path = write_workbook(rubric, tmp_path / "q.xlsx", client="c01", role="finance")
    sheet = openpyxl.load_workbook(path).worksheets[1]
    ids = [r[-1].value for r in sheet.iter_rows(min_row=2)]
    assert ids == [q.id for q in catalogue(rubric, "finance")]
    assert len(ids) < len(catalogue(rubric))


def test_an_empty_workbook_says_so(rubric, tmp_path):
    path = write_workbook(rubric, tmp_path / "q.xlsx", client="c01")
    done = run_cli("validate", str(path))
    assert done.returncode == 2
    assert "cell B5: the respondent is empty" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_workbook_for_another_rubric_names_it(tmp_path):
    small = load_rubric(SMALL_RUBRIC)
    path = write_workbook(small, tmp_path / "q.xlsx", client="c01")
    done = run_cli("validate", str(path))
    assert done.returncode == 2
    assert f"written for rubric {small.id!r}" in done.stderr


@pytest.mark.parametrize("role", [None, "finance"])
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_xlsform_converts_with_pyxform(rubric, lang, role, tmp_path):
    path = write_xlsform(rubric, tmp_path / "form.xlsx", client="c01", role=role, lang=lang)
    xform = convert(xlsform=str(path), validate=False).xform
    assert 'lang="English (en)"' in xform
    assert 'lang="Arabic (ar)"' in xform
    for q in catalogue(rubric, role):
        assert f"/{q.id}" in xform
    survey = pd.read_excel(path, sheet_name="survey", dtype=str).fillna("")
    choices = pd.read_excel(path, sheet_name="choices", dtype=str).fillna("")
    assert {"label::English (en)", "label::Arabic (ar)"} <= set(survey.columns)
    named = survey.set_index("name")
    assert named.loc["client_id", "default"] == "c01"
    first = next(q for q in catalogue(rubric, role) if q.options)
    assert named.loc[first.id, "type"] == f"select_one l_{first.id}"
    assert set(choices.loc[choices["list_name"] == f"l_{first.id}", "name"]) >= {"1", "5", "dk"}
    if role is None:  # one form for every role: each question shown to the roles it asks
        relevant = named.loc["governance_data_protection", "relevant"]
        one = r"selected\(\$\{role\}, '\w+'\)"
        assert re.fullmatch(f"{one}( or {one})*", relevant)
    else:
        assert named.loc["role", "default"] == role
        assert not survey["relevant"].any()


def test_forms_titles_carry_codes_and_options_in_both_languages(rubric):
    for lang in ("en", "ar"):
        rows = forms_rows(rubric, lang=lang)
        titles = [list(r.values())[1] for r in rows]
        assert all(len(r) == 5 for r in rows)
        assert titles[0].startswith("[NAME]")
        assert titles[1].startswith("[ROLE]")
        assert titles[2:] == [q.title(lang) for q in catalogue(rubric)]


def test_printable_page_escapes_and_isolates_user_text(rubric):
    page = printable_html(rubric, client="<b>x\u202e</b>", lang="ar")
    assert 'dir="rtl"' in page
    assert "<b>x" not in page
    assert "\u202e" not in page
    assert "&lt;b&gt;x" in page
    assert page.count('class="q"') == len(catalogue(rubric))


def test_questionnaire_command_writes_every_format_that_imports_back(rubric, tmp_path):
    out = tmp_path / "q"
    done = run_cli(
        "questionnaire", "--client", "c01", "--lang", "en", "--lang", "ar",
        "--format", "xlsx", "--format", "xlsform", "--format", "forms", "--format", "html",
        "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        f"c01.{lang}.{kind}"
        for lang in ("en", "ar")
        for kind in ("questionnaire.xlsx", "xlsform.xlsx", "forms.xlsx", "questionnaire.html")
    )
    # The blank workbook, filled in, reads back.
    wb = openpyxl.load_workbook(out / "c01.ar.questionnaire.xlsx")
    wb.worksheets[0][COVER_CELLS["respondent"]] = "ليلى"
    sheet = wb.worksheets[1]
    answer = [c.value for c in sheet[1]].index("indicator_id") - 3
    sheet.cell(2, answer + 1, "٤")
    wb.save(out / "c01.ar.questionnaire.xlsx")
    answers = load_answers(out / "c01.ar.questionnaire.xlsx", rubric)
    assert answers[["client_id", "respondent", "indicator_id", "value"]].values.tolist() == [
        ["c01", "ليلى", catalogue(rubric)[0].id, "4"]
    ]


def test_questionnaire_command_refuses_an_unknown_role(tmp_path):
    done = run_cli("questionnaire", "--client", "c01", "--role", "finanse", "--out", str(tmp_path))
    assert done.returncode == 2
    assert "did you mean 'finance'?" in done.stderr


def test_questionnaire_prints_to_pdf(tmp_path: Path):
    if find_chromium() is None:
        browser_unavailable("Chromium not found: the printable PDF needs it")
    done = run_cli(
        "questionnaire", "--client", "c01", "--lang", "ar", "--role", "finance",
        "--format", "pdf", "--out", str(tmp_path),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    pdf = (tmp_path / "c01-finance.ar.questionnaire.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 10_000


def test_make_demo_writes_the_sample_questionnaires_next_to_the_reports(tmp_path):
    """The demo's questionnaire line, run as make runs it, into a temporary folder."""
    from helpers import ROOT, SAMPLES

    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    (line,) = [x for x in recipe.splitlines() if "maturity questionnaire" in x]
    assert "--out reports/questionnaires" in line
    args = line.split("maturity questionnaire", 1)[1].split()
    args = [a.replace("$(SAMPLES)", str(SAMPLES)) for a in args]
    args[args.index("--out") + 1] = str(tmp_path)
    done = run_cli("questionnaire", *args)
    assert done.returncode == 0, done.stderr
    clients = pd.read_csv(SAMPLES / "clients.csv")["client_id"]
    want = {
        f"{c}.{lang}.{kind}"
        for c in clients
        for lang in ("en", "ar")
        for kind in ("questionnaire.xlsx", "xlsform.xlsx")
    }
    assert {p.name for p in tmp_path.iterdir()} == want


def test_kobo_export_headers_are_the_xlsform_paths(rubric, tmp_path):
    """The KoboToolbox fixture's headers are the paths of the form's fields, group first."""
    form = write_xlsform(rubric, tmp_path / "form.xlsx", client="c01")
    xform = convert(xlsform=str(form), validate=False).xform
    paths = {p.split("/", 2)[2] for p in re.findall(r'<bind nodeset="(/[^"]+)"', xform)}
    export = sv.kobo_csv(rubric, sv.submissions(rubric), tmp_path / "kobo.csv")
    header = export.read_text(encoding="utf-8").splitlines()[0].split(";")
    fields = [h for h in header if not h.startswith("_") and h not in ("start", "end")]
    assert set(fields) <= paths
    questions = {p for p in paths if "/" in p and not p.startswith("meta/")}
    assert questions <= set(fields)  # every question and evidence field
