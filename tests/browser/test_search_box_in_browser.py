"""The header's search box in a real browser: suggestions as one types, reached and left
with the keyboard, on a phone without sideways scroll."""

import re

import pytest
from playwright.sync_api import Page, expect

PHONE = {"width": 390, "height": 844}
BOX = "Search people, issues, positions and sources"


@pytest.fixture
def native_name(live_reader):
    """Vostrov's name in Cyrillic, for a search in another script. The dossier gives no
    native name: the site would mark its language with his invented country's code."""
    from issues.caching import bump_generation
    from issues.models import Leader

    Leader.objects.filter(slug="pavel-vostrov").update(native_name="Павел Востров")
    bump_generation()
    return live_reader


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def test_typing_a_name_suggests_the_leader_and_the_keyboard_reaches_it(page: Page, live_reader):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_reader.url}/leaders/")
    box = page.get_by_role("searchbox", name=BOX)
    # Reached with Tab, like every control.
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search-q":
            break
    expect(box).to_be_focused()

    page.keyboard.type("quil", delay=60)
    suggestions = page.locator("#site-search-suggestions")
    quillan = suggestions.get_by_role("link", name=re.compile("Tobias Quillan"))
    expect(quillan).to_be_visible()
    expect(page.locator("#site-search-status")).to_have_text(re.compile(r"\d+ suggestions?"))
    expect(box).to_be_focused()  # the swap leaves the focus where it was
    no_sideways_scroll(page)

    page.keyboard.press("ArrowDown")
    expect(quillan).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(box).to_be_focused()
    page.keyboard.press("Tab")
    expect(quillan).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/leaders/tobias-quillan/$"))


def test_escape_closes_the_suggestions_and_enter_searches_everything(page: Page, native_name):
    page.goto(f"{native_name.url}/issues/kells-strait/")
    box = page.get_by_role("searchbox", name=BOX)
    box.press_sequentially("Востров", delay=60)
    vostrov = page.locator("#site-search-suggestions").get_by_role(
        "link", name=re.compile("Pavel Vostrov")
    )
    expect(vostrov).to_be_visible()
    page.keyboard.press("Escape")
    expect(vostrov).to_have_count(0)
    expect(box).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=%D0%92"))
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name="Pavel Vostrov", exact=True)).to_be_visible()


def test_the_search_page_and_header_fit_a_phone(page: Page, live_reader):
    page.set_viewport_size(PHONE)
    # (The other pages' own content is another matter: the header is what this checks.)
    for path in (
        "/search/",
        "/search/?q=vostrov",
        "/search/?q=vostrov&kind=positions",
        "/leaders/",
    ):
        page.goto(f"{live_reader.url}{path}")
        expect(page.get_by_role("searchbox", name=BOX)).to_be_visible()
        no_sideways_scroll(page)
