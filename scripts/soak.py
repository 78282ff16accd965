"""The sustained-load check behind `make soak`: a minute of mixed reader traffic while two
editors save every second, against gunicorn and PostgreSQL on 127.0.0.1.

  - readers: wrk, SOAK_CONNECTIONS connections for SOAK_SECONDS, cycling through the demo's
    pages (home, summit, meeting, issues, positions, browse with filters, search, leaders,
    sources, feeds, track record, API);
  - editors: two signed-in editors, each opening the outlook form of their own issue and
    saving a new rationale once a second, as a browser would (form, CSRF token, POST);
  - workers: the resident memory of each gunicorn worker, sampled every two seconds.

It passes when there was no connection error and no 5xx, every save the server acknowledged
is in the record's history with the last one live and shown to a reader, and no worker's
memory grew by more than SOAK_MEMORY_GROWTH_PERCENT between the first and the last ten
seconds. Results go to docs/soak.json and docs/security.md (between the SOAK markers); the
exit status says whether it passed.

Environment (defaults in brackets):
  SOAK_DATABASE_URL  [postgres://postgres@127.0.0.1:5432/summit_soak] created, migrated
                     and loaded with the demo dossier when needed; nothing else is touched
  SOAK_REDIS_URL     [redis://127.0.0.1:6379/0] the shared cache of the workers
  SOAK_PORT [8091]  SOAK_WORKERS [2]  SOAK_CONNECTIONS [50]  SOAK_SECONDS [60]
  SOAK_MEMORY_GROWTH_PERCENT [5]
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie

from loopback import ROOT, WRK_SUMMARY, start_gunicorn, worker_memory_mb

DATABASE_URL = os.environ.get("SOAK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/summit_soak")
REDIS_URL = os.environ.get("SOAK_REDIS_URL", "redis://127.0.0.1:6379/0")
PORT = int(os.environ.get("SOAK_PORT", "8091"))
WORKERS = int(os.environ.get("SOAK_WORKERS", "2"))
CONNECTIONS = int(os.environ.get("SOAK_CONNECTIONS", "50"))
SECONDS = int(os.environ.get("SOAK_SECONDS", "60"))
MEMORY_GROWTH_PERCENT = float(os.environ.get("SOAK_MEMORY_GROWTH_PERCENT", "5"))
BASE = f"http://127.0.0.1:{PORT}"
MEMORY_EVERY_SECONDS = 2
MEMORY_WINDOW_SECONDS = 10

ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "DJANGO_CACHE_KEY_PREFIX": f"soak-{PORT}",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "soak-only-secret-key-for-loopback"),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SECURE_COOKIES": "false",
    "DJANGO_LOG_LEVEL": "WARNING",
}

# Cycles through the reader paths; counts answers of 500 and over apart from wrk's 4xx+5xx.
WRK_READERS = """
paths = {PATHS}
threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
init = function(args)
  counter = math.random(#paths)
  server_errors = 0
end
request = function()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end
response = function(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1 end
end
""" + WRK_SUMMARY.replace(
    "done = function(summary, latency, requests)",
    """done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("server_errors") end
  io.write(string.format('{"server_errors": %d}\\n', total))""",
)


def manage(*args: str) -> None:
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", *args],
        cwd=ROOT,
        env=ENV,
        check=True,
    )


def prepare_database() -> None:
    """The soak's own database, with the demo dossier; created on first use."""
    import psycopg

    name = urllib.parse.urlparse(DATABASE_URL).path.lstrip("/")
    server = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--no-input", "-v0")
    manage("load_demo")
    manage("collectstatic", "--no-input", "-v0")


def setup_django() -> None:
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "summit.settings")
    import django

    django.setup()


def reader_paths() -> list[str]:
    from issues.models import Issue, Leader, Meeting, PublicationStatus, Source, Summit

    issues = list(Issue.objects.filter(status=PublicationStatus.PUBLISHED).order_by("slug"))
    meeting = Meeting.objects.earliest("pk")
    summit = Summit.objects.earliest("pk")
    leader = Leader.objects.earliest("pk")
    source = Source.objects.filter(status=PublicationStatus.PUBLISHED).earliest("pk")
    paths = ["/", "/issues/", "/leaders/", "/sources/", "/feed/", "/track-record/"]
    paths += [issue.get_absolute_url() for issue in issues]
    paths += [f"{issue.get_absolute_url()}positions/" for issue in issues[:2]]
    paths += [
        meeting.get_absolute_url(),
        summit.get_absolute_url(),
        leader.get_absolute_url(),
        source.get_absolute_url(),
        "/issues/?side=US&posture=-1",
        "/search/?q=sanctions",
        "/api/issues",
        "/sitemap.xml",
    ]
    return paths


def editor_session(username: str) -> str:
    """A signed-in editor's session id, stored in the database the workers read."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


class FormFields(HTMLParser):
    """The values a browser would submit from the page's first form."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            if kind not in ("submit", "button"):
                self.values.append((name, attributes.get("value", "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.values.append((self._select, attributes.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.values.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


@dataclass
class Editor:
    """One editor saving the outlook of one issue once a second."""

    username: str
    issue_slug: str
    meeting_slug: str
    acknowledged: list[str] = field(default_factory=list)
    refused: list[tuple[str, int]] = field(default_factory=list)

    @property
    def form_url(self) -> str:
        return f"{BASE}/issues/{self.issue_slug}/outlook/{self.meeting_slug}/edit/"

    def run(self, session: str, stop: threading.Event) -> None:
        number = 0
        while not stop.is_set():
            number += 1
            started = time.monotonic()
            self.save(session, f"Soak check: {self.username}, save {number}.")
            stop.wait(max(0.0, 1.0 - (time.monotonic() - started)))

    def save(self, session: str, rationale: str) -> None:
        """Open the form, change the rationale, submit it with the form's CSRF token."""
        try:
            opened = urllib.request.urlopen(
                urllib.request.Request(self.form_url, headers={"Cookie": f"sessionid={session}"}),
                timeout=30,
            )
            cookies = SimpleCookie()
            for header in opened.headers.get_all("Set-Cookie") or []:
                cookies.load(header)
            form = FormFields()
            form.feed(opened.read().decode())
            kept = {"rationale", "action", "note"}
            values = [(name, value) for name, value in form.values if name not in kept]
            values += [
                ("rationale", rationale),
                ("note", "sustained-load check"),
                ("action", "publish"),
            ]
            cookie = f"sessionid={session}; csrftoken={cookies['csrftoken'].value}"
            submitted = urllib.request.Request(
                self.form_url,
                data=urllib.parse.urlencode(values).encode(),
                headers={"Cookie": cookie},
            )
            urllib.request.urlopen(submitted, timeout=30).read()
            self.acknowledged.append(rationale)
        except urllib.error.HTTPError as error:
            self.refused.append((rationale, error.code))
        except OSError as error:
            self.refused.append((rationale, -1))
            print(f"{self.username}: {error}", file=sys.stderr)


def sample_memory(server: subprocess.Popen, stop: threading.Event, samples: list) -> None:
    started = time.monotonic()
    while not stop.wait(MEMORY_EVERY_SECONDS):
        samples.append((round(time.monotonic() - started, 1), worker_memory_mb(server)))


def memory_growth(samples: list[tuple[float, dict[int, float]]]) -> dict:
    """Each worker's mean resident size over the first and the last ten seconds."""
    first = [sizes for at, sizes in samples if at <= MEMORY_WINDOW_SECONDS]
    last = [sizes for at, sizes in samples if at >= samples[-1][0] - MEMORY_WINDOW_SECONDS]
    workers = {}
    for pid in samples[-1][1]:
        before = [sizes[pid] for sizes in first if pid in sizes]
        after = [sizes[pid] for sizes in last if pid in sizes]
        if before and after:
            start, end = sum(before) / len(before), sum(after) / len(after)
            workers[str(pid)] = {
                "first_mb": round(start, 1),
                "last_mb": round(end, 1),
                "growth_percent": round((end - start) / start * 100, 1),
            }
    return workers


def check_edits(editors: list[Editor]) -> list[dict]:
    """Every acknowledged save is in the history; the last one is live and shown to readers."""
    from issues.models import OutlookAssessment

    results = []
    for editor in editors:
        assessment = OutlookAssessment.objects.get(
            issue__slug=editor.issue_slug, meeting__slug=editor.meeting_slug
        )
        recorded = set(assessment.history.values_list("rationale", flat=True))
        lost = [text for text in editor.acknowledged if text not in recorded]
        last = editor.acknowledged[-1] if editor.acknowledged else ""
        page = urllib.request.urlopen(f"{BASE}/issues/{editor.issue_slug}/", timeout=30)
        results.append(
            {
                "editor": editor.username,
                "issue": editor.issue_slug,
                "saved": len(editor.acknowledged),
                "refused": len(editor.refused),
                "lost": len(lost),
                "last_is_live": assessment.rationale == last,
                "reader_sees_last": bool(last) and last in page.read().decode(),
            }
        )
    return results


def run_readers(paths: list[str]) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_READERS.replace("PATHS", ", ".join(json.dumps(path) for path in paths)))
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS}s",
            "--timeout",
            "30s",
            "-s",
            script.name,
            BASE + paths[0],
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    stats = {key: value for line in lines for key, value in line.items()}
    stats["rps"] = round(stats["requests"] / stats["seconds"], 1)
    return stats


def soak() -> dict:
    from issues.models import OutlookAssessment

    outlooks = OutlookAssessment.objects.select_related("issue", "meeting").order_by("pk")[:2]
    editors = [
        Editor(f"soak-editor-{n}", outlook.issue.slug, outlook.meeting.slug)
        for n, outlook in enumerate(outlooks, start=1)
    ]
    sessions = [editor_session(editor.username) for editor in editors]
    paths = reader_paths()
    server = start_gunicorn(ENV, PORT, WORKERS)
    stop = threading.Event()
    samples: list = []
    threads = [
        threading.Thread(target=editor.run, args=(session, stop))
        for editor, session in zip(editors, sessions, strict=True)
    ]
    threads.append(threading.Thread(target=sample_memory, args=(server, stop, samples)))
    try:
        for thread in threads:
            thread.start()
        readers = run_readers(paths)
        stop.set()
        for thread in threads:
            thread.join()
        edits = check_edits(editors)
    finally:
        stop.set()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average_at_start": os.getloadavg()[0],
        "workers": WORKERS,
        "connections": CONNECTIONS,
        "seconds": SECONDS,
        "reader_paths": paths,
        "readers": readers,
        "edits": edits,
        "memory": memory_growth(samples),
    }


def failures(results: dict) -> list[str]:
    readers = results["readers"]
    found = []
    if readers["errors"]:
        found.append(f"{readers['errors']} connection errors or timeouts")
    if readers["server_errors"] or readers["status_errors"]:
        found.append(f"{readers['status_errors']} answers of 400 or over")
    for edit in results["edits"]:
        if edit["lost"] or edit["refused"] or not edit["saved"]:
            found.append(f"{edit['editor']}: {edit['lost']} lost, {edit['refused']} refused")
        if not (edit["last_is_live"] and edit["reader_sees_last"]):
            found.append(f"{edit['editor']}: the last save is not what readers see")
    for pid, worker in results["memory"].items():
        if worker["growth_percent"] > MEMORY_GROWTH_PERCENT:
            found.append(f"worker {pid} grew {worker['growth_percent']} %")
    return found


def markdown(results: dict) -> str:
    readers = results["readers"]
    memory = results["memory"].values()
    lines = [
        f"Measured {results['when']} (load average at start "
        f"{results['load_average_at_start']:.1f}): gunicorn with {results['workers']} workers, "
        f"PostgreSQL and Redis on 127.0.0.1, the demo dossier; {results['connections']} "
        f"reader connections for {results['seconds']} s over {len(results['reader_paths'])} "
        "paths, two editors saving every second.",
        "",
        "| measure | result |",
        "| --- | ---: |",
        f"| reader requests | {readers['requests']:,} ({readers['rps']:,.0f}/s) |",
        f"| latency p50 / p95 / p99 | {readers['p50_ms']:.0f} / {readers['p95_ms']:.0f} / "
        f"{readers['p99_ms']:.0f} ms |",
        f"| connection errors and timeouts | {readers['errors']} |",
        f"| answers of 500 or over | {readers['server_errors']} |",
        f"| answers of 400 or over | {readers['status_errors']} |",
    ]
    for edit in results["edits"]:
        lines.append(
            f"| {edit['editor']} (`{edit['issue']}`): saved / refused / lost | "
            f"{edit['saved']} / {edit['refused']} / {edit['lost']} |"
        )
    lines += [
        "| last save live and shown to a reader | "
        + (
            "yes"
            if all(e["last_is_live"] and e["reader_sees_last"] for e in results["edits"])
            else "no"
        )
        + " |",
        "| worker memory, first → last 10 s | "
        + ", ".join(
            f"{w['first_mb']:.0f} → {w['last_mb']:.0f} MB ({w['growth_percent']:+.1f} %)"
            for w in memory
        )
        + " |",
        "",
        "Passed." if not failures(results) else "Failed: " + "; ".join(failures(results)) + ".",
    ]
    return "\n".join(lines)


def write(results: dict) -> None:
    docs = ROOT / "docs"
    (docs / "soak.json").write_text(json.dumps(results, indent=2) + "\n")
    page = docs / "security.md"
    start, end = "<!-- SOAK:START -->", "<!-- SOAK:END -->"
    before, rest = page.read_text().split(start, 1)
    after = rest.split(end, 1)[1]
    page.write_text(f"{before}{start}\n{markdown(results)}\n{end}{after}")


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("make soak needs wrk: apt-get install -y wrk")
    prepare_database()
    setup_django()
    results = soak()
    write(results)
    print(markdown(results))
    if failures(results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
