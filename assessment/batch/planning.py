"""Planning a batch: check everything once, score the portfolio, make one job per client.

:func:`plan` loads and validates every input **once** in the calling process (so a bad file
fails before any kernel starts), checks the parameters against the notebook's ``parameters``
cell, scores the portfolio for the index and ``scores.csv``, and builds one
:class:`~assessment.batch.jobs.Job` per client.  Client ids arrive validated by the loaders
(:mod:`assessment.inputs`), which is the one place an id from a file is checked.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import papermill as pm

from assessment import __version__
from assessment.batch.jobs import Job
from assessment.exceptions import InputError, ParameterError
from assessment.inputs import file_sha256, inputs_key, load_inputs, resolve_files
from assessment.rubric import Rubric, load_rubric, missing_translations, resolve_rubric_path
from assessment.rubric.checks import load_notes
from assessment.scoring import ScoreResult, score

__all__ = [
    "BatchPlan",
    "default_notebook",
    "packaged_notebook",
    "plan",
    "validate_parameters",
]

#: Numerals a report can be written in.
NUMERALS = ("western", "arabic-indic")


def packaged_notebook(name: str = "client_report.ipynb") -> Path:
    """A notebook shipped inside the package (the repository's ``notebooks/`` folder)."""
    return Path(str(resources.files("assessment") / "notebooks" / name))


def default_notebook() -> Path:
    """The packaged report notebook (``notebooks/client_report.ipynb``)."""
    return packaged_notebook("client_report.ipynb")


@dataclass
class BatchPlan:
    """Validated inputs, the portfolio's scores and one job per client."""

    jobs: list[Job]
    summary: pd.DataFrame
    clients: pd.DataFrame | None
    out_dir: Path
    rubric_label: str
    inputs: dict[str, str]
    result: ScoreResult | None = None
    lang: str = "en"  # language of the portfolio index
    warnings: list[str] = field(default_factory=list)
    #: The run's rubric and data files (absolute paths), as every report loads them.
    data_files: dict[str, Any] = field(default_factory=dict)
    #: ``(key, inputs)``: the files as planning parsed them, with the
    #: :func:`~assessment.inputs.inputs_key` taken before the parse, for the engine to hand
    #: to its reports (:func:`~assessment.inputs.adopt_inputs`) instead of parsing them again.
    parsed: tuple[Any, Any] | None = field(default=None, repr=False, compare=False)


def _notebook_parameters(notebook: Path) -> dict[str, dict[str, Any]]:
    try:
        return pm.inspect_notebook(str(notebook))
    except Exception as exc:  # papermill raises plain exceptions for unreadable notebooks
        raise InputError(f"{notebook}: cannot read the report notebook ({exc})") from None


_TYPE_CHECKS: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "list": (list, tuple),
    "dict": (dict,),
}


def validate_parameters(
    notebook: Path,
    parameters: Mapping[str, Any],
    declared: Mapping[str, Mapping[str, Any]] | None = None,
) -> None:
    """Check ``parameters`` against the notebook's ``parameters`` cell before any kernel starts.

    ``declared`` is the notebook's parameters as papermill inspects them (read from
    ``notebook`` when omitted), so that checking many clients reads the notebook once.

    Raises
    ------
    ParameterError
        Naming every unknown parameter and every value of the wrong type.
    """
    if declared is None:
        declared = _notebook_parameters(notebook)
    if not declared:
        raise ParameterError(f"{notebook}: no cell tagged 'parameters'")
    problems = []
    for name, value in parameters.items():
        if name not in declared:
            problems.append(
                f"unknown parameter {name!r}; the notebook declares {', '.join(sorted(declared))}"
            )
            continue
        want = declared[name].get("inferred_type_name", "None")
        types = _TYPE_CHECKS.get(want)
        ok = types is None or (
            isinstance(value, types) and not (want in ("int", "float") and isinstance(value, bool))
        )
        if not ok:
            problems.append(
                f"parameter {name!r} expects {want}; found {type(value).__name__} {value!r}"
            )
    if problems:
        raise ParameterError(f"{notebook}: " + "; ".join(problems))


def _hash_inputs(parts: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def _chosen_clients(answers: pd.DataFrame, only: Sequence[str] | None) -> list[str]:
    """The clients to render, in id order: all with answers, or ``only`` (all must have some)."""
    ids = sorted(set(answers["client_id"].astype(str)))
    if not only:
        return ids
    unknown = sorted(set(only) - set(ids))
    if unknown:
        raise ParameterError(f"no answers for client(s) {', '.join(map(repr, unknown))}")
    return [c for c in ids if c in set(only)]


def _answers_of(answers: pd.DataFrame, ids: list[str], only: Sequence[str] | None) -> pd.DataFrame:
    """The answers of the clients to render: only those are scored.

    A client's scores depend on its own answers, the peers and the targets, never on the
    other clients', so ``maturity report CLIENT`` scores one client, not the portfolio
    (issue 19).
    """
    if not only:
        return answers
    return answers.loc[answers["client_id"].astype(str).isin(ids)]


def _translation_warnings(rubric: Rubric, langs: Iterable[str]) -> list[str]:
    """One warning per report language the rubric lacks texts for (English is shown)."""
    warnings = []
    for lang in sorted(set(langs) - {"en"}):
        missing = missing_translations(rubric, lang)
        if missing:
            shown = ", ".join(missing[:5]) + (
                f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            )
            warnings.append(
                f"rubric {rubric.id!r} has no {lang!r} text for {len(missing)} field(s); "
                f"English is shown for: {shown}"
            )
    return warnings


@dataclass(frozen=True)
class _JobSpec:
    """What every job of a batch shares."""

    notebook: Path
    declared: Mapping[str, Mapping[str, Any]]
    base: Mapping[str, Any]
    fingerprint: tuple[str, ...]
    out: Path
    pdf: bool
    paper: str = "a4"
    deck: bool = False


def _job(spec: _JobSpec, client_id: str, name: str, lang: str) -> Job:
    params = {**spec.base, "client_id": client_id, "lang": lang}
    if spec.deck:  # asked only then: a custom notebook without a deck parameter still runs
        params["deck"] = str((spec.out / client_id / "deck.pptx").resolve())
    validate_parameters(spec.notebook, params, spec.declared)
    digest = _hash_inputs([*spec.fingerprint, json.dumps(params, sort_keys=True)])
    return Job(
        client_id=client_id,
        name=name,
        notebook=str(spec.notebook.resolve()),
        out_dir=str((spec.out / client_id).resolve()),
        parameters=params,
        input_hash=digest,
        lang=lang,
        pdf=spec.pdf,
        paper=spec.paper,
        deck=spec.deck,
    )


def plan(
    answers: Sequence[str | Path],
    *,
    rubric: str | Path = "social-media",
    clients: str | Path | None = None,
    peers: str | Path | None = None,
    targets: str | Path | None = None,
    out_dir: str | Path = "reports",
    notebook: str | Path | None = None,
    lang: str | None = None,
    pdf: bool = False,
    only: Sequence[str] | None = None,
    extra_parameters: Mapping[str, Any] | None = None,
    numerals: str = "western",
    paper: str = "a4",
    deck: bool = False,
) -> BatchPlan:
    """Validate the inputs and build one job per client.

    Parameters
    ----------
    answers
        Answer files (long or wide); ``sample:NAME`` names a packaged sample.
    rubric, clients, peers, targets
        As for ``maturity score``.
    out_dir
        Where ``<client>/report.html`` and the index go.
    notebook
        The report notebook (default: :func:`default_notebook`).
    lang
        Report language for every client; ``None`` uses the clients table's ``lang`` column
        (English where empty).
    pdf
        Also print each report to PDF with headless Chromium.
    only
        Restrict the batch to these client ids.
    extra_parameters
        Further notebook parameters (validated against the notebook).
    numerals
        ``western`` (0-9) or ``arabic-indic`` digits in the reports.
    paper
        Paper of the PDFs: ``a4`` or ``letter``.
    deck
        Also write each client's steering-committee deck (``<client>/deck.pptx``).

    Raises
    ------
    InputError
        For invalid files, unknown clients or parameters the notebook rejects.
    """
    nb_path = Path(notebook) if notebook else default_notebook()
    if numerals not in NUMERALS:
        raise ParameterError(f"numerals must be 'western' or 'arabic-indic'; found {numerals!r}")
    if not nb_path.is_file():
        raise InputError(f"report notebook {nb_path} not found; pass --notebook PATH")
    rub = load_rubric(rubric)
    files, clients, peers, targets = resolve_files(answers, clients, peers, targets)
    key = inputs_key(files, rub, clients=clients, peers=peers, targets=targets)  # before parsing
    data = load_inputs(files, rub, clients=clients, peers=peers, targets=targets)
    ids = _chosen_clients(data.answers, only)
    result = score(
        rub,
        _answers_of(data.answers, ids, only),
        clients=data.clients,
        peers=data.peers,
        targets=data.targets,
    )

    absolute = lambda p: str(Path(p).resolve()) if p else ""  # noqa: E731
    data_files = {
        "rubric": str(resolve_rubric_path(rubric).resolve()),
        "answers": [absolute(a) for a in files],
        "clients": absolute(clients),
        "peers": absolute(peers),
        "targets": absolute(targets),
    }
    inputs = {str(p): file_sha256(p) for p in [*files, clients, peers, targets] if p}
    spec = _JobSpec(
        notebook=nb_path,
        declared=_notebook_parameters(nb_path),
        base={**data_files, "numerals": numerals, **(extra_parameters or {})},
        fingerprint=(
            __version__,
            file_sha256(nb_path),
            rub.content_hash,
            *(f"{k}={v}" for k, v in sorted(inputs.items())),
            f"pdf={pdf}",
            f"paper={paper}",
            f"deck={deck}",
        ),
        out=Path(out_dir),
        pdf=pdf,
        paper=paper,
        deck=deck,
    )
    table = data.clients.set_index("client_id") if data.clients is not None else None
    names = table["name"].to_dict() if table is not None else {}
    langs = table["lang"].to_dict() if table is not None else {}
    jobs = [
        _job(spec, cid, str(names.get(cid) or cid), lang or langs.get(cid) or "en") for cid in ids
    ]
    # The index, scores.csv and the manifest describe this batch: only the clients rendered.
    summary = result.summary()
    summary = summary.loc[summary["client_id"].isin(ids)].reset_index(drop=True)
    if data.clients is not None:
        summary.insert(1, "name", summary["client_id"].map(names))
    return BatchPlan(
        jobs=jobs,
        summary=summary,
        clients=data.clients,
        out_dir=Path(out_dir),
        rubric_label=f"{rub.id} {rub.version} ({rub.content_hash[:12]})",
        inputs=inputs,
        result=result,
        lang=lang or "en",
        warnings=[
            *load_notes(rub),
            *data.answers.attrs.get("warnings", []),
            *_translation_warnings(rub, (j.lang for j in jobs)),
        ],
        data_files=data_files,
        parsed=(key, data) if key is not None else None,
    )
