"""The printable questionnaire: one self-contained HTML page (the CLI prints it to PDF).

For a workshop on paper, or a respondent who prefers it: the cover (client, assessment, name,
role, date), then each question with its levels as boxes to tick, a line for numbers and one
for the evidence.  Arabic pages are right to left; user text is escaped and isolated
(``<bdi>``).  Escaping strips control and bidi-override characters first, as the report's does
(this layer sits below the report, so it cannot import the report's helper).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from assessment.files import atomic_write_text
from assessment.questionnaire.catalogue import Question, catalogue
from assessment.rubric.model import translate
from assessment.text import direction, label, strip_controls

if TYPE_CHECKING:  # pragma: no cover
    from assessment.rubric import Rubric

__all__ = ["printable_html", "write_printable"]

_CSS = """
body { font-family: "Noto Sans", "Noto Naskh Arabic", "DejaVu Sans", sans-serif; margin: 2em;
       font-size: 11pt; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; border-bottom: 1px solid #888; margin-top: 1.5em; }
.cover td { padding: .3em 1em .3em 0; } .blank { border-bottom: 1px solid #000; min-width: 20em; }
.q { break-inside: avoid; margin: 1em 0; } .code { font-weight: bold; }
.opt { margin: .2em 0; } .box { display: inline-block; width: .9em; height: .9em;
       border: 1px solid #000; margin-inline-end: .5em; vertical-align: middle; }
.line { border-bottom: 1px dotted #000; height: 1.4em; margin: .3em 0; }
@page { size: A4; margin: 15mm; }
"""


def _e(value: object) -> str:
    return html.escape(strip_controls("" if value is None else str(value)), quote=True)


def _question(q: Question, lang: str) -> str:
    code = f'<span class="code">[{_e(q.code)}]</span>'
    parts = [f'<div class="q"><p>{code} <bdi>{_e(q.text[lang])}</bdi></p>']
    for o in q.options:
        parts.append(
            f'<div class="opt"><span class="box"></span><bdi>{_e(o.labels[lang])}</bdi></div>'
        )
    if not q.options:
        help_text = _e(label("questionnaire.number_help", lang, unit=q.unit))
        parts.append(f'<p>{help_text}</p><div class="line"></div>')
    parts.append(
        f'<p>{_e(label("questionnaire.evidence", lang))}</p><div class="line"></div></div>'
    )
    return "".join(parts)


def printable_html(
    rubric: Rubric, *, client: str, assessment: str = "", role: str | None = None, lang: str = "en"
) -> str:
    """The page as HTML text."""
    title = label("questionnaire.title", lang, rubric=translate(rubric.name, lang))
    role_name = next((translate(r.name, lang) for r in rubric.roles if r.id == role), "")
    everyone = label("questionnaire.everyone", lang)
    cover_rows = [
        ("questionnaire.client", client),
        ("questionnaire.assessment", assessment),
        ("questionnaire.respondent", ""),
        ("questionnaire.role", role_name),
        ("questionnaire.date", ""),
    ]
    cover = "".join(
        f'<tr><th>{_e(label(k, lang))}</th><td class="blank"><bdi>{_e(v)}</bdi></td></tr>'
        for k, v in cover_rows
    )
    body, section = [], None
    for q in catalogue(rubric, role):
        if q.section[lang] != section:
            section = q.section[lang]
            body.append(f"<h2><bdi>{_e(section)}</bdi></h2>")
        body.append(_question(q, lang))
    return (
        f'<!DOCTYPE html><html lang="{lang}" dir="{direction(lang)}"><head><meta charset="utf-8">'
        f"<title>{_e(title)} – {_e(client)}</title><style>{_CSS}</style></head><body>"
        f'<h1>{_e(title)}</h1><table class="cover">{cover}</table>'
        f"<p>{_e(label('questionnaire.for_role', lang, role=role_name or everyone))}</p>"
        f"<p>{_e(label('questionnaire.intro', lang))}</p>"
        f"<p>{_e(rubric.id)} {_e(rubric.version)}</p>{''.join(body)}</body></html>\n"
    )


def write_printable(rubric: Rubric, target: str | Path, **options: object) -> Path:
    """Write :func:`printable_html` to ``target`` atomically."""
    return atomic_write_text(target, printable_html(rubric, **options))  # type: ignore[arg-type]
