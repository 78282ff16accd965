"""Site-wide search over issues, positions, events, outlook assessments and sources.

On PostgreSQL every searchable model keeps a stored, weighted `search_vector` (a generated
`tsvector` column with a GIN index; see `issues.models.sources.SearchDocument`). A query is
`websearch_to_tsquery('english', q)`, which accepts anything a reader types; results are
ranked with `ts_rank` (title and name words weigh most) and their snippets come from
`ts_headline`.

SQLite has no full-text types, so there search falls back to substring matching on the same
columns: every word of the query must occur, and a word found in a title counts more than
one found in a summary, more than one found further down.

Either way one UNION query ranks every kind together and is paginated, then only the rows of
the page are loaded, one query per kind, so the number of queries does not grow with the
number of results. Snippets are escaped before they are marked up: the only HTML in them
is `<mark>`.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import add, or_

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    F,
    IntegerChoices,
    IntegerField,
    Model,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from issues.models import (
    Event,
    EventCitation,
    Issue,
    OutlookAssessment,
    Position,
    PublicationStatus,
    Source,
)
from issues.templatetags.dossier import fuzzy_date

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 20
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
    """What a result is; the value orders results of equal rank."""

    ISSUE = 1, "Issue"
    POSITION = 2, "Position"
    EVENT = 3, "Event"
    ASSESSMENT = 4, "Assessment"
    SOURCE = 5, "Source"


@dataclass
class Result:
    kind: Kind
    title: SafeString
    url: str
    snippet: SafeString
    meta: str
    is_draft: bool
    record: Model


@dataclass
class SearchPage:
    page: Page
    results: list[Result]


@dataclass(frozen=True)
class Searchable:
    """How one kind is found, loaded and shown."""

    kind: Kind
    model: type[Model]
    # Visible records, for matching (no joins beyond what visibility needs).
    visible: Callable[[object], QuerySet]
    # The records of a page, with what their result needs.
    for_page: Callable[[object], QuerySet]
    # Columns of the snippet, in reading order; the title is shown apart.
    snippet_columns: tuple[str, ...]
    # The column highlighted as the result's title, when it is the record's own.
    title_column: str | None
    describe: Callable[[Model], tuple[str, str, str, bool]]

    @property
    def columns(self) -> dict[str, tuple[str, ...]]:
        """The text columns of the model's search document, by weight ("A", "B", "C")."""
        return self.model._meta.get_field("search_vector").expression.columns


# What each kind shows: (plain title, URL, meta line, is a draft).


def _describe_issue(issue: Issue) -> tuple[str, str, str, bool]:
    return issue.title, issue.get_absolute_url(), "", not issue.is_published


def _describe_position(position: Position) -> tuple[str, str, str, bool]:
    issue = position.issue
    title = f"{position.speaker} on {issue.title}"
    meta = (
        f"{position.country.name}, {fuzzy_date(position.stated_on, position.stated_on_precision)}"
    )
    return title, position.get_absolute_url(), meta, not issue.is_published


def _describe_event(event: Event) -> tuple[str, str, str, bool]:
    if event.visible_issues:
        url = f"{event.visible_issues[0].get_absolute_url()}#event-{event.pk}"
    elif event.citations.all():
        url = event.citations.all()[0].source.get_absolute_url()
    else:
        url = ""
    return event.title, url, fuzzy_date(event.occurred_on, event.occurred_on_precision), False


def _describe_assessment(assessment: OutlookAssessment) -> tuple[str, str, str, bool]:
    issue, meeting = assessment.issue, assessment.meeting
    title = f"Outlook for {meeting.title}: {issue.title}"
    url = f"{issue.get_absolute_url()}#outlook-{meeting.slug}"
    is_draft = assessment.status != PublicationStatus.PUBLISHED or not issue.is_published
    return title, url, assessment.get_effect_display(), is_draft


def _describe_source(source: Source) -> tuple[str, str, str, bool]:
    meta = ", ".join(part for part in (source.author, source.publisher) if part)
    return source.title, source.get_absolute_url(), meta, False


def _visible_events(user) -> QuerySet[Event]:
    # Visibility joins the issues; a subquery keeps each event one row in the union.
    return Event.objects.filter(pk__in=Event.objects.visible_to(user).values("pk"))


def _events_for_page(user) -> QuerySet[Event]:
    return Event.objects.prefetch_related(
        Prefetch("issues", queryset=Issue.objects.visible_to(user), to_attr="visible_issues"),
        Prefetch("citations", queryset=EventCitation.objects.select_related("source")),
    )


SEARCHABLES = [
    Searchable(
        kind=Kind.ISSUE,
        model=Issue,
        visible=lambda user: Issue.objects.visible_to(user),
        for_page=lambda user: Issue.objects.all(),
        snippet_columns=("summary", "background"),
        title_column="title",
        describe=_describe_issue,
    ),
    Searchable(
        kind=Kind.POSITION,
        model=Position,
        # Current positions: a withdrawn one has no place on its issue page to link to.
        visible=lambda user: Position.objects.visible_to(user).current(),
        for_page=lambda user: Position.objects.select_related("issue", "country", "leader"),
        snippet_columns=("summary", "quote"),
        title_column=None,
        describe=_describe_position,
    ),
    Searchable(
        kind=Kind.EVENT,
        model=Event,
        visible=_visible_events,
        for_page=_events_for_page,
        snippet_columns=("description",),
        title_column="title",
        describe=_describe_event,
    ),
    Searchable(
        kind=Kind.ASSESSMENT,
        model=OutlookAssessment,
        visible=lambda user: OutlookAssessment.objects.visible_to(user),
        for_page=lambda user: OutlookAssessment.objects.select_related("issue", "meeting"),
        snippet_columns=("deliverable", "rationale"),
        title_column=None,
        describe=_describe_assessment,
    ),
    Searchable(
        kind=Kind.SOURCE,
        model=Source,
        visible=lambda user: Source.objects.visible_to(user),
        for_page=lambda user: Source.objects.all(),
        snippet_columns=("notes",),
        title_column="title",
        describe=_describe_source,
    ),
]
BY_KIND = {searchable.kind: searchable for searchable in SEARCHABLES}


def clean_query(raw: str) -> tuple[str, bool]:
    """The query as searched: no control characters (NUL included), spaces collapsed, at most
    `MAX_QUERY_LENGTH` characters. Also returns whether it had to be shortened."""
    text = " ".join(_CONTROL.sub(" ", raw).split())
    if len(text) <= MAX_QUERY_LENGTH:
        return text, False
    return text[:MAX_QUERY_LENGTH].rstrip(), True


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def search(query: str, user, page_number=None, per_page: int = PAGE_SIZE) -> SearchPage:
    """The page `page_number` of results for `query` (cleaned), as `user` may see them.

    A page number that is not a number gives the first page; one past the end, the last.
    """
    engine = _FullText(query) if uses_full_text() else _Substring(query)
    page = Paginator(engine.ranked(user), per_page).get_page(page_number)
    return SearchPage(page=page, results=engine.load(page.object_list, user))


class _Engine:
    """Ranks the visible records that match as `(kind, pk, rank)` rows, then loads a page of
    them as results."""

    def matching(self, searchable: Searchable, user) -> QuerySet:
        raise NotImplementedError

    def annotate_page(self, searchable: Searchable, queryset: QuerySet) -> QuerySet:
        return queryset

    def marked_title(self, searchable: Searchable, record: Model, title: str) -> str:
        raise NotImplementedError

    def marked_snippet(self, searchable: Searchable, record: Model) -> str:
        raise NotImplementedError

    def ranked(self, user) -> QuerySet:
        parts = [
            self.matching(searchable, user)
            .annotate(result_kind=Value(searchable.kind.value, output_field=IntegerField()))
            .values_list("result_kind", "pk", "result_rank")
            .order_by()
            for searchable in SEARCHABLES
        ]
        union = parts[0].union(*parts[1:], all=True)
        return union.order_by("-result_rank", "result_kind", "pk")

    def load(self, rows: Sequence[tuple[int, int, object]], user) -> list[Result]:
        wanted: dict[Kind, list[int]] = {}
        for kind, pk, _rank in rows:
            wanted.setdefault(Kind(kind), []).append(pk)
        records: dict[tuple[Kind, int], Model] = {}
        for kind, pks in wanted.items():
            searchable = BY_KIND[kind]
            queryset = self.annotate_page(searchable, searchable.for_page(user).filter(pk__in=pks))
            records.update(((kind, record.pk), record) for record in queryset)
        results = []
        for kind, pk, _rank in rows:
            record = records.get((Kind(kind), pk))
            if record is None:  # deleted between the two queries
                continue
            searchable = BY_KIND[Kind(kind)]
            title, url, meta, is_draft = searchable.describe(record)
            if searchable.title_column:
                title = self.marked_title(searchable, record, title)
            results.append(
                Result(
                    kind=Kind(kind),
                    title=marked_html(title),
                    url=url,
                    snippet=marked_html(strip_markdown(self.marked_snippet(searchable, record))),
                    meta=meta,
                    is_draft=is_draft,
                    record=record,
                )
            )
        return results


class _FullText(_Engine):
    """PostgreSQL: the stored search vectors, websearch query syntax, ts_rank, ts_headline."""

    def __init__(self, query: str) -> None:
        self.query = SearchQuery(query, search_type="websearch", config=CONFIG)

    def matching(self, searchable: Searchable, user) -> QuerySet:
        return (
            searchable.visible(user)
            .filter(search_vector=self.query)
            .annotate(result_rank=SearchRank(F("search_vector"), self.query))
        )

    def headline(self, expression, **options) -> SearchHeadline:
        return SearchHeadline(
            expression, self.query, config=CONFIG, start_sel=START, stop_sel=STOP, **options
        )

    def annotate_page(self, searchable: Searchable, queryset: QuerySet) -> QuerySet:
        columns = [F(column) for column in searchable.snippet_columns]
        text = reduce(
            lambda left, right: Concat(left, Value("\n"), right, output_field=TextField()),
            columns,
        )
        annotations = {
            "search_snippet": self.headline(
                text, max_words=35, min_words=15, max_fragments=2, fragment_delimiter=" … "
            )
        }
        if searchable.title_column:
            annotations["search_title"] = self.headline(
                F(searchable.title_column), highlight_all=True
            )
        return queryset.annotate(**annotations)

    def marked_title(self, searchable: Searchable, record: Model, title: str) -> str:
        return record.search_title

    def marked_snippet(self, searchable: Searchable, record: Model) -> str:
        # ts_headline does not say where it cut the text (and may drop what looks like
        # markup): compare the first and last words with the whole's.
        snippet = record.search_snippet
        shown = _WORD.findall(snippet)
        if not shown:
            return snippet
        whole = _WORD.findall(" ".join(getattr(record, c) for c in searchable.snippet_columns))
        if shown[0] != whole[0]:
            snippet = f"… {snippet}"
        if shown[-1] != whole[-1]:
            snippet = f"{snippet} …"
        return snippet


class _Substring(_Engine):
    """Other databases: every word of two letters or more must occur in one of the columns
    (case-insensitive for ASCII letters, as SQLite's LIKE is), no `-word` may; a word found
    in a title ranks 3, in a summary 2, further down 1."""

    WEIGHT_RANK = {"A": 3, "B": 2, "C": 1}

    def __init__(self, query: str) -> None:
        self.terms: list[str] = []
        self.excluded: list[str] = []
        for token in query.split():
            words = self.excluded if token.startswith("-") else self.terms
            words += [w for w in re.findall(r"\w+", token) if len(w) > 1 and w != "OR"]
        self.terms, self.excluded = self.terms[:MAX_TERMS], self.excluded[:MAX_TERMS]
        self.pattern = (
            re.compile(
                "|".join(re.escape(t) for t in sorted(self.terms, key=len, reverse=True)),
                re.IGNORECASE,
            )
            if self.terms
            else None
        )

    @staticmethod
    def _found(term: str, columns: Sequence[str]) -> Q:
        return reduce(or_, (Q(**{f"{column}__icontains": term}) for column in columns), Q())

    def matching(self, searchable: Searchable, user) -> QuerySet:
        queryset = searchable.visible(user)
        if not self.terms:
            return queryset.none().annotate(result_rank=Value(0))
        by_weight = {weight: cols for weight, cols in searchable.columns.items() if cols}
        everywhere = [column for cols in by_weight.values() for column in cols]
        for term in self.terms:
            queryset = queryset.filter(self._found(term, everywhere))
        for term in self.excluded:
            queryset = queryset.exclude(self._found(term, everywhere))
        rank = reduce(
            add,
            (
                Case(
                    *(
                        When(self._found(term, cols), then=Value(self.WEIGHT_RANK[weight]))
                        for weight, cols in by_weight.items()
                    ),
                    default=Value(0),
                    output_field=IntegerField(),
                )
                for term in self.terms
            ),
        )
        return queryset.annotate(result_rank=rank)

    def mark(self, text: str) -> str:
        text = text.replace(START, "").replace(STOP, "")
        if self.pattern is None:
            return text
        return self.pattern.sub(lambda match: f"{START}{match.group(0)}{STOP}", text)

    def marked_title(self, searchable: Searchable, record: Model, title: str) -> str:
        return self.mark(title)

    def marked_snippet(self, searchable: Searchable, record: Model) -> str:
        text = "\n".join(
            value for column in searchable.snippet_columns if (value := getattr(record, column))
        )
        return self.mark(excerpt(text, self.pattern))


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
