"""An editor annotates in place in a real browser; a reader sees no edit control."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.conftest import editors_group

PASSWORD = "a long browser password"


@pytest.fixture
def signed_in_editor(page: Page, live_demo):
    editor = factories.UserFactory(username="browser-editor", is_staff=True, password=PASSWORD)
    editor.groups.add(editors_group())
    page.goto(f"{live_demo.url}/admin/login/?next=/issues/ukraine/")
    page.get_by_label("Username").fill("browser-editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/issues/ukraine/$"))
    return page


def set_marker(page: Page) -> None:
    """A value that lives only as long as the page: a reload would lose it."""
    page.evaluate("window.editMarker = 'still here'")


def marker_survived(page: Page) -> bool:
    return page.evaluate("window.editMarker") == "still here"


def test_editor_edits_the_outlook_in_place(signed_in_editor: Page, live_demo):
    page = signed_in_editor
    set_marker(page)
    outlook = page.locator("#outlook-trump-putin-g20-2018")

    page.get_by_role("link", name="Edit outlook").click()
    form = page.locator("form#outlook-trump-putin-g20-2018")
    expect(form.get_by_label("Rationale")).to_be_visible()
    form.get_by_label("Rationale").fill("Kerch changed **everything**.")
    form.get_by_role("button", name="Preview the rationale").click()
    expect(form.locator(".preview strong")).to_have_text("everything")
    form.get_by_label("Effect on the meeting").select_option("-1")
    form.get_by_label("Note on this change").fill("after the Kerch Strait incident")
    form.get_by_role("button", name="Save and publish").click()

    expect(outlook.locator(".prose")).to_contain_text("Kerch changed everything.")
    expect(outlook).to_contain_text("Hinders")
    assert marker_survived(page), "saving must not reload the page"

    history = page.get_by_role("link", name="History").first
    expect(history).to_have_attribute("href", "/issues/ukraine/history/")


def test_invalid_input_shows_messages_and_escape_cancels(signed_in_editor: Page):
    page = signed_in_editor
    set_marker(page)
    page.get_by_role("link", name="Edit outlook").click()
    form = page.locator("form#outlook-trump-putin-g20-2018")
    form.get_by_label("Rationale").fill("")
    form.get_by_role("button", name="Save and publish").click()
    expect(form.locator(".field__error").first).to_contain_text("This field is required")
    # htmx has finished swapping the form in (and bound its controls) once it settles.
    expect(form).not_to_have_class(re.compile(r"htmx-(added|settling|swapping)"))

    form.get_by_label("Note on this change").press("Escape")
    expect(page.locator("section#outlook-trump-putin-g20-2018")).to_contain_text("Strongly hinders")
    assert marker_survived(page)


def test_editor_adds_a_position_with_a_new_source(signed_in_editor: Page):
    page = signed_in_editor
    set_marker(page)
    page.get_by_role("link", name="Add a position").click()
    form = page.locator("form#add-position")
    form.get_by_label("Side").select_option(label="United States")
    form.get_by_label("Attribution").fill("The White House")
    form.get_by_label("Kind").select_option("rhetoric")
    form.get_by_label("Posture").select_option("-2")
    form.get_by_label("Summary").fill("Calls the attacks off Crimea an outrage.")
    form.get_by_role("textbox", name="Date stated", exact=True).fill("2018-11-26")
    form.get_by_label("New source: title").fill("White House statement")
    form.get_by_label("New source: URL").fill("https://example.org/statement")
    form.get_by_label("Locator").fill("para. 1")
    form.get_by_role("button", name="Save and publish").click()

    expect(page.locator("#side-US-list")).to_contain_text(
        "Calls the attacks off Crimea an outrage."
    )
    expect(page.locator("#sources-list")).to_contain_text("White House statement")
    assert marker_survived(page)


def test_source_search_as_you_type(signed_in_editor: Page):
    page = signed_in_editor
    page.get_by_role("link", name="Add a position").click()
    form = page.locator("form#add-position")
    form.get_by_label("Search existing sources").press_sequentially("No More", delay=30)
    expect(form.get_by_label("Source", exact=True).locator("option")).to_have_count(2)


def test_a_reader_sees_no_edit_control(page: Page, live_demo):
    page.goto(f"{live_demo.url}/issues/ukraine/")
    expect(page.get_by_role("heading", name="Ukraine", level=1)).to_be_visible()
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
    page.get_by_role("link", name="Edit outlook").click()
    outlook = page.locator("form#outlook-trump-putin-g20-2018")
    expect(outlook.get_by_label("Rationale")).to_be_visible()
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
