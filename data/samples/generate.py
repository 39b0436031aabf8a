"""Generate the synthetic sample data in ``data/samples/``.

Run from the repository root::

    python data/samples/generate.py

Every organisation, person and number written here is fictitious.  The output is
deterministic (seed :data:`SEED`): running the script twice gives byte-identical files, so a
diff after a rubric change shows exactly what the change did to the samples.

The clients and their stories are in ``stories.py`` next to this script, written on the
packaged ``social-media`` rubric's 1..5 scale and rescaled to the scale of the rubric in use.
Dimension, indicator and fact ids the rubric does not have are ignored, and dimensions a story
does not name get the client's base level, so the script keeps working while the rubric
evolves.  ``tests/samples/test_stories.py`` checks that the scores tell the stories.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

if importlib.util.find_spec("assessment") is None:
    # Run from a source checkout without `pip install -e .`: use the package next door.
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
# stories.py sits next to this script; put it on the path when the file is loaded by path.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from stories import CLIENTS, OWN_TARGET, OWN_TARGET_DEFAULT, OWN_TARGET_ID, Care, Client

from assessment.rubric import Rubric, load_rubric
from assessment.samples.synthetic import synthetic_answers, synthetic_peers
from assessment.scoring.formulas import registry

HERE = Path(__file__).resolve().parent
SEED = 2007
#: Scale the stories are written on (the packaged rubric's).
PROFILE_SCALE = 5
N_PEERS = 360
#: Share of answers that carry a note (a little more than the default, to show them).
COMMENT_RATE = 0.05
#: Share of cells a respondent skipped in the forms export.
FORMS_SKIP_RATE = 0.04
#: Which fact of the packaged rubric each care-desk figure answers.
CARE_FACTS = {
    "care_messages_per_day": "messages_per_day",
    "care_coverage_hours_per_week": "hours_per_week",
    "care_languages_answered": "languages",
    "care_target_response_minutes": "promise_minutes",
    "care_fte_current": "fte",
}


# -- one assessment ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Round:
    """One assessment of one client, as the generator needs it."""

    client: Client
    date: str
    profile: dict[str, float]  # latent maturity per rubric dimension (rubric scale)
    practices: dict[str, float]  # latent level per indicator overridden (rubric scale)
    care: Care
    team: Sequence[tuple[str, str]]
    follow_up: bool


def rescale(level: float, n_levels: int) -> float:
    """Map a level on the 1..5 profile scale to the rubric's 1..n scale."""
    return 1 + (level - 1) * (n_levels - 1) / (PROFILE_SCALE - 1)


def latent_profile(
    rubric: Rubric, base: float, levels: Mapping[str, float], change: Mapping[str, float] | None
) -> dict[str, float]:
    """Latent maturity per rubric dimension; ids the rubric lacks are ignored."""
    change = change or {}
    out = {}
    for d in rubric.dimensions:
        value = levels.get(d.id, base) + change.get(d.id, 0.0)
        out[d.id] = float(np.clip(rescale(value, rubric.n_levels), 1, rubric.n_levels))
    return out


def practice_levels(rubric: Rubric, practices: Mapping[str, float], care: Care) -> dict[str, float]:
    """Indicator overrides on the rubric's scale: the story's practices and the care rota."""
    wanted = {"care_coverage": care.coverage_level, **practices}
    table = rubric.indicator_table
    known = table.index[table["kind"] != "computed"]
    return {
        i: float(np.clip(rescale(v, rubric.n_levels), 1, rubric.n_levels))
        for i, v in wanted.items()
        if i in known
    }


def rounds(rubric: Rubric) -> list[Round]:
    """Every assessment: each client's first, then its follow-up if it has one."""
    out = []
    for c in CLIENTS:
        out.append(
            Round(
                c,
                c.date,
                latent_profile(rubric, c.base, c.levels, None),
                practice_levels(rubric, c.practices, c.care),
                c.care,
                c.team,
                follow_up=False,
            )
        )
        f = c.follow_up
        if f is not None:
            change = {d: f.change.get(d, 0.0) + f.overall for d in rubric.dimension_table.index}
            care = f.care or c.care
            out.append(
                Round(
                    c,
                    f.date,
                    latent_profile(rubric, c.base, c.levels, change),
                    practice_levels(rubric, {**c.practices, **f.practices}, care),
                    care,
                    f.team or c.team,
                    follow_up=True,
                )
            )
    return out


def care_facts(rubric: Rubric, care: Care) -> dict[str, float]:
    """The care desk's figures as the rubric's facts (those the rubric has)."""
    facts = {f.id for f in rubric.facts}
    return {fid: float(getattr(care, attr)) for fid, attr in CARE_FACTS.items() if fid in facts}


# -- the answer files -------------------------------------------------------------------------


def generate_round(
    rubric: Rubric, batch: Sequence[Round], seed: int, comment_rate: float
) -> pd.DataFrame:
    """Answers of a batch of assessments (one per client) in the long format."""
    index = pd.Index([r.client.client_id for r in batch], name="client_id", dtype="str")
    profiles = pd.DataFrame([r.profile for r in batch], index=index)
    practices = pd.DataFrame([r.practices for r in batch], index=index, dtype=float)
    facts = pd.DataFrame([care_facts(rubric, r.care) for r in batch], index=index, dtype=float)
    allow_na = rubric.indicator_table["allow_na"]
    not_applicable = {
        r.client.client_id: {
            i: why for i, why in r.client.not_applicable.items() if allow_na.get(i)
        }
        for r in batch
    }
    roster = pd.DataFrame(
        [(r.client.client_id, who, role) for r in batch for who, role in r.team],
        columns=["client_id", "respondent", "role"],
    )
    return synthetic_answers(
        rubric,
        profiles,
        roster=roster,
        date=pd.Series([r.date for r in batch], index=index),
        seed=seed,
        comment_rate=comment_rate,
        indicator_levels=practices,
        facts=facts if len(facts.columns) else None,
        not_applicable=not_applicable,
        evidence_rate=pd.Series([r.client.evidence for r in batch], index=index),
    )


def answers_tables(rubric: Rubric) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The long answers of every client but the forms one, and the forms export (wide)."""
    all_rounds = rounds(rubric)
    long_parts = []
    for offset, follow_up in enumerate([False, True]):
        batch = [r for r in all_rounds if r.follow_up == follow_up and not r.client.forms_export]
        long_parts.append(generate_round(rubric, batch, SEED + offset, COMMENT_RATE))
    answers = pd.concat(long_parts, ignore_index=True)
    # Client by client, each client's rounds in date order; within a round keep the order.
    answers = answers.sort_values(["client_id", "date"], kind="stable", ignore_index=True)

    forms = [r for r in all_rounds if r.client.forms_export]
    forms_long = generate_round(rubric, forms, SEED + 2, comment_rate=0)
    return answers, to_forms_export(rubric, forms_long)


def to_forms_export(rubric: Rubric, long: pd.DataFrame) -> pd.DataFrame:
    """Reshape long answers the way a Forms export looks: one row per respondent.

    One column per question the form asks: every indicator but the computed ones, then the
    facts.  Notes and evidence references do not survive a form.
    """
    keys = ["client_id", "date", "respondent", "role"]
    table = rubric.indicator_table
    columns = [*table.index[table["kind"] != "computed"], *(f.id for f in rubric.facts)]
    wide = long.pivot(index=keys, columns="indicator_id", values="value")
    people = long[keys].drop_duplicates()
    wide = wide.reindex(pd.MultiIndex.from_frame(people)).reindex(columns=columns)
    wide = wide.fillna("")
    # Respondents skip a few questions; an empty cell means "not answered".  A fact or an NA
    # is the answer of its one respondent, so it is never skipped (the story depends on it).
    rng = np.random.default_rng(SEED + 3)
    skippable = np.array([c in table.index for c in columns]) & (wide != "NA").to_numpy()
    skipped = (rng.random(wide.shape) < FORMS_SKIP_RATE) & skippable
    wide = wide.mask(skipped, "")
    wide.columns.name = None
    return wide.reset_index()


# -- the other tables -------------------------------------------------------------------------


def clients_table(rubric: Rubric) -> pd.DataFrame:
    """clients.csv; target profiles the rubric lacks are left empty (= the sector's default).

    ``messages_per_day`` and ``social_fte`` are the care desk of the client's latest
    assessment: the same figures as its facts.
    """
    known = {t.id for t in rubric.targets} | {OWN_TARGET_ID}
    rows = []
    for c in CLIENTS:
        target = c.target_profile if c.target_profile in known else ""
        if c.target_profile and not target:
            print(
                f"note: rubric has no target {c.target_profile!r}; {c.client_id} uses the default",
                file=sys.stderr,
            )
        care = c.follow_up.care if c.follow_up is not None and c.follow_up.care else c.care
        rows.append(
            {
                "client_id": c.client_id,
                "name": c.name,
                "sector": c.sector,
                "size_band": c.size_band,
                "region": c.region,
                "target_profile": target,
                "messages_per_day": care.messages_per_day,
                "social_fte": care.fte,
            }
        )
    return pd.DataFrame(rows)


def targets_table(rubric: Rubric) -> pd.DataFrame:
    """targets.csv: the client-specific profile, one row per rubric dimension."""
    rows = [
        {
            "profile_id": OWN_TARGET_ID,
            "dimension_id": d.id,
            "target": round(rescale(OWN_TARGET.get(d.id, OWN_TARGET_DEFAULT), rubric.n_levels), 2),
        }
        for d in rubric.dimensions
    ]
    return pd.DataFrame(rows)


def ignored_ids(rubric: Rubric) -> list[str]:
    """Dimension and indicator ids named in the stories that the rubric does not have."""
    named: set[str] = set(OWN_TARGET)
    for c in CLIENTS:
        named |= set(c.levels) | set(c.practices) | set(c.not_applicable)
        if c.follow_up is not None:
            named |= set(c.follow_up.change) | set(c.follow_up.practices)
    known = set(rubric.dimension_table.index) | set(rubric.indicator_table.index)
    return sorted(named - known)


def capacity_ratio(rubric: Rubric, care: Care) -> float:
    """What the rubric's computed care indicator makes of a care desk (NaN without one)."""
    facts = care_facts(rubric, care)
    for _, ind in rubric.iter_indicators():
        if ind.formula is None:
            continue
        inputs = {
            k: np.array([facts.get(v, np.nan) if isinstance(v, str) else v])
            for k, v in ind.formula.inputs.items()
        }
        return float(registry.get(ind.formula.function)(**inputs)[0])
    return float("nan")


# -- README -----------------------------------------------------------------------------------

README = """\
# Sample data (synthetic)

**Every file in this folder is synthetic.**  The organisations, people, answers, comments,
documents and numbers are fictitious: they were generated by a program, not collected from
anyone.  Any resemblance to real organisations or persons is coincidental.  Use these files to
try the toolkit, in the tutorials and in tests -- never as evidence about a real market.

## How the files were made

```bash
python data/samples/generate.py
```

The script is deterministic (seed `{seed}`): running it again gives byte-identical files.  It
loads the packaged rubric with `assessment.rubric.load_rubric("social-media")` (here: rubric
`{rubric_id}` version {rubric_version}, {n_levels} levels, {n_dimensions} dimensions,
{n_indicators} indicators, {n_facts} facts, {n_roles} roles), reads the clients' stories from
`stories.py` and draws the data with `assessment.samples.synthetic` (`synthetic_answers`,
`synthetic_peers`).  `tests/samples/test_stories.py` checks that the scores tell each story.

* **Stories, not noise.**  Each client has an intended *latent maturity* per dimension (the
  profile table below, on a 1-5 scale), and the latent level of the single practices its story
  is about (*practices*: a bank's approval workflow, a retailer's missing crisis plan).  A
  dimension level alone let practices drift with their neighbours; the practices keep them
  where the story puts them.
* **Respondents disagree a little.**  Each rates an indicator at
  `clip(round(latent + 0.6 * N(0, 1)), 1, n)`; a measured indicator (response times, shares,
  counts) is read from an export, with half that noise, and written as a value inside the band
  the rubric's thresholds give its level.
* **Who answers what.**  Every respondent's `role` is a spelling the rubric recognises (its
  role names and aliases), so each answers only what the rubric asks of that role
  (`asked_of`): finance the budget share, security and legal the data-protection question, the
  care lead the care figures.  One respondent reports each measured indicator and each fact:
  the one whose role the rubric lists first (the care lead before the social-media lead).
* **Facts.**  Every client reports the five care-desk facts (messages per day, hours covered a
  week, languages answered, promised first reply, care FTE today); the engine computes
  `team_capacity_ratio` from them.  The rota also sets the `care_coverage` practice (office
  hours are level 2, seven days of twelve hours level 4, round the clock level 5).
* **Not applicable.**  `NA` appears only where the rubric's `na_when` holds and the story says
  so (the table below), never at random.
* **Evidence.**  Answers cite a document (`evidence`) where the client holds one: at or above
  the first level whose evidence the rubric asks for, with the client's *evidence* rate; less
  below it; never at level 1.  The responsible respondent cites it, about half of the others
  too.  About {comment_pct}% of answers carry a short note, in English or Arabic.

Regenerate the files whenever the rubric changes (new or renamed indicators).  Story entries
for dimensions, indicators or facts the rubric does not have are ignored.

## Files

| File | Rows | Content |
|---|---:|---|
| `clients.csv` | {n_clients} | the fictitious client organisations |
| `answers.csv` | {n_answers} | answers in the long format, one row per answer |
| `answers_forms_export.csv` | {n_forms} | one client's answers as a survey-tool export (wide) |
| `peers.csv` | {n_peers} | peer benchmark: dimension scores of synthetic organisations |
| `targets.csv` | {n_targets} | a client-specific target profile |
| `stories.py` | | the clients and their stories |
| `generate.py` | | the script that writes all of the above |

Rows exclude the header.  All files are UTF-8.

* **clients.csv** -- columns `client_id, name, sector, size_band, region, target_profile,
  messages_per_day, social_fte`.
  `size_band` is `small` (<250 employees), `medium` (250-999), `large` (1,000-9,999) or
  `enterprise` (10,000 or more).  `target_profile` names one of the rubric's target profiles
  ({targets}), a profile from `targets.csv`, or is empty: then the client's sector picks the
  rubric's default for it (`sectors:` of the target profiles).
  `messages_per_day` and `social_fte` feed the report's resourcing section; they are the care
  desk of the client's latest assessment, the same figures as its facts.
* **answers.csv** -- columns `client_id, date, respondent, role, indicator_id, value,
  comment, evidence`; comma-delimited, no BOM.  `indicator_id` names an indicator or a fact.
  `value` is a level `1`..`{n_levels}` for anchored indicators, a number for measured ones and
  facts, or `NA` (not applicable).  `comment` is usually empty; `evidence` names the document
  that backs the answer, or is empty.  Every client except `{forms_client}` was assessed in
  March 2025 by 3-7 respondents; {n_follow_up} clients were assessed again in March 2026.
* **answers_forms_export.csv** -- `{forms_client}` in the toolkit's *wide* shape (not
  what Google or Microsoft Forms export: `maturity import` reads those; see the main README's
  "Data formats"): columns `client_id, date, respondent, role`, then one column per indicator
  or fact id; one row per respondent; an empty cell means "not
  answered" (a question not asked of the respondent's role, a measurement someone else
  reported, or a skipped question).  A form keeps no notes and no evidence.  Saved the way
  Excel saves CSV in many locales -- UTF-8 **with a BOM**, `;`-delimited, CRLF line ends -- to
  show that the loader copes.
* **peers.csv** -- columns `peer_id, sector, size_band, region`, then one column per dimension
  id with a dimension score (1-{n_levels}, 2 decimals).  Scores come from a one-factor model:
  most organisations sit between 1.5 and 3.5, an organisation mature in one dimension tends to
  be mature in the others, and larger organisations are slightly more mature.
* **targets.csv** -- columns `profile_id, dimension_id, target`: the profile `{own_target}`
  that `{own_target_client}` uses, one row per dimension.

## The clients and their stories

Levels are the intended latent maturity on the 1-5 scale; dimensions not listed sit at the
client's base level.  The scores the toolkit computes differ a little: respondents disagree and
answers are rounded to levels.  *Evidence* is the share of practices at an evidenced level for
which the client holds a document.

| Client | Name | Sector, size, region | Target | Story | Base | Dimensions | Practices | Evidence |
|---|---|---|---|---|---:|---|---|---:|
{client_rows}

### Respondents (first assessment)

Who answered changes in some second assessments (a new care lead, a hired analyst, a lead who
left); `stories.py` has every roster.

| Client | Respondents (role as written, rubric role) |
|---|---|
{team_rows}

### Care desks (facts)

The capacity ratio is what `team_capacity_ratio` computes from the facts: the care FTE today
over the FTE an Erlang C desk needs to keep the promise at the hours covered, one queue per
language.

| Client | Date | Messages/day | Hours/week | Languages | Reply promised (min) | FTE | Ratio |
|---|---|---:|---:|---:|---:|---:|---:|
{care_rows}

### On purpose

| Client | What | Why |
|---|---|---|
{purpose_rows}

### Second assessments (March 2026)

| Client | Date | What changed |
|---|---|---|
{follow_up_rows}
"""


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|")


def _target_cell(rubric: Rubric, c: Client, target: str) -> str:
    if target:
        return target
    return f"{rubric.default_profile(c.sector)} (sector default)" if rubric.targets else "(default)"


def _client_rows(rubric: Rubric, tables: Mapping[str, pd.DataFrame]) -> list[str]:
    targets = tables["clients"].set_index("client_id")["target_profile"]
    rows = []
    for c in CLIENTS:
        notable = ", ".join(
            f"{d} {v:g}" for d, v in c.levels.items() if d in rubric.dimension_table.index
        )
        practices = ", ".join(
            f"`{i}` {v:g}" for i, v in c.practices.items() if i in rubric.indicator_table.index
        )
        rows.append(
            f"| `{c.client_id}` | {_cell(c.name)} | {c.sector}, {c.size_band} "
            f"({c.employees:,} employees), {c.region} | "
            f"{_target_cell(rubric, c, targets.loc[c.client_id])} | {_cell(c.intent)} | "
            f"{c.base:g} | {notable} | {practices or '-'} | {c.evidence:.0%} |"
        )
    return rows


def _team_rows(rubric: Rubric) -> list[str]:
    rows = []
    for c in CLIENTS:
        people = "; ".join(f"{who}: {role} (`{rubric.role_id(role)}`)" for who, role in c.team)
        rows.append(f"| `{c.client_id}` | {_cell(people)} |")
    return rows


def _care_rows(rubric: Rubric) -> list[str]:
    rows = []
    for r in rounds(rubric):
        k = r.care
        rows.append(
            f"| `{r.client.client_id}` | {r.date} | {k.messages_per_day:g} | "
            f"{k.hours_per_week:g}{'' if k.on_duty else ' (nobody on duty)'} | {k.languages} | "
            f"{k.promise_minutes:g} | {k.fte:g} | {capacity_ratio(rubric, k):.2f} |"
        )
    return rows


def _purpose_rows() -> list[str]:
    rows = []
    for c in CLIENTS:
        for indicator_id, why in c.not_applicable.items():
            rows.append(f"| `{c.client_id}` | `NA` on `{indicator_id}` | {_cell(why)} |")
        if c.unasked:
            rows.append(f"| `{c.client_id}` | a question nobody was asked | {_cell(c.unasked)} |")
        if c.evidence_story:
            rows.append(f"| `{c.client_id}` | evidence | {_cell(c.evidence_story)} |")
    return rows


def readme_text(rubric: Rubric, tables: Mapping[str, pd.DataFrame]) -> str:
    """README.md for the folder, with row counts and the story tables."""
    own_client = next(c.client_id for c in CLIENTS if c.target_profile == OWN_TARGET_ID)
    forms_client = next(c.client_id for c in CLIENTS if c.forms_export)
    follow_up_rows = [
        f"| `{c.client_id}` | {c.follow_up.date} | {_cell(c.follow_up.story)} |"
        for c in CLIENTS
        if c.follow_up is not None
    ]
    return README.format(
        seed=SEED,
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        n_levels=rubric.n_levels,
        n_dimensions=len(rubric.dimensions),
        n_indicators=len(rubric.indicator_table),
        n_facts=len(rubric.facts),
        n_roles=len(rubric.roles),
        comment_pct=round(COMMENT_RATE * 100),
        n_clients=len(tables["clients"]),
        n_answers=len(tables["answers"]),
        n_forms=len(tables["forms"]),
        n_peers=len(tables["peers"]),
        n_targets=len(tables["targets"]),
        targets=", ".join(f"`{t.id}`" for t in rubric.targets) or "none",
        forms_client=forms_client,
        n_follow_up=len(follow_up_rows),
        own_target=OWN_TARGET_ID,
        own_target_client=own_client,
        client_rows="\n".join(_client_rows(rubric, tables)),
        team_rows="\n".join(_team_rows(rubric)),
        care_rows="\n".join(_care_rows(rubric)),
        purpose_rows="\n".join(_purpose_rows()),
        follow_up_rows="\n".join(follow_up_rows),
    )


# -- main -------------------------------------------------------------------------------------


def write_csv(frame: pd.DataFrame, path: Path, **options: object) -> None:
    """Write ``frame`` without index, UTF-8 and LF unless ``options`` say otherwise."""
    settings: dict[str, object] = {"index": False, "encoding": "utf-8", "lineterminator": "\n"}
    settings.update(options)
    frame.to_csv(path, **settings)


def main(argv: Sequence[str] | None = None) -> int:
    """Write every sample file; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rubric", default="social-media", help="rubric name or YAML path")
    parser.add_argument("--out", type=Path, default=HERE, help="output folder")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing")
    args = parser.parse_args(argv)

    rubric = load_rubric(args.rubric)
    ignored = ignored_ids(rubric)
    if ignored:
        print(f"note: rubric has no {ignored}; the stories ignore them", file=sys.stderr)

    answers, forms = answers_tables(rubric)
    tables = {
        "clients": clients_table(rubric),
        "answers": answers,
        "forms": forms,
        "peers": synthetic_peers(rubric, N_PEERS, seed=SEED),
        "targets": targets_table(rubric),
    }
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    write_csv(tables["clients"], out / "clients.csv", float_format="%g")
    write_csv(tables["answers"], out / "answers.csv")
    # As Excel saves "CSV UTF-8" in locales whose list separator is ";": BOM, ";" and CRLF.
    write_csv(
        tables["forms"],
        out / "answers_forms_export.csv",
        sep=";",
        encoding="utf-8-sig",
        lineterminator="\r\n",
    )
    write_csv(tables["peers"], out / "peers.csv", float_format="%.2f")
    write_csv(tables["targets"], out / "targets.csv", float_format="%g")
    text = readme_text(rubric, tables)
    (out / "README.md").write_text(text, encoding="utf-8", newline="\n")

    for name in (
        "clients.csv",
        "answers.csv",
        "answers_forms_export.csv",
        "peers.csv",
        "targets.csv",
        "README.md",
    ):
        path = out / name
        if not args.quiet:
            print(f"{path}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
