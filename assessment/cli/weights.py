"""``maturity weights ahp|sensitivity``: derive dimension weights, test how much they matter."""

from __future__ import annotations

import json

import click

from assessment.cli.common import (
    RUBRIC_HELP,
    clients_option,
    echo,
    load_run,
    records,
    rubric_option,
    targets_option,
)

__all__ = ["weights"]


@click.group()
def weights() -> None:
    """Derive dimension weights (AHP) and test how much results depend on them."""


@weights.command("ahp")
@click.argument("matrices", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--rubric",
    "rubric_ref",
    default="social-media",
    show_default=True,
    help=RUBRIC_HELP + " The matrix ids must be its dimension ids (unless --any-ids).",
)
@click.option("--any-ids", is_flag=True, help="Accept any ids, e.g. a matrix comparing clusters.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--save",
    "save_path",
    type=click.Path(dir_okay=False),
    help="Also save the rubric with these weights as a variant (YAML).",
)
@click.option("--note", help="Analyst's note recorded in the saved variant's provenance.")
def weights_ahp(
    matrices: tuple[str, ...],
    rubric_ref: str,
    any_ids: bool,
    fmt: str,
    save_path: str | None,
    note: str | None,
) -> None:
    """Weights, lambda_max, CI and CR from pairwise comparison matrices (AHP).

    Each MATRIX.csv has a header row of ids and the same ids as its first column; cells are
    Saaty judgements (1-9 or fractions such as 1/3; the lower triangle may be blank).
    Several files are several experts, combined by the geometric mean of their judgements.
    A consistency ratio of 0.10 or more is flagged.
    """
    from assessment.rubric import load_rubric  # local: keeps --help fast
    from assessment.weights import ahp_group, read_matrix, save_variant

    rub = load_rubric(rubric_ref) if (save_path or not any_ids) else None
    known = [d.id for d in rub.dimensions] if rub is not None and not any_ids else None
    mats = [read_matrix(m, known_ids=known) for m in matrices]
    result = ahp_group(mats, sources=list(matrices))
    if fmt == "json":
        echo(json.dumps(result.to_dict(), indent=2))
    else:
        echo(result.to_text())
    if save_path:
        variant = save_variant(rub, result.weights.to_dict(), save_path, note=note)  # type: ignore[arg-type]
        echo(f"wrote {save_path} ({variant.id} {variant.version})", err=True)


@weights.command("sensitivity")
@rubric_option
@click.option(
    "--answers",
    "answers",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Answer file (repeat for several).  Default: the packaged sample portfolio.",
)
@clients_option
@targets_option
@click.option(
    "--draws",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Number of Dirichlet weight draws.",
)
@click.option(
    "--concentration",
    type=click.FloatRange(min=0, min_open=True),
    default=100.0,
    show_default=True,
    help="Dirichlet concentration: larger = weights closer to the rubric's.",
)
@click.option("--seed", type=int, default=12345, show_default=True, help="Random seed.")
@click.option(
    "--step",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=0.2,
    show_default=True,
    help="One-at-a-time weight change (0.2 = +/-20%).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def weights_sensitivity(
    rubric_ref: str,
    answers: tuple[str, ...],
    clients: str | None,
    targets: str | None,
    draws: int,
    concentration: float,
    seed: int,
    step: float,
    fmt: str,
) -> None:
    """How stable are indices, levels, ranks and priorities when the weights are uncertain?

    Draws weight vectors from a Dirichlet distribution around the rubric's weights and
    prints, per client, the index range, the probability of a level change and the rank
    range, plus Kendall's tau of the rankings against today's and how often each top-three
    priority stays in the top three.  json adds the one-at-a-time (tornado) table.
    """
    from assessment.scoring import score as run_score  # local: keeps --help fast
    from assessment.weights.sensitivity import Portfolio, one_at_a_time, simulate

    if not answers:
        from assessment import samples  # local: keeps --help fast

        sample = samples.portfolio()
        answers = tuple(str(p) for p in sample["answers"])
        clients = clients or str(sample["clients"])
        targets = targets or str(sample["targets"])
    rub, data = load_run(rubric_ref, answers, clients, targets)
    result = run_score(rub, data.answers, clients=data.clients, targets=data.targets)
    portfolio = Portfolio.from_result(result)
    sens = simulate(portfolio, draws=draws, concentration=concentration, seed=seed)
    if fmt == "json":
        payload = {
            "rubric": {"id": rub.id, "version": rub.version, "hash": rub.content_hash},
            "weights": {d.id: d.weight for d in rub.dimensions},
            "summary": sens.summary(),
            "clients": records(sens.clients),
            "priorities": records(sens.priorities),
            "one_at_a_time": records(one_at_a_time(portfolio, step=step)),
        }
        echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    echo(f"rubric {rub.id} {rub.version} ({rub.content_hash[:12]})")
    echo(sens.to_text())
