"""The report package's lazy names (issue 19) and the one HTML escaping rule.

``assessment.report`` imports its modules on first use, so that a process that only prints
PDFs or escapes text does not pay for matplotlib and SciPy; the fork server imports every
module a report uses ahead (:data:`assessment.report.MODULES`).
"""

from __future__ import annotations

import importlib

import pytest
from helpers import modules_after

import assessment.report as report
from assessment import text


def test_the_printer_and_the_escaping_do_not_import_the_charts() -> None:
    loaded = modules_after("import assessment.report.pdf\nfrom assessment.report import esc")
    assert "assessment.report.pdf" in loaded
    assert not {"matplotlib", "scipy", "assessment.charts", "assessment.report.context"} & loaded


def test_every_public_name_resolves_from_its_module() -> None:
    for name in report.__all__:
        value = getattr(report, name)
        assert value is not None, name
    assert report.prepare is importlib.import_module("assessment.report.context").prepare
    assert set(report.__all__) <= set(dir(report))
    assert [s.__name__ for s in report.SECTIONS][:2] == ["header", "contents"]


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        report.nothing_here  # noqa: B018


def test_modules_lists_every_module_a_public_name_comes_from() -> None:
    values = [getattr(report, name) for name in report.__all__]
    homes = {v.__module__ for v in values if callable(v)} - {"assessment.text.controls"}
    assert homes == set(report.MODULES)
    for module in report.MODULES:
        importlib.import_module(module)


def test_the_report_and_the_workshop_escape_with_the_one_rule() -> None:
    from assessment.report import html
    from assessment.workshop import pages

    assert report.esc is html.esc is pages.esc is text.esc
    assert (
        text.esc('<a title="x">\u202eA&B</a>') == "&lt;a title=&quot;x&quot;&gt;A&amp;B&lt;/a&gt;"
    )
    assert text.esc(None) == ""


def test_page_and_methodology_stay_functions_once_their_modules_are_imported() -> None:
    # Both share their name with a submodule, which an import binds on the package.
    loaded = modules_after(
        "import assessment.report as r\n"
        "import assessment.report.page, assessment.report.methodology\n"
        "assert callable(r.page) and callable(r.methodology), (r.page, r.methodology)\n"
        "assert r.page('<p>x</p>', title='t').startswith('<!DOCTYPE html>')"
    )
    assert "assessment.report.page" in loaded
