"""Dossier fixtures, imported once per test worker.

Importing a dossier file goes through the editing services a record at a time: about two
thousand queries, two to three seconds, for the reader dossier. Most tests need the rows it
writes, not the import itself, so the first test of a worker that asks for a dossier
imports it and keeps the rows it wrote; a later test gets those rows back with one insert
per table. Only from the same start: the dossier's tables empty, as migrations leave them.
A test that has rows of its own there first gets a real import, and so does every test when
an import writes anything outside those tables.

The tests of importing call `dossier_import` themselves; `tests/test_snapshots.py` checks
that a restored dossier is the imported one, row for row.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction

# The apps whose tables a dossier fills; everything else (users, sessions, permissions)
# must be left as it was for a snapshot to be kept.
DOSSIER_APPS = ("issues", "subscriptions")


@dataclass
class Snapshot:
    rows: dict[type[models.Model], list[dict]]
    restores: int = 0


def _tables() -> list[type[models.Model]]:
    """Every table of the database, with the models that write them (M2M tables included)."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def dossier_tables() -> list[type[models.Model]]:
    return [model for model in _tables() if model._meta.app_label in DOSSIER_APPS]


def _high_water(tables: list[type[models.Model]]) -> tuple:
    """Each table's row count and highest primary key, in one statement."""
    quote = connection.ops.quote_name
    parts = [
        f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)}), "
        f"(SELECT MAX({quote(m._meta.pk.column)}) FROM {quote(m._meta.db_table)})"
        for m in tables
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(cursor.fetchone())


def _stored_fields(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if not f.generated]


def _rows(model: type[models.Model]) -> list[dict]:
    return list(model._base_manager.order_by("pk").values(*_stored_fields(model)))


def _is_empty(high_water: tuple) -> bool:
    return not any(high_water[0::2])


def _insert_as_they_were(model: type[models.Model], rows: list[dict]) -> None:
    """Insert rows with their own values: as a raw save does, so no `auto_now` field takes
    the time of the restore."""
    fields = [model._meta.get_field(name) for name in rows[0]]
    objs = [model(**row) for row in rows]
    size = connection.ops.bulk_batch_size(fields, objs) or len(objs)
    for start in range(0, len(objs), size):
        model._base_manager._insert(objs[start : start + size], fields=fields, raw=True)


def _restore(snapshot: Snapshot) -> None:
    with transaction.atomic():  # foreign keys are checked at commit, so order does not matter
        for model, rows in snapshot.rows.items():
            _insert_as_they_were(model, rows)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(snapshot.rows)):
                cursor.execute(sql)
    snapshot.restores += 1


_KEPT: dict[str, Snapshot | None] = {}


def _taken(load: Callable[[], object], tables: list, other_tables: list) -> Snapshot | None:
    """Run `load` on empty dossier tables and keep what it wrote, unless it also wrote
    elsewhere (then nothing is kept, and every test runs it)."""
    others_before = _high_water(other_tables)
    load()
    if _high_water(other_tables) != others_before:
        return None
    written = {model: _rows(model) for model in tables}
    return Snapshot({model: rows for model, rows in written.items() if rows})


def load_once(name: str, load: Callable[[], object], kept: dict | None = None) -> None:
    """Run `load` (a dossier import), or write back the rows it wrote the first time."""
    from issues.caching import bump_generation
    from issues.labels import forget_labels

    kept = _KEPT if kept is None else kept
    tables = dossier_tables()
    starts_empty = _is_empty(_high_water(tables))
    if not starts_empty:
        load()
    elif kept.get(name) is not None:
        _restore(kept[name])
    elif name in kept:  # it writes elsewhere too
        load()
    else:
        kept[name] = _taken(load, tables, [m for m in _tables() if m not in tables])
    # What an import does besides writing rows: readers' pages and labels start afresh.
    bump_generation()
    forget_labels()
