"""Browser tests: Playwright drives Debian's Chromium against the live test server."""

import shutil

import pytest

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


@pytest.fixture
def live_demo(transactional_db, django_db_serialized_rollback, live_server):
    """The demo dossier, committed so that the live server's thread sees it. The
    database is flushed afterwards and restored as migrations left it (the Editors
    group included), so later tests find it as they expect."""
    from issues.dossier.demo import demo_load

    demo_load()
    return live_server


@pytest.fixture
def page_loads(page):
    """Counts full page loads: an htmx update must not add one."""
    loads = []
    page.on("load", lambda _: loads.append(page.url))
    return loads
