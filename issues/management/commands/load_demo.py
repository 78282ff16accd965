from django.core.management.base import BaseCommand

from issues.dossier.demo import demo_load


class Command(BaseCommand):
    help = (
        "Load the G20 Buenos Aires 2018 dossier (Trump–Putin) from its dossier file, "
        "issues/demo/buenos-aires-2018.yaml. Safe to run again."
    )

    def handle(self, *args, **options) -> None:
        counts = demo_load()
        summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo dossier loaded: {summary}."))
