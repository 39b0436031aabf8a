"""Generate the synthetic sample data in ``data/samples/``.

Run from the repository root::

    python data/samples/generate.py

Every organisation, person and number written here is fictitious.  The output is
deterministic (seed :data:`SEED`): running the script twice gives byte-identical files, so a
diff after a rubric change shows exactly what the change did to the samples.

The client profiles below name dimensions of the packaged ``social-media`` rubric.  They are
written on that rubric's 1..5 scale and rescaled to the scale of the rubric in use; dimension
ids the rubric does not have are ignored and dimensions the profiles do not name get the
client's base level, so the script keeps working while the rubric evolves.
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

from assessment.rubric import Rubric, load_rubric
from assessment.samples.synthetic import synthetic_answers, synthetic_peers

SEED = 2007
HERE = Path(__file__).resolve().parent
#: Scale the profiles below are written on (the packaged rubric's).
PROFILE_SCALE = 5
N_PEERS = 360
#: Share of answers that carry an evidence note (a little more than the default, to show them).
COMMENT_RATE = 0.05
#: Share of cells a respondent skipped in the forms export.
FORMS_SKIP_RATE = 0.04


@dataclass(frozen=True)
class FollowUp:
    """A second assessment about a year later."""

    date: str
    story: str
    change: Mapping[str, float]  # per-dimension change of latent maturity
    overall: float = 0.0  # change applied to every dimension
    team: Sequence[tuple[str, str]] | None = None  # None = the same people


@dataclass(frozen=True)
class Client:
    """A fictitious client and the maturity profile its answers are drawn from."""

    client_id: str
    name: str
    sector: str
    size_band: str
    region: str
    target_profile: str
    intent: str
    base: float  # latent maturity of every dimension not listed in ``levels``
    levels: Mapping[str, float]
    team: Sequence[tuple[str, str]]  # (respondent, role); the first reports measured values
    date: str
    follow_up: FollowUp | None = None
    forms_export: bool = False


HEAD = "Head of social media"
CARE = "Customer care lead"
CONTENT = "Content lead"
COMMUNITY = "Community manager"
ANALYST = "Social media analyst"
MARKETING = "Marketing director"
COMMS = "Communications manager"
COMPLIANCE = "Digital compliance officer"

CLIENTS: tuple[Client, ...] = (
    Client(
        "c01-fanous-souq",
        "Fanous Souq Retail",
        "retail",
        "large",
        "Saudi Arabia",
        "consumer_brand",
        "Strong content, no crisis plan, slow customer care",
        base=2.6,
        levels={"content": 4.3, "crisis": 1.0, "care": 1.6, "insight": 2.3, "tooling": 3.0},
        team=[
            ("Layla H.", HEAD),
            ("Omar K.", COMMUNITY),
            ("Dana R.", CONTENT),
            ("Sami F.", CARE),
            ("Huda M.", MARKETING),
        ],
        date="2025-03-04",
        follow_up=FollowUp(
            "2026-03-03",
            "wrote and rehearsed a crisis plan; staffed care in the evenings",
            change={"crisis": 2.0, "care": 1.3, "governance": 0.4},
            overall=0.15,
            team=[
                ("Layla H.", HEAD),
                ("Omar K.", COMMUNITY),
                ("Dana R.", CONTENT),
                ("Rami J.", CARE),
                ("Huda M.", MARKETING),
            ],
        ),
    ),
    Client(
        "c02-wadi-kharaz",
        "مصنع وادي الخرز للحديد",
        "manufacturing",
        "small",
        "Egypt",
        "b2b_sme",
        'Still "2007": nearly every dimension at level 1',
        base=1.05,
        levels={"strategy": 1.2, "content": 1.3, "budget": 1.0},
        team=[
            ("Karim A.", "Marketing manager"),
            ("Mona S.", "Sales coordinator"),
            ("Adel N.", "General manager"),
        ],
        date="2025-03-05",
    ),
    Client(
        "c03-dalia-clinics",
        "Dalia Bloom Clinics",
        "healthcare",
        "medium",
        "Jordan",
        "c03-own",
        "Strong care, but nothing is measured; uses its own target profile",
        base=2.4,
        levels={
            "care": 4.4,
            "crisis": 3.0,
            "governance": 3.3,
            "content": 2.8,
            "measurement": 1.0,
            "insight": 1.4,
            "tooling": 1.8,
        },
        team=[("Rania T.", HEAD), ("Yousef B.", CARE), ("Salma D.", CONTENT), ("Fadi Z.", COMMS)],
        date="2025-03-10",
        follow_up=FollowUp(
            "2026-03-09",
            "hired an analyst and started a monthly dashboard",
            change={"measurement": 1.7, "insight": 1.2, "tooling": 0.7},
            overall=0.1,
            team=[
                ("Rania T.", HEAD),
                ("Yousef B.", CARE),
                ("Salma D.", CONTENT),
                ("Fadi Z.", COMMS),
                ("Lina Q.", ANALYST),
            ],
        ),
    ),
    Client(
        "c04-sawsan-bank",
        "Sawsan Capital Bank (بنك سوسن كابيتال)",
        "banking",
        "enterprise",
        "United Arab Emirates",
        "regulated_enterprise",
        "Strong governance and crisis readiness, but slow approvals stall content and care",
        base=2.8,
        levels={
            "governance": 4.6,
            "crisis": 3.9,
            "tooling": 3.5,
            "strategy": 3.2,
            "content": 1.7,
            "care": 2.0,
            "advocacy": 1.4,
            "team": 2.2,
        },
        team=[
            ("Tariq M.", HEAD),
            ("Mariam E.", COMPLIANCE),
            ("Ziad H.", CONTENT),
            ("Reem A.", CARE),
            ("Bilal S.", ANALYST),
            ("Noura K.", COMMS),
        ],
        date="2025-03-11",
        follow_up=FollowUp(
            "2026-03-16",
            "pre-approved content templates and a fast-track approval lane",
            change={"content": 1.4, "care": 0.8, "team": 0.4},
            overall=0.1,
            team=[
                ("Tariq M.", HEAD),
                ("Mariam E.", COMPLIANCE),
                ("Ziad H.", CONTENT),
                ("Reem A.", CARE),
                ("Noura K.", COMMS),
            ],
        ),
    ),
    Client(
        "c05-nayzak-mobile",
        "Nayzak Mobile",
        "telecom",
        "enterprise",
        "Qatar",
        "modern",
        "Modern leader: 4.5+ almost everywhere",
        base=4.7,
        levels={"budget": 4.5, "advocacy": 4.5, "measurement": 4.9, "care": 4.8},
        team=[
            ("Hala S.", HEAD),
            ("Khaled R.", ANALYST),
            ("Dina F.", CONTENT),
            ("Majed O.", CARE),
            ("Yara N.", MARKETING),
        ],
        date="2025-03-12",
    ),
    Client(
        "c06-ras-qamar-tourism",
        "هيئة رأس قمر للسياحة",
        "government",
        "large",
        "Morocco",
        "",
        "Public body: crisis-ready and well governed, little advocacy, budget or tooling",
        base=2.3,
        levels={
            "crisis": 3.5,
            "governance": 3.1,
            "advocacy": 1.2,
            "budget": 1.6,
            "tooling": 1.7,
            "measurement": 1.8,
        },
        team=[
            ("Samira B.", HEAD),
            ("Nabil E.", COMMS),
            ("Imane L.", CONTENT),
            ("Youssef A.", COMMUNITY),
        ],
        date="2025-03-17",
    ),
    Client(
        "c07-yasmeen-ridge-school",
        "Yasmeen Ridge International School",
        "education",
        "medium",
        "Kuwait",
        "",
        "Parents and teachers as advocates, content fine, no budget or measurement",
        base=2.0,
        levels={
            "advocacy": 3.6,
            "content": 3.1,
            "budget": 1.3,
            "measurement": 1.5,
            "tooling": 1.5,
            "crisis": 1.6,
        },
        team=[("Farah J.", COMMS), ("Hani W.", "Admissions lead"), ("Maya G.", CONTENT)],
        date="2025-03-18",
    ),
    Client(
        "c08-layali-tamar-hotels",
        "Layali Tamar Hotels",
        "hospitality",
        "large",
        "United Arab Emirates",
        "consumer_brand",
        "Good care and content, thin team and crisis plan; improves across the board",
        base=2.9,
        levels={
            "care": 3.9,
            "content": 3.7,
            "insight": 3.2,
            "measurement": 3.0,
            "team": 2.4,
            "crisis": 2.2,
            "governance": 2.3,
        },
        team=[
            ("Jad K.", HEAD),
            ("Rasha M.", CARE),
            ("Walid H.", CONTENT),
            ("Sara Y.", ANALYST),
            ("Nadia F.", MARKETING),
        ],
        date="2025-03-19",
        follow_up=FollowUp(
            "2026-03-17",
            "new social-media budget line; crisis playbook and governance reviewed",
            change={"crisis": 0.6, "governance": 0.5},
            overall=0.7,
        ),
    ),
    Client(
        "c09-dhow-axis-logistics",
        "Dhow Axis Logistics",
        "logistics",
        "medium",
        "Lebanon",
        "b2b_sme",
        "B2B: clear strategy and employee advocacy on LinkedIn, care and tooling neglected",
        base=2.1,
        levels={
            "strategy": 3.2,
            "advocacy": 3.4,
            "content": 2.6,
            "care": 1.3,
            "tooling": 1.7,
            "budget": 1.5,
        },
        team=[
            ("Amir D.", MARKETING),
            ("Lama S.", CONTENT),
            ("George H.", "Business development lead"),
        ],
        date="2025-03-24",
    ),
    Client(
        "c10-bustan-amber-foods",
        "Bustan Amber Foods (بستان العنبر للأغذية)",
        "fmcg",
        "large",
        "Egypt",
        "consumer_brand",
        "Solid consumer brand that regresses a year later after losing its lead and agency",
        base=3.1,
        levels={"content": 3.7, "care": 3.3, "crisis": 2.0, "measurement": 2.6},
        team=[
            ("Mostafa G.", HEAD),
            ("Aya N.", COMMUNITY),
            ("Hossam E.", CONTENT),
            ("Shereen T.", CARE),
            ("Menna R.", ANALYST),
        ],
        date="2025-03-25",
        follow_up=FollowUp(
            "2026-03-24",
            "regression: the lead and the analyst left, the agency contract ended",
            change={"team": -1.3, "content": -1.1, "care": -1.0, "insight": -0.6},
            overall=-0.3,
            team=[("Aya N.", f"{HEAD} (acting)"), ("Hossam E.", CONTENT), ("Shereen T.", CARE)],
        ),
    ),
    Client(
        "c11-waddah-lane-pay",
        "Waddah Lane Payments",
        "fintech",
        "small",
        "Saudi Arabia",
        "regulated_enterprise",
        "Digital native: strong content, tooling and data, but weak governance and crisis",
        base=3.0,
        levels={
            "content": 4.1,
            "tooling": 4.3,
            "insight": 3.7,
            "measurement": 3.6,
            "governance": 1.3,
            "crisis": 1.7,
            "care": 2.6,
        },
        team=[("Faisal Q.", HEAD), ("Joud M.", CONTENT), ("Abdullah R.", COMPLIANCE)],
        date="2025-03-26",
    ),
    Client(
        "c12-jasmine-bridges",
        "مؤسسة جسور الياسمين (Jasmine Bridges Foundation)",
        "nonprofit",
        "small",
        "Lebanon",
        "",
        "Volunteer advocacy, no budget or tooling; answers arrive as a Forms export",
        base=1.9,
        levels={
            "advocacy": 4.0,
            "content": 2.7,
            "budget": 1.0,
            "tooling": 1.3,
            "measurement": 1.4,
            "team": 1.6,
        },
        team=[
            ("Maya K.", "Communications officer"),
            ("Elie S.", "Volunteer coordinator"),
            ("Rola H.", CONTENT),
            ("Tony B.", "Fundraising lead"),
        ],
        date="2025-03-27",
        forms_export=True,
    ),
)

#: The client-specific target profile written to targets.csv (on the 1..5 scale).
OWN_TARGET_ID = "c03-own"
OWN_TARGET_DEFAULT = 3.0
OWN_TARGET = {
    "care": 5.0,
    "crisis": 4.0,
    "governance": 4.0,
    "strategy": 3.5,
    "content": 3.5,
    "measurement": 3.5,
    "insight": 3.0,
    "budget": 2.5,
    "advocacy": 2.5,
}


# -- building the tables ----------------------------------------------------------------------


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


def waves(rubric: Rubric) -> dict[str, tuple[pd.DataFrame, pd.Series, pd.DataFrame]]:
    """Profiles, dates and rosters of each assessment round, keyed by round name."""
    rounds: dict[str, tuple[list, list, list]] = {
        key: ([], [], []) for key in ("first", "follow-up", "forms")
    }
    for c in CLIENTS:
        key = "forms" if c.forms_export else "first"
        entries = [(key, c.date, None, c.team)]
        if c.follow_up is not None:
            f = c.follow_up
            change = {d: f.change.get(d, 0.0) + f.overall for d in rubric.dimension_table.index}
            entries.append(("follow-up", f.date, change, f.team or c.team))
        for key, date, change, team in entries:
            profiles, dates, rosters = rounds[key]
            profile = latent_profile(rubric, c.base, c.levels, change)
            profiles.append(pd.Series(profile, name=c.client_id))
            dates.append(date)
            rosters.extend((c.client_id, who, role) for who, role in team)
    out = {}
    for key, (profiles, dates, rosters) in rounds.items():
        frame = pd.DataFrame(profiles)
        frame.index.name = "client_id"
        roster = pd.DataFrame(rosters, columns=["client_id", "respondent", "role"])
        out[key] = (frame, pd.Series(dates, index=frame.index), roster)
    return out


def answers_tables(rubric: Rubric) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The long answers of every client but the forms one, and the forms export (wide)."""
    rounds = waves(rubric)
    long_parts = []
    for offset, key in enumerate(["first", "follow-up"]):
        profiles, dates, roster = rounds[key]
        long_parts.append(
            synthetic_answers(
                rubric,
                profiles,
                roster=roster,
                date=dates,
                seed=SEED + offset,
                comment_rate=COMMENT_RATE,
            )
        )
    answers = pd.concat(long_parts, ignore_index=True)
    # Client by client, each client's rounds in date order; within a round keep the order.
    answers = answers.sort_values(["client_id", "date"], kind="stable", ignore_index=True)

    profiles, dates, roster = rounds["forms"]
    forms_long = synthetic_answers(
        rubric, profiles, roster=roster, date=dates, seed=SEED + 2, comment_rate=0
    )
    return answers, to_forms_export(rubric, forms_long)


def to_forms_export(rubric: Rubric, long: pd.DataFrame) -> pd.DataFrame:
    """Reshape long answers the way a Forms export looks: one row per respondent."""
    keys = ["client_id", "date", "respondent", "role"]
    indicator_ids = list(rubric.indicator_table.index)
    wide = long.pivot(index=keys, columns="indicator_id", values="value")
    people = long[keys].drop_duplicates()
    wide = wide.reindex(pd.MultiIndex.from_frame(people)).reindex(columns=indicator_ids)
    wide = wide.fillna("")
    # Respondents skip a few questions; an empty cell means "not answered".
    rng = np.random.default_rng(SEED + 3)
    skipped = rng.random(wide.shape) < FORMS_SKIP_RATE
    wide = wide.mask(skipped, "")
    wide.columns.name = None
    return wide.reset_index()


#: Invented care-desk figures by size band: social messages needing an answer per day and the
#: people working on social media today (the report's resourcing section).  One client in
#: twelve is left without them, to show the report's "missing" note.
CARE_DESK = {
    "small": (35, 0.5),
    "medium": (160, 1.5),
    "large": (620, 4.0),
    "enterprise": (2400, 9.0),
}


def clients_table(rubric: Rubric) -> pd.DataFrame:
    """clients.csv; target profiles the rubric lacks are left empty (= its default)."""
    known = {t.id for t in rubric.targets} | {OWN_TARGET_ID}
    rows = []
    for k, c in enumerate(CLIENTS):
        volume, fte = CARE_DESK[c.size_band] if k % 12 != 11 else ("", "")
        target = c.target_profile if c.target_profile in known else ""
        if c.target_profile and not target:
            print(
                f"note: rubric has no target {c.target_profile!r}; {c.client_id} uses the default",
                file=sys.stderr,
            )
        rows.append(
            {
                "client_id": c.client_id,
                "name": c.name,
                "sector": c.sector,
                "size_band": c.size_band,
                "region": c.region,
                "target_profile": target,
                "messages_per_day": volume,
                "social_fte": fte,
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


def ignored_dimension_ids(rubric: Rubric) -> list[str]:
    """Dimension ids named in the profiles that the rubric does not have."""
    named: set[str] = set(OWN_TARGET)
    for c in CLIENTS:
        named |= set(c.levels)
        if c.follow_up is not None:
            named |= set(c.follow_up.change)
    return sorted(named - set(rubric.dimension_table.index))


# -- README -----------------------------------------------------------------------------------

README = """\
# Sample data (synthetic)

**Every file in this folder is synthetic.**  The organisations, people, answers, comments and
numbers are fictitious: they were generated by a program, not collected from anyone.  Any
resemblance to real organisations or persons is coincidental.  Use these files to try the
toolkit, in the tutorials and in tests -- never as evidence about a real market.

## How the files were made

```bash
python data/samples/generate.py
```

The script is deterministic (seed `{seed}`): running it again gives byte-identical files.  It
loads the packaged rubric with `assessment.rubric.load_rubric("social-media")` (here: rubric
`{rubric_id}` version {rubric_version}, {n_levels} levels, {n_dimensions} dimensions,
{n_indicators} indicators) and draws the data with the generator module
`assessment.samples.synthetic` (`synthetic_answers`, `synthetic_peers`):

* each client has an intended **latent maturity** per dimension (the profiles below, written
  on a 1-5 scale and rescaled to the rubric's);
* each respondent rates every indicator at `clip(round(latent + 0.6 * N(0, 1)), 1, n)`, so
  colleagues disagree a little, as in real workshops;
* measured indicators (response times, shares, counts) are reported once per assessment, by
  the first respondent, with a value inside the band that the rubric's thresholds give the
  respondent's level (whole numbers for counts); yes/no indicators are "yes" on the
  `yes_level` side of the midpoint;
* indicators that allow it are sometimes answered `NA`; about {comment_pct}% of answers carry a
  short evidence note, in English or Arabic.

Regenerate the files whenever the rubric changes (new or renamed indicators).  Profile entries
for dimensions the rubric does not have are ignored.

## Files

| File | Rows | Content |
|---|---:|---|
| `clients.csv` | {n_clients} | the fictitious client organisations |
| `answers.csv` | {n_answers} | answers in the long format, one row per answer |
| `answers_forms_export.csv` | {n_forms} | one client's answers as a survey-tool export (wide) |
| `peers.csv` | {n_peers} | peer benchmark: dimension scores of synthetic organisations |
| `targets.csv` | {n_targets} | a client-specific target profile |
| `generate.py` | | the script that writes all of the above |

Rows exclude the header.  All files are UTF-8.

* **clients.csv** -- columns `client_id, name, sector, size_band, region, target_profile,
  messages_per_day, social_fte`.
  `size_band` is `small` (<250 employees), `medium` (250-999), `large` (1,000-9,999) or
  `enterprise` (10,000 or more).  `target_profile` names one of the rubric's target profiles
  ({targets}), a profile from `targets.csv`, or is empty for the rubric's default.
  `messages_per_day` (social messages needing an answer per day) and `social_fte` (people on
  social media today) feed the report's resourcing section; they are invented from the size
  band, and left empty for one client to show the report's note for missing figures.
* **answers.csv** -- columns `client_id, date, respondent, role, indicator_id, value,
  comment`; comma-delimited, no BOM.  `value` is a level `1`..`{n_levels}` for anchored
  indicators, a number for measured ones, `yes`/`no` for boolean ones, or `NA` (not
  applicable) where the rubric allows it.  `comment` is usually empty.  Every client except
  `{forms_client}` was assessed in March 2025 by 3-6 respondents; {n_follow_up} clients were
  assessed again in March 2026.
* **answers_forms_export.csv** -- `{forms_client}` in the *wide* shape that Google and
  Microsoft Forms export: columns `client_id, date, respondent, role`, then one column per
  indicator id; one row per respondent; an empty cell means "not answered" (measured
  indicators are answered by the first respondent only).  Saved the way Excel saves CSV in
  many locales -- UTF-8 **with a BOM**, `;`-delimited, CRLF line ends -- to show that the
  loader copes.
* **peers.csv** -- columns `peer_id, sector, size_band, region`, then one column per dimension
  id with a dimension score (1-{n_levels}, 2 decimals).  Scores come from a one-factor model:
  most organisations sit between 1.5 and 3.5, an organisation mature in one dimension tends to
  be mature in the others, and larger organisations are slightly more mature.
* **targets.csv** -- columns `profile_id, dimension_id, target`: the profile `{own_target}`
  that `{own_target_client}` uses, one row per dimension.

## The clients and their intended profiles

Levels are the intended latent maturity on the 1-5 scale; dimensions not listed sit at the
client's base level.  The scores the toolkit computes differ a little: respondents disagree and
answers are rounded to levels.

| Client | Name | Sector, size, region | Target | Intended profile | Base | Notable dimensions |
|---|---|---|---|---|---:|---|
{client_rows}

### Second assessments (March 2026)

| Client | Date | What changed |
|---|---|---|
{follow_up_rows}
"""


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|")


def readme_text(rubric: Rubric, tables: Mapping[str, pd.DataFrame]) -> str:
    """README.md for the folder, with row counts and the profile table."""
    own_client = next(c.client_id for c in CLIENTS if c.target_profile == OWN_TARGET_ID)
    forms_client = next(c.client_id for c in CLIENTS if c.forms_export)
    client_rows = []
    for c in CLIENTS:
        notable = ", ".join(
            f"{d} {v:g}" for d, v in c.levels.items() if d in rubric.dimension_table.index
        )
        target = tables["clients"].set_index("client_id").loc[c.client_id, "target_profile"]
        client_rows.append(
            f"| `{c.client_id}` | {_cell(c.name)} | {c.sector}, {c.size_band}, {c.region} | "
            f"{target or '(default)'} | {_cell(c.intent)} | {c.base:g} | {notable} |"
        )
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
        client_rows="\n".join(client_rows),
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
    args = parser.parse_args(argv)

    rubric = load_rubric(args.rubric)
    ignored = ignored_dimension_ids(rubric)
    if ignored:
        print(f"note: rubric has no dimension(s) {ignored}; profiles ignore them", file=sys.stderr)

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
    write_csv(tables["clients"], out / "clients.csv")
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
    (out / "README.md").write_text(readme_text(rubric, tables), encoding="utf-8", newline="\n")

    for name in (
        "clients.csv",
        "answers.csv",
        "answers_forms_export.csv",
        "peers.csv",
        "targets.csv",
        "README.md",
    ):
        path = out / name
        print(f"{path}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
