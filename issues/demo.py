"""The first dossier: the Trump–Putin meeting at the G20 in Buenos Aires, 2018.

Everything here is drawn from one source, the Council on Foreign Relations "In Brief"
*Trump and Putin at the G20: No More Smiles* (November 2018, CC BY-NC-ND 4.0), cited by
paragraph. Its paragraphs are numbered as the article runs: 1 the standfirst, 2 the
introduction, 3 Ukraine, 4 Arms control, 5 Election meddling, 6 Syria and Iran, 7 The
Bottom Line. Quotes are verbatim; where the article gives no exact date, the date's
precision says so (a month, or only the year). The dates of the Kerch Strait incident, the
INF announcement, the Helsinki summit, the summit itself and New START's expiry are those of
the product brief; the article places each of them in its month or year.

The revisions are dated as the article tells the story, so that the dossier can be seen as
it stood on a past day (`?as_of=`) and its outlook trend drawn. The article says (para. 3)
that before this week's Russian attacks on Ukrainian naval ships off Crimea (the Kerch
Strait incident, 25 November 2018) many observers believed Putin had put his Ukraine policy
on hold, that U.S. officials took a similar approach (Bolton did not even mention Ukraine
after meeting Putin in late October), and that the surge of violence made the issue
impossible to avoid. So the Ukraine dossier and its outlook assessment are first recorded
as they stood before the incident (`BEFORE_THE_ATTACK`, dated the evening before it), and
revised on 26 November 2018 (`RECORDED`) "after the Kerch Strait incident". The meeting is
first recorded then too, with no outlook yet. Everything else the article says is recorded
once, on 26 November 2018: the article gives no other evolution, so none is made up.
Revisions carry a note saying which paragraph they restate.

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
    "notes": "A CFR “In Brief” written days before the G20 summit in Buenos Aires, after "
    "the Russian attacks on Ukrainian naval ships off Crimea. Paragraphs are counted from "
    "the standfirst (para. 1) to “The Bottom Line” (para. 7).",
}

COUNTRIES = {"US": "United States", "RU": "Russia", "AR": "Argentina"}

# name, slug, country, native-script name, office held, bio
LEADERS = [
    (
        "Donald J. Trump",
        "donald-trump",
        "US",
        "",
        "President of the United States",
        "U.S. President at the time of the Buenos Aires G20 summit.",
    ),
    (
        "Vladimir Putin",
        "vladimir-putin",
        "RU",
        "Владимир Путин",
        "President of Russia",
        "Russian President at the time of the Buenos Aires G20 summit.",
    ),
    (
        "John Bolton",
        "john-bolton",
        "US",
        "",
        "U.S. National Security Advisor",
        "Met Putin in Moscow in late October 2018.",
    ),
    (
        "Mike Pence",
        "mike-pence",
        "US",
        "",
        "Vice President of the United States",
        "Had a brief encounter with Putin in Singapore in 2018.",
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

SUMMIT = {
    "slug": "g20-buenos-aires-2018",
    "name": "G20 Buenos Aires Summit 2018",
    "host_city": "Buenos Aires",
    "starts_on": date(2018, 11, 30),
    "ends_on": date(2018, 12, 1),
    "summary": "The Group of Twenty (G20) summit in Buenos Aires, on whose sidelines "
    "Presidents Trump and Putin were expected to meet.",
}

MEETING = {
    "slug": "trump-putin-g20-2018",
    "title": "Trump–Putin meeting at the G20",
    "status": MeetingStatus.EXPECTED,
    "headline": "No more smiles: likely their tensest meeting yet",
    "outlook_summary": "The United States and Russia are at odds on so many issues that the "
    "meeting could convince the two presidents to give up on better relations and accept "
    "estrangement. It will be the first not centred on the desire both leaders have "
    "expressed for a cooperative relationship; unless they recalibrate, they will achieve "
    "little in Buenos Aires.",
}


# Meeting fields written once the article gave the outlook (paras. 1, 2 and 7).
MEETING_OUTLOOK = ("headline", "outlook_summary")


@dataclass(frozen=True)
class Stamp:
    """When a revision is dated and the editors' note on it (simple-history's
    `_history_date` and `_change_reason`)."""

    when: datetime
    note: str = ""


# The evening before the Kerch Strait incident: the dossier as the article says things stood.
BEFORE_THE_ATTACK = datetime(2018, 11, 24, 23, 0, tzinfo=UTC)
# The day after the incident: the dossier as the article gives it.
RECORDED = datetime(2018, 11, 26, 12, 0, tzinfo=UTC)
AFTER_THE_INCIDENT = "after the Kerch Strait incident"


def drawn_from(locator: str) -> str:
    return f"drawn from the CFR In Brief ({locator})"


@dataclass
class PositionData:
    side: str
    summary: str
    locator: str
    stated_on: date
    precision: str
    posture: int
    kind: str = PositionKind.RHETORIC
    leader: str = ""
    attribution: str = ""
    quote: str = ""
    recorded: datetime = RECORDED  # when the dossier first recorded it


@dataclass
class BeforeTheAttack:
    """How the article says an issue stood before the Kerch Strait incident: the issue's
    summary and background and its outlook assessment as first recorded, with the note of
    each revision."""

    summary: str
    background: str
    effect: int
    salience: int
    rationale: str
    issue_note: str
    assessment_note: str


@dataclass
class IssueData:
    slug: str
    title: str
    order: int
    summary: str
    background: str
    topics: list[str]
    locator: str
    effect: int
    salience: int
    deliverable: str
    rationale: str
    positions: list[PositionData] = field(default_factory=list)
    before_the_attack: BeforeTheAttack | None = None


MONTH, YEAR, DAY = DatePrecision.MONTH, DatePrecision.YEAR, DatePrecision.DAY
NOV_2018 = date(2018, 11, 1)  # "now" for the article: positions it reports as current
OCT_2018 = date(2018, 10, 1)  # "late October", "last month"
YEAR_2018 = date(2018, 1, 1)  # in 2018, month not given

ISSUES = [
    IssueData(
        slug="ukraine",
        title="Ukraine",
        order=1,
        summary="Russia’s attacks on Ukrainian naval ships off Crimea have made Ukraine "
        "impossible to avoid in Buenos Aires. Trump is expected to be told to convince Putin "
        "that further aggression will carry real costs, and to rule out sanctions relief.",
        background="Before the Russian attacks on Ukrainian naval ships off Crimea, many "
        "observers believed Putin had put his policy toward Ukraine **on hold** until Ukraine's "
        "presidential elections the following year, and U.S. officials took a similar "
        "approach. The recent surge of violence has made the issue impossible to avoid.",
        topics=["ukraine", "russia", "united-states"],
        locator="para. 3",
        effect=Effect.STRONGLY_HINDERS,
        salience=Salience.HIGH,
        deliverable="",
        rationale="The attacks off Crimea made Ukraine **impossible to avoid** (para. 3). "
        "Senior U.S. officials are expected to want Trump to convince Putin that further "
        "aggression will carry real costs and to rule out sanctions relief, which leaves "
        "the two sides no common ground on the issue.",
        positions=[
            PositionData(
                side="RU",
                attribution="Russian forces",
                kind=PositionKind.ACTION,
                posture=Posture.HARDLINE,
                summary="Attacked Ukrainian naval ships off Crimea, a surge of violence that "
                "made Ukraine impossible to avoid at the meeting.",
                stated_on=date(2018, 11, 25),
                precision=DAY,
                locator="para. 3",
            ),
            PositionData(
                side="US",
                leader="john-bolton",
                posture=Posture.MIXED,
                summary="Did not even mention Ukraine in his press conference after meeting "
                "Putin in late October, and may not have raised it in official discussions.",
                stated_on=OCT_2018,
                precision=MONTH,
                locator="para. 3",
                recorded=BEFORE_THE_ATTACK,
            ),
            PositionData(
                side="US",
                attribution="Senior U.S. officials (as the article expects)",
                posture=Posture.HARDLINE,
                summary="Have surely told Trump, the article judges, that he has to convince "
                "Putin that further aggression will carry real costs, and that he should rule "
                "out sanctions relief.",
                stated_on=NOV_2018,
                precision=MONTH,
                locator="para. 3",
            ),
        ],
        # Para. 3: "Before this week's Russian attacks on Ukrainian naval ships off Crimea,
        # many observers believed Putin had put his policy toward Ukraine on hold [...]. U.S.
        # officials took a similar approach." Bolton "did not even mention Ukraine".
        before_the_attack=BeforeTheAttack(
            summary="Many observers believed Putin had put his policy toward Ukraine on hold "
            "until the country's presidential elections the following year, and U.S. "
            "officials took a similar approach: Bolton did not even mention Ukraine after "
            "meeting Putin in late October.",
            background="Many observers believed Putin had put his policy toward Ukraine **on "
            "hold** until the country's presidential elections the following year. U.S. "
            "officials took a similar approach: in his press conference after meeting Putin "
            "in late October, National Security Advisor John Bolton did not even mention "
            "Ukraine, and may not have raised it in official discussions.",
            effect=Effect.HINDERS,
            salience=Salience.LOW,
            rationale="Many observers believed Putin had put his policy toward Ukraine **on "
            "hold** until the country's presidential elections the following year, and U.S. "
            "officials took a similar approach (para. 3): John Bolton did not even mention "
            "Ukraine in his press conference after meeting Putin in late October, and may "
            "not have raised it in official discussions.",
            issue_note="as the CFR In Brief says it stood before the Kerch Strait incident "
            "(para. 3)",
            assessment_note="before the Kerch Strait incident: seen as on hold; Bolton did "
            "not even mention it (para. 3)",
        ),
    ),
    IssueData(
        slug="arms-control",
        title="Arms control",
        order=2,
        summary="The proposed U.S. withdrawal from the INF Treaty has not brought the sides "
        "together, and Moscow fears Trump will resist renewing New START before it expires "
        "in 2021. Resuming talks on strategic stability would be an easy deliverable.",
        background="The Trump administration's proposed withdrawal from the 1987 Treaty on "
        "Intermediate-Range Nuclear Forces (INF) offered Putin obvious benefits: it would "
        "relax restrictions on Russian missile deployments, about which Moscow has long "
        "complained. The Obama-era New START treaty on strategic nuclear arms will otherwise "
        "expire in 2021.",
        topics=["arms-control", "russia", "united-states"],
        locator="para. 4",
        effect=Effect.HINDERS,
        salience=Salience.MEDIUM,
        deliverable="Resumption of talks on strategic stability",
        rationale="The INF withdrawal has not brought the two sides together and rhetoric on "
        "both sides remains contentious (para. 4). Yet if Trump wants a deliverable from "
        "the meeting, resuming talks on strategic stability would be “an easy choice”.",
        positions=[
            PositionData(
                side="US",
                leader="donald-trump",
                attribution="The Trump administration",
                kind=PositionKind.ACTION,
                posture=Posture.HARDLINE,
                summary="Proposed withdrawing from the 1987 INF Treaty, which would relax "
                "restrictions on Russian missile deployments.",
                stated_on=date(2018, 10, 20),
                precision=DAY,
                locator="para. 4",
            ),
            PositionData(
                side="US",
                leader="donald-trump",
                posture=Posture.LEANS_HARDLINE,
                summary="Has resisted early renewal of the Obama-era New START treaty, and "
                "Russian officials worry he will continue to.",
                stated_on=NOV_2018,
                precision=MONTH,
                locator="para. 4",
            ),
            PositionData(
                side="RU",
                attribution="Russian officials",
                posture=Posture.LEANS_HARDLINE,
                summary="Regularly warn Washington against new missile deployments in Europe "
                "and, more generally, against an intensified nuclear arms race.",
                stated_on=NOV_2018,
                precision=MONTH,
                locator="para. 4",
            ),
            PositionData(
                side="RU",
                attribution="Russian officials",
                posture=Posture.LEANS_COOPERATIVE,
                summary="Worry that Trump will keep resisting early renewal of New START, "
                "which will otherwise expire in 2021.",
                stated_on=NOV_2018,
                precision=MONTH,
                locator="para. 4",
            ),
        ],
    ),
    IssueData(
        slug="election-meddling",
        title="Election meddling",
        order=3,
        summary="Both governments hoped attention to Russian election interference would "
        "subside, but it has to be raised. Trump could deflect questions with his directive "
        "to the intelligence community; Pence and Bolton have set a high bar.",
        background="Trump has told the U.S. intelligence community to report to him on "
        "Russian efforts to affect the midterm elections. Other administration officials "
        "have taken a more aggressive line: Vice President Mike Pence reportedly dismissed "
        "Russian denials of election interference in a brief encounter with Putin in "
        "Singapore, and John Bolton took a similar stance in Moscow.",
        topics=["election-interference", "russia", "united-states"],
        locator="para. 5",
        effect=Effect.HINDERS,
        salience=Salience.HIGH,
        deliverable="",
        rationale="Both governments hoped attention would subside, but the issue has to be "
        "raised (para. 5). By setting a high bar, Pence and Bolton have made it hard for "
        "Trump to ignore the matter, even if he deflects questions with his directive to "
        "the intelligence community.",
        positions=[
            PositionData(
                side="US",
                leader="donald-trump",
                kind=PositionKind.ACTION,
                posture=Posture.MIXED,
                summary="Told the U.S. intelligence community to report to him on Russian "
                "efforts to affect the midterm elections; in Buenos Aires he could use the "
                "directive to deflect questions about meddling.",
                stated_on=NOV_2018,
                precision=MONTH,
                locator="para. 5",
            ),
            PositionData(
                side="US",
                leader="mike-pence",
                posture=Posture.HARDLINE,
                summary="Reportedly dismissed Russian denials of election interference in a "
                "brief encounter with Putin in Singapore.",
                stated_on=YEAR_2018,
                precision=YEAR,
                locator="para. 5",
            ),
            PositionData(
                side="US",
                leader="john-bolton",
                posture=Posture.HARDLINE,
                summary="Took a stance like Pence's in Moscow, dismissing Russian denials of "
                "election interference.",
                stated_on=OCT_2018,
                precision=MONTH,
                locator="para. 5",
            ),
            PositionData(
                side="RU",
                attribution="Russian officials",
                posture=Posture.LEANS_HARDLINE,
                summary="Deny interfering in U.S. elections.",
                stated_on=YEAR_2018,
                precision=YEAR,
                locator="para. 5",
            ),
        ],
    ),
    IssueData(
        slug="syria-and-iran",
        title="Syria and Iran",
        order=4,
        summary="Bolton reports an agreement to tighten coordination in Syria, but U.S. "
        "demands that Russia force Iranian forces out, and that U.S. troops stay until "
        "they go, make genuine cooperation an increasingly distant goal.",
        background="Iran has been Russia's essential partner in Syria, so the U.S. demand "
        "that Russia force Iranian and Iran-backed forces out of Syria is a complete "
        "nonstarter for Moscow. In the U.S. intention to keep troops there until those forces "
        "are gone, Moscow detects a continuing desire to bring down the Assad regime.",
        topics=["syria", "iran", "middle-east", "russia", "united-states"],
        locator="para. 6",
        effect=Effect.HINDERS,
        salience=Salience.MEDIUM,
        deliverable="Tighter coordination in Syria, as Bolton says was agreed in Moscow",
        rationale="U.S. officials' two themes, that Russia should force Iranian forces out of "
        "Syria and that U.S. troops will stay until they are gone, make working together "
        "more difficult (para. 6). Genuine strategic cooperation in Syria and the Middle "
        "East is an increasingly distant goal.",
        positions=[
            PositionData(
                side="US",
                leader="john-bolton",
                posture=Posture.LEANS_COOPERATIVE,
                summary="Says his meetings in Moscow produced an agreement to tighten "
                "coordination in Syria.",
                quote="agreement to tighten coordination",
                stated_on=NOV_2018,
                precision=MONTH,
                locator="para. 6",
            ),
            PositionData(
                side="US",
                attribution="U.S. officials",
                posture=Posture.LEANS_HARDLINE,
                summary="Regularly stress that Russia should force Iranian and Iran-backed "
                "forces out of Syria.",
                stated_on=NOV_2018,
                precision=MONTH,
                locator="para. 6",
            ),
            PositionData(
                side="US",
                attribution="U.S. officials",
                posture=Posture.LEANS_HARDLINE,
                summary="Stress that some U.S. troops will remain in Syria until Iranian and "
                "Iran-backed forces are gone.",
                stated_on=NOV_2018,
                precision=MONTH,
                locator="para. 6",
            ),
            PositionData(
                side="RU",
                attribution="Moscow",
                posture=Posture.LEANS_HARDLINE,
                summary="Detects in the U.S. stance a continuing desire to bring down the "
                "Assad regime; forcing out Iran, its essential partner in Syria, is a "
                "nonstarter.",
                stated_on=NOV_2018,
                precision=MONTH,
                locator="para. 6",
            ),
        ],
    ),
]

# title, date, precision, description, issues, locator
EVENTS = [
    (
        "Helsinki summit",
        date(2018, 7, 16),
        DAY,
        "Putin and Trump meet at a summit in Helsinki, one of the previous meetings that the "
        "article does not expect Buenos Aires to replay.",
        [],
        "para. 7 and photo caption",
    ),
    (
        "INF withdrawal announced",
        date(2018, 10, 20),
        DAY,
        "The Trump administration proposes withdrawing from the 1987 Treaty on "
        "Intermediate-Range Nuclear Forces.",
        ["arms-control"],
        "para. 4",
    ),
    (
        "Bolton in Moscow",
        OCT_2018,
        MONTH,
        "National Security Advisor John Bolton meets Putin in Moscow in late October. He does "
        "not mention Ukraine at his press conference, dismisses Russian denials of election "
        "interference, and says the meetings produced an agreement to tighten coordination "
        "in Syria.",
        ["ukraine", "election-meddling", "syria-and-iran"],
        "paras. 3, 5 and 6",
    ),
    (
        "Pence and Putin in Singapore",
        YEAR_2018,
        YEAR,
        "In a brief encounter with Putin in Singapore, Vice President Mike Pence reportedly "
        "dismisses Russian denials of election interference. The article does not date it.",
        ["election-meddling"],
        "para. 5",
    ),
    (
        "Kerch Strait incident",
        date(2018, 11, 25),
        DAY,
        "Russian attacks on Ukrainian naval ships off Crimea make Ukraine impossible to avoid "
        "at the Buenos Aires meeting.",
        ["ukraine"],
        "para. 3",
    ),
    (
        "New START expiry",
        date(2021, 2, 5),
        DAY,
        "The Obama-era New START treaty on strategic nuclear arms expires unless renewed.",
        ["arms-control"],
        "para. 4",
    ),
]

# title, description, likelihood
SCENARIOS = [
    (
        "Concrete problem-solving",
        "The disagreements encourage Trump and Putin to focus at last on concrete problem-solving.",
        Likelihood.UNLIKELY,
    ),
    (
        "Open competition",
        "The disagreements produce more open and explicit competition.",
        Likelihood.EVEN,
    ),
    (
        "Estrangement",
        "The two presidents give up on better relations altogether and accept estrangement "
        "as a fact of life.",
        Likelihood.EVEN,
    ),
    (
        "Lip service without movement",
        "A replay of previous meetings: continued lip service to cooperation without any "
        "forward movement. The article calls this less likely.",
        Likelihood.UNLIKELY,
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
    first = Stamp(BEFORE_THE_ATTACK)
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
    # The meeting was expected before the incident (para. 2: "If [...] Trump sits down with
    # [...] Putin on the sidelines"); its outlook is the article's, written after it.
    meeting = _upsert_in_two_steps(
        Meeting,
        {"slug": MEETING["slug"]},
        {**{k: v for k, v in MEETING.items() if k != "slug"}, "summit": summit},
        first=(
            dict.fromkeys(MEETING_OUTLOOK, ""),
            Stamp(BEFORE_THE_ATTACK, "expected on the sidelines of the G20 (para. 2)"),
        ),
        then=Stamp(RECORDED, "outlook drawn from the CFR In Brief (paras. 1, 2 and 7)"),
        links={"participants": [leaders["donald-trump"], leaders["vladimir-putin"]]},
    )

    issues = {}
    for data in ISSUES:
        issues[data.slug] = _load_issue(data, article, countries, leaders, topics, meeting)

    for title, occurred_on, precision, description, issue_slugs, locator in EVENTS:
        values = {
            "occurred_on": occurred_on,
            "occurred_on_precision": precision,
            "description": description,
        }
        event_issues = [issues[slug] for slug in issue_slugs]
        event = Event.objects.filter(title=title).first()
        if event is None:
            # One revision, written once the event's links and citation are saved too.
            event = Event(title=title, **values)
            event._history_date, event._change_reason = RECORDED, drawn_from(locator)
            with one_revision(event):
                event.full_clean()
                event.save()
                _link_event(event, event_issues, meeting, article, locator)
        else:
            _upsert(Event, {"pk": event.pk}, values)
            _link_event(event, event_issues, meeting, article, locator)

    for order, (title, description, likelihood) in enumerate(SCENARIOS, start=1):
        _upsert(
            Scenario,
            {"meeting": meeting, "title": title},
            {
                "description": description,
                "likelihood": likelihood,
                "order": order,
                "source": article,
                "locator": "para. 7",
            },
            stamp=Stamp(RECORDED, "as the CFR In Brief assesses it (para. 7)"),
        )

    return {
        "sources": Source.objects.count(),
        "leaders": Leader.objects.count(),
        "issues": Issue.objects.count(),
        "positions": Position.objects.count(),
        "events": Event.objects.count(),
        "assessments": OutlookAssessment.objects.count(),
        "scenarios": Scenario.objects.count(),
    }


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
    earlier = data.before_the_attack
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
                Stamp(BEFORE_THE_ATTACK, earlier.issue_note),
            ),
            then=Stamp(RECORDED, AFTER_THE_INCIDENT),
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
                "stated_on": position.stated_on,
                "stated_on_precision": position.precision,
                "source": article,
                "locator": position.locator,
            },
            stamp=Stamp(position.recorded, drawn_from(position.locator)),
        )

    _load_assessment(data, issue, meeting, article)
    return issue


def _load_assessment(data: IssueData, issue: Issue, meeting, article) -> OutlookAssessment:
    """The issue's outlook assessment, citing the article, in one revision at first; for an
    issue the article shows changing, first as it stood before the incident."""
    values = {
        "effect": data.effect,
        "salience": data.salience,
        "deliverable": data.deliverable,
        "rationale": data.rationale,
        "status": PublicationStatus.PUBLISHED,
    }
    earlier = data.before_the_attack
    first_values = values
    stamp = Stamp(RECORDED, f"as the CFR In Brief assesses it ({data.locator})")
    if earlier is not None:
        first_values = {
            **values,
            "effect": earlier.effect,
            "salience": earlier.salience,
            "rationale": earlier.rationale,
        }
        stamp = Stamp(BEFORE_THE_ATTACK, earlier.assessment_note)
    assessment = OutlookAssessment.objects.filter(issue=issue, meeting=meeting).first()
    if assessment is None:
        assessment = OutlookAssessment(issue=issue, meeting=meeting, **first_values)
        assessment._history_date, assessment._change_reason = stamp.when, stamp.note
        with one_revision(assessment):
            assessment.full_clean()
            assessment.save()
            _cite(AssessmentCitation, "assessment", assessment, article, data.locator)
        del assessment._history_date, assessment._change_reason
        if earlier is not None:
            _revise(assessment, values, Stamp(RECORDED, AFTER_THE_INCIDENT))
    else:
        _upsert(OutlookAssessment, {"pk": assessment.pk}, values)
        _cite(AssessmentCitation, "assessment", assessment, article, data.locator)
    return assessment
