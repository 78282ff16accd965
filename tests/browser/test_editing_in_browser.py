"""An editor annotates in place in a real browser; a reader sees no edit control."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.editors import sign_in_editor

#: The issue and the outlook edited here, of `tests/dossiers/reader.yaml`.
ISSUE = "/issues/kells-strait/"
OUTLOOK = "outlook-aldren-vostrov-lanterna-2025"


@pytest.fixture
def signed_in_editor(page: Page, live_reader):
    sign_in_editor(page, live_reader.url, ISSUE)
    return page


def set_marker(page: Page) -> None:
    """A value that lives only as long as the page: a reload would lose it."""
    page.evaluate("window.editMarker = 'still here'")


def marker_survived(page: Page) -> bool:
    return page.evaluate("window.editMarker") == "still here"


def open_new_position(page: Page):
    """Opens the form for a new position, and waits until htmx has bound it (its first field
    then has the focus): keys typed before that trigger nothing, such as the source search."""
    page.get_by_role("link", name="Add a position").click()
    form = page.locator("form#add-position")
    expect(form.get_by_label("Side")).to_be_focused()
    return form


def open_outlook(page: Page):
    """Opens the outlook's edit form, and waits until htmx has bound it (its first field
    then has the focus): no one acts on a form within the moment it settles."""
    page.get_by_role("link", name="Edit outlook").click()
    form = page.locator(f"form#{OUTLOOK}")
    expect(form.get_by_label("Effect on the meeting")).to_be_focused()
    return form


def test_editor_edits_the_outlook_in_place(signed_in_editor: Page):
    page = signed_in_editor
    set_marker(page)
    outlook = page.locator(f"#{OUTLOOK}")

    form = open_outlook(page)
    expect(form.get_by_label("Rationale")).to_be_visible()
    form.get_by_label("Rationale").fill("The seizure changed **everything**.")
    form.get_by_role("button", name="Preview the rationale").click()
    expect(form.locator(".preview strong")).to_have_text("everything")
    form.get_by_label("Effect on the meeting").select_option("-1")
    form.get_by_label("Note on this change").fill("after the ferry seizure")
    form.get_by_role("button", name="Save and publish").click()

    expect(outlook.locator(".prose")).to_contain_text("The seizure changed everything.")
    expect(outlook).to_contain_text("Hinders")
    assert marker_survived(page), "saving must not reload the page"

    history = page.get_by_role("link", name="History").first
    expect(history).to_have_attribute("href", f"{ISSUE}history/")


def test_invalid_input_shows_messages_and_escape_cancels(signed_in_editor: Page):
    page = signed_in_editor
    set_marker(page)
    form = open_outlook(page)
    form.get_by_label("Rationale").fill("")
    form.get_by_role("button", name="Save and publish").click()
    expect(form.locator(".field__error").first).to_contain_text("This field is required")
    # htmx has finished swapping the form in (and bound its controls) once it settles.
    expect(form).not_to_have_class(re.compile(r"htmx-(added|settling|swapping)"))

    form.get_by_label("Note on this change").press("Escape")
    expect(page.locator(f"section#{OUTLOOK}")).to_contain_text("Strongly hinders")
    assert marker_survived(page)


def test_editor_adds_a_position_with_a_new_source(signed_in_editor: Page):
    page = signed_in_editor
    set_marker(page)
    form = open_new_position(page)
    form.get_by_label("Side").select_option(label="Valdoria")
    form.get_by_label("Attribution").fill("The Valdorian cabinet")
    form.get_by_label("Kind").select_option("rhetoric")
    form.get_by_label("Posture").select_option("-2")
    form.get_by_label("Summary").fill("Calls the ferry seizure an act of piracy.")
    form.get_by_role("textbox", name="Date stated", exact=True).fill("2025-05-27")
    form.get_by_label("New source: title").fill("Valdorian cabinet statement")
    form.get_by_label("New source: URL").fill("https://example.org/statement")
    form.get_by_label("Locator").fill("para. 1")
    form.get_by_role("button", name="Save and publish").click()

    expect(page.locator("#side-XV-list")).to_contain_text(
        "Calls the ferry seizure an act of piracy."
    )
    expect(page.locator("#sources-list")).to_contain_text("Valdorian cabinet statement")
    assert marker_survived(page)


def test_source_search_as_you_type(signed_in_editor: Page):
    page = signed_in_editor
    form = open_new_position(page)
    form.get_by_label("Search existing sources").press_sequentially("Strained", delay=30)
    expect(form.get_by_label("Source", exact=True).locator("option")).to_have_count(2)


def test_a_reader_sees_no_edit_control(page: Page, live_reader):
    page.goto(f"{live_reader.url}{ISSUE}")
    expect(page.get_by_role("heading", name="Strait of Kells", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Edit outlook")).to_have_count(0)
    expect(page.get_by_role("link", name="Add a position")).to_have_count(0)
    expect(page.get_by_role("button", name="Withdraw")).to_have_count(0)


def assert_fits_a_phone(page: Page, form) -> None:
    """Nothing scrolls sideways, and every field is big enough to read and to tap."""
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"
    fields = form.locator("input:not([type=hidden]), select, textarea")
    assert fields.count() > 3
    for index in range(fields.count()):
        field = fields.nth(index)
        if not field.is_visible():
            continue
        box = field.bounding_box()
        assert box is not None and box["height"] >= 40, (field.get_attribute("name"), box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= widths[1], (
            field.get_attribute("name"),
            box,
        )
        font = field.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert font >= 16, (field.get_attribute("name"), font)


def test_edit_forms_fit_a_phone(signed_in_editor: Page):
    page = signed_in_editor
    page.set_viewport_size({"width": 390, "height": 844})
    outlook = open_outlook(page)
    assert_fits_a_phone(page, outlook)
    # With its error messages shown, it still fits.
    outlook.get_by_label("Rationale").fill("")
    outlook.get_by_role("button", name="Save and publish").click()
    expect(outlook.locator(".field__error").first).to_be_visible()
    assert_fits_a_phone(page, outlook)

    page.locator("article.position").first.get_by_role("link", name="Edit").click()
    position = page.locator("form.edit-form[id^=position-]")
    expect(position.get_by_label("Summary")).to_be_visible()
    assert_fits_a_phone(page, position)


def test_focus_enters_an_opened_form_and_returns_to_the_record(signed_in_editor: Page):
    page = signed_in_editor
    status = page.locator("#edit-status")
    expect(status).to_have_attribute("aria-live", "polite")

    form = open_outlook(page)
    expect(form.get_by_label("Effect on the meeting")).to_be_focused()
    # Nothing changed: Escape closes at once, and the record takes the focus back.
    page.keyboard.press("Escape")
    section = page.locator(f"section#{OUTLOOK}")
    expect(section).to_be_focused()
    expect(section).to_have_attribute("tabindex", "-1")
    expect(status).to_have_text("Cancelled.")

    page.get_by_role("link", name="Edit outlook").click()
    expect(form.get_by_label("Effect on the meeting")).to_be_focused()
    form.get_by_label("Rationale").fill("")
    form.get_by_role("button", name="Save and publish").click()
    # Back with messages: the focus is on the first field to correct.
    expect(form.locator(".field__error").first).to_be_visible()
    expect(form.get_by_label("Rationale")).to_be_focused()
    form.get_by_label("Rationale").fill("Focus comes back after saving.")
    form.get_by_role("button", name="Save and publish").click()
    expect(section).to_contain_text("Focus comes back after saving.")
    expect(section).to_be_focused()
    expect(status).to_have_text("Saved.")

    article = page.locator("article.position").first
    article_id = article.get_attribute("id")
    article.get_by_role("link", name="Edit").click()
    position = page.locator(f"form#{article_id}")
    expect(position.get_by_label("Side")).to_be_focused()
    position.get_by_role("link", name="Cancel").click()
    expect(page.locator(f"article#{article_id}")).to_be_focused()
    expect(status).to_have_text("Cancelled.")


def test_focus_returns_to_a_new_position_and_to_a_scenario_row(signed_in_editor: Page, live_reader):
    page = signed_in_editor
    form = open_new_position(page)
    form.get_by_label("Side").select_option(label="Valdoria")
    form.get_by_label("Attribution").fill("The Valdorian cabinet")
    form.get_by_label("Kind").select_option("rhetoric")
    form.get_by_label("Posture").select_option("-1")
    form.get_by_label("Summary").fill("A position saved with the keyboard in mind.")
    form.get_by_role("textbox", name="Date stated", exact=True).fill("2025-05-27")
    form.get_by_label("Source", exact=True).select_option(index=1)
    form.get_by_label("Locator").fill("para. 1")
    form.get_by_role("button", name="Save as draft").click()
    new = page.locator("#side-XV-list article.position").first
    expect(new).to_contain_text("A position saved with the keyboard in mind.")
    expect(new).to_be_focused()
    expect(new).not_to_have_attribute("data-edited", "")
    expect(page.locator("#edit-status")).to_have_text("Saved as a draft.")

    page.goto(f"{live_reader.url}/meetings/aldren-vostrov-lanterna-2025/")
    row = page.locator("tr[id^=scenario-]").first
    row_id = row.get_attribute("id")
    row.get_by_role("link", name="Edit likelihood").click()
    scenario = page.locator("#scenario-edit-slot form.edit-form")
    expect(scenario.get_by_label("Likelihood")).to_be_focused()
    scenario.get_by_role("button", name="Save and publish").click()
    expect(scenario).to_have_count(0)
    expect(page.locator(f"tr#{row_id}")).to_be_focused()
    expect(page.locator("#edit-status")).to_have_text("Saved.")


def test_enter_in_a_line_does_not_submit_but_ctrl_enter_does(signed_in_editor: Page):
    page = signed_in_editor
    posts: list[str] = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    form = open_outlook(page)
    form.get_by_label("Possible deliverable").fill("Talks on the ferry crew")
    form.get_by_label("Possible deliverable").press("Enter")
    form.get_by_label("Where in the sources").press("Enter")
    form.get_by_label("In effect since").press("Enter")
    page.wait_for_timeout(500)
    assert posts == []
    expect(form).to_be_visible()

    form.get_by_label("Rationale").fill("Saved from the keyboard.")
    form.get_by_label("Rationale").press("Control+Enter")
    section = page.locator(f"section#{OUTLOOK}")
    expect(section).to_contain_text("Saved from the keyboard.")
    expect(section).to_contain_text("Talks on the ferry crew")
    assert len(posts) == 1


def test_escape_with_unsaved_changes_asks_first(signed_in_editor: Page):
    page = signed_in_editor
    questions: list[str] = []

    def answer(accept: bool):
        def handler(dialog):
            questions.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        return handler

    form = open_outlook(page)
    form.get_by_label("Rationale").fill("Words not to lose by a slip of the finger.")

    page.once("dialog", answer(False))
    form.get_by_label("Rationale").press("Escape")
    expect(form.get_by_label("Rationale")).to_have_value(
        "Words not to lose by a slip of the finger."
    )
    assert questions == ["Discard your changes?"]

    page.once("dialog", answer(True))
    form.get_by_label("Rationale").press("Escape")
    section = page.locator(f"section#{OUTLOOK}")
    expect(section).to_be_visible()
    expect(section).not_to_contain_text("Words not to lose")
    assert len(questions) == 2

    # A choice changed counts as much as a word typed.
    open_outlook(page)
    form.get_by_label("Effect on the meeting").select_option("1")
    page.once("dialog", answer(True))
    form.get_by_label("Effect on the meeting").press("Escape")
    expect(section).to_contain_text("Strongly hinders")
    assert len(questions) == 3


def test_withdrawing_a_position_asks_first(signed_in_editor: Page):
    page = signed_in_editor
    posts: list[str] = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    article = page.locator("article.position").first
    article_id = article.get_attribute("id")
    questions: list[str] = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    article.get_by_role("button", name="Withdraw").click()
    page.wait_for_timeout(300)
    assert questions and questions[0].startswith("Withdraw this position?")
    assert posts == []
    expect(page.locator(f"article#{article_id}")).to_be_visible()

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"article#{article_id}").get_by_role("button", name="Withdraw").click()
    expect(page.locator(f"#{article_id}")).to_contain_text("Withdrawn.")
    assert len(posts) == 1 and posts[0].endswith("/withdraw/")
