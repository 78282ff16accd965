"""How long an issue page takes to build, uncached, in one process: for an anonymous reader
and for a signed-in editor, live and as of a past day, on the issues `DATABASE_URL`'s
archive holds (a `generate_dataset` archive: the largest issue and one of median size).
Prints the queries of one request and the p50 / p95 of `RUNS` requests through Django's
test client (middleware included, the reader cache turned off). `--profile NAME` prints
cProfile's costliest calls for the page of that name instead.

Run by hand from the project's root (not part of the tests):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/summit_big \\
        .venv/bin/python scripts/editor_page_timing.py [--profile "typical, editor"]
"""

import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "summit.settings")
os.environ["DJANGO_READER_CACHE_SECONDS"] = "0"
os.environ.setdefault("DJANGO_SECRET_KEY", "timing-only-secret-key")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
# Finding the issues to time counts every issue's positions: from a cold disk, longer than
# the site allows a request's statement.
os.environ.setdefault("DJANGO_DB_STATEMENT_TIMEOUT_MS", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from issues.models import Issue, PublicationStatus  # noqa: E402

RUNS = int(os.environ.get("TIMING_RUNS", "15"))
WARM_UP = 3
PAST_DAY = "as_of=2026-06-30"


def clients() -> dict[str, Client]:
    editor, _ = get_user_model().objects.get_or_create(
        username="timing-editor", defaults={"is_staff": True}
    )
    editor.groups.add(Group.objects.get(name="Editors"))
    signed_in = Client()
    signed_in.force_login(editor)
    return {"reader": Client(), "editor": signed_in}


def pages() -> dict[str, tuple[str, str]]:
    """Name: (who, address)."""
    published = Issue.objects.filter(status=PublicationStatus.PUBLISHED)
    sized: Any = published.annotate(n=Count("positions")).order_by("-n")
    large = sized.first()
    if large is None:
        raise SystemExit("No published issue: load an archive first (generate_dataset).")
    counts = list(sized.values_list("n", flat=True))
    typical = sized.filter(n=counts[len(counts) // 2]).first()
    found = {}
    for label, issue in ((f"typical ({typical.n})", typical), (f"large ({large.n})", large)):
        url = issue.get_absolute_url()
        found[f"{label}, reader"] = ("reader", url)
        found[f"{label}, editor"] = ("editor", url)
        found[f"{label}, reader, past day"] = ("reader", f"{url}?{PAST_DAY}")
    meeting = typical.meetings.order_by("pk").first()
    if meeting is not None:
        found["meeting, reader"] = ("reader", meeting.get_absolute_url())
        found["meeting, reader, past day"] = ("reader", f"{meeting.get_absolute_url()}?{PAST_DAY}")
    return found


def timed(client: Client, url: str) -> tuple[int, float, float]:
    client.get(url)  # first-use imports and the connection, before counting
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    count = len(queries)  # read now: the next request clears the connection's log
    for _ in range(WARM_UP):
        client.get(url)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return count, statistics.median(times), times[round(0.95 * (len(times) - 1))]


def main(argv: list[str]) -> None:
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    # No collected files needed: the manifest's hashed names cost the same either way.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    by_who = clients()
    found = pages()
    if "--profile" in argv:
        who, url = found[argv[argv.index("--profile") + 1]]
        by_who[who].get(url)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            by_who[who].get(url)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
        return
    print(f"load average before: {os.getloadavg()[0]:.1f}\n")
    print("| page | queries | p50 ms | p95 ms |")
    print("| --- | ---: | ---: | ---: |")
    for name, (who, url) in found.items():
        count, p50, p95 = timed(by_who[who], url)
        print(f"| {name} (`{url}`) | {count} | {p50:.0f} | {p95:.0f} |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
