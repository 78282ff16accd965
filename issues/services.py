"""Writes: every edit an editor makes on the public pages goes through here.

Each write is one transaction, validates before saving, writes one revision (with the
editor and their note) and refuses to overwrite a version that changed since the form was
opened (`EditConflict`). An edit of a published record can be kept as a `Draft` instead:
readers see the published record until the draft is published.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .history import one_revision
from .models import (
    AssessmentCitation,
    Draft,
    Event,
    EventCitation,
    Issue,
    OutlookAssessment,
    Position,
    PublicationStatus,
    Source,
)


class EditConflict(Exception):
    """The record changed since the editor opened the form."""

    def __init__(self, current: models.Model) -> None:
        super().__init__(f"{current} changed since the form was opened")
        self.current = current


class DuplicateRecord(Exception):
    """The record was created by someone else between the form's checks and the insert
    (the same slug, the same issue and meeting): a unique constraint refused it."""

    def __init__(self, record: models.Model) -> None:
        super().__init__(f"{type(record)._meta.verbose_name} was created meanwhile")
        self.record = record


@dataclass
class Citations:
    """Sources an edit cites, with one locator (paragraph, page, timestamp) for all."""

    sources: list[Source] = field(default_factory=list)
    locator: str = ""
    #: A locator of its own for some sources (by source id), e.g. from a dossier file.
    locators: dict[int, str] = field(default_factory=dict)

    def locator_of(self, source: Source) -> str:
        return self.locators.get(source.pk, self.locator)


@dataclass
class Edit:
    """What an edit form produced: field values, citations, and how to save them."""

    values: dict[str, Any]
    note: str = ""
    as_draft: bool = False
    citations: Citations | None = None
    links: dict[str, list[models.Model]] = field(default_factory=dict)  # many-to-many
    #: When the revision took effect, if not now: a correction of the record or an import
    #: dates it in the past (it is recorded now all the same; see `DatedRevision`).
    effective: datetime | None = None


CITATION_MODELS: dict[type[models.Model], tuple[type[models.Model], str]] = {
    OutlookAssessment: (AssessmentCitation, "assessment"),
    Event: (EventCitation, "event"),
}


def _set_citations(record: models.Model, citations: Citations | None) -> None:
    if citations is None or type(record) not in CITATION_MODELS:
        return
    citation_model, owner = CITATION_MODELS[type(record)]
    wanted = {source.pk for source in citations.sources}
    citation_model.objects.filter(**{owner: record}).exclude(source_id__in=wanted).delete()
    for source in citations.sources:
        citation_model.objects.update_or_create(
            **{owner: record, "source": source},
            defaults={"locator": citations.locator_of(source)},
        )


def _publish_cited_sources(record: models.Model, *, editor) -> None:
    """Sources created together with a draft go public when what cites them does."""
    if getattr(record, "status", None) != PublicationStatus.PUBLISHED:
        return
    if isinstance(record, Position):
        cited = Source.objects.filter(pk=record.source_id)
    elif type(record) in CITATION_MODELS:
        cited = record.sources.all()
    else:
        return
    for source in cited.filter(status=PublicationStatus.DRAFT).select_for_update():
        source.status = PublicationStatus.PUBLISHED
        source._history_user = editor
        source._change_reason = "Published with what cites it"
        source.save()


def _save_revision(record: models.Model, *, editor, edit: Edit | None = None, note: str = ""):
    """Validate and save `record` with its links and citations as one revision; publishing
    a record publishes the draft sources it cites."""
    record.full_clean()
    record._history_user = editor
    record._change_reason = edit.note if edit else note
    if edit is not None and edit.effective is not None:
        record._history_date = edit.effective
    try:
        with one_revision(record):
            record.save()
            if edit is not None:
                for name, related in edit.links.items():
                    getattr(record, name).set(related)
                _set_citations(record, edit.citations)
    finally:  # a later save of the same instance is a revision of its own time
        record.__dict__.pop("_history_date", None)
    _publish_cited_sources(record, editor=editor)


def _lock(record: models.Model, expected_version: int) -> models.Model:
    current = type(record).objects.select_for_update().get(pk=record.pk)
    if current.version != expected_version:
        raise EditConflict(current)
    return current


def _draft_data(edit: Edit) -> dict[str, Any]:
    data = {name: _to_json(value) for name, value in edit.values.items()}
    if edit.citations is not None:
        data["_citations"] = {
            "sources": [source.pk for source in edit.citations.sources],
            "locator": edit.citations.locator,
        }
    return data


def _to_json(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@transaction.atomic
def record_update(*, record: models.Model, editor, edit: Edit, expected_version: int):
    """Apply an edit to an existing record, or keep it as a draft of a published one.

    Returns the saved record, or the `Draft` when the edit was kept as a draft.
    Raises `EditConflict` when the record changed since `expected_version`.
    """
    current = _lock(record, expected_version)
    if edit.as_draft and current.status == PublicationStatus.PUBLISHED:
        draft, _ = Draft.objects.update_or_create(
            content_type=ContentType.objects.get_for_model(current),
            object_id=current.pk,
            defaults={
                "data": _draft_data(edit),
                "note": edit.note,
                "author": editor,
                "base_version": current.version,
            },
        )
        return draft
    for name, value in edit.values.items():
        setattr(current, name, value)
    if not edit.as_draft:
        current.status = PublicationStatus.PUBLISHED
    if isinstance(current, OutlookAssessment):
        current.author = editor
    _save_revision(current, editor=editor, edit=edit)
    return current


@transaction.atomic
def record_create[M: models.Model](*, record: M, editor, edit: Edit) -> M:
    """Save a new record, as a draft readers don't see or published at once."""
    for name, value in edit.values.items():
        setattr(record, name, value)
    record.status = PublicationStatus.DRAFT if edit.as_draft else PublicationStatus.PUBLISHED
    if isinstance(record, OutlookAssessment):
        record.author = editor
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            _save_revision(record, editor=editor, edit=edit)
    except IntegrityError as error:
        raise DuplicateRecord(record) from error
    return record


class RowInvalid(Exception):
    """One row of a batch was refused; nothing of the batch was saved."""

    def __init__(self, index: int, error: ValidationError | DuplicateRecord) -> None:
        super().__init__(f"row {index + 1}: {error}")
        self.index = index
        self.error = error


@transaction.atomic
def positions_create(*, issue: Issue, editor, rows: list[tuple[Position, Edit]]) -> list[Position]:
    """Add several positions to `issue` at once, each as its own revision the way a single
    add writes it: all of them, or none (`RowInvalid` names the row refused)."""
    saved = []
    for index, (position, edit) in enumerate(rows):
        position.issue = issue
        try:
            saved.append(record_create(record=position, editor=editor, edit=edit))
        except (ValidationError, DuplicateRecord) as error:
            raise RowInvalid(index, error) from error
    return saved


@transaction.atomic
def record_save[M: models.Model](*, record: M, editor, edit: Edit) -> M:
    """Create or change a record that has no drafts or versions of its own (a summit, a
    meeting, a leader, a source), as one revision; what the back office does for them."""
    for name, value in edit.values.items():
        setattr(record, name, value)
    _save_revision(record, editor=editor, edit=edit)
    return record


@transaction.atomic
def position_withdraw(*, position: Position, editor, note: str, expected_version: int):
    """Mark a superseded position withdrawn; positions are never deleted."""
    current = _lock(position, expected_version)
    current.withdrawn_at = timezone.now()
    _save_revision(current, editor=editor, note=note)
    return current


def undo_deadline(position: Position) -> datetime | None:
    """Until when a withdrawal can be undone from the page (`WITHDRAW_UNDO_MINUTES`)."""
    if position.withdrawn_at is None:
        return None
    return position.withdrawn_at + timedelta(minutes=settings.WITHDRAW_UNDO_MINUTES)


@transaction.atomic
def position_restore(*, position: Position, editor, expected_version: int) -> Position:
    """Undo a withdrawal made moments ago: the position as it was, in a revision of its own.
    Later, a withdrawal stands (the back office can still change it)."""
    current = _lock(position, expected_version)
    deadline = undo_deadline(current)
    if deadline is None:
        raise ValidationError("This position is not withdrawn.")
    if timezone.now() > deadline:
        raise ValidationError(
            f"A withdrawal can be undone for {settings.WITHDRAW_UNDO_MINUTES} minutes only."
        )
    current.withdrawn_at = None
    _save_revision(current, editor=editor, note="Withdrawal undone")
    return current


def _draft_edit(draft: Draft) -> Edit:
    record = draft.record
    data = dict(draft.data)
    citations_data = data.pop("_citations", None)
    values = {}
    for name, value in data.items():
        model_field = record._meta.get_field(name)
        if model_field.is_relation:
            values[f"{name}_id"] = value
        else:
            values[name] = model_field.to_python(value)
    citations = None
    if citations_data is not None:
        citations = Citations(
            sources=list(Source.objects.filter(pk__in=citations_data["sources"])),
            locator=citations_data["locator"],
        )
    return Edit(values=values, note=draft.note, citations=citations)


@transaction.atomic
def draft_publish(*, draft: Draft, editor) -> models.Model:
    """Apply a draft to its record. A draft written over a version that has changed since
    is a conflict: the newer published text is never silently replaced."""
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    record = draft.record
    if record is None:
        raise ValidationError("the record it edits has been deleted since; discard the draft.")
    edit = _draft_edit(draft)
    saved = record_update(
        record=record, editor=draft.author or editor, edit=edit, expected_version=draft.base_version
    )
    draft.delete()
    return saved


@transaction.atomic
def record_publish(*, record: models.Model, editor, note: str = "Published") -> models.Model:
    """Publish a record that was created as a draft."""
    current = type(record).objects.select_for_update().get(pk=record.pk)
    if current.status != PublicationStatus.PUBLISHED:
        current.status = PublicationStatus.PUBLISHED
        _save_revision(current, editor=editor, note=note)
    return current


@dataclass
class PublishReport:
    published: list[models.Model] = field(default_factory=list)
    conflicts: list[Draft] = field(default_factory=list)


@transaction.atomic
def issue_publish(*, issue: Issue, editor) -> PublishReport:
    """Publish everything pending on an issue page in one action: the issue itself, its
    draft positions, events and assessments, and every draft edit of them."""
    report = PublishReport()
    records: list[models.Model] = [issue]
    records += list(issue.positions.all())
    records += list(issue.events.all())
    records += list(issue.assessments.all())
    for record in records:
        if record.status != PublicationStatus.PUBLISHED:
            report.published.append(record_publish(record=record, editor=editor))
    for model in (Issue, Position, Event, OutlookAssessment):
        mine = [r for r in records if isinstance(r, model)]
        for draft in Draft.objects.for_records(mine):
            try:
                with transaction.atomic():
                    report.published.append(draft_publish(draft=draft, editor=editor))
            except (EditConflict, ValidationError):
                # Kept as a draft: the record changed since, or no longer accepts it.
                report.conflicts.append(draft)
    return report
