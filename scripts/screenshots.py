"""Screenshots for the docs: whole pages on a phone as a reader first sees them (home,
meeting, issue, search, and the method page, that one on a desktop too); the demo meeting's
outlook board, stance matrix, timeline and outlook over time; a resolved meeting's board
(forecast beside outcome), its outlook over time and timeline carrying the outcome, an
issue's timeline with it, and the track record, made from test data (`tests/resolved.py`:
an invented meeting, since the demo has no recorded outcome); on a desktop and on a phone.

Run by hand from the project's root, after `make install-dev` (not part of the tests):

    .venv/bin/python scripts/screenshots.py

It loads the demo dossier and the test data into a temporary SQLite database, serves the
site from it with
`manage.py runserver`, and photographs each part of the meeting page in Debian's Chromium
(driven by Playwright) into `docs/screenshots/`. Nothing outside the project is written.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"  # Debian's package: `apt-get install chromium`
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MEETING = "/meetings/trump-putin-g20-2018/"
RESOLVED = "/meetings/example-bilateral/"  # test data: `tests/resolved.py`
VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}
PAGES = {  # file name: a whole page, on the viewports named
    "page-home": ("/", ["phone"]),
    "page-meeting": (MEETING, ["phone"]),
    "page-issue": ("/issues/ukraine/", ["phone"]),
    "page-search": ("/search/?q=Ukraine", ["phone"]),
    "page-method": ("/about/method/", ["phone", "desktop"]),
}
# For photographs of one part of a page: every section unfolded, and the contents bar left at
# the top of the page rather than kept over the part photographed.
UNFOLD = "() => document.querySelectorAll('details').forEach((d) => { d.open = true; })"
UNSTICK = ".contents-bar { position: static; }"
PARTS = {  # file name: the page and the part of it it shows
    "meeting-board": (MEETING, 'section[aria-labelledby="board"]'),
    "stance-matrix": (MEETING, 'section[aria-labelledby="stances"]'),
    "timeline": (MEETING, "#meeting-timeline"),
    "trend": (MEETING, 'section[aria-labelledby="trend"]'),
    "resolved-board": (RESOLVED, "#outcome-board"),
    "resolved-trend": (RESOLVED, 'section[aria-labelledby="trend"]'),
    "resolved-timeline": (RESOLVED, "#meeting-timeline"),
    "resolved-issue-timeline": ("/issues/water/", 'section[aria-labelledby="timeline"]'),
    "track-record": ("/track-record/", "main"),
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urlopen(url, timeout=2):
                return
        except (URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def photograph(base_url: str) -> list[Path]:
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for viewport, (width, height) in VIEWPORTS.items():
            # The style added below is the screenshots' own: let it past the site's CSP.
            context = browser.new_context(
                viewport={"width": width, "height": height}, bypass_csp=True
            )
            page = context.new_page()
            for name, (address, viewports) in PAGES.items():
                if viewport not in viewports:
                    continue
                page.goto(f"{base_url}{address}")
                path = OUT / f"{name}-{viewport}.png"
                page.screenshot(path=path, full_page=True)
                written.append(path)
            for name, (address, selector) in PARTS.items():
                page.goto(f"{base_url}{address}")
                page.evaluate(UNFOLD)
                page.add_style_tag(content=UNSTICK)
                part = page.locator(selector)
                part.scroll_into_view_if_needed()
                path = OUT / f"{name}-{viewport}.png"
                part.screenshot(path=path)
                written.append(path)
            context.close()
        browser.close()
    return written


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="summit-screenshots-") as tmp:
        port = int(os.environ.get("SCREENSHOT_PORT") or free_port())
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{Path(tmp) / 'db.sqlite3'}",
            "DJANGO_DEBUG": "true",  # static files straight from static/
            "DJANGO_SECRET_KEY": "screenshots-only",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        }
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        manage(env, "load_demo")
        manage(
            env, "shell", "-c", "from tests.resolved import resolved_meeting; resolved_meeting()"
        )
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_for(f"{base_url}/livez")
            for path in photograph(base_url):
                print(path.relative_to(ROOT))
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
