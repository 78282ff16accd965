"""The meeting page's charts in Chromium, on a phone and on a desktop: drawn, visible, laid out
for the screen, and allowed by the Content Security Policy."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

MEETING = "/meetings/aldren-vostrov-lanterna-2025/"
VIEWPORTS = {"phone": (390, 844), "desktop": (1366, 900)}
CHARTS = {
    "board": "#board-chart svg",
    "scenarios": "#scenario-chart svg",
    "matrix": "#stance-matrix",
    "timeline": "#meeting-timeline .timeline-axis",
}


@pytest.fixture(params=list(VIEWPORTS))
def sized_page(request, browser: Browser):
    """`(page, "phone")` or `(page, "desktop")`: a page in a context of that viewport."""
    width, height = VIEWPORTS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    yield context.new_page(), request.param
    context.close()


def open_meeting(page: Page, live_reader) -> list[str]:
    """Opens the meeting page, and each of its sections a phone folds (as a reader would, by
    its heading); returns the console's complaints (a CSP violation is one)."""
    complaints: list[str] = []
    page.on("console", lambda message: message.type == "error" and complaints.append(message.text))
    page.goto(f"{live_reader.url}{MEETING}")
    folded = page.locator("details.fold:not([open]) > summary")
    while folded.count():
        folded.first.click()
    return complaints


def test_charts_are_visible_with_a_size_on_phone_and_desktop(sized_page, live_reader, tmp_path):
    page, viewport = sized_page
    complaints = open_meeting(page, live_reader)
    width = VIEWPORTS[viewport][0]
    for name, selector in CHARTS.items():
        chart = page.locator(selector)
        chart.scroll_into_view_if_needed()
        expect(chart).to_be_visible()
        box = chart.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, name
        if name in ("board", "scenarios"):
            assert box["width"] <= width, f"the {name} chart is wider than the screen"
        chart.screenshot(path=tmp_path / f"{name}-{viewport}.png")
        assert (tmp_path / f"{name}-{viewport}.png").stat().st_size > 0
    # One bar per issue, drawn with a size.
    bars = page.locator("#board-chart .board__row:not(.board__row--overall) rect")
    expect(bars).to_have_count(4)
    for n in range(4):
        box = bars.nth(n).bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0
    expect(page.locator("#overall-outlook")).to_contain_text("Hinders")
    # Wide tables scroll in their own box: the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert complaints == [], complaints


def test_timeline_is_vertical_on_a_phone_and_across_on_a_desktop(sized_page, live_reader):
    page, viewport = sized_page
    open_meeting(page, live_reader)
    periods = page.locator("#meeting-timeline .timeline-axis__period")
    first, second = periods.nth(0).bounding_box(), periods.nth(1).bounding_box()
    if viewport == "phone":
        assert second["y"] >= first["y"] + first["height"] - 1  # one below the other
        assert abs(second["x"] - first["x"]) < 1
    else:
        assert abs(second["y"] - first["y"]) < 1  # side by side along the date axis
        assert second["x"] >= first["x"] + first["width"]


def test_stance_cells_lead_to_the_position(page: Page, live_reader):
    open_meeting(page, live_reader)
    marten_row = page.locator("#stance-matrix tr").filter(
        has=page.locator("th", has_text="Ilse Marten")
    )
    cell = marten_row.locator("a.stance__link")
    expect(cell).to_have_text(re.compile(r"Hardline\s+\(−2\)"))
    cell.click()
    expect(page).to_have_url(re.compile(r"/issues/grid-intrusions/#position-\d+$"))
    position_id = page.url.rsplit("#", 1)[1]
    expect(page.locator(f"#{position_id}")).to_contain_text("Kestrel Bay")


def test_compare_form_works_without_javascript(browser: Browser, live_reader):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_reader.url}/compare/")
    page.get_by_label("First leader or side").select_option("XV")
    page.get_by_label("Second leader or side").select_option("XO")
    page.get_by_role("button", name="Compare").click()
    # The meeting filter, left at "every meeting", travels empty.
    expect(page).to_have_url(re.compile(r"/compare/\?a=XV&b=XO&meeting=$"))
    expect(page.locator("#comparison tbody tr")).to_have_count(4)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Valdoria and Ostrania, issue by issue"
    )
    context.close()
