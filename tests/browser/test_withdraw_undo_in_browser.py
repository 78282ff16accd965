"""Withdraw, then undo, by keyboard: the focus follows, and the live region says what happened."""

from playwright.sync_api import Page, expect

from issues.models import Position
from tests.browser.test_editing_in_browser import signed_in_editor

__all__ = ["signed_in_editor"]  # the fixture, shared with the editing tests


def test_withdraw_then_undo_by_keyboard(signed_in_editor: Page):
    page = signed_in_editor
    status = page.locator("#edit-status")
    article = page.locator("article.position").first
    article_id = article.get_attribute("id")
    pk = int(article_id.removeprefix("position-"))

    page.once("dialog", lambda dialog: dialog.accept())
    article.get_by_role("button", name="Withdraw").focus()
    page.keyboard.press("Enter")

    notice = page.locator(f"#{article_id}")
    expect(notice).to_contain_text("Withdrawn.")
    undo = notice.get_by_role("button", name="Undo")
    expect(undo).to_be_focused()
    expect(status).to_contain_text("Position withdrawn. You can undo it for 10 minutes.")
    assert Position.objects.get(pk=pk).withdrawn_at is not None

    page.keyboard.press("Enter")

    restored = page.locator(f"article#{article_id}")
    expect(restored).to_be_focused()
    expect(status).to_have_text("Withdrawal undone.")
    expect(restored.get_by_role("button", name="Withdraw")).to_be_visible()
    assert Position.objects.get(pk=pk).withdrawn_at is None
