"""Time travel: an issue page or a meeting page as it stood at the end of a past day (UTC).

Why: researchers cite what a dossier said on a given day and readers follow links shared
then, so `?as_of=YYYY-MM-DD` shows the page as it was, not as it is. Every dossier record
keeps its revisions (django-simple-history, see `issues.history`): the state at a moment is,
for each record, its latest revision before that moment, with the links of that revision's
many-to-many snapshot (an assessment's cited sources, an issue's topics and meetings, an
event's issues and meetings, a meeting's participants).

How: each kind of record is read from its historical table in one query (the latest
revision of each record, found by `latest_revisions`), so that a page's
query count does not grow with its content; simple-history's own `as_of()` would build
each record with one more query for its excluded fields. Historical rows are turned into
model instances (`as_record`) that templates and charts take exactly as live records.

This module holds the reading primitives; `issues.pages.reading.AsOfReader` uses them to
give the page builders the same records a live page has. Who sees what is decided there,
by the publication policy: readers see what was published then.
"""

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol

from django.apps import apps
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast

from .models import PublicationStatus, Source
from .models.publishing import History

DAY_FORMAT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
EXAMPLE = "2018-11-26"
QUOTED_LENGTH = 30  # characters of a rejected value quoted back to the reader
PUBLISHED = PublicationStatus.PUBLISHED


class AsOfError(ValueError):
    """A day that cannot be shown. The message is written for the reader."""


class NotPublishedThen(LookupError):
    """The record was not published on that day: readers get a 404, as for a draft today."""


def long_date(day: date | datetime) -> str:
    """26 November 2018."""
    return f"{day.day} {day:%B %Y}"


def _quoted(value: str) -> str:
    shown = value if len(value) <= QUOTED_LENGTH else value[: QUOTED_LENGTH - 1] + "…"
    return f"“{shown}”"


def parse_day(value: str, *, today: date) -> date:
    """The day of an `as_of` parameter; `AsOfError` when it is not a date, or in the future."""
    if not DAY_FORMAT.fullmatch(value):
        raise AsOfError(f"{_quoted(value)} is not a date: give one as YYYY-MM-DD, e.g. {EXAMPLE}.")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise AsOfError(
            f"{_quoted(value)} is not a day of the calendar: give one as YYYY-MM-DD, "
            f"e.g. {EXAMPLE}."
        ) from None
    if day > today:
        raise AsOfError(
            f"{long_date(day)} is in the future: a page can be shown as it stood on a past "
            "day or today."
        )
    return day


def end_of_day(day: date) -> datetime:
    """The moment a day ends in UTC; revisions strictly before it belong to the day's state."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def today_utc() -> date:
    return datetime.now(UTC).date()


# Reading the historical tables ------------------------------------------------------------


class Revision(Protocol):
    """A historical row. simple-history builds these models at run time and ships no type
    information, so this names what every revision has; the fields of its model (status,
    title, ...) are read by name and typed `Any`."""

    id: int
    history_id: int
    history_date: datetime

    def __getattr__(self, name: str) -> Any: ...


def history_of(model: type[models.Model]) -> History:
    """All revisions of a versioned model, through the manager simple-history adds to it."""
    versioned: Any = model  # the `history` manager is added at run time, untyped
    revisions: History = versioned.history.all()
    return revisions


def latest_revisions(history: History, moment: datetime) -> History:
    """The latest revision before `moment` of each record in `history`, deletions left out.

    Filter `history` only on what never changes (the record's id); filter the result on
    anything else (status, issue), or an older revision could stand in for a newer one.
    """
    before = history.filter(history_date__lt=moment)
    # No later revision of the record before the moment; of two at the same instant, the
    # one written last: exactly one row a record, so that the database can rank and count
    # them (simple-history's `latest_of_each` keeps both of a tie).
    later = before.filter(id=OuterRef("id")).filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
    )
    return before.filter(~Exists(later)).exclude(history_type="-")


def one_each(rows: Iterable[Revision]) -> list[Revision]:
    """One revision per record, should two share the same instant: the one written last."""
    chosen: dict[int, Revision] = {}
    for row in rows:
        kept = chosen.get(row.id)
        if kept is None or (row.history_date, row.history_id) > (
            kept.history_date,
            kept.history_id,
        ):
            chosen[row.id] = row
    return list(chosen.values())


def as_record[M: models.Model](row: Revision, model: type[M]) -> M:
    """A historical row as an instance of its model (`model`, the row's `instance_type`):
    the fields the revision holds and the related records it was read with."""
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    names = [f.attname for f in fields]
    record = model.from_db(row._state.db, names, [getattr(row, name) for name in names])
    for field in fields:
        if isinstance(field, models.ForeignObject):  # the concrete relations
            historical = row._meta.get_field(field.name)
            if historical.is_cached(row):
                field.set_cached_value(record, historical.get_cached_value(row))
    return record


def snapshot_model(model: type[models.Model], field_name: str) -> type[Any]:
    """The table of a many-to-many field's snapshots, one set of rows per revision (a model
    simple-history builds at run time: typed `Any`, like the revisions)."""
    field = model._meta.get_field(field_name)
    through = field.remote_field.through if isinstance(field, models.ManyToManyField) else None
    if through is None:
        raise TypeError(f"{model.__name__}.{field_name} is not a many-to-many field.")
    return apps.get_model(through._meta.app_label, f"Historical{through.__name__}")


def linked(
    model: type[models.Model],
    field_name: str,
    target: str,
    rows: Iterable[Revision],
    *,
    with_related: tuple[str, ...] = (),
) -> dict[int, list[Any]]:
    """For each revision (by history id), the records its snapshot of `field_name` links."""
    by_revision: dict[int, list[Any]] = {row.history_id: [] for row in rows}
    snapshots = (
        snapshot_model(model, field_name)
        .objects.filter(history_id__in=list(by_revision))
        .select_related(target, *with_related)
        .order_by("id")
    )
    for snapshot in snapshots:
        by_revision[snapshot.history_id].append(getattr(snapshot, target))
    return by_revision


def cited_by_revision(
    rows: list[Revision], model: type[models.Model]
) -> dict[int, list[tuple[Source, str]]]:
    """For each revision (by history id), the (source, locator) pairs it cited."""
    by_revision: dict[int, list[tuple[Source, str]]] = {row.history_id: [] for row in rows}
    snapshots = (
        snapshot_model(model, "sources")
        .objects.filter(history_id__in=list(by_revision))
        .select_related("source")
        .order_by("id")
    )
    for snapshot in snapshots:
        by_revision[snapshot.history_id].append((snapshot.source, snapshot.locator))
    return by_revision


def first_recorded(history: History) -> datetime | None:
    return history.order_by("history_date").values_list("history_date", flat=True).first()


def record_as_of(history: History, moment: datetime, what: str) -> Revision:
    """The latest revision of one record before `moment`; `AsOfError` if there is none."""
    rows = one_each(latest_revisions(history, moment))
    if rows:
        return rows[0]
    first = first_recorded(history)
    if first is None:
        raise AsOfError(f"{what} has no recorded history to go back to.")
    raise AsOfError(
        f"{what} was first recorded on {long_date(first)}: choose that day or a later one."
    )


def records_together(
    parts: Sequence[tuple[type[models.Model], History]], *, related: str
) -> dict[type[models.Model], list[Any]]:
    """The records of several versioned models as the revisions in `parts` have them (one
    revision set a model, from `latest_revisions`), each with the record its foreign key
    `related` names as it is now (e.g. the source, which every part must have): one query,
    a union of the revision tables, where reading each model apart costs a query each
    however few its records (a meeting's outcome and its issues' and scenarios').

    The union's columns are every part's fields side by side, each part giving typed NULLs
    for the others' (PostgreSQL types a UNION's columns two parts at a time, and two bare
    NULLs would make a text column), then the related record's fields."""
    target = parts[0][0]._meta.get_field(related).related_model
    if target is None:
        raise TypeError(f"{related} is not a relation.")
    own = [_own_columns(model, revisions.model) for model, revisions in parts]
    shared = [f for f in target._meta.concrete_fields if not f.generated]
    starts = [sum(len(fields) for fields in own[:kind]) for kind in range(len(parts))]
    db = parts[0][1].db
    by_model: dict[type[models.Model], list[Any]] = {model: [] for model, _ in parts}
    chosen: set[tuple[int, int]] = set()
    for kind, record_id, *values in _union_rows(parts, own, related, shared):
        if (kind, record_id) in chosen:  # an older revision at the same instant (`one_each`)
            continue
        chosen.add((kind, record_id))
        model, names = parts[kind][0], list(own[kind])
        record = model.from_db(db, names, values[starts[kind] : starts[kind] + len(names)])
        model._meta.get_field(related).set_cached_value(
            record, _related_record(db, target, shared, values[-len(shared) :])
        )
        by_model[model].append(record)
    return by_model


def _own_columns(model: type[models.Model], history: type[models.Model]) -> dict[str, Any]:
    """The fields a revision holds of its record (`as_record`'s), by attribute name, as its
    revision table has them."""
    return {
        f.attname: history._meta.get_field(f.attname)
        for f in model._meta.concrete_fields
        if not f.generated
    }


def _union_rows(
    parts: Sequence[tuple[type[models.Model], History]],
    own: list[dict[str, Any]],
    related: str,
    shared: list[models.Field],
) -> Iterable[tuple[Any, ...]]:
    """A row per revision of `parts`: its part's number, its record's id, every part's
    columns (its own filled), the related record's; the latest of each record first."""
    columns = [f"c{n}" for n in range(sum(len(fields) for fields in own) + len(shared))]
    queries = []
    for kind, (_, revisions) in enumerate(parts):
        values: list[Any] = []
        for other, fields in enumerate(own):
            if other == kind:
                values += [F(name) for name in fields]
            else:
                values += [Cast(Value(None), output_field=field) for field in fields.values()]
        values += [F(f"{related}__{field.attname}") for field in shared]
        queries.append(
            revisions.order_by()
            .annotate(
                u_kind=Value(kind, output_field=models.IntegerField()),
                u_id=F("id"),
                u_date=F("history_date"),
                u_order=F("history_id"),
                **dict(zip(columns, values, strict=True)),
            )
            .values_list("u_kind", "u_id", *columns, "u_date", "u_order")
        )
    first, *others = queries
    rows = first.union(*others, all=True).order_by("u_kind", "-u_date", "-u_order")
    return (row[:-2] for row in rows)


def _related_record(
    db: str, model: type[models.Model], fields: list[models.Field], values: list[Any]
) -> models.Model | None:
    """The related record read with a revision; None if it links none (or no longer exists)."""
    names = [field.attname for field in fields]
    if values[names.index(model._meta.pk.attname)] is None:
        return None
    return model.from_db(db, names, values)
