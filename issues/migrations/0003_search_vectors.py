"""Full-text search: a stored, weighted search vector per searchable model.

Each `search_vector` is a generated column (see `issues.models.sources.SearchDocument`): on
PostgreSQL a weighted `tsvector` the database computes on every write, on SQLite a NULL
column (search falls back to substring matching there).

The GIN indexes exist on PostgreSQL only, so they are created here, guarded by the
database vendor, rather than declared in the models' `Meta.indexes`: SQLite cannot build a
GIN index, and it rebuilds a table, with every index in `Meta.indexes`, whenever a later
migration alters one of its columns. A migration that removes and re-adds a
`search_vector` column (the way to change a generated column) must recreate its index.
"""

import django.contrib.postgres.search
from django.db import migrations, models

import issues.models.sources

SEARCHABLE = ["issue", "position", "event", "outlookassessment", "source"]


def gin_index_name(model) -> str:
    return f"{model._meta.db_table}_search_gin"


def create_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for name in SEARCHABLE:
        model = apps.get_model("issues", name)
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(gin_index_name(model))} "
            f"ON {quote(model._meta.db_table)} USING gin ({quote('search_vector')})"
        )


def drop_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in SEARCHABLE:
        model = apps.get_model("issues", name)
        schema_editor.execute(
            f"DROP INDEX IF EXISTS {schema_editor.quote_name(gin_index_name(model))}"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('issues', '0002_editors_group'),
    ]

    operations = [
        migrations.AddField(
            model_name='event',
            name='search_vector',
            field=models.GeneratedField(db_persist=True, expression=issues.models.sources.SearchDocument(a=['title'], c=['description']), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.AddField(
            model_name='issue',
            name='search_vector',
            field=models.GeneratedField(db_persist=True, expression=issues.models.sources.SearchDocument(a=['title'], b=['summary'], c=['background']), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.AddField(
            model_name='outlookassessment',
            name='search_vector',
            field=models.GeneratedField(db_persist=True, expression=issues.models.sources.SearchDocument(b=['deliverable'], c=['rationale']), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.AddField(
            model_name='position',
            name='search_vector',
            field=models.GeneratedField(db_persist=True, expression=issues.models.sources.SearchDocument(a=['attribution'], b=['summary', 'quote']), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.AddField(
            model_name='source',
            name='search_vector',
            field=models.GeneratedField(db_persist=True, expression=issues.models.sources.SearchDocument(a=['title'], b=['author', 'publisher'], c=['notes']), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.RunPython(create_gin_indexes, drop_gin_indexes, elidable=False),
    ]
