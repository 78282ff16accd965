"""A withdrawal refused (someone else changed the position meanwhile) is shown in the
position's place: the editor sees why, the focus is on the message, the live region says
it, and the view passes axe and fits a phone."""

import pytest
from playwright.sync_api import Page, expect

from issues import services
from issues.models import Position
from tests import factories
from tests.browser.editors import sign_in_editor
from tests.browser.test_accessibility import violations


@pytest.fixture
def position(transactional_db) -> Position:
    issue = factories.IssueFactory(slug="tariffs", title="Tariffs")
    return factories.PositionFactory(issue=issue, summary="Tariffs stay.")


def test_a_refused_withdrawal_is_shown_and_focused(page: Page, live_server, position):
    page.set_viewport_size({"width": 390, "height": 844})
    editor = sign_in_editor(page, live_server.url, "/issues/tariffs/")
    article = page.locator(f"article#position-{position.pk}")
    expect(article).to_contain_text("Tariffs stay.")
    # Another editor changes the position after this page was opened.
    services.record_update(
        record=position,
        editor=editor,
        edit=services.Edit(values={"summary": "Tariffs stay, for now."}),
        expected_version=position.version,
    )

    page.once("dialog", lambda dialog: dialog.accept())
    article.get_by_role("button", name="Withdraw").click()

    message = article.locator(".edit-refusal")
    expect(message).to_contain_text("Not withdrawn: someone else changed this position")
    expect(message).to_be_focused()
    expect(page.locator("#edit-status")).to_contain_text("Not withdrawn")
    expect(article).to_contain_text("Tariffs stay, for now.")
    assert Position.objects.get(pk=position.pk).withdrawn_at is None
    assert not violations(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # The position as it is now carries its current version: withdrawing again works.
    page.once("dialog", lambda dialog: dialog.accept())
    article.get_by_role("button", name="Withdraw").click()
    expect(
        page.locator(f"#position-{position.pk}").get_by_role("button", name="Undo")
    ).to_be_focused()
    assert Position.objects.get(pk=position.pk).withdrawn_at is not None
