"""Search latency on a large archive: p50 and p95 of `issues.search` for common and rare
words, names, a page of one kind and suggestions, measured in one process against the
database `DATABASE_URL` names (PostgreSQL, with a generated archive loaded), as an anonymous
reader. Prints a Markdown table; `--plans` also prints EXPLAIN ANALYZE of the statement that
ranks and counts every kind.

Run by hand from the project's root (not part of the tests):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/summit_big \\
        .venv/bin/python scripts/search_benchmark.py [--plans] [word ...]

Positions written in bulk (bypassing `Position.save`) need their leader's names copied
first: `Position.objects.sync_leader_names()`.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "summit.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from issues import search  # noqa: E402

RUNS = 20
WARM_UP = 3
TERMS = ["sanctions", "treaty verification", "kalovsk", "bolton", "ivanov", "Путин"]


def timed(call) -> tuple[float, float, float]:
    """p50 and p95 of `call`, in milliseconds, after a warm-up; and the median CPU time this
    process spent (Python, not the database), which a busy machine inflates less."""
    for _ in range(WARM_UP):
        call()
    times, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    times.sort()
    return statistics.median(times), times[round(0.95 * (len(times) - 1))], statistics.median(cpu)


def main(argv: list[str]) -> None:
    plans = "--plans" in argv
    terms = [a for a in argv if not a.startswith("--")] or TERMS
    reader = AnonymousUser()
    print(f"load average before: {os.getloadavg()[0]:.1f}\n")
    print("| search | matches | p50 ms | p95 ms | Python CPU ms |")
    print("| --- | --- | ---: | ---: | ---: |")
    for term in terms:
        found = search.search(term, reader)
        counts = ", ".join(
            f"{g.kind.plural.lower()} {g.count_label}" for g in found.groups if g.count
        )
        p50, p95, cpu = timed(lambda t=term: search.search(t, reader))
        print(f"| “{term}”, every kind | {counts or 'none'} | {p50:.0f} | {p95:.0f} | {cpu:.0f} |")
    for term in terms[:2]:
        p50, p95, cpu = timed(
            lambda t=term: search.search(t, reader, kind=search.Kind.POSITION, page_number=3)
        )
        print(f"| “{term}”, positions, page 3 | | {p50:.0f} | {p95:.0f} | {cpu:.0f} |")
    for prefix in ("sanc", "iva", "пут"):
        p50, p95, cpu = timed(lambda p=prefix: search.suggest(p, reader))
        print(f"| suggestions for “{prefix}” | | {p50:.0f} | {p95:.0f} | {cpu:.0f} |")
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")
    if plans:
        for term in terms:
            with CaptureQueriesContext(connection) as queries:
                search.search(term, reader)
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + queries.captured_queries[0]["sql"])
                print(f"\n-- {term}\n" + "\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main(sys.argv[1:])
