"""A feed opened in Chromium reads as a page: what the feed is, its address to copy, and its
entries with links, styled by the site's stylesheet under the site's Content Security Policy."""

import re

from playwright.sync_api import Page, expect

FEED = "/issues/kells-strait/feed/"


def test_an_issue_feed_reads_as_a_page(page: Page, live_reader):
    page.goto(f"{live_reader.url}{FEED}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Strait of Kells: changes · Summit dossiers"
    )
    expect(
        page.get_by_role("heading", name="This is a feed: subscribe to follow it")
    ).to_be_visible()
    expect(page.locator("#feed-url")).to_have_text(f"{live_reader.url}{FEED}")
    entries = page.locator(".feed-entry")
    assert entries.count() > 0
    first = entries.first.get_by_role("link")
    expect(first).to_be_visible()
    expect(first).to_have_attribute("href", re.compile(r"/issues/kells-strait/"))
    expect(
        page.get_by_role("link", name=re.compile("position of Tobias Quillan")).first
    ).to_be_visible()
    # The entry's summary is shown as HTML, not as its markup.
    expect(entries.first.locator(".feed-entry__summary p").first).to_be_visible()
    assert "&lt;p&gt;" not in page.content()


def test_the_feed_page_is_styled_by_linked_files_under_the_policy(page: Page, live_reader):
    response = page.goto(f"{live_reader.url}{FEED}")
    assert response is not None
    assert "style-src 'self'" in response.headers["content-security-policy"]
    # The site's stylesheet applied (a linked file: the policy forbids inline styles) ...
    header = page.locator(".site-header")
    expect(header).to_have_css("background-color", "rgb(29, 36, 48)")
    # ... and no inline style or script of ours (Chromium adds its own deprecation banner).
    inline = page.evaluate(
        """() => [...document.querySelectorAll('[style], script:not([src]), style')]
              .filter((el) => el.tagName.toLowerCase() !== 'xslt-warning-banner').length"""
    )
    assert inline == 0


def test_the_feed_address_can_be_copied(page: Page, live_reader):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{live_reader.url}{FEED}")
    button = page.get_by_role("button", name="Copy the feed address")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator("[data-copy-status]")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_reader.url}{FEED}"


def test_the_feed_page_fits_a_phone(page: Page, live_reader):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_reader.url}{FEED}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
