"""The self-contained page around the sections, and the executed notebook as that page."""

from __future__ import annotations

import functools
import html
import threading
from typing import Any

from assessment import __version__
from assessment.text import direction, esc, label

__all__ = ["CSS", "html_cells", "notebook_to_html", "page", "warm_up_export"]

CSS = """
:root{--ink:#1d2433;--muted:#5b6475;--line:#d8dde6;--accent:#0072B2;--bg:#ffffff;
--l1:#440154;--l2:#46337f;--l3:#365d8d;--l4:#26818e;--l5:#20a386}
*{box-sizing:border-box}
body{margin:0;background:#f4f6f9;color:var(--ink);
font:15px/1.55 "Noto Naskh Arabic","Noto Sans","DejaVu Sans",system-ui,sans-serif}
main.report{max-width:960px;margin:24px auto;background:var(--bg);padding:40px 48px;
box-shadow:0 1px 4px rgba(0,0,0,.08)}
h1{font-size:30px;margin:.1em 0}h2{font-size:22px;border-bottom:2px solid var(--accent);
padding-bottom:4px;margin-top:2em}h3{font-size:17px;margin-top:1.4em}h4{font-size:15px}
.eyebrow{color:var(--accent);text-transform:uppercase;letter-spacing:.06em;font-size:12px;margin:0}
.subtitle{color:var(--muted);margin-top:0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;font-size:14px}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin:12px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card-label{color:var(--muted);font-size:12px}.card-value{font-size:28px;font-weight:700}
.card-unit{color:var(--muted);font-size:12px}
.headline{font-size:17px;font-weight:600}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:13px;font-weight:600;
color:#111;white-space:nowrap}
.level-1,.level-2,.level-3,.level-4{color:#fff}.level-1{background:var(--l1)}.level-2{background:var(--l2)}
.level-3{background:var(--l3)}.level-4{background:var(--l4)}.level-5{background:var(--l5)}
table{border-collapse:collapse;width:100%;margin:10px 0;font-size:13.5px}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:start;vertical-align:top}
th{background:#f0f3f7;font-weight:600}
figure{margin:12px 0;text-align:center}figure img{max-width:100%;height:auto}
.note{color:var(--muted);font-size:13px}.gate{color:#b3001b;font-weight:600}
.up{color:#007a55;font-weight:600}.down{color:#b3001b;font-weight:600}
ul.evidence li{margin:4px 0}.who{color:var(--muted)}
article.dimension{border-top:1px solid var(--line);padding-top:6px}
nav.toc{font-size:13px;color:var(--muted)}nav.toc a{margin-inline-end:12px}
a{color:var(--accent)}
.jp-Cell,.jp-OutputArea,.jp-OutputArea-child,.jp-OutputArea-output,.jp-RenderedHTMLCommon{
margin:0;padding:0;border:0}
.jp-OutputPrompt,.jp-InputPrompt{display:none}
.error-output pre,.jp-RenderedText pre{white-space:pre-wrap;background:#fff3f0;padding:8px;
border-inline-start:4px solid #b3001b;font-size:12px}
footer{margin-top:3em;color:var(--muted);font-size:12px;text-align:center}
.status-failed{color:#b3001b;font-weight:700}.status-ok{color:#007a55}
.status-pending{color:var(--muted)}
.tiles{display:grid;grid-template-columns:repeat(3,1fr);gap:10px;margin:12px 0}
.tile{border:1px solid var(--line);border-radius:8px;padding:10px 12px;break-inside:avoid}
.tile-title{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.tile-value{font-size:30px;font-weight:700;line-height:1.2}.tile-unit{font-size:14px;
color:var(--muted)}.tile-detail{font-size:13px}
ol.moves li{margin:6px 0}.move-meta{color:var(--muted);font-size:12.5px}
.quick-win{display:inline-block;background:#e6f4ee;color:#00583d;border-radius:8px;
padding:0 6px;font-size:12px;font-weight:600}
.projection,.projected{font-weight:600}
.confidential{color:#b3001b;font-size:13px;margin-top:2em}
nav.toc ol{padding-inline-start:1.2em}nav.toc li{display:flex;gap:8px}
nav.toc li a{flex:1}.toc-page:empty{display:none}
code.hash{font-size:11px;overflow-wrap:anywhere;word-break:break-all}
td,dd{overflow-wrap:anywhere}
@media print{body{background:#fff;font-size:13px}
main.report{box-shadow:none;margin:0;max-width:none;padding:0}
footer{display:none}
/* Issue 15: the cover and the one-pager each fill a page; the appendix starts on its own;
   a heading never ends a page; a chart is never split and is scaled to fit one page. */
h1,h2,h3,h4,.dim-stats,.dim-level{break-after:avoid}
#executive-summary{break-before:page;break-after:page}#appendix{break-before:page}
figure,.tile,tr,li,.horizon h3{break-inside:avoid}
figure img{max-height:205mm;max-width:100%;width:auto;object-fit:contain}
thead{display:table-header-group}
nav.toc a{color:var(--ink);text-decoration:none}}
"""


#: The report's sections in page order, as ``notebooks/client_report.ipynb`` calls them (one
#: cell each); a test keeps the two in step.
def page(body: str, *, title: str, lang: str = "en") -> str:
    """Wrap ``body`` (already escaped HTML) in a complete, self-contained page.

    No external scripts, stylesheets or fonts: the CSS is inline and images are data URIs.
    """
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}" dir="{direction(lang)}">\n<head>\n'
        '<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, '
        'initial-scale=1">\n'
        f'<meta name="generator" content="assessment {esc(__version__)}">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f'<main class="report">\n{body}\n<footer>{esc(label("generated_by", lang))} '
        f"{esc(__version__)}</footer>\n</main>\n</body>\n</html>\n"
    )


# -- notebook -> HTML --------------------------------------------------------------------------


def notebook_to_html(nb: Any, *, title: str, lang: str = "en") -> str:
    """Export an executed report notebook as one self-contained HTML page.

    Code, prompts and the injected-parameters cell are dropped; so are stream outputs (stray
    prints and warnings stay in the ``.ipynb`` for debugging but are not part of a client
    deliverable).  Error outputs are kept, so a failed report shows where it failed.
    """
    # A shallow copy with the outputs filtered: the exporter deep-copies what it is given
    # itself, and the caller's notebook is left as it was.
    nb = type(nb)({**nb, "cells": [_deliverable(cell) for cell in nb.cells]})
    body = html_cells(nb)
    if body is None:
        body = _nbconvert_body(nb)
    return page(body, title=title, lang=lang)


def _nbconvert_body(nb: Any) -> str:
    with _EXPORT_LOCK:  # an exporter registers per-call filters on itself
        body, _ = _html_exporter().from_notebook_node(nb)
    _EXPORTED.set()
    return str(body)


#: Cells the export leaves out, by tag (both ways: :func:`html_cells` and nbconvert's
#: ``TagRemovePreprocessor``).
_REMOVED_TAGS = frozenset({"injected-parameters", "parameters", "remove-cell"})
#: The only output data :func:`html_cells` renders: HTML (with its plain-text fallback).
_HTML_DATA = frozenset({"text/html", "text/plain"})


def html_cells(nb: Any) -> str | None:
    """What nbconvert's ``basic`` template makes of a notebook whose cells all show HTML.

    A report notebook's executed cells are code cells whose outputs are HTML, and only that:
    for them this writes nbconvert's markup itself (inputs and prompts left out, as
    :func:`notebook_to_html` exports), instead of importing nbconvert and compiling its
    templates, about 0.3 s of a single report (issue 19).  Any other notebook (a markdown or
    raw cell that its tags do not remove, an error, an image, a widget, isolated HTML, a cell
    without an id) gives ``None``: nbconvert exports it.  Tests hold the two to the same
    bytes, on reports and on generated notebooks.
    """
    cells = []
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            return None
        if _REMOVED_TAGS.intersection(tags):
            continue
        if cell.get("cell_type") != "code" or not cell.get("id"):
            return None
        outputs = [_html_output(output) for output in cell.get("outputs", [])]
        if None in outputs:
            return None
        group = (
            '\n<div class="output_wrapper">\n<div class="output">\n\n'
            + "".join(outputs)  # type: ignore[arg-type]
            + "</div>\n</div>\n"
            if outputs
            else ""
        )
        classes = "".join(html.escape(f" celltag_{tag}") for tag in tags)
        cells.append(
            f'<div id="{html.escape("cell-id=" + str(cell["id"]))}" '
            f'class="cell border-box-sizing code_cell rendered{classes}">\n{group}\n</div>\n'
        )
    return "".join(cells) + "\n\n" if cells else ""


def _html_output(output: Any) -> str | None:
    """One HTML output as the ``basic`` template writes it; ``None`` for any other output."""
    data = output.get("data", {})
    kind = output.get("output_type")
    if (
        kind not in ("execute_result", "display_data")
        or "text/html" not in data
        or not _HTML_DATA.issuperset(data)
        or output.get("metadata", {}).get("text/html", {}).get("isolated")
    ):
        return None
    markup = data["text/html"]
    markup = "".join(markup) if isinstance(markup, list) else str(markup)
    extra = "output_execute_result" if kind == "execute_result" else ""
    return (
        '<div class="output_area">\n\n\n'
        f'<div class="output_html rendered_html output_subarea {extra}">{markup}</div>\n\n'
        "</div>\n\n"
    )


def _deliverable(cell: Any) -> Any:
    """A code cell with only the outputs a client sees (a shallow copy); others as they are."""
    if cell.get("cell_type") != "code":
        return cell
    outputs = [
        out
        for out in cell.get("outputs", [])
        if out.get("output_type") != "stream"
        and not (
            out.get("output_type") in ("execute_result", "display_data")
            and set(out.get("data", {})) <= {"text/plain"}
        )
    ]
    return type(cell)({**cell, "outputs": outputs})


_EXPORT_LOCK = threading.Lock()
#: Set once this process has exported a notebook (its templates are compiled).
_EXPORTED = threading.Event()


def warm_up_export() -> None:
    """Export a small notebook with nbconvert, unless this process has done so already.

    The first nbconvert export of a process imports it and compiles its templates (about
    0.3 s on the 2-core machine, more under load).  A job runner whose kernel is another
    process does this in a thread while the kernel runs the cells, on the core the kernel
    leaves free, in case the report needs nbconvert (issue 19; most do not:
    :func:`html_cells`).
    """
    if _EXPORTED.is_set():
        return
    import nbformat  # local: as _html_exporter

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("warm-up")])
    nb.cells.append(nbformat.v4.new_code_cell("", outputs=[]))
    nb.cells[-1].outputs.append(
        nbformat.v4.new_output("display_data", data={"text/html": "<p>warm-up</p>"})
    )
    _nbconvert_body(nb)


@functools.cache
def _html_exporter() -> Any:
    """One HTML exporter per process: its Jinja environment compiles the templates once.

    A new exporter per report recompiled them every time (about half of the export's cost);
    the fast engine's fork server builds this one while rehearsing, so every job runner
    inherits the compiled templates.
    """
    from nbconvert import HTMLExporter  # local: only the export needs nbconvert (slow import)
    from nbconvert.exporters.templateexporter import TemplateExporter

    class _Exporter(HTMLExporter):  # type: ignore[misc]
        """HTMLExporter without its last step: a BeautifulSoup pass over the whole page that
        gives ``<img>`` without ``alt`` a stock text and makes ``.jp-Notebook`` cells
        focusable.  Every image of a report has its own ``alt`` and the ``basic`` template
        has no ``.jp-Notebook``; the pass re-parsed about 1 MB of HTML per report, 0.15 s of a
        0.2 s export (issue 19), and re-serialised every tag."""

        def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> Any:
            from nbconvert.filters.highlight import Highlight2HTML
            from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight = self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
            )
            resources = self._init_resources(resources)
            data_type = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight)
            self.register_filter("filter_data_type", data_type)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    exporter = _Exporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_markdown=False,
        # Validate the notebook once, after the preprocessors, not after each of the 13 (most
        # of them disabled); with the shallow copy above, 7.6 ms -> 3.1 ms a report (issue 19).
        optimistic_validation=True,
    )
    exporter.register_preprocessor(_strip_tags(), enabled=True)
    return exporter


def _strip_tags() -> Any:
    from nbconvert.preprocessors import TagRemovePreprocessor  # local: as above

    return TagRemovePreprocessor(remove_cell_tags=set(_REMOVED_TAGS), enabled=True)
