"""Browser tests: Playwright drives Debian's Chromium against the live test server."""

import shutil
import threading
import time
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started

from tests.snapshots import load_once

READER_DOSSIER = Path(__file__).resolve().parent.parent / "dossiers" / "reader.yaml"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
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


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


class RequestsInFlight:
    """Counts the live server's requests under way, so a test ends only once it is idle."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    def started(self, **kwargs) -> None:
        with self.lock:
            self.count += 1

    def finished(self, **kwargs) -> None:
        with self.lock:
            self.count = max(0, self.count - 1)

    def wait_until_idle(self, seconds: float = 10) -> None:
        deadline = time.monotonic() + seconds
        while self.count and time.monotonic() < deadline:
            time.sleep(0.02)


class OneRequestAtATime:
    """On SQLite the live server's threads share the test's one in-memory connection; two
    requests at once (a search page and its suggestions as you type) can then deadlock in
    the sqlite3 module, one holding the connection while waiting for Python's lock inside
    REGEXP (Python's `re`), the other the reverse. The server answers one request at a time
    there; a request that waits longer than `seconds` goes ahead rather than hang the run."""

    def __init__(self, seconds: float = 30) -> None:
        self.lock = threading.Lock()
        self.seconds = seconds
        self.holder = threading.local()

    def started(self, **kwargs) -> None:
        self.holder.has_it = self.lock.acquire(timeout=self.seconds)

    def finished(self, **kwargs) -> None:
        if getattr(self.holder, "has_it", False):
            self.holder.has_it = False
            self.lock.release()


@pytest.fixture(scope="session")
def requests_in_flight():
    from django.db import connection

    counter = RequestsInFlight()
    request_started.connect(counter.started, weak=False)
    request_finished.connect(counter.finished, weak=False)
    serial = OneRequestAtATime() if connection.vendor == "sqlite" else None
    if serial is not None:
        request_started.connect(serial.started, weak=False)
        request_finished.connect(serial.finished, weak=False)
    yield counter
    request_started.disconnect(counter.started)
    request_finished.disconnect(counter.finished)
    if serial is not None:
        request_started.disconnect(serial.started)
        request_finished.disconnect(serial.finished)


@pytest.fixture
def page(transactional_db, requests_in_flight, page):
    """The browser's page, closed and its last requests answered before the test's database
    is flushed: a request still running then would write into the next test's data (a
    content type or a history row created after the flush)."""
    yield page
    page.close()
    requests_in_flight.wait_until_idle()


@pytest.fixture
def live_demo(transactional_db, django_db_serialized_rollback, live_server, requests_in_flight):
    """The demo dossier, committed so that the live server's thread sees it. The
    database is flushed afterwards (once the server is idle) and restored as migrations
    left it (the Editors group included), so later tests find it as they expect."""
    from issues.dossier.demo import demo_load

    load_once("demo", demo_load)
    yield live_server
    requests_in_flight.wait_until_idle()


@pytest.fixture
def live_reader(transactional_db, django_db_serialized_rollback, live_server, requests_in_flight):
    """`tests/dossiers/reader.yaml`, an invented dossier made for these tests (its comments
    say what they rely on), committed and cleaned up as `live_demo` is: the browser tests
    read its names, not the demo's, so the demo can be corrected without breaking them."""
    from issues.dossier.write import dossier_import

    load_once("reader", lambda: dossier_import(READER_DOSSIER.read_bytes()))
    yield live_server
    requests_in_flight.wait_until_idle()


@pytest.fixture
def page_loads(page):
    """Counts full page loads: an htmx update must not add one."""
    loads = []
    page.on("load", lambda _: loads.append(page.url))
    return loads
