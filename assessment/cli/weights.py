"""``maturity weights``: derive dimension weights, save them as variants, test their effect.

``ahp`` (several experts, AIJ or AIP, incomplete matrices), ``hierarchy`` (clusters, then
dimensions), ``bwm`` (Best-Worst), ``rate`` (direct rating, 100 points, swing), ``rank``
(rank-order centroid) all print the weights and can ``--save`` them as a rubric variant with
the same audit trail; ``sensitivity`` shows how much the results depend on the weights.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

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

F = TypeVar("F", bound=Callable[..., Any])

_FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)


def _save_options(f: F) -> F:
    """``--save``, ``--id``, ``--version``, ``--analyst``, ``--note``, ``--accept-inconsistent``,
    ``--force``: everything a saved variant records."""
    options = [
        click.option(
            "--save",
            "save_path",
            type=click.Path(dir_okay=False),
            help="Also save the rubric with these weights as a variant (YAML).",
        ),
        click.option(
            "--id", "variant_id", help="The variant's id (default: <rubric>-<method>-<hash>)."
        ),
        click.option("--version", "variant_version", help="The variant's version (1.0.0)."),
        click.option("--analyst", help="Who made the weights (recorded in the variant)."),
        click.option("--note", help="Why these weights (recorded in the variant)."),
        click.option(
            "--accept-inconsistent",
            is_flag=True,
            help="Save even though a consistency ratio is 0.10 or more (recorded).",
        ),
        click.option("--force", is_flag=True, help="Overwrite an existing --save file."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _rubric_arg(f: F) -> F:
    return click.option(
        "--rubric",
        "rubric_ref",
        default="social-media",
        show_default=True,
        help=RUBRIC_HELP + " The ids must be its dimension ids (unless --any-ids).",
    )(f)


def _save(rub: Any, weights: Any, source: Any, opts: dict[str, Any]) -> None:
    """Save a variant when ``--save`` was given; say where on standard error."""
    if not opts.get("save_path"):
        return
    from assessment.weights import save_variant  # local: keeps --help fast

    variant = save_variant(
        rub,
        _complete(rub, weights),
        opts["save_path"],
        note=opts.get("note"),
        version=opts.get("variant_version"),
        variant_id=opts.get("variant_id"),
        analyst=opts.get("analyst"),
        source=source,
        accept_inconsistent=opts.get("accept_inconsistent", False),
        overwrite=opts.get("force", False),
    )
    echo(f"wrote {opts['save_path']} ({variant.id} {variant.version})", err=True)


def _warn_inconsistent(flags: list[str]) -> None:
    for flag in flags:
        echo(f"warning: {flag} (CR >= 0.10): revisit these judgements", err=True)


@click.group()
def weights() -> None:
    """Derive dimension weights (AHP, BWM, ratings, ranking) and test how much they matter."""


@weights.command("ahp")
@click.argument("matrices", nargs=-1, required=True, type=click.Path(dir_okay=False))
@_rubric_arg
@click.option("--any-ids", is_flag=True, help="Accept any ids, e.g. a matrix comparing clusters.")
@click.option(
    "--aggregation",
    type=click.Choice(["aij", "aip"]),
    default="aij",
    show_default=True,
    help="Several experts: aij = geometric mean of their judgements (a panel acting as one); "
    "aip = geometric mean of their weights (independent stakeholders).",
)
@_FORMAT
@_save_options
def weights_ahp(
    matrices: tuple[str, ...],
    rubric_ref: str,
    any_ids: bool,
    aggregation: str,
    fmt: str,
    **opts: Any,
) -> None:
    """Weights and consistency from pairwise comparison matrices (AHP), per expert and combined.

    Each MATRIX.csv has a header row of ids and the same ids as its first column; cells are
    Saaty judgements (1-9 or fractions such as 1/3; the lower triangle may be blank).  A pair
    left blank on both sides is filled by optimal completion (the value that makes the matrix
    most consistent) and reported.  Several files are several experts: every expert's weights
    and CR are shown, any expert at CR 0.10 or more is flagged, with the group's consensus.
    """
    from assessment.rubric import load_rubric  # local: keeps --help fast
    from assessment.weights.group import ahp_experts
    from assessment.weights.matrices import read_matrix

    rub = load_rubric(rubric_ref) if (opts.get("save_path") or not any_ids) else None
    known = [d.id for d in rub.dimensions] if rub is not None and not any_ids else None
    mats = [read_matrix(m, known_ids=known, allow_missing=True) for m in matrices]
    group = ahp_experts(mats, names=_expert_names(matrices), aggregation=aggregation)  # type: ignore[arg-type]
    echo(json.dumps(group.to_dict(), indent=2) if fmt == "json" else group.to_text())
    flags = [f"expert {n} has CR {group.experts[n].cr:.3f}" for n in group.inconsistent_experts]
    if group.combined.cr >= 0.10:
        flags.append(f"the combined matrix has CR {group.combined.cr:.3f}")
    _warn_inconsistent(flags)
    _save(rub, group.weights, group, opts)


def _expert_names(paths: tuple[str, ...]) -> list[str]:
    """Experts by file name (``ann.csv``), or by path when two files share a name."""
    from pathlib import Path  # local: keeps --help fast

    names = [Path(p).name for p in paths]
    return names if len(set(names)) == len(names) else list(paths)


@weights.command("hierarchy")
@click.argument("clusters_file", type=click.Path(dir_okay=False))
@click.option(
    "--top",
    "top",
    multiple=True,
    required=True,
    type=click.Path(dir_okay=False),
    help="Comparison of the clusters (repeat: one per expert, combined by geometric mean).",
)
@click.option(
    "--within",
    "within",
    multiple=True,
    metavar="CLUSTER=MATRIX.csv",
    help="Comparison of one cluster's dimensions (repeat per cluster and per expert).",
)
@_rubric_arg
@_FORMAT
@_save_options
def weights_hierarchy(
    clusters_file: str,
    top: tuple[str, ...],
    within: tuple[str, ...],
    rubric_ref: str,
    fmt: str,
    **opts: Any,
) -> None:
    """Weights from a hierarchy: compare clusters of dimensions, then dimensions within each.

    CLUSTERS.csv has columns id (a dimension id) and cluster.  Each matrix stays small
    (Saaty's 7 +/- 2), which makes consistent judgements far easier than one 11 x 11 matrix.
    A dimension's weight is its cluster's weight times its weight within the cluster.
    """
    from assessment.exceptions import InputError  # local: keeps --help fast
    from assessment.rubric import load_rubric
    from assessment.weights import ahp_hierarchy, combine_judgements, read_matrix
    from assessment.weights.methods import read_table

    rub = load_rubric(rubric_ref)
    ids = [d.id for d in rub.dimensions]
    table = read_table(clusters_file, ["cluster"], known_ids=ids, numeric=False)
    members: dict[str, list[str]] = {}
    for ident, cluster in table["cluster"].items():
        members.setdefault(str(cluster), []).append(str(ident))
    given: dict[str, list[Any]] = {}
    for entry in within:
        name, sep, path = entry.partition("=")
        if not sep or name.strip() not in members:
            raise InputError(
                f"--within {entry!r}: expected CLUSTER=MATRIX.csv with a cluster of "
                f"{clusters_file} ({sorted(members)})"
            )
        given.setdefault(name.strip(), []).append(
            read_matrix(path, known_ids=members[name.strip()])
        )
    top_matrix = combine_judgements(
        [read_matrix(t, known_ids=list(members)) for t in top], sources=list(top)
    )
    result = ahp_hierarchy(top_matrix, members, given, known_ids=ids)
    consistency = result.consistency()
    if fmt == "json":
        payload = {
            "weights": {k: float(v) for k, v in result.weights.items()},
            "consistency": records(consistency),
        }
        echo(json.dumps(payload, indent=2))
    else:
        echo("\n".join(f"{k:<14} {v:.4f}" for k, v in result.weights.items()))
        echo("")
        echo(consistency.round(4).to_string(index=False))
    _warn_inconsistent(
        [
            f"matrix {m} has CR {c:.3f}"
            for m, c in zip(consistency["matrix"], consistency["cr"], strict=True)
            if c >= 0.10
        ]
    )
    _save(rub, result.weights, result, opts)


@weights.command("bwm")
@click.argument("judgements", type=click.Path(dir_okay=False))
@_rubric_arg
@_FORMAT
@_save_options
def weights_bwm(judgements: str, rubric_ref: str, fmt: str, **opts: Any) -> None:
    """Best-Worst Method: 2n - 3 judgements instead of AHP's n(n - 1)/2 (19 against 55).

    JUDGEMENTS.csv has columns id, best_to_others (how much more important the best dimension
    is than this one; 1 for the best) and others_to_worst (how much more important this one
    is than the worst; 1 for the worst), on 1-9.  The consistency ratio is Rezaei's.
    """
    from assessment.rubric import load_rubric  # local: keeps --help fast
    from assessment.weights.methods import bwm, read_table

    rub = load_rubric(rubric_ref)
    ids = [d.id for d in rub.dimensions]
    table = read_table(judgements, ["best_to_others", "others_to_worst"], known_ids=ids)
    result = bwm(table["best_to_others"].to_dict(), table["others_to_worst"].to_dict())
    echo(json.dumps(result.to_dict(), indent=2) if fmt == "json" else result.to_text())
    cr = result.consistency["cr"]
    _warn_inconsistent([f"the BWM judgements have CR {cr:.3f}"] if cr >= 0.10 else [])
    _save(rub, result.weights, result, opts)


def _complete(rub: Any, w: Any) -> dict[str, float]:
    """Every dimension's weight: a method that left a dimension out gives it 0 -> refused."""
    from assessment.exceptions import InputError  # local: keeps --help fast

    missing = [d.id for d in rub.dimensions if d.id not in w.index]
    if missing:
        raise InputError(f"no value for dimension(s) {missing}; a variant needs every dimension")
    return {k: float(v) for k, v in w.items()}


@weights.command("rate")
@click.argument("ratings", type=click.Path(dir_okay=False))
@click.option(
    "--method",
    type=click.Choice(["direct", "points", "swing"]),
    default="direct",
    show_default=True,
    help="direct: any positive rating; points: must add up to 100; swing: the most important "
    "swing is 100, the others 0-100 against it.",
)
@_rubric_arg
@_FORMAT
@_save_options
def weights_rate(ratings: str, method: str, rubric_ref: str, fmt: str, **opts: Any) -> None:
    """Weights from ratings, a 100-point allocation or swing weights (RATINGS.csv: id, value)."""
    from assessment.rubric import load_rubric  # local: keeps --help fast
    from assessment.weights.methods import direct_rating, points, read_table, swing

    rub = load_rubric(rubric_ref)
    table = read_table(ratings, ["value"], known_ids=[d.id for d in rub.dimensions])
    fn = {"direct": direct_rating, "points": points, "swing": swing}[method]
    result = fn(table["value"].to_dict())
    echo(json.dumps(result.to_dict(), indent=2) if fmt == "json" else result.to_text())
    _save(rub, result.weights, result, opts)


@weights.command("rank")
@click.argument("order")
@_rubric_arg
@_FORMAT
@_save_options
def weights_rank(order: str, rubric_ref: str, fmt: str, **opts: Any) -> None:
    """Rank-order centroid weights from a ranking, most important first.

    ORDER is the dimension ids separated by commas (strategy,care,team,...); every dimension
    must be ranked.
    """
    from assessment.exceptions import InputError  # local: keeps --help fast
    from assessment.rubric import load_rubric
    from assessment.weights.methods import rank_order_centroid

    rub = load_rubric(rubric_ref)
    ids = [d.id for d in rub.dimensions]
    ranking = [p.strip() for p in order.split(",") if p.strip()]
    unknown = [r for r in ranking if r not in ids]
    if unknown:
        raise InputError(f"ORDER: unknown dimension id(s) {unknown}; expected ids among {ids}")
    result = rank_order_centroid(ranking)
    echo(json.dumps(result.to_dict(), indent=2) if fmt == "json" else result.to_text())
    _save(rub, result.weights, result, opts)


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
    "--client",
    "client_id",
    help="Break-even for this client: how far each weight can move before its level or "
    "rank changes.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="Also write the tables: FILE.xlsx (a sheet each) or FILE.csv (one CSV per table).",
)
@_FORMAT
def weights_sensitivity(
    rubric_ref: str,
    answers: tuple[str, ...],
    clients: str | None,
    targets: str | None,
    draws: int,
    concentration: float,
    seed: int,
    step: float,
    client_id: str | None,
    out: str | None,
    fmt: str,
) -> None:
    """How stable are indices, levels, ranks and priorities when the weights are uncertain?

    Draws weight vectors from a Dirichlet distribution around the rubric's weights and
    prints, per client, the index range, the probability of a level change and the rank
    range, plus Kendall's tau of the rankings against today's and how often each top-three
    priority stays in the top three.  Then each weight's influence, by the mean *absolute*
    change of the index when it moves by --step (signed means cancel out and are shown only
    for reference), and the client pairs that swap places.  --client adds the break-even
    weights for that client.
    """
    from assessment.scoring import score as run_score  # local: keeps --help fast
    from assessment.weights.influence import (
        break_even_table,
        export_tables,
        influence,
        rank_reversals,
    )
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
    if client_id is not None and client_id not in set(portfolio.client_ids.astype(str)):
        from assessment.exceptions import InputError

        raise InputError(
            f"--client {client_id!r}: no scored client with that id; expected one of "
            f"{sorted(portfolio.client_ids.astype(str))}"
        )
    sens = simulate(portfolio, draws=draws, concentration=concentration, seed=seed)
    oat = one_at_a_time(portfolio, step=step)
    tables = {
        "clients": sens.clients,
        "priorities": sens.priorities,
        "influence": influence(oat),
        "rank_reversals": rank_reversals(portfolio, step=step),
        "one_at_a_time": oat,
    }
    if client_id is not None:
        tables["break_even"] = break_even_table(portfolio, client_id)
    if out:
        for path in export_tables(out, tables):
            echo(f"wrote {path}", err=True)
    if fmt == "json":
        payload = {
            "rubric": {"id": rub.id, "version": rub.version, "hash": rub.content_hash},
            "weights": {d.id: d.weight for d in rub.dimensions},
            "summary": sens.summary(),
            **{k: records(v.reset_index() if v.index.name else v) for k, v in tables.items()},
        }
        echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    echo(f"rubric {rub.id} {rub.version} ({rub.content_hash[:12]})")
    echo(sens.to_text())
    echo("")
    echo(_influence_text(tables["influence"], rub, step))
    echo("")
    echo(_reversals_text(tables["rank_reversals"], step))
    if client_id is not None:
        echo("")
        echo(_break_even_text(tables["break_even"], rub, client_id))


def _name(rub: Any, dimension_id: str) -> str:
    from assessment.rubric import translate  # local: keeps --help fast

    return translate(rub.dimension(dimension_id).name)


def _influence_text(table: Any, rub: Any, step: float) -> str:
    view = table.reset_index()
    view.insert(0, "dimension", [_name(rub, d) for d in view["dimension_id"]])
    cols = {
        "dimension": "dimension",
        "weight": "weight",
        "mean_abs": "mean |Δ|",
        "max_abs": "max |Δ|",
        "max_client": "most affected",
        "mean_low": "signed mean (down)",
        "mean_high": "signed mean (up)",
        "level_changes": "level changes",
    }
    view = view[list(cols)].rename(columns=cols)
    for c in ("mean |Δ|", "max |Δ|"):
        view[c] = view[c].map("{:.3f}".format)
    for c in ("signed mean (down)", "signed mean (up)"):
        view[c] = view[c].map("{:+.3f}".format)
    view["weight"] = view["weight"].map(lambda v: f"{v:.3f}")
    head = (
        f"Influence of each weight (x{1 - step:g} and x{1 + step:g}, the others rescaled), "
        "by mean absolute change of the index over clients; signed means cancel out"
    )
    return head + "\n" + view.to_string(index=False, justify="left")


def _reversals_text(table: Any, step: float) -> str:
    if table.empty:
        return (
            f"Rank reversals: none (no two clients swap places when one weight moves +/-{step:.0%})"
        )
    lines = [f"Rank reversals: {len(table)} (a weight moved +/-{step:.0%} swaps two clients)"]
    for r in table.itertuples():
        lines.append(
            f"  {r.dimension_id} {r.direction}: {r.client_up} passes {r.client_down} "
            f"({r.index_up_baseline:.1f} -> {r.index_up:.1f} vs "
            f"{r.index_down_baseline:.1f} -> {r.index_down:.1f})"
        )
    return "\n".join(lines)


def _break_even_text(table: Any, rub: Any, client_id: str) -> str:
    lines = [f"Break-even weights for {client_id} (each weight alone, the others rescaled)"]
    for r in table.itertuples():
        parts = [f"  {_name(rub, r.dimension_id)}: weight {r.weight:.3f}"]
        for side in ("below", "above"):
            at = getattr(r, f"level_change_{side}")
            if at is not None and at == at:
                parts.append(f"level {r.level} -> {int(getattr(r, f'level_{side}'))} at {at:.3f}")
        if r.rank_change_at is not None and r.rank_change_at == r.rank_change_at:
            parts.append(
                f"{r.rank_change_direction} {r.rank_change_other} at {r.rank_change_at:.3f}"
            )
        if len(parts) == 1:
            parts.append("no level or rank change anywhere in 0-1")
        lines.append("; ".join(parts))
    return "\n".join(lines)
