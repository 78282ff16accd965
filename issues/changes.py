"""What changed in the dossiers: revisions of issues, positions, outlook assessments and
events, merged newest first. Feeds read it; the history pages build on it."""

from dataclasses import dataclass
from datetime import datetime
from itertools import chain

from django.db.models import QuerySet

from .models import Event, Issue, OutlookAssessment, Position, PublicationStatus

ACTIONS = {"+": "added", "~": "changed", "-": "removed"}


@dataclass(frozen=True)
class Change:
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
    recorded: datetime | None = None  # when it was written, if not when it took effect

    @property
    def recorded_later(self) -> bool:
        """Dated in the past (an import, a correction): written on a later day (UTC)."""
        return self.recorded is not None and self.recorded.date() > self.when.date()


def _who(record) -> str:
    user = record.history_user
    return (user.get_full_name() or user.get_username()) if user else ""


def _issue_revisions(issues: QuerySet[Issue], include_drafts: bool, limit: int) -> list[Change]:
    records = Issue.history.filter(id__in=issues.values("pk"))
    if not include_drafts:
        records = records.filter(status=PublicationStatus.PUBLISHED)
    return [
        Change(
            key=f"issue-{r.history_id}",
            when=r.history_date,
            recorded=r.history_recorded_at,
            who=_who(r),
            action=ACTIONS[r.history_type],
            kind="Issue",
            title=f"{r.title}: dossier {ACTIONS[r.history_type]}",
            summary=r.summary,
            url=f"/issues/{r.slug}/",
            note=r.history_change_reason or "",
            issue_id=r.id,
        )
        for r in records.select_related("history_user").order_by("-history_date")[:limit]
    ]


def _position_revisions(issues: QuerySet[Issue], limit: int) -> list[Change]:
    records = Position.history.filter(issue_id__in=issues.values("pk")).select_related(
        "history_user", "issue", "leader", "country"
    )
    return [
        Change(
            key=f"position-{r.history_id}",
            when=r.history_date,
            recorded=r.history_recorded_at,
            who=_who(r),
            action="withdrawn" if r.withdrawn_at else ACTIONS[r.history_type],
            kind="Position",
            title=f"{r.issue.title}: position of {r.leader.name if r.leader else r.attribution} "
            f"({r.country.name}) {'withdrawn' if r.withdrawn_at else ACTIONS[r.history_type]}",
            summary=r.summary,
            url=f"{r.issue.get_absolute_url()}#position-{r.id}",
            note=r.history_change_reason or "",
            issue_id=r.issue_id,
        )
        for r in records.order_by("-history_date")[:limit]
    ]


def _assessment_revisions(
    issues: QuerySet[Issue], include_drafts: bool, limit: int
) -> list[Change]:
    records = OutlookAssessment.history.filter(issue_id__in=issues.values("pk"))
    if not include_drafts:
        records = records.filter(status=PublicationStatus.PUBLISHED)
    records = records.select_related("history_user", "issue", "meeting")
    return [
        Change(
            key=f"assessment-{r.history_id}",
            when=r.history_date,
            recorded=r.history_recorded_at,
            who=_who(r),
            action=ACTIONS[r.history_type],
            kind="Outlook assessment",
            title=f"{r.issue.title}: outlook for {r.meeting.title} {ACTIONS[r.history_type]}",
            summary=r.rationale,
            url=f"{r.issue.get_absolute_url()}#outlook-{r.meeting.slug}",
            note=r.history_change_reason or "",
            issue_id=r.issue_id,
        )
        for r in records.order_by("-history_date")[:limit]
    ]


def _event_revisions(issues: QuerySet[Issue], limit: int) -> list[Change]:
    links = Event.issues.through.objects.filter(issue__in=issues.values("pk"))
    first_issue = {}
    for event_id, slug, issue_id in links.values_list("event_id", "issue__slug", "issue_id"):
        first_issue.setdefault(event_id, (slug, issue_id))
    records = Event.history.filter(id__in=list(first_issue)).select_related("history_user")
    changes = []
    for r in records.order_by("-history_date")[:limit]:
        slug, issue_id = first_issue[r.id]
        changes.append(
            Change(
                key=f"event-{r.history_id}",
                when=r.history_date,
                recorded=r.history_recorded_at,
                who=_who(r),
                action=ACTIONS[r.history_type],
                kind="Event",
                title=f"Event {ACTIONS[r.history_type]}: {r.title}",
                summary=r.description,
                url=f"/issues/{slug}/#event-{r.id}",
                note=r.history_change_reason or "",
                issue_id=issue_id,
            )
        )
    return changes


def recent_changes(
    *, issue: Issue | None = None, include_drafts: bool = False, limit: int = 30
) -> list[Change]:
    """The latest changes of one issue, or of every issue; readers see published ones."""
    issues = Issue.objects.all() if include_drafts else Issue.objects.published()
    if issue is not None:
        issues = issues.filter(pk=issue.pk)
    changes = chain(
        _issue_revisions(issues, include_drafts, limit),
        _position_revisions(issues, limit),
        _assessment_revisions(issues, include_drafts, limit),
        _event_revisions(issues, limit),
    )
    return sorted(changes, key=lambda change: change.when, reverse=True)[:limit]


# The history page: every revision, with a field-by-field before and after -------------

HIDDEN_FIELDS = {"id", "version", "created_at", "updated_at", "search_vector", "author"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Revision:
    change: Change
    fields: list[FieldChange]
    status: str


def _display(record, name: str) -> str:
    field = record._meta.get_field(name)
    value = getattr(record, field.attname)
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _field_changes(record, previous) -> list[FieldChange]:
    names = [
        f.name
        for f in record.instance_type._meta.concrete_fields
        if f.name not in HIDDEN_FIELDS and not f.is_relation
    ]
    names += [
        f.name
        for f in record.instance_type._meta.concrete_fields
        if f.is_relation and f.name not in HIDDEN_FIELDS
    ]
    changes = []
    for name in names:
        after = _display(record, name)
        before = _display(previous, name) if previous is not None else "—"
        if previous is None and after == "—":
            continue
        if before != after:
            changes.append(FieldChange(record._meta.get_field(name).verbose_name, before, after))
    return changes


def _revisions_of(records, change_for, include_drafts: bool) -> list[Revision]:
    """Revisions with their diffs: `records` ordered by object and date."""
    revisions, previous_by_object = [], {}
    for record in records:
        previous = previous_by_object.get(record.id)
        previous_by_object[record.id] = record
        status = getattr(record, "status", "published")
        if not include_drafts and status != PublicationStatus.PUBLISHED:
            continue
        revisions.append(Revision(change_for(record), _field_changes(record, previous), status))
    return revisions


def issue_history(issue: Issue, *, include_drafts: bool) -> list[Revision]:
    """Every revision of the issue, its positions, events and outlook assessments."""
    one = Issue.objects.filter(pk=issue.pk)
    by_key = {c.key: c for c in _issue_revisions(one, True, 10_000)}
    by_key |= {c.key: c for c in _position_revisions(one, 10_000)}
    by_key |= {c.key: c for c in _assessment_revisions(one, True, 10_000)}
    by_key |= {c.key: c for c in _event_revisions(one, 10_000)}
    event_ids = Event.issues.through.objects.filter(issue=issue).values("event_id")
    sources = [
        ("issue", Issue.history.filter(id=issue.pk)),
        ("position", Position.history.filter(issue_id=issue.pk)),
        ("assessment", OutlookAssessment.history.filter(issue_id=issue.pk)),
        ("event", Event.history.filter(id__in=event_ids)),
    ]
    revisions = []
    for prefix, records in sources:
        records = records.select_related("history_user").order_by("id", "history_date")
        revisions += _revisions_of(
            records, lambda r, p=prefix: by_key[f"{p}-{r.history_id}"], include_drafts
        )
    return sorted(revisions, key=lambda revision: revision.change.when, reverse=True)
