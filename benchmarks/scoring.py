"""Benchmark: score 10,000 organisations x every indicator x 5 respondents.

Compares, in the same process and on the same data:

* **vectorised** — one call to :func:`assessment.scoring.score` for the whole portfolio;
* **per-organisation loop** — what a notebook author writes without the engine's help:
  ``for org, answers in df.groupby("client_id"): score(rubric, answers)``.  It is timed on a
  sample of organisations and extrapolated linearly (it is linear: each call is independent), so
  the benchmark finishes in well under a minute; the sample size is printed.

The two are also checked for identical results on the sampled organisations.

Run: ``python benchmarks/scoring.py [--orgs 10000] [--respondents 5] [--loop-sample 200]``
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

from assessment.inputs import answers_from_frame
from assessment.rubric import load_rubric
from assessment.samples.synthetic import random_profiles, synthetic_answers
from assessment.scoring import score


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    """Median wall time of ``repeat`` calls, and the last result."""
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--respondents", type=int, default=5)
    parser.add_argument("--loop-sample", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    rubric = load_rubric("social-media")
    n_ind = len(rubric.indicator_table)
    profiles = random_profiles(rubric, args.orgs, seed=1)
    t_gen, raw = timed(
        lambda: synthetic_answers(rubric, profiles, respondents=args.respondents, seed=2)
    )
    t_val, answers = timed(lambda: answers_from_frame(raw, rubric))
    print(
        f"data: {args.orgs:,} organisations x {n_ind} indicators x {args.respondents} "
        f"respondents = {len(answers):,} answers (measured indicators answered once)"
    )
    print(f"  generate {t_gen:.2f} s, validate {t_val:.2f} s")

    t_vec, result = timed(lambda: score(rubric, answers), repeat=args.repeat)
    print(
        f"vectorised score(): {t_vec:.3f} s for {args.orgs:,} organisations "
        f"(median of {args.repeat})"
    )

    sample_ids = profiles.index[: args.loop_sample]
    subset = answers.loc[answers["client_id"].isin(sample_ids)]

    def loop() -> list:
        return [score(rubric, grp) for _, grp in subset.groupby("client_id", sort=True)]

    t_loop_sample, loop_results = timed(loop)
    t_loop = t_loop_sample * args.orgs / len(sample_ids)
    print(
        f"per-organisation loop: {t_loop_sample:.2f} s for {len(sample_ids)} organisations "
        f"-> {t_loop:.1f} s extrapolated to {args.orgs:,}"
    )

    # Parity: the loop and the vectorised run agree on every sampled organisation.
    vec = result.overall.set_index("client_id").loc[sample_ids, "index"].to_numpy()
    per = np.array([r.overall["index"].iloc[0] for r in loop_results])
    assert np.allclose(vec, per), "vectorised and per-organisation results differ"
    vdim = result.dimensions.loc[result.dimensions["client_id"].isin(sample_ids), "score"]
    ldim = pd.concat([r.dimensions for r in loop_results])["score"]
    assert np.allclose(vdim.to_numpy(), ldim.to_numpy(), equal_nan=True)
    print("parity: identical indices and dimension scores on the sampled organisations")

    t_boot, _ = timed(lambda: score(rubric, subset, bootstrap=1000))
    print(f"with 1,000-resample bootstrap CIs: {t_boot:.2f} s for {len(sample_ids)} organisations")
    print(
        f"speed-up: {t_loop / t_vec:.0f}x (target >= 50x); vectorised time target <= 1 s: "
        f"{'met' if t_vec <= 1.0 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
