"""The outlook over time and the issue page as of a past day, in Chromium: the trend chart is
drawn with a size on a phone and on a desktop, and the issue page's "See this page as of" form
leads to the page as it stood before this week's Russian attacks off Crimea."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

MEETING = "/meetings/trump-putin-g20-2018/"
ISSUE = "/issues/ukraine/"
VIEWPORTS = {"phone": (390, 844), "desktop": (1366, 900)}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_trend_chart_is_drawn_on_phone_and_desktop(
    browser: Browser, live_demo, tmp_path, viewport
):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    complaints: list[str] = []
    page.on("console", lambda message: message.type == "error" and complaints.append(message.text))
    page.goto(f"{live_demo.url}{MEETING}")
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
    # A dot per revision, drawn with a size: Ukraine's one revision, the article's.
    ukraine = page.locator('#trend-chart [data-series="ukraine"] circle.trend__point')
    expect(ukraine).to_have_count(1)
    dot = ukraine.first.bounding_box()
    assert dot and dot["width"] > 0 and dot["height"] > 0
    expect(page.locator("#trend-notes")).to_contain_text(
        "26 November 2018 — Ukraine — as the CFR In Brief assesses it (para. 3)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert complaints == [], complaints
    context.close()


def test_the_as_of_form_shows_ukraine_before_the_attacks(page: Page, live_demo):
    page.goto(f"{live_demo.url}{ISSUE}")
    outlook = page.locator("#outlook-trump-putin-g20-2018")
    expect(outlook).to_contain_text("Strongly hinders")
    expect(page.locator("#as-of-banner")).to_have_count(0)

    page.get_by_label("See this page as of").fill("2018-11-24")
    page.get_by_role("button", name="Go").click()

    expect(page).to_have_url(re.compile(r"/issues/ukraine/\?as_of=2018-11-24$"))
    banner = page.locator("#as-of-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(
        "You are viewing this page as it stood at the end of 24 November 2018"
    )
    # The article gives no outlook from before the attacks: none is shown.
    expect(outlook).to_have_count(0)
    expect(page.locator("main")).to_contain_text("did not even mention Ukraine")
    expect(page.get_by_text("Edit outlook")).to_have_count(0)

    banner.get_by_role("link", name="See it as it is today").click()
    expect(page).to_have_url(re.compile(r"/issues/ukraine/$"))
    expect(page.locator("#outlook-trump-putin-g20-2018")).to_contain_text("Strongly hinders")


def test_the_as_of_form_works_without_javascript(browser: Browser, live_demo):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_demo.url}{ISSUE}")
    page.get_by_label("See this page as of").fill("2018-11-26")
    page.get_by_role("button", name="Go").click()
    expect(page).to_have_url(re.compile(r"\?as_of=2018-11-26$"))
    expect(page.locator("#as-of-banner")).to_contain_text("26 November 2018")
    expect(page.locator("#outlook-trump-putin-g20-2018")).to_contain_text("Strongly hinders")
    context.close()
