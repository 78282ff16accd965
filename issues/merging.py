"""Conflicting edits merged field by field.

Why: when two editors edit the same record, the one who saves second gets a 409. Showing
only the other editor's text and offering "save again" would let the second editor undo
the first one's change without knowing it. So each field is compared three ways: the
version the editor started from (the form carries its `version`; the revision tables give
that version's values), the record as the other editor saved it ("theirs"), and what this
editor submitted ("mine"). What changed on one side only is merged without asking (their
change kept, or mine); only a field both changed differently is a collision, and the editor
chooses: keep theirs, or keep mine (which they may edit first).

Which fields take part is declared by the edit form (`EditFormMixin.merge_fields`: its
model's fields by default), so every in-place record kind merges the same way. A record
that cites sources (an assessment, an event) also merges its citations, as two fields:
the set of sources cited, and their locator (`CITED`), read at the base version from the
revisions' snapshots of its citations.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .models import Source
from .selectors import source_label
from .time_travel import history_of, snapshot_model

THEIRS, MINE = "theirs", "mine"

#: The form field (hidden, repeated) naming the fields an editor must resolve, and the
#: prefix of each resolution's radio buttons.
COLLIDING = "colliding"
KEEP_PREFIX = "keep_"
#: The version the editor first started from, carried through the conflict form so that
#: a resolution sent back incomplete (422) shows the same comparison again.
MERGE_BASE = "merge_base"


@dataclass(frozen=True)
class FieldMerge:
    """One field, three ways. Values are comparable plain values (a related record's id)."""

    name: str
    label: str
    base: Any
    theirs: Any
    mine: Any
    #: How each value reads (choice labels, related records' names).
    shown: tuple[str, str, str] = ("", "", "")
    base_known: bool = True

    @property
    def theirs_changed(self) -> bool:
        return not self.base_known or self.theirs != self.base

    @property
    def mine_changed(self) -> bool:
        return not self.base_known or self.mine != self.base

    @property
    def collides(self) -> bool:
        """Both sides changed the field, to different values: the editor must choose."""
        return self.theirs_changed and self.mine_changed and self.theirs != self.mine

    @property
    def kept(self) -> str:
        """Whose value the merge keeps without asking (`THEIRS` or `MINE`); `""` when it
        collides and the editor chooses."""
        if self.collides:
            return ""
        return MINE if self.mine_changed and not self.theirs_changed else THEIRS

    @property
    def side(self) -> str:
        """Who changed it: "neither", "theirs", "mine" or "both"."""
        if self.theirs_changed and self.mine_changed:
            return "both"
        if self.theirs_changed:
            return THEIRS
        return MINE if self.mine_changed else "neither"

    @property
    def shown_base(self) -> str:
        return self.shown[0]

    @property
    def shown_theirs(self) -> str:
        return self.shown[1]

    @property
    def shown_mine(self) -> str:
        return self.shown[2]


@dataclass(frozen=True)
class Merge:
    fields: list[FieldMerge]
    base_version: int | None
    theirs_version: int

    @property
    def colliding(self) -> list[FieldMerge]:
        return [field for field in self.fields if field.collides]

    @property
    def merged_automatically(self) -> list[FieldMerge]:
        return [field for field in self.fields if field.side in (THEIRS, MINE)]

    @property
    def changed(self) -> list[FieldMerge]:
        return [field for field in self.fields if field.side != "neither"]


#: A citing record's citations, merged as two fields: the sources (a sorted tuple of
#: ids) and the locator they share (the first citation's, as the edit form shows it).
CITED = ("sources", "locator")


def cites(model: type[models.Model]) -> bool:
    """The record cites sources through citations (`services.Citations`)."""
    return hasattr(model, "citations") and hasattr(model, "sources")


def cited_names(model: type[models.Model], names: Iterable[str]) -> list[str]:
    """Of `names`, the citations' fields, if the record cites sources."""
    return [name for name in CITED if name in names] if cites(model) else []


def _cited(pairs: list[tuple[int, str]]) -> dict[str, Any]:
    return {
        "sources": tuple(sorted(source for source, _ in pairs)),
        "locator": pairs[0][1] if pairs else "",
    }


def cited_values(record: models.Model) -> dict[str, Any]:
    """The record's citations as they are saved now."""
    citations = record.citations.order_by("pk")  # type: ignore[attr-defined]
    return _cited(list(citations.values_list("source_id", "locator")))


def cited_base(model: type[models.Model], pk: int, version: int | None) -> dict[str, Any] | None:
    """The record's citations at `version`: its revision's snapshot of them."""
    if not version:
        return None
    revision = (
        history_of(model)
        .filter(id=pk, version=version)
        .order_by("-history_date", "-history_id")
        .values_list("history_id", flat=True)
        .first()
    )
    if revision is None:
        return None
    snapshot = snapshot_model(model, "sources").objects.filter(history_id=revision)
    return _cited(list(snapshot.order_by("id").values_list("source_id", "locator")))


def comparable_sources(value: Any) -> tuple[int, ...]:
    """Sources as submitted (records, or ids as text) as a sorted tuple of ids."""
    values = value if isinstance(value, list | tuple | models.QuerySet) else [value]
    ids = {v.pk if isinstance(v, models.Model) else v for v in values if v not in (None, "")}
    return tuple(sorted(int(v) for v in ids if str(v).isdigit() and len(str(v)) < 19))


def comparable(value: Any) -> Any:
    """A value as compared and stored: a related record by its id, text without the line
    endings a browser adds."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    return value


def model_field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:  # a form-only field takes no part
        return None
    return found if isinstance(found, models.Field) and found.concrete else None


def record_values(record: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The fields' stored values (a related record by its id)."""
    values = {}
    for name in names:
        field = model_field(type(record), name)
        if field is not None:
            values[name] = comparable(getattr(record, field.attname))
    return values


def base_values(
    model: type[models.Model], pk: int, version: int | None, names: Iterable[str]
) -> dict[str, Any] | None:
    """The fields as they stood at `version` of record `pk`, read from its revisions;
    None when no revision holds that version (written outside the edit forms)."""
    if not version:
        return None
    wanted = [name for name in names if model_field(model, name) is not None]
    attnames = [model_field(model, name).attname for name in wanted]  # type: ignore[union-attr]
    row = (
        history_of(model)
        .filter(id=pk, version=version)
        .order_by("-history_date", "-history_id")
        .values(*attnames)
        .first()
    )
    if row is None:
        return None
    return {name: comparable(row[attname]) for name, attname in zip(wanted, attnames, strict=True)}


def _shown(model: type[models.Model], name: str, value: Any, related: dict) -> str:
    field = model_field(model, name)
    if value in (None, "", ()):
        return "(empty)"
    if name == "sources" and isinstance(value, tuple):
        return "; ".join(related.get(("sources", pk), str(pk)) for pk in value)
    if field is not None and field.is_relation:
        return str(related.get((name, value), value))
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _related_names(model: type[models.Model], values: list[tuple[str, Any]]) -> dict:
    """The related records' names, one query per related model (a handful of fields)."""
    wanted: dict[type[models.Model], set[Any]] = {}
    for name, value in values:
        field = model_field(model, name)
        if field is not None and field.is_relation and value is not None:
            related_model: Any = field.related_model
            wanted.setdefault(related_model, set()).add(value)
    names: dict[tuple[str, Any], str] = {}
    found = {
        related: {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=pks)}
        for related, pks in wanted.items()
    }
    for name, value in values:
        field = model_field(model, name)
        if field is not None and field.is_relation and value is not None:
            names[(name, value)] = found[field.related_model].get(value, str(value))  # type: ignore[index]
    return names


def _source_names(values: list[tuple[str, Any]]) -> dict[tuple[str, Any], str]:
    """The cited sources' labels, in one query."""
    ids = {pk for name, value in values if name == "sources" and value for pk in value}
    if not ids:
        return {}
    return {
        ("sources", source.pk): source_label(source) for source in Source.objects.filter(pk__in=ids)
    }


def three_way(
    *,
    current: models.Model,
    mine: dict[str, Any],
    base_version: int | None,
    labels: dict[str, str],
) -> Merge:
    """Compare the editor's values (`mine`, by field name) with the record as saved now
    (`current`) and as it stood at `base_version`."""
    model = type(current)
    own = [name for name in mine if model_field(model, name) is not None]
    cited = cited_names(model, mine)
    base = base_values(model, current.pk, base_version, own)
    if base is not None and cited:
        at_base = cited_base(model, current.pk, base_version)
        base = None if at_base is None else base | at_base
    theirs = record_values(current, own) | (cited_values(current) if cited else {})
    mine_values = {name: comparable(mine[name]) for name in own}
    for name in cited:
        mine_values[name] = (
            comparable_sources(mine[name]) if name == "sources" else comparable(mine[name] or "")
        )
    known = base is not None
    base = base if base is not None else {}
    names = own + cited
    triples = [(name, base.get(name), theirs[name], mine_values[name]) for name in names]
    values = [(name, value) for name, *three in triples for value in three]
    related = _related_names(model, values) | _source_names(values)
    fields = [
        FieldMerge(
            name=name,
            label=labels.get(name, name),
            base=b,
            theirs=t,
            mine=m,
            shown=(
                _shown(model, name, b, related) if known else "(not known)",
                _shown(model, name, t, related),
                _shown(model, name, m, related),
            ),
            base_known=known,
        )
        for name, b, t, m in triples
    ]
    return Merge(
        fields=fields, base_version=base_version, theirs_version=getattr(current, "version", 0)
    )


def form_value(value: Any) -> str:
    """A merged value as a form field's submitted text."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def merged_data(data: Any, merge: Merge) -> Any:
    """The form's data with the merge applied: a field only the other editor changed takes
    their value; mine stay; each colliding field is named for the editor to resolve (its
    input keeps my value, to keep or edit). The version becomes theirs, the new base."""
    merged = data.copy()
    merged["version"] = str(merge.theirs_version)
    merged[MERGE_BASE] = form_value(merge.base_version)
    for field in merge.fields:
        if field.kept == THEIRS and isinstance(field.theirs, tuple):  # the sources cited
            merged.setlist(field.name, [str(pk) for pk in field.theirs])
        elif field.kept == THEIRS:
            merged[field.name] = form_value(field.theirs)
        if not field.collides:
            merged.pop(KEEP_PREFIX + field.name, None)
    merged.setlist(COLLIDING, [field.name for field in merge.colliding])
    return merged


def resolution_fields(form: forms.BaseForm, names: Iterable[str]) -> None:
    """Add to `form` a required choice (keep theirs / keep mine) for each colliding field."""
    for name in names:
        if name not in getattr(form, "merge_fields", ()):
            continue
        label = form.fields[name].label or name
        form.fields[KEEP_PREFIX + name] = forms.ChoiceField(
            label=f"{label}: which version to keep",
            choices=[(THEIRS, "Keep theirs"), (MINE, "Keep mine, as in the field below")],
            widget=forms.RadioSelect,
            error_messages={"required": "Choose which version to keep."},
        )


def carried_base(data: Any) -> int | None:
    """The base version a conflict form carries (`MERGE_BASE`), if a valid one."""
    text = str(data.get(MERGE_BASE, "")).strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def resolve(form: forms.BaseForm, instance: models.Model) -> None:
    """In a form's `clean()`: each colliding field resolved "theirs" takes the record's
    saved value (the version check at saving makes sure it is still theirs)."""
    for name, value in list(form.cleaned_data.items()):
        if not name.startswith(KEEP_PREFIX) or value != THEIRS:
            continue
        field_name = name.removeprefix(KEEP_PREFIX)
        if model_field(type(instance), field_name) is not None:
            form.cleaned_data[field_name] = getattr(instance, field_name)
        elif field_name in cited_names(type(instance), [field_name]):
            theirs = cited_values(instance)[field_name]
            if field_name == "sources":
                theirs = list(Source.objects.filter(pk__in=theirs))
            form.cleaned_data[field_name] = theirs


@dataclass(frozen=True)
class MergeRow:
    """A field of the merge as the conflict view shows it, with its form controls."""

    merge: FieldMerge
    field: forms.BoundField | None
    keep: forms.BoundField | None


def rows(merge: Merge, form: forms.BaseForm) -> list[MergeRow]:
    def bound(name: str) -> forms.BoundField | None:
        return form[name] if name in form.fields else None

    return [
        MergeRow(merge=field, field=bound(field.name), keep=bound(KEEP_PREFIX + field.name))
        for field in merge.fields
    ]
