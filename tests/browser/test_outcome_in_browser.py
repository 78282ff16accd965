"""A resolved meeting in Chromium, on a phone and on a desktop: the trend's outcome marks are
drawn, the board's tables read as cards on a phone, and no page scrolls sideways."""

import pytest
from playwright.sync_api import Browser, expect

from tests.resolved import resolved_meeting

VIEWPORTS = {"phone": (390, 844), "desktop": (1366, 900)}


@pytest.fixture
def live_resolved(transactional_db, django_db_serialized_rollback, live_server):
    """The resolved meeting of `tests.resolved`, committed for the live server's thread."""
    resolved_meeting()
    return live_server


@pytest.fixture(params=list(VIEWPORTS))
def sized_page(request, browser: Browser):
    width, height = VIEWPORTS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    yield context.new_page(), request.param
    context.close()


def test_the_resolved_meeting_fits_the_screen_with_its_outcome_drawn(sized_page, live_resolved):
    page, viewport = sized_page
    width = VIEWPORTS[viewport][0]
    complaints: list[str] = []
    page.on("console", lambda message: message.type == "error" and complaints.append(message.text))
    page.goto(f"{live_resolved.url}/meetings/example-bilateral/")
    if viewport == "phone":
        # A phone is served the sections folded but the board; the reader opens the two read here.
        for heading in ("Outlook over time", "Forecast and outcome"):
            title = page.get_by_role("heading", name=heading)
            fold = page.locator("details.fold").filter(has=title)
            expect(fold).not_to_have_attribute("open", "")
            fold.locator("summary").click()
            expect(fold).to_have_attribute("open", "")

    marks = page.locator("#trend-chart .trend__outcome[data-outcome]")
    expect(marks).to_have_count(7)  # three issues, four scenarios
    for n in range(7):
        box = marks.nth(n).bounding_box()
        assert box and box["width"] > 0 and box["x"] + box["width"] <= width
    expect(page.locator("#timeline-outcome")).to_contain_text("Example bilateral: held")
    # On a phone each row of the board is a card: its cells one under the other.
    cells = page.locator('#outcome-issues tr[data-issue="trade"] td')
    first, second = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
    assert first and second
    if viewport == "phone":
        assert second["y"] >= first["y"] + first["height"] - 1
    else:
        assert abs(second["y"] - first["y"]) < 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert complaints == [], complaints


def test_the_track_record_fits_a_phone(browser: Browser, live_resolved):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_resolved.url}/track-record/")
    expect(page.locator(".track-items").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
