"""Site-wide search: people, issues, positions, events, outlook assessments and sources.

Results come grouped by kind, people first (names rank first), each group with its count;
a reader can narrow the search to one kind and page through it.

PostgreSQL: every searchable model keeps a stored, weighted `search_vector` (a generated
`tsvector` column with a GIN index; see `issues.models.sources.SearchDocument`). Names are
indexed as written (`simple`) and in English, so a query is run in both configurations:
`websearch_to_tsquery('english', q) || websearch_to_tsquery('simple', q)`. A leader is also
found by their offices ("president of russia"), a position by its leader's names ("bolton").

Bounded work whatever the archive holds: for each kind, at most `CANDIDATES` matching rows
(`PREVIEW_CANDIDATES` where the kind is only previewed or counted) are taken, unordered, so
the database stops as soon as it has them, and only those are ranked with `ts_rank`; a
common word matching 100,000 positions costs what a rarer one does. A group of more than
that many matches is counted by the planner's estimate ("about 380,000"), not by reading
every row. The ranked rows of every kind, the counts and the shown rows, with their marked
titles and snippets and what their results show, come back from one statement, whose
per-kind parts are compiled once per worker (`_FullText.matching_sql`, `_shown_values`).
No other query loads them.

SQLite has no full-text types, so there search matches whole words (case-insensitive in
every script, through Python's `re`, which Django registers as SQLite's REGEXP): every word
of the query must occur, a word in a name or title counts more than one in a summary, more
than one further down.

Everything goes through the publication policy (`visible_to(user)`). Snippets are escaped
before they are marked up: the only HTML in them is `<mark>`.
"""

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, reduce
from operator import add, or_

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    Expression,
    F,
    FloatField,
    IntegerChoices,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from issues.models import (
    Effect,
    Event,
    EventCitation,
    Issue,
    Leader,
    Office,
    OutlookAssessment,
    Position,
    PublicationStatus,
    Source,
)
from issues.models.publishing import can_see_drafts
from issues.models.sources import NAME_CONFIG
from issues.templatetags.dossier import fuzzy_date

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 20
# Results of each kind shown when every kind is shown.
PER_GROUP = 5
SUGGESTIONS = 8
# Matching rows ranked per kind: the bound on the work of a search. A kind's own pages rank
# `CANDIDATES` (15 pages of `PAGE_SIZE`); a kind only previewed (its first `PER_GROUP` results
# on the page of every kind), only counted (beside another kind's pages) or suggested ranks
# `PREVIEW_CANDIDATES`, which costs a third: finding each kind's candidates is most of a
# common word's time.
CANDIDATES = 300
PREVIEW_CANDIDATES = 100
CONFIG = "english"
# The fallback matches at most this many words of a query.
MAX_TERMS = 10

# Markers around matched words while the snippet is still plain text (Unicode private use
# characters, which text does not contain); they become <mark> once the text is escaped.
START, STOP = "\ue000", "\ue001"
_MARKERS = re.compile(f"([{START}{STOP}])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WORD = re.compile(r"[^\W_]+")
# Markdown that reads as noise in a one-line snippet: links keep their text, emphasis and
# code marks go.
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_MARKS = re.compile(r"\*\*|__|[*`]|^\s{0,3}(?:#{1,6}|>)\s*", re.MULTILINE)


class Kind(IntegerChoices):
    """What a result is; the value orders the groups (names first)."""

    LEADER = 1, "Person"
    ISSUE = 2, "Issue"
    POSITION = 3, "Position"
    EVENT = 4, "Event"
    ASSESSMENT = 5, "Assessment"
    SOURCE = 6, "Source"

    @property
    def plural(self) -> str:
        return "People" if self == Kind.LEADER else f"{self.label}s"

    @property
    def slug(self) -> str:
        """The kind's name in the URL (`?kind=people`)."""
        return self.plural.lower()

    @classmethod
    def from_slug(cls, slug: str | None) -> "Kind | None":
        return next((kind for kind in cls if kind.slug == slug), None)


@dataclass
class Result:
    kind: Kind
    title: SafeString
    url: str
    snippet: SafeString
    meta: str
    is_draft: bool
    # The record's primary key (of `kind`'s model).
    pk: int


@dataclass
class Group:
    """The results of one kind: `count` matches (`estimated`: the planner's estimate)."""

    kind: Kind
    count: int
    # The most matches that are ranked (beyond it, `count` is the planner's estimate).
    candidates: int
    estimated: bool = False
    results: list[Result] = field(default_factory=list)

    @property
    def shown_count(self) -> int:
        """How many of them can be paged through: the ranked candidates."""
        return min(self.count, self.candidates)

    @property
    def count_label(self) -> str:
        """ "12", or "about 98,000" (two significant figures) when estimated."""
        return count_label(self.count, estimated=self.estimated)

    @property
    def noun(self) -> str:
        return self.kind.label.lower() if self.count == 1 else self.kind.plural.lower()


def count_label(count: int, *, estimated: bool = False) -> str:
    if not estimated:
        return f"{count:,}"
    digits = max(len(str(count)) - 2, 0)
    return f"about {round(count, -digits):,}"


@dataclass
class Pages:
    """Where a page stands among the pages of one kind's results."""

    number: int
    num_pages: int
    per_page: int

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


@dataclass
class Found:
    """What a search found: every kind's group (with a count, in display order), and the
    results shown. With `kind`, the results are a page of that kind alone."""

    groups: list[Group]
    kind: Kind | None = None
    pages: Pages | None = None

    @property
    def results(self) -> list[Result]:
        return [result for group in self.groups for result in group.results]

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)

    @property
    def estimated(self) -> bool:
        return any(group.estimated for group in self.groups)

    @property
    def total_label(self) -> str:
        return count_label(self.total, estimated=self.estimated)

    @property
    def shown_groups(self) -> list[Group]:
        """The groups whose results are shown: the chosen kind's, or every kind found."""
        return [g for g in self.groups if g.results or (self.kind and g.kind == self.kind)]

    def group(self, kind: Kind) -> Group:
        return next(group for group in self.groups if group.kind == kind)


@dataclass(frozen=True)
class Searchable:
    """How one kind is found and shown."""

    kind: Kind
    model: type[Model]
    # Visible records, for matching (no joins beyond what visibility needs).
    visible: Callable[[object], QuerySet]
    # What a result shows, for a viewer: name -> field path or expression (the title and
    # snippet columns are added). Read with the ranked rows, by the ranking statement.
    shown: Callable[[object], dict[str, str | Expression]]
    # Columns of the snippet, in reading order; the title is shown apart.
    snippet_columns: tuple[str, ...]
    # The column highlighted as the result's title, when it is the record's own.
    title_column: str | None
    # (plain title, URL, meta line, is a draft), from a result's key and `shown` values.
    describe: Callable[[int, dict], tuple[str, str, str, bool]]
    # Columns of related rows matched too on SQLite (on PostgreSQL they are in the vector
    # or matched apart), by weight.
    related_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def columns(self) -> dict[str, tuple[str, ...]]:
        """The text columns of the model's search document, by weight ("A", "B", "C")."""
        return self.model._meta.get_field("search_vector").expression.columns


# What each kind shows (`Searchable.shown`), and how (`Searchable.describe`): the plain
# title, the URL, the meta line and whether it is a draft.


def _published(status: str) -> bool:
    return status == PublicationStatus.PUBLISHED


def _issue_url(slug: str, anchor: str = "") -> str:
    """An issue page's address, at `anchor` when given (as the records' own URLs are)."""
    url = reverse("issues:issue", kwargs={"slug": slug})
    return f"{url}#{anchor}" if anchor else url


def _leader_shown(user) -> dict[str, str | Expression]:
    latest = Office.objects.filter(leader=OuterRef("pk")).order_by("-started_on", "pk")
    return {
        "name": "name",
        "native_name": "native_name",
        "slug": "slug",
        "country": "country__name",
        "office": Subquery(latest.values("title")[:1]),
    }


def _describe_leader(pk: int, shown: dict) -> tuple[str, str, str, bool]:
    parts = [shown["native_name"], shown["office"], shown["country"]]
    url = reverse("issues:leader", kwargs={"slug": shown["slug"]})
    return shown["name"], url, " · ".join(p for p in parts if p), False


def _issue_shown(user) -> dict[str, str | Expression]:
    return {"title": "title", "slug": "slug", "status": "status"}


def _describe_issue(pk: int, shown: dict) -> tuple[str, str, str, bool]:
    return shown["title"], _issue_url(shown["slug"]), "", not _published(shown["status"])


def _position_shown(user) -> dict[str, str | Expression]:
    return {
        "leader": "leader__name",
        "attribution": "attribution",
        "issue_title": "issue__title",
        "issue_slug": "issue__slug",
        "issue_status": "issue__status",
        "country": "country__name",
        "stated_on": "stated_on",
        "stated_on_precision": "stated_on_precision",
        "status": "status",
    }


def _describe_position(pk: int, shown: dict) -> tuple[str, str, str, bool]:
    # As `Position.speaker`: the leader's name, or the attribution of a position without one.
    speaker = shown["leader"] if shown["leader"] is not None else shown["attribution"]
    stated = fuzzy_date(_day(shown["stated_on"]), shown["stated_on_precision"])
    url = _issue_url(shown["issue_slug"], f"position-{pk}")
    is_draft = not (_published(shown["status"]) and _published(shown["issue_status"]))
    return f"{speaker} on {shown['issue_title']}", url, f"{shown['country']}, {stated}", is_draft


def _visible_events(user) -> QuerySet[Event]:
    # Judged event by event, so that taking the first candidates reads only their links.
    return Event.objects.visible_each_to(user)


def _event_shown(user) -> dict[str, str | Expression]:
    # Where a result links: its first issue the viewer may see, else its first source.
    issues = Issue.objects.visible_to(user).filter(events=OuterRef("pk"))
    citations = EventCitation.objects.filter(
        event=OuterRef("pk"), source__in=Source.objects.visible_to(user)
    ).order_by("pk")
    return {
        "title": "title",
        "occurred_on": "occurred_on",
        "occurred_on_precision": "occurred_on_precision",
        "status": "status",
        "issue_slug": Subquery(issues.values("slug")[:1]),
        "source_pk": Subquery(citations.values("source_id")[:1]),
    }


def _describe_event(pk: int, shown: dict) -> tuple[str, str, str, bool]:
    if shown["issue_slug"]:
        url = _issue_url(shown["issue_slug"], f"event-{pk}")
    elif shown["source_pk"]:
        url = reverse("issues:source", kwargs={"pk": shown["source_pk"]})
    else:
        url = ""
    meta = fuzzy_date(_day(shown["occurred_on"]), shown["occurred_on_precision"])
    return shown["title"], url, meta, not _published(shown["status"])


def _assessment_shown(user) -> dict[str, str | Expression]:
    return {
        "issue_title": "issue__title",
        "issue_slug": "issue__slug",
        "issue_status": "issue__status",
        "meeting_title": "meeting__title",
        "meeting_slug": "meeting__slug",
        "effect": "effect",
        "status": "status",
    }


def _describe_assessment(pk: int, shown: dict) -> tuple[str, str, str, bool]:
    title = f"Outlook for {shown['meeting_title']}: {shown['issue_title']}"
    url = _issue_url(shown["issue_slug"], f"outlook-{shown['meeting_slug']}")
    is_draft = not (_published(shown["status"]) and _published(shown["issue_status"]))
    return title, url, Effect(shown["effect"]).label, is_draft


def _source_shown(user) -> dict[str, str | Expression]:
    return {"title": "title", "author": "author", "publisher": "publisher", "status": "status"}


def _describe_source(pk: int, shown: dict) -> tuple[str, str, str, bool]:
    meta = ", ".join(part for part in (shown["author"], shown["publisher"]) if part)
    url = reverse("issues:source", kwargs={"pk": pk})
    return shown["title"], url, meta, not _published(shown["status"])


def _day(value: str | date | None) -> date | None:
    """A day as the database gives it inside JSON (ISO text), or already a date."""
    return date.fromisoformat(value) if isinstance(value, str) else value


SEARCHABLES = [
    Searchable(
        kind=Kind.LEADER,
        model=Leader,
        # Leaders have no drafts: every leader page is public.
        visible=lambda user: Leader.objects.all(),
        shown=_leader_shown,
        snippet_columns=("bio",),
        title_column="name",
        describe=_describe_leader,
        related_columns={"A": ("offices__title",)},
    ),
    Searchable(
        kind=Kind.ISSUE,
        model=Issue,
        visible=lambda user: Issue.objects.visible_to(user),
        shown=_issue_shown,
        snippet_columns=("summary", "background"),
        title_column="title",
        describe=_describe_issue,
    ),
    Searchable(
        kind=Kind.POSITION,
        model=Position,
        # Current positions: a withdrawn one has no place on its issue page to link to.
        visible=lambda user: Position.objects.visible_to(user).current(),
        shown=_position_shown,
        snippet_columns=("summary", "quote"),
        title_column=None,
        describe=_describe_position,
    ),
    Searchable(
        kind=Kind.EVENT,
        model=Event,
        visible=_visible_events,
        shown=_event_shown,
        snippet_columns=("description",),
        title_column="title",
        describe=_describe_event,
    ),
    Searchable(
        kind=Kind.ASSESSMENT,
        model=OutlookAssessment,
        visible=lambda user: OutlookAssessment.objects.visible_to(user),
        shown=_assessment_shown,
        snippet_columns=("deliverable", "rationale"),
        title_column=None,
        describe=_describe_assessment,
    ),
    Searchable(
        kind=Kind.SOURCE,
        model=Source,
        visible=lambda user: Source.objects.visible_to(user),
        shown=_source_shown,
        snippet_columns=("notes",),
        title_column="title",
        describe=_describe_source,
    ),
]
BY_KIND = {searchable.kind: searchable for searchable in SEARCHABLES}
# What suggestions offer as one types: things with a name.
SUGGESTED = (Kind.LEADER, Kind.ISSUE, Kind.SOURCE)


def clean_query(raw: str) -> tuple[str, bool]:
    """The query as searched: no control characters (NUL included), spaces collapsed, at most
    `MAX_QUERY_LENGTH` characters. Also returns whether it had to be shortened."""
    text = " ".join(_CONTROL.sub(" ", raw).split())
    if len(text) <= MAX_QUERY_LENGTH:
        return text, False
    return text[:MAX_QUERY_LENGTH].rstrip(), True


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def _engine(query: str, *, prefix: bool = False) -> "_Engine":
    if uses_full_text():
        return _FullText(query, prefix=prefix)
    return _WholeWords(query, prefix=prefix)


def search(query: str, user, *, kind: Kind | None = None, page_number=None) -> Found:
    """What `user` may see that matches `query` (cleaned): every kind's count, and either the
    first `PER_GROUP` results of each kind or, with `kind`, the page `page_number` of that
    kind (a page number that is not a number gives the first page; one past the end, the
    last)."""
    engine = _engine(query)
    if kind is None:
        groups = engine.groups(user, dict.fromkeys(Kind, (PER_GROUP, 0)))
        return Found(groups=groups)
    number = _page_number(page_number)

    def page_of_kind(number: int) -> dict[Kind, tuple[int, int]]:
        # The other kinds are counted (for the filter), not shown.
        return {k: (PAGE_SIZE, (number - 1) * PAGE_SIZE) if k == kind else (0, 0) for k in Kind}

    groups = engine.groups(user, page_of_kind(number), paged=kind)
    num_pages = max(1, math.ceil(_group(groups, kind).shown_count / PAGE_SIZE))
    if number > num_pages:  # past the end: the last page
        number = num_pages
        groups = engine.groups(user, page_of_kind(number), paged=kind)
    return Found(groups=groups, kind=kind, pages=Pages(number, num_pages, PAGE_SIZE))


def suggest(query: str, user) -> list[Result]:
    """Names and titles that start with what has been typed, people first: at most
    `SUGGESTIONS`, for the search box."""
    engine = _engine(query, prefix=True)
    groups = engine.groups(user, dict.fromkeys(SUGGESTED, (SUGGESTIONS, 0)), counts=False)
    return [result for group in groups for result in group.results][:SUGGESTIONS]


def _page_number(raw) -> int:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    # No page lies beyond the ranked candidates.
    return min(max(number, 1), math.ceil(CANDIDATES / PAGE_SIZE))


def _group(groups: list[Group], kind: Kind) -> Group:
    return next(group for group in groups if group.kind == kind)


class _Engine:
    """Finds the visible records that match: each kind's candidates (at most `CANDIDATES`,
    with what ranks them) and the ranked rows shown, with what their results show, in one
    statement.

    Subclasses say how a kind matches (`matching`: the visible records that match, as rows
    of (pk, vector, extra rank); or `matching_sql`, that compiled) and how a candidate
    ranks (`rank_sql`)."""

    def __init__(self, query: str, *, prefix: bool = False) -> None:
        self.text = query
        self.prefix = prefix

    def matching(self, searchable: Searchable, user) -> QuerySet | None:
        raise NotImplementedError

    def rank_sql(self) -> tuple[str, list]:
        """SQL ranking a candidate from its columns `v` (vector) and `extra`."""
        raise NotImplementedError

    # Whether `estimates` counts rather than estimates.
    exact_counts = False

    def estimates(self, matches: list[tuple[str, tuple]]) -> list[int]:
        """How many rows each of `matches` (compiled `matching` querysets of the kinds with
        more than `CANDIDATES`) holds, estimated without reading them, in one query."""
        raise NotImplementedError

    def marked_title(self, row: "Ranked", title: str) -> str:
        raise NotImplementedError

    def marked_snippet(self, row: "Ranked") -> str:
        raise NotImplementedError

    def matching_sql(self, searchable: Searchable, user) -> tuple[str, tuple] | None:
        """`matching`, compiled to SQL and its parameters."""
        matching = self.matching(searchable, user)
        return None if matching is None else matching.query.sql_with_params()

    def shown_sql(self, searchable: Searchable) -> tuple[str, list]:
        """Two SQL columns of a shown row, read from its shown values as `d` (`_shown_column`):
        its title and its snippet with the matched words between START and STOP (NULL where
        the records' text is marked in Python)."""
        return "CAST(NULL AS text), CAST(NULL AS text)", []

    def groups(
        self,
        user,
        wanted: dict[Kind, tuple[int, int]],
        *,
        counts: bool = True,
        paged: Kind | None = None,
    ) -> list[Group]:
        """A group for each kind of `wanted` (kind: (limit, offset) of the results shown),
        `paged` the kind whose own pages are shown (it ranks `CANDIDATES`, the others
        `PREVIEW_CANDIDATES`)."""
        ctes, selects, params = [], [], []
        matches: dict[Kind, tuple[str, tuple]] = {}
        rank_sql, rank_params = self.rank_sql()
        found: dict[Kind, Group] = {
            kind: Group(kind, 0, CANDIDATES if kind == paged else PREVIEW_CANDIDATES)
            for kind in wanted
        }
        for kind, (limit, offset) in wanted.items():
            searchable = BY_KIND[kind]
            bound = found[kind].candidates
            limit = max(0, min(limit, bound - offset))  # only candidates are ranked
            compiled = self.matching_sql(searchable, user)
            if compiled is None:
                continue
            # Compiled once: the candidates are its first rows, the estimates its plan.
            sql, sql_params = matches[kind] = compiled
            name = f"found_{kind.value}"
            ctes.append(f"{name} (id, v, extra) AS MATERIALIZED ({sql} LIMIT {bound + 1})")
            params += sql_params
            if counts:
                selects.append(
                    (
                        f"SELECT {kind.value}, CAST(NULL AS bigint), CAST(NULL AS real), "
                        f"COUNT(*), CAST(NULL AS text), CAST(NULL AS text), "
                        f"CAST(NULL AS text) FROM {name}",
                        [],
                    )
                )
            # The rows shown, best first, with their marked title and snippet and what their
            # result shows (as JSON): marked and read here, for the few rows shown only.
            shown_sql, shown_params = self.shown_sql(searchable)
            values_sql, values_params, names = _shown_values(searchable, user)
            selects.append(
                (
                    f"SELECT * FROM (SELECT {kind.value} AS kind, r.id, r.score, "
                    f"CAST(NULL AS bigint) AS n, {shown_sql}, {_json_object(names)} "
                    f"FROM (SELECT id, {rank_sql} AS score FROM {name} ORDER BY score DESC, id "
                    f"LIMIT {int(limit)} OFFSET {int(offset)}) AS r "
                    f"JOIN ({values_sql}) AS d ON {_shown_column('key')} = r.id "
                    f"ORDER BY r.score DESC, r.id) "
                    f"AS ranked_{kind.value}",
                    [*shown_params, *rank_params, *values_params],
                )
            )
        if not ctes:
            return [found[kind] for kind in sorted(found)]
        statement = "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(s for s, _ in selects)
        for _sql, select_params in selects:
            params += select_params
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            rows = cursor.fetchall()
        ranked: list[Ranked] = []
        for kind_value, pk, _score, count, title, snippet, shown in rows:
            kind = Kind(kind_value)
            if pk is None:
                found[kind].count = count
            else:
                ranked.append(Ranked(kind, pk, title, snippet, json.loads(shown)))
        beyond = [group for group in found.values() if group.count > group.candidates]
        if beyond:
            estimates = self.estimates([matches[group.kind] for group in beyond])
            for group, estimate in zip(beyond, estimates, strict=True):
                group.count = max(group.count, estimate)
                group.estimated = not self.exact_counts
        # Ranked rows come back kind by kind, best first within a kind.
        for row in ranked:
            found[row.kind].results.append(self.result(row))
        return [found[kind] for kind in sorted(found)]

    def result(self, row: "Ranked") -> Result:
        searchable = row.searchable
        title, url, meta, is_draft = searchable.describe(row.pk, row.shown)
        if searchable.title_column:
            title = self.marked_title(row, title)
        return Result(
            kind=row.kind,
            title=marked_html(title),
            url=url,
            snippet=marked_html(strip_markdown(self.marked_snippet(row))),
            meta=meta,
            is_draft=is_draft,
            pk=row.pk,
        )


@dataclass(frozen=True)
class Ranked:
    """A row shown, as the ranking statement returns it: which record, its title and snippet
    as marked by the database (None where they are marked in Python), and the values its
    result shows (`Searchable.shown`, with the text of its title and snippet columns)."""

    kind: Kind
    pk: int
    marked_title: str | None
    marked_snippet: str | None
    shown: dict

    @property
    def snippet_text(self) -> list[str]:
        return [self.shown[column] or "" for column in self.searchable.snippet_columns]

    @property
    def searchable(self) -> Searchable:
        return BY_KIND[self.kind]


def _prefix_tsquery(text: str) -> str:
    """`to_tsquery` text for names that start with the words typed: "vla put" becomes
    `'vla':*A & 'put':*A` (weight A: names and titles). Words are letters and digits only,
    so nothing in them is tsquery syntax."""
    words = _WORD.findall(text)[:MAX_TERMS]
    return " & ".join(f"'{word.lower()}':*A" for word in words)


# How ts_headline marks the rows shown: a snippet of one or two fragments, a whole title.
SNIPPET_OPTIONS = {"MaxWords": 35, "MinWords": 15, "MaxFragments": 2, "FragmentDelimiter": " … "}
# Compiled matches (`_FullText.matching_sql`), by kind, whether drafts are seen (all the
# publication policy asks of a viewer) and whether names are matched by their prefixes.
_COMPILED_MATCHES: dict[tuple[Kind, bool, bool], tuple[str, tuple]] = {}
# Where the words searched go in a compiled match: a parameter that is exactly this
# (a private use character) is the query's. A query of just this character is searched
# as itself all the same.
_STAND_IN = "\ue002"


# What results show (`Searchable.shown`), compiled once per kind and audience: the record's
# key (`shown_key`), then a column `shown_<name>` for each name; with its parameters and the
# names.
_COMPILED_SHOWN: dict[tuple[Kind, bool], tuple[str, tuple, tuple[str, ...]]] = {}


def _shown_values(searchable: Searchable, user) -> tuple[str, tuple, tuple[str, ...]]:
    """The SQL reading what `user` is shown of a kind's results (the whole table: the
    ranking statement joins it to the rows shown), with the text of its title and snippet
    columns, which the statement marks."""
    key = (searchable.kind, can_see_drafts(user))
    if key not in _COMPILED_SHOWN:
        marked = [c for c in (searchable.title_column, *searchable.snippet_columns) if c]
        fields = {**searchable.shown(user), **{c: c for c in marked}}
        columns = {f"shown_{n}": F(v) if isinstance(v, str) else v for n, v in fields.items()}
        values = searchable.model.objects.order_by().annotate(shown_key=F("pk"), **columns)
        sql, params = values.values_list("shown_key", *columns).query.sql_with_params()
        _COMPILED_SHOWN[key] = (sql, params, tuple(fields))
    return _COMPILED_SHOWN[key]


def _shown_column(name: str) -> str:
    """SQL of the shown value `name` of a row shown (`_shown_values`, joined as `d`)."""
    return f"d.{connection.ops.quote_name(f'shown_{name}')}"


def _json_object(names: Sequence[str]) -> str:
    """SQL of a JSON object (as text) of a row's shown values `names` (the keys of
    `Searchable.shown`, written in this module: literals, not input)."""
    function = "json_build_object" if connection.vendor == "postgresql" else "json_object"
    pairs = ", ".join(f"'{name}', {_shown_column(name)}" for name in names)
    return f"CAST({function}({pairs}) AS text)"


@cache
def _headline_options(**options: object) -> str:
    """ts_headline's options, quoted as PostgreSQL reads them, with the START/STOP markers
    (composed once: they do not change)."""
    options = {"StartSel": START, "StopSel": STOP, **options}
    return ", ".join(
        connection.ops.compose_sql(f"{name}=%s", [value]) for name, value in options.items()
    )


def _matching_tsquery(searchable: Searchable, user, query: SearchQuery) -> QuerySet:
    """The records of a kind `user` may see that match `query`, as rows of (pk, vector,
    extra rank)."""
    queryset = searchable.visible(user).order_by()
    extra: object = Value(0.0, output_field=FloatField())
    if searchable.kind == Kind.LEADER:
        # A leader is also found by an office ("president of russia"), ranked as if the
        # words were in the leader's own title.
        office = Exists(Office.objects.filter(leader=OuterRef("pk"), search_vector=query))
        queryset = queryset.filter(Q(search_vector=query) | office)
        extra = Case(When(office, then=Value(0.5)), default=Value(0.0), output_field=FloatField())
    else:
        queryset = queryset.filter(search_vector=query)
    return queryset.annotate(search_v=F("search_vector"), search_extra=extra).values_list(
        "pk", "search_v", "search_extra"
    )


class _FullText(_Engine):
    """PostgreSQL: the stored search vectors, websearch query syntax in both configurations,
    ts_rank over a bounded set of candidates, ts_headline for the rows shown."""

    def __init__(self, query: str, *, prefix: bool = False) -> None:
        super().__init__(query, prefix=prefix)
        # What the tsquery functions are given: the query as typed, or the prefixes of its
        # words (tsquery syntax built from letters and digits only).
        self.searched = _prefix_tsquery(query) if prefix else query
        self.function = "to_tsquery" if prefix else "websearch_to_tsquery"
        self.params = [CONFIG, self.searched, NAME_CONFIG, self.searched]

    def tsquery(self, searched: str) -> SearchQuery:
        search_type = "raw" if self.prefix else "websearch"
        return SearchQuery(searched, search_type=search_type, config=CONFIG) | SearchQuery(
            searched, search_type=search_type, config=NAME_CONFIG
        )

    def matching_sql(self, searchable: Searchable, user) -> tuple[str, tuple] | None:
        """`matching`, compiled once per kind, audience and kind of query: building and
        compiling six querysets cost a search more time than the database spent on it. The
        SQL is compiled with a stand-in for the words searched, which each search's own
        words replace among the parameters."""
        if self.prefix and not _WORD.search(self.text):
            return None
        key = (searchable.kind, can_see_drafts(user), self.prefix)
        if key not in _COMPILED_MATCHES:
            stand_in = _matching_tsquery(searchable, user, self.tsquery(_STAND_IN))
            _COMPILED_MATCHES[key] = stand_in.query.sql_with_params()
        sql, params = _COMPILED_MATCHES[key]
        return sql, tuple(self.searched if param == _STAND_IN else param for param in params)

    def shown_sql(self, searchable: Searchable) -> tuple[str, list]:
        fn = self.function
        query = f"({fn}(%s::regconfig, %s) || {fn}(%s::regconfig, %s))"
        text = ", ".join(_shown_column(name) for name in searchable.snippet_columns)
        snippet = f"ts_headline(%s::regconfig, concat_ws(%s, {text}), {query}, %s)"
        params = [CONFIG, "\n", *self.params, _headline_options(**SNIPPET_OPTIONS)]
        if not searchable.title_column:
            return f"CAST(NULL AS text), {snippet}", params
        column = _shown_column(searchable.title_column)
        title = f"ts_headline(%s::regconfig, {column}, {query}, %s)"
        title_params = [CONFIG, *self.params, _headline_options(HighlightAll=True)]
        return f"{title}, {snippet}", [*title_params, *params]

    def rank_sql(self) -> tuple[str, list]:
        fn = self.function
        return (
            f"ts_rank(v, ({fn}(%s::regconfig, %s) || {fn}(%s::regconfig, %s))) + extra",
            self.params,
        )

    def estimates(self, matches: list[tuple[str, tuple]]) -> list[int]:
        """The planner's estimates, from one EXPLAIN of every kind's matches side by side
        (no row is read)."""
        union = " UNION ALL ".join(f"({sql})" for sql, _params in matches)
        params = [param for _sql, sql_params in matches for param in sql_params]
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {union}", params)
            (document,) = cursor.fetchone()
        try:
            plan = (json.loads(document) if isinstance(document, str) else document)[0]["Plan"]
            branches = plan["Plans"] if len(matches) > 1 else [plan]
            return [int(branch["Plan Rows"]) for branch in branches]
        except (ValueError, KeyError, IndexError, TypeError):  # no plan as expected
            return [0 for _match in matches]

    def marked_title(self, row: "Ranked", title: str) -> str:
        marked = row.marked_title or ""
        if START not in marked and self.names_pattern:
            # ts_headline marks English forms; a name matched as written is marked here.
            return _mark(title, self.names_pattern)
        return marked

    @property
    def names_pattern(self) -> re.Pattern | None:
        return _words_pattern(_WORD.findall(self.text), prefix=self.prefix)

    def marked_snippet(self, row: "Ranked") -> str:
        # ts_headline does not say where it cut the text (and may drop what looks like
        # markup): compare the first and last words with the whole's.
        snippet = row.marked_snippet or ""
        shown = _WORD.findall(snippet)
        if not shown:
            return snippet
        whole = _WORD.findall(" ".join(row.snippet_text))
        if shown[0] != whole[0]:
            snippet = f"… {snippet}"
        if shown[-1] != whole[-1]:
            snippet = f"{snippet} …"
        return snippet


def _words_pattern(words: Sequence[str], *, prefix: bool = False) -> re.Pattern | None:
    """Any of `words` as a whole word (or, with `prefix`, at the start of a word), in any
    case and script."""
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    end = "" if prefix else r"(?!\w)"
    return re.compile(rf"(?<!\w)(?:{alternatives}){end}", re.IGNORECASE)


def _mark(text: str, pattern: re.Pattern | None) -> str:
    text = text.replace(START, "").replace(STOP, "")
    if pattern is None:
        return text
    return pattern.sub(lambda match: f"{START}{match.group(0)}{STOP}", text)


class _WholeWords(_Engine):
    """Other databases: every word of the query (`-word` leaves one out) must occur as a whole
    word in one of the columns, in any case and script; a word found in a name or title
    ranks 3, in a summary 2, further down 1. With `prefix`, names and titles that have a word
    starting with each word typed."""

    WEIGHT_RANK = {"A": 3, "B": 2, "C": 1}

    def __init__(self, query: str, *, prefix: bool = False) -> None:
        super().__init__(query, prefix=prefix)
        self.terms: list[str] = []
        self.excluded: list[str] = []
        for token in query.split():
            words = self.excluded if token.startswith("-") and not prefix else self.terms
            words += [w for w in _WORD.findall(token) if (len(w) > 1 or prefix) and w != "OR"]
        self.terms, self.excluded = self.terms[:MAX_TERMS], self.excluded[:MAX_TERMS]
        self.pattern = _words_pattern(self.terms, prefix=prefix)

    def _regex(self, term: str) -> str:
        # Python's re syntax: Django's SQLite REGEXP is `re.search`.
        end = "" if self.prefix else r"(?!\w)"
        return rf"(?<!\w){re.escape(term)}{end}"

    def _found(self, term: str, columns: Sequence[str]) -> Q:
        return reduce(
            or_, (Q(**{f"{column}__iregex": self._regex(term)}) for column in columns), Q()
        )

    def _by_weight(self, searchable: Searchable) -> dict[str, tuple[str, ...]]:
        columns = {weight: cols for weight, cols in searchable.columns.items() if cols}
        if self.prefix:
            columns = {"A": columns.get("A", ())}
        if searchable.kind == Kind.POSITION:
            # The leader's names through the join, not the copy (which bulk writes may skip).
            names = [c for c in columns.get("A", ()) if c != "leader_names"]
            columns["A"] = (*names, "leader__name", "leader__native_name")
        return columns

    def _matches(self, searchable: Searchable, term: str, columns: Sequence[str]) -> Q:
        """`term` in one of the record's own `columns` or its related columns (these through
        a subquery, so that a record matching twice is still one row)."""
        found = self._found(term, columns)
        related = [c for cols in searchable.related_columns.values() for c in cols]
        if related:
            subquery = searchable.model.objects.filter(self._found(term, related))
            found |= Q(pk__in=subquery.values("pk"))
        return found

    def matching(self, searchable: Searchable, user) -> QuerySet | None:
        if not self.terms:
            return None
        queryset = searchable.visible(user).order_by()
        by_weight = self._by_weight(searchable)
        everywhere = [column for cols in by_weight.values() for column in cols]
        for term in self.terms:
            queryset = queryset.filter(self._matches(searchable, term, everywhere))
        for term in self.excluded:
            queryset = queryset.exclude(self._matches(searchable, term, everywhere))
        rank = reduce(
            add,
            (
                Case(
                    *(
                        When(self._found(term, cols), then=Value(self.WEIGHT_RANK[weight]))
                        for weight, cols in by_weight.items()
                    ),
                    default=Value(self.WEIGHT_RANK["A"]),  # found in a related name
                    output_field=IntegerField(),
                )
                for term in self.terms
            ),
        )
        vector = Value(None, output_field=TextField())
        return queryset.annotate(search_v=vector, search_extra=rank).values_list(
            "pk", "search_v", "search_extra"
        )

    def rank_sql(self) -> tuple[str, list]:
        return "extra", []

    # The fallback serves small archives: it counts.
    exact_counts = True

    def estimates(self, matches: list[tuple[str, tuple]]) -> list[int]:
        counts = ", ".join(f"(SELECT COUNT(*) FROM ({sql}) AS found)" for sql, _params in matches)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {counts}", [p for _sql, params in matches for p in params])
            return list(cursor.fetchone())

    def marked_title(self, row: "Ranked", title: str) -> str:
        return _mark(title, self.pattern)

    def marked_snippet(self, row: "Ranked") -> str:
        text = "\n".join(value for value in row.snippet_text if value)
        return _mark(excerpt(text, self.pattern), self.pattern)


def excerpt(text: str, pattern: re.Pattern | None, width: int = 220) -> str:
    """About `width` characters of `text` around the first match of `pattern` (or from the
    start), cut at spaces, with an ellipsis where text was left out."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    match = pattern.search(text) if pattern else None
    start = max(0, match.start() - width // 3) if match else 0
    end = min(len(text), start + width)
    start = max(0, end - width)
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < (match.start() if match else end) else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > (match.end() if match else start) else end
    return f"{'… ' if start > 0 else ''}{text[start:end]}{' …' if end < len(text) else ''}"


def strip_markdown(text: str) -> str:
    return _MARKDOWN_MARKS.sub("", _MARKDOWN_LINK.sub(r"\1", text))


def marked_html(text: str) -> SafeString:
    """Escape `text`, then turn its START/STOP markers into balanced <mark> elements."""
    html = []
    is_open = False
    for part in _MARKERS.split(text):
        if part == START:
            if not is_open:
                html.append("<mark>")
                is_open = True
        elif part == STOP:
            if is_open:
                html.append("</mark>")
                is_open = False
        elif part:
            html.append(escape(part))
    if is_open:
        html.append("</mark>")
    return mark_safe("".join(html))
