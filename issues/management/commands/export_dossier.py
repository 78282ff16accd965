"""`manage.py export_dossier SLUG… | --all`: write dossiers as a dossier file."""

import sys

from django.core.management.base import BaseCommand, CommandError

from issues.dossier.export import dossier_export
from issues.dossier.files import to_json, to_yaml
from issues.models import Issue, Summit


class Command(BaseCommand):
    help = (
        "Write dossiers as a dossier file (docs/dossier-format.md): the issues and summits "
        "named by slug, or everything with --all. Drafts are included unless --published."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="an issue or a summit")
        parser.add_argument("--all", action="store_true", help="every dossier")
        parser.add_argument(
            "--published", action="store_true", help="published records only, as readers see"
        )
        parser.add_argument("--json", action="store_true", help="JSON instead of YAML")
        parser.add_argument("--output", "-o", help="a file to write (standard output if none)")

    def handle(self, *args, slugs, all, published, json, output, **options) -> None:
        if bool(slugs) == bool(all):
            raise CommandError("Name the issues or summits to export, or give --all.")
        issues = set(Issue.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        summits = set(Summit.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        unknown = [slug for slug in slugs if slug not in issues | summits]
        if unknown:
            raise CommandError(f"No issue or summit with the slug: {', '.join(unknown)}")
        document = dossier_export(
            issues=sorted(issues),
            summits=sorted(summits),
            everything=all,
            include_drafts=not published,
        )
        text = to_json(document) if json else to_yaml(document)
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text)
        else:
            sys.stdout.write(text)
