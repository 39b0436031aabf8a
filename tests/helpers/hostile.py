"""Hostile inputs, small enough for a test: zip bombs, alias bombs, slow notebooks.

Each builder writes its file and returns the path.  The sizes are parameters; the tests keep
them small and lower the limits (``ASSESSMENT_MAX_*``) where they need to cross one, so that
every case finishes in seconds.  ``benchmarks/hostile.py`` builds the full-size versions.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import nbformat

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def workbook(path: Path, sheet_xml: str, *, dimension: str = "") -> Path:
    """A minimal valid XLSX whose only sheet's ``<sheetData>`` is ``sheet_xml``."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = f'<worksheet xmlns="{_MAIN}">{dim}<sheetData>{sheet_xml}</sheetData></worksheet>'
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets><sheet name="answers" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return path


def cells(rows: int, width: int, value: str = "1") -> str:
    """``rows`` rows of ``width`` identical numeric cells (they compress to almost nothing)."""
    return ("<row>" + f"<c><v>{value}</v></c>" * width + "</row>") * rows


def alias_rubric(path: Path, fan_out: int) -> Path:
    """A rubric of a few hundred bytes whose ``fan_out ** 2`` indicators are all aliases."""
    indicator = (
        "&i {id: dup, name: An indicator, kind: anchored, proposal: true, levels: {1: "
        "{descriptor: one, next_step: up}, 2: {descriptor: two, next_step: up}, 3: "
        "{descriptor: three}}}"
    )
    lines = [
        "schema_version: 1",
        "id: bomb",
        'version: "1"',
        "name: Alias bomb",
        "scale: [{level: 1, name: a}, {level: 2, name: b}, {level: 3, name: c}]",
        "dimensions:",
        "  - &d {id: d, name: D, weight: 1, indicators: ["
        + ", ".join([indicator, *["*i"] * (fan_out - 1)])
        + "]}",
        *["  - *d"] * (fan_out - 1),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def report_notebook(path: Path, source: str) -> Path:
    """A report notebook with the packaged one's parameters cell, then one cell of ``source``.

    ``source`` runs in the report's kernel with the parameters (``client_id``...) defined.
    """
    from assessment.batch import default_notebook  # local: the batch machinery is heavy

    packaged = nbformat.read(default_notebook(), as_version=4)
    params = next(c for c in packaged.cells if "parameters" in c.metadata.get("tags", []))
    nb = nbformat.v4.new_notebook(metadata=packaged.metadata)
    nb.cells = [params, nbformat.v4.new_code_cell(source)]
    nbformat.write(nb, path)
    return path


def large_rubric(path: Path, indicators: int, dimensions: int = 10) -> Path:
    """A valid rubric of ``indicators`` anchored indicators (short texts), 3 levels."""
    per = max(1, indicators // dimensions)
    lines = [
        "schema_version: 1",
        "id: large",
        'version: "1"',
        "name: Large rubric",
        "scale: [{level: 1, name: Low}, {level: 2, name: Mid}, {level: 3, name: High}]",
        "targets: [{id: baseline, default: 2}]",
        "dimensions:",
    ]
    for d in range(dimensions):
        lines += [f"  - id: d{d}", f"    name: Dimension {d}", f"    weight: {1 / dimensions}"]
        lines.append("    indicators:")
        lines += [
            f"      - {{id: i{d}_{k}, name: Indicator {d}.{k}, kind: anchored, proposal: true, "
            "levels: {1: {descriptor: low, next_step: up}, 2: {descriptor: mid, next_step: up}, "
            "3: {descriptor: high}}}"
            for k in range(per)
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
