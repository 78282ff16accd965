import time

from django.core.management.base import BaseCommand, CommandError

from issues import synthetic


class Command(BaseCommand):
    help = (
        "Write a synthetic archive for load tests: at scale 1, 200 summits, 2,000 leaders, "
        "10,000 issues, 1,000,000 positions, 100,000 sources, 50,000 events, with revisions. "
        "Every name and quote is invented. Use an empty database of its own."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply every count by this (e.g. 0.01 for a quick archive). Default 1.",
        )
        parser.add_argument(
            "--seed", type=int, default=9, help="The same seed and scale give the same archive."
        )

    def handle(self, *args, scale: float, seed: int, **options) -> None:
        progress = synthetic.Progress(stream=self.stderr, quiet=options["verbosity"] == 0)
        started = time.monotonic()
        try:
            written = synthetic.generate(scale=scale, seed=seed, progress=progress)
        except ValueError as error:
            raise CommandError(str(error)) from error
        seconds = time.monotonic() - started
        summary = ", ".join(f"{count:,} {kind}" for kind, count in written.items())
        self.stdout.write(self.style.SUCCESS(f"Generated in {seconds:.0f} s: {summary}."))
