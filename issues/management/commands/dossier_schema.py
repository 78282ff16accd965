"""`manage.py dossier_schema`: rewrite issues/dossier/schema.json from the format's tables."""

from django.core.management.base import BaseCommand

from issues.dossier.schema import SCHEMA_PATH, write_schema


class Command(BaseCommand):
    help = "Rewrite the dossier format's JSON Schema after a change to issues/dossier/spec.py."

    def handle(self, *args, **options) -> None:
        write_schema()
        self.stdout.write(f"Wrote {SCHEMA_PATH}")
