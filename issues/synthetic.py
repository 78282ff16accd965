"""A synthetic archive at scale, for load tests and benchmarks (`manage.py generate_dataset`).

Everything here is invented: countries, people, treaties and quotes are built from made-up
syllables and sentence templates, so no real person is quoted and nothing reads as a claim
about the world. Every source URL is under example.org (reserved for examples), every bio and
source note says the record is synthetic, and every slug starts with `syn-`.

The generator is deterministic for a given seed and scale. It writes with bulk inserts in
batches (a few thousand rows a statement), records one revision per record (two for some
positions: an earlier wording, or a withdrawal) and the many-to-many links of each revision,
so history pages, feeds and time travel have something to read.

Shape (at scale 1): a few issues carry thousands of positions (the largest 5,000), most carry
a few dozen; text is of real length (a position's summary is two to four sentences, an
issue's background three paragraphs).
"""

import math
import random
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from issues.caching import bump_generation
from issues.models import (
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

#: Counts at scale 1 (the defaults of `generate_dataset`).
FULL_SCALE = {
    "summits": 200,
    "leaders": 2_000,
    "issues": 10_000,
    "positions": 1_000_000,
    "sources": 100_000,
    "events": 50_000,
}
#: Positions of the largest issues at scale 1: the pages that must stay bounded.
LARGE_ISSUES = (5_000, 4_000, 3_000, 2_500, 2_000)
COUNTRIES = 60
MEETINGS_PER_SUMMIT = 3
SCENARIOS_PER_MEETING = 3
#: A word found in a handful of positions only (one in 100,000): the benchmark's rare term.
RARE_TERM = "quorvane"
#: A word found in a large share of positions: the benchmark's common term.
COMMON_TERM = "sanctions"
SLUG_PREFIX = "syn-"
SYNTHETIC_NOTE = "Synthetic record generated for load testing; not a real source."

BATCH = 5_000
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2026, 6, 30)

_SYLLABLE_TEXT = (
    "al bar cor dun el fen gor hal ist jor kel lor mir nov or pel quen ros sil tor ul ven "
    "wen yar zel ath bren cal dor esk fal grim hest ibo jat kra lun mag nesh olv pra rin "
    "sav tam uvo vil wyr xan yel zor"
)
SYLLABLES = tuple(_SYLLABLE_TEXT.split())

TOPICS = (
    "Arms control",
    "Trade",
    "Energy",
    "Sanctions policy",
    "Climate",
    "Migration",
    "Cyber security",
    "Maritime borders",
    "Nuclear safety",
    "Food security",
    "Public health",
    "Development aid",
    "Space",
    "Financial regulation",
    "Human rights",
    "Territorial disputes",
)


def pseudo_word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables))


def pseudo_name(rng: random.Random, low: int = 2, high: int = 3) -> str:
    return pseudo_word(rng, rng.randint(low, high)).capitalize()


class Prose:
    """Sentences of policy prose from templates filled with invented names.

    A pool of sentences is drawn once; records take a few of them, so generating a million
    summaries costs little. Words follow the templates' skew: "sanctions" is common, most
    invented names are rare.
    """

    ACTORS = (
        "The delegation of {country}",
        "Officials in {city}",
        "The foreign ministry of {country}",
        "Negotiators for {country}",
        "The president's office in {city}",
        "A spokesperson for {country}",
        "The defence ministry",
        "Senior diplomats",
        "The trade envoy of {country}",
        "Parliamentary leaders in {city}",
    )
    VERBS = (
        "rejected",
        "welcomed",
        "called for",
        "warned against",
        "signalled support for",
        "questioned",
        "demanded",
        "proposed",
        "dismissed",
        "endorsed",
        "reserved judgement on",
        "set conditions for",
    )
    OBJECTS = (
        "new sanctions on the {sector} sector",
        "the lifting of sanctions on {sector} exports",
        "targeted sanctions against officials of {country}",
        "a verification regime for the {treaty}",
        "an extension of the {treaty}",
        "talks on {topic}",
        "a ceasefire along the {river} line",
        "tariffs on {sector} imports",
        "the release of detained {sector} workers",
        "a joint commission on {topic}",
        "inspections under the {treaty}",
        "a moratorium on {sector} drilling near {city}",
        "shared monitoring of the {river} estuary",
        "a summit statement on {topic}",
    )
    QUALIFIERS = (
        "ahead of the summit",
        "in a televised address",
        "without giving a timetable",
        "after a closed-door session in {city}",
        "citing the {treaty}",
        "in a written statement",
        "at a press conference in {city}",
        "while leaving room for compromise",
        "and pointed to earlier commitments on {topic}",
        "for the second time this year",
    )
    SECTORS = (
        "steel",
        "grain",
        "gas",
        "banking",
        "fisheries",
        "shipping",
        "aluminium",
        "fertiliser",
        "semiconductor",
        "timber",
    )

    def __init__(self, rng: random.Random, countries: list[str], pool_size: int = 6_000):
        self.rng = rng
        self.countries = countries
        self.cities = [pseudo_name(rng) for _ in range(80)]
        self.treaties = [f"{pseudo_name(rng)} {rng.choice(('Accord', 'Treaty', 'Protocol'))}"]
        self.treaties += [
            f"{pseudo_name(rng)} {rng.choice(('Accord', 'Treaty', 'Protocol', 'Compact'))}"
            for _ in range(60)
        ]
        self.rivers = [pseudo_name(rng) for _ in range(40)]
        self.pool = [self._sentence() for _ in range(pool_size)]

    def _fill(self, template: str) -> str:
        rng = self.rng
        return template.format(
            country=rng.choice(self.countries),
            city=rng.choice(self.cities),
            treaty=rng.choice(self.treaties),
            river=rng.choice(self.rivers),
            sector=rng.choice(self.SECTORS),
            topic=rng.choice(TOPICS).lower(),
        )

    def _sentence(self) -> str:
        rng = self.rng
        parts = [rng.choice(self.ACTORS), rng.choice(self.VERBS), rng.choice(self.OBJECTS)]
        if rng.random() < 0.7:
            parts.append(rng.choice(self.QUALIFIERS))
        return self._fill(" ".join(parts)) + "."

    def sentences(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(self.pool, k=self.rng.randint(low, high)))

    def paragraphs(self, count: int, low: int, high: int) -> str:
        return "\n\n".join(self.sentences(low, high) for _ in range(count))


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def random_day(rng: random.Random, start: date = FIRST_DAY, end: date = LAST_DAY) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def scaled(count: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(count * scale))


def split_positions(total: int, issues: int, scale: float, rng: random.Random) -> list[int]:
    """How many positions each issue gets: a few large issues, a long tail of small ones."""
    large = [min(total, scaled(count, scale)) for count in LARGE_ISSUES][:issues]
    while sum(large) > total:
        large.pop()
    rest = total - sum(large)
    tail = issues - len(large)
    if tail <= 0:
        large[0] += rest
        return large
    weights = [rng.lognormvariate(0, 1.3) for _ in range(tail)]
    # The tail stays below the large issues, unless the archive is too small for that.
    biggest = large[-1] if large and large[-1] * tail >= 2 * rest else rest
    norm = rest / sum(weights)
    counts = [min(biggest, int(w * norm)) for w in weights]
    short = rest - sum(counts)
    index = 0
    while short > 0:  # hand out the remainder one by one, never above the large issues
        if counts[index % tail] < biggest:
            counts[index % tail] += 1
            short -= 1
        index += 1
    return large + counts


@dataclass
class Progress:
    """A one-line progress bar on a stream (stderr by default); silent when `quiet`."""

    stream: object = field(default_factory=lambda: sys.stderr)
    quiet: bool = False
    width: int = 30

    def step(self, label: str, done: int, total: int) -> None:
        if self.quiet:
            return
        filled = self.width * done // max(total, 1)
        bar = "#" * filled + "-" * (self.width - filled)
        end = "\n" if done >= total else ""
        self.stream.write(f"\r{label:<22} [{bar}] {done:>9,}/{total:,}{end}")
        self.stream.flush()


def batched(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def revision(obj: models.Model, when: datetime, kind: str = "+", **changes) -> models.Model:
    """A historical row of `obj` as it stands (or with `changes`), dated `when`."""
    history_model = type(obj).history.model
    values = {f.attname: getattr(obj, f.attname) for f in history_model.tracked_fields}
    values.update(changes)
    return history_model(
        history_date=when,
        history_type=kind,
        history_change_reason="generated",
        history_user_id=None,
        **values,
    )


def m2m_revisions(history_model, revisions, through_rows, owner: str) -> list[models.Model]:
    """Historical many-to-many rows: each revision snapshots its owner's links."""
    by_owner: dict[int, list] = {}
    for row in through_rows:
        by_owner.setdefault(getattr(row, f"{owner}_id"), []).append(row)
    names = [f.attname for f in history_model._meta.concrete_fields if f.attname != "history_id"]
    names.remove("m2m_history_id")
    rows = []
    for rev in revisions:
        for link in by_owner.get(rev.id, ()):
            rows.append(
                history_model(history_id=rev.history_id, **{n: getattr(link, n) for n in names})
            )
    return rows


def m2m_history_model(model: type[models.Model], name: str) -> type[models.Model]:
    return model.history.model._meta.apps.get_model("issues", f"Historical{model.__name__}_{name}")


class Generator:
    def __init__(self, *, scale: float = 1.0, seed: int = 9, progress: Progress | None = None):
        if not 0 < scale <= 10:
            raise ValueError("The scale is a number above 0, at most 10.")
        self.scale = scale
        self.rng = random.Random(seed)
        self.progress = progress or Progress(quiet=True)
        self.counts = {name: scaled(count, scale) for name, count in FULL_SCALE.items()}
        self.counts["positions"] = max(self.counts["positions"], self.counts["issues"])
        self.written: dict[str, int] = {}
        self.next_ids: dict[type[models.Model], int] = {}

    # -- writing ---------------------------------------------------------------------------

    def insert(self, label: str, model, rows: Iterable, total: int) -> list:
        """Bulk insert `rows` in batches, with a progress bar; returns the saved objects."""
        saved = []
        done = 0
        self.progress.step(label, 0, total)
        for batch in batched(rows, BATCH):
            saved.extend(self.fast_insert(model, batch))
            done += len(batch)
            self.progress.step(label, done, total)
        self.written[label] = self.written.get(label, 0) + done
        return saved

    def insert_quietly(self, model, rows: list, label: str | None = None) -> list:
        saved = []
        for batch in batched(rows, BATCH):
            saved.extend(self.fast_insert(model, batch))
        if label:
            self.written[label] = self.written.get(label, 0) + len(saved)
        return saved

    def with_revisions(self, label, model, objects, when: Callable) -> tuple[list, list]:
        saved = self.insert(label, model, objects, len(objects))
        revisions = self.insert_quietly(
            model.history.model, [revision(o, when(o)) for o in saved], "revisions"
        )
        return saved, revisions

    # -- the archive -----------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        with transaction.atomic():
            self.make_countries()
            self.prose = Prose(self.rng, [c.name for c in self.countries])
            self.make_topics()
            self.make_leaders()
            self.make_sources()
            self.make_summits_and_meetings()
            self.make_issues()
            self.make_assessments_and_scenarios()
            self.make_positions()
            self.make_events()
            self.reset_sequences()
        return self.written

    def make_countries(self) -> None:
        taken_codes = set(Country.objects.values_list("code", flat=True))
        taken_names = set(Country.objects.values_list("name", flat=True))
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        codes = [a + b for a in letters for b in letters if a + b not in taken_codes]
        self.rng.shuffle(codes)
        wanted = max(4, min(COUNTRIES, round(COUNTRIES * math.sqrt(self.scale))))
        countries = []
        for code in codes[:wanted]:
            name = f"Republic of {pseudo_name(self.rng)}"
            while name in taken_names:
                name = f"Republic of {pseudo_name(self.rng)}"
            taken_names.add(name)
            countries.append(Country(code=code, name=name))
        self.countries = self.insert_quietly(Country, countries, "countries")

    def make_topics(self) -> None:
        topics = []
        for name in TOPICS:
            slug = SLUG_PREFIX + name.lower().replace(" ", "-")
            topic, _ = Topic.objects.get_or_create(
                slug=slug, defaults={"name": f"{name} (synthetic)"}
            )
            topics.append(topic)
        self.topics = topics

    def make_leaders(self) -> None:
        rng = self.rng
        leaders = []
        for number in range(self.counts["leaders"]):
            name = f"{pseudo_name(rng)} {pseudo_name(rng, 2, 4)}"
            leaders.append(
                Leader(
                    name=name,
                    slug=f"{SLUG_PREFIX}{name.lower().replace(' ', '-')}-{number}",
                    country=self.countries[number % len(self.countries)],
                    bio=f"{self.prose.sentences(1, 2)} {SYNTHETIC_NOTE}",
                )
            )
        self.leaders, _ = self.with_revisions(
            "leaders", Leader, leaders, lambda o: noon(random_day(rng, end=date(2005, 1, 1)))
        )
        self.leaders_of: dict[int, list[Leader]] = {}
        for leader in self.leaders:
            self.leaders_of.setdefault(leader.country_id, []).append(leader)
        titles = ("President", "Prime minister", "Foreign minister", "Trade minister", "Envoy")
        offices = [
            Office(
                leader=leader,
                title=f"{rng.choice(titles)} of {self.country_name(leader.country_id)}",
                started_on=random_day(rng, end=date(2015, 1, 1)),
            )
            for leader in self.leaders
        ]
        self.insert_quietly(Office, offices, "offices")

    def country_name(self, country_id: int) -> str:
        return next(c.name for c in self.countries if c.pk == country_id)

    def make_sources(self) -> None:
        rng = self.rng
        publishers = [f"The {pseudo_name(rng)} {rng.choice(('Herald', 'Review'))}"]
        publishers += [f"{pseudo_name(rng)} News Agency" for _ in range(50)]

        def source(number: int) -> Source:
            published = random_day(rng)
            return Source(
                title=self.prose.sentences(1, 1)[:-1][:290],
                publisher=rng.choice(publishers),
                author=f"{pseudo_name(rng)} {pseudo_name(rng)}",
                url=f"https://example.org/synthetic/source/{number}",
                kind=rng.choice(SourceKind.values),
                published_on=published,
                accessed_on=published + timedelta(days=rng.randrange(60)),
                notes=f"{self.prose.sentences(1, 2)} {SYNTHETIC_NOTE}",
            )

        sources = self.insert(
            "sources",
            Source,
            (source(n) for n in range(self.counts["sources"])),
            self.counts["sources"],
        )
        self.insert_quietly(
            Source.history.model,
            [revision(s, noon(s.published_on)) for s in sources],
            "revisions",
        )
        self.source_ids = [s.pk for s in sources]

    def make_summits_and_meetings(self) -> None:
        rng = self.rng
        summits = []
        for number in range(self.counts["summits"]):
            starts = random_day(rng, end=date(2026, 1, 1))
            city = pseudo_name(rng)
            summits.append(
                Summit(
                    name=f"{city} Summit {starts.year}",
                    slug=f"{SLUG_PREFIX}summit-{number}",
                    host_city=city,
                    host_country=rng.choice(self.countries),
                    starts_on=starts,
                    ends_on=starts + timedelta(days=rng.randint(1, 3)),
                    summary=self.prose.sentences(2, 4),
                )
            )
        self.summits, _ = self.with_revisions(
            "summits", Summit, summits, lambda s: noon(s.starts_on - timedelta(days=30))
        )
        meetings = []
        pairs = []
        for summit in self.summits:
            for number in range(MEETINGS_PER_SUMMIT):
                first, second = rng.sample(self.leaders, 2)
                meetings.append(
                    Meeting(
                        summit=summit,
                        title=f"{first.name} and {second.name} at {summit.name}",
                        slug=f"{SLUG_PREFIX}{summit.slug.removeprefix(SLUG_PREFIX)}-{number}",
                        scheduled_on=summit.starts_on,
                        status=MeetingStatus.HELD,
                        headline=self.prose.sentences(1, 1)[:290],
                        outlook_summary=self.prose.sentences(3, 5),
                    )
                )
                pairs.append((first, second))
        self.meetings, revisions = self.with_revisions(
            "meetings", Meeting, meetings, lambda m: noon(m.scheduled_on - timedelta(days=20))
        )
        through = Meeting.participants.through
        links = [
            through(meeting_id=meeting.pk, leader_id=leader.pk)
            for meeting, pair in zip(self.meetings, pairs, strict=True)
            for leader in pair
        ]
        links = self.insert_quietly(through, links)
        self.insert_quietly(
            m2m_history_model(Meeting, "participants"),
            m2m_revisions(m2m_history_model(Meeting, "participants"), revisions, links, "meeting"),
        )

    def make_issues(self) -> None:
        rng = self.rng
        issues = []
        for number in range(self.counts["issues"]):
            title = f"{rng.choice(TOPICS)}: the {pseudo_name(rng)} question"
            issues.append(
                Issue(
                    title=title,
                    slug=f"{SLUG_PREFIX}issue-{number}",
                    summary=self.prose.sentences(3, 5)[:1000],
                    background=self.prose.paragraphs(3, 4, 6),
                    # One in twenty is a draft, never the large ones (they are benchmarked).
                    status=PublicationStatus.DRAFT
                    if number >= len(LARGE_ISSUES) and rng.random() < 0.05
                    else PublicationStatus.PUBLISHED,
                    order=number % 100,
                )
            )
        self.issues = self.insert("issues", Issue, issues, len(issues))
        self.sides: dict[int, list[Country]] = {}
        topic_links, side_links, meeting_links = [], [], []
        for issue in self.issues:
            sides = rng.sample(self.countries, rng.choice((2, 2, 2, 3)))
            self.sides[issue.pk] = sides
            side_links += [Issue.sides.through(issue_id=issue.pk, country_id=c.pk) for c in sides]
            topic_links += [
                Issue.topics.through(issue_id=issue.pk, topic_id=t.pk)
                for t in rng.sample(self.topics, rng.randint(1, 3))
            ]
            meeting_links += [
                Issue.meetings.through(issue_id=issue.pk, meeting_id=m.pk)
                for m in rng.sample(self.meetings, min(len(self.meetings), rng.randint(1, 2)))
            ]
        self.insert_quietly(Issue.sides.through, side_links)
        topic_links = self.insert_quietly(Issue.topics.through, topic_links)
        self.meeting_links = self.insert_quietly(Issue.meetings.through, meeting_links)
        revisions = self.insert_quietly(
            Issue.history.model,
            [revision(i, noon(random_day(rng, end=date(2010, 1, 1)))) for i in self.issues],
            "revisions",
        )
        for name, links in (("topics", topic_links), ("meetings", self.meeting_links)):
            model = m2m_history_model(Issue, name)
            self.insert_quietly(model, m2m_revisions(model, revisions, links, "issue"))

    def make_assessments_and_scenarios(self) -> None:
        rng = self.rng
        assessments = [
            OutlookAssessment(
                issue_id=link.issue_id,
                meeting_id=link.meeting_id,
                effect=rng.choice(Effect.values),
                salience=rng.choice(Salience.values),
                deliverable=self.prose.sentences(1, 1)[:290],
                rationale=self.prose.paragraphs(2, 2, 4),
                status=PublicationStatus.PUBLISHED,
            )
            for link in self.meeting_links
        ]
        assessments, revisions = self.with_revisions(
            "assessments",
            OutlookAssessment,
            assessments,
            lambda a: noon(random_day(rng, start=date(2010, 1, 1))),
        )
        citations = self.insert_quietly(
            AssessmentCitation,
            [
                AssessmentCitation(
                    assessment=a, source_id=rng.choice(self.source_ids), locator="para. 2"
                )
                for a in assessments
            ],
        )
        model = OutlookAssessment.history.model._meta.apps.get_model(
            "issues", "HistoricalAssessmentCitation"
        )
        self.insert_quietly(model, m2m_revisions(model, revisions, citations, "assessment"))
        scenarios = [
            Scenario(
                meeting=meeting,
                title=f"Scenario {number + 1}: {self.prose.sentences(1, 1)[:150]}",
                description=self.prose.sentences(2, 3),
                likelihood=rng.choice(Likelihood.values),
                order=number,
                status=PublicationStatus.PUBLISHED,
            )
            for meeting in self.meetings
            for number in range(SCENARIOS_PER_MEETING)
        ]
        self.with_revisions(
            "scenarios",
            Scenario,
            scenarios,
            lambda s: noon(random_day(rng, start=date(2010, 1, 1))),
        )

    def make_positions(self) -> None:
        total = self.counts["positions"]
        published = [i for i in self.issues if i.status == PublicationStatus.PUBLISHED]
        drafts = [i for i in self.issues if i.status != PublicationStatus.PUBLISHED]
        ordered = published + drafts  # the large issues come first and are published
        counts = split_positions(total, len(ordered), self.scale, self.rng)
        plan = ((issue, count) for issue, count in zip(ordered, counts, strict=True))
        done = 0
        self.progress.step("positions", 0, total)
        for chunk in batched(self._positions(plan), BATCH):
            saved = self.fast_insert(Position, [position for position, _ in chunk])
            revisions = []
            for position, earlier in zip(saved, (e for _, e in chunk), strict=True):
                if earlier is None:
                    revisions.append(revision(position, noon(position.stated_on)))
                else:
                    later = earlier.pop("_when")
                    revisions.append(
                        revision(position, noon(position.stated_on), version=1, **earlier)
                    )
                    revisions.append(revision(position, later, kind="~"))
            self.fast_insert(Position.history.model, revisions)
            done += len(saved)
            self.written["revisions"] = self.written.get("revisions", 0) + len(revisions)
            self.progress.step("positions", done, total)
        self.written["positions"] = done

    def fast_insert(self, model, objs: list) -> list:
        """`bulk_create`, or on PostgreSQL a COPY (several times faster for a million rows):
        the ids are assigned here, and the sequences moved past them at the end."""
        if connection.vendor != "postgresql":
            return model.objects.bulk_create(objs)
        pk = model._meta.pk
        if model not in self.next_ids:
            self.next_ids[model] = (model.objects.aggregate(top=Max(pk.name))["top"] or 0) + 1
        now = timezone.now()
        fields = [f for f in model._meta.concrete_fields if not f.generated]
        for obj in objs:
            setattr(obj, pk.attname, self.next_ids[model])
            self.next_ids[model] += 1
            for name in ("created_at", "updated_at"):
                if hasattr(obj, name) and getattr(obj, name) is None:
                    setattr(obj, name, now)
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        names = [f.attname for f in fields]
        sql = f"COPY {table} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for obj in objs:
                copy.write_row([getattr(obj, name) for name in names])
        return objs

    def reset_sequences(self) -> None:
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for model in self.next_ids:
                table = model._meta.db_table
                column = model._meta.pk.column
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                    f"(SELECT MAX({connection.ops.quote_name(column)}) FROM "
                    f"{connection.ops.quote_name(table)}))",
                    [table, column],
                )

    def _positions(self, plan) -> Iterator[tuple[Position, dict | None]]:
        """Positions with, for one in ten, the values of an earlier revision."""
        rng = self.rng
        number = 0
        for issue, count in plan:
            sides = self.sides[issue.pk]
            for _ in range(count):
                number += 1
                side = rng.choice(sides)
                speakers = self.leaders_of.get(side.pk) or [None]
                leader = rng.choice(speakers) if rng.random() < 0.9 else None
                summary = self.prose.sentences(2, 4)
                if number % 100_000 == 50_000 or (self.scale < 0.1 and number % 1_000 == 500):
                    summary += f" The talks were code-named {RARE_TERM.capitalize()}."
                stated_on = random_day(rng)
                position = Position(
                    issue=issue,
                    country=side,
                    leader=leader,
                    attribution="" if leader else f"Officials of {side.name}",
                    kind=rng.choice(PositionKind.values),
                    posture=rng.choice(Posture.values),
                    summary=summary,
                    quote=f"“{self.prose.sentences(1, 2)}”" if rng.random() < 0.5 else "",
                    stated_on=stated_on,
                    stated_on_precision=DatePrecision.DAY,
                    source_id=rng.choice(self.source_ids),
                    locator=f"para. {rng.randint(1, 40)}",
                    status=PublicationStatus.PUBLISHED
                    if rng.random() < 0.97
                    else PublicationStatus.DRAFT,
                )
                earlier = None
                roll = rng.random()
                if roll < 0.05:  # withdrawn later: the earlier revision was current
                    when = noon(stated_on + timedelta(days=rng.randint(10, 400)))
                    position.withdrawn_at = when
                    position.version = 2
                    earlier = {"withdrawn_at": None, "_when": when}
                elif roll < 0.10:  # reworded later
                    position.version = 2
                    earlier = {
                        "summary": self.prose.sentences(2, 3),
                        "posture": rng.choice(Posture.values),
                        "_when": noon(stated_on + timedelta(days=rng.randint(1, 60))),
                    }
                yield position, earlier

    def make_events(self) -> None:
        rng = self.rng
        total = self.counts["events"]
        done = 0
        issue_ids = [i.pk for i in self.issues]
        self.progress.step("events", 0, total)
        history_models = {
            "issues": m2m_history_model(Event, "issues"),
            "meetings": m2m_history_model(Event, "meetings"),
            "sources": Event.history.model._meta.apps.get_model(
                "issues", "HistoricalEventCitation"
            ),
        }
        for start in range(0, total, BATCH):
            events = [
                Event(
                    title=self.prose.sentences(1, 1)[:190],
                    occurred_on=random_day(rng),
                    description=self.prose.sentences(2, 4),
                    status=PublicationStatus.PUBLISHED,
                )
                for _ in range(min(BATCH, total - start))
            ]
            events = self.fast_insert(Event, events)
            revisions = self.fast_insert(
                Event.history.model, [revision(e, noon(e.occurred_on)) for e in events]
            )
            issue_links = [
                Event.issues.through(event_id=e.pk, issue_id=pk)
                for e in events
                for pk in rng.sample(issue_ids, min(len(issue_ids), rng.randint(1, 2)))
            ]
            meeting_links = [
                Event.meetings.through(event_id=e.pk, meeting_id=rng.choice(self.meetings).pk)
                for e in events
                if rng.random() < 0.2
            ]
            citations = [
                EventCitation(event_id=e.pk, source_id=pk, locator=f"para. {rng.randint(1, 30)}")
                for e in events
                for pk in rng.sample(self.source_ids, min(len(self.source_ids), 2))[
                    : rng.randint(1, 2)
                ]
            ]
            for name, through, links in (
                ("issues", Event.issues.through, issue_links),
                ("meetings", Event.meetings.through, meeting_links),
                ("sources", EventCitation, citations),
            ):
                links = self.fast_insert(through, links)
                history = history_models[name]
                self.fast_insert(history, m2m_revisions(history, revisions, links, "event"))
            done += len(events)
            self.written["revisions"] = self.written.get("revisions", 0) + len(revisions)
            self.progress.step("events", done, total)
        self.written["events"] = done


def _lift_statement_timeout() -> None:
    """The site's connections stop any statement after a few seconds (a request must fail
    fast); a bulk load's COPY of a hundred thousand rows may take longer on a busy machine."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")


def generate(*, scale: float = 1.0, seed: int = 9, progress: Progress | None = None) -> dict:
    """Write a synthetic archive into the default database; returns what was written."""
    if Issue.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        raise ValueError(
            "This database already holds a generated archive (slugs starting with "
            f"“{SLUG_PREFIX}”). Generate into an empty database."
        )
    _lift_statement_timeout()
    written = Generator(scale=scale, seed=seed, progress=progress).run()
    # Bulk inserts send no signals: cached reader pages must learn of the new archive.
    bump_generation()
    return written
