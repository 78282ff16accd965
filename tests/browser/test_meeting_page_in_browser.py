"""The meeting page in Chromium: on a phone its sections fold under a contents bar kept in
view, links open the section they lead to, every word of its charts is drawn at 12 CSS px or
more, and on a wide screen the timeline scrolls in its box with a visible cue. The history
page folds its diffs on a phone."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.resolved import resolved_meeting

MEETING = "/meetings/aldren-vostrov-lanterna-2025/"
RESOLVED = "/meetings/example-bilateral/"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

# Every word drawn in the page's charts: its rendered font size in CSS px (the computed size
# in the SVG's units times the SVG's scale on screen), its box, and the chart's box.
CHART_WORDS = """() => {
  for (const fold of document.querySelectorAll('details')) fold.open = true;
  return [...document.querySelectorAll('main svg text')]
    .filter((text) => text.textContent.trim())
    .map((text) => {
      const box = text.getBoundingClientRect();
      const chart = text.ownerSVGElement.getBoundingClientRect();
      return {
        words: text.textContent.trim(),
        px: parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a,
        height: box.height,
        inside: box.left >= chart.left - 1 && box.right <= chart.right + 1,
      };
    });
}"""

FOLDS = "() => [...document.querySelectorAll('details[data-fold]')].map((d) => d.open)"


@pytest.fixture
def sized(browser: Browser):
    """Opens a page in a context of the given viewport (and JavaScript on or off)."""
    contexts = []

    def open_page(viewport: dict, javascript: bool = True) -> Page:
        context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone-390", "desktop-1366"])
def test_every_word_of_the_charts_is_at_least_12px(sized, live_reader, viewport):
    resolved_meeting()  # the outcome's marks and keys too
    page = sized(viewport)
    for address in (MEETING, RESOLVED):
        page.goto(f"{live_reader.url}{address}")
        words = page.evaluate(CHART_WORDS)
        assert len(words) > 40, address  # the board, the scenarios and the trend
        small = [(w["words"], round(w["px"], 1)) for w in words if w["px"] < 12]
        assert not small, f"{address}: under 12 px: {small}"
        short = [(w["words"], round(w["height"], 1)) for w in words if w["height"] < 12]
        assert not short, f"{address}: drawn less than 12 px high: {short}"
        spilled = [w["words"] for w in words if not w["inside"]]
        assert not spilled, f"{address}: words past the chart's edge: {spilled}"
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_on_a_phone_sections_fold_under_a_contents_bar_that_stays_in_view(sized, live_reader):
    page = sized(PHONE)
    page.goto(f"{live_reader.url}{MEETING}")
    folds = page.evaluate(FOLDS)
    assert folds[0] is True and not any(folds[1:]), "the board open, the rest folded"
    folded_height = page.evaluate("document.documentElement.scrollHeight")

    bar = page.locator("#contents")
    page.mouse.wheel(0, 1500)
    page.wait_for_function("() => window.scrollY > 1000")
    box = bar.bounding_box()
    assert box and abs(box["y"]) < 1, "the contents bar stays at the top of the window"

    bar.get_by_role("link", name="Timeline").click()
    timeline = page.locator("#meeting-timeline details")
    expect(timeline).to_have_attribute("open", "")
    heading = page.locator("#timeline").bounding_box()
    box = bar.bounding_box()
    assert heading and box
    assert box["y"] + box["height"] <= heading["y"] + 1, "the heading is not under the bar"
    assert heading["y"] < PHONE["height"]
    expect(page.locator("#meeting-timeline .timeline-axis")).to_be_visible()

    # Without JavaScript every section is open: nothing is out of reach.
    plain = sized(PHONE, javascript=False)
    plain.goto(f"{live_reader.url}{MEETING}")
    assert all(plain.evaluate(FOLDS))
    assert plain.evaluate("document.documentElement.scrollHeight") > 2 * folded_height


def test_on_a_desktop_every_section_is_open(sized, live_reader):
    page = sized(DESKTOP)
    page.goto(f"{live_reader.url}{MEETING}")
    assert all(page.evaluate(FOLDS))
    expect(page.locator("#contents")).to_be_visible()


def test_an_address_or_a_citation_into_a_folded_section_opens_it(sized, live_reader):
    page = sized(PHONE)
    page.goto(f"{live_reader.url}{MEETING}")
    first = page.locator(".timeline-axis__item").first
    anchor = first.get_attribute("id")

    page.goto(f"{live_reader.url}{MEETING}#{anchor}")
    expect(page.locator("#meeting-timeline details")).to_have_attribute("open", "")
    expect(page.locator(f"#{anchor}")).to_be_in_viewport()

    # A numbered citation leads into the folded list of sources, and opens it.
    assert page.locator("#sources-list").is_hidden()
    page.locator(f"#{anchor} a.cite").first.click()
    expect(page.locator("#sources-list")).to_be_visible()
    expect(page.locator("#source-1")).to_be_in_viewport()
    # The back button's hashchange to a folded section's heading opens it too.
    page.locator("#stances").evaluate("el => el.closest('details').open = false")
    page.evaluate("() => { location.hash = 'stances'; }")
    expect(page.locator("#stance-matrix")).to_be_visible()


def test_on_a_desktop_the_timeline_scrolls_in_its_box_with_a_cue(sized, live_reader):
    page = sized(DESKTOP)
    page.goto(f"{live_reader.url}{MEETING}")
    box = page.get_by_role("region", name="Timeline, scrollable sideways on a wide screen")
    cue = page.locator(".timeline-scroll__cue")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth"), "the dossier's months overflow"
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    expect(cue).to_be_visible()
    assert cue.evaluate("el => getComputedStyle(el).opacity") == "1"
    right = box.evaluate("el => getComputedStyle(el).borderRightColor")
    assert right != "rgba(0, 0, 0, 0)", "an accent edge where more lies"
    # The cue sits inside the visible part of the box, not scrolled away with the line.
    cue_box, region = cue.bounding_box(), box.bounding_box()
    assert cue_box and region and cue_box["x"] + cue_box["width"] <= region["x"] + region["width"]

    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    page.wait_for_function("el => getComputedStyle(el).opacity === '0'", arg=cue.element_handle())

    # On a phone the timeline runs down the page: no cue, nothing to scroll sideways.
    phone = sized(PHONE)
    phone.goto(f"{live_reader.url}{MEETING}#timeline")
    expect(phone.locator(".timeline-scroll__cue")).to_be_hidden()
    region = phone.get_by_role("region", name="Timeline, scrollable sideways on a wide screen")
    assert region.evaluate("el => el.scrollWidth <= el.clientWidth")


def test_the_history_page_folds_its_diffs_on_a_phone(sized, live_reader):
    page = sized(PHONE)
    page.goto(f"{live_reader.url}/issues/kells-strait/history/")
    folds = page.locator("details.fold--diff")
    assert folds.count() > 0
    assert not any(page.evaluate(FOLDS)), "every diff folded"
    folded_height = page.evaluate("document.documentElement.scrollHeight")
    folds.first.locator("summary").click()
    expect(folds.first.locator("table.diff")).to_be_visible()

    plain = sized(PHONE, javascript=False)
    plain.goto(f"{live_reader.url}/issues/kells-strait/history/")
    assert all(plain.evaluate(FOLDS))
    assert plain.evaluate("document.documentElement.scrollHeight") > 2 * folded_height

    desktop = sized(DESKTOP)
    desktop.goto(f"{live_reader.url}/issues/kells-strait/history/")
    assert all(desktop.evaluate(FOLDS))


def test_an_empty_stance_cell_shows_a_dash_that_screen_readers_skip(page: Page, live_reader):
    """The dash of an empty cell comes from the style sheet, with empty alternative text;
    the cell's words for a screen reader are "No position"."""
    page.goto(f"{live_reader.url}{MEETING}")
    empty = page.locator("#stance-matrix td.stance--none").first
    expect(empty).to_have_text("No position")
    expect(empty.locator(".visually-hidden")).to_have_text("No position")
    drawn = empty.evaluate("(cell) => getComputedStyle(cell, '::before').content")
    assert drawn == '"—" / ""'
    expect(page.get_by_role("cell", name="No position").first).to_be_attached()
