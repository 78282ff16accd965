"""Screenshots for the docs: whole pages on a phone as a reader first sees them (home,
meeting, issue, search, and the method page, that one on a desktop too); the demo meeting's
outlook board, stance matrix, timeline and outlook over time; a resolved meeting's board
(forecast beside outcome), its outlook over time and timeline carrying the outcome, an
issue's timeline with it, and the track record, made from test data (`tests/resolved.py`:
an invented meeting, since the demo has no recorded outcome); and the editor's in-place
views on an issue page (the outlook form, the same form with its errors, a position form, a
new position, a conflict between two editors, a draft waiting to be published); on a
desktop and on a phone.

It also saves the demo's share images, as served (`share-meeting.png`, `share-issue.png`).

Run by hand from the project's root, after `make install-dev` (not part of the tests):

    .venv/bin/python scripts/screenshots.py          # everything
    .venv/bin/python scripts/screenshots.py share    # the share images only (no browser)

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
EDITOR, EDITOR_PASSWORD = "screenshots", "screenshots only, never served"
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

SHARE_IMAGES = {  # file name: the image's address
    "share-meeting": f"{MEETING}share.png",
    "share-issue": "/issues/ukraine/share.png",
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


ISSUE = "/issues/ukraine/"
OUTLOOK = "form#outlook-trump-putin-g20-2018"


def sign_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/admin/login/?next={ISSUE}")
    page.get_by_label("Username").fill(EDITOR)
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}{ISSUE}")


def open_outlook(page):
    page.get_by_role("link", name="Edit outlook").click()
    form = page.locator(OUTLOOK)
    form.get_by_label("Effect on the meeting").wait_for()
    return form


def shoot(part, name: str, viewport: str, written: list[Path]) -> None:
    part.scroll_into_view_if_needed()
    path = OUT / f"{name}-{viewport}.png"
    part.screenshot(path=path)
    written.append(path)


def photograph_editing(browser, base_url: str, viewport: str, size: tuple[int, int]) -> list[Path]:
    """The editing views, as an editor sees them, one after the other on the issue page."""
    written: list[Path] = []
    width, height = size
    mine = browser.new_context(viewport={"width": width, "height": height})
    theirs = browser.new_context(viewport={"width": width, "height": height})
    page, other = mine.new_page(), theirs.new_page()
    sign_in(page, base_url)
    sign_in(other, base_url)

    form = open_outlook(page)
    shoot(form, "edit-outlook", viewport, written)
    form.get_by_label("Rationale").fill("")
    form.get_by_role("button", name="Save and publish").click()
    form.locator(".field__error").first.wait_for()
    shoot(form, "edit-errors", viewport, written)
    form.get_by_role("link", name="Cancel").click()

    page.locator("article.position").first.get_by_role("link", name="Edit").click()
    position = page.locator("form.edit-form[id^=position-]")
    position.get_by_label("Summary").wait_for()
    shoot(position, "edit-position", viewport, written)
    position.get_by_role("link", name="Cancel").click()

    page.get_by_role("link", name="Add a position").click()
    new = page.locator("form#add-position")
    new.get_by_label("Summary").wait_for()
    shoot(new, "edit-new-position", viewport, written)
    page.reload()

    # A conflict: both open the outlook, the other editor saves first.
    form = open_outlook(page)
    their_form = open_outlook(other)
    # They change the effect and the rationale; I change the rationale: the effect is
    # merged, the rationale is asked about.
    their_form.get_by_label("Note on this change").fill("the other editor's correction")
    # (Each viewport starts where the last left the outlook: a change of its own for each.)
    their_form.get_by_label("Effect on the meeting").select_option(
        "-1" if viewport == "desktop" else "-2"
    )
    their_form.get_by_label("Rationale").fill(f"The other editor's reading ({viewport}).")
    their_form.get_by_role("button", name="Save and publish").click()
    other.locator(OUTLOOK).wait_for(state="detached")
    form.get_by_label("Rationale").fill(f"My own reading of the outlook ({viewport}).")
    form.get_by_role("button", name="Save and publish").click()
    conflict = page.locator(".conflict").first
    conflict.wait_for()
    shoot(page.locator(OUTLOOK), "edit-conflict", viewport, written)
    page.reload()

    form = open_outlook(page)
    form.get_by_label("Note on this change").fill("a draft for review")
    form.get_by_role("button", name="Save as draft").click()
    page.locator(".pending-draft").first.wait_for()
    shoot(page.locator("#outlook-trump-putin-g20-2018"), "edit-draft", viewport, written)
    shoot(page.locator(".editor-bar").first, "edit-editor-bar", viewport, written)

    mine.close()
    theirs.close()
    return written


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
            written += photograph_editing(browser, base_url, viewport, (width, height))
        browser.close()
    return written


def save_share_images(base_url: str) -> list[Path]:
    written = []
    for name, address in SHARE_IMAGES.items():
        with urlopen(f"{base_url}{address}", timeout=30) as response:
            path = OUT / f"{name}.png"
            path.write_bytes(response.read())
        written.append(path)
    return written


def main() -> None:
    share_only = sys.argv[1:] == ["share"]
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="summit-screenshots-") as tmp:
        port = int(os.environ.get("SCREENSHOT_PORT") or free_port())
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{Path(tmp) / 'db.sqlite3'}",
            "DJANGO_DEBUG": "true",  # static files straight from static/
            "DJANGO_SECRET_KEY": "screenshots-only",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "EDITOR_PASSWORD": EDITOR_PASSWORD,
        }
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        manage(env, "load_demo")
        manage(env, "create_editor", "--username", EDITOR)
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
            photographed = [] if share_only else photograph(base_url)
            for path in photographed + save_share_images(base_url):
                print(path.relative_to(ROOT))
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
