"""`manage.py import_dossier FILE`: read a dossier file into the database, all or nothing."""

import os

from django.core.management.base import BaseCommand, CommandError

from issues.dossier.read import DossierError, check_size
from issues.dossier.write import dossier_import

BAR_WIDTH = 30
SHOW_PROGRESS_FROM = 200  # records; smaller files are done before a bar would help


class Command(BaseCommand):
    help = (
        "Import a dossier file (YAML or JSON, docs/dossier-format.md). The whole file is "
        "checked first; a file with any problem changes nothing. Importing twice changes "
        "nothing the second time."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--quiet-progress", action="store_true", help="no progress bar")

    def _progress(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total
        end = "\n" if done == total else ""
        self.stderr.write(
            f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} records", ending=end
        )
        self.stderr.flush()

    def handle(self, *args, file, quiet_progress, **options) -> None:
        try:
            check_size(os.path.getsize(file))
            with open(file, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        except DossierError as error:
            raise CommandError(str(error)) from None
        show = not quiet_progress and data.count(b"\n") >= SHOW_PROGRESS_FROM
        try:
            report = dossier_import(data, progress=self._progress if show else None)
        except DossierError as error:
            problems = "\n".join(f"  {problem}" for problem in error.problems)
            raise CommandError(
                f"{file}: nothing imported, {len(error.problems)} problem(s):\n{problems}"
            ) from None
        if not report.wrote_anything:
            self.stdout.write("Nothing to change: the database already holds this dossier.")
            return
        for outcome in ("created", "changed"):
            tally = getattr(report, outcome)
            if tally:
                counts = ", ".join(f"{n} {kind}" for kind, n in sorted(tally.items()))
                self.stdout.write(f"{outcome.capitalize()}: {counts}")
