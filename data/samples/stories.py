"""The twelve fictitious clients of the sample portfolio: who they are and what their story is.

Every organisation, person and number here is invented.  ``generate.py`` turns these stories
into answer files; ``tests/samples/test_stories.py`` checks that the scores tell the same
stories.  A story is written in four layers, each on the packaged rubric's 1..5 scale:

* ``base`` and ``levels``: the latent maturity of each dimension (the broad picture);
* ``practices``: the latent level of single indicators where the story is about one practice
  (a bank whose *approvals* are slow although its governance is strong) -- a dimension level
  alone would let the practice drift with its neighbours;
* ``care``: the five care-desk facts the rubric's ``team_capacity_ratio`` is computed from,
  which also set the ``care_coverage`` practice (the rota *is* the coverage);
* ``not_applicable``: indicators whose ``na_when`` holds for the client, with the reason.

Respondents' roles are spellings the rubric recognises, so everyone is asked only what their
role is asked; ``unasked`` documents the one client whose roster leaves a question unasked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Care:
    """The care desk's facts in one assessment (the rubric's five ``care_*`` facts)."""

    messages_per_day: float  # actionable messages a day, all channels
    hours_per_week: float  # hours someone is on duty (office hours when nobody is)
    languages: int  # languages answered
    promise_minutes: float  # promised first reply (60 when nothing is promised)
    fte: float  # people answering today, in FTE
    on_duty: bool = True  # False: nobody is assigned; messages are seen by chance

    @property
    def coverage_level(self) -> float:
        """The ``care_coverage`` level the rota amounts to (the rubric's descriptors)."""
        if not self.on_duty:
            return 1.0  # "nobody is assigned to watch the accounts"
        if self.hours_per_week >= 168:
            return 5.0  # round the clock
        if self.hours_per_week >= 84:
            return 4.0  # seven days, at least twelve hours a day
        if self.hours_per_week > 50:
            return 3.0  # extended hours, weekend checks
        return 2.0  # working days, office hours


@dataclass(frozen=True)
class FollowUp:
    """A second assessment about a year later."""

    date: str
    story: str
    change: Mapping[str, float]  # per-dimension change of latent maturity
    overall: float = 0.0  # change applied to every dimension
    practices: Mapping[str, float] = field(default_factory=dict)  # new indicator levels
    team: Sequence[tuple[str, str]] | None = None  # None = the same people
    care: Care | None = None  # None = the same care desk


@dataclass(frozen=True)
class Client:
    """A fictitious client and the story its answers are drawn from."""

    client_id: str
    name: str
    sector: str
    size_band: str
    employees: int
    region: str
    target_profile: str  # "" = the sector's default profile
    intent: str
    base: float  # latent maturity of every dimension not listed in ``levels``
    levels: Mapping[str, float]
    practices: Mapping[str, float]
    care: Care
    evidence: float  # how often the client can show a document where the rubric asks for one
    team: Sequence[tuple[str, str]]  # (respondent, role); ties between equal roles: this order
    date: str
    follow_up: FollowUp | None = None
    not_applicable: Mapping[str, str] = field(default_factory=dict)
    forms_export: bool = False
    unasked: str = ""  # why the roster leaves a question unasked, when it does on purpose
    evidence_story: str = ""  # what its documents (or their absence) show under --evidence cap


# Role spellings, each one the rubric recognises (its role names and aliases).
HEAD = "Head of social media"
COMMUNITY = "Community manager"
CONTENT = "Content lead"
CARE = "Customer care lead"
ANALYST = "Social media analyst"
MARKETING = "Marketing director"
MARKETING_MANAGER = "Marketing manager"
COMMS = "Communications manager"
COMPLIANCE = "Digital compliance officer"
DPO = "Data protection officer"
FINANCE = "Finance manager"
IT = "IT manager"

C01 = Client(
    "c01-fanous-souq",
    "Fanous Souq Retail",
    "retail",
    "large",
    3_500,
    "Saudi Arabia",
    "consumer_brand",
    "Strong content, no crisis plan, slow customer care: a fifth of the care staff it needs",
    base=2.6,
    levels={"content": 4.3, "crisis": 1.0, "care": 1.6, "insight": 2.3, "tooling": 3.0},
    practices={
        "crisis_plan": 1.0,
        "crisis_holding_response_hours": 1.0,
        "care_first_response_hours": 1.2,
        "care_response_rate_pct": 2.0,
    },
    care=Care(620, 45, 2, 60, 3.5),
    evidence=0.7,
    team=[
        ("Layla H.", HEAD),
        ("Omar K.", COMMUNITY),
        ("Dana R.", CONTENT),
        ("Sami F.", CARE),
        ("Huda M.", MARKETING),
        ("Nawaf A.", IT),
    ],
    date="2025-03-04",
    follow_up=FollowUp(
        "2026-03-03",
        "wrote and rehearsed a crisis plan; staffed care seven days a week into the evening",
        change={"crisis": 2.0, "care": 1.3, "governance": 0.4},
        overall=0.15,
        practices={
            "crisis_plan": 4.0,
            "crisis_holding_response_hours": 3.6,
            "care_first_response_hours": 3.0,
            "care_response_rate_pct": 3.4,
        },
        team=[
            ("Layla H.", HEAD),
            ("Omar K.", COMMUNITY),
            ("Dana R.", CONTENT),
            ("Rami J.", CARE),
            ("Huda M.", MARKETING),
            ("Nawaf A.", IT),
        ],
        care=Care(620, 84, 2, 60, 13.0),
    ),
)

C02 = Client(
    "c02-wadi-kharaz",
    "مصنع وادي الخرز للحديد",
    "manufacturing",
    "small",
    60,
    "Egypt",
    "b2b_sme",
    'Still "2007": nearly every dimension at level 1; the sales coordinator posts when she can',
    base=1.05,
    levels={"strategy": 1.2, "content": 1.3, "budget": 1.0},
    practices={"insight_language_coverage": 1.0},
    care=Care(8, 40, 1, 60, 0.1, on_duty=False),
    evidence=0.0,
    team=[
        ("Karim A.", MARKETING_MANAGER),
        ("Mona S.", COMMUNITY),
        ("Adel N.", "General manager"),
    ],
    date="2025-03-05",
    unasked=(
        "nobody in IT, legal or data took part, so governance_data_protection was asked of "
        "nobody: the loader warns, and the indicator is 'not asked'"
    ),
)

C03 = Client(
    "c03-dalia-clinics",
    "Dalia Bloom Clinics",
    "healthcare",
    "medium",
    600,
    "Jordan",
    "c03-own",
    "Strong, fully staffed care, but nothing is measured; uses its own target profile",
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
    practices={
        "care_first_response_hours": 4.2,
        "care_response_rate_pct": 4.6,
        "crisis_plan": 3.4,
    },
    care=Care(180, 84, 2, 60, 6.5),
    evidence=0.8,
    team=[
        ("Rania T.", HEAD),
        ("Yousef B.", CARE),
        ("Salma D.", CONTENT),
        ("Fadi Z.", COMMS),
        ("Hiba M.", MARKETING_MANAGER),
        ("Noor S.", DPO),
    ],
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
            ("Hiba M.", MARKETING_MANAGER),
            ("Noor S.", DPO),
            ("Lina Q.", "Data analyst"),
        ],
    ),
)

C04 = Client(
    "c04-sawsan-bank",
    "Sawsan Capital Bank (بنك سوسن كابيتال)",
    "banking",
    "enterprise",
    12_000,
    "United Arab Emirates",
    "regulated_enterprise",
    "Strong governance and crisis readiness, but slow approvals stall content and care; the "
    "desk is staffed round the clock, yet every reply waits for compliance",
    base=2.8,
    levels={
        "governance": 4.6,
        "crisis": 3.9,
        "tooling": 3.5,
        "strategy": 3.2,
        "content": 1.7,
        "care": 2.0,
        "advocacy": 1.4,
    },
    practices={
        "governance_approval": 1.3,
        "content_cadence_adherence_pct": 1.2,
        "care_first_response_hours": 1.8,
    },
    care=Care(1200, 168, 2, 60, 32.0),
    evidence=0.95,
    team=[
        ("Tariq M.", HEAD),
        ("Mariam E.", COMPLIANCE),
        ("Ziad H.", CONTENT),
        ("Reem A.", CARE),
        ("Bilal S.", ANALYST),
        ("Noura K.", COMMS),
        ("Khalid F.", "Head of marketing"),
    ],
    date="2025-03-11",
    follow_up=FollowUp(
        "2026-03-16",
        "pre-approved content templates and a fast-track approval lane",
        change={"content": 1.4, "care": 0.8},
        overall=0.1,
        practices={
            "governance_approval": 4.2,
            "content_cadence_adherence_pct": 3.6,
            "care_first_response_hours": 3.6,
        },
        team=[
            ("Tariq M.", HEAD),
            ("Mariam E.", COMPLIANCE),
            ("Ziad H.", CONTENT),
            ("Reem A.", CARE),
            ("Noura K.", COMMS),
            ("Khalid F.", "Head of marketing"),
        ],
    ),
)

C05 = Client(
    "c05-nayzak-mobile",
    "Nayzak Mobile",
    "telecom",
    "enterprise",
    15_000,
    "Qatar",
    "modern",
    "Modern leader: 4.5+ almost everywhere, and a document for nearly every claim",
    base=4.7,
    levels={"budget": 4.5, "advocacy": 4.5, "measurement": 4.9, "care": 4.8},
    practices={},
    care=Care(3000, 168, 3, 30, 96.0),
    evidence=0.97,
    team=[
        ("Hala S.", HEAD),
        ("Khaled R.", ANALYST),
        ("Dina F.", CONTENT),
        ("Majed O.", CARE),
        ("Yara N.", MARKETING),
    ],
    date="2025-03-12",
    evidence_story=(
        "a document for nearly every claim: under `--evidence cap` its index barely moves"
    ),
)

C06 = Client(
    "c06-ras-qamar-tourism",
    "هيئة رأس قمر للسياحة",
    "government",
    "large",
    1_800,
    "Morocco",
    "",
    "Public body: crisis-ready and well governed, little advocacy, budget or tooling; "
    "tourists' questions wait for office hours",
    base=2.3,
    levels={
        "crisis": 3.5,
        "governance": 3.1,
        "care": 1.8,
        "advocacy": 1.2,
        "budget": 1.6,
        "tooling": 1.7,
        "measurement": 1.8,
    },
    practices={"crisis_plan": 4.0},
    care=Care(300, 45, 3, 60, 2.0),
    evidence=0.6,
    team=[
        ("Samira B.", HEAD),
        ("Nabil E.", "Head of communications"),
        ("Youssef A.", COMMUNITY),
        ("Karima D.", "Financial controller"),
        ("Hamza R.", IT),
    ],
    date="2025-03-17",
)

C07 = Client(
    "c07-yasmeen-ridge-school",
    "Yasmeen Ridge International School",
    "education",
    "medium",
    420,
    "Kuwait",
    "",
    "Parents and teachers as advocates (teachers really share), content fine, no budget line "
    "or measurement; held to the public-body profile, its missing crisis plan is the top gap",
    base=2.0,
    levels={
        "advocacy": 3.6,
        "content": 3.1,
        "budget": 1.3,
        "measurement": 1.5,
        "tooling": 1.5,
        "crisis": 1.3,
    },
    practices={"advocacy_active_pct": 4.6, "budget_share_pct": 1.0, "crisis_plan": 1.0},
    care=Care(60, 45, 2, 240, 1.0),
    evidence=0.4,
    team=[
        ("Farah J.", COMMS),
        ("Maya G.", CONTENT),
        ("Hani W.", MARKETING_MANAGER),
        ("Bader K.", IT),
    ],
    date="2025-03-18",
)

C08 = Client(
    "c08-layali-tamar-hotels",
    "Layali Tamar Hotels",
    "hospitality",
    "large",
    4_000,
    "United Arab Emirates",
    "consumer_brand",
    "Good care and content on a thin team and crisis plan; improves across the board",
    base=2.9,
    levels={
        "care": 3.9,
        "content": 3.7,
        "insight": 3.2,
        "measurement": 3.0,
        "team": 2.4,
        "crisis": 2.2,
        "governance": 2.3,
        "budget": 2.0,
    },
    practices={},
    care=Care(500, 84, 3, 30, 7.0),
    evidence=0.75,
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
        "new social-media budget line and eight more care agents; crisis playbook and "
        "governance reviewed",
        change={"budget": 1.5, "crisis": 0.6, "governance": 0.5},
        overall=0.7,
        care=Care(500, 84, 3, 30, 15.0),
    ),
)

C09 = Client(
    "c09-dhow-axis-logistics",
    "Dhow Axis Logistics",
    "logistics",
    "medium",
    700,
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
    practices={"strategy_documented": 3.6, "tooling_stack": 1.3},
    care=Care(25, 40, 3, 60, 0.2, on_duty=False),
    evidence=0.5,
    team=[
        ("Amir D.", MARKETING),
        ("Lama S.", CONTENT),
        ("George H.", "HR manager"),
        ("Rita K.", IT),
    ],
    date="2025-03-24",
)

C10 = Client(
    "c10-bustan-amber-foods",
    "Bustan Amber Foods (بستان العنبر للأغذية)",
    "fmcg",
    "large",
    5_000,
    "Egypt",
    "consumer_brand",
    "Solid consumer brand that regresses a year later after losing its lead, its analyst and "
    "its agency's care agents",
    base=3.1,
    levels={"content": 3.7, "care": 3.3, "crisis": 2.0, "measurement": 2.6},
    practices={},
    care=Care(900, 84, 2, 60, 22.0),
    evidence=0.6,
    team=[
        ("Mostafa G.", HEAD),
        ("Aya N.", COMMUNITY),
        ("Hossam E.", CONTENT),
        ("Shereen T.", CARE),
        ("Menna R.", ANALYST),
        ("Tamer S.", MARKETING),
        ("Ahmed F.", IT),
    ],
    date="2025-03-25",
    follow_up=FollowUp(
        "2026-03-24",
        "regression: the lead and the analyst left, the agency contract (and its care agents) "
        "ended",
        change={"team": -1.3, "content": -1.1, "care": -1.0, "insight": -0.6},
        overall=-0.3,
        team=[
            ("Aya N.", f"{HEAD} (acting)"),
            ("Hossam E.", CONTENT),
            ("Shereen T.", CARE),
            ("Tamer S.", MARKETING),
            ("Ahmed F.", IT),
        ],
        care=Care(900, 84, 2, 60, 7.0),
    ),
)

C11 = Client(
    "c11-waddah-lane-pay",
    "Waddah Lane Payments",
    "fintech",
    "small",
    140,
    "Saudi Arabia",
    "regulated_enterprise",
    "Digital native: strong content, tooling and data, weak governance and crisis; moves "
    "fast and writes little down, so --evidence cap strips its high levels",
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
    practices={},
    care=Care(250, 84, 2, 60, 4.0),
    evidence=0.1,
    team=[
        ("Faisal Q.", HEAD),
        ("Joud M.", CONTENT),
        ("Abdullah R.", "Compliance officer"),
        ("Lulwa A.", "Head of marketing"),
        ("Saad T.", "Data analyst"),
    ],
    date="2025-03-26",
    evidence_story=(
        "high levels claimed with a document for one practice in ten: under `--evidence cap` "
        "its index falls the most of the portfolio"
    ),
)

C12 = Client(
    "c12-jasmine-bridges",
    "مؤسسة جسور الياسمين (Jasmine Bridges Foundation)",
    "nonprofit",
    "small",
    12,
    "Lebanon",
    "",
    "Volunteer advocacy, no budget or tooling; volunteers answer messages when they can, so "
    "care is the top gap; answers arrive as a Forms export",
    base=1.9,
    levels={
        "advocacy": 4.0,
        "content": 2.7,
        "budget": 1.0,
        "tooling": 1.3,
        "measurement": 1.4,
        "team": 1.6,
    },
    practices={},
    care=Care(40, 40, 2, 60, 0.3, on_duty=False),
    evidence=0.3,
    team=[
        ("Maya K.", COMMS),
        ("Elie S.", COMMUNITY),
        ("Rola H.", CONTENT),
        ("Tony B.", FINANCE),
        ("Nadine F.", "Legal counsel"),
    ],
    date="2025-03-27",
    not_applicable={
        "advocacy_active_pct": (
            "12 employees, so a share of staff means little; our advocates are 40 volunteers."
        ),
        "content_paid_influencer": (
            "Our charter forbids spending donations on advertising or on paid influencers."
        ),
    },
    forms_export=True,
)

CLIENTS: tuple[Client, ...] = (C01, C02, C03, C04, C05, C06, C07, C08, C09, C10, C11, C12)

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
