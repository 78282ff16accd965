"""Two editors edit the same outlook: the second merges by keyboard, and loses nothing."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from issues import services
from issues.models import OutlookAssessment
from tests import factories
from tests.browser.test_editing_in_browser import OUTLOOK, open_outlook, signed_in_editor

__all__ = ["signed_in_editor"]  # the fixture, shared with the editing tests


def other_editor_saves(**values) -> OutlookAssessment:
    assessment = OutlookAssessment.objects.get(issue__slug="kells-strait")
    return services.record_update(
        record=assessment,
        editor=factories.UserFactory(username="other-editor"),
        edit=services.Edit(values=values, note="their edit"),
        expected_version=assessment.version,
    )


@pytest.mark.parametrize("keep", ["theirs", "mine"])
def test_the_second_editor_merges_by_keyboard(signed_in_editor: Page, keep: str):
    page = signed_in_editor
    form = open_outlook(page)
    # Meanwhile, the other editor changes the salience and the rationale.
    other_editor_saves(salience=1, rationale="Their rationale.")

    form.get_by_label("Possible deliverable").fill("My deliverable")
    form.get_by_label("Rationale").fill("My rationale.")
    form.get_by_label("Rationale").press("Control+Enter")

    # The conflict: every field compared, the collision asked about, focus on the choice.
    conflict = form.locator(".conflict")
    expect(conflict).to_contain_text("Someone else saved this while you were editing.")
    expect(conflict.locator(".merge__field")).to_have_count(6)  # with sources and locator
    expect(conflict.locator(".merge__field--both")).to_contain_text("Rationale")
    expect(conflict.locator(".merge__field--theirs")).to_contain_text("Salience")
    expect(conflict.locator(".merge__field--mine")).to_contain_text("Possible deliverable")
    keep_theirs = form.get_by_role("radio", name="Keep theirs")
    expect(keep_theirs).to_be_focused()
    # Their salience is already in the form; my deliverable still is.
    expect(form.get_by_label("Possible deliverable")).to_have_value("My deliverable")
    violations = Axe().run(page, context=f"#{OUTLOOK}")
    assert violations.violations_count == 0, violations.generate_report()
    if keep == "mine":  # on a phone, the comparison fits: nothing scrolls sideways
        page.set_viewport_size({"width": 390, "height": 844})
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"the conflict view scrolls sideways: {widths}"
        keep_theirs.focus()

    if keep == "theirs":
        page.keyboard.press("Space")
        expect(keep_theirs).to_be_checked()
    else:
        page.keyboard.press("ArrowDown")
        expect(form.get_by_role("radio", name="Keep mine, as in the field below")).to_be_checked()
    page.keyboard.press("Control+Enter")

    section = page.locator(f"section#{OUTLOOK}")
    expect(section).to_be_focused()
    expect(page.locator("#edit-status")).to_have_text("Saved.")
    saved = OutlookAssessment.objects.get(issue__slug="kells-strait")
    assert saved.deliverable == "My deliverable"
    assert saved.salience == 1  # their change, not reverted
    expected = "Their rationale." if keep == "theirs" else "My rationale."
    assert saved.rationale == expected
    expect(section).to_contain_text(expected)
