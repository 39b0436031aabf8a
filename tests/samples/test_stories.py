"""The sample portfolio tells each client's story (``data/samples/stories.py``).

Each test states what one client's story promises and reads it off the scores of the shipped
files: its level, where its gaps are, what changed between its two assessments, its care desk
(``team_capacity_ratio``), and what is there on purpose (the question nobody was asked, the
evidence cap, not applicable).  The expectations are written from the stories, not copied from
the scores, so they fail when the generator or the rubric drifts away from a story.  The last
tests check that the files are what ``generate.py`` writes today.
"""

from __future__ import annotations

import filecmp
import subprocess
import sys
from dataclasses import dataclass

import pandas as pd
import pytest
from helpers import SAMPLES

from assessment import load_answers, load_clients, load_rubric, load_targets, score
from assessment.rubric import Rubric
from assessment.scoring import ScoreResult

FIRST, LAST = 0, -1  # an assessment by position among a client's dates


@dataclass
class Portfolio:
    """The sample portfolio, loaded and scored as ``maturity score --samples`` does."""

    rubric: Rubric
    answers: pd.DataFrame
    clients: pd.DataFrame
    result: ScoreResult  # evidence trusted (the default)
    capped: ScoreResult  # --evidence cap

    def dates(self, client: str) -> list[str]:
        return sorted(self.result.overall.loc[self.result.overall["client_id"] == client, "date"])

    def overall(self, client: str, which: int = LAST) -> pd.Series:
        ov = self.result.overall
        return ov.loc[(ov["client_id"] == client) & (ov["date"] == self.dates(client)[which])].iloc[
            0
        ]

    def dims(self, client: str, which: int = LAST) -> pd.Series:
        """Dimension scores of one assessment, by dimension id."""
        d = self.result.dimensions
        rows = d.loc[(d["client_id"] == client) & (d["date"] == self.dates(client)[which])]
        return rows.set_index("dimension_id")["score"]

    def summary(self, client: str, which: int = LAST) -> pd.Series:
        """``ScoreResult.summary()`` of one assessment (top gap and its ties)."""
        return self.result.client(client, self.dates(client)[which]).summary().iloc[0]

    def ranked(self, client: str, which: int = LAST) -> list[str]:
        """Dimensions by priority rank, highest first (shared ranks in the documented order)."""
        d = self.result.dimensions
        rows = d.loc[(d["client_id"] == client) & (d["date"] == self.dates(client)[which])]
        return list(rows.sort_values(["priority_rank", "order"])["dimension_id"])

    def indicator(self, client: str, indicator_id: str, which: int = LAST) -> pd.Series:
        i = self.result.indicators
        rows = i.loc[
            (i["client_id"] == client)
            & (i["date"] == self.dates(client)[which])
            & (i["indicator_id"] == indicator_id)
        ]
        return rows.iloc[0]

    def ratio(self, client: str, which: int = LAST) -> float:
        return float(self.indicator(client, "team_capacity_ratio", which)["value"])

    def change(self, client: str) -> pd.Series:
        """Dimension scores, second assessment minus first."""
        return self.dims(client, LAST) - self.dims(client, FIRST)


@pytest.fixture(name="p", scope="module")
def fixture_portfolio() -> Portfolio:
    rubric = load_rubric("social-media")
    targets = load_targets(SAMPLES / "targets.csv", rubric)
    clients = load_clients(SAMPLES / "clients.csv", rubric, targets=targets)
    answers = load_answers(
        [SAMPLES / "answers.csv", SAMPLES / "answers_forms_export.csv"], rubric, clients=clients
    )
    kwargs = {"clients": clients, "targets": targets}
    return Portfolio(
        rubric,
        answers,
        clients,
        score(rubric, answers, **kwargs),
        score(rubric, answers, evidence="cap", **kwargs),
    )


def _weakest(scores: pd.Series, k: int) -> set[str]:
    return set(scores.nsmallest(k).index)


def _strongest(scores: pd.Series, k: int) -> set[str]:
    return set(scores.nlargest(k).index)


# -- the clients, one story each --------------------------------------------------------------


def test_c01_strong_content_no_crisis_plan_slow_care_then_fixes_both(p: Portfolio) -> None:
    c = "c01-fanous-souq"
    first = p.dims(c, FIRST)
    assert _strongest(first, 1) == {"content"}
    assert p.indicator(c, "crisis_plan", FIRST)["level"] == 1
    assert first["crisis"] < 2  # no plan: the gate holds crisis below level 3, and more
    assert p.summary(c, FIRST)["top_gap"] == "care"
    assert "crisis" in p.ranked(c, FIRST)[:2]
    assert p.ratio(c, FIRST) < 0.25  # a fifth of the people its promise needs
    assert p.indicator(c, "care_coverage", FIRST)["level"] == 2  # office hours only
    # A year later: a rehearsed crisis plan and care staffed into the evenings.
    change = p.change(c)
    assert change["crisis"] >= 1.5
    assert change["care"] >= 1.0
    assert p.indicator(c, "crisis_plan")["level"] >= 3
    assert p.indicator(c, "care_coverage")["level"] == 4
    assert 0.5 <= p.ratio(c) < 0.8
    assert p.overall(c)["index"] - p.overall(c, FIRST)["index"] >= 10


def test_c02_still_2007(p: Portfolio) -> None:
    c = "c02-wadi-kharaz"
    o = p.overall(c)
    assert o["level"] == 1
    assert o["count_2007"] >= len(p.rubric.dimensions) - 1  # nearly every dimension
    assert o["index"] < 10
    assert p.ratio(c) < 0.25
    assert p.indicator(c, "insight_language_coverage")["level"] == 1  # Arabic only
    # b2b_sme aims at 3 everywhere: strategy and team carry the same priority, a shared rank.
    s = p.summary(c)
    assert (s["target_profile"], s["top_gap"]) == ("b2b_sme", "strategy")
    assert "team" in s["top_gap_ties"].split(",")


def test_c02_shows_the_question_nobody_was_asked(p: Portfolio) -> None:
    warnings = p.answers.attrs["warnings"]
    assert len(warnings) == 1, "only c02's roster leaves a question unasked, on purpose"
    assert warnings[0].startswith("c02-wadi-kharaz on 2025-03-05: nobody was asked")
    assert "governance_data_protection" in warnings[0]
    ind = p.result.indicators
    assert set(ind.loc[ind["status"] == "not_asked", "client_id"]) == {"c02-wadi-kharaz"}
    assert p.indicator("c02-wadi-kharaz", "governance_data_protection")["status"] == "not_asked"


def test_c03_strong_care_nothing_measured_then_a_dashboard(p: Portfolio) -> None:
    c = "c03-dalia-clinics"
    first = p.dims(c, FIRST)
    assert p.summary(c, FIRST)["target_profile"] == "c03-own"
    assert _strongest(first, 1) == {"care"}
    assert first["care"] >= 4
    assert first["measurement"] == 1.0
    assert p.summary(c, FIRST)["top_gap"] == "measurement"
    assert p.ratio(c, FIRST) >= 1.0  # a fully staffed desk
    # A year later: an analyst and a monthly dashboard.
    change = p.change(c)
    assert change["measurement"] >= 1.0
    assert change["insight"] > 0
    assert change["tooling"] > 0
    assert p.summary(c)["top_gap"] != "measurement"
    assert p.dims(c)["care"] >= 4
    assert p.overall(c)["index"] > p.overall(c, FIRST)["index"]


def test_c04_strong_governance_slow_approvals_then_a_fast_lane(p: Portfolio) -> None:
    c = "c04-sawsan-bank"
    first = p.dims(c, FIRST)
    assert _strongest(first, 2) == {"governance", "crisis"}
    assert p.indicator(c, "governance_approval", FIRST)["level"] <= 2
    for other in ("governance_policy", "governance_org_model", "governance_data_protection"):
        assert p.indicator(c, other, FIRST)["level"] >= 4
    # Approvals stall content and care, not a lack of people: the desk is staffed.
    assert p.ratio(c, FIRST) >= 0.8
    assert p.indicator(c, "care_first_response_hours", FIRST)["level"] <= 2
    assert p.indicator(c, "content_cadence_adherence_pct", FIRST)["level"] <= 2
    assert p.summary(c, FIRST)["top_gap"] == "care"
    assert "content" in p.ranked(c, FIRST)[:3]
    # A year later: pre-approved templates and a fast-track lane.
    assert p.indicator(c, "governance_approval")["level"] >= 4
    assert p.indicator(c, "care_first_response_hours")["level"] >= 3
    change = p.change(c)
    assert change["content"] >= 0.8
    assert change["care"] >= 0.5
    assert p.summary(c)["top_gap"] not in {"care", "content"}
    assert p.overall(c)["index"] > p.overall(c, FIRST)["index"]


def test_c05_modern_leader_with_its_documents(p: Portfolio) -> None:
    c = "c05-nayzak-mobile"
    o = p.overall(c)
    assert o["level"] >= 4
    assert o["index"] >= 85
    assert o["weakest_link"] >= 4
    assert p.ratio(c) >= 1.0
    capped = p.capped.overall.set_index("client_id").loc[c, "index"]
    assert o["index"] - capped < 2, "a document for nearly every claim"


def test_c06_public_body_crisis_ready_and_governed_tourists_wait(p: Portfolio) -> None:
    c = "c06-ras-qamar-tourism"
    assert p.clients.set_index("client_id").loc[c, "target_profile"] == ""
    s = p.summary(c)
    assert s["target_profile"] == "public_body"  # the government sector's default
    assert _strongest(p.dims(c), 2) == {"crisis", "governance"}
    assert _weakest(p.dims(c), 1) == {"advocacy"}
    assert "budget" in _weakest(p.dims(c), 3)
    assert s["top_gap"] == "care"
    assert p.ratio(c) < 0.25
    assert p.indicator(c, "care_coverage")["level"] <= 2  # office hours at best


def test_c07_school_with_advocates_and_no_crisis_plan(p: Portfolio) -> None:
    c = "c07-yasmeen-ridge-school"
    s = p.summary(c)
    assert s["target_profile"] == "public_body"  # the education sector's default
    assert _strongest(p.dims(c), 2) == {"advocacy", "content"}
    assert {"budget", "measurement"} <= _weakest(p.dims(c), 3)
    assert s["top_gap"] == "crisis"
    # 420 staff: the share of employees sharing is a real figure, never "not applicable".
    active = p.indicator(c, "advocacy_active_pct")
    assert active["status"] == "answered"
    assert active["level"] >= 4


def test_c08_thin_team_and_crisis_plan_then_better_everywhere(p: Portfolio) -> None:
    c = "c08-layali-tamar-hotels"
    first = p.dims(c, FIRST)
    assert _strongest(first, 2) == {"care", "content"}
    assert p.summary(c, FIRST)["top_gap"] == "crisis"
    assert "team" in p.ranked(c, FIRST)[:2]
    assert 0.25 <= p.ratio(c, FIRST) < 0.5
    # A year later: a budget line, more agents, a crisis playbook, governance reviewed.
    change = p.change(c)
    assert (change > 0).all(), change[change <= 0]
    assert change["budget"] >= 1.0
    assert p.overall(c)["level"] > p.overall(c, FIRST)["level"]
    assert p.overall(c)["index"] - p.overall(c, FIRST)["index"] >= 15
    assert p.ratio(c) >= 0.8


def test_c09_b2b_strategy_and_advocacy_care_neglected(p: Portfolio) -> None:
    c = "c09-dhow-axis-logistics"
    d = p.dims(c)
    assert _strongest(d, 2) == {"strategy", "advocacy"}
    assert p.indicator(c, "strategy_documented")["level"] >= 3  # clear, written strategy
    assert _weakest(d, 1) == {"care"}
    assert d["tooling"] < 3  # below its b2b_sme target
    assert p.summary(c)["top_gap"] == "care"
    assert p.ratio(c) < 0.25
    assert p.indicator(c, "care_coverage")["level"] == 1  # nobody watches the accounts


def test_c10_solid_brand_regresses_after_losing_its_people(p: Portfolio) -> None:
    c = "c10-bustan-amber-foods"
    assert p.overall(c, FIRST)["level"] == 3
    assert p.overall(c)["level"] < p.overall(c, FIRST)["level"]
    assert p.overall(c, FIRST)["index"] - p.overall(c)["index"] >= 10
    change = p.change(c)
    assert change["team"] <= -1.0
    for dim in ("content", "care", "insight"):
        assert change[dim] < 0, dim
    assert p.ratio(c, FIRST) >= 0.8
    assert p.ratio(c) < 0.5  # the agency's care agents are gone
    assert p.summary(c)["top_gap"] in {"crisis", "care"}


def test_c11_digital_native_weak_governance_and_crisis_few_documents(p: Portfolio) -> None:
    c = "c11-waddah-lane-pay"
    d = p.dims(c)
    assert _strongest(d, 4) == {"tooling", "content", "insight", "measurement"}
    assert _weakest(d, 2) == {"governance", "crisis"}
    assert set(p.ranked(c)[:2]) == {"crisis", "governance"}
    assert p.summary(c)["top_gap"] == "crisis"
    assert 0.25 <= p.ratio(c) < 0.5


def test_c11_shows_what_the_evidence_cap_does(p: Portfolio) -> None:
    trusted = p.result.latest().set_index("client_id")["index"]
    capped = p.capped.latest().set_index("client_id")["index"]
    drop = trusted - capped
    assert (drop >= -1e-9).all(), "the cap can only lower a score"
    assert drop.idxmax() == "c11-waddah-lane-pay"
    assert drop["c11-waddah-lane-pay"] >= 10
    ind = p.capped.indicators
    mine = ind.loc[ind["client_id"] == "c11-waddah-lane-pay"]
    assert mine["evidence_capped"].sum() >= 10


def test_c12_volunteers_advocate_care_waits_and_two_questions_do_not_apply(
    p: Portfolio,
) -> None:
    c = "c12-jasmine-bridges"
    s = p.summary(c)
    assert s["target_profile"] == "nonprofit"  # the nonprofit sector's default
    assert s["level"] == 1
    assert _strongest(p.dims(c), 1) == {"advocacy"}
    assert p.dims(c)["advocacy"] >= 3.5
    assert {"budget", "tooling"} <= _weakest(p.dims(c), 3)
    assert s["top_gap"] == "care"
    assert p.ratio(c) < 0.25
    # 12 employees (na_when: fewer than about 20), and a charter that forbids paid promotion.
    assert p.indicator(c, "advocacy_active_pct")["status"] == "na"
    assert p.indicator(c, "content_paid_influencer")["status"] == "na"


# -- the portfolio as a whole -----------------------------------------------------------------


def test_not_applicable_only_where_a_story_says_so(p: Portfolio) -> None:
    na = p.answers.loc[p.answers["is_na"]]
    pairs = set(zip(na["client_id"].astype(str), na["indicator_id"].astype(str), strict=True))
    assert pairs == {
        ("c12-jasmine-bridges", "advocacy_active_pct"),
        ("c12-jasmine-bridges", "content_paid_influencer"),
    }


def test_everyone_is_asked_only_what_their_role_is_asked(p: Portfolio) -> None:
    a = p.answers
    assert (a["role_id"] != "").all(), "every role is a spelling the rubric recognises"
    asked_of = {i.id: set(i.asked_of) for _, i in p.rubric.iter_indicators()}
    asked_of |= {f.id: set(f.asked_of) for f in p.rubric.facts}
    assert all(
        role in asked_of[item]
        for role, item in zip(a["role_id"], a["indicator_id"].astype(str), strict=True)
    )
    single = a["kind"].isin(["measured", "fact"])
    assert not a.loc[single].duplicated(["client_id", "date", "indicator_id"]).any()


def test_every_assessment_reports_its_care_desk(p: Portfolio) -> None:
    facts = p.answers.loc[p.answers["kind"] == "fact"]
    per_assessment = facts.groupby(["client_id", "date"], observed=True)["indicator_id"].nunique()
    assert len(per_assessment) == len(p.result.overall)
    assert (per_assessment == len(p.rubric.facts)).all()
    # The care lead gives the care figures wherever there is one.
    with_care_lead = p.answers.groupby(["client_id", "date"], observed=True)["role_id"].agg(set)
    for (client, date), roles in with_care_lead.items():
        reporters = facts.loc[(facts["client_id"] == client) & (facts["date"] == date), "role_id"]
        assert set(reporters) == {"care_lead" if "care_lead" in roles else "social_lead"}
    assert (
        p.result.indicators.loc[
            p.result.indicators["indicator_id"] == "team_capacity_ratio", "status"
        ]
        .eq("answered")
        .all()
    )


def test_clients_table_matches_the_latest_care_desk(p: Portfolio) -> None:
    facts = p.answers.loc[p.answers["kind"] == "fact"]
    latest = facts.loc[
        facts["date"] == facts.groupby("client_id", observed=True)["date"].transform("max")
    ]
    value = latest.pivot_table(
        index="client_id", columns="indicator_id", values="number", observed=True
    )
    table = p.clients.set_index("client_id")
    pd.testing.assert_series_equal(
        pd.to_numeric(table["messages_per_day"]),
        value["care_messages_per_day"].reindex(table.index),
        check_names=False,
        check_dtype=False,
    )
    pd.testing.assert_series_equal(
        pd.to_numeric(table["social_fte"]),
        value["care_fte_current"].reindex(table.index),
        check_names=False,
        check_dtype=False,
    )


def test_some_answers_cite_documents_more_often_at_high_levels(p: Portfolio) -> None:
    a = p.answers.loc[p.answers["kind"] == "anchored"]
    cited = a["evidence"] != ""
    assert cited.any()
    assert cited[a["number"] >= 4].mean() > 2 * cited[a["number"] <= 2].mean()
    assert not cited[a["number"] == 1].any()


# -- the files are what the generator writes --------------------------------------------------


@pytest.mark.slow
def test_the_files_are_what_generate_writes(tmp_path) -> None:
    run = subprocess.run(
        [sys.executable, str(SAMPLES / "generate.py"), "--out", str(tmp_path), "-q"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    names = [
        "README.md",
        "answers.csv",
        "answers_forms_export.csv",
        "clients.csv",
        "peers.csv",
        "targets.csv",
    ]
    _, mismatch, errors = filecmp.cmpfiles(SAMPLES, tmp_path, names, shallow=False)
    assert (mismatch, errors) == ([], []), "regenerate: python data/samples/generate.py"
