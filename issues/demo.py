"""The first dossier: the Trump–Putin meeting at the G20 in Buenos Aires, 2018.

Everything here is drawn from one source, the Council on Foreign Relations "In Brief"
*Trump and Putin at the G20: No More Smiles* (CC BY-NC-ND 4.0), cited by paragraph, and
says only what that source says.

Paragraphs are numbered as the article runs, counting only its paragraphs of text: 1 the
standfirst, 2 the introduction, 3 Ukraine, 4 Arms control, 5 Election meddling, 6 Syria and
Iran, 7 The Bottom Line. Headings, the "More on" lists and the photo caption are not
paragraphs; the caption is cited as "photo caption". `tests/test_demo_faithful.py` checks
every quote and every locator against the article with the same numbering.

Dates are as precise as the article: it gives no day for anything. It names a month and a
year once (the Helsinki summit, "July 2018", in the photo caption) and a year once (New
START expires "in 2021"); everything else is relative to the article itself ("this week",
"late October", "last month") or undated. The text carries no date of its own. The dossier
places it in November 2018 by inference from the text alone: its "last month" is the
October of Bolton's meetings in Moscow (paras. 3 and 6), so it was written in a November,
the first one after the Helsinki summit of July 2018. So:

- a period the article names keeps its words, and covers the days they can mean in that
  November ("this week": November 2018; "late October": 21–31 October 2018; "last month":
  October 2018);
- what the article reports in the present ("regularly stress", "remains contentious") is
  dated "at the time of the article" (November 2018);
- what it reports as done without a date ("proposed", "has told", "dismissed") is dated
  "before the article, undated", covering 2018 up to the article's month: the dossier does
  not know which came first, and the stance matrix shows such positions as ties.

The summit is "upcoming" in the article and no date of it is given: the dossier bounds it by
the article's month and the end of that year. Nothing records what happened at the meeting,
because the article reports nothing after it: in 2026 the meeting reads "Outcome not yet
recorded".

A position is what a side's actor said or did. The article's own judgements ("the first
demand is a complete nonstarter", "Senior U.S. officials have surely told Trump", "they
will achieve little") are recorded as the article's `Analysis`, with its locator, never as a
side's position. The article names no author in its text, so its analyses are attributed to
"the article's author".

The revisions are dated so that the dossier can be seen as it stood on a past day
(`?as_of=`): the Ukraine issue and the meeting are first recorded as the article says things
stood before this week's attacks (`BEFORE_THE_ATTACKS`), and everything else once
(`RECORDED`). These two moments are the dossier's own recording times, inside the article's
month; they are not dates the article gives. No outlook assessment is recorded before the
attacks, since the article gives none.

Loading is idempotent: a record is created when missing and saved only when it differs,
so running the loader twice changes nothing and writes no new revision. The dated
revisions are written only when a record is created; restoring an edited record later is a
revision of the day it happens.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.db import models, transaction

from .history import one_revision
from .models import (
    Analysis,
    AssessmentCitation,
    Country,
    DatePrecision,
    Effect,
    Event,
    EventCitation,
    Issue,
    Leader,
    Likelihood,
    Meeting,
    MeetingStatus,
    Office,
    OutlookAssessment,
    Position,
    PositionKind,
    Posture,
    PublicationStatus,
    Salience,
    Scenario,
    Source,
    SourceKind,
    Summit,
    Topic,
)

ARTICLE = {
    "title": "Trump and Putin at the G20: No More Smiles",
    "publisher": "Council on Foreign Relations",
    "kind": SourceKind.ARTICLE,
    "url": "https://www.cfr.org/in-brief/trump-and-putin-g20-no-more-smiles",
    "licence": "CC BY-NC-ND 4.0",
    "notes": "A CFR “In Brief” written before the G20 summit in Buenos Aires, in the week of "
    "the Russian attacks on Ukrainian naval ships off Crimea. Its text carries no date; its "
    "“last month” is the October of Bolton’s meetings in Moscow, so the dossier places it in "
    "November 2018. Paragraphs are counted from the standfirst (para. 1) to “The Bottom "
    "Line” (para. 7); headings, lists and the photo caption are not counted.",
}

#: How the article's author is named: the text names no one.
AUTHOR = "The article's author (not named in the text)"

COUNTRIES = {"US": "United States", "RU": "Russia", "AR": "Argentina"}

# name, slug, country, native-script name, office held, bio
LEADERS = [
    (
        "Donald J. Trump",
        "donald-trump",
        "US",
        "",
        "President of the United States",
        "U.S. President at the time of the article.",
    ),
    (
        "Vladimir Putin",
        "vladimir-putin",
        "RU",
        "Владимир Путин",
        "President of Russia",
        "Russian President at the time of the article.",
    ),
    (
        "John Bolton",
        "john-bolton",
        "US",
        "",
        "U.S. National Security Advisor",
        "Met Putin in late October, the month before the article.",
    ),
    (
        "Mike Pence",
        "mike-pence",
        "US",
        "",
        "Vice President of the United States",
        "Had a brief encounter with Putin in Singapore, which the article does not date.",
    ),
]

TOPICS = {
    "russia": "Russia",
    "united-states": "United States",
    "ukraine": "Ukraine",
    "arms-control": "Arms control",
    "election-interference": "Election interference",
    "syria": "Syria",
    "iran": "Iran",
    "middle-east": "Middle East",
}


@dataclass(frozen=True)
class When:
    """A date as the article gives it: precision, the interval it covers and, for a period,
    words."""

    precision: str
    start: date
    end: date
    words: str = ""


PERIOD, MONTH, YEAR = DatePrecision.PERIOD, DatePrecision.MONTH, DatePrecision.YEAR
# The article's month, inferred from its "last month" (see the module's notes).
ARTICLE_MONTH = (date(2018, 11, 1), date(2018, 11, 30))
THIS_WEEK = When(PERIOD, *ARTICLE_MONTH, "this week")
AT_THE_TIME = When(PERIOD, *ARTICLE_MONTH, "at the time of the article")
BEFORE_THE_ARTICLE = When(PERIOD, date(2018, 1, 1), ARTICLE_MONTH[1], "before the article, undated")
LATE_OCTOBER = When(PERIOD, date(2018, 10, 21), date(2018, 10, 31), "late October")
LAST_MONTH = When(PERIOD, date(2018, 10, 1), date(2018, 10, 31), "last month")
JULY_2018 = When(MONTH, date(2018, 7, 1), date(2018, 7, 31))
IN_2021 = When(YEAR, date(2021, 1, 1), date(2021, 12, 31))
UPCOMING = When(PERIOD, ARTICLE_MONTH[0], date(2018, 12, 31), "upcoming at the time of the article")

SUMMIT = {
    "slug": "g20-buenos-aires-2018",
    "name": "G20 Buenos Aires Summit 2018",
    "host_city": "Buenos Aires",
    "starts_on": UPCOMING.start,
    "ends_on": UPCOMING.end,
    "dates_precision": UPCOMING.precision,
    "dates_as": UPCOMING.words,
    "summary": "The Group of Twenty (G20) summit in Buenos Aires, on whose sidelines "
    "Presidents Trump and Putin might meet. The article gives no date for it.",
}

MEETING = {
    "slug": "trump-putin-g20-2018",
    "title": "Trump–Putin meeting at the G20",
    # The article's state: expected. Read in a later year, `Meeting.state` says the
    # meeting is past with no outcome recorded.
    "status": MeetingStatus.EXPECTED,
    "headline": "No more smiles: likely their tensest meeting yet",
    "outlook_summary": "The United States and Russia are at odds on so many issues that the "
    "meeting could convince the two presidents to give up on better relations and accept "
    "estrangement. It will be the first not centred on the desire both leaders have "
    "expressed for a cooperative relationship; the article expects that, unless they "
    "recalibrate, they will achieve little in Buenos Aires.",
}


# Meeting fields written once the article gave the outlook (paras. 1, 2 and 7).
MEETING_OUTLOOK = ("headline", "outlook_summary")


@dataclass(frozen=True)
class Stamp:
    """When a revision is dated and the editors' note on it (simple-history's
    `_history_date` and `_change_reason`)."""

    when: datetime
    note: str = ""


# The dossier's own recording times (not dates the article gives): before this week's
# attacks, as the article says things stood then, and once the article's view is recorded.
BEFORE_THE_ATTACKS = datetime(2018, 11, 24, 23, 0, tzinfo=UTC)
RECORDED = datetime(2018, 11, 26, 12, 0, tzinfo=UTC)
AFTER_THE_ATTACKS = "after this week's Russian attacks on Ukrainian naval ships (para. 3)"


def drawn_from(locator: str) -> str:
    return f"drawn from the CFR In Brief ({locator})"


@dataclass
class PositionData:
    side: str
    summary: str
    locator: str
    when: When
    posture: int
    quote: str  # verbatim, brief: the words of the article the position rests on
    kind: str = PositionKind.RHETORIC
    leader: str = ""
    attribution: str = ""
    recorded: datetime = RECORDED  # when the dossier first recorded it


@dataclass
class AnalysisData:
    """A judgement of the article's author, in the editors' words, with the words it rests
    on."""

    text: str
    quote: str
    locator: str


@dataclass
class BeforeTheAttacks:
    """How the article says an issue stood before this week's attacks: the issue's summary
    and background as first recorded, with the note of that revision."""

    summary: str
    background: str
    issue_note: str


@dataclass
class IssueData:
    slug: str
    title: str
    order: int
    summary: str
    background: str
    topics: list[str]
    locator: str
    evidence: str  # words of the paragraph `locator` names that the assessment rests on
    effect: int
    salience: int
    deliverable: str
    rationale: str
    positions: list[PositionData] = field(default_factory=list)
    analyses: list[AnalysisData] = field(default_factory=list)
    before_the_attacks: BeforeTheAttacks | None = None


ISSUES = [
    IssueData(
        slug="ukraine",
        title="Ukraine",
        order=1,
        summary="Russian attacks on Ukrainian naval ships off Crimea, in the week the article "
        "was written, have made Ukraine impossible to avoid in Buenos Aires, the article "
        "judges; it infers that Trump has been told to make Putin see that further aggression "
        "will carry real costs, and to rule out sanctions relief.",
        background="Before the Russian attacks on Ukrainian naval ships off Crimea, many "
        "observers believed Putin had put his policy toward Ukraine **on hold** until "
        "Ukraine's presidential elections the following year, and U.S. officials took a "
        "similar approach. The recent surge of violence has made the issue impossible to "
        "avoid.",
        topics=["ukraine", "russia", "united-states"],
        locator="para. 3",
        evidence="the recent surge of violence has made the issue impossible to avoid",
        effect=Effect.STRONGLY_HINDERS,
        salience=Salience.HIGH,
        deliverable="",
        rationale="The article judges that the attacks off Crimea made Ukraine **impossible "
        "to avoid** (para. 3), and infers that senior U.S. officials have told Trump to "
        "convince Putin that further aggression will carry real costs and to rule out "
        "sanctions relief. The editors read this as leaving the two sides no common ground "
        "on the issue.",
        positions=[
            PositionData(
                side="RU",
                attribution="Russia",
                kind=PositionKind.ACTION,
                posture=Posture.HARDLINE,
                summary="Attacked Ukrainian naval ships off Crimea.",
                quote="this week’s Russian attacks on Ukrainian naval ships off Crimea",
                when=THIS_WEEK,
                locator="para. 3",
            ),
            PositionData(
                side="US",
                leader="john-bolton",
                posture=Posture.MIXED,
                summary="Did not even mention Ukraine in his press conference after meeting "
                "Putin in late October.",
                quote="did not even mention Ukraine",
                when=LATE_OCTOBER,
                locator="para. 3",
                recorded=BEFORE_THE_ATTACKS,
            ),
        ],
        analyses=[
            AnalysisData(
                text="Bolton may not have raised Ukraine in official discussions either.",
                quote="may not have raised it in official discussions",
                locator="para. 3",
            ),
            AnalysisData(
                text="The surge of violence has made Ukraine impossible to avoid.",
                quote="has made the issue impossible to avoid",
                locator="para. 3",
            ),
            AnalysisData(
                text="The author infers that senior U.S. officials have told Trump to "
                "convince Putin that further aggression will carry real costs, and to rule "
                "out sanctions relief.",
                quote="Senior U.S. officials have surely told Trump",
                locator="para. 3",
            ),
        ],
        # Para. 3: before this week's attacks many observers believed Putin had put his
        # Ukraine policy on hold; U.S. officials took a similar approach.
        before_the_attacks=BeforeTheAttacks(
            summary="Many observers believed Putin had put his policy toward Ukraine on hold "
            "until the country's presidential elections the following year, and U.S. "
            "officials took a similar approach: Bolton did not even mention Ukraine after "
            "meeting Putin in late October.",
            background="Many observers believed Putin had put his policy toward Ukraine **on "
            "hold** until the country's presidential elections the following year. U.S. "
            "officials took a similar approach: in his press conference after meeting Putin "
            "in late October, National Security Advisor John Bolton did not even mention "
            "Ukraine.",
            issue_note="as the CFR In Brief says it stood before this week's attacks (para. 3)",
        ),
    ),
    IssueData(
        slug="arms-control",
        title="Arms control",
        order=2,
        summary="The Trump administration's proposed withdrawal from the INF Treaty has not "
        "brought the sides together, and Russian officials worry that Trump will resist "
        "renewing New START before it expires in 2021. Resuming talks on strategic stability "
        "would be an easy deliverable, the article judges.",
        background="The Trump administration's proposed withdrawal from the 1987 Treaty on "
        "Intermediate-Range Nuclear Forces (INF) would relax restrictions on Russian missile "
        "deployments, about which Moscow has long complained. The Obama-era New START treaty "
        "on strategic nuclear arms will otherwise expire in 2021.",
        topics=["arms-control", "russia", "united-states"],
        locator="para. 4",
        evidence="rhetoric on both sides remains contentious",
        effect=Effect.HINDERS,
        salience=Salience.MEDIUM,
        deliverable="Resumption of talks on strategic stability",
        rationale="The article judges that the INF withdrawal has not brought the two sides "
        "together and that rhetoric on both sides remains contentious (para. 4); yet if "
        "Trump wants a deliverable from the meeting, resuming talks on strategic stability "
        "would be “an easy choice”.",
        positions=[
            PositionData(
                side="US",
                attribution="The Trump administration",
                kind=PositionKind.ACTION,
                posture=Posture.HARDLINE,
                summary="Proposed withdrawing from the 1987 INF Treaty, which would relax "
                "restrictions on Russian missile deployments.",
                quote="proposed withdrawal from the 1987 Treaty on Intermediate-Range "
                "Nuclear Forces",
                when=BEFORE_THE_ARTICLE,
                locator="para. 4",
            ),
            PositionData(
                side="RU",
                attribution="Russian officials",
                posture=Posture.LEANS_HARDLINE,
                summary="Regularly warn Washington against new missile deployments in Europe "
                "and, more generally, against an intensified nuclear arms race.",
                quote="regularly warn Washington against new missile deployments in Europe",
                when=AT_THE_TIME,
                locator="para. 4",
            ),
            PositionData(
                side="RU",
                attribution="Russian officials",
                posture=Posture.LEANS_COOPERATIVE,
                summary="Worry that Trump will keep resisting early renewal of New START, "
                "which will otherwise expire in 2021.",
                quote="worry that Trump will continue to resist early renewal",
                when=AT_THE_TIME,
                locator="para. 4",
            ),
        ],
        analyses=[
            AnalysisData(
                text="The proposed INF withdrawal offered Putin obvious benefits, but has not "
                "brought the two sides together.",
                quote="the issue has not brought the two sides together",
                locator="para. 4",
            ),
            AnalysisData(
                text="If Trump wants a deliverable, resuming talks on strategic stability "
                "would be an easy one.",
                quote="would be an easy choice",
                locator="para. 4",
            ),
            AnalysisData(
                text="For now, rhetoric on both sides remains contentious.",
                quote="rhetoric on both sides remains contentious",
                locator="para. 4",
            ),
        ],
    ),
    IssueData(
        slug="election-meddling",
        title="Election meddling",
        order=3,
        summary="Both governments hoped attention to Russian election interference would "
        "subside, but it has to be raised, the article judges. Trump has told the "
        "intelligence community to report on it; Pence and Bolton have set a high bar.",
        background="Trump has told the U.S. intelligence community to report to him on "
        "Russian efforts to affect the midterm elections. Other administration officials "
        "have taken a more aggressive line: Vice President Mike Pence reportedly dismissed "
        "Russian denials of election interference in a brief encounter with Putin in "
        "Singapore, and John Bolton took a similar stance in Moscow.",
        topics=["election-interference", "russia", "united-states"],
        locator="para. 5",
        evidence="it has to be raised in their meeting",
        effect=Effect.HINDERS,
        salience=Salience.HIGH,
        deliverable="",
        rationale="The article judges that the issue has to be raised (para. 5): by setting "
        "a high bar, Pence and Bolton have made it hard for Trump to ignore the matter, even "
        "if he uses his directive to the intelligence community to deflect questions.",
        positions=[
            PositionData(
                side="US",
                leader="donald-trump",
                kind=PositionKind.ACTION,
                posture=Posture.MIXED,
                summary="Told the U.S. intelligence community to report to him the following "
                "month on Russian efforts to affect the midterm elections.",
                quote="report to him next month on Russian efforts to affect the midterm elections",
                when=BEFORE_THE_ARTICLE,
                locator="para. 5",
            ),
            PositionData(
                side="US",
                leader="mike-pence",
                posture=Posture.HARDLINE,
                summary="Reportedly dismissed Russian denials of election interference in a "
                "brief encounter with Putin in Singapore.",
                quote="reportedly dismissed Russian denials of election interference",
                when=BEFORE_THE_ARTICLE,
                locator="para. 5",
            ),
            PositionData(
                side="US",
                leader="john-bolton",
                posture=Posture.HARDLINE,
                summary="Took a stance like Pence's in Moscow, dismissing Russian denials of "
                "election interference.",
                quote="Bolton took a similar stance in Moscow",
                when=LAST_MONTH,
                locator="para. 5",
            ),
            PositionData(
                side="RU",
                attribution="Russia",
                posture=Posture.LEANS_HARDLINE,
                summary="Denies interfering in U.S. elections.",
                quote="Russian denials of election interference",
                when=BEFORE_THE_ARTICLE,
                locator="para. 5",
            ),
        ],
        analyses=[
            AnalysisData(
                text="Both governments hoped attention to the issue would subside, but it has "
                "to be raised at the meeting.",
                quote="it has to be raised in their meeting",
                locator="para. 5",
            ),
            AnalysisData(
                text="In Buenos Aires, Trump could use his directive to the intelligence "
                "community to deflect questions about meddling.",
                quote="he could use this directive to deflect questions about meddling",
                locator="para. 5",
            ),
            AnalysisData(
                text="Pence and Bolton may be trying to take pressure off the president, but "
                "by setting a high bar they have made it hard for Trump to ignore the matter.",
                quote="made it hard for Trump to ignore the matter",
                locator="para. 5",
            ),
        ],
    ),
    IssueData(
        slug="syria-and-iran",
        title="Syria and Iran",
        order=4,
        summary="Bolton says his meetings in Moscow produced an agreement to tighten "
        "coordination in Syria, but U.S. officials demand that Russia force Iranian forces "
        "out and say U.S. troops will stay until they go; the article judges genuine "
        "cooperation an increasingly distant goal.",
        background="U.S. officials regularly stress that Russia should force Iranian and "
        "Iran-backed forces out of Syria, and that some U.S. troops will remain there until "
        "those forces are gone. In the second, Moscow detects a continuing U.S. desire to "
        "bring down the Assad regime. Because Iran has been Russia's essential partner in "
        "Syria, the article judges the first demand a complete nonstarter.",
        topics=["syria", "iran", "middle-east", "russia", "united-states"],
        locator="para. 6",
        evidence="will make working together more difficult",
        effect=Effect.HINDERS,
        salience=Salience.MEDIUM,
        deliverable="",
        rationale="U.S. officials' two themes, that Russia should force Iranian forces out of "
        "Syria and that U.S. troops will stay until they are gone, make working together "
        "more difficult, the article judges (para. 6); it calls the first a complete "
        "nonstarter for Moscow, and genuine strategic cooperation in Syria an increasingly "
        "distant goal.",
        positions=[
            PositionData(
                side="US",
                leader="john-bolton",
                posture=Posture.LEANS_COOPERATIVE,
                summary="Says his meetings in Moscow last month produced an agreement to "
                "tighten coordination in Syria.",
                quote="agreement to tighten coordination",
                when=LAST_MONTH,
                locator="para. 6",
            ),
            PositionData(
                side="US",
                attribution="U.S. officials",
                posture=Posture.LEANS_HARDLINE,
                summary="Regularly stress that Russia should force Iranian and Iran-backed "
                "forces out of Syria.",
                quote="Russia should force Iranian and Iran-backed forces out of Syria",
                when=AT_THE_TIME,
                locator="para. 6",
            ),
            PositionData(
                side="US",
                attribution="U.S. officials",
                posture=Posture.LEANS_HARDLINE,
                summary="Stress that some U.S. troops will remain in Syria until Iranian and "
                "Iran-backed forces are gone.",
                quote="some U.S. troops will remain there until those forces are gone",
                when=AT_THE_TIME,
                locator="para. 6",
            ),
            PositionData(
                side="RU",
                attribution="Moscow",
                posture=Posture.LEANS_HARDLINE,
                summary="Sees in the plan to keep U.S. troops in Syria a continuing U.S. "
                "desire to bring down the Assad regime.",
                quote="Moscow detects a continuing U.S. desire to bring down the Assad regime",
                when=AT_THE_TIME,
                locator="para. 6",
            ),
        ],
        analyses=[
            AnalysisData(
                text="The two U.S. themes will make working together more difficult.",
                quote="will make working together more difficult",
                locator="para. 6",
            ),
            AnalysisData(
                text="Because Iran has been Russia's essential partner in Syria, the demand "
                "that Russia force Iranian forces out is a complete nonstarter.",
                quote="the first demand is a complete nonstarter",
                locator="para. 6",
            ),
            AnalysisData(
                text="Genuine strategic cooperation in Syria and the Middle East is an "
                "increasingly distant goal.",
                quote="an increasingly distant goal",
                locator="para. 6",
            ),
        ],
    ),
]

#: The article's judgements of the meeting as a whole.
MEETING_ANALYSES = [
    AnalysisData(
        text="If they meet, it will likely be the two presidents' tensest meeting yet.",
        quote="it will likely be their tensest meeting yet",
        locator="para. 2",
    ),
    AnalysisData(
        text="Moscow's and Washington's policies toward each other have become more "
        "confrontational in recent weeks.",
        quote="have become more confrontational in recent weeks",
        locator="para. 2",
    ),
    AnalysisData(
        text="Unless Trump and Putin recalibrate, they will achieve little at the meeting: "
        "the article's one firm forecast.",
        quote="they will achieve little",
        locator="para. 7",
    ),
    AnalysisData(
        text="As U.S.-Russian disagreements mount, both sides may stop pretending to care.",
        quote="both sides may stop pretending to care",
        locator="para. 7",
    ),
]


@dataclass
class EventData:
    title: str
    when: When
    description: str
    issues: list[str]
    locator: str
    evidence: str  # words of the article, at `locator`, that date and tell the event


EVENTS = [
    EventData(
        "Helsinki summit",
        JULY_2018,
        "Putin and Trump meet at a summit in Helsinki, as the article's photo caption says.",
        [],
        "photo caption",
        "meet at a Helsinki summit in July 2018",
    ),
    EventData(
        "Proposed U.S. withdrawal from the INF Treaty",
        BEFORE_THE_ARTICLE,
        "The Trump administration proposes withdrawing from the 1987 Treaty on "
        "Intermediate-Range Nuclear Forces. The article does not date it.",
        ["arms-control"],
        "para. 4",
        "proposed withdrawal",
    ),
    EventData(
        "Bolton in Moscow",
        LAST_MONTH,
        "National Security Advisor John Bolton holds meetings in Moscow, where, the article "
        "says, he takes a stance like Pence's on election interference; he says they "
        "produced an agreement to tighten coordination in Syria.",
        ["election-meddling", "syria-and-iran"],
        "paras. 5 and 6",
        "his meetings in Moscow last month",
    ),
    EventData(
        "Pence and Putin in Singapore",
        BEFORE_THE_ARTICLE,
        "In a brief encounter with Putin in Singapore, Vice President Mike Pence reportedly "
        "dismisses Russian denials of election interference. The article does not date it.",
        ["election-meddling"],
        "para. 5",
        "In a brief encounter with Putin in Singapore",
    ),
    EventData(
        "Russian attacks on Ukrainian naval ships off Crimea",
        THIS_WEEK,
        "Russian attacks on Ukrainian naval ships off Crimea, in the week the article was "
        "written, make Ukraine impossible to avoid at the Buenos Aires meeting.",
        ["ukraine"],
        "para. 3",
        "this week’s Russian attacks on Ukrainian naval ships off Crimea",
    ),
    EventData(
        "New START would expire",
        IN_2021,
        "The Obama-era New START treaty on strategic nuclear arms will expire in 2021 unless "
        "renewed.",
        ["arms-control"],
        "para. 4",
        "will otherwise expire in 2021",
    ),
]


@dataclass
class ScenarioData:
    title: str
    description: str
    likelihood: int
    evidence: str  # the words of para. 7 the scenario and its likelihood rest on


SCENARIOS = [
    ScenarioData(
        "Concrete problem-solving",
        "The disagreements encourage Trump and Putin to focus at last on concrete "
        "problem-solving. The article calls this conceivable.",
        Likelihood.UNLIKELY,
        "could conceivably encourage Trump and Putin to focus at last on concrete problem-solving",
    ),
    ScenarioData(
        "Open competition",
        "The disagreements produce more open and explicit competition.",
        Likelihood.EVEN,
        "they could also produce more open and explicit competition",
    ),
    ScenarioData(
        "Estrangement",
        "The two presidents give up on better relations altogether and accept estrangement "
        "as a fact of life.",
        Likelihood.EVEN,
        "accept estrangement as a fact of life",
    ),
    ScenarioData(
        "Lip service without movement",
        "A replay of previous meetings: continued lip service to cooperation without any "
        "forward movement. The article calls this less likely.",
        Likelihood.UNLIKELY,
        "What is becoming less likely is a replay of previous meetings",
    ),
]


def _saved[M: models.Model](
    instance: M, stamp: Stamp | None, links: dict[str, list[models.Model]] | None = None
) -> M:
    """Validate and save `instance` (with its many-to-many `links`) as one revision, dated
    and noted by `stamp` (the time of saving when there is none)."""
    instance.full_clean()
    if stamp is not None:
        instance._history_date = stamp.when
        instance._change_reason = stamp.note
    try:
        if links:
            with one_revision(instance):
                instance.save()
                for name, related in links.items():
                    getattr(instance, name).set(related)
        else:
            instance.save()
    finally:  # a later save of the same instance is a revision of its own time
        instance.__dict__.pop("_history_date", None)
        instance.__dict__.pop("_change_reason", None)
    return instance


def _upsert[M: models.Model](
    model: type[M],
    lookup: dict[str, Any],
    values: dict[str, Any],
    *,
    stamp: Stamp | None = None,
    links: dict[str, list[models.Model]] | None = None,
) -> M:
    """Create the record (its first revision dated by `stamp`), or update it only where it
    differs (no needless revision)."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return _saved(model(**lookup, **values), stamp, links)
    _revise(instance, values, None)
    for name, related in (links or {}).items():
        _set_links(getattr(instance, name), related)
    return instance


def _revise[M: models.Model](instance: M, values: dict[str, Any], stamp: Stamp | None) -> M:
    """Save the values that differ, as one revision; nothing when none does."""
    changed = {name: value for name, value in values.items() if getattr(instance, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(instance, name, value)
        _saved(instance, stamp)
    return instance


def _upsert_in_two_steps[M: models.Model](
    model: type[M],
    lookup: dict[str, Any],
    values: dict[str, Any],
    *,
    first: tuple[dict[str, Any], Stamp],
    then: Stamp,
    links: dict[str, list[models.Model]] | None = None,
) -> M:
    """A record the article shows changing: when missing, it is created with the `first`
    values and revised to `values` at `then`; when present, it is kept to `values` as
    `_upsert` does."""
    if model.objects.filter(**lookup).exists():
        return _upsert(model, lookup, values, links=links)
    first_values, first_stamp = first
    instance = _upsert(model, lookup, {**values, **first_values}, stamp=first_stamp, links=links)
    return _revise(instance, values, then)


def _set_links(manager, wanted: list[models.Model]) -> None:
    if {obj.pk for obj in manager.all()} != {obj.pk for obj in wanted}:
        manager.set(wanted)


def _cite(citation_model, owner_field: str, owner, source: Source, locator: str) -> None:
    _upsert(citation_model, {owner_field: owner, "source": source}, {"locator": locator})


@transaction.atomic
def demo_load() -> dict[str, int]:
    """Load the Buenos Aires 2018 dossier; returns how many records of each kind it holds."""
    first = Stamp(BEFORE_THE_ATTACKS)
    article = _upsert(
        Source,
        {"title": ARTICLE["title"]},
        {k: v for k, v in ARTICLE.items() if k != "title"},
        stamp=first,
    )
    countries = {
        code: _upsert(Country, {"code": code}, {"name": name}) for code, name in COUNTRIES.items()
    }

    leaders = {}
    for name, slug, country, native_name, title, bio in LEADERS:
        leader = _upsert(
            Leader,
            {"slug": slug},
            {"name": name, "country": countries[country], "native_name": native_name, "bio": bio},
            stamp=first,
        )
        _upsert(Office, {"leader": leader, "title": title}, {})
        leaders[slug] = leader

    topics = {slug: _upsert(Topic, {"slug": slug}, {"name": name}) for slug, name in TOPICS.items()}

    summit_values = {k: v for k, v in SUMMIT.items() if k != "slug"}
    summit = _upsert(
        Summit,
        {"slug": SUMMIT["slug"]},
        {**summit_values, "host_country": countries["AR"]},
        stamp=first,
    )
    # The meeting was expected before the attacks (para. 2: "If [...] Trump sits down with
    # [...] Putin on the sidelines"); its outlook is the article's, written after them.
    meeting = _upsert_in_two_steps(
        Meeting,
        {"slug": MEETING["slug"]},
        {**{k: v for k, v in MEETING.items() if k != "slug"}, "summit": summit},
        first=(
            dict.fromkeys(MEETING_OUTLOOK, ""),
            Stamp(BEFORE_THE_ATTACKS, "expected on the sidelines of the G20 (para. 2)"),
        ),
        then=Stamp(RECORDED, "outlook drawn from the CFR In Brief (paras. 1, 2 and 7)"),
        links={"participants": [leaders["donald-trump"], leaders["vladimir-putin"]]},
    )

    issues = {}
    for data in ISSUES:
        issues[data.slug] = _load_issue(data, article, countries, leaders, topics, meeting)

    for data in EVENTS:
        values = {
            "occurred_on": data.when.start,
            "occurred_on_precision": data.when.precision,
            "occurred_until": data.when.end,
            "occurred_as": data.when.words,
            "description": data.description,
        }
        event_issues = [issues[slug] for slug in data.issues]
        event = Event.objects.filter(title=data.title).first()
        if event is None:
            # One revision, written once the event's links and citation are saved too.
            event = Event(title=data.title, **values)
            event._history_date, event._change_reason = RECORDED, drawn_from(data.locator)
            with one_revision(event):
                event.full_clean()
                event.save()
                _link_event(event, event_issues, meeting, article, data.locator)
        else:
            _upsert(Event, {"pk": event.pk}, values)
            _link_event(event, event_issues, meeting, article, data.locator)

    for order, scenario in enumerate(SCENARIOS, start=1):
        _upsert(
            Scenario,
            {"meeting": meeting, "title": scenario.title},
            {
                "description": scenario.description,
                "likelihood": scenario.likelihood,
                "order": order,
                "source": article,
                "locator": "para. 7",
            },
            stamp=Stamp(RECORDED, "as the CFR In Brief assesses it (para. 7)"),
        )

    for order, analysis in enumerate(MEETING_ANALYSES, start=1):
        _load_analysis(analysis, order, article, issue=None, meeting=meeting)

    return {
        "sources": Source.objects.count(),
        "leaders": Leader.objects.count(),
        "issues": Issue.objects.count(),
        "positions": Position.objects.count(),
        "events": Event.objects.count(),
        "assessments": OutlookAssessment.objects.count(),
        "scenarios": Scenario.objects.count(),
        "analyses": Analysis.objects.count(),
    }


def _load_analysis(data: AnalysisData, order: int, article, *, issue, meeting) -> Analysis:
    """One of the article's own judgements, on an issue or on the meeting."""
    return _upsert(
        Analysis,
        {"source": article, "locator": data.locator, "quote": data.quote},
        {
            "author": AUTHOR,
            "text": data.text,
            "issue": issue,
            "meeting": meeting,
            "order": order,
            "status": PublicationStatus.PUBLISHED,
        },
        stamp=Stamp(RECORDED, drawn_from(data.locator)),
    )


def _link_event(event: Event, issues: list[Issue], meeting, article, locator: str) -> None:
    """An event's issues, meeting and citation of the article."""
    _set_links(event.issues, issues)
    _set_links(event.meetings, [meeting])
    _cite(EventCitation, "event", event, article, locator)


def _load_issue(data: IssueData, article, countries, leaders, topics, meeting) -> Issue:
    values = {
        "title": data.title,
        "order": data.order,
        "summary": data.summary,
        "background": data.background,
        "status": PublicationStatus.PUBLISHED,
    }
    links = {
        "topics": [topics[slug] for slug in data.topics],
        "sides": [countries["US"], countries["RU"]],
        "meetings": [meeting],
    }
    earlier = data.before_the_attacks
    if earlier is None:
        issue = _upsert(
            Issue,
            {"slug": data.slug},
            values,
            stamp=Stamp(RECORDED, drawn_from(data.locator)),
            links=links,
        )
    else:
        issue = _upsert_in_two_steps(
            Issue,
            {"slug": data.slug},
            values,
            first=(
                {"summary": earlier.summary, "background": earlier.background},
                Stamp(BEFORE_THE_ATTACKS, earlier.issue_note),
            ),
            then=Stamp(RECORDED, AFTER_THE_ATTACKS),
            links=links,
        )

    for position in data.positions:
        _upsert(
            Position,
            {"issue": issue, "country": countries[position.side], "summary": position.summary},
            {
                "leader": leaders.get(position.leader),
                "attribution": position.attribution,
                "kind": position.kind,
                "posture": position.posture,
                "quote": position.quote,
                "stated_on": position.when.start,
                "stated_on_precision": position.when.precision,
                "stated_until": position.when.end,
                "stated_as": position.when.words,
                "source": article,
                "locator": position.locator,
            },
            stamp=Stamp(position.recorded, drawn_from(position.locator)),
        )

    _load_assessment(data, issue, meeting, article)
    for order, analysis in enumerate(data.analyses, start=1):
        _load_analysis(analysis, order, article, issue=issue, meeting=meeting)
    return issue


def _load_assessment(data: IssueData, issue: Issue, meeting, article) -> OutlookAssessment:
    """The issue's outlook assessment, citing the article, in one revision: the article gives
    the outlook once, after this week's attacks, and no earlier one."""
    values = {
        "effect": data.effect,
        "salience": data.salience,
        "deliverable": data.deliverable,
        "rationale": data.rationale,
        "status": PublicationStatus.PUBLISHED,
    }
    assessment = OutlookAssessment.objects.filter(issue=issue, meeting=meeting).first()
    if assessment is None:
        assessment = OutlookAssessment(issue=issue, meeting=meeting, **values)
        assessment._history_date = RECORDED
        assessment._change_reason = f"as the CFR In Brief assesses it ({data.locator})"
        with one_revision(assessment):
            assessment.full_clean()
            assessment.save()
            _cite(AssessmentCitation, "assessment", assessment, article, data.locator)
        del assessment._history_date, assessment._change_reason
    else:
        _upsert(OutlookAssessment, {"pk": assessment.pk}, values)
        _cite(AssessmentCitation, "assessment", assessment, article, data.locator)
    return assessment
