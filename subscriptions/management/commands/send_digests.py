from django.core.management.base import BaseCommand

from subscriptions.digests import send_digests


class Command(BaseCommand):
    help = (
        "E-mail each confirmed subscriber the published changes of their issue or meeting "
        "since their last digest (nothing when nothing changed). Run it from a scheduler, "
        "e.g. daily; running it twice sends nothing twice."
    )

    def handle(self, *args, **options) -> None:
        report = send_digests()
        self.stdout.write(
            f"{report.sent} digest{'s' if report.sent != 1 else ''} sent "
            f"({report.targets} issues and meetings followed); "
            f"{report.forgotten} unconfirmed subscriptions forgotten."
        )
