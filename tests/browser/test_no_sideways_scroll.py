"""Every reader page fits the width of a phone and of a laptop: nothing scrolls sideways.

The reader dossier (`tests/dossiers/reader.yaml`) is loaded with two records added that
stress the layout: a source whose
address is one long unbroken string, cited by a position whose summary holds a long
unbroken word. Tables and charts that are wider than a phone scroll inside their own box,
never the page."""

from datetime import date

import pytest
from playwright.sync_api import Page

LONG_URL = "https://example.org/" + "averylongpathsegmentwithoutanybreak" * 8
LONG_WORD = "Donaudampfschifffahrtselektrizitaetenhauptbetriebswerkbauunterbeamten" * 2

# The first element found wider than the window, named for the failure message.
WIDEST = """() => {
  const width = window.innerWidth;
  const name = (el) => el.tagName.toLowerCase()
    + (el.id ? '#' + el.id : '')
    + (el.className && typeof el.className === 'string'
       ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 0.5) {
      const chain = [];
      for (let node = el; node && node !== document.body; node = node.parentElement) {
        chain.unshift(name(node));
      }
      return chain.join(' > ') + ' (right edge ' + Math.round(box.right) + 'px)';
    }
  }
  return null;
}"""


def stress_records():
    """A source with a long unbroken URL, and a position of Vostrov's on the Strait of Kells
    citing it with a long unbroken word in its summary (shown on the issue, positions,
    leader, compare, search and source pages). Returns the source."""
    from issues.models import Country, Issue, Leader, Position, PositionKind, Posture, Source

    source = Source.objects.create(
        title="A source with a long address", publisher="Publisher", url=LONG_URL
    )
    Position.objects.create(
        issue=Issue.objects.get(slug="kells-strait"),
        country=Country.objects.get(code="XO"),
        leader=Leader.objects.get(slug="pavel-vostrov"),
        kind=PositionKind.RHETORIC,
        posture=Posture.MIXED,
        summary=f"A summary with one long word: {LONG_WORD}.",
        stated_on=date(2025, 5, 30),
        source=source,
        locator="para. 1",
    )
    return source


def reader_pages(source_pk: int) -> dict[str, str]:
    return {
        "home": "/",
        "summit": "/summits/lanterna-summit-2025/",
        "meeting": "/meetings/aldren-vostrov-lanterna-2025/",
        "issue": "/issues/kells-strait/",
        "issue positions": "/issues/kells-strait/positions/",
        "browse": "/issues/",
        "search with results": "/search/?q=Kells",
        "compare": "/compare/?a=pavel-vostrov&b=mara-aldren",
        "leaders": "/leaders/",
        "leader": "/leaders/pavel-vostrov/",
        "sources": "/sources/",
        "source": f"/sources/{source_pk}/",
        "history": "/issues/kells-strait/history/",
        "track record": "/track-record/",
        "method": "/about/method/",
        "not found": "/no-such-page/",
    }


@pytest.mark.parametrize(
    "width,height", [(390, 844), (1366, 900)], ids=["phone-390", "laptop-1366"]
)
def test_no_reader_page_scrolls_sideways(page: Page, live_reader, width, height):
    source = stress_records()
    page.set_viewport_size({"width": width, "height": height})
    overflowing = {}
    for name, path in reader_pages(source.pk).items():
        response = page.goto(f"{live_reader.url}{path}")
        assert response is not None
        assert response.status == (404 if name == "not found" else 200), path
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        inner_width = page.evaluate("window.innerWidth")
        if scroll_width > inner_width:
            overflowing[name] = f"{path}: {scroll_width}px > {inner_width}px, " + str(
                page.evaluate(WIDEST)
            )
    assert not overflowing, "\n".join(overflowing.values())


def test_the_stress_records_are_on_the_pages_measured(page: Page, live_reader):
    """The long address and the long word are shown, so the test above measures them."""
    source = stress_records()
    page.goto(f"{live_reader.url}/sources/{source.pk}/")
    assert LONG_URL in page.content()
    page.goto(f"{live_reader.url}/issues/kells-strait/")
    assert LONG_WORD in page.content()
    assert LONG_URL in page.content()
    for path in (
        "/leaders/pavel-vostrov/",
        "/issues/kells-strait/positions/",
        "/compare/?a=pavel-vostrov&b=mara-aldren",
    ):
        page.goto(f"{live_reader.url}{path}")
        assert LONG_WORD in page.content(), path


def test_a_table_wider_than_a_phone_scrolls_in_its_box_with_a_visible_edge(page: Page, live_reader):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_reader.url}/meetings/aldren-vostrov-lanterna-2025/")
    box = page.get_by_role(
        "region", name="Outlook for Aldren–Vostrov meeting at the Lanterna Summit, scrollable"
    )
    edges = "el => [getComputedStyle(el).borderLeftColor, getComputedStyle(el).borderRightColor]"
    clear = "rgba(0, 0, 0, 0)"
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    left, right = box.evaluate(edges)
    assert left == clear and right != clear, "more to the right: the right edge shows"
    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    page.wait_for_function(
        "el => getComputedStyle(el).borderRightColor === 'rgba(0, 0, 0, 0)'",
        arg=box.element_handle(),
    )
    left, right = box.evaluate(edges)
    assert left != clear and right == clear, "scrolled to the end: the left edge shows"

    page.set_viewport_size({"width": 1366, "height": 900})
    page.reload()
    assert box.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert box.evaluate(edges) == [clear, clear], "a table that fits shows no edge"
