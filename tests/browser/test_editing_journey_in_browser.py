"""An editor's round, all by keyboard, on a desktop and on a phone: open the outlook, meet
another editor's change and merge it, save, draft, publish, withdraw a position and undo it;
the focus is asserted after every swap."""

import pytest
from playwright.sync_api import Page, expect

from issues.models import OutlookAssessment, Position
from tests.browser.test_conflicts_in_browser import other_editor_saves
from tests.browser.test_editing_in_browser import OUTLOOK, signed_in_editor

__all__ = ["signed_in_editor"]  # the fixture, shared with the editing tests

VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}


def press(page: Page, locator, key: str = "Enter") -> None:
    """Focus a control and press a key on it, as a keyboard user does."""
    locator.focus()
    expect(locator).to_be_focused()
    page.keyboard.press(key)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_an_editors_round_by_keyboard(signed_in_editor: Page, viewport: str):
    page = signed_in_editor
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    status = page.locator("#edit-status")
    section = page.locator(f"section#{OUTLOOK}")
    form = page.locator(f"form#{OUTLOOK}")
    bar = page.locator("#editor-bar")

    # Open: the focus goes into the form.
    press(page, page.get_by_role("link", name="Edit outlook"))
    expect(form.get_by_label("Effect on the meeting")).to_be_focused()

    # Another editor saves meanwhile; the conflict asks only about the field both changed.
    other_editor_saves(salience=1, rationale="Their rationale.")
    form.get_by_label("Possible deliverable").fill("")
    form.get_by_label("Possible deliverable").press_sequentially("My deliverable")
    form.get_by_label("Rationale").fill("")
    form.get_by_label("Rationale").press_sequentially("My rationale.")
    page.keyboard.press("Control+Enter")
    keep_theirs = form.get_by_role("radio", name="Keep theirs")
    expect(keep_theirs).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Control+Enter")
    expect(section).to_be_focused()
    expect(status).to_have_text("Saved.")
    saved = OutlookAssessment.objects.get(issue__slug="kells-strait")
    assert (saved.deliverable, saved.salience, saved.rationale) == (
        "My deliverable",
        1,
        "Their rationale.",
    )

    # A draft: the editor bar counts it with the swap, readers do not see it yet.
    press(page, page.get_by_role("link", name="Edit outlook"))
    expect(form.get_by_label("Effect on the meeting")).to_be_focused()
    form.get_by_label("Rationale").fill("")
    form.get_by_label("Rationale").press_sequentially("A drafted reading.")
    press(page, form.get_by_role("button", name="Save as draft"))
    expect(status).to_have_text("Saved as a draft.")
    expect(section).to_be_focused()
    expect(bar).to_contain_text("1 draft waiting to be published.")
    assert OutlookAssessment.objects.get(pk=saved.pk).rationale == "Their rationale."

    # Publish every draft of the issue.
    press(page, bar.get_by_role("button", name="Publish all drafts"))
    expect(bar).to_contain_text("Nothing waiting to be published.")
    expect(section).to_contain_text("A drafted reading.")
    assert OutlookAssessment.objects.get(pk=saved.pk).rationale == "A drafted reading."

    # Withdraw a position (it asks first), then undo: the focus follows each swap.
    article = page.locator("article.position").first
    article_id = article.get_attribute("id")
    pk = int(article_id.removeprefix("position-"))
    page.once("dialog", lambda dialog: dialog.accept())
    press(page, article.get_by_role("button", name="Withdraw"))
    undo = page.locator(f"#{article_id}").get_by_role("button", name="Undo")
    expect(undo).to_be_focused()
    assert Position.objects.get(pk=pk).withdrawn_at is not None
    page.keyboard.press("Enter")
    expect(page.locator(f"article#{article_id}")).to_be_focused()
    expect(status).to_have_text("Withdrawal undone.")
    assert Position.objects.get(pk=pk).withdrawn_at is None
    assert page.evaluate("document.documentElement.scrollWidth") <= width
