"""What changed in the dossiers, from the revision tables: the feeds' entries, the home
page's "Recently changed" and an issue's history page.

Readers see published revisions of published issues only; a revision's "before" is the
previous revision the viewer may see, so draft wording never shows through a later
publication. Every query is bounded: feeds and lists take the latest `limit` revisions of
each kind, and the history page diffs only the revisions of the page it shows.
"""

import difflib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import CharField, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.utils.html import linebreaks, strip_tags
from django.utils.safestring import SafeString, mark_safe
from simple_history.models import DeletedObject, ModelChange

from issues.charts.text import signed
from issues.labels import scale_label
from issues.markdown import render_markdown
from issues.models import (
    Event,
    Issue,
    Leader,
    Meeting,
    OutlookAssessment,
    Position,
    Scale,
    Source,
    Topic,
    can_see_drafts,
    revisions_visible_to,
)
from issues.models.dating import when
from issues.models.publishing import History, Viewer
from issues.templatetags.dossier import person as display_name
from issues.time_travel import Revision as Row
from issues.time_travel import history_of

ACTIONS = {"+": "added", "~": "changed", "-": "removed"}
HISTORY_PAGE_SIZE = 20
FEED_LIMIT = 50


@dataclass(frozen=True)
class Change:
    """One published revision, as a feed entry or a line of "Recently changed"."""

    key: str
    when: datetime
    who: str
    action: str
    kind: str
    title: str
    summary: str
    url: str
    note: str
    issue_id: int | None
    issue_title: str
    summary_html: (
        SafeString  # the summary as HTML: Markdown rendered and sanitised, or escaped text
    )
    recorded: datetime | None = None  # when the revision was written (for e-mail digests)
    sentence: str = ""  # what happened to the issue, in words: "effect −1 → −2 (deteriorated)"


# Each kind of record: how its revisions are found and described --------------------------


@dataclass(frozen=True)
class Kind:
    name: str  # "position"
    label: str  # "Position"
    model: type[models.Model]
    related: tuple[str, ...]

    def revisions(self, issue_ids: QuerySet[Issue, Any] | list[int], viewer: Viewer) -> History:
        history = history_of(self.model)
        if self.model is Issue:
            history = history.filter(id__in=issue_ids)
        elif self.model is Event:
            history = history.filter(
                id__in=Event.issues.through.objects.filter(issue__in=issue_ids).values("event")
            )
        else:
            history = history.filter(issue_id__in=issue_ids)
        return revisions_visible_to(history, viewer).select_related("history_user", *self.related)


ISSUE = Kind("issue", "Issue", Issue, ())
POSITION = Kind("position", "Position", Position, ("issue", "leader", "country"))
ASSESSMENT = Kind("assessment", "Outlook assessment", OutlookAssessment, ("issue", "meeting"))
EVENT = Kind("event", "Event", Event, ())
KINDS = (ISSUE, POSITION, ASSESSMENT, EVENT)


def _action(kind: Kind, row: Row) -> str:
    if kind is POSITION and row.withdrawn_at:
        return "withdrawn"
    return ACTIONS[row.history_type]


def _summary_html(kind: Kind, row: Row, summary: str) -> SafeString:
    """What an entry says, as HTML: the text editors write in Markdown (an assessment's
    rationale) rendered and sanitised as on the page; plain text escaped."""
    if kind is ASSESSMENT:
        return render_markdown(row.rationale)
    return mark_safe(linebreaks(summary, autoescape=True))  # noqa: S308 -- escaped just here


def _describe(kind: Kind, row: Row, issue: Issue | None) -> tuple[str, str, str]:
    """Title, summary and address of a revision."""
    action = _action(kind, row)
    if kind is ISSUE:
        return f"{row.title}: dossier {action}", row.summary, f"/issues/{row.slug}/"
    if kind is POSITION:
        speaker = row.leader.name if row.leader_id else row.attribution
        title = f"{row.issue.title}: position of {speaker} ({row.country.name}) {action}"
        summary = f"{when(row, *Position.DATE_FIELDS)}: {row.summary}"
        return title, summary, f"{row.issue.get_absolute_url()}#position-{row.id}"
    if kind is ASSESSMENT:
        title = f"{row.issue.title}: outlook for {row.meeting.title} {action}"
        url = f"{row.issue.get_absolute_url()}#outlook-{row.meeting.slug}"
        return title, markdown_as_text(row.rationale), url
    url = f"{issue.get_absolute_url()}#event-{row.id}" if issue else ""
    summary = f"{when(row, *Event.DATE_FIELDS)}: {row.description}"
    return f"Event {action}: {row.title}", summary, url


def _issue_of(
    kind: Kind, row: Row, issues: dict[int, Issue], event_issue: dict[int, int]
) -> Issue | None:
    if kind is ISSUE:
        return issues.get(row.id)
    if kind is EVENT:
        issue_id = event_issue.get(row.id)
        return issues.get(issue_id) if issue_id is not None else None
    return issues.get(row.issue_id)


def _previous_effect(viewer: Viewer) -> Subquery:
    """The effect of the revision before an assessment's revision that the viewer may see
    (a scalar subquery on the outer revision): read with the revisions, no query of its own."""
    earlier = history_of(OutlookAssessment).filter(
        id=OuterRef("id"), history_date__lt=OuterRef("history_date")
    )
    return Subquery(
        revisions_visible_to(earlier, viewer)
        .exclude(history_type="-")
        .order_by("-history_date", "-history_id")
        .values("effect")[:1]
    )


def _sentence(kind: Kind, row: Row) -> str:
    """A revision in words, after its issue's title: "effect −1 → −2 (deteriorated), outlook
    for …", "new position of Vladimir Putin (Russia)", "event added: …"."""
    action = _action(kind, row)
    if kind is ISSUE:
        return f"dossier {'revised' if action == 'changed' else action}"
    if kind is POSITION:
        speaker = row.leader.name if row.leader_id else row.attribution
        if action == "added":
            return f"new position of {speaker} ({row.country.name})"
        return f"position of {speaker} ({row.country.name}) {action}"
    if kind is ASSESSMENT:
        outlook = f"outlook for {row.meeting.title}"
        before = getattr(row, "previous_effect", None)
        if action == "removed":
            return f"{outlook} removed"
        if action == "added" or before is None:
            return f"{outlook} first assessed, effect {signed(row.effect)}"
        if before == row.effect:
            return f"{outlook} revised, effect held at {signed(row.effect)}"
        direction = "improved" if row.effect > before else "deteriorated"
        return f"effect {signed(before)} → {signed(row.effect)} ({direction}), {outlook}"
    return f"event {action}: {row.title}"


def recent_changes(
    viewer: Viewer,
    *,
    issue: Issue | None = None,
    meeting: Meeting | None = None,
    leader: Leader | None = None,
    limit: int = FEED_LIMIT,
    recorded_after: datetime | None = None,
    recorded_until: datetime | None = None,
) -> list[Change]:
    """The latest changes the viewer may see, newest first: of one issue, of a meeting's
    issues, of a leader's positions, or of every issue; with `recorded_after` and
    `recorded_until`, only revisions written in that interval (the e-mail digests: a
    correction dated in the past is new to a subscriber when it is written)."""
    issues_qs = Issue.objects.visible_to(viewer)
    if issue is not None:
        issues_qs = issues_qs.filter(pk=issue.pk)
    if meeting is not None:
        issues_qs = issues_qs.filter(meetings=meeting)
    issue_ids = issues_qs.values("pk")
    kinds = (POSITION,) if leader is not None else KINDS
    rows: dict[Kind, list[Row]] = {kind: [] for kind in KINDS}
    for kind in kinds:
        revisions = kind.revisions(issue_ids, viewer)
        if leader is not None:
            revisions = revisions.filter(leader_id=leader.pk)
        if recorded_after is not None:
            revisions = revisions.filter(history_recorded_at__gt=recorded_after)
        if recorded_until is not None:
            revisions = revisions.filter(history_recorded_at__lte=recorded_until)
        if kind is ASSESSMENT:
            revisions = revisions.annotate(previous_effect=_previous_effect(viewer))
        rows[kind] = list(revisions.order_by("-history_date")[:limit])
    shown_issue_ids = {r.id for r in rows[ISSUE]} | {
        r.issue_id for kind in (POSITION, ASSESSMENT) for r in rows[kind]
    }
    event_issue = dict(
        Event.issues.through.objects.filter(
            event_id__in=[r.id for r in rows[EVENT]], issue__in=issue_ids
        )
        .order_by("-issue_id")
        .values_list("event_id", "issue_id")
    )
    issues = {
        i.pk: i for i in Issue.objects.filter(pk__in=shown_issue_ids | set(event_issue.values()))
    }
    changes = []
    for kind in KINDS:
        for row in rows[kind]:
            of = _issue_of(kind, row, issues, event_issue)
            if of is None:
                continue
            title, summary, url = _describe(kind, row, of)
            changes.append(
                Change(
                    key=f"{kind.name}-{row.history_id}",
                    when=row.history_date,
                    who=display_name(row.history_user),
                    action=_action(kind, row),
                    kind=kind.label,
                    title=title,
                    summary=summary,
                    url=url,
                    note=row.history_change_reason or "",
                    issue_id=of.pk,
                    issue_title=of.title,
                    summary_html=_summary_html(kind, row, summary),
                    recorded=row.history_recorded_at,
                    sentence=_sentence(kind, row),
                )
            )
    return sorted(changes, key=lambda change: change.when, reverse=True)[:limit]


def recently_changed_issues(viewer: Viewer, limit: int = 5) -> list[Change]:
    """The latest change of each of the `limit` most recently changed issues."""
    latest: dict[int | None, Change] = {}
    for change in recent_changes(viewer, limit=FEED_LIMIT):
        latest.setdefault(change.issue_id, change)
    return list(latest.values())[:limit]


# The history page ----------------------------------------------------------------------

HIDDEN_FIELDS = {"id", "version", "created_at", "updated_at", "search_vector", "author"}
MARKDOWN_FIELDS = {"background", "rationale"}
SCALES = {"posture": Scale.POSTURE, "effect": Scale.EFFECT, "salience": Scale.SALIENCE}
WORD = re.compile(r"\S+\s*|\s+")  # a word with the space after it


@dataclass(frozen=True)
class Segment:
    """A run of words in a word-level diff: kept, removed or added."""

    op: str  # "same", "removed", "added"
    text: str


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str
    words: list[Segment] | None = None  # a word-level diff for text, None for short values


@dataclass(frozen=True)
class Revision:
    key: str
    when: datetime
    who: str
    kind: str
    action: str
    title: str
    url: str
    note: str
    status: str
    fields: list[FieldChange]
    recorded: datetime | None = None  # when it was written, if not when it took effect

    @property
    def recorded_later(self) -> bool:
        """Dated in the past (an import, a correction): written on a later day (UTC)."""
        return self.recorded is not None and self.recorded.date() > self.when.date()


@dataclass
class HistoryPage:
    issue: Issue
    page: Page[tuple[Kind, datetime, int]]
    revisions: list[Revision]
    editor: bool


def markdown_as_text(text: str) -> str:
    return " ".join(strip_tags(render_markdown(text)).split())


def word_diff(before: str, after: str) -> list[Segment]:
    old, new = WORD.findall(before), WORD.findall(after)
    segments = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("same", "".join(old[a1:a2])))
            continue
        if a2 > a1:
            segments.append(Segment("removed", "".join(old[a1:a2])))
        if b2 > b1:
            segments.append(Segment("added", "".join(new[b1:b2])))
    return segments


def _shown(row: Row, name: str, value: Any) -> str:
    """A field's value as a reader reads it: names, labels, dates as precise as given."""
    if value is None or value == "":
        return "—"
    if isinstance(value, DeletedObject):
        return "(deleted)"
    if name in SCALES:
        return (
            f"{scale_label(SCALES[name], value)} ({value:+d})"
            if value
            else scale_label(SCALES[name], value)
        )
    dated: tuple[str, ...] = getattr(row.instance_type, "DATE_FIELDS", ())
    if dated and name == dated[0]:  # a date as its source gives it, not its first day
        return str(when(row, *dated))
    if name in MARKDOWN_FIELDS:
        return markdown_as_text(value)
    field = row.instance_type._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return f"{value:%-d %B %Y, %H:%M}"
    return str(value)


def _linked_names(rows: list[dict[str, Any]], owner: type[models.Model]) -> set[str]:
    """The records a many-to-many snapshot links, by name (and locator, for citations);
    the link back to the record itself (`owner`) is left out."""
    names = set()
    for row in rows:
        locator = row.get("locator")
        for value in row.values():
            if isinstance(value, owner) or not isinstance(value, models.Model | DeletedObject):
                continue
            if isinstance(value, DeletedObject) and value.model is owner:
                continue
            shown = "(deleted)" if isinstance(value, DeletedObject) else str(value)
            names.add(f"{shown}, {locator}" if locator else shown)
    return names


def _field_changes(
    row: Row, previous: Row | None, links: "Links | None" = None
) -> list[FieldChange]:
    """What `row` changed since `previous`. `links`: the many-to-many snapshots of both,
    already read (else each is read here, a query per field and revision)."""
    if previous is None:
        return [
            FieldChange(_label(row, name), "—", _shown(row, name, getattr(row, name)))
            for name in _tracked(row)
            if getattr(row, name) not in (None, "")
        ]
    m2m = [field.name for field in row._history_m2m_fields] if links is not None else []
    delta = row.diff_against(
        previous, excluded_fields=HIDDEN_FIELDS | set(m2m), foreign_keys_are_objs=True
    )
    dated: tuple[str, ...] = getattr(row.instance_type, "DATE_FIELDS", ())
    changes: list[FieldChange] = []
    seen: set[str] = set()
    for change in delta.changes:
        if change.field in dated[1:]:  # one of a date's parts: the whole date changed
            change = ModelChange(dated[0], getattr(previous, dated[0]), getattr(row, dated[0]))
        if change.field in seen:
            continue
        seen.add(change.field)
        if isinstance(change.new, list):
            owner = row.instance_type
            old, new = _linked_names(change.old, owner), _linked_names(change.new, owner)
            removed, added = old - new, new - old
            if removed or added:
                changes.append(
                    FieldChange(
                        _label(row, change.field),
                        "; ".join(sorted(removed)) or "—",
                        "; ".join(sorted(added)) or "—",
                    )
                )
            continue
        before = _shown(previous, change.field, change.old)
        after = _shown(row, change.field, change.new)
        if before == after:
            continue
        long_text = max(len(before), len(after)) > 60
        words = word_diff(before, after) if long_text else None
        changes.append(FieldChange(_label(row, change.field), before, after, words))
    if links is not None:
        for name in m2m:
            old = links.names(previous, name)
            new = links.names(row, name)
            removed, added = old - new, new - old
            if removed or added:
                changes.append(
                    FieldChange(
                        _label(row, name),
                        "; ".join(sorted(removed)) or "—",
                        "; ".join(sorted(added)) or "—",
                    )
                )
    return changes


def _hidden(row: Row) -> set[str]:
    """Fields not shown on their own: bookkeeping, and a date's parts after its first (the
    date is shown whole, as its source gives it, under its first field)."""
    return HIDDEN_FIELDS | set(getattr(row.instance_type, "DATE_FIELDS", ())[1:])


def _tracked(row: Row) -> list[str]:
    return [
        f.name
        for f in row.instance_type._meta.concrete_fields
        if f.name not in _hidden(row) and not f.generated and f.editable
    ]


def _label(row: Row, name: str) -> str:
    return str(row.instance_type._meta.get_field(name).verbose_name).capitalize()


# What a linked record is called (its `__str__`), by model: read with the link.
LINK_NAMES: dict[type[models.Model], str] = {
    Topic: "name",
    Meeting: "title",
    Issue: "title",
    Source: "title",
}


class Links:
    """The many-to-many snapshots (an issue's topics, an assessment's citations) of some
    revisions, read in one query: a union over every link table of their kinds. Each
    link is named as `_linked_names` names it ("(deleted)" for a record since deleted)."""

    def __init__(self, rows: list[Row]) -> None:
        # By the revision model's label, the revision and the field.
        self._names: dict[tuple[str, int, str], set[str]] = {}
        parts = []
        history_models: set[Any] = {type(row) for row in rows}  # built at run time: untyped
        for history_model in history_models:
            ids = [row.history_id for row in rows if type(row) is history_model]
            owner = history_model.instance_type
            for field in history_model._history_m2m_fields:
                through = getattr(history_model, field.name).model
                linked = next(
                    f
                    for f in through._meta.fields
                    if f.is_relation
                    and f.related_model not in (owner, history_model)
                    and f.name != "history"
                )
                has_locator = any(f.name == "locator" for f in through._meta.fields)
                parts.append(
                    through.objects.filter(history_id__in=ids)
                    .annotate(
                        l_model=Value(history_model._meta.label, output_field=CharField()),
                        l_field=Value(field.name, output_field=CharField()),
                        l_history=F("history_id"),
                        l_name=F(f"{linked.name}__{LINK_NAMES[linked.related_model]}"),
                        l_locator=F("locator") if has_locator else Value("", CharField()),
                    )
                    .values_list("l_model", "l_field", "l_history", "l_name", "l_locator")
                    .order_by()
                )
        if not parts:
            return
        found = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        for label, name, history_id, linked_name, locator in found:
            shown = "(deleted)" if linked_name is None else str(linked_name)
            key = (label, history_id, name)
            self._names.setdefault(key, set()).add(f"{shown}, {locator}" if locator else shown)

    def names(self, row: Row | None, field: str) -> set[str]:
        if row is None:
            return set()
        history_model: Any = type(row)
        return self._names.get((history_model._meta.label, row.history_id, field), set())


def _history_rows(issue: Issue, viewer: Viewer) -> list[tuple[Kind, datetime, int]]:
    """Every revision the viewer may see, as (kind, when, history id), newest first: one
    query, a union of the revision tables."""
    one = Issue.objects.filter(pk=issue.pk).values("pk")
    parts = [
        kind.revisions(one, viewer)
        .order_by()
        .annotate(h_kind=Value(number, output_field=IntegerField()))
        .values_list("history_date", "history_id", "h_kind")
        for number, kind in enumerate(KINDS)
    ]
    found = [
        (KINDS[number], when, history_id)
        for when, history_id, number in parts[0].union(*parts[1:], all=True)
    ]
    return sorted(found, key=lambda item: (item[1], item[2]), reverse=True)


def _earlier(kind: Kind, viewer: Viewer) -> Subquery:
    """The revision before the outer one of the same record that the viewer may see."""
    earlier = history_of(kind.model).filter(
        id=OuterRef("id"), history_date__lt=OuterRef("history_date")
    )
    return Subquery(
        revisions_visible_to(earlier, viewer)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )


def _linked_records(kind: Kind) -> list[str]:
    """Every record a revision links to (a position's issue, leader, country and source),
    for a diff to name them without a query each."""
    fields = history_of(kind.model).model._meta.fields
    return [f.name for f in fields if f.many_to_one and f.name != "history_user"]


def _with_previous(kind: Kind, ids: list[int], viewer: Viewer) -> dict[int, Row]:
    """The revisions `ids` of one kind and the revision before each that the viewer may
    see, in one query, by history id; each carries `previous_id`."""
    page = history_of(kind.model).filter(history_id__in=ids)
    previous = page.exclude(history_type="+").annotate(previous_id=_earlier(kind, viewer))
    rows = (
        history_of(kind.model)
        .filter(Q(history_id__in=ids) | Q(history_id__in=previous.values("previous_id")))
        .annotate(previous_id=_earlier(kind, viewer))
        .select_related("history_user", *_linked_records(kind))
    )
    return {row.history_id: row for row in rows}


def build_history_page(
    issue: Issue, viewer: Viewer, page_number: int | str | None = None
) -> HistoryPage:
    """The issue's revisions a page at a time; only that page's revisions are diffed, read
    together: a query for the list, one per kind of record on the page (each revision with
    the one before it), one for their links. A save that changed nothing the reader can
    see is left out of the page."""
    page = Paginator(_history_rows(issue, viewer), HISTORY_PAGE_SIZE).get_page(page_number)
    by_kind: dict[Kind, list[int]] = {}
    for kind, _when, history_id in page.object_list:
        by_kind.setdefault(kind, []).append(history_id)
    read = {kind: _with_previous(kind, ids, viewer) for kind, ids in by_kind.items()}
    links = Links([row for rows in read.values() for row in rows.values()])
    revisions = []
    for kind, _when, history_id in page.object_list:
        row: Row = read[kind][history_id]
        previous = (
            read[kind].get(row.previous_id)
            if row.history_type != "+" and row.previous_id is not None
            else None
        )
        fields = _field_changes(row, previous, links)
        if not fields and row.history_type == "~":
            continue
        title, _summary, url = _describe(kind, row, issue)
        revisions.append(
            Revision(
                key=f"{kind.name}-{row.history_id}",
                when=row.history_date,
                who=display_name(row.history_user),
                kind=kind.label,
                action=_action(kind, row),
                title=title,
                url=url,
                note=row.history_change_reason or "",
                status=getattr(row, "status", ""),
                fields=fields,
                recorded=getattr(row, "history_recorded_at", None),
            )
        )
    return HistoryPage(issue, page, revisions, editor=can_see_drafts(viewer))
