"""Benchmark: weight-sensitivity Monte Carlo, 10,000 Dirichlet draws x 1,000 clients.

Scores a synthetic portfolio once (not timed in the target: scoring has its own benchmark), then
times :func:`assessment.sensitivity.simulate` end to end -- index distribution, staged-level
probabilities, rank quantiles, Kendall's tau of every draw against the baseline and top-three
priority persistence -- and each of its steps, and compares with the naive approach (re-score
the portfolio with a variant rubric per draw), timed on a few draws and extrapolated.

Target: ``simulate`` <= 2 s for 10,000 draws x 1,000 clients.  Wall time depends on the
machine and on what else runs on it; the load average is printed with the results.

Run: ``python benchmarks/sensitivity.py [--clients 1000] [--draws 10000] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from assessment.inputs import answers_from_frame
from assessment.rubric import load_rubric
from assessment.samples.synthetic import random_profiles, synthetic_answers
from assessment.scoring import score
from assessment.weights import sensitivity


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    """Median wall time of ``repeat`` calls, and the last result."""
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def cpu_timed(fn, repeat: int = 1) -> float:
    """Median CPU time of this process over ``repeat`` calls (less sensitive to other load)."""
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1_000)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--concentration", type=float, default=100.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive-draws", type=int, default=5)
    args = parser.parse_args()

    rubric = load_rubric("social-media")
    profiles = random_profiles(rubric, args.clients, seed=1)
    answers = answers_from_frame(synthetic_answers(rubric, profiles, respondents=3, seed=2), rubric)
    t_score, result = timed(lambda: score(rubric, answers))
    portfolio = sensitivity.Portfolio.from_result(result)
    print(
        f"data: {portfolio.n_clients:,} clients x {len(portfolio.dimension_ids)} dimensions "
        f"(scored once in {t_score:.2f} s); {args.draws:,} draws, concentration "
        f"{args.concentration:g}; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
    )

    t_total, sens = timed(
        lambda: sensitivity.simulate(
            portfolio, draws=args.draws, concentration=args.concentration, seed=1
        ),
        repeat=args.repeat,
    )
    t_cpu = cpu_timed(
        lambda: sensitivity.simulate(
            portfolio, draws=args.draws, concentration=args.concentration, seed=1
        ),
        repeat=args.repeat,
    )
    print(
        f"simulate(): {t_total:.3f} s wall, {t_cpu:.3f} s CPU (medians of {args.repeat}); "
        f"tau {sens.tau_method}"
    )

    # The steps, for where the time goes.
    from assessment.weights.sensitivity import (
        _indices,
        _rank_quantiles,
        _row_quantiles,
        _staged_tests,
        _top3_persistence,
        dirichlet_weights,
        kendall_tau,
    )

    w = dirichlet_weights(portfolio.weights, args.draws, args.concentration, 1)
    steps = {
        "Dirichlet draws": lambda: dirichlet_weights(
            portfolio.weights, args.draws, args.concentration, 1
        ),
        "indices (one matrix product)": lambda: _indices(portfolio, w),
    }
    index = _indices(portfolio, w)
    steps |= {
        "index quantiles": lambda: _row_quantiles(index, [0.05, 0.5, 0.95]),
        "staged levels": lambda: [ok.mean(axis=1) for _, _, ok in _staged_tests(portfolio, w)],
        "rank quantiles (2,000 draws)": lambda: _rank_quantiles(
            index[:, :2_000], [0.05, 0.5, 0.95]
        ),
        "Kendall's tau": lambda: kendall_tau(index, portfolio.index(), max_pairs=10_000),
        "top-three priorities": lambda: _top3_persistence(portfolio, portfolio.weights, w, 1_000),
    }
    for name, fn in steps.items():
        t, _ = timed(fn, repeat=args.repeat)
        print(f"  {name:<30} {t:.3f} s")

    # Naive: re-score the answers with a variant rubric for each draw.
    ids = list(portfolio.dimension_ids)

    def naive() -> None:
        for k in range(args.naive_draws):
            score(rubric.with_weights(dict(zip(ids, w[k], strict=True))), answers)

    t_naive, _ = timed(naive)
    per_draw = t_naive / args.naive_draws
    print(
        f"naive re-scoring: {per_draw:.2f} s per draw -> {per_draw * args.draws:,.0f} s "
        f"extrapolated to {args.draws:,} draws ({per_draw * args.draws / t_total:,.0f}x slower)"
    )
    verdict = lambda t: "met" if t <= 2.0 else "NOT met"  # noqa: E731
    print(
        f"target simulate() <= 2 s: {verdict(t_total)} on wall time ({t_total:.2f} s), "
        f"{verdict(t_cpu)} on CPU time ({t_cpu:.2f} s); wall time includes waiting for the CPU "
        "when other work runs (see the load average above)"
    )


if __name__ == "__main__":
    main()
