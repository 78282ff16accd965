"""The benchmark behind `make bench`: gunicorn on loopback against PostgreSQL, loaded by wrk.

For each path it prints and records: requests a second, p50/p95/p99 latency, the queries one
uncached request makes, the peak memory of a worker, and the ratio to a bare Django view
measured in the same run, in runs paired with that path's. Results go to
docs/benchmarks.json and the table in docs/benchmarks.md (between the BENCH markers), with
the machine they were measured on.

It also checks that invalidation is exact across workers: after a change, every request
(whichever worker answers) must show it.

Environment (defaults in brackets):
  BENCH_DATABASE_URL  [postgres://postgres@127.0.0.1:5432/summit_bench], filled by
                      `manage.py generate_dataset`
  BENCH_REDIS_URL     [redis://127.0.0.1:6379/0] the shared cache of the workers
  BENCH_PORT [8090]  BENCH_WORKERS [2]  BENCH_CONNECTIONS [16]  BENCH_SECONDS [12]
  BENCH_ROUNDS [3]
"""

import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from loopback import ROOT, WRK_SUMMARY, start_gunicorn, worker_memory_mb

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/summit_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
PORT = int(os.environ.get("BENCH_PORT", "8090"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "12"))
# Each path's seconds are split into this many runs, each after a run of the bare view as
# long: the ratio is the median of the paired runs', so a shared host's drift in speed
# weighs on both sides of it alike.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
BASE = f"http://127.0.0.1:{PORT}"
# For paths measured uncached: each request its own address (a run's own salt, the thread
# and a counter after the path), so that no cache, the site's or the editors', holds the page
# asked for. The salt matters: the counter starts again in every run of wrk, and without it
# a path's second and third runs asked again for addresses the first had cached.
WRK_UNIQUE = """
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end
local salt = ""
init = function(args)
  salt = args[1]
end
local counter = 0
request = function()
  counter = counter + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "uncached=" .. salt .. "-" .. id .. "-" .. counter)
end
"""

ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "DJANGO_CACHE_KEY_PREFIX": f"bench-{PORT}",
    "DJANGO_BENCH_VIEWS": "true",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-secret-key"),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SECURE_COOKIES": "false",
    "DJANGO_LOG_LEVEL": "WARNING",
}


def setup_django() -> None:
    os.environ.update(ENV)
    # This process, not the workers, chooses the paths (counting every issue's positions
    # reads the whole table) and renders each page once before it is measured: from a cold
    # disk either can outlast the statement timeout the site sets for a request.
    os.environ["DJANGO_DB_STATEMENT_TIMEOUT_MS"] = "0"
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "summit.settings")
    import django

    django.setup()


def editor_cookie() -> str:
    """A signed-in editor's session, stored in the database the workers read."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True}
    )
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def choose_paths() -> list[dict]:
    from django.db.models import Count
    from django.templatetags.static import static

    from issues import synthetic
    from issues.models import Issue, Meeting, PublicationStatus, Topic

    published = Issue.objects.filter(status=PublicationStatus.PUBLISHED)
    sized = published.annotate(n=Count("positions")).order_by("-n")
    large = sized.first()
    counts = list(sized.values_list("n", flat=True))
    median = counts[len(counts) // 2]
    typical = sized.filter(n=median).first()
    meeting = Meeting.objects.filter(issues__status=PublicationStatus.PUBLISHED).first()
    topic = Topic.objects.filter(issues__isnull=False).first()
    editor = editor_cookie()
    return [
        {"name": "bare Django view", "path": "/bench/bare"},
        {"name": "static file (site.css)", "path": static("css/site.css")},
        {"name": "home", "path": "/"},
        {
            "name": f"issue page, large ({large.n:,} positions)",
            "path": large.get_absolute_url(),
        },
        {
            "name": f"issue page, typical ({typical.n:,} positions)",
            "path": typical.get_absolute_url(),
        },
        {
            "name": f"issue page, large ({large.n:,}), editor",
            "path": large.get_absolute_url(),
            "headers": {"Cookie": editor},
        },
        {
            "name": f"issue page, typical ({typical.n:,}), editor",
            "path": typical.get_absolute_url(),
            "headers": {"Cookie": editor},
        },
        {
            # Built for every request, as after a write: the cost the editors' cache saves.
            "name": f"issue page, typical ({typical.n:,}), editor, uncached",
            "path": typical.get_absolute_url(),
            "headers": {"Cookie": editor},
            "unique": True,
        },
        {"name": "meeting page", "path": meeting.get_absolute_url()},
        {
            # What a browser is sent: every browser asks for a compressed page.
            "name": "meeting page, gzip",
            "path": meeting.get_absolute_url(),
            "headers": {"Accept-Encoding": "gzip"},
        },
        {"name": "browse, two filters", "path": f"/issues/?topic={topic.slug}&posture=2"},
        {"name": "search, common term", "path": f"/search/?q={synthetic.COMMON_TERM}"},
        {"name": "search, rare term", "path": f"/search/?q={synthetic.RARE_TERM}"},
        # Searches no one has made since the last write, one request per worker at a time:
        # their latency is the search's own, not a queue's.
        {
            "name": "search, common term, uncached, 2 connections",
            "path": f"/search/?q={synthetic.COMMON_TERM}",
            "unique": True,
            "connections": 2,
        },
        {
            "name": "search, two words, uncached, 2 connections",
            "path": "/search/?q=treaty+verification",
            "unique": True,
            "connections": 2,
        },
        {
            "name": "search, rare term, uncached, 2 connections",
            "path": f"/search/?q={synthetic.RARE_TERM}",
            "unique": True,
            "connections": 2,
        },
        {"name": "feed", "path": "/feed/"},
    ]


def count_queries(entry: dict) -> int:
    """Queries of one uncached request (the cache is bypassed by turning it off)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if entry["path"].startswith(settings.STATIC_URL):
        return 0
    settings.READER_CACHE_SECONDS = 0
    headers = entry.get("headers", {})
    try:
        client = Client(HTTP_HOST="127.0.0.1")
        client.get(entry["path"], headers=headers)  # warm: first-use imports, connections
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(entry["path"], headers=headers)
        entry["uncached_ms"] = round((time.perf_counter() - started) * 1000, 1)
        entry["status"] = response.status_code
        entry["html_bytes"] = len(response.content)
        return len(queries)
    finally:
        settings.READER_CACHE_SECONDS = int(os.environ.get("DJANGO_READER_CACHE_SECONDS", 300))


def peak_memory_mb(server: subprocess.Popen) -> float:
    """The largest peak resident size (VmHWM) among the workers, so far."""
    return max(worker_memory_mb(server, "VmHWM").values(), default=0.0)


def warm(entry: dict) -> None:
    """One request first, so a reader's page is measured as the cache serves it (and a slow
    first render does not pile up every connection behind it)."""
    request = urllib.request.Request(BASE + entry["path"])
    for name, value in entry.get("headers", {}).items():
        request.add_header(name, value)
    urllib.request.urlopen(request, timeout=300).read()


def wrk_scripts() -> dict[bool, Path]:
    """wrk's Lua scripts, by whether each request asks for an address of its own."""
    scripts = {}
    for unique in (False, True):
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SUMMARY + (WRK_UNIQUE if unique else ""))
        scripts[unique] = Path(script.name)
    return scripts


def load(entry: dict, scripts: dict[bool, Path], seconds: int) -> dict:
    script = scripts[entry.get("unique", False)]
    command = [
        "wrk",
        "-t2",
        f"-c{entry.get('connections', CONNECTIONS)}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-s",
        str(script),
    ]
    for name, value in entry.get("headers", {}).items():
        command += ["-H", f"{name}: {value}"]
    salt = uuid.uuid4().hex  # this run's own addresses, for a path measured uncached
    output = subprocess.run(
        [*command, BASE + entry["path"], "--", salt], capture_output=True, text=True, check=True
    ).stdout
    stats = json.loads(output.strip().splitlines()[-1])
    stats["rps"] = round(stats["requests"] / stats["seconds"], 1)
    return stats


def paired_runs(bare: dict, entry: dict, scripts: dict[bool, Path]) -> tuple[dict, dict]:
    """A run of the bare view, then one of `entry` as long."""
    seconds = max(1, SECONDS // ROUNDS)  # wrk takes whole seconds
    return load(bare, scripts, seconds), load(entry, scripts, seconds)


def median_run(runs: list[dict]) -> dict:
    """The run of median req/s (its latencies with it)."""
    return sorted(runs, key=lambda run: run["rps"])[len(runs) // 2]


def bare_row(entry: dict, runs: list[dict], server: subprocess.Popen) -> dict:
    """The bare view's row: its median run (by req/s) of those paired with the paths."""
    median = median_run(runs)
    spread = f"{min(r['rps'] for r in runs):,.0f}–{max(r['rps'] for r in runs):,.0f}"
    row = {**entry, **median, "peak_worker_mb": peak_memory_mb(server), "ratio": 1.0}
    row["name"] = f"{entry['name']} (median of {len(runs)} runs, {spread} req/s)"
    return row


def check_invalidation_across_workers() -> dict:
    """Change a published issue, then read it as many times as there are connections: every
    answer, from whichever worker, must show the change."""
    from django.db import transaction

    from issues.models import Issue, PublicationStatus

    issue = Issue.objects.filter(status=PublicationStatus.PUBLISHED).order_by("pk")[1]
    url = BASE + issue.get_absolute_url()
    as_editor = urllib.request.Request(url, headers={"Cookie": editor_cookie()})
    for _ in range(4 * WORKERS):  # warm every worker's view of the page, a reader's and an editor's
        urllib.request.urlopen(url).read()
        urllib.request.urlopen(as_editor).read()
    marker = f"Benchmark change {time.time_ns()}"
    original = issue.summary
    with transaction.atomic():
        issue.summary = marker
        issue.save()
    try:
        bodies = [urllib.request.urlopen(url).read().decode() for _ in range(8 * WORKERS)]
        bodies += [urllib.request.urlopen(as_editor).read().decode() for _ in range(8 * WORKERS)]
        seen = sum(marker in body for body in bodies)
    finally:
        with transaction.atomic():
            issue.summary = original
            issue.save()
    return {"requests": len(bodies), "showing_the_change": seen}


def machine() -> dict:
    from django.db import connection

    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = match.group(1).strip() if match else cpu
    memory = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    import django

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(memory.group(1)) / 1024**2, 1) if memory else None,
        "load_average_at_start": os.getloadavg(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": postgres,
        "workers": WORKERS,
        "connections": CONNECTIONS,
        "seconds_per_path": SECONDS,
        "rounds": ROUNDS,
    }


def archive() -> dict:
    from issues.models import Event, Issue, Leader, Position, Source, Summit

    return {
        model.__name__.lower() + "s": model.objects.count()
        for model in (Summit, Leader, Issue, Position, Source, Event)
    }


def markdown(results: dict) -> str:
    lines = [
        f"Measured {results['when']} on {results['machine']['cpu']} "
        f"({results['machine']['cores']} cores, {results['machine']['memory_gb']} GB; load "
        f"average at start {results['machine']['load_average_at_start'][0]:.1f}), "
        f"PostgreSQL {results['machine']['postgresql']}, Python "
        f"{results['machine']['python']}, Django {results['machine']['django']}; gunicorn "
        f"{results['machine']['workers']} workers, wrk {results['machine']['connections']} "
        f"connections, {results['machine']['seconds_per_path']} s a path in "
        f"{results['machine']['rounds']} runs, each after a run of the bare view as long.",
        "",
        "Archive: " + ", ".join(f"{n:,} {kind}" for kind, n in results["archive"].items()) + ".",
        "",
        "| path | req/s | p50 ms | p95 ms | p99 ms | queries (uncached) | uncached ms "
        "| HTML KB | peak worker MB | ratio to bare |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in results["paths"]:
        lines.append(
            f"| {row['name']} (`{row['path']}`) | {row['rps']:,.0f} | {row['p50_ms']:.1f} "
            f"| {row['p95_ms']:.1f} | {row['p99_ms']:.1f} | {row['queries']} "
            f"| {row.get('uncached_ms', 0):,.0f} | {row.get('html_bytes', 0) / 1024:,.0f} "
            f"| {row['peak_worker_mb']:.0f} "
            f"| {row['ratio']:.2f} |"
        )
    check = results["invalidation"]
    lines += [
        "",
        f"Invalidation across {results['machine']['workers']} workers: "
        f"{check['showing_the_change']} of {check['requests']} requests after a change "
        "(half a reader's, half an editor's) showed it.",
    ]
    errors = [row["name"] for row in results["paths"] if row["errors"] or row["status_errors"]]
    if errors:
        lines.append(f"Errors or non-2xx answers under load: {', '.join(errors)}.")
    return "\n".join(lines)


def write(results: dict) -> None:
    docs = ROOT / "docs"
    (docs / "benchmarks.json").write_text(json.dumps(results, indent=2) + "\n")
    page = docs / "benchmarks.md"
    table = markdown(results)
    start, end = "<!-- BENCH:START -->", "<!-- BENCH:END -->"
    text = page.read_text() if page.exists() else f"# Benchmarks\n\n{start}\n{end}\n"
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    page.write_text(f"{before}{start}\n{table}\n{end}{after}")


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("make bench needs wrk: apt-get install -y wrk")
    setup_django()
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=ENV,
        check=True,
    )
    paths = choose_paths()
    results = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "archive": archive(),
        "paths": [],
    }
    for entry in paths:
        entry["queries"] = count_queries(entry)
    server = start_gunicorn(ENV, PORT, WORKERS)
    try:
        scripts = wrk_scripts()
        bare, *others = paths
        warm(bare)
        bare_runs = []
        for entry in others:
            warm(entry)
            pairs = [paired_runs(bare, entry, scripts) for _ in range(ROUNDS)]
            bare_runs += [bare_run for bare_run, _ in pairs]
            runs = [run for _, run in pairs]
            row = {**entry, **median_run(runs), "peak_worker_mb": peak_memory_mb(server)}
            row["ratio"] = round(
                statistics.median(run["rps"] / (bare_run["rps"] or 1) for bare_run, run in pairs),
                3,
            )
            for setting in ("headers", "unique", "connections"):
                row.pop(setting, None)
            results["paths"].append(row)
            print(
                f"{row['name']:<45} {row['rps']:>8,.0f} req/s  p50 {row['p50_ms']:>7.1f}  "
                f"p95 {row['p95_ms']:>7.1f}  p99 {row['p99_ms']:>7.1f} ms  "
                f"{row['queries']:>3} queries  {row['peak_worker_mb']:>6.0f} MB  "
                f"ratio {row['ratio']:.2f}",
                flush=True,
            )
        results["paths"].insert(0, bare_row(bare, bare_runs, server))
        results["invalidation"] = check_invalidation_across_workers()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    write(results)
    print(markdown(results))


if __name__ == "__main__":
    main()
