"""The demo dossier as `make run` serves it, in Chromium on a phone: its pages load without
a script error, pass axe and do not scroll sideways. The other browser tests read an invented
dossier; this one keeps the demo itself honest as a reader first meets it."""

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.test_accessibility import violations

PAGES = ["/", "/meetings/trump-putin-g20-2018/", "/issues/ukraine/", "/leaders/vladimir-putin/"]


@pytest.mark.parametrize("path", PAGES)
def test_the_demo_reads_well_on_a_phone(browser: Browser, live_demo, path):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_demo.url}{path}")
    expect(page.locator("h1")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert violations(page) == []
    assert errors == []
    context.close()
