"""Search finds people: leaders get a search vector (names as written and in English, offices
through their own), and positions are indexed by their leader's names.

A generated column reads only its own row, so each position keeps a copy of its leader's
names (`leader_names`, kept current by `Position.save` and `Leader.save`); it is filled here
before the position's vector is rebuilt. A generated column's expression cannot be altered
in place: the position's `search_vector` is dropped (with its GIN index) and added again.
"""

import django.contrib.postgres.search
from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Concat, Trim

import issues.models.sources

GIN_INDEXED = ["leader", "office", "position"]


def fill_leader_names(apps, schema_editor):
    Leader = apps.get_model("issues", "Leader")
    Position = apps.get_model("issues", "Position")
    names = Subquery(
        Leader.objects.filter(pk=OuterRef("leader_id")).values(
            full=Concat("name", Value(" "), "native_name", output_field=models.CharField())
        )
    )
    Position.objects.filter(leader__isnull=False).update(leader_names=Trim(names))


def create_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for name in GIN_INDEXED:
        table = apps.get_model("issues", name)._meta.db_table
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(f'{table}_search_gin')} "
            f"ON {quote(table)} USING gin ({quote('search_vector')})"
        )


def drop_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in GIN_INDEXED:
        table = apps.get_model("issues", name)._meta.db_table
        schema_editor.execute(
            f"DROP INDEX IF EXISTS {schema_editor.quote_name(f'{table}_search_gin')}"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('issues', '0007_editors_publish'),
    ]

    operations = [
        migrations.AddField(
            model_name='leader',
            name='search_vector',
            field=models.GeneratedField(db_persist=True, expression=issues.models.sources.SearchDocument(c=['bio'], names=['name', 'native_name']), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.AddField(
            model_name='office',
            name='search_vector',
            field=models.GeneratedField(db_persist=True, expression=issues.models.sources.SearchDocument(a=['title']), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.AddField(
            model_name='position',
            name='leader_names',
            field=models.CharField(blank=True, default='', editable=False, max_length=301),
        ),
        # Revisions keep the names too: time travel rebuilds positions from every field.
        migrations.AddField(
            model_name='historicalposition',
            name='leader_names',
            field=models.CharField(blank=True, default='', editable=False, max_length=301),
        ),
        migrations.RunPython(fill_leader_names, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='position',
            name='search_vector',
        ),
        migrations.AddField(
            model_name='position',
            name='search_vector',
            field=models.GeneratedField(db_persist=True, expression=issues.models.sources.SearchDocument(b=['summary', 'quote'], names=['attribution', 'leader_names']), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.RunPython(create_gin_indexes, drop_gin_indexes, elidable=False),
    ]
