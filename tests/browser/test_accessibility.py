"""axe-core, run in Chromium, finds no violation: on every reader page at a phone's and a
laptop's width, on every in-place editing view (open, and showing its errors), and on the
back office's forms an editor fills in.

Each check reports every page's violations together, with the rule, its help and the
elements it names, so one run shows all that is wrong."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.editors import sign_in_editor
from tests.browser.test_no_sideways_scroll import reader_pages, stress_records

AXE = Axe()


def violations(page: Page) -> list[str]:
    """axe-core's violations of the page as it stands, one line each."""
    found = AXE.run(page).response["violations"]
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} — "
        + "; ".join(" ".join(node["target"]) for node in rule["nodes"][:5])
        for rule in found
    ]


def check(page: Page, name: str, failures: dict[str, list[str]]) -> None:
    found = violations(page)
    if found:
        failures[name] = found


def report(failures: dict[str, list[str]]) -> str:
    return "\n".join(f"{name}:\n  " + "\n  ".join(lines) for name, lines in failures.items())


@pytest.mark.parametrize(
    "width,height", [(390, 844), (1366, 900)], ids=["phone-390", "laptop-1366"]
)
def test_every_reader_page_passes_axe(page: Page, live_reader, width, height):
    source = stress_records()
    page.set_viewport_size({"width": width, "height": height})
    failures: dict[str, list[str]] = {}
    for name, path in reader_pages(source.pk).items():
        page.goto(f"{live_reader.url}{path}")
        check(page, f"{name} {path}", failures)
    assert not failures, report(failures)


def test_the_check_finds_a_violation_when_there_is_one(page: Page, live_reader):
    """The check itself can fail: an image without a text alternative is found."""
    page.goto(f"{live_reader.url}/about/method/")
    page.evaluate(
        "document.querySelector('main').append(Object.assign("
        "document.createElement('img'), {src: '/static/favicon.svg'}))"
    )
    assert any(line.startswith("image-alt") for line in violations(page))


@pytest.fixture
def editor_page(page: Page, live_reader):
    sign_in_editor(page, live_reader.url, "/issues/kells-strait/", username="axe-editor")
    return page


def test_every_editing_view_passes_axe(editor_page: Page, live_reader):
    page = editor_page
    failures: dict[str, list[str]] = {}
    check(page, "issue page as an editor", failures)

    page.get_by_role("link", name="Edit outlook").click()
    outlook = page.locator("form#outlook-aldren-vostrov-lanterna-2025")
    expect(outlook.get_by_label("Effect on the meeting")).to_be_focused()
    check(page, "outlook form", failures)
    outlook.get_by_label("Rationale").fill("")
    outlook.get_by_role("button", name="Save and publish").click()
    expect(outlook.locator(".field__error").first).to_be_visible()
    check(page, "outlook form with errors", failures)
    outlook.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("link", name="Edit outlook")).to_be_visible()

    page.locator("article.position").first.get_by_role("link", name="Edit").click()
    position = page.locator("form.edit-form[id^=position-]")
    expect(position.get_by_label("Summary")).to_be_visible()
    check(page, "position form", failures)
    position.get_by_label("Summary").fill("")
    position.get_by_role("button", name="Save and publish").click()
    expect(position.locator(".field__error").first).to_be_visible()
    check(page, "position form with errors", failures)
    position.get_by_role("link", name="Cancel").click()

    page.get_by_role("link", name="Add a position").click()
    expect(page.locator("form.edit-form").get_by_label("Summary")).to_be_visible()
    check(page, "new position form", failures)

    page.goto(f"{live_reader.url}/meetings/aldren-vostrov-lanterna-2025/")
    page.get_by_role("link", name="Edit likelihood").first.click()
    expect(page.locator("form.edit-form").first).to_be_visible()
    check(page, "scenario likelihood form", failures)
    assert not failures, report(failures)


def admin_forms() -> dict[str, str]:
    from issues.models import (
        Event,
        Issue,
        Leader,
        Meeting,
        OutlookAssessment,
        Position,
        Scenario,
        Source,
    )

    def change(model, obj) -> str:
        return f"/admin/issues/{model._meta.model_name}/{obj.pk}/change/"

    forms = {
        f"{model.__name__} change": change(model, model.objects.order_by("pk").first())
        for model in (Issue, Meeting, OutlookAssessment, Position, Event, Scenario, Leader, Source)
    }
    for model in (Issue, Position, Source, Event):
        forms[f"{model.__name__} add"] = f"/admin/issues/{model._meta.model_name}/add/"
    forms["Issue list"] = "/admin/issues/issue/"
    forms["dossier import"] = "/admin/issues/issue/import-dossier/"
    return forms


def test_every_admin_form_an_editor_uses_passes_axe(editor_page: Page, live_reader):
    page = editor_page
    failures: dict[str, list[str]] = {}
    for name, path in admin_forms().items():
        response = page.goto(f"{live_reader.url}{path}")
        assert response is not None and response.status == 200, (name, path)
        check(page, f"{name} {path}", failures)
    assert not failures, report(failures)
