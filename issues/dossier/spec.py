"""What a dossier file holds, kind by kind: the file's name of each field, the model field
it maps to, and how its value is written. Export and import both read these tables, so a
field added here is exported, validated (see `schema.json`) and imported alike."""

from dataclasses import dataclass, field

from issues.models import (
    Analysis,
    Country,
    Event,
    Issue,
    IssueOutcome,
    Leader,
    Meeting,
    MeetingOutcome,
    OutlookAssessment,
    Position,
    Scenario,
    ScenarioOutcome,
    Source,
    Summit,
    Topic,
)

FORMAT = "summit-dossier"
VERSION = 3  # written by exports
#: The versions this site reads: version 2 added `analyses` and version 3 a meeting's
#: `outcome`, so a file of an earlier version (which has neither) reads as it always did.
READABLE_VERSIONS = (1, 2, 3)
#: The lists each version added, refused in a file of an earlier version.
ADDED_IN = {"analyses": 2}
#: The fields of a meeting each version added, likewise.
MEETING_FIELDS_ADDED_IN = {"outcome": 3}

# How a field's value is written (see `dates.py` for days and moments).
VALUE = "value"  # text, number or choice code, as stored
DAY = "day"
MOMENT = "moment"
REF = "ref"  # the natural key of one record of `target`
LINKS = "links"  # a list of natural keys (a many-to-many field)
CITATIONS = "citations"  # a list of {source, locator}


@dataclass(frozen=True)
class Field:
    name: str  # in the file
    attr: str = ""  # the model field; the same as `name` when empty
    how: str = VALUE
    target: str = ""  # the kind a REF, LINKS or CITATIONS field points at
    default: object = ""  # the value when the file leaves the field out
    in_history: bool = True  # whether revisions keep it (an issue's sides: no)

    @property
    def model_attr(self) -> str:
        return self.attr or self.name


@dataclass(frozen=True)
class Kind:
    name: str  # the list it sits in: "issues", "positions"…
    model: type
    key: tuple[str, ...]  # the fields that identify a record (within its parent)
    fields: tuple[Field, ...]
    publishable: bool = False
    dated: bool = True  # it keeps revisions: `since`, `note` and `history`
    parent: str = ""  # the model field that ties it to the record it is nested in
    children: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _status(default: str = "published") -> Field:
    return Field("status", default=default)


COUNTRIES = Kind("countries", Country, ("code",), (Field("code"), Field("name")), dated=False)
TOPICS = Kind("topics", Topic, ("slug",), (Field("slug"), Field("name")), dated=False)
LEADERS = Kind(
    "leaders",
    Leader,
    ("slug",),
    (
        Field("slug"),
        Field("name"),
        Field("native_name"),
        Field("native_name_lang"),
        Field("country", how=REF, target="countries", default=None),
        Field("bio"),
    ),
)
SOURCES = Kind(
    "sources",
    Source,
    ("url",),  # or the title, for a source with no URL (see `source_key`)
    (
        Field("title"),
        Field("url"),
        Field("kind", default="article"),
        Field("author"),
        Field("publisher"),
        Field("published_on", how=DAY, default=None),
        Field("accessed_on", how=DAY, default=None),
        Field("archived_url"),
        Field("licence"),
        Field("notes"),
        _status(),
    ),
    publishable=True,
)
SCENARIOS = Kind(
    "scenarios",
    Scenario,
    ("title",),
    (
        Field("title"),
        Field("description"),
        Field("likelihood", default=3),
        Field("source", how=REF, target="sources", default=None),
        Field("locator"),
        Field("order", default=0),
        _status(),
    ),
    publishable=True,
    parent="meeting",
)
MEETINGS = Kind(
    "meetings",
    Meeting,
    ("slug",),
    (
        Field("slug"),
        Field("title"),
        Field("scheduled_on", how=DAY, default=None),
        Field("status", default="expected"),
        Field("headline"),
        Field("outlook_summary"),
        Field("participants", how=LINKS, target="leaders", default=()),
    ),
    parent="summit",
    children=("scenarios",),
)
SUMMITS = Kind(
    "summits",
    Summit,
    ("slug",),
    (
        Field("slug"),
        Field("name"),
        Field("host_city"),
        Field("host_country", how=REF, target="countries", default=None),
        Field("starts_on", how=DAY, default=None),
        Field("ends_on", how=DAY, default=None),
        Field("dates_precision", default="day"),
        Field("dates_as"),
        Field("summary"),
    ),
    children=("meetings",),
)
POSITIONS = Kind(
    "positions",
    Position,
    ("side", "summary"),
    (
        Field("side", "country", how=REF, target="countries", default=None),
        Field("leader", how=REF, target="leaders", default=None),
        Field("attribution"),
        Field("kind"),
        Field("posture", default=None),
        Field("summary"),
        Field("quote"),
        Field("stated_on", how=DAY, default=None),
        Field("stated_until", how=DAY, default=None),
        Field("stated_on_precision", default="day"),
        Field("stated_as"),
        Field("source", how=REF, target="sources", default=None),
        Field("locator"),
        Field("withdrawn_at", how=MOMENT, default=None),
        _status(),
    ),
    publishable=True,
    parent="issue",
)
ASSESSMENTS = Kind(
    "assessments",
    OutlookAssessment,
    ("meeting",),
    (
        Field("meeting", how=REF, target="meetings", default=None),
        Field("effect", default=None),
        Field("salience", default=None),
        Field("deliverable"),
        Field("rationale"),
        Field("sources", how=CITATIONS, target="sources", default=()),
        _status(),
    ),
    publishable=True,
    parent="issue",
)
ISSUES = Kind(
    "issues",
    Issue,
    ("slug",),
    (
        Field("slug"),
        Field("title"),
        Field("summary"),
        Field("background"),
        Field("order", default=0),
        Field("topics", how=LINKS, target="topics", default=()),
        Field("sides", how=LINKS, target="countries", default=(), in_history=False),
        Field("meetings", how=LINKS, target="meetings", default=()),
        _status(),
    ),
    publishable=True,
    children=("positions", "assessments"),
)
EVENTS = Kind(
    "events",
    Event,
    ("title",),
    (
        Field("title"),
        Field("occurred_on", how=DAY, default=None),
        Field("occurred_until", how=DAY, default=None),
        Field("occurred_on_precision", default="day"),
        Field("occurred_as"),
        Field("description"),
        Field("issues", how=LINKS, target="issues", default=()),
        Field("meetings", how=LINKS, target="meetings", default=()),
        Field("sources", how=CITATIONS, target="sources", default=()),
        _status(),
    ),
    publishable=True,
)

ANALYSES = Kind(
    "analyses",
    Analysis,
    ("source", "locator", "text"),
    (
        Field("source", how=REF, target="sources", default=None),
        Field("author"),
        Field("locator"),
        Field("text"),
        Field("quote"),
        Field("issue", how=REF, target="issues", default=None),
        Field("meeting", how=REF, target="meetings", default=None),
        Field("order", default=0),
        _status(),
    ),
    publishable=True,
)

KINDS = {
    kind.name: kind
    for kind in (
        COUNTRIES,
        TOPICS,
        LEADERS,
        SOURCES,
        SUMMITS,
        MEETINGS,
        SCENARIOS,
        ISSUES,
        POSITIONS,
        ASSESSMENTS,
        EVENTS,
        ANALYSES,
    )
}
TOP_LEVEL = (
    "countries",
    "topics",
    "leaders",
    "sources",
    "summits",
    "issues",
    "events",
    "analyses",
)

# The order records are written in, so that what a record refers to exists before it.
WRITE_ORDER = TOP_LEVEL  # children are written right after their parent


# What happened at a meeting (`issues.models.outcomes`), nested in the meeting as its
# `outcome`. It is written as it stands, dated when it took effect, with no earlier states:
# importing it records it and scores the meeting through `issues.scoring.outcome_record`,
# so scores are computed again, never read from the file. An issue's or a scenario's
# `source` and `locator` are the outcome's when the file leaves them out.
OUTCOME = Kind(
    "outcome",
    MeetingOutcome,
    (),
    (
        Field("result"),
        Field("statement"),
        Field("source", how=REF, target="sources", default=None),
        Field("locator"),
    ),
    dated=False,
    children=("issues", "scenarios"),
)
ISSUE_OUTCOMES = Kind(
    "issue_outcomes",
    IssueOutcome,
    ("issue",),
    (
        Field("issue", how=REF, target="issues", default=None),
        Field("raised"),
        Field("what_was_said"),
        Field("deliverable_reached"),
        Field("source", how=REF, target="sources", default=None),
        Field("locator", default=None),
    ),
    dated=False,
)
SCENARIO_OUTCOMES = Kind(
    "scenario_outcomes",
    ScenarioOutcome,
    ("scenario",),
    (
        Field("scenario", how=REF, target="scenarios", default=None),  # its title
        Field("came_true"),
        Field("note"),
        Field("source", how=REF, target="sources", default=None),
        Field("locator", default=None),
    ),
    dated=False,
)
#: The outcome's lists and the kind of their items.
OUTCOME_PARTS = {"issues": ISSUE_OUTCOMES, "scenarios": SCENARIO_OUTCOMES}


def source_key(url: str, title: str) -> str:
    """A source is known by its URL, or by its title when it has none."""
    return url or title
