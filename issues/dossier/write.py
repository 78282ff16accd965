"""Writing a validated dossier: every record through the same services as the editing pages
(`issues.services`), in one transaction, so that revisions, versions and search vectors are
what an editor's own edits would make.

A record is found by its natural key (a slug, a source's URL, a position's side and
summary within its issue…). A new record is written state by state, each state a revision
dated when it took effect. An existing record gets the file's states that took effect
after its latest revision, then, if it still differs from the file, one revision now. So
importing the same file twice changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from issues import services
from issues.models import (
    Country,
    Issue,
    IssueOutcome,
    Leader,
    Meeting,
    MeetingOutcome,
    Office,
    PublicationStatus,
    Scenario,
    ScenarioOutcome,
    Source,
    Topic,
)
from issues.models.dating import settle_interval
from issues.scoring import IssueResult, ScenarioResult, outcome_record
from issues.services import Citations, Edit

from .dates import load_day, load_moment
from .read import DossierError, Record, read_dossier
from .spec import CITATIONS, DAY, KINDS, LINKS, MOMENT, REF, Kind, source_key

PUBLISHED = PublicationStatus.PUBLISHED
DRAFT = PublicationStatus.DRAFT
REFERABLE_MODELS = {
    "countries": (Country, "code"),
    "topics": (Topic, "slug"),
    "leaders": (Leader, "slug"),
    "meetings": (Meeting, "slug"),
    "issues": (Issue, "slug"),
}


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, outcome: str, kind: str) -> None:
        tally = getattr(self, outcome)
        tally[kind] = tally.get(kind, 0) + 1

    @property
    def wrote_anything(self) -> bool:
        return bool(self.created or self.changed)

    def rows(self) -> list[tuple[str, int, int, int]]:
        """(kind, created, changed, unchanged) for each kind of record in the file."""
        kinds = sorted({*self.created, *self.changed, *self.unchanged})
        return [
            (k, self.created.get(k, 0), self.changed.get(k, 0), self.unchanged.get(k, 0))
            for k in kinds
        ]


class _Resolver:
    """Natural keys to records, from what this import wrote or the database holds."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, str], models.Model] = {}

    def remember(self, kind: str, key: str, record: models.Model) -> None:
        self.found[(kind, key)] = record

    def get(self, kind: str, key: str) -> models.Model:
        if (kind, key) not in self.found:
            if kind == "sources":
                record = Source.objects.filter(url=key).first() or Source.objects.get(
                    url="", title=key
                )
            else:
                model, key_field = REFERABLE_MODELS[kind]
                record = model.objects.get(**{key_field: key})
            self.found[(kind, key)] = record
        return self.found[(kind, key)]


@dataclass
class _Resolved:
    values: dict[str, Any]
    links: dict[str, list[models.Model]]
    citations: Citations | None
    since: datetime | None
    note: str
    status: str | None


def _resolve(kind: Kind, state: dict, resolver: _Resolver) -> _Resolved:
    values, links, citations = {}, {}, None
    for f in kind.fields:
        value = state.get(f.name, f.default)
        if f.how == REF:
            values[f.model_attr] = None if value is None else resolver.get(f.target, value)
        elif f.how == LINKS:
            links[f.model_attr] = [resolver.get(f.target, key) for key in value]
        elif f.how == CITATIONS:
            sources = [resolver.get("sources", c["source"]) for c in value]
            citations = Citations(
                sources=sources,
                locators={s.pk: c.get("locator", "") for s, c in zip(sources, value, strict=True)},
            )
        elif f.how == DAY:
            values[f.model_attr] = load_day(value)
        elif f.how == MOMENT:
            values[f.model_attr] = load_moment(value)
        else:
            values[f.model_attr] = value
    _settle_dates(kind.model, values)
    status = values.pop("status", None) if kind.publishable and kind.model is not Source else None
    return _Resolved(
        values, links, citations, load_moment(state.get("since")), state.get("note", ""), status
    )


def _settle_dates(model: type[models.Model], values: dict) -> None:
    """A date as the record will store it (a month covers the whole month), so that a file
    that leaves out what its precision implies compares equal to what was saved."""
    dated = getattr(model, "DATE_FIELDS", None)
    if not dated or values.get(dated[0]) is None:
        return
    probe = SimpleNamespace(**{name: values.get(name) for name in dated})
    if probe.__dict__[dated[2]] is None:
        probe.__dict__[dated[2]] = "day"
    if probe.__dict__[dated[3]] is None:
        probe.__dict__[dated[3]] = ""
    settle_interval(probe, *dated)
    values.update(vars(probe))


def _differs(record: models.Model, resolved: _Resolved) -> bool:
    for name, value in resolved.values.items():
        current = getattr(record, name)
        if current != value:
            return True
    if resolved.status is not None and record.status != resolved.status:
        return True
    for name, wanted in resolved.links.items():
        if {o.pk for o in getattr(record, name).all()} != {o.pk for o in wanted}:
            return True
    if resolved.citations is not None:
        have = {c.source_id: c.locator for c in record.citations.all()}
        want = {s.pk: resolved.citations.locator_of(s) for s in resolved.citations.sources}
        if have != want:
            return True
    return False


def _save_state(record: models.Model, resolved: _Resolved, *, editor, created: bool):
    """One revision through the editing services; returns the saved record."""
    edit = Edit(
        values=resolved.values,
        note=resolved.note,
        as_draft=resolved.status == DRAFT,
        citations=resolved.citations,
        links=resolved.links,
        effective=resolved.since,
    )
    if resolved.status is None:  # no drafts of its own: a summit, a meeting, a source…
        return services.record_save(record=record, editor=editor, edit=edit)
    if created:
        return services.record_create(record=record, editor=editor, edit=edit)
    if edit.as_draft and record.status == PUBLISHED:
        raise ValidationError({"status": "a published record cannot become a draft"})
    return services.record_update(
        record=record, editor=editor, edit=edit, expected_version=record.version
    )


def _latest_revision(record: models.Model) -> datetime | None:
    return (
        record.history.order_by("-history_date", "-history_id")
        .values_list("history_date", flat=True)
        .first()
    )


class Writer:
    def __init__(self, *, editor, progress: Callable[[int, int], None] | None) -> None:
        self.editor = editor
        self.progress = progress
        self.resolver = _Resolver()
        self.report = ImportReport()
        self.written: dict[int, models.Model] = {}  # id(Record) -> saved record

    def _lookup(self, record: Record) -> dict[str, Any]:
        kind = KINDS[record.kind]
        data = record.data
        if record.kind == "sources":
            key = source_key(data.get("url", ""), data["title"])
            return {"url": key} if data.get("url") else {"url": "", "title": key}
        lookup = {}
        if kind.parent:
            lookup[kind.parent] = self.written[id(record.parent)]
        for name in kind.key:
            f = kind.field(name)
            value = data.get(name)
            lookup[f.model_attr] = self.resolver.get(f.target, value) if f.how == REF else value
        return lookup

    def _write_plain(self, record: Record) -> models.Model:
        """Countries and topics: no revisions, saved only when they differ."""
        kind = KINDS[record.kind]
        values = {f.name: record.data.get(f.name, f.default) for f in kind.fields}
        key = kind.key[0]
        instance = kind.model.objects.filter(**{key: values[key]}).first()
        if instance is None:
            instance = kind.model(**values)
            self.report.count("created", record.kind)
        elif any(getattr(instance, n) != v for n, v in values.items()):
            for name, value in values.items():
                setattr(instance, name, value)
            self.report.count("changed", record.kind)
        else:
            self.report.count("unchanged", record.kind)
            return instance
        instance.full_clean()
        instance.save()
        return instance

    def _write_dated(self, record: Record) -> models.Model:
        kind = KINDS[record.kind]
        lookup = self._lookup(record)
        existing = kind.model.objects.filter(**lookup).first()
        states = [_resolve(kind, state, self.resolver) for state in record.states]
        if existing is None:
            instance = kind.model(**lookup)
            for index, state in enumerate(states):
                instance = _save_state(instance, state, editor=self.editor, created=index == 0)
            self.report.count("created", record.kind)
            return instance
        latest = _latest_revision(existing)
        newer = [s for s in states if s.since is not None and (latest is None or s.since > latest)]
        instance = existing
        for state in newer:
            instance = _save_state(instance, state, editor=self.editor, created=False)
        final = states[-1]
        differs = _differs(instance, final)
        if differs:
            final.since = None  # its date is not after the record's latest revision: now
            instance = _save_state(instance, final, editor=self.editor, created=False)
        self.report.count("changed" if newer or differs else "unchanged", record.kind)
        return instance

    def _write_offices(self, leader: Leader, offices: list[dict]) -> None:
        wanted = {o["title"]: (load_day(o.get("from")), load_day(o.get("to"))) for o in offices}
        Office.objects.filter(leader=leader).exclude(title__in=wanted).delete()
        for title, (started_on, ended_on) in wanted.items():
            office = Office.objects.filter(leader=leader, title=title).first() or Office(
                leader=leader, title=title
            )
            if office.pk is None or (office.started_on, office.ended_on) != (started_on, ended_on):
                office.started_on, office.ended_on = started_on, ended_on
                office.full_clean()
                office.save()

    def write(self, found: list[Record]) -> ImportReport:
        for done, record in enumerate(found, start=1):
            try:
                if KINDS[record.kind].dated:
                    saved = self._write_dated(record)
                else:
                    saved = self._write_plain(record)
                if record.kind == "leaders":
                    self._write_offices(saved, record.data.get("offices", []))
            except ValidationError as error:
                raise DossierError(_validation_problems(record.where, error)) from None
            except services.EditConflict:
                raise DossierError(
                    [f"{record.where}: changed by someone else during the import; try again"]
                ) from None
            self.written[id(record)] = saved
            if record.kind in REFERABLE_MODELS or record.kind == "sources":
                self.resolver.remember(record.kind, record.key[0], saved)
            if self.progress:
                self.progress(done, len(found))
        for record in found:  # once the issues and scenarios they name are written
            if record.kind == "meetings" and "outcome" in record.data:
                try:
                    self._write_outcome(self.written[id(record)], record.data["outcome"])
                except ValidationError as error:
                    where = f"{record.where}.outcome"
                    raise DossierError(_validation_problems(where, error)) from None
        return self.report

    def _write_outcome(self, meeting: Meeting, outcome: dict) -> None:
        """Record the meeting's outcome through `outcome_record`, which scores it, unless
        what is recorded already reads as the file does."""
        source = self.resolver.get("sources", outcome["source"])
        locator = outcome.get("locator", "")
        issues = [
            IssueResult(
                issue_id=self.resolver.get("issues", item["issue"]).pk,
                raised=item["raised"],
                what_was_said=item.get("what_was_said", ""),
                deliverable_reached=item.get("deliverable_reached", ""),
                source=self.resolver.get("sources", item["source"]) if "source" in item else None,
                locator=item.get("locator"),
            )
            for item in outcome.get("issues", [])
        ]
        titles = {s.title: s.pk for s in Scenario.objects.filter(meeting=meeting)}
        scenarios = [
            ScenarioResult(
                scenario_id=titles[item["scenario"]],
                came_true=item["came_true"],
                note=item.get("note", ""),
                source=self.resolver.get("sources", item["source"]) if "source" in item else None,
                locator=item.get("locator"),
            )
            for item in outcome.get("scenarios", [])
        ]
        wanted = _outcome_rows(source, locator, outcome, issues, scenarios)
        if _recorded_rows(meeting, wanted) == wanted:
            self.report.count("unchanged", "outcomes")
            return
        created = not MeetingOutcome.objects.filter(meeting=meeting).exists()
        since = load_moment(outcome.get("since"))
        latest = _latest_outcome_revision(meeting)
        effective = since if since is not None and (latest is None or since > latest) else None
        outcome_record(
            meeting=meeting,
            result=outcome["result"],
            source=source,
            locator=locator,
            statement=outcome.get("statement", ""),
            issues=issues,
            scenarios=scenarios,
            reason=IMPORTED,
            effective=effective,
        )
        self.report.count("created" if created else "changed", "outcomes")


IMPORTED = "outcome imported from a dossier file"


def _outcome_rows(source, locator, outcome, issues, scenarios) -> dict:
    """What a file's outcome records, row by row, in the terms of the database."""
    rows: dict[tuple, tuple] = {
        ("meeting",): (outcome["result"], outcome.get("statement", ""), source.pk, locator)
    }
    for item in issues:
        rows[("issue", item.issue_id)] = (
            item.raised,
            item.what_was_said,
            item.deliverable_reached,
            (item.source or source).pk,
            locator if item.locator is None else item.locator,
        )
    for item in scenarios:
        rows[("scenario", item.scenario_id)] = (
            item.came_true,
            item.note,
            (item.source or source).pk,
            locator if item.locator is None else item.locator,
        )
    return rows


def _recorded_rows(meeting: Meeting, wanted: dict) -> dict:
    """The recorded outcome's rows that `wanted` names, in the same terms."""
    rows: dict[tuple, tuple] = {}
    recorded = MeetingOutcome.objects.filter(meeting=meeting).first()
    if recorded is not None:
        rows[("meeting",)] = (
            recorded.result,
            recorded.statement,
            recorded.source_id,
            recorded.locator,
        )
    issue_ids = [key[1] for key in wanted if key[0] == "issue"]
    for row in IssueOutcome.objects.filter(meeting=meeting, issue_id__in=issue_ids):
        rows[("issue", row.issue_id)] = (
            row.raised,
            row.what_was_said,
            row.deliverable_reached,
            row.source_id,
            row.locator,
        )
    scenario_ids = [key[1] for key in wanted if key[0] == "scenario"]
    for row in ScenarioOutcome.objects.filter(scenario_id__in=scenario_ids):
        rows[("scenario", row.scenario_id)] = (row.came_true, row.note, row.source_id, row.locator)
    return rows


def _latest_outcome_revision(meeting: Meeting) -> datetime | None:
    moments = [
        model.history.filter(**{lookup: meeting.pk})
        .order_by("-history_date")
        .values_list("history_date", flat=True)
        .first()
        for model, lookup in (
            (MeetingOutcome, "meeting_id"),
            (IssueOutcome, "meeting_id"),
            (ScenarioOutcome, "scenario__meeting_id"),
        )
    ]
    return max((moment for moment in moments if moment is not None), default=None)


def _validation_problems(where: str, error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{where}.{name}: {message}" if name != "__all__" else f"{where}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [f"{where}: {message}" for message in error.messages]


def dossier_import(
    data: bytes, *, editor=None, progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    """Validate the whole file, then write it in one transaction: a file with any problem
    changes nothing (`DossierError` lists them all)."""
    _, found = read_dossier(data)
    with transaction.atomic():
        return Writer(editor=editor, progress=progress).write(found)


class _DryRun(Exception):
    def __init__(self, report: ImportReport) -> None:
        self.report = report


def dossier_preview(data: bytes, *, editor=None) -> ImportReport:
    """What importing the file would create and change, found by importing it inside a
    transaction that is then undone: the preview meets every check the import does."""
    _, found = read_dossier(data)
    try:
        with transaction.atomic():
            raise _DryRun(Writer(editor=editor, progress=None).write(found))
    except _DryRun as dry_run:
        return dry_run.report
