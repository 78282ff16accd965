"""The demo dossier says only what its source says.

Every quote and every locator of the demo's data file (`issues/demo/buenos-aires-2018.yaml`)
is checked against the article itself, read from `../shared/seed/` beside the project (the
text is not part of the project; where that folder is absent these checks are skipped, and
say so); then the database the file loads into is checked to hold what the file says.

How paragraphs are numbered (as in the data file and the README): the article's lines of
text from its title to the licence notice ("Creative Commons"), keeping only paragraphs of
twenty words or more. That leaves, in order: 1 the standfirst, 2 the introduction,
3 Ukraine, 4 Arms control, 5 Election meddling, 6 Syria and Iran, 7 The Bottom Line.
Headings and the "More on" lists are shorter; the photo caption is printed twice (the
second time followed by its credit) and is cited as "photo caption", not as a paragraph.
"""

import os
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from issues.charts import stance_matrix
from issues.dossier.demo import DEMO_FILE
from issues.dossier.read import parse, records
from issues.lifecycle import meeting_state
from issues.models import (
    Analysis,
    DatePrecision,
    Event,
    EventCitation,
    Issue,
    Meeting,
    OutlookAssessment,
    Position,
    Scenario,
    Summit,
)

pytestmark = pytest.mark.django_db

# `SUMMIT_SEED_DIR` points elsewhere when the project is checked out somewhere else.
SEED_DIR = Path(
    os.environ.get("SUMMIT_SEED_DIR", Path(settings.BASE_DIR).parent / "shared" / "seed")
)
ARTICLE_PATH = SEED_DIR / "cfr-2018-11-trump-putin-g20.txt"


@pytest.fixture(scope="module")
def article() -> "Article":
    if not ARTICLE_PATH.exists():
        pytest.skip(
            f"SKIPPED: the source article is not at {ARTICLE_PATH} (../shared/seed/ beside "
            "the project, or SUMMIT_SEED_DIR), so the demo's quotes and locators cannot be "
            "checked here."
        )
    return Article(ARTICLE_PATH.read_text(encoding="utf-8"))


class Article:
    """The article's paragraphs, numbered as the dossier cites them, and its photo caption."""

    def __init__(self, text: str):
        lines = [line.strip() for line in text.splitlines()]
        body = lines[: lines.index("Creative Commons")]
        caption_lines = set()
        for number, line in enumerate(body[:-1]):
            following = body[number + 1]
            if line and following != line and following.startswith(line):
                caption_lines |= {number, number + 1}
        self.caption = " ".join(body[number] for number in sorted(caption_lines))
        self.paragraphs = [
            line
            for number, line in enumerate(body)
            if number not in caption_lines and len(line.split()) >= 20
        ]

    def at(self, locator: str) -> str:
        """The text a locator names: "para. 3", "paras. 5 and 6", "photo caption"."""
        if locator == "photo caption":
            return self.caption
        assert re.fullmatch(r"paras?\. \d+((, \d+)* and \d+)?", locator), locator
        return "\n".join(self.paragraphs[int(n) - 1] for n in re.findall(r"\d+", locator))


def test_the_article_is_numbered_as_the_dossier_cites_it(article):
    assert len(article.paragraphs) == 7
    assert article.paragraphs[0].startswith("The United States and Russia are at odds")
    assert [p.split(".")[0] for p in article.paragraphs[2:6]] == [
        "Ukraine",
        "Arms control",
        "Election meddling",
        "Syria and Iran",
    ]
    assert article.paragraphs[6].startswith("All these disagreements")
    assert "Helsinki" in article.caption
    assert all("Helsinki" not in paragraph for paragraph in article.paragraphs)


DOSSIER = parse(DEMO_FILE.read_bytes())
RECORDS = records(DOSSIER)

# The words of the article, at the locator the file gives, that tell each event and that
# each outlook assessment (by issue) and each scenario (para. 7) rests on: what they say is
# in the editors' words, so these are checked in their place.
EVENT_EVIDENCE = {
    "Helsinki summit": "meet at a Helsinki summit in July 2018",
    "Proposed U.S. withdrawal from the INF Treaty": "proposed withdrawal",
    "Bolton in Moscow": "his meetings in Moscow last month",
    "Pence and Putin in Singapore": "In a brief encounter with Putin in Singapore",
    "Russian attacks on Ukrainian naval ships off Crimea": (
        "this week’s Russian attacks on Ukrainian naval ships off Crimea"
    ),
    "New START would expire": "will otherwise expire in 2021",
}
ASSESSMENT_EVIDENCE = {
    "ukraine": "the recent surge of violence has made the issue impossible to avoid",
    "arms-control": "rhetoric on both sides remains contentious",
    "election-meddling": "it has to be raised in their meeting",
    "syria-and-iran": "will make working together more difficult",
}
SCENARIO_EVIDENCE = {
    "Concrete problem-solving": (
        "could conceivably encourage Trump and Putin to focus at last on concrete problem-solving"
    ),
    "Open competition": "they could also produce more open and explicit competition",
    "Estrangement": "accept estrangement as a fact of life",
    "Lip service without movement": "What is becoming less likely is a replay of previous meetings",
}


def file_states(kind: str) -> list[tuple[dict, dict]]:
    """(record, state) for every state, current and earlier, of the file's records of a kind."""
    return [(r.data, state) for r in RECORDS if r.kind == kind for state in r.states]


def test_every_quote_in_the_file_is_verbatim_at_its_locator(article):
    quoted = file_states("positions") + file_states("analyses")
    assert len(quoted) >= 13 + 16
    for _, state in quoted:
        assert state["quote"], state  # every position and analysis rests on the article's words
        assert state["quote"] in article.at(state["locator"]), (state["locator"], state["quote"])
        assert len(state["quote"].split()) <= 15, state["quote"]  # brief quotation only


def test_every_event_assessment_and_scenario_in_the_file_is_told_at_its_locator(article):
    events = file_states("events")
    assert {record["title"] for record, _ in events} == set(EVENT_EVIDENCE)
    for record, state in events:
        [citation] = state["sources"]
        assert EVENT_EVIDENCE[record["title"]] in article.at(citation["locator"]), record
    for issue in DOSSIER["issues"]:
        [assessment] = issue["assessments"]
        [citation] = assessment["sources"]
        assert ASSESSMENT_EVIDENCE[issue["slug"]] in article.at(citation["locator"]), issue
        for position in issue["positions"]:
            assert position["locator"] == citation["locator"], position["summary"]
    assert set(ASSESSMENT_EVIDENCE) == {issue["slug"] for issue in DOSSIER["issues"]}
    scenarios = file_states("scenarios")
    assert {record["title"] for record, _ in scenarios} == set(SCENARIO_EVIDENCE)
    for record, state in scenarios:
        assert SCENARIO_EVIDENCE[record["title"]] in article.at(state["locator"]), record


def test_every_locator_in_the_file_is_one_the_article_has(article):
    """Every locator of every state, citations included, names text of the article."""
    found = 0
    for record in RECORDS:
        for state in record.states:
            locators = [state.get("locator", "")]
            locators += [c.get("locator", "") for c in state.get("sources") or []]
            for locator in filter(None, locators):
                assert article.at(locator), (record.where, locator)
                found += 1
    assert found >= 13 + 16 + 6 + 4 + 4


def test_every_quote_is_verbatim_at_its_locator(article, demo):
    quoted = [
        *Position.objects.exclude(quote=""),
        *Analysis.objects.exclude(quote=""),
    ]
    assert len(quoted) == Position.objects.count() + Analysis.objects.count()  # all quoted
    for record in quoted:
        assert record.quote in article.at(record.locator), (record.locator, record.quote)
        assert len(record.quote.split()) <= 15, record.quote  # brief quotation only


def test_the_stored_locators_are_the_checked_ones(demo):
    """The database holds the file's quotes and locators, no others."""
    events = {r["title"]: s["sources"][0]["locator"] for r, s in file_states("events")}
    for citation in EventCitation.objects.select_related("event"):
        assert citation.locator == events[citation.event.title]
    issues = {i["slug"]: i["assessments"][0]["sources"][0]["locator"] for i in DOSSIER["issues"]}
    for assessment in OutlookAssessment.objects.select_related("issue"):
        assert assessment.citations.get().locator == issues[assessment.issue.slug]
    scenarios = {r["title"]: s["locator"] for r, s in file_states("scenarios")}
    assert dict(Scenario.objects.values_list("title", "locator")) == scenarios
    for kind, model in (("positions", Position), ("analyses", Analysis)):
        in_file = {(s["quote"], s["locator"]) for _, s in file_states(kind)}
        assert set(model.objects.values_list("quote", "locator")) == in_file, kind


def test_the_article_gives_no_day_so_the_dossier_gives_none(demo):
    """No date more precise than the article: months, years and periods in its words."""
    assert not Position.objects.filter(stated_on_precision=DatePrecision.DAY).exists()
    assert not Event.objects.filter(occurred_on_precision=DatePrecision.DAY).exists()
    assert Summit.objects.get().dates_precision == DatePrecision.PERIOD
    assert Meeting.objects.get().scheduled_on is None
    periods = set(Position.objects.values_list("stated_as", flat=True)) | set(
        Event.objects.values_list("occurred_as", flat=True)
    )
    assert periods == {
        "this week",
        "late October",
        "last month",
        "at the time of the article",
        "before the article, undated",
        "",  # the Helsinki summit (July 2018) and New START's expiry (2021)
    }


def test_the_dates_the_check_found_wrong_are_right(demo):
    attacks = Event.objects.get(title="Russian attacks on Ukrainian naval ships off Crimea")
    assert str(attacks.occurred) == "this week (November 2018)"
    assert not Event.objects.filter(title__icontains="Kerch").exists()  # never named
    helsinki = Event.objects.get(title="Helsinki summit")
    assert str(helsinki.occurred) == "July 2018"
    assert helsinki.citations.get().locator == "photo caption"
    assert str(Event.objects.get(title="New START would expire").occurred) == "2021"
    inf = Event.objects.get(title="Proposed U.S. withdrawal from the INF Treaty")
    assert inf.occurred.words == "before the article, undated"
    directive = Position.objects.get(leader__slug="donald-trump", issue__slug="election-meddling")
    assert directive.stated.words == "before the article, undated"
    agreement = Position.objects.get(quote="agreement to tighten coordination")
    bolton_in_moscow = Event.objects.get(title="Bolton in Moscow")
    assert agreement.stated == bolton_in_moscow.occurred  # "last month", as the event says
    pence = Position.objects.get(leader__slug="mike-pence")
    assert pence.stated.words == "before the article, undated"  # not "2018", not first


def test_no_position_is_the_articles_own_judgement(demo):
    """The author's judgements are analyses, attributed to the article, never a side's."""
    judgements = [
        "Senior U.S. officials have surely told Trump",
        "the first demand is a complete nonstarter",
        "he could use this directive to deflect questions about meddling",
        "may not have raised it in official discussions",
        "they will achieve little",
        "both sides may stop pretending to care",
        "have become more confrontational in recent weeks",
        "an increasingly distant goal",
    ]
    analyses = set(Analysis.objects.values_list("quote", flat=True))
    for judgement in judgements:
        assert judgement in analyses, judgement
        for position in Position.objects.all():
            words = f"{position.summary} {position.quote}".lower()
            assert judgement.lower() not in words, position
    for position in Position.objects.all():
        assert "surely" not in position.summary and "nonstarter" not in position.summary
        assert "article" not in position.speaker.lower(), position
    assert set(Analysis.objects.values_list("author", flat=True)) == {
        "The article's author (not named in the text)"
    }


def test_the_three_omissions_are_recorded_as_the_meetings_analysis(demo):
    meeting = Meeting.objects.get()
    on_the_meeting = Analysis.objects.filter(meeting=meeting, issue__isnull=True)
    assert {(a.locator, a.quote) for a in on_the_meeting} >= {
        ("para. 2", "have become more confrontational in recent weeks"),
        ("para. 7", "they will achieve little"),
        ("para. 7", "both sides may stop pretending to care"),
    }


def test_the_administration_is_not_shown_as_trump(client, demo):
    inf = Position.objects.get(issue__slug="arms-control", country__code="US")
    assert inf.leader is None
    assert inf.speaker == "The Trump administration"
    assert not Position.objects.filter(issue__slug="arms-control", leader__slug="donald-trump")
    body = client.get("/issues/arms-control/").content.decode()
    assert "The Trump administration" in body


def test_no_deliverable_is_invented_and_none_is_shown_as_none(client, demo):
    deliverables = dict(OutlookAssessment.objects.values_list("issue__slug", "deliverable"))
    assert deliverables == {
        "ukraine": "",
        "arms-control": "Resumption of talks on strategic stability",  # para. 4 offers it
        "election-meddling": "",
        "syria-and-iran": "",
    }
    body = client.get("/issues/syria-and-iran/").content.decode()
    assert "None in sight" not in body
    assert "None recorded" in body


def test_no_assessment_before_the_attacks(demo):
    """The article gives no outlook from before the attacks: one revision each."""
    for assessment in OutlookAssessment.objects.all():
        assert assessment.history.count() == 1, assessment


def test_the_meeting_reads_honestly_in_2026(client, demo):
    meeting = Meeting.objects.get()
    assert meeting_state(meeting, date(2026, 11, 30)).label == "Outcome not yet recorded"
    assert meeting_state(meeting, date(2018, 11, 26)).code == "upcoming"
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert "Outcome not yet recorded" in body
    assert ">Expected<" not in body


def test_the_stance_matrix_reads_the_corrected_dates(demo):
    issues = list(Issue.objects.all())
    positions = Position.objects.select_related("country", "leader")
    matrix = stance_matrix(issues, positions)
    us = next(row for row in matrix.rows if row.label == "United States")
    cells = {cell.issue.slug: cell for cell in us.cells}
    # Syria: U.S. officials now (leans hardline), not Bolton's agreement of last month.
    assert cells["syria-and-iran"].latest.posture == -1
    assert all(p.posture == -1 for p in cells["syria-and-iran"].tied)
    # Election meddling: the article does not order Trump's directive, Pence's dismissal and
    # Bolton's stance in Moscow, so the cell is a tie, not "Mixed".
    election = cells["election-meddling"]
    assert election.is_tie
    assert {p.speaker for p in (election.latest, *election.tied)} == {
        "Donald J. Trump",
        "Mike Pence",
        "John Bolton",
    }
    assert election.css == "tie"
