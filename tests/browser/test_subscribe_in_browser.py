"""Following an issue by e-mail in Chromium, with JavaScript off, on a phone: from the
issue page's form to a confirmed subscription."""

import re

from django.core import mail
from playwright.sync_api import Browser, expect

from subscriptions.models import Subscription

PHONE = {"width": 390, "height": 844}


def test_a_reader_subscribes_from_the_issue_page_without_javascript(
    browser: Browser, live_reader, settings
):
    settings.SITE_URL = live_reader.url
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_reader.url}/issues/kells-strait/")
    form = page.locator("form.follow-by-email")
    expect(form).to_have_css("background-color", "rgb(244, 245, 247)")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not [c for c in context.cookies() if c["name"] == "csrftoken"]

    form.get_by_label("Follow by e-mail").fill("reader@example.org")
    form.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_text("Send the confirmation link to this address?")).to_be_visible()
    expect(page.get_by_label("Your e-mail address")).to_have_value("reader@example.org")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not Subscription.objects.exists()

    page.get_by_role("button", name="Send the confirmation link").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    (message,) = mail.outbox
    link = re.search(r"http://\S+/subscriptions/confirm/\S+/", message.body).group(0)

    page.goto(link)
    page.get_by_role("button", name="Confirm the subscription").click()
    expect(page.get_by_role("heading", name="Subscription confirmed")).to_be_visible()
    assert Subscription.objects.get(email="reader@example.org").confirmed
    context.close()
