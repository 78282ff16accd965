"""An editor enters a dossier through the pages (3 issues, 9 positions, 3 events,
3 assessments) in at most fifteen form submissions, every POST counted."""

import re

from playwright.sync_api import Page, expect

from issues.models import Event, Issue, OutlookAssessment, Position
from tests.browser.editors import sign_in_editor

MEETING = "Aldren–Vostrov meeting at the Lanterna Summit"
OUTLOOK = "outlook-aldren-vostrov-lanterna-2025"
SOURCE = "The Lanterna Summit: a strained table"
#: Typed in by the test, beside `tests/dossiers/reader.yaml`: the issues, and for each the
#: sides' three positions.
ISSUES = {
    "Trade tariffs": ["Tariffs stay.", "Tariffs must go.", "Talks may follow."],
    "Nuclear arms": ["Treaty breached.", "Treaty kept.", "Talks wanted."],
    "Fishing rights": ["Boats stay.", "Boats should go.", "Talks later."],
}
SIDES = [("Valdoria", "Valdorian officials", "-1"), ("Ostrania", "Ostranian officials", "1")]


def sign_in(page: Page, url: str) -> None:
    sign_in_editor(page, url, "/admin/issues/issue/add/", username="dossier-editor")


def add_issue(page: Page, url: str, title: str) -> str:
    """In the back office (there is no page for a new issue): one submission."""
    page.goto(f"{url}/admin/issues/issue/add/")
    page.locator("#id_title").fill(title)
    page.locator("#id_summary").fill(f"{title}: what divides the sides.")
    page.locator("#id_status").select_option("published")
    page.locator("#id_meetings + .select2 .select2-selection").click()
    page.locator(".select2-search__field").last.fill("Lanterna")
    page.locator(".select2-results__option", has_text=MEETING).click()
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    return Issue.objects.get(title=title).slug  # made from the title: no slug typed


def add_positions(page: Page, summaries: list[str]) -> None:
    """Three positions, one submission; each row's source picked by typing."""
    page.get_by_role("link", name="Add several").click()
    for row, summary in enumerate(summaries):
        side, attribution, posture = SIDES[row % 2]
        prefix = f"#id_positions-{row}"
        page.locator(f"{prefix}-country").select_option(label=side)
        page.locator(f"{prefix}-attribution").fill(attribution)
        page.locator(f"{prefix}-kind").select_option("rhetoric")
        page.locator(f"{prefix}-posture").select_option(posture)
        page.locator(f"{prefix}-summary").fill(summary)
        page.locator(f"{prefix}-stated_on").fill("2025-05-30")
        page.locator(f"{prefix}-source_query").fill("strained table")
        choice = page.locator(f"{prefix}-source")
        expect(choice.locator("option")).to_have_count(2)  # narrowed as one types
        expect(choice.locator("option").nth(1)).to_contain_text(SOURCE)
        choice.select_option(index=1)
        page.locator(f"{prefix}-locator").fill(f"para. {row + 2}")
    page.get_by_role("button", name="Save and publish").click()
    expect(page).to_have_url(re.compile(r"#positions$"))
    for summary in summaries:
        expect(page.locator("main")).to_contain_text(summary)


def add_event(page: Page, title: str) -> None:
    page.get_by_role("link", name="Add an event").click()
    form = page.locator("form#add-event")
    form.get_by_label("Title").fill(title)
    form.get_by_label("Occurred on").fill("2025-05-29")
    form.get_by_label("Cited sources").select_option(index=0)
    form.get_by_label("Where in the sources").fill("para. 2")
    expect(form.get_by_label(MEETING)).to_be_checked()  # its issue's meeting, by default
    form.get_by_role("button", name="Save and publish").click()
    expect(page.locator("main")).to_contain_text(title)


def add_assessment(page: Page, title: str) -> None:
    page.get_by_role("link", name=f"Assess the outlook for {MEETING}").click()
    form = page.locator(f"form#{OUTLOOK}")
    expect(form.get_by_label("Effect on the meeting")).to_be_focused()
    form.get_by_label("Effect on the meeting").select_option("-1")
    form.get_by_label("Salience").select_option("2")
    form.get_by_label("Rationale").fill(f"{title} hinders the meeting.")
    form.get_by_label("Cited sources").select_option(index=0)
    form.get_by_label("Where in the sources").fill("para. 7")
    form.get_by_role("button", name="Save and publish").click()
    expect(page.locator(f"#{OUTLOOK}")).to_contain_text(f"{title} hinders the meeting.")


def test_a_dossier_in_at_most_fifteen_submissions(page: Page, live_reader):
    posts: list[str] = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    before = {
        "positions": Position.objects.count(),
        "events": Event.objects.count(),
        "assessments": OutlookAssessment.objects.count(),
    }

    sign_in(page, live_reader.url)
    for title, summaries in ISSUES.items():
        slug = add_issue(page, live_reader.url, title)
        page.goto(f"{live_reader.url}/issues/{slug}/")
        add_positions(page, summaries)
        add_event(page, f"{title}: talks announced")
        add_assessment(page, title)

    assert len(posts) <= 15, posts
    assert len(posts) == 13, posts  # sign-in, then 4 for each issue
    assert Position.objects.count() == before["positions"] + 9
    assert Event.objects.count() == before["events"] + 3
    assert OutlookAssessment.objects.count() == before["assessments"] + 3
    assert set(Issue.objects.filter(title__in=ISSUES).values_list("slug", flat=True)) == {
        "trade-tariffs",
        "nuclear-arms",
        "fishing-rights",
    }
    # The events are on the meeting's timeline: their issue's meeting, by default.
    page.goto(f"{live_reader.url}/meetings/aldren-vostrov-lanterna-2025/")
    for title in ISSUES:
        expect(page.locator("body")).to_contain_text(f"{title}: talks announced")


def test_the_several_positions_form_fits_a_phone_and_keeps_focus_while_picking(
    page: Page, live_reader
):
    """At 390 px nothing scrolls sideways, the invalid rows included; typing in a row's
    source search narrows its choices without taking the focus away."""
    sign_in(page, live_reader.url)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_reader.url}/issues/kells-strait/positions/add/")
    search = page.locator("#id_positions-1-source_query")
    search.fill("strained")
    expect(page.locator("#id_positions-1-source option")).to_have_count(2)
    expect(search).to_be_focused()
    page.locator("#id_positions-0-summary").fill("x")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.locator(".bulk-row--invalid")).to_have_count(2)  # both rows typed in
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.evaluate("window.innerWidth")
