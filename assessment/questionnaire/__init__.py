"""Questionnaires: what a respondent fills in, written from any rubric (issue 14).

What lives here
---------------
* :mod:`~assessment.questionnaire.catalogue`: the questions of a rubric as a respondent sees
  them (:func:`catalogue`): a short code per question (``[Q3]``), the option labels in each
  language, who is asked; the same catalogue maps a survey tool's headers and option labels
  back to indicator ids and levels (:mod:`assessment.inputs.surveys`);
* :mod:`~assessment.questionnaire.workbook`: the fillable XLSX workbook (cover sheet, one row
  per question, dropdown answers, protected structure);
* :mod:`~assessment.questionnaire.xlsform`: the XLSForm for KoboToolbox, ODK and Enketo;
* :mod:`~assessment.questionnaire.forms`: the authoring sheet for Google and Microsoft Forms;
* :mod:`~assessment.questionnaire.printable`: the printable HTML questionnaire (the CLI prints
  it to PDF with Chromium, as reports).

May import: :mod:`assessment.rubric`, :mod:`assessment.text`, :mod:`assessment.files`,
:mod:`assessment.limits`, :mod:`assessment.exceptions`.
"""

from assessment.questionnaire.catalogue import (
    DONT_KNOW,
    DONT_KNOW_TOKENS,
    Option,
    Question,
    catalogue,
    normalise_digits,
    normalise_text,
)

__all__ = [
    "DONT_KNOW",
    "DONT_KNOW_TOKENS",
    "Option",
    "Question",
    "catalogue",
    "normalise_digits",
    "normalise_text",
]
