"""The dossier fixtures' snapshots (`tests/snapshots.py`): a restored dossier is the imported
one, row for row, and a test that starts from other data gets a real import."""

from pathlib import Path

import pytest
from django.core.management.color import no_style
from django.db import connection, transaction

from issues.dossier.write import dossier_import
from issues.models import Issue, Position
from tests import factories
from tests.snapshots import dossier_tables, load_once

pytestmark = pytest.mark.django_db

READER = Path(__file__).with_name("dossiers") / "reader.yaml"


def every_row() -> dict:
    """Every row of the dossier's tables, its generated search columns included."""
    return {
        model._meta.db_table: list(model._base_manager.order_by("pk").values())
        for model in dossier_tables()
    }


def import_reader() -> None:
    dossier_import(READER.read_bytes())


def loaded(kept: dict) -> dict:
    """Load the reader dossier through `load_once`, read every row, and undo it all."""
    with transaction.atomic():
        load_once("reader", import_reader, kept)
        rows = every_row()
        transaction.set_rollback(True)
    return rows


def test_a_restored_dossier_is_the_imported_one_row_for_row():
    kept: dict = {}
    imported = loaded(kept)
    assert kept["reader"].restores == 0
    restored = loaded(kept)
    assert kept["reader"].restores == 1
    assert sum(map(len, imported.values())) > 150  # the dossier, not an empty database
    assert restored == imported


def test_a_restored_dossier_takes_new_records_after_its_own():
    kept: dict = {}
    loaded(kept)
    # As a flush that resets sequences leaves them: new keys would start again from 1.
    table = {"table": Issue._meta.db_table, "column": Issue._meta.pk.column}
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_by_name_sql(no_style(), [table]):
            cursor.execute(sql)
    with transaction.atomic():
        load_once("reader", import_reader, kept)
        highest = Issue.objects.order_by("-pk").values_list("pk", flat=True).first()
        assert factories.IssueFactory().pk > highest
        transaction.set_rollback(True)


def test_a_test_with_rows_of_its_own_gets_a_real_import():
    kept: dict = {}
    loaded(kept)
    factories.IssueFactory(slug="of-its-own")
    load_once("reader", import_reader, kept)
    assert kept["reader"].restores == 0
    assert Issue.objects.filter(slug="of-its-own").exists()
    assert Position.objects.exists()


def test_a_load_that_writes_outside_the_dossier_tables_runs_every_time():
    kept: dict = {}
    runs = []

    def load():
        runs.append(1)
        factories.IssueFactory()
        factories.UserFactory()  # a user is not a dossier's: it would not be put back

    for _ in range(2):
        with transaction.atomic():
            load_once("writes-elsewhere", load, kept)
            transaction.set_rollback(True)
    assert len(runs) == 2
    assert kept["writes-elsewhere"] is None
