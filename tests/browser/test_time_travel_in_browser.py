"""The outlook over time and the issue page as of a past day, in Chromium: the trend chart is
drawn with a size on a phone and on a desktop, and the issue page's "See this page as of" form
leads to the page as it stood before its outlook was first assessed."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

MEETING = "/meetings/aldren-vostrov-lanterna-2025/"
ISSUE = "/issues/kells-strait/"
OUTLOOK = "#outlook-aldren-vostrov-lanterna-2025"
VIEWPORTS = {"phone": (390, 844), "desktop": (1366, 900)}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_trend_chart_is_drawn_on_phone_and_desktop(
    browser: Browser, live_reader, tmp_path, viewport
):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    complaints: list[str] = []
    page.on("console", lambda message: message.type == "error" and complaints.append(message.text))
    page.goto(f"{live_reader.url}{MEETING}")
    # On a phone the section is folded: the contents bar's link opens it.
    page.locator("#contents").get_by_role("link", name="Over time").click()

    chart = page.locator("#trend-chart svg")
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0
    assert box["width"] <= width, "the trend chart is wider than the screen"
    shot = tmp_path / f"trend-{viewport}.png"
    chart.screenshot(path=shot)
    assert shot.stat().st_size > 0
    # A dot per revision, drawn with a size: the strait's two, of 20 and of 28 May.
    strait = page.locator('#trend-chart [data-series="kells-strait"] circle.trend__point')
    expect(strait).to_have_count(2)
    for n in range(2):
        dot = strait.nth(n).bounding_box()
        assert dot and dot["width"] > 0 and dot["height"] > 0
    expect(page.locator("#trend-notes")).to_contain_text(
        "28 May 2025 — Strait of Kells — after the ferry seizure (para. 4)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert complaints == [], complaints
    context.close()


def test_the_as_of_form_shows_the_strait_before_its_outlook(page: Page, live_reader):
    page.goto(f"{live_reader.url}{ISSUE}")
    outlook = page.locator(OUTLOOK)
    expect(outlook).to_contain_text("Strongly hinders")
    expect(page.locator("#as-of-banner")).to_have_count(0)

    page.get_by_label("See this page as of").fill("2025-05-15")
    page.get_by_role("button", name="Go").click()

    expect(page).to_have_url(re.compile(r"/issues/kells-strait/\?as_of=2025-05-15$"))
    banner = page.locator("#as-of-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(
        "You are viewing this page as it stood at the end of 15 May 2025"
    )
    # The outlook was first assessed on 20 May: none is shown, and the summary is the first.
    expect(outlook).to_have_count(0)
    expect(page.locator("main")).to_contain_text("did not raise the strait")
    expect(page.get_by_text("Edit outlook")).to_have_count(0)

    banner.get_by_role("link", name="See it as it is today").click()
    expect(page).to_have_url(re.compile(r"/issues/kells-strait/$"))
    expect(page.locator(OUTLOOK)).to_contain_text("Strongly hinders")


def test_the_as_of_form_works_without_javascript(browser: Browser, live_reader):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_reader.url}{ISSUE}")
    page.get_by_label("See this page as of").fill("2025-05-28")
    page.get_by_role("button", name="Go").click()
    expect(page).to_have_url(re.compile(r"\?as_of=2025-05-28$"))
    expect(page.locator("#as-of-banner")).to_contain_text("28 May 2025")
    expect(page.locator(OUTLOOK)).to_contain_text("Strongly hinders")
    context.close()
