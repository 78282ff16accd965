"""Signing an editor in through the back office's login page, as the browser tests do."""

import re

from playwright.sync_api import Page, expect

from tests import factories
from tests.conftest import editors_group

PASSWORD = "a long browser password"


def sign_in_editor(page: Page, base_url: str, next_path: str, username: str = "browser-editor"):
    """A new editor (in the Editors group) signs in and lands on `next_path`."""
    editor = factories.UserFactory(username=username, is_staff=True, password=PASSWORD)
    editor.groups.add(editors_group())
    page.goto(f"{base_url}/admin/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))
    return editor
