"""The header's search box in a real browser: suggestions as one types, reached and left
with the keyboard, on a phone without sideways scroll."""

import re

from playwright.sync_api import Page, expect

PHONE = {"width": 390, "height": 844}
BOX = "Search people, issues, positions and sources"


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def test_typing_a_name_suggests_the_leader_and_the_keyboard_reaches_it(page: Page, live_demo):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_demo.url}/leaders/")
    box = page.get_by_role("searchbox", name=BOX)
    # Reached with Tab, like every control.
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search-q":
            break
    expect(box).to_be_focused()

    page.keyboard.type("bol", delay=60)
    suggestions = page.locator("#site-search-suggestions")
    bolton = suggestions.get_by_role("link", name=re.compile("John Bolton"))
    expect(bolton).to_be_visible()
    expect(page.locator("#site-search-status")).to_have_text(re.compile(r"\d+ suggestions?"))
    expect(box).to_be_focused()  # the swap leaves the focus where it was
    no_sideways_scroll(page)

    page.keyboard.press("ArrowDown")
    expect(bolton).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(box).to_be_focused()
    page.keyboard.press("Tab")
    expect(bolton).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/leaders/john-bolton/$"))


def test_escape_closes_the_suggestions_and_enter_searches_everything(page: Page, live_demo):
    page.goto(f"{live_demo.url}/issues/ukraine/")
    box = page.get_by_role("searchbox", name=BOX)
    box.press_sequentially("Путин", delay=60)
    putin = page.locator("#site-search-suggestions").get_by_role(
        "link", name=re.compile("Vladimir Putin")
    )
    expect(putin).to_be_visible()
    page.keyboard.press("Escape")
    expect(putin).to_have_count(0)
    expect(box).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=%D0%9F"))
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name="Vladimir Putin")).to_be_visible()


def test_the_search_page_and_header_fit_a_phone(page: Page, live_demo):
    page.set_viewport_size(PHONE)
    # (The other pages' own content is another matter: the header is what this checks.)
    for path in ("/search/", "/search/?q=putin", "/search/?q=putin&kind=positions", "/leaders/"):
        page.goto(f"{live_demo.url}{path}")
        expect(page.get_by_role("searchbox", name=BOX)).to_be_visible()
        no_sideways_scroll(page)
