"""In Chromium, under the site's strict Content Security Policy: the API's docs page draws
Swagger UI from the package's own files, and "Cite this page" copies the citation."""

from playwright.sync_api import Browser, expect


def _csp_complaints(page) -> list[str]:
    complaints: list[str] = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "Content Security Policy" in message.text
            and complaints.append(message.text)
        ),
    )
    return complaints


def test_the_api_docs_page_draws_under_the_strict_csp(browser: Browser, live_reader):
    page = browser.new_page()
    complaints = _csp_complaints(page)
    page.goto(f"{live_reader.url}/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Summit dossiers API")
    # Each path is listed for GET and for HEAD.
    expect(page.locator(".opblock-summary-path", has_text="/api/positions").first).to_be_visible()
    assert complaints == []


def test_cite_this_page_copies_the_citation(browser: Browser, live_reader):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_reader.url)
    page = context.new_page()
    complaints = _csp_complaints(page)
    page.goto(f"{live_reader.url}/issues/kells-strait/")
    button = page.get_by_role("button", name="Copy the citation")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator("[data-copy-status]")).to_have_text("Copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("“Strait of Kells")
    assert complaints == []
